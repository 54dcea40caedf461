"""Audience quality from a follower sample: estimated fake share with an interval, and the split.

Fake share: estimated by prevalence estimation on the followers' calibrated p(fake), not their
mean, with a 90 % interval that holds the sample size, what each follower's fields say and the
uncertainty of the model's calibration (``vetting.prevalence``). ``raw_share``, the plain mean of
p(fake), is kept to say when the two differ. ``information`` sums each follower's weight: 1 with
every field, less when fields that carry part of the model's log-odds variance are missing
(``FakeFollowerModel.information``); it is the audit's ``effective_size`` (complete followers'
worth of evidence), and under ``MIN_SAMPLE`` the audit is low-confidence, whether followers were
few or their fields were.

Split (HypeAuditor's audience types): each follower is real people, a mass follower (following >
1,500), an influencer (followers > 5,000) or unknown (following or followers missing) by its
profile, and is suspicious with its p(fake) adjusted to the sample's estimated share. The shares
are expectations: a follower adds that p(fake) to "suspicious" and the rest to its profile type,
so ``split["suspicious"]`` is the fake share and the other types sum to the real share.
``split_counts`` counts profile types.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from creatormix.domain.catalog import Interval
from creatormix.domain.vetting import AudienceType, FollowerAudit
from creatormix.vetting.features import FEATURES, MASS_FOLLOWING, RAW_FIELDS
from creatormix.vetting.model import FakeFollowerModel, load_default, score_profiles
from creatormix.vetting.prevalence import LEVEL, METHOD, adjusted, estimate_share

if TYPE_CHECKING:
    import numpy as np

MIN_SAMPLE = 30
INFLUENCER_FOLLOWERS = 5000


def profile_types(following: np.ndarray, followers: np.ndarray) -> np.ndarray:
    """AudienceType value per follower by its profile alone (never "suspicious"), in the
    incumbents' priority: mass follower, then influencer, then real; unknown when a count is missing."""
    import numpy as np

    out = np.full(following.shape[0], AudienceType.REAL.value, dtype=object)
    no_following = np.isnan(following)
    with np.errstate(invalid="ignore"):
        mass = following > MASS_FOLLOWING
        influencer = (followers > INFLUENCER_FOLLOWERS) & ~mass & ~no_following
    out[no_following | (np.isnan(followers) & ~mass)] = AudienceType.UNKNOWN.value
    out[influencer] = AudienceType.INFLUENCERS.value
    out[mass] = AudienceType.MASS_FOLLOWERS.value
    return out


def audience_split(
    p: np.ndarray, types: np.ndarray, share: float | None = None
) -> dict[str, float]:
    """Expected share of each audience type: p(fake) to "suspicious", the rest to the profile type.

    With ``share`` (the estimated fake share), "suspicious" is that share and the profile types
    split the rest in the proportions of their 1 - p (the estimate weighs followers by their
    information, the plain sums do not; with every field there they agree)."""
    n = p.shape[0]
    split = {}
    for t in (AudienceType.REAL, AudienceType.MASS_FOLLOWERS, AudienceType.INFLUENCERS):
        split[t.value] = float((1.0 - p[types == t.value]).sum()) / n
    unknown = types == AudienceType.UNKNOWN.value
    if unknown.any():
        split[AudienceType.UNKNOWN.value] = float((1.0 - p[unknown]).sum()) / n
    fake = float(p.sum()) / n
    if share is not None and fake != share:
        real = sum(split.values())
        for k in split:
            split[k] = split[k] * (1.0 - share) / real if real > 0 else 0.0
        fake = share
    split[AudienceType.SUSPICIOUS.value] = fake
    return split


def audit_sample(
    columns: Mapping[str, Any],
    *,
    model: FakeFollowerModel | None = None,
    level: float = LEVEL,
    seed: int = 0,
) -> FollowerAudit:
    """Audit one creator's follower sample given as columns (RAW_FIELDS and/or ``username``).

    Missing values are NaN/None; a column may be absent. ValueError when no column has a value
    (nothing to score): the caller reports that creator as not measured.
    """
    import numpy as np

    model = model or load_default()
    n = _length(columns)
    if n == 0:
        raise ValueError("the follower sample has no profile field to score")
    raw = {k: _floats(v, n) for k, v in columns.items() if k != "username" and v is not None}
    if columns.get("username") is not None:
        raw["username"] = columns["username"]
    scores = score_profiles(raw, n, model, seed=seed)
    weights = model.information(scores.missing)
    fake, low, high, mean_p = estimate_share(scores.p, model.prevalence, level, weights)
    effective = float(weights.sum())
    nan = np.full(n, np.nan)
    types = profile_types(raw.get("following", nan), raw.get("followers", nan))
    counts = {t: int((types == t).sum()) for t in dict.fromkeys(types.tolist())}
    return FollowerAudit(
        sample_size=n,
        fake_share=fake,
        fake_interval=Interval(low, high, level),
        split=audience_split(adjusted(scores.p, fake, model.prevalence), types, fake),
        split_counts=counts,
        low_confidence=effective < MIN_SAMPLE,
        missing_fields=_missing_fields(raw, columns, n),
        imputed_followers=int(scores.imputed_rows.size),
        model=f"{model.name} v{model.version}, {METHOD}",
        effective_size=effective,
        raw_share=mean_p,
        base_rate=model.prevalence.base_rate,
    )


def _length(columns: Mapping[str, Any]) -> int:
    for v in columns.values():
        if v is not None:
            return len(v)
    return 0


def _floats(values: Any, n: int) -> np.ndarray:
    import numpy as np

    return (
        np.array([np.nan if v is None else float(v) for v in values], dtype=float)
        if not isinstance(values, np.ndarray)
        else values.astype(float)
    )


def _missing_fields(raw: Mapping[str, Any], columns: Mapping[str, Any], n: int) -> dict[str, int]:
    """Rows missing each profile field (the username stands for its four derived counts)."""
    import numpy as np

    out: dict[str, int] = {}
    for name in ("posts", "following", "followers", "has_profile_picture", "is_private"):
        values = raw.get(name)
        missing = n if values is None else int(np.isnan(values).sum())
        if missing:
            out[name] = missing
    names = columns.get("username")
    if names is None:
        counts = raw.get("username_length")
        missing = n if counts is None else int(np.isnan(counts).sum())
    else:
        missing = sum(1 for x in names if x is None or not str(x).strip())
    if missing:
        out["username"] = missing
    return out


__all__ = [
    "FEATURES",
    "MIN_SAMPLE",
    "RAW_FIELDS",
    "audience_split",
    "audit_sample",
    "profile_types",
]
