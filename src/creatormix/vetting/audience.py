"""Audience quality from a follower sample: estimated fake share with an interval, and the split.

Fake share: the mean of the followers' calibrated p(fake). Its interval is a Beta distribution
with that mean whose variance is the sampling variance of a share from ``n_eff`` followers (Jeffreys
Beta posterior on the soft counts) plus, when fields were missing, the between-imputation variance
of the share (Rubin's rules: T = W + (1 + 1/M) B). ``n_eff`` sums each follower's information
weight: 1 with every field, less when fields that carry part of the model's log-odds variance are
missing (``FakeFollowerModel.information``). A small sample or missing fields therefore give a wider
interval. The audit's ``effective_size`` is the number of complete followers that would give an
interval as wide (the Beta's a + b less the Jeffreys pseudo-count); under ``MIN_SAMPLE`` the audit
is low-confidence, whether followers were few or their fields were.

Split (HypeAuditor's audience types): each follower is real people, a mass follower (following >
1,500), an influencer (followers > 5,000) or unknown (following or followers missing) by its
profile, and is suspicious with its probability p(fake). The shares are expectations: a follower
adds p(fake) to "suspicious" and 1 - p(fake) to its profile type, so ``split["suspicious"]`` is the
fake share and the other types sum to the real share. ``split_counts`` counts profile types.
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
LEVEL = 0.9


def share_interval(
    scores: FollowerScores, information: np.ndarray | None = None, level: float = LEVEL
) -> tuple[float, Interval, float]:
    """Mean p(fake), its central interval and the effective sample size (module docstring)."""
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
    return share, Interval(float(lo), float(hi), level), max(nu - 1.0, 0.0)


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


def audience_split(p: np.ndarray, types: np.ndarray) -> dict[str, float]:
    """Expected share of each audience type: p(fake) to "suspicious", the rest to the profile type."""
    n = p.shape[0]
    split = {}
    for t in (AudienceType.REAL, AudienceType.MASS_FOLLOWERS, AudienceType.INFLUENCERS):
        split[t.value] = float((1.0 - p[types == t.value]).sum()) / n
    unknown = types == AudienceType.UNKNOWN.value
    if unknown.any():
        split[AudienceType.UNKNOWN.value] = float((1.0 - p[unknown]).sum()) / n
    split[AudienceType.SUSPICIOUS.value] = float(p.sum()) / n
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
    fake, interval, effective = share_interval(scores, model.information(scores.missing), level)
    nan = np.full(n, np.nan)
    types = profile_types(raw.get("following", nan), raw.get("followers", nan))
    counts = {t: int((types == t).sum()) for t in dict.fromkeys(types.tolist())}
    return FollowerAudit(
        sample_size=n,
        fake_share=fake,
        fake_interval=interval,
        split=audience_split(scores.p, types),
        split_counts=counts,
        low_confidence=effective < MIN_SAMPLE,
        missing_fields=_missing_fields(raw, columns, n),
        imputed_followers=int(scores.imputed_rows.size),
        model=f"{model.name} v{model.version}",
        effective_size=effective,
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
    "share_interval",
]
