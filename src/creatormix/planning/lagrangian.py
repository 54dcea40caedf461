"""Upper bounds by Lagrangian relaxation, and the multipliers that make them tight.

For ``max v.x`` subject to the rows ``G x <= h`` (every finite side of ``lo <= A x <= hi``) and "at
most one option per creator" (exactly one for must-include creators), any multipliers ``y >= 0``
give the bound

    UB(y) = y.h + sum over creators of max(0, max over its options of r_j),   r = v - G^T y

(must-include creators take their best option even when it is negative). ``UB`` is convex and
piecewise linear in ``y``; we minimise it with a stabilised cutting-plane method (Kelley's method
with a trust region): every evaluation is a vectorised pass over the options, and the master
problem is a tiny LP in ``len(y) + 1`` variables. At the minimum, ``UB`` equals the optimum of the
LP relaxation. The reduced costs ``r`` then price every option: the optimiser fixes the options
whose reduced cost proves they cannot change in any better plan, and hands the rest to HiGHS.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from creatormix.planning import highs
from creatormix.planning.problem import Problem, per_creator_max

if TYPE_CHECKING:
    import scipy.sparse as sp


@dataclass(frozen=True)
class DualResult:
    bound: float  # min over the evaluated y of UB(y): a valid upper bound
    y: np.ndarray  # the multipliers attaining it (over the rows of ``G``)
    reduced: np.ndarray  # r = v - G^T y at those multipliers
    lagrangian_x: np.ndarray  # (m,) bool: the options the relaxation picks at y
    iterations: int
    lower: float  # the cutting-plane model's lower estimate of min UB (convergence measure)


class Dual:
    """The Lagrangian function of one problem, evaluated fast."""

    def __init__(self, problem: Problem, values: np.ndarray | None = None) -> None:
        self.p = problem
        self.v = problem.value if values is None else values
        self.G, self.h, self.origin = problem.rows.as_upper()
        self.n_up = int(np.isfinite(problem.rows.hi).sum())  # the first n_up rows of G are "<= hi"
        self.GT = self.G.T.tocsr()
        self.has = problem.starts[1:] > problem.starts[:-1]
        # one option per creator, in creator order: reductions per creator are the identity
        self.simple = problem.m == problem.n_creators and bool(self.has.all())

    def evaluate(self, y: np.ndarray) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
        """(UB(y), subgradient, reduced costs, options picked by the relaxation)."""
        r = self.v - self.GT @ y if len(y) else self.v.astype(float, copy=True)
        if self.simple:
            x = (r > 0) | self.p.must
            value = float(r[x].sum()) + float(y @ self.h)
        else:
            best, arg = per_creator_max(r, self.p.starts)
            take = self.has & ((best > 0) | self.p.must)
            x = np.zeros(self.p.m, dtype=bool)
            x[arg[take]] = True
            value = float(best[take].sum()) + float(y @ self.h)
        sub = self.h - self.G @ x.astype(float) if len(y) else np.zeros(0)
        return value, sub, r, x


def _initial(dual: Dual) -> np.ndarray:
    """A starting point: the price of the budget row at which greedy-by-ratio fills the budget."""
    y = np.zeros(len(dual.h))
    p = dual.p
    for k, row in enumerate(dual.origin):
        if p.rows.groups[row] == "budget" and np.isfinite(p.rows.hi[row]):
            budget = p.rows.hi[row]
            cost = np.maximum(p.cost, 1e-9)
            ratio = dual.v / cost
            order = np.argsort(-ratio)
            filled = np.cumsum(cost[order])
            cut = int(np.searchsorted(filled, budget))
            if cut < len(order):
                y[k] = max(0.0, float(ratio[order[cut]]))
            break
    return y


def _scales(dual: Dual) -> np.ndarray:
    """A typical size for each multiplier: the median |value / coefficient| over the row's options."""
    G = dual.G.tocsr()
    out = np.ones(G.shape[0])
    v = np.abs(dual.v)
    for k in range(G.shape[0]):
        lo, hi = G.indptr[k], G.indptr[k + 1]
        coef = np.abs(G.data[lo:hi])
        ok = coef > 0
        if ok.any():
            out[k] = max(1e-12, float(np.median(v[G.indices[lo:hi]][ok] / coef[ok])))
    return out


class _Master:
    """The cutting-plane master LP ``min theta s.t. theta >= g_i + s_i.(y - y_i)``, kept warm in HiGHS."""

    def __init__(self, k: int) -> None:
        import highspy

        self.k = k
        self.h = highs.new()
        self.inf = highspy.kHighsInf
        lp = highspy.HighsLp()
        lp.num_col_ = k + 1
        lp.num_row_ = 0
        lp.col_cost_ = np.r_[np.zeros(k), 1.0]
        lp.col_lower_ = np.r_[np.zeros(k), -self.inf]
        lp.col_upper_ = np.r_[np.full(k, self.inf), self.inf]
        self.h.passModel(lp)
        self.cols = np.arange(k + 1, dtype=np.int32)

    def add_cut(self, y: np.ndarray, value: float, sub: np.ndarray) -> None:
        # s.y - theta <= s.y_i - g_i
        coef = np.r_[sub, -1.0]
        self.h.addRow(-self.inf, float(sub @ y - value), len(coef), self.cols, coef)

    def solve(self, lower: np.ndarray, upper: np.ndarray) -> tuple[np.ndarray, float] | None:
        import highspy

        lo = np.r_[lower, -self.inf]
        hi = np.r_[upper, self.inf]
        self.h.changeColsBounds(self.k + 1, self.cols, lo, hi)
        self.h.run()
        if self.h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        x = np.asarray(self.h.getSolution().col_value)
        return x[: self.k], float(x[self.k])


def minimise(
    dual: Dual, *, rel_tol: float = 1e-9, max_iter: int = 200, y0: np.ndarray | None = None
) -> DualResult:
    """Minimise UB(y) over y >= 0 by a trust-region cutting-plane method."""
    k = len(dual.h)
    y = _initial(dual) if y0 is None else np.maximum(y0, 0.0)
    value, sub, r, x = dual.evaluate(y)
    best = (value, y.copy(), r, x)
    if k == 0:
        return DualResult(value, y, r, x, 1, value)
    master = _Master(k)
    master.add_cut(y, value, sub)
    scale = np.maximum(np.abs(y), _scales(dual))
    delta = scale.copy()
    lower = -np.inf
    it = 1
    for step in range(1, max_iter + 1):
        it = step
        center = best[1]
        solved = master.solve(np.maximum(0.0, center - delta), center + delta)
        if solved is None:
            break
        y, model = solved
        y = np.maximum(y, 0.0)
        value, sub, r, x = dual.evaluate(y)
        master.add_cut(y, value, sub)
        at_edge = bool(np.any(np.isclose(np.abs(y - center), delta, rtol=1e-6) & (delta > 0)))
        if not at_edge:
            lower = max(lower, model)
        if value < best[0] - 1e-12 * abs(best[0]):
            best = (value, y.copy(), r, x)
            if at_edge:
                delta = delta * 2.0
        else:
            delta = delta * 0.5
        if not at_edge and best[0] - model <= rel_tol * max(1.0, abs(best[0])):
            lower = model
            break
        if np.all(delta < 1e-12 * scale):
            break
    return DualResult(best[0], best[1], best[2], best[3], it, lower)


def bound(problem: Problem, values: np.ndarray, *, rel_tol: float = 1e-7) -> float:
    """The best Lagrangian upper bound on ``max values.x`` under the problem's constraints."""
    return minimise(Dual(problem, values), rel_tol=rel_tol).bound


def sparse_column(G: sp.csc_matrix, j: int) -> tuple[np.ndarray, np.ndarray]:
    """Row indices and values of column ``j`` of a CSC matrix (no copy of the matrix)."""
    lo, hi = G.indptr[j], G.indptr[j + 1]
    return G.indices[lo:hi], G.data[lo:hi]
