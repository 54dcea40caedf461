"""A follower sample's fake share by prevalence estimation, with a 90 % interval.

The model's p(fake) is calibrated on SRF's followers, 10 % of whom are fake. The mean of such
probabilities is pulled toward 10 % whenever a sample holds more or fewer fakes (prior shift), so
the share is *estimated*, not averaged: the maximum-likelihood prior of Saerens, Latinne and
Decaestecker (2002, "Adjusting the outputs of a classifier to new a priori probabilities: a simple
procedure", Neural Computation 14(1)):

    r_i    = p_i / (1 - p_i) x (1 - pi_0) / pi_0     fake : real likelihood ratio of follower i
    L(pi)  = prod_i (pi r_i + 1 - pi) ^ w_i            the sample's likelihood at a fake share pi
    pi_hat = argmax L                                  their EM's fixed point,
                                                       pi = mean_i pi r_i / (pi r_i + 1 - pi)

``pi_0`` is the training base rate. ``w_i`` is the follower's information weight, 1 with every
field and less when fields carrying part of the model's log-odds variance were missing and
imputed (``FakeFollowerModel.information``): the model was calibrated on complete profiles, and
imputing from the sample's marginals makes a name-only follower look surer than it is, so such a
sample weighs as the complete followers it is worth, as the audit's effective size says. log L is
concave, so pi_hat is found by bisection on its
derivative, which also lands exactly on 0 or 1 where EM crawls. Each follower's adjusted p(fake),
pi_hat r_i / (pi_hat r_i + 1 - pi_hat), averages to pi_hat, so the audience split stays consistent
with the share (``adjusted``).

**Interval**: the posterior of pi under a uniform prior (L normalised on a grid of ``GRID``
points), averaged over the model file's bootstrap replicates of the calibration (Platt slope,
intercept and base rate refitted on out-of-fold log-odds of followers resampled with replacement,
folds redrawn: ``vetting.train``). It therefore holds the sample size, how much each follower says
(its weight, and a p near the base rate gives an r near 1) and the uncertainty of the model's
error rates. The interval is the 90 % highest-posterior-density
set (so it reaches 0 when a sample shows no fake), widened to hold pi_hat if needed. To audit
thousands of samples at once the interval's likelihood reads the log-odds rounded to ``BIN``
(a batch is one matrix product); pi_hat uses them exactly.

``mean_interval`` is model v1's estimator (the mean of p with a Beta interval), kept for the
cross-source evaluation that compares the two (``vetting.evaluate``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

METHOD = "saerens-em"  # named in the audit's model string and the workspace's cached prior
LEVEL = 0.9
GRID = 201  # posterior grid over the fake share: steps of half a point
BIN = 0.1  # log-odds resolution of the interval's likelihood
LOGIT_RANGE = 15.0  # log-odds beyond +-15 (p within 3e-7 of 0 or 1) count as +-15
ITERATIONS = 45  # bisection steps: 2**-45 of a share
CHUNK = 512  # samples per matrix product (bounds memory: 512 x replicates x GRID floats)


@dataclass(frozen=True)
class Calibration:
    """The calibration p(fake) was fitted with, and bootstrap replicates of it."""

    slope: float
    intercept: float
    base_rate: float
    replicates: tuple[tuple[float, float, float], ...]  # (slope, intercept, base rate)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Calibration:
        """From a model file: ``calibration``, ``training.base_rate`` and ``prevalence``."""
        reps = data["prevalence"]["replicates"]
        return cls(
            slope=float(data["calibration"]["slope"]),
            intercept=float(data["calibration"]["intercept"]),
            base_rate=float(data["training"]["base_rate"]),
            replicates=tuple(
                (float(a), float(c), float(b))
                for a, c, b in zip(reps["slope"], reps["intercept"], reps["base_rate"], strict=True)
            ),
        )

    def log_ratios(self, log_odds: np.ndarray) -> np.ndarray:
        """log r per follower under the fitted calibration."""
        import numpy as np

        return np.asarray(log_odds - _logit(self.base_rate))

    def replicate_log_ratios(self, log_odds: np.ndarray) -> np.ndarray:
        """(replicates, len(log_odds)): log r under each replicate, from the same raw score."""
        import numpy as np

        a, c, b = (np.asarray(v)[:, None] for v in zip(*self.replicates, strict=True))
        raw = (np.asarray(log_odds)[None, :] - self.intercept) / self.slope
        return np.asarray(a * raw + c - np.log(b / (1 - b)))

    @cached_property
    def _log_mix(self) -> tuple[np.ndarray, np.ndarray]:
        """Bin centres and log(pi r + 1 - pi) per (bin, replicate x grid point)."""
        import numpy as np

        centres = np.arange(-LOGIT_RANGE, LOGIT_RANGE + BIN / 2, BIN)
        grid = np.linspace(0.0, 1.0, GRID)
        r = np.exp(self.replicate_log_ratios(centres))  # (replicates, bins)
        mix = grid[None, :, None] * (r[:, None, :] - 1.0) + 1.0  # (replicates, grid, bins)
        return centres, np.log(mix).transpose(2, 0, 1).reshape(centres.size, -1)


@dataclass(frozen=True)
class Shares:
    """Per sample: the estimated fake share, its interval, and the plain mean of p(fake)."""

    share: np.ndarray
    low: np.ndarray
    high: np.ndarray
    raw: np.ndarray  # classify-and-average: what model v1 reported
    level: float


def estimate_shares(
    p: np.ndarray,
    groups: np.ndarray,
    n_groups: int,
    calibration: Calibration,
    level: float = LEVEL,
    weights: np.ndarray | None = None,
) -> Shares:
    """Fake share of each of ``n_groups`` samples; ``groups[i]`` is follower i's sample (0-based).

    ``p`` are calibrated p(fake) (means over imputations); ``weights`` (default 1) what each
    follower's log-likelihood counts, its information weight (module docstring). A sample without
    followers gets NaN.
    """
    import numpy as np

    p = np.asarray(p, dtype=float)
    groups = np.asarray(groups, dtype=np.intp)
    w = np.ones(p.shape[0]) if weights is None else np.asarray(weights, dtype=float)
    counts = np.bincount(groups, minlength=n_groups).astype(float)
    log_odds = np.clip(_logit(p), -LOGIT_RANGE, LOGIT_RANGE)
    share = _mle(calibration.log_ratios(log_odds), w, groups, n_groups)
    low, high = _hpd(log_odds, w, groups, n_groups, calibration, level)
    empty = counts == 0
    with np.errstate(invalid="ignore", divide="ignore"):
        raw = np.bincount(groups, weights=p, minlength=n_groups) / counts
    share[empty] = low[empty] = high[empty] = np.nan
    return Shares(share, np.minimum(low, share), np.maximum(high, share), raw, level)


def estimate_share(
    p: np.ndarray,
    calibration: Calibration,
    level: float = LEVEL,
    weights: np.ndarray | None = None,
) -> tuple[float, float, float, float]:
    """(share, low, high, raw mean) of one sample."""
    import numpy as np

    s = estimate_shares(p, np.zeros(len(p), dtype=np.intp), 1, calibration, level, weights)
    return float(s.share[0]), float(s.low[0]), float(s.high[0]), float(s.raw[0])


def adjusted(p: np.ndarray, share: float, calibration: Calibration) -> np.ndarray:
    """Each follower's p(fake) at the sample's estimated share instead of the base rate."""
    import numpy as np

    log_odds = np.clip(_logit(np.asarray(p, dtype=float)), -LOGIT_RANGE, LOGIT_RANGE)
    if share <= 0.0 or share >= 1.0:
        return np.full(log_odds.shape, float(share >= 1.0))
    return np.asarray(1.0 / (1.0 + np.exp(-(calibration.log_ratios(log_odds) + _logit(share)))))


def _mle(log_r: np.ndarray, w: np.ndarray, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """argmax of sum w log(pi r + 1 - pi) per group, by bisection on the derivative."""
    import numpy as np

    d = np.expm1(log_r)  # r - 1

    def slope(pi: np.ndarray) -> np.ndarray:
        return np.bincount(groups, weights=w * d / (1.0 + pi[groups] * d), minlength=n_groups)

    at0 = np.bincount(groups, weights=w * d, minlength=n_groups)
    at1 = np.bincount(groups, weights=-w * np.expm1(-log_r), minlength=n_groups)
    lo, hi = np.zeros(n_groups), np.ones(n_groups)
    for _ in range(ITERATIONS):
        mid = (lo + hi) / 2
        up = slope(mid) > 0
        lo = np.where(up, mid, lo)
        hi = np.where(up, hi, mid)
    out = (lo + hi) / 2
    out[at0 <= 0] = 0.0
    out[at1 >= 0] = 1.0
    return np.asarray(out)


def _hpd(
    log_odds: np.ndarray,
    w: np.ndarray,
    groups: np.ndarray,
    n_groups: int,
    calibration: Calibration,
    level: float,
) -> tuple[np.ndarray, np.ndarray]:
    """The highest-posterior-density interval of each group's fake share (module docstring)."""
    import numpy as np

    centres, log_mix = calibration._log_mix
    bins = np.rint((log_odds - centres[0]) / BIN).astype(np.intp)
    cells = np.bincount(groups * centres.size + bins, weights=w, minlength=n_groups * centres.size)
    counts = cells.reshape(n_groups, centres.size).astype(float)
    grid = np.linspace(0.0, 1.0, GRID)
    low, high = np.empty(n_groups), np.empty(n_groups)
    for start in range(0, n_groups, CHUNK):
        part = counts[start : start + CHUNK]
        used = np.flatnonzero(part.any(axis=0))
        loglik = (part[:, used] @ log_mix[used]).reshape(part.shape[0], -1, GRID)
        post = np.exp(loglik - loglik.max(axis=2, keepdims=True))
        post = (post / post.sum(axis=2, keepdims=True)).mean(axis=1)
        order = np.argsort(-post, axis=1, kind="stable")
        mass = np.take_along_axis(post, order, axis=1)
        inside = np.cumsum(mass, axis=1) - mass < level  # the densest points until level is held
        points = grid[order]
        low[start : start + CHUNK] = np.where(inside, points, np.inf).min(axis=1)
        high[start : start + CHUNK] = np.where(inside, points, -np.inf).max(axis=1)
    return low, high


def mean_interval(
    p: np.ndarray,
    information: np.ndarray | None = None,
    draws: np.ndarray | None = None,
    imputed_rows: np.ndarray | None = None,
    level: float = LEVEL,
) -> tuple[float, float, float]:
    """Model v1's estimator: (mean p, low, high) of a Beta with that mean and variance W + (1 +
    1/M) B (Jeffreys posterior from the summed information weights; between-imputation variance)."""
    import numpy as np
    from scipy.stats import beta

    n = p.shape[0]
    s = float(p.sum())
    share = s / n
    n_eff = float(information.sum()) if information is not None else float(n)
    a, b = share * n_eff + 0.5, (1 - share) * n_eff + 0.5
    mean = a / (a + b)
    within = a * b / ((a + b) ** 2 * (a + b + 1))
    between = 0.0
    if draws is not None and imputed_rows is not None and draws.shape[0] > 1:
        others = s - float(p[imputed_rows].sum())
        per_draw = (draws.sum(axis=1) + others) / n
        m = draws.shape[0]
        between = (1 + 1 / m) * float(np.var(per_draw, ddof=1))
    nu = max(mean * (1 - mean) / (within + between) - 1, 1e-3)
    lo, hi = beta.ppf([(1 - level) / 2, (1 + level) / 2], mean * nu, (1 - mean) * nu)
    return share, float(lo), float(hi)


def _logit(p: Any) -> Any:
    import numpy as np

    with np.errstate(divide="ignore"):
        return np.log(p) - np.log1p(-np.asarray(p))


__all__ = [
    "LEVEL",
    "METHOD",
    "Calibration",
    "Shares",
    "adjusted",
    "estimate_share",
    "estimate_shares",
    "mean_interval",
]
