"""Upper bounds on unique reach from the dual of its relaxation: valid at every iterate, fast.

An option ``j`` (a creator with a deal) reaches each element ``u`` of its creator's audience
with probability ``p_j`` (``p = 1`` for the audience objective with a sure deal; the reach rate
for views). A plan's value is ``sum_u w_u (1 - prod_{j in X, u in S_j} (1 - p_j))``. For 0/1
``x`` the product is ``exp(-sum_j b_j x_j)`` with ``b_j = -ln(1 - p_j)``, and it is also at most
the union bound ``sum_j p_j x_j``, so each element's value is at most the concave

    g_u(x) = min(sum_j p_j x_j, 1 - exp(-sum_j b_j x_j)),

and maximising ``sum_u w_u g_u(x)`` over the relaxed plans (``x`` in [0, 1], every linear rule of
the brief) bounds every plan. With ``p = 1`` it is the LP relaxation of the budgeted maximum
coverage MILP (``z_u <= min(1, sum x)``); with reach rates it is tighter than the union-bound
LP ``sum_u min(1, sum_j p_j x_j)``.

Instead of solving that program we bound it through its dual. For any ``theta_u, beta_u`` in
[0, 1], concavity gives

    g_u(x) <= theta_u sum_j p_j x_j + (1 - theta_u) (g*(beta_u) + beta_u sum_j b_j x_j),
    g*(beta) = sup_s (1 - e^-s - beta s) = 1 - beta + beta ln beta,

which is linear in ``x``; the best relaxed plan for those linear values is a fractional
knapsack (budget only) or the Lagrangian bound of ``planning.lagrangian`` (any rules), so

    UB(theta, beta) = sum_u w_u (1 - theta_u) g*(beta_u) + additive bound of the option values
                      v_j = private_j + p_j sum_{u in S_j} w_u theta_u
                                      + b_j sum_{u in S_j} w_u (1 - theta_u) beta_u

is an upper bound for **every** ``theta, beta``: the method can stop at any moment and what it
states is proven. We minimise ``UB`` by projected subgradient steps with Polyak's step length
(the best plan found is the target), starting at the plan's own tangent point (where ``UB`` is
the submodularity bound ``f(S) + max sum of marginal gains``). With one sure deal per creator
the minimum is exactly the LP bound of the coverage MILP.

Large audiences (millions of follower hashes) are handled by fitting the multipliers on a
uniform sample of the elements, carrying them to every element by the sample's relation between
an element's multiplier and how much of it the relaxed plan covers, and finishing with a few
steps on all elements: the sample steers the search, the stated bound is still evaluated on the
whole audience, so no sampling error enters it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from creatormix.planning import lagrangian
from creatormix.planning.problem import Problem

if TYPE_CHECKING:
    import scipy.sparse as sp

    from creatormix.planning.coverage import CoverageModel

_SURE = 1.0 - 1e-12  # a probability this close to 1 is a sure reach
_B_MAX = -float(np.log1p(-_SURE))  # b of a sure reach (the bound adds the 1e-12 it gives away)
SAMPLE_ENTRIES = 1_200_000  # above this many (creator, element) entries, fit on a sample


@dataclass(frozen=True)
class DualBound:
    value: float  # a proven upper bound on the best plan's unique reach (+ private values)
    iterations: int
    sampled: float | None  # share of the elements the multipliers were fitted on (None: all)
    seconds: float
    relaxed: np.ndarray | None = None  # (m,) the relaxation's plan, averaged over the steps


class _Terms:
    """The bound's pieces for one set of elements (all of them, or a sample)."""

    def __init__(
        self,
        M: sp.csr_matrix,
        w: np.ndarray,
        creators: np.ndarray,
    ) -> None:
        self.M = M  # (creators with options) x elements, 0/1
        self.MT = M.T.tocsr()
        self.w = w
        self.creators = creators  # creator index of each row of M

    def spread(self, per_row: np.ndarray) -> np.ndarray:
        """sum over the rows covering each element of ``per_row`` (sparse in practice)."""
        from creatormix.planning.coverage import ragged

        nz = np.flatnonzero(per_row)
        n_el = self.M.shape[1]
        if not len(nz):
            return np.zeros(n_el)
        if 8 * len(nz) > len(per_row):
            return np.asarray(self.MT @ per_row)
        ptr = self.M.indptr
        counts = ptr[nz + 1] - ptr[nz]
        cols = self.M.indices[ragged(ptr[nz], counts)]
        return np.bincount(cols, weights=np.repeat(per_row[nz], counts), minlength=n_el)


def _gstar(beta: np.ndarray) -> np.ndarray:
    """g*(beta) = 1 - beta + beta ln beta (with 0 ln 0 = 0)."""
    safe = np.maximum(beta, 1e-300)
    return np.asarray(1.0 - beta + np.where(beta > 0, beta * np.log(safe), 0.0))


class _Additive:
    """The additive part of UB: the best relaxed plan for linear option values."""

    def __init__(self, p: Problem) -> None:
        self.p = p
        G, h, _ = p.rows.as_upper()
        counts = np.diff(p.starts)
        self.simple = (
            len(h) == 1
            and bool((G.data >= 0).all())
            and bool((counts <= 1).all())
            and not p.must.any()
        )
        if self.simple:
            self.cost = np.asarray(G.toarray()).ravel()
            self.budget = float(h[0])
        else:
            self.dual = lagrangian.Dual(p, np.zeros(p.m))
            self.rho = np.zeros(len(h))
            self.calls = 0

    def best(self, v: np.ndarray) -> tuple[float, np.ndarray]:
        """(bound on max v.x, a maximiser x as option weights in [0, 1])."""
        if self.simple:
            return _fractional_knapsack(v, self.cost, self.budget)
        self.dual.v = v
        if self.calls % 25 == 0:  # refit the rule multipliers now and then, warm
            res = lagrangian.minimise(self.dual, rel_tol=1e-6, max_iter=40, y0=self.rho)
            self.rho = res.y
        self.calls += 1
        value, _, _, x = self.dual.evaluate(self.rho)
        return value, x.astype(float)

    def exact(self, v: np.ndarray) -> float:
        """The tightest additive bound at these values (the rule multipliers re-optimised)."""
        if self.simple:
            return _fractional_knapsack(v, self.cost, self.budget)[0]
        self.dual.v = v
        return lagrangian.minimise(self.dual, rel_tol=1e-8, y0=self.rho).bound


def _fractional_knapsack(
    v: np.ndarray, cost: np.ndarray, budget: float
) -> tuple[float, np.ndarray]:
    x = np.zeros(len(v))
    pos = np.flatnonzero(v > 0)
    if not len(pos):
        return 0.0, x
    free = pos[cost[pos] <= 0]
    x[free] = 1.0
    paid = pos[cost[pos] > 0]
    order = paid[np.argsort(-v[paid] / cost[paid], kind="stable")]
    spent = np.cumsum(cost[order])
    k = int(np.searchsorted(spent, budget, side="right"))
    x[order[:k]] = 1.0
    if k < len(order):
        x[order[k]] = max(0.0, budget - (spent[k - 1] if k else 0.0)) / cost[order[k]]
    return float(v @ x), x


def dual_bound(
    model: CoverageModel,
    p: Problem,
    scale: np.ndarray,
    private: np.ndarray,
    *,
    floor: float,
    live: np.ndarray | None = None,
    time_limit: float = 1.0,
    max_iter: int = 200,
    sample_entries: int = SAMPLE_ENTRIES,
) -> DualBound:
    """A proven upper bound on the best plan's value (see the module docstring).

    ``floor``: the best plan's value (the step target; the bound is never stated below it by
    the caller); ``live``: that plan's chance of missing each element, the starting point.
    """
    import scipy.sparse as sp

    t0 = time.perf_counter()
    creators = np.unique(p.creator)
    counts = np.diff(model.indptr)[creators]
    starts = model.indptr[creators]
    entries = int(counts.sum())
    row_of = np.full(model.n_creators, -1, dtype=np.int64)
    row_of[creators] = np.arange(len(creators))
    opt_row = row_of[p.creator]
    pj = np.clip(scale * model.q[p.creator], 0.0, 1.0)
    sure = pj >= _SURE
    bj = np.where(sure, _B_MAX, -np.log1p(-np.minimum(pj, _SURE)))
    if entries == 0:
        add = _Additive(p)
        v0 = private.astype(float)
        return DualBound(add.exact(v0), 0, None, time.perf_counter() - t0)
    offs = np.arange(entries) - np.repeat(np.cumsum(counts) - counts, counts)
    el_all = model.elem[np.repeat(starts, counts) + offs]
    used, el = np.unique(el_all, return_inverse=True)
    rows_idx = np.repeat(np.arange(len(creators)), counts)
    w_all = model.weight[used]
    n_el = len(used)
    full = sp.csr_matrix((np.ones(entries), (rows_idx, el)), shape=(len(creators), n_el))
    full.sum_duplicates()
    full.data[:] = 1.0
    # elements reached only by sure options: the exponential part is idle there (beta = 0)
    uncertain_row = np.zeros(len(creators))
    np.maximum.at(uncertain_row, opt_row, (~sure).astype(float))
    terms_full = _Terms(full, w_all, creators)
    det = terms_full.spread(uncertain_row) == 0
    live_el = np.ones(n_el) if live is None else np.asarray(live)[used]
    theta0 = np.where(det, live_el, 0.0)
    beta0 = np.where(det, 0.0, live_el)
    add = _Additive(p)
    slack = 1e-12 * float(w_all.sum())  # what b of a sure reach gives away

    def run(
        terms: _Terms, theta: np.ndarray, beta: np.ndarray, iters: int, deadline: float
    ) -> tuple[float, np.ndarray, np.ndarray, np.ndarray, int]:
        """Projected subgradient steps; (best UB, its theta, beta, mean relaxed plan, steps)."""
        w = terms.w
        det_t = terms.spread(uncertain_row) == 0
        exp_part = not det_t.all()  # some element is reached by an unsure option
        best = (np.inf, theta, beta)
        x_sum = np.zeros(p.m)
        x_weight = 0.0
        step_scale, stall, it = 1.0, 0, 0
        for it in range(1, iters + 1):
            A = terms.M @ (w * theta)
            v = private + pj * A[opt_row]
            const = float((w * (1.0 - theta)).sum())
            if exp_part:
                B = terms.M @ (w * (1.0 - theta) * beta)
                v = v + bj * B[opt_row]
                const = float((w * (1.0 - theta) * _gstar(beta)).sum())
            extra, x = add.best(v)
            value = const + extra + slack
            if it > iters // 3:  # the relaxed plans of the later steps, averaged (primal recovery)
                x_sum += x
                x_weight += 1.0
            if value < best[0] - 1e-12 * abs(value):
                best, stall = (value, theta.copy(), beta.copy()), 0
            else:
                stall += 1
                if stall >= 8:
                    step_scale *= 0.6
                    stall = 0
                    theta, beta = best[1].copy(), best[2].copy()
                    continue
            if value <= floor * (1 + 1e-9) or step_scale < 1e-3:
                break
            if time.perf_counter() > deadline:
                break
            per_p = np.bincount(opt_row, weights=pj * x, minlength=len(creators))
            sp_u = terms.spread(per_p)
            g_theta = w * (sp_u - 1.0)
            if exp_part:
                per_b = np.bincount(opt_row, weights=bj * x, minlength=len(creators))
                sb_u = terms.spread(per_b)
                g_theta = w * (sp_u - _gstar(beta) - beta * sb_u)
                log_beta = np.log(np.maximum(beta, 1e-12))
                g_beta = np.where(det_t, 0.0, w * (1.0 - theta) * (log_beta + sb_u))
                g_beta[(beta <= 1e-12) & (g_beta > 0)] = 0.0
                g_beta[(beta >= 1) & (g_beta < 0)] = 0.0
            g_theta[(theta <= 0) & (g_theta > 0)] = 0.0
            g_theta[(theta >= 1) & (g_theta < 0)] = 0.0
            norm = float(g_theta @ g_theta) + (float(g_beta @ g_beta) if exp_part else 0.0)
            if norm <= 0:
                break
            step = step_scale * (value - floor) / norm
            theta = np.clip(theta - step * g_theta, 0.0, 1.0)
            if exp_part:
                beta = np.clip(beta - step * g_beta, 1e-12, 1.0)
                beta[det_t] = 0.0
        mean_x = x_sum / x_weight if x_weight else np.zeros(p.m)
        return best[0], best[1], best[2], mean_x, it

    deadline = t0 + time_limit
    iterations = 0
    sampled: float | None = None
    theta, beta = theta0, beta0
    if entries > sample_entries:
        rate = sample_entries / entries
        rng = np.random.default_rng(0)
        heavy = w_all > 20 * np.median(w_all)  # pools of the overlap model: always kept
        keep = heavy | (rng.random(n_el) < rate)
        cols = np.flatnonzero(keep)
        w_s = np.where(heavy[cols], w_all[cols], w_all[cols] / rate)
        terms_s = _Terms(full[:, cols].tocsr(), w_s, creators)
        sample_deadline = t0 + 0.75 * time_limit
        _, th_s, be_s, x_s, it_s = run(
            terms_s, theta0[cols], beta0[cols], max_iter, sample_deadline
        )
        iterations += it_s
        sampled = float(len(cols)) / n_el
        per_p = np.bincount(opt_row, weights=pj * x_s, minlength=len(creators))
        per_b = np.bincount(opt_row, weights=bj * x_s, minlength=len(creators))
        theta = _carry(terms_full.spread(per_p), cols, th_s)
        beta = np.where(det, 0.0, _carry(terms_full.spread(per_b), cols, be_s))
        theta[cols], beta[cols] = th_s, be_s
        value, theta, beta, _, it_f = run(terms_full, theta, beta, 12, deadline)
        iterations += it_f
        relaxed = x_s
    else:
        value, theta, beta, relaxed, iterations = run(terms_full, theta0, beta0, max_iter, deadline)
    # the tightest additive part at the best multipliers (rules re-optimised exactly)
    if not add.simple:
        A = terms_full.M @ (w_all * theta)
        B = terms_full.M @ (w_all * (1.0 - theta) * beta)
        v = private + pj * A[opt_row] + bj * B[opt_row]
        exact = float((w_all * (1.0 - theta) * _gstar(beta)).sum()) + add.exact(v) + slack
        value = min(value, exact)
    return DualBound(value, iterations, sampled, time.perf_counter() - t0, relaxed)


def _carry(s_all: np.ndarray, cols: np.ndarray, fitted: np.ndarray, bins: int = 64) -> np.ndarray:
    """Multipliers for every element from the sample's: the mean fitted value among sampled
    elements the relaxed plan covers about as much (quantile bins of ``s``)."""
    s_sample = s_all[cols]
    edges = np.unique(np.quantile(s_sample, np.linspace(0, 1, bins + 1)))
    if len(edges) < 2:
        return np.full(len(s_all), float(fitted.mean()) if len(fitted) else 1.0)
    which = np.clip(np.searchsorted(edges, s_sample, side="right") - 1, 0, len(edges) - 2)
    sums = np.bincount(which, weights=fitted, minlength=len(edges) - 1)
    counts = np.bincount(which, minlength=len(edges) - 1)
    means = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
    # empty bins take their nearest filled neighbour's value
    filled = np.flatnonzero(counts > 0)
    means = means[
        filled[np.clip(np.searchsorted(filled, np.arange(len(means))), 0, len(filled) - 1)]
    ]
    every = np.clip(np.searchsorted(edges, s_all, side="right") - 1, 0, len(edges) - 2)
    return np.asarray(means[every])
