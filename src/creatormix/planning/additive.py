"""The best plan for an additive goal (engagements, revenue, profit, content, followers gained).

Exact 0/1 optimisation with HiGHS, made fast by proving most of the answer before the solver runs:

1. Small problems (a few thousand options) go to HiGHS whole.
2. Otherwise the Lagrangian dual (``planning.lagrangian``) gives an upper bound ``UB`` and a reduced
   cost ``r_j`` for every option; rounding the relaxed plan and filling the rest greedily gives a
   feasible incumbent ``z``. If ``(UB - z) / UB`` is already below the gap asked for, that is the
   answer, with its proof.
3. Otherwise *reduced-cost fixing*: a creator whose every alternative (another deal, or no deal)
   would lose more than ``UB - z`` against the relaxation cannot differ in any plan better than
   ``z``, so it is fixed; HiGHS solves the few creators left, exactly.

The returned gap is always proven: ``bound`` is ``min(UB, max(z, fixed + HiGHS bound))``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from creatormix.planning import highs, lagrangian
from creatormix.planning.problem import Problem, per_creator_max

_TOL = 1e-9


class Infeasible(Exception):
    """No plan satisfies every constraint."""


@dataclass(frozen=True)
class Solution:
    x: np.ndarray  # (m,) bool
    value: float
    bound: float
    method: str
    seconds: float = 0.0
    free: int = 0  # options left to the MILP after fixing

    @property
    def gap(self) -> float:
        if self.bound <= 0 or not np.isfinite(self.bound):
            return 0.0
        return max(0.0, (self.bound - self.value) / abs(self.bound))


def solve(
    p: Problem,
    *,
    rel_gap: float = 1e-4,
    time_limit: float = 20.0,
    exact_limit: int = 300,
    free_limit: int = 5_000,
    whole_limit: int = 60_000,
    threads: int = 1,
) -> Solution:
    """Maximise ``p.value`` over feasible plans; raises ``Infeasible`` when there is none."""
    import time

    t0 = time.perf_counter()
    if p.m == 0:
        if p.must.any():
            raise Infeasible("must-include creators have no option")
        return Solution(np.zeros(0, dtype=bool), 0.0, 0.0, "empty")
    if p.m <= exact_limit:
        return _whole(p, rel_gap, time_limit, threads, t0)
    dual = lagrangian.Dual(p)
    res = lagrangian.minimise(dual, rel_tol=min(1e-7, rel_gap * 1e-2))
    res = polish(p, dual, res, time_limit=time_limit / 4, threads=threads)
    x, z = _incumbent(p, dual, res)
    ub = res.bound
    if x is not None and ub - z <= rel_gap * max(abs(ub), 1e-12):
        return Solution(x, z, ub, "Lagrangian bound + rounding", time.perf_counter() - t0)
    sol = _fix_and_solve(p, res, x, z, ub, rel_gap, time_limit, free_limit, threads, t0)
    remaining = time_limit - (time.perf_counter() - t0)
    if sol.gap > rel_gap and p.m <= whole_limit and remaining > 2.0:
        # the core could not prove it: let HiGHS search the whole model from our best plan
        r = highs.solve(
            p, time_limit=remaining * 0.7, rel_gap=rel_gap * 0.5, start=sol.x, threads=threads
        )
        if r.x is not None:
            value = p.objective(r.x)
            x_best, v_best = (r.x, value) if value > sol.value else (sol.x, sol.value)
            bound = max(min(sol.bound, r.bound), v_best)
            sol = Solution(
                x_best,
                v_best,
                bound,
                sol.method + "; then HiGHS on the whole model",
                time.perf_counter() - t0,
                sol.free,
            )
    if sol.gap > rel_gap and p.m <= 300_000 and time.perf_counter() - t0 < time_limit * 0.8:
        branched = _branch_bound(p, res, time_limit * 0.2)
        if branched < sol.bound:
            sol = Solution(
                sol.x,
                sol.value,
                max(branched, sol.value),
                sol.method + "; bound tightened by branching on the fractional options",
                time.perf_counter() - t0,
                sol.free,
            )
    return sol


def _branch_bound(p: Problem, res: lagrangian.DualResult, time_limit: float) -> float:
    """A tighter bound: the LP bound with each fractional option fixed in or out, maximised.

    The LP relaxation takes part of a few "lumpy" options (at most one per constraint row); the
    optimum either takes each fully or not at all, so the largest of the branch bounds is a bound.
    """
    import itertools
    import time

    t0 = time.perf_counter()
    r = res.reduced
    tol = 1e-7 * np.maximum(np.abs(p.value), 1.0)
    basic = np.flatnonzero(np.abs(r) <= tol)
    if not 0 < len(basic) <= 4:
        return np.inf
    best = -np.inf
    for combo in itertools.product((False, True), repeat=len(basic)):
        if time.perf_counter() - t0 > time_limit:
            return np.inf
        keep = np.ones(p.m, dtype=bool)
        must = p.must.copy()
        for j, inside in zip(basic, combo, strict=True):
            i = p.creator[j]
            if inside:
                keep[p.starts[i] : p.starts[i + 1]] = False
                keep[j] = True
                must[i] = True
            else:
                keep[j] = False
        branch = Problem(p.n_creators, p.creator, p.cost, p.value, p.rows, must)
        sub, _ = branch.restrict(keep)
        # creators with no option left cannot be forced in: the branch is empty
        if sub.n_creators < int(must[np.unique(p.creator[keep])].sum()):
            continue
        if any(
            must[i] and not keep[p.starts[i] : p.starts[i + 1]].any() for i in np.flatnonzero(must)
        ):
            continue
        value = lagrangian.minimise(lagrangian.Dual(sub), rel_tol=1e-9).bound
        best = max(best, value)
    return best if np.isfinite(best) else np.inf


def _whole(p: Problem, rel_gap: float, time_limit: float, threads: int, t0: float) -> Solution:
    import time

    r = highs.solve(p, time_limit=time_limit, rel_gap=rel_gap * 0.5, threads=threads)
    if r.status == "infeasible":
        raise Infeasible("no plan satisfies every constraint")
    if r.x is None:
        raise Infeasible(f"HiGHS found no feasible plan ({r.status})")
    return Solution(
        r.x, p.objective(r.x), r.bound, "exact MILP (HiGHS)", time.perf_counter() - t0, p.m
    )


def _fix_and_solve(
    p: Problem,
    res: lagrangian.DualResult,
    x_inc: np.ndarray | None,
    z_inc: float,
    ub: float,
    rel_gap: float,
    time_limit: float,
    free_limit: int,
    threads: int,
    t0: float,
) -> Solution:
    """Guess a core, solve it exactly, verify the guess; widen the core until the proof holds.

    With threshold ``delta``, creators whose every alternative loses more than ``delta`` against
    the relaxation are fixed to the relaxed choice. Once a plan ``z`` with ``UB - z <= delta`` is
    known, no better plan can differ from the fixed choices, so the core's optimum is the global
    one (the core idea of Balas & Zemel and Pisinger for knapsacks, with Lagrangian reduced costs).
    When the core would grow past ``free_limit`` options or the time runs out, the answer keeps
    the (still proven) LP bound and says so.
    """
    import time

    r = res.reduced
    best, arg = _best_per_creator(p, r)
    flex, relaxed, is_choice = _flexibility(p, r, best, arg)
    loss = best[p.creator] - r
    none_loss = np.where(p.must, np.inf, np.where(relaxed, best, 0.0))
    eps = 1e-9 * max(1.0, abs(ub))
    # an option joins the core once delta reaches both its creator's flexibility and its own loss
    entry = np.maximum(flex[p.creator], loss)
    order = np.sort(entry[np.isfinite(entry)])
    # dropping a creator the relaxation picked is an alternative too (not an option of its own)
    drops = none_loss[relaxed & np.isfinite(none_loss)]
    everything = max(
        float(order[-1]) if len(order) else 0.0, float(drops.max()) if len(drops) else 0.0
    )

    def delta_for(options: int) -> float:
        if not len(order):
            return 0.0
        return float(order[min(len(order) - 1, max(0, options - 1))])

    delta = delta_for(400)
    if np.isfinite(z_inc):
        delta = min(delta, max(ub - z_inc, eps))
    limit_delta = delta_for(free_limit)
    best_x, best_z, bound = x_inc, z_inc, ub
    method = "Lagrangian fixing + exact MILP (HiGHS)"
    free_count = 0
    while True:
        free_creator = flex <= delta + eps
        free_opt = free_creator[p.creator] & (loss <= delta + eps)
        free_count = int(free_opt.sum())
        remaining = time_limit - (time.perf_counter() - t0)
        if remaining < 0.5 and best_x is not None:
            method = "Lagrangian bound + rounding (time limit; gap from the LP bound)"
            break
        fixed_x = is_choice & ~free_creator[p.creator]
        z_core, core_bound, cand = _solve_core(
            p,
            free_opt,
            fixed_x,
            none_loss,
            delta,
            eps,
            best_x,
            rel_gap,
            ub,
            max(0.5, remaining),
            threads,
        )
        if cand is not None and z_core > best_z:
            best_x, best_z = cand, z_core
        whole = delta >= everything - eps  # nothing fixed, nothing pruned: the core is the problem
        if whole or (np.isfinite(best_z) and ub - best_z <= delta + eps):
            bound = min(ub, max(best_z, core_bound))
            break
        if np.isfinite(best_z) and ub - best_z <= rel_gap * max(abs(ub), 1e-12):
            break
        if remaining <= 1.0:
            method = "Lagrangian bound + MILP on the core (time limit; gap from the LP bound)"
            break
        if delta >= limit_delta:
            if free_count >= len(order) and delta < everything:
                delta = everything  # every option is in already: let the drops in too
                continue
            method = "Lagrangian bound + MILP on the core (gap from the LP bound)"
            break
        wanted = max(delta * 4.0, (ub - best_z) if np.isfinite(best_z) else delta * 4.0)
        delta = min(wanted, limit_delta)
    if best_x is None:
        raise Infeasible("no plan satisfies every constraint")
    return Solution(
        best_x, best_z, max(bound, best_z), method, time.perf_counter() - t0, free_count
    )


def _solve_core(
    p: Problem,
    free_opt: np.ndarray,
    fixed_x: np.ndarray,
    none_loss: np.ndarray,
    delta: float,
    eps: float,
    start_x: np.ndarray | None,
    rel_gap: float,
    ub: float,
    time_limit: float,
    threads: int,
) -> tuple[float, float, np.ndarray | None]:
    """Solve the free part with the fixed part's use of every row subtracted."""
    fixed_value = float(p.value[fixed_x].sum())
    if not free_opt.any():
        if p.is_feasible(fixed_x):
            return fixed_value, fixed_value, fixed_x.copy()
        return -np.inf, -np.inf, None
    sub, idx = p.restrict(free_opt)
    sub = _with_residual(sub, p, fixed_x)
    creators = np.unique(p.creator[free_opt])
    must_pick = ~(none_loss[creators] <= delta + eps)
    sub = Problem(sub.n_creators, sub.creator, sub.cost, sub.value, sub.rows, sub.must | must_pick)
    start = start_x[idx] if start_x is not None else None
    span = max(abs(ub - fixed_value), 1e-12)
    gap = min(1e-4, rel_gap * 0.5 * max(abs(ub), 1e-12) / span)
    mr = highs.solve(sub, time_limit=time_limit, rel_gap=gap, start=start, threads=threads)
    if mr.x is None:
        return -np.inf, (-np.inf if mr.status == "infeasible" else ub), None
    cand = fixed_x.copy()
    cand[idx[mr.x]] = True
    value = fixed_value + float(sub.value[mr.x].sum())
    return value, fixed_value + mr.bound, cand


def _min_per_creator(values: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    from creatormix.planning.problem import per_creator_max

    neg, arg = per_creator_max(-values, starts)
    return -neg, arg


def polish(
    p: Problem,
    dual: lagrangian.Dual,
    res: lagrangian.DualResult,
    *,
    core_size: int = 1500,
    time_limit: float = 10.0,
    threads: int = 1,
) -> lagrangian.DualResult:
    """Exact LP multipliers: solve the LP over the creators whose choice is still ambiguous.

    Cutting planes give a near-optimal bound quickly but imprecise multipliers, and imprecise
    multipliers put the relaxed plan on the wrong side of a constraint. HiGHS solves the LP over
    the creators whose relaxed choice could flip (every other creator fixed as relaxed); its row
    duals are the LP's exact multipliers if no fixed creator would now choose differently. If some
    would, they join the core and the LP runs again.
    """
    import time

    t0 = time.perf_counter()
    r = res.reduced
    best, arg = _best_per_creator(p, r)
    flex, relaxed, is_choice = _flexibility(p, r, best, arg)
    order = np.sort(flex[np.isfinite(flex)])
    eps = float(order[min(len(order) - 1, core_size)]) if len(order) else 0.0
    amb = flex <= eps
    out = res
    for _ in range(8):
        if time.perf_counter() - t0 > time_limit:
            break
        fixed_x = is_choice & ~amb[p.creator]
        core = amb[p.creator]
        if not core.any():
            break
        sub, _idx = p.restrict(core)
        sub = _with_residual(sub, p, fixed_x)
        lp = highs.solve(sub, integer=False, time_limit=time_limit, threads=threads)
        if lp.status == "infeasible" or lp.row_dual is None:
            amb = flex <= max(eps * 4, float(order[min(len(order) - 1, 4 * core_size)]))
            eps *= 4
            continue
        y = _duals_to_multipliers(dual, lp.row_dual)
        if y is None:
            break
        value, _, r_new, x_new = dual.evaluate(y)
        if value < out.bound:
            out = lagrangian.DualResult(value, y, r_new, x_new, res.iterations, res.lower)
        best_n, arg_n = _best_per_creator(p, r_new)
        _, relaxed_n, is_choice_n = _flexibility(p, r_new, best_n, arg_n)
        moved = (relaxed_n != relaxed) | (
            np.bincount(p.creator[is_choice_n != is_choice], minlength=p.n_creators) > 0
        )
        moved &= ~amb
        if not moved.any():
            return lagrangian.DualResult(value, y, r_new, x_new, res.iterations, res.lower)
        amb |= moved
    return out


def _duals_to_multipliers(dual: lagrangian.Dual, row_dual: np.ndarray) -> np.ndarray | None:
    """Map HiGHS row duals onto the ``G x <= h`` multipliers; keep the sign that bounds tighter."""
    best_y, best_val = None, np.inf
    for sign in (1.0, -1.0):
        y = np.zeros(len(dual.h))
        for k, row in enumerate(dual.origin):
            d = sign * row_dual[row]
            y[k] = max(0.0, d) if k < dual.n_up else max(0.0, -d)
        value = dual.evaluate(y)[0]
        if value < best_val:
            best_y, best_val = y, value
    return best_y


def _flexibility(
    p: Problem, r: np.ndarray, best: np.ndarray, arg: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per creator, the least it loses by differing from its relaxed choice; the choices themselves."""
    loss = best[p.creator] - r
    relaxed = np.zeros(p.n_creators, dtype=bool)
    relaxed[(arg >= 0) & ((best > 0) | p.must)] = True
    is_choice = np.zeros(p.m, dtype=bool)
    is_choice[arg[relaxed]] = True
    flex, _ = _min_per_creator(np.where(is_choice, np.inf, loss), p.starts)
    none_loss = np.where(p.must, np.inf, np.where(relaxed, best, np.inf))
    return np.minimum(flex, none_loss), relaxed, is_choice


def _best_per_creator(p: Problem, r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    from creatormix.planning.problem import per_creator_max

    best, arg = per_creator_max(r, p.starts)
    best = np.where(p.must, best, np.maximum(best, 0.0))
    best = np.where(np.isfinite(best), best, 0.0)
    return best, arg


def _with_residual(sub: Problem, full: Problem, fixed_x: np.ndarray) -> Problem:
    from creatormix.planning.problem import Rows

    used = full.rows.A @ fixed_x.astype(float)
    rows = Rows(
        sub.rows.A, full.rows.lo - used, full.rows.hi - used, full.rows.names, full.rows.groups
    )
    return sub.with_rows(rows)


def _incumbent(
    p: Problem, dual: lagrangian.Dual, res: lagrangian.DualResult
) -> tuple[np.ndarray | None, float]:
    """The better of rounding the relaxed plan down and rounding its basic options up."""
    r = res.reduced
    tol = 1e-7 * np.maximum(np.abs(p.value), 1.0)
    basic = ~res.lagrangian_x & (r > -tol)
    if basic.any():
        # at most one option per creator: keep the relaxed choice where there is one
        taken = np.zeros(p.n_creators, dtype=bool)
        taken[p.creator[res.lagrangian_x]] = True
        basic &= ~taken[p.creator]
    best: tuple[np.ndarray | None, float] = (None, -np.inf)
    for start, keep in ((res.lagrangian_x, None), (res.lagrangian_x | basic, basic)):
        x = round_and_fill(p, dual, r, start, protect=keep)
        if x is not None and p.is_feasible(x):
            z = p.objective(x)
            if z > best[1]:
                best = (x, z)
    return best


def round_and_fill(
    p: Problem,
    dual: lagrangian.Dual,
    r: np.ndarray,
    x_relaxed: np.ndarray,
    *,
    fill_limit: int = 50_000,
    protect: np.ndarray | None = None,
) -> np.ndarray | None:
    """A feasible plan near the relaxed one: repair broken rows, then fill by reduced cost.

    Returns None when the repair fails (the caller then leaves feasibility to HiGHS).
    """
    G = dual.G.tocsr()
    Gc = dual.G.tocsc()
    h = dual.h
    x = x_relaxed.copy()
    scale = np.maximum(1.0, np.abs(h))
    slack = h - G @ x.astype(float)
    chosen_creator = np.zeros(p.n_creators, dtype=bool)
    chosen_creator[p.creator[x]] = True
    for _ in range(100):
        bad = slack < -1e-9 * scale
        if not bad.any():
            break
        k = int(np.argmin(slack / scale))
        need = -slack[k]
        lo, hi = G.indptr[k], G.indptr[k + 1]
        cols, coef = G.indices[lo:hi], G.data[lo:hi]
        # drop chosen options that load the row, cheapest loss per unit first
        drop = x[cols] & (coef > 0) & ~p.must[p.creator[cols]]
        if protect is not None:
            drop &= ~protect[cols]
        if drop.any():
            c, a = cols[drop], coef[drop]
            order = np.argsort(np.maximum(r[c], 0.0) / a)
            cum = np.cumsum(a[order])
            cut = int(np.searchsorted(cum, need - 1e-12)) + 1
            gone = c[order[:cut]]
            x[gone] = False
            chosen_creator[p.creator[gone]] = False
            slack += G[:, gone].sum(axis=1).A.ravel()
            continue
        # or add options that relieve it (a lower bound such as a minimum tier share)
        add = ~x[cols] & (coef < 0) & ~chosen_creator[p.creator[cols]]
        if not add.any():
            return None
        c, a = cols[add], -coef[add]
        order = np.argsort(np.maximum(-r[c], 0.0) / a)
        for j in c[order]:
            if chosen_creator[p.creator[j]]:
                continue
            x[j] = True
            chosen_creator[p.creator[j]] = True
            idx, val = lagrangian.sparse_column(Gc, int(j))
            slack[idx] -= val
            if slack[k] >= -1e-9 * scale[k]:
                break
    if (slack < -1e-9 * scale).any():
        return None
    # fill: unchosen creators' best option, least negative reduced cost first
    best_r, arg = per_creator_max(r / np.maximum(p.cost, 1e-9), p.starts)
    free = np.flatnonzero(~chosen_creator & (arg >= 0) & (p.value[np.maximum(arg, 0)] > 0))
    if len(free) > fill_limit:
        free = free[np.argpartition(-best_r[free], fill_limit)[:fill_limit]]
    order = free[np.argsort(-best_r[free])]
    cheapest = float(p.cost[p.cost > 0].min()) if (p.cost > 0).any() else 0.0
    budget_rows = [k for k, row in enumerate(dual.origin) if p.rows.groups[row] == "budget"]
    for _ in range(3):
        added = 0
        for i in order:
            if chosen_creator[i]:
                continue
            j = int(arg[i])
            if p.value[j] <= 0:
                continue
            idx, val = lagrangian.sparse_column(Gc, j)
            if np.all(slack[idx] - val >= -1e-9 * scale[idx]):
                x[j] = True
                chosen_creator[i] = True
                slack[idx] -= val
                added += 1
                if budget_rows and all(slack[b] < cheapest for b in budget_rows):
                    return x
        if not added:
            break
    return x
