"""Unique reach: budgeted maximum coverage of audiences that overlap.

The audience is a set of *elements* with weights (people, or sketch entries that stand for 1/theta
people each, or whole niche x country pools for the overlap model). Creator ``i`` reaches each of
its elements with probability ``q_i`` if it posts, and posts with the probability ``s_j`` of the
deal ``j`` chosen for it. The expected number of distinct people reached is

    f(X) = sum_e w_e * (1 - prod over chosen j with e in S_i(j) of (1 - s_j q_i)) + sum_j private_j

(``private_j`` carries additive parts of a mixed goal). ``f`` is monotone and submodular, which
is what the guarantees below need. It is never a sum of follower counts.

The optimiser: lazy greedy by marginal gain per unit of cost (Minoux's accelerated greedy, as in
Leskovec et al.'s CELF), started from each of a few strong single creators as seeds (partial
enumeration, after Khuller, Moss and Naor), then local improvement by swapping out weak picks. The
plan's optimality ratio comes from a computed upper bound: for any plan S and the best plan OPT,
``f(OPT) <= f(S) + max over feasible T of sum_{j in T} gain_j(S)`` by submodularity, and the max is
bounded by its Lagrangian/LP relaxation under every constraint of the brief. A second bound is
often far tighter when the plan's audiences barely overlap: ``f(X) <= sum_{j in X} f({j})``, so
the best plan for the standalone values, an additive problem solved exactly (``planning.additive``)
under the same rules, bounds ``f(OPT)``; that plan also seeds the search. The smaller bound is stated.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np

from creatormix.planning import additive, lagrangian
from creatormix.planning.problem import Problem

_CERTAIN = 1.0 - 1e-12


@dataclass(frozen=True)
class CoverageModel:
    """Which elements each creator reaches (CSR by creator), element weights, reach probabilities."""

    indptr: np.ndarray  # (n_creators + 1,)
    elem: np.ndarray  # (nnz,) element ids
    weight: np.ndarray  # (n_elements,)
    q: np.ndarray  # (n_creators,) probability a post reaches each of the creator's elements
    source: str = "explicit"  # "explicit", "sketch", "pool model", "mixed"
    # (n_elements,) log-sd of the size of elements that are estimated pools (0 elsewhere): a
    # pool of size N reached by q_i scales to k N reached by q_i / k in a Monte Carlo scenario
    size_sd: np.ndarray | None = None

    @property
    def n_creators(self) -> int:
        return len(self.indptr) - 1

    @property
    def uniform_weight(self) -> float | None:
        """The common weight of every element when there is one (sketches), else None."""
        cached = self.__dict__.get("_uniform")
        if cached is None:
            w = self.weight
            cached = (float(w[0]),) if len(w) and np.all(w == w[0]) else (None,)
            object.__setattr__(self, "_uniform", cached)
        return cached[0]

    def standalone(self) -> np.ndarray:
        """Expected people reached by each creator alone (if it posts)."""
        w = self.weight[self.elem]
        sums = _segment_sum(w, self.indptr)
        return np.asarray(sums * self.q)

    def by_element(self) -> tuple[np.ndarray, np.ndarray]:
        """The transpose, cached: (pointer per element, creators of each element's entries)."""
        cached = self.__dict__.get("_by_element")
        if cached is None:
            owner = np.repeat(np.arange(self.n_creators), np.diff(self.indptr))
            order = np.argsort(self.elem, kind="stable")
            counts = np.bincount(self.elem, minlength=len(self.weight))
            cached = (np.concatenate([[0], np.cumsum(counts)]), owner[order])
            object.__setattr__(self, "_by_element", cached)
        return cached


def ragged(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The indices ``starts[k] .. starts[k] + counts[k] - 1`` of every range, concatenated."""
    total = int(counts.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(starts - np.concatenate([[0], np.cumsum(counts)[:-1]]), counts)
    return np.asarray(offsets + np.arange(total), dtype=np.int64)


def _segment_sum(values: np.ndarray, indptr: np.ndarray) -> np.ndarray:
    out = np.zeros(len(indptr) - 1)
    nonempty = indptr[1:] > indptr[:-1]
    if values.size and nonempty.any():
        out[nonempty] = np.add.reduceat(values, indptr[:-1][nonempty])
    return out


class State:
    """A plan under construction: which options are in, and each element's chance of being missed.

    ``live`` is that chance where no certain cover (s q = 1) reached the element yet, else 0;
    ``open`` is, per creator, the weight of its audience still live (``sum w_e live_e``). Both are
    kept up to date on every add and remove (an update touches the changed creator's elements and
    the creators that share them), so a gain is one multiplication and never a rescan.
    """

    def __init__(self, model: CoverageModel, p: Problem, scale: np.ndarray, private: np.ndarray):
        self.model = model
        self.p = p
        self.scale = scale  # (m,) s_j
        self.private = private  # (m,)
        self.sq = np.clip(scale * model.q[p.creator], 0.0, 1.0)  # (m,) reach probability
        self.miss = np.ones(len(model.weight))
        self.hard = np.zeros(len(model.weight), dtype=np.int32)  # chosen covers that are certain
        self.live = np.ones(len(model.weight))
        self.open = _segment_sum(model.weight[model.elem], model.indptr)
        self.x = np.zeros(p.m, dtype=bool)
        self.chosen = np.zeros(p.n_creators, dtype=bool)
        self.value = 0.0
        self.version = 0
        self.trace: list[int] = []  # options in the order they were added

    def copy(self) -> State:
        other = State.__new__(State)
        other.model, other.p, other.scale, other.private, other.sq = (
            self.model,
            self.p,
            self.scale,
            self.private,
            self.sq,
        )
        other.miss = self.miss.copy()
        other.hard = self.hard.copy()
        other.live = self.live.copy()
        other.open = self.open.copy()
        other.x = self.x.copy()
        other.chosen = self.chosen.copy()
        other.value = self.value
        other.version = self.version
        other.trace = list(self.trace)
        return other

    def _span(self, j: int) -> np.ndarray:
        i = self.p.creator[j]
        return self.model.elem[self.model.indptr[i] : self.model.indptr[i + 1]]

    def gain(self, j: int) -> float:
        return float(self.sq[j] * self.open[self.p.creator[j]] + self.private[j])

    def _spread(self, e: np.ndarray, delta: np.ndarray) -> np.ndarray:
        """Per creator: the sum of ``delta`` over its elements among ``e``."""
        ptr, owner = self.model.by_element()
        counts = ptr[e + 1] - ptr[e]
        who = owner[ragged(ptr[e], counts)]
        return np.bincount(who, weights=np.repeat(delta, counts), minlength=self.model.n_creators)

    def _set_live(self, e: np.ndarray, new: np.ndarray) -> None:
        delta = (new - self.live[e]) * self.model.weight[e]
        self.live[e] = new
        changed = delta != 0
        if changed.any():
            self.open += self._spread(e[changed], delta[changed])

    def add(self, j: int) -> None:
        i = int(self.p.creator[j])
        e = self._span(j)
        g = self.gain(j)
        sq = self.sq[j]
        if sq >= _CERTAIN:
            self.hard[e] += 1
            self._set_live(e, np.zeros(len(e)))
        elif len(e):
            self.miss[e] *= 1.0 - sq
            self._set_live(e, np.where(self.hard[e] > 0, 0.0, self.miss[e]))
        self.x[j] = True
        self.chosen[i] = True
        self.value += g
        self.version += 1
        self.trace.append(j)

    def remove(self, j: int) -> None:
        i = int(self.p.creator[j])
        e = self._span(j)
        sq = self.sq[j]
        if sq >= _CERTAIN:
            self.hard[e] -= 1
        elif len(e):
            self.miss[e] /= 1.0 - sq
        if len(e):
            self._set_live(e, np.where(self.hard[e] > 0, 0.0, self.miss[e]))
        self.x[j] = False
        self.chosen[i] = False
        self.value -= self.gain(j)
        self.version += 1
        if j in self.trace:
            self.trace.remove(j)

    def gains_of(self, opts: np.ndarray) -> np.ndarray:
        """Marginal gain of each of these options against the plan (vectorised ``gain``)."""
        opts = np.asarray(opts, dtype=np.int64)
        return np.asarray(self.sq[opts] * self.open[self.p.creator[opts]] + self.private[opts])

    def losses(self, opts: np.ndarray) -> np.ndarray:
        """What removing each of these chosen options would lose (vectorised ``remove``)."""
        opts = np.asarray(opts, dtype=np.int64)
        creators = self.p.creator[opts]
        counts = np.diff(self.model.indptr)[creators]
        e = self.model.elem[ragged(self.model.indptr[creators], counts)]
        owner = np.repeat(np.arange(len(opts)), counts)
        sq = self.sq[opts][owner]
        sure = sq >= _CERTAIN
        with np.errstate(divide="ignore", invalid="ignore"):
            unsure = np.where(sure, 0.0, self.live[e] * sq / np.maximum(1.0 - sq, 1e-300))
        part = np.where(sure, np.where(self.hard[e] == 1, self.miss[e], 0.0), unsure)
        sums = np.bincount(owner, weights=part * self.model.weight[e], minlength=len(opts))
        return np.asarray(sums + self.private[opts])

    def removal_delta(self, j: int) -> np.ndarray:
        """Per creator: how much its live audience weight grows when option ``j`` leaves."""
        e = self._span(j)
        sq = self.sq[j]
        if sq >= _CERTAIN:
            after = np.where(self.hard[e] > 1, 0.0, self.miss[e])
        else:
            after = np.where(self.hard[e] > 0, 0.0, self.miss[e] / (1.0 - sq))
        delta = (after - self.live[e]) * self.model.weight[e]
        changed = delta != 0
        if not changed.any():
            return np.zeros(self.model.n_creators)
        return self._spread(e[changed], delta[changed])

    def all_gains(self) -> np.ndarray:
        """Marginal gain of every option against the current plan (0 for options already in)."""
        g = self.sq * self.open[self.p.creator] + self.private
        g[self.x] = 0.0
        return np.asarray(g)

    def evaluate(self) -> float:
        """f(X) from scratch (guards against drift of the incremental value and gains)."""
        m = self.model
        self.live = np.where(self.hard > 0, 0.0, self.miss)
        self.open = _segment_sum(m.weight[m.elem] * self.live[m.elem], m.indptr)
        return float((m.weight * (1.0 - self.live)).sum() + self.private[self.x].sum())


@dataclass(frozen=True)
class CoverageSolution:
    x: np.ndarray
    value: float
    bound: float
    method: str
    seeds: int = 0
    swaps: int = 0

    @property
    def gap(self) -> float:
        if self.bound <= 0:
            return 0.0
        return max(0.0, (self.bound - self.value) / self.bound)


class _Rows:
    """Fast feasibility bookkeeping for ``G x <= h`` while options are added and removed."""

    def __init__(self, p: Problem) -> None:
        G, h, _ = p.rows.as_upper()
        self.Gc = G.tocsc()
        self.h = h
        self.scale = np.maximum(1.0, np.abs(h))
        self.limit = h + 1e-9 * self.scale
        self.use = np.zeros(len(h))
        # with only non-negative coefficients, an option that does not fit never will again
        self.packing = bool((G.data >= 0).all()) if G.nnz else True
        self.dense = G.toarray().T.copy() if len(h) * p.m <= 20_000_000 else None
        # one row (the budget alone): plain floats, no array call per candidate
        self.single = self.dense[:, 0].tolist() if self.dense is not None and len(h) == 1 else None
        self.single_limit = float(self.limit[0]) if self.single is not None else 0.0
        self.single_use = 0.0

    def reset(self, x: np.ndarray) -> None:
        self.use = self.Gc @ x.astype(float) if len(self.h) else np.zeros(0)
        self.single_use = float(self.use[0]) if self.single is not None else 0.0

    def slack(self) -> float:
        """Room left in the only row (the budget), when there is exactly one."""
        return self.single_limit - self.single_use if self.single is not None else np.inf

    def fits(self, j: int) -> bool:
        if self.single is not None:
            return bool(self.single_use + self.single[j] <= self.single_limit)
        if self.dense is not None:
            return bool(((self.use + self.dense[j]) <= self.limit).all())
        idx, val = lagrangian.sparse_column(self.Gc, j)
        return bool(np.all(self.use[idx] + val <= self.limit[idx]))

    def add(self, j: int, sign: float = 1.0) -> None:
        if self.single is not None:
            self.single_use += sign * self.single[j]
            self.use[0] = self.single_use
            return
        if self.dense is not None:
            self.use += sign * self.dense[j]
            return
        idx, val = lagrangian.sparse_column(self.Gc, j)
        self.use[idx] += sign * val

    def feasible(self) -> bool:
        return bool(np.all(self.use <= self.h + 1e-9 * self.scale))


def _greedy(
    state: State, rows: _Rows, cost: np.ndarray, passes: int = 4, banned: int | None = None
) -> State:
    """Lazy greedy by gain per cost, keeping every row satisfied; blocked options are retried."""
    p = state.p
    gains = state.all_gains()
    ratio = gains / np.maximum(cost, 1e-9)
    open_ = ~state.chosen[p.creator] & (gains > 0)
    if banned is not None:
        open_[p.starts[p.creator[banned]] : p.starts[p.creator[banned] + 1]] = False
    cand = np.flatnonzero(open_)
    cheapest = float(cost[cand].min()) if len(cand) else 0.0
    budget_only = rows.single is not None and rows.packing
    for _ in range(passes):
        heap = [(-float(ratio[j]), int(j), state.version) for j in cand]
        heapq.heapify(heap)
        blocked: list[int] = []
        added = 0
        while heap:
            if budget_only and rows.slack() < cheapest:
                break  # nothing left can fit
            _, j, stamp = heapq.heappop(heap)
            if state.chosen[p.creator[j]]:
                continue
            if not rows.fits(j):
                blocked.append(j)
                continue
            if stamp != state.version:
                g = state.gain(j)
                if g <= 0:
                    continue
                r = g / max(cost[j], 1e-9)
                if heap and r < -heap[0][0] - 1e-15:
                    heapq.heappush(heap, (-r, j, state.version))
                    continue
            state.add(j)
            rows.add(j)
            added += 1
        if not added or not blocked or rows.packing:
            break
        cand = np.array(blocked, dtype=np.int64)
    return state


def _start(
    model: CoverageModel, p: Problem, scale: np.ndarray, private: np.ndarray, additive_x: np.ndarray
) -> tuple[State, bool]:
    """The empty plan when it keeps every row, else the additive plan; True when constrained."""
    state = State(model, p, scale, private)
    empty = np.zeros(p.m, dtype=bool)
    if not p.must.any() and not p.rows.violations(empty):
        return state, False
    for j in np.flatnonzero(additive_x):
        state.add(int(j))
    return state, True


def _mmax(best: State, p: Problem, rounds: int, time_limit: float) -> State:
    """Improve a feasible plan by maximising a tight modular lower bound of f (Iyer & Bilmes' MMax).

    Order the plan's options first and every other option after (by marginal gain per cost); the
    chain gains m(j) = f(first j) - f(first j - 1) satisfy m(X) <= f(X) for every X, with equality
    at the current plan. The best plan for m under all the brief's rules is therefore never worse
    than the current one, and often better where constraints stop greedy moves.
    """
    import time

    t0 = time.perf_counter()
    for _ in range(rounds):
        if time.perf_counter() - t0 > time_limit:
            break
        gains = best.all_gains()
        inside = np.flatnonzero(best.x)
        outside = np.flatnonzero(~best.chosen[p.creator] & (gains > 0))
        outside = outside[np.argsort(-gains[outside] / np.maximum(p.cost[outside], 1e-9))]
        chain = State(best.model, p, best.scale, best.private)
        m = np.zeros(p.m)
        for j in np.concatenate([inside, outside]):
            j = int(j)
            if chain.chosen[p.creator[j]]:
                # another option of a creator already in the chain: its gain given the chain
                m[j] = 0.0
                continue
            before = chain.value
            chain.add(j)
            m[j] = chain.value - before
        try:
            sol = additive.solve(p.with_value(m), rel_gap=1e-4, time_limit=time_limit)
        except additive.Infeasible:
            break
        trial = State(best.model, p, best.scale, best.private)
        for j in np.flatnonzero(sol.x):
            trial.add(int(j))
        if trial.evaluate() <= best.evaluate() * (1 + 1e-9):
            break
        best = trial
    return best


def solve(
    model: CoverageModel,
    p: Problem,
    scale: np.ndarray,
    private: np.ndarray | None = None,
    *,
    seeds: int = 4,
    swaps: int = 200,
    time_limit: float = 20.0,
) -> CoverageSolution:
    """The best plan found for expected unique reach, with a proven upper bound.

    ``seeds``: single options the partial enumeration starts from (pairs of the strongest
    ``seeds - 1`` too); ``swaps``: local-search moves at most. The search stops when no move
    improves the plan, or at 45 % of ``time_limit``; then the bound (at most 2 s), whose relaxed plan,
    rounded, starts one more search (until 90 %).
    """
    import time

    from creatormix.planning import coverage_bound, coverage_search

    t0 = time.perf_counter()
    deadline = t0 + 0.9 * time_limit
    private = np.zeros(p.m) if private is None else private
    cost = p.cost
    # Unique reach never exceeds the sum of standalone reaches, so the best plan for the standalone
    # values (an additive problem under the same rules, solved with a proven bound) bounds the
    # coverage optimum too; its plan is also a strong feasible start. Raises Infeasible.
    standalone = scale * model.standalone()[p.creator] + private
    additive_sol = additive.solve(
        p.with_value(standalone), rel_gap=1e-4, time_limit=max(1.0, time_limit / 4)
    )
    start, constrained = _start(model, p, scale, private, additive_sol.x)
    rows = _Rows(p)
    rows.reset(start.x)
    best = _greedy(start.copy(), rows, cost)
    if constrained:
        best = _mmax(best, p, rounds=3, time_limit=time_limit / 4)
        rows.reset(best.x)
        best = _greedy(best, rows, cost)
    else:
        seeded = State(model, p, scale, private)
        for j in np.flatnonzero(additive_sol.x):
            seeded.add(int(j))
        rows.reset(seeded.x)
        seeded = _greedy(seeded, rows, cost)
        if coverage_search.better(seeded, best):
            best = seeded
    tried = 0
    if seeds:
        found, tried = coverage_search.seeded(
            start, rows, cost, standalone, t0 + 0.35 * time_limit, singles=seeds, pairs_of=seeds - 1
        )
        if found is not None and coverage_search.better(found, best):
            best = found
    moves = 0
    if swaps:
        best, moves = coverage_search.improve(
            best, rows, cost, p.must, t0 + 0.45 * time_limit, max_moves=swaps
        )
    best.value = best.evaluate()
    bound = additive_sol.bound
    method = "lazy greedy + seeds + swaps, bound by the sum of standalone reaches"
    remaining = min(2.0, max(0.3, 0.25 * time_limit))
    dual = coverage_bound.dual_bound(
        model, p, scale, private, floor=best.value, live=best.live, time_limit=remaining
    )
    if dual.value < bound:
        bound = dual.value
        method = "lazy greedy + seeds + swaps, bound by the dual of the coverage relaxation"
        if dual.sampled is not None:
            method += f" (multipliers fitted on {dual.sampled:.0%} of the audience)"
    if dual.relaxed is not None and swaps and best.value < bound * (1 - 1e-6):
        # the relaxation's own plan, rounded and improved: often next to the optimum
        trial = coverage_search.rounded(start, rows, cost, dual.relaxed, deadline)
        trial, more = coverage_search.improve(
            trial, rows, cost, p.must, deadline, max_moves=max(1, swaps - moves)
        )
        if coverage_search.better(trial, best) and p.is_feasible(trial.x):
            best, moves = trial, moves + more
    small = lp_bound(model, p, scale, private, max_entries=30_000, time_limit=max(1.0, remaining))
    if small is not None and small < bound:
        bound = small
        method = "lazy greedy + seeds + swaps, bound by the LP relaxation (HiGHS)"
    if bound - best.value > 1e-3 * bound:
        # a small model whose relaxation is weak (few creators fit): HiGHS's branch and bound
        # on the same model, started from our plan, for a moment
        bnb = branch_and_bound(
            model, p, scale, private, best.x, time_limit=min(2.0, max(0.2, 0.1 * time_limit))
        )
        if bnb is not None:
            mip, x = bnb
            if x is not None and p.is_feasible(x):
                trial = State(model, p, scale, private)
                for j in np.flatnonzero(x):
                    trial.add(int(j))
                trial.value = trial.evaluate()
                if coverage_search.better(trial, best):
                    best = trial
            if mip < bound:
                bound = mip
                method = "lazy greedy + seeds + swaps, bound by HiGHS's branch and bound"
    return CoverageSolution(best.x.copy(), best.value, max(bound, best.value), method, tried, moves)


_TANGENTS = (0.1, 0.3, 0.6, 1.0, 1.6, 2.5, 4.0)


def lp_bound(
    model: CoverageModel,
    p: Problem,
    scale: np.ndarray,
    private: np.ndarray,
    *,
    max_entries: int = 400_000,
    time_limit: float = 20.0,
) -> float | None:
    """An LP upper bound on the best plan, for models small enough to write out element by element.

    For binary x, an element's chance of being reached, 1 - prod(1 - s_j q_j x_j), is at most 1,
    at most sum_j s_j q_j x_j (the union bound) and equal to 1 - exp(-sum_j b_j x_j) with
    b_j = -ln(1 - s_j q_j); tangents of the concave 1 - exp(-t) bound the last one from above.
    Maximising the weighted sum of those caps under the brief's constraints with x relaxed to
    [0, 1] is an LP, and its optimum bounds every plan.
    """
    from creatormix.planning import highs

    built = _relaxation(model, p, scale, private, max_entries)
    if built is None:
        return None
    return highs.solve_lp(*built, time_limit=time_limit)


def branch_and_bound(
    model: CoverageModel,
    p: Problem,
    scale: np.ndarray,
    private: np.ndarray,
    start: np.ndarray,
    *,
    max_entries: int = 30_000,
    time_limit: float = 2.0,
) -> tuple[float, np.ndarray | None] | None:
    """HiGHS's branch and bound on the relaxation's model with 0/1 options, from ``start``, for
    at most ``time_limit`` seconds: its dual bound (valid for every plan: the model's caps are
    exact at 0/1 points or above them) and its best plan. None for models too big to write out.
    Tighter than the LP where few creators fit the budget."""
    from creatormix.planning import highs

    built = _relaxation(model, p, scale, private, max_entries)
    if built is None:
        return None
    bound, x = highs.mip_bound(*built, p.m, start=start, time_limit=time_limit)
    return (bound, x) if np.isfinite(bound) else None


def _relaxation(
    model: CoverageModel, p: Problem, scale: np.ndarray, private: np.ndarray, max_entries: int
) -> tuple[np.ndarray, object, np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
    """(objective, A, row bounds, column bounds) of the relaxation ``lp_bound`` describes."""
    import scipy.sparse as sp

    counts = np.diff(model.indptr)[p.creator]
    total = int(counts.sum())
    if total > max_entries:
        return None
    n_el = len(model.weight)
    opt = np.repeat(np.arange(p.m), counts)
    starts = model.indptr[p.creator]
    offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    el = model.elem[starts[opt] + offsets]
    sq = np.minimum(scale[opt] * model.q[p.creator[opt]], 1.0)
    blocks_A = []
    lo: list[np.ndarray] = []
    hi: list[np.ndarray] = []
    # union bound: z_e - sum sq x <= 0
    ident = sp.identity(n_el, format="csr")
    union = sp.csr_matrix((-sq, (el, opt)), shape=(n_el, p.m))
    blocks_A.append(sp.hstack([union, ident]))
    lo.append(np.full(n_el, -np.inf))
    hi.append(np.zeros(n_el))
    uncertain = sq < 1.0 - 1e-9
    if uncertain.any():
        a = np.where(uncertain, -np.log1p(-np.minimum(sq, 1.0 - 1e-12)), 0.0)
        has_unc = np.bincount(el[uncertain], minlength=n_el) > 0
        certain_el = np.bincount(el[~uncertain], minlength=n_el) > 0
        tang_el = np.flatnonzero(has_unc & ~certain_el)
        if len(tang_el):
            remap = np.full(n_el, -1)
            remap[tang_el] = np.arange(len(tang_el))
            use = remap[el] >= 0
            T = sp.csr_matrix((a[use], (remap[el[use]], opt[use])), shape=(len(tang_el), p.m))
            sel = sp.csr_matrix(
                (np.ones(len(tang_el)), (np.arange(len(tang_el)), tang_el)),
                shape=(len(tang_el), n_el),
            )
            for t in _TANGENTS:
                # z_e <= 1 - e^-t + e^-t (sum a x - t)  <=>  z_e - e^-t sum a x <= 1 - e^-t - t e^-t
                et = np.exp(-t)
                blocks_A.append(sp.hstack([-et * T, sel]))
                lo.append(np.full(len(tang_el), -np.inf))
                hi.append(np.full(len(tang_el), 1.0 - et - t * et))
    rows = p.rows
    blocks_A.append(sp.hstack([rows.A, sp.csr_matrix((rows.count, n_el))]))
    lo.append(rows.lo)
    hi.append(rows.hi)
    counts_c = np.diff(p.starts)
    multi = np.flatnonzero(counts_c > 1)
    if len(multi):
        rmap = np.full(p.n_creators, -1)
        rmap[multi] = np.arange(len(multi))
        sel_opt = np.flatnonzero(rmap[p.creator] >= 0)
        C = sp.csr_matrix(
            (np.ones(len(sel_opt)), (rmap[p.creator[sel_opt]], sel_opt)), shape=(len(multi), p.m)
        )
        blocks_A.append(sp.hstack([C, sp.csr_matrix((len(multi), n_el))]))
        lo.append(np.where(p.must[multi], 1.0, 0.0))
        hi.append(np.ones(len(multi)))
    A = sp.vstack(blocks_A).tocsr()
    single_must = p.must[p.creator] & (counts_c[p.creator] == 1)
    col_lo = np.concatenate([np.where(single_must, 1.0, 0.0), np.zeros(n_el)])
    col_hi = np.concatenate([np.ones(p.m), np.ones(n_el)])
    cost = np.concatenate([private, model.weight])
    return cost, A, np.concatenate(lo), np.concatenate(hi), col_lo, col_hi


def value_of(
    model: CoverageModel, p: Problem, scale: np.ndarray, private: np.ndarray, x: np.ndarray
) -> float:
    """f(X) for a given set of options."""
    state = State(model, p, scale, private)
    for j in np.flatnonzero(x):
        state.add(int(j))
    return state.evaluate()
