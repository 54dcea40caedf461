"""Audience quality from a follower sample: estimated fake share with an interval, and the split.

Fake share: the mean of the followers' calibrated p(fake). Its interval is a Beta distribution
with that mean whose variance is the sampling variance of a share from ``n_eff`` followers (Jeffreys
Beta posterior on the soft counts) plus, when fields were missing, the between-imputation variance
of the share (Rubin's rules: T = W + (1 + 1/M) B). ``n_eff`` sums each follower's information
weight: 1 with every field, less when fields that carry part of the model's log-odds variance are
missing (``FakeFollowerModel.information``). A small sample or missing fields therefore give a wider
interval; fewer than ``MIN_SAMPLE`` followers are marked low-confidence.

Split (HypeAuditor's audience types, in their priority): mass follower when following > 1,500;
else influencer when followers > 5,000; else suspicious when p(fake) >= 0.5; else real. A follower
whose following (or followers) is missing and who is not suspicious is "unknown".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from creatormix.domain.catalog import Interval
from creatormix.domain.vetting import AudienceType, FollowerAudit
from creatormix.vetting.features import FEATURES, MASS_FOLLOWING, RAW_FIELDS
from creatormix.vetting.model import FakeFollowerModel, FollowerScores, load_default, score_profiles

if TYPE_CHECKING:
    import numpy as np

MIN_SAMPLE = 30
INFLUENCER_FOLLOWERS = 5000
SUSPICIOUS_P = 0.5
LEVEL = 0.9


def share_interval(
    scores: FollowerScores, information: np.ndarray | None = None, level: float = LEVEL
) -> tuple[float, Interval]:
    """Mean p(fake) and its central interval (see the module docstring)."""
    import numpy as np
    from scipy.stats import beta

    n = scores.n
    s = float(scores.p.sum())
    share = s / n
    n_eff = float(information.sum()) if information is not None else float(n)
    a, b = share * n_eff + 0.5, (1 - share) * n_eff + 0.5
    mean = a / (a + b)
    within = a * b / ((a + b) ** 2 * (a + b + 1))
    between = 0.0
    if scores.draws is not None and scores.draws.shape[0] > 1:
        others = s - float(scores.p[scores.imputed_rows].sum())
        per_draw = (scores.draws.sum(axis=1) + others) / n
        m = scores.draws.shape[0]
        between = (1 + 1 / m) * float(np.var(per_draw, ddof=1))
    total = within + between
    nu = max(mean * (1 - mean) / total - 1, 1e-3)
    lo, hi = beta.ppf([(1 - level) / 2, (1 + level) / 2], mean * nu, (1 - mean) * nu)
    return share, Interval(float(lo), float(hi), level)


def audience_types(p: np.ndarray, following: np.ndarray, followers: np.ndarray) -> np.ndarray:
    """AudienceType value per follower, in the incumbents' priority order."""
    import numpy as np

    out = np.full(p.shape[0], AudienceType.REAL.value, dtype=object)
    no_following = np.isnan(following)
    with np.errstate(invalid="ignore"):
        mass = following > MASS_FOLLOWING
        influencer = (followers > INFLUENCER_FOLLOWERS) & ~mass & ~no_following
    suspicious = p >= SUSPICIOUS_P
    out[no_following | np.isnan(followers)] = AudienceType.UNKNOWN.value
    out[suspicious] = AudienceType.SUSPICIOUS.value
    out[influencer] = AudienceType.INFLUENCERS.value
    out[mass] = AudienceType.MASS_FOLLOWERS.value
    return out


def audit_sample(
    columns: Mapping[str, Any],
    *,
    model: FakeFollowerModel | None = None,
    level: float = LEVEL,
    seed: int = 0,
) -> FollowerAudit:
    """Audit one creator's follower sample given as columns (RAW_FIELDS and/or ``username``).

    Missing values are NaN/None; a column may be absent. An empty sample is an error of the caller.
    """
    import numpy as np

    model = model or load_default()
    n = _length(columns)
    if n == 0:
        raise ValueError("an empty follower sample cannot be audited")
    raw = {k: _floats(v, n) for k, v in columns.items() if k != "username" and v is not None}
    if columns.get("username") is not None:
        raw["username"] = columns["username"]
    scores = score_profiles(raw, n, model, seed=seed)
    fake, interval = share_interval(scores, model.information(scores.missing), level)
    nan = np.full(n, np.nan)
    types = audience_types(scores.p, raw.get("following", nan), raw.get("followers", nan))
    counts = {t.value: int((types == t.value).sum()) for t in AudienceType}
    if not counts[AudienceType.UNKNOWN.value]:
        del counts[AudienceType.UNKNOWN.value]
    return FollowerAudit(
        sample_size=n,
        fake_share=fake,
        fake_interval=interval,
        split={k: v / n for k, v in counts.items()},
        split_counts=counts,
        low_confidence=n < MIN_SAMPLE,
        missing_fields=_missing_fields(raw, columns, n),
        imputed_followers=int(scores.imputed_rows.size),
        model=f"{model.name} v{model.version}",
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
    "audience_types",
    "audit_sample",
    "share_interval",
]
