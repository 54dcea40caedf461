"""Credible intervals of Beta posteriors, vectorised."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt


def beta_interval(
    alpha: npt.ArrayLike, beta: npt.ArrayLike, level: float = 0.9
) -> tuple[np.ndarray, np.ndarray]:
    """Central ``level`` interval of Beta(alpha, beta); NaN where a parameter is missing or not positive."""
    import numpy as np
    from scipy.stats import beta as beta_dist

    a = np.asarray(alpha, dtype=float)
    b = np.asarray(beta, dtype=float)
    ok = np.isfinite(a) & np.isfinite(b) & (a > 0) & (b > 0)
    tail = (1.0 - level) / 2.0
    low = np.full(a.shape, np.nan)
    high = np.full(a.shape, np.nan)
    low[ok] = beta_dist.ppf(tail, a[ok], b[ok])
    high[ok] = beta_dist.ppf(1.0 - tail, a[ok], b[ok])
    return low, high
