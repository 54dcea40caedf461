"""The workspace's expected fake share for creators without a follower sample: computed from
every sample once per follower-sample import and kept in the settings with what it was made from
(the latest sample import and the model), so reads never recompute it (docs/vetting.md)."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from creatormix.store import profiles as imported
from creatormix.store import vetting as vstore
from creatormix.vetting.authenticity import FakePrior

if TYPE_CHECKING:
    from creatormix.store.core import Store

FAKE_PRIOR_SETTING = "vetting.fake_prior"  # {"state": [last sample import, model], "prior": ...}


def stored_fake_prior(store: Store, state: list[Any]) -> FakePrior | None:
    """The kept prior, when it was made from ``state``."""
    raw = store.get_setting(FAKE_PRIOR_SETTING)
    if raw and raw.get("state") == state:
        return FakePrior(**raw["prior"])
    return None


def store_fake_prior(store: Store) -> None:
    """Compute the prior once per follower-sample import (inside its transaction)."""
    prior = compute_fake_prior(store)
    store.set_setting(FAKE_PRIOR_SETTING, {"state": samples_state(store), "prior": asdict(prior)})


def samples_state(store: Store) -> list[Any]:
    from creatormix.vetting.model import load_default
    from creatormix.vetting.prevalence import METHOD

    model = load_default()  # a new model or share estimator recomputes the stored prior
    state = [vstore.latest_sample_import(store), f"{model.name} v{model.version} {METHOD}"]
    built = imported.latest_import(store)  # audits of an `import profiles` count too
    return state if built is None else [*state, built]


def compute_fake_prior(store: Store) -> FakePrior:
    from creatormix.vetting.audience import audit_sample
    from creatormix.vetting.authenticity import fake_prior
    from creatormix.vetting.model import load_default

    shares = []
    samples = vstore.samples(store, None)
    for sample in samples.values():
        try:
            shares.append(audit_sample(sample).fake_share)
        except (ValueError, ArithmeticError):
            continue
    shares += [a.fake_share for k, a in imported.audits(store, None).items() if k not in samples]
    return fake_prior(shares, float(load_default().meta["training"]["base_rate"]))
