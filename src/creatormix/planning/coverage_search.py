"""Finding a near-optimal plan for unique reach: seeded lazy greedy, then local search.

* **Partial enumeration** (after Khuller, Moss and Naor): lazy greedy by marginal gain per unit
  of cost, completed from each of the strongest single options and the strongest pairs of
  them, so a plan built around one or two large creators is always among those tried (plain
  greedy by ratio fills the budget with small creators first and may never afford them).
* **Local search on the budget boundary**, each move evaluated incrementally from the plan's
  per-element state (``coverage.State``: a vectorised pass over the entries the move touches,
  never a rescan of the whole audience), then the freed budget refilled greedily:

  - *swap in*: a strong option that does not fit enters, and the picks that lose least per unit
    of cost leave until every rule holds again (covers 1-1, 2-1 and k-1 swaps);
  - *1-1*: every pick against every option that fits in its place, all at once per pick
    (the gains after a removal differ from the current gains only on the removed creator's
    audience, which ``State.removal_delta`` carries to every creator sharing it);
  - *2-1*: pairs of the weakest picks against the best option their budget buys.

  The best improving move of each kind is applied until none improves, or the deadline passes.
"""

from __future__ import annotations

import heapq
import itertools
import time
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from creatormix.planning.coverage import State, _Rows

_EPS = 1e-9
# a local-search move must gain at least this share of the plan: every accepted move costs a new
# scan of the neighbourhood, and a 0.001 % step is not worth one
MIN_STEP = 2e-5


def better(a: State, b: State, step: float = _EPS) -> bool:
    """True when plan ``a`` is worth more than ``b`` by more than the share ``step`` (default:
    beyond rounding)."""
    return a.value > b.value * (1 + step) + _EPS


def _outside(state: State) -> np.ndarray:
    return np.asarray(~state.chosen[state.p.creator])


def _fitting(state: State, rows: _Rows, opts: np.ndarray) -> np.ndarray:
    """The options of ``opts`` that fit into the plan as it stands (every row)."""
    if not len(opts):
        return opts
    if rows.single is not None and rows.dense is not None:
        cost = rows.dense[opts, 0]
        return np.asarray(opts[rows.single_use + cost <= rows.single_limit])
    if rows.dense is not None:
        ok = np.all(rows.use[None, :] + rows.dense[opts] <= rows.limit[None, :], axis=1)
        return np.asarray(opts[ok])
    return np.array([j for j in opts if rows.fits(int(j))], dtype=np.int64)


def refill(state: State, rows: _Rows, cost: np.ndarray, deadline: float) -> State:
    """Greedy by gain per cost over the options that still fit (``rows`` reset to the plan).

    A few candidates (the usual case after a swap: little budget left) are rescored together
    after every addition; many go through a lazy-greedy heap.
    """
    p = state.p
    cand = _fitting(state, rows, np.flatnonzero(_outside(state)))
    if not len(cand):
        return state
    gains = state.gains_of(cand)
    keep = gains > 0
    cand, gains = cand[keep], gains[keep]
    price = np.maximum(cost, 1e-9)
    if len(cand) <= 256:
        while len(cand) and time.perf_counter() < deadline:
            k = int(np.argmax(gains / price[cand]))
            state.add(int(cand[k]))
            rows.add(int(cand[k]))
            cand = cand[~state.chosen[p.creator[cand]]]
            cand = _fitting(state, rows, cand)
            if not len(cand):
                break
            gains = state.gains_of(cand)
            keep = gains > 0
            cand, gains = cand[keep], gains[keep]
        return state
    # lazy greedy without a heap of every candidate: the candidates sorted by their first ratio
    # (an upper bound on every later one: gains only shrink), and a heap of those re-scored
    first = gains / price[cand]
    order = np.argsort(-first, kind="stable")
    queue, upper = cand[order].tolist(), first[order].tolist()
    cheapest = float(price[cand].min())
    budget_only = rows.single is not None and rows.packing
    heap: list[tuple[float, int, int]] = []
    at = 0
    while time.perf_counter() < deadline:
        if budget_only and rows.slack() < cheapest:
            break  # nothing left can fit
        top_heap = -heap[0][0] if heap else -np.inf
        top_queue = upper[at] if at < len(queue) else -np.inf
        if top_heap == -np.inf and top_queue == -np.inf:
            break
        if top_queue >= top_heap:
            j, stamp = queue[at], -1
            at += 1
        else:
            _, j, stamp = heapq.heappop(heap)
        if state.chosen[p.creator[j]] or not rows.fits(j):
            continue
        if stamp != state.version:
            g = state.gain(j)
            if g <= 0:
                continue
            r = g / price[j]
            nxt = max(-heap[0][0] if heap else -np.inf, upper[at] if at < len(queue) else -np.inf)
            if r < nxt - 1e-15:
                heapq.heappush(heap, (-r, j, state.version))
                continue
        state.add(j)
        rows.add(j)
    return state


def rounded(
    start: State, rows: _Rows, cost: np.ndarray, relaxed: np.ndarray, deadline: float
) -> State:
    """A plan from a relaxed one: options by decreasing weight (at least 1/2) while they fit,
    then greedy."""
    s = start.copy()
    rows.reset(s.x)
    order = np.flatnonzero(relaxed >= 0.5)
    for j in order[np.argsort(-relaxed[order], kind="stable")].tolist():
        if not s.chosen[s.p.creator[j]] and rows.fits(j):
            s.add(j)
            rows.add(j)
    return refill(s, rows, cost, deadline)


def seeded(
    start: State,
    rows: _Rows,
    cost: np.ndarray,
    standalone: np.ndarray,
    deadline: float,
    *,
    singles: int = 4,
    pairs_of: int = 3,
) -> tuple[State | None, int]:
    """The best greedy completion of the strongest single options and pairs of them."""
    p = start.p
    rows.reset(start.x)
    open_opts = _fitting(start, rows, np.flatnonzero(_outside(start)))
    strong = open_opts[np.argsort(-standalone[open_opts], kind="stable")]
    # one option per creator among the seeds
    _, first = np.unique(p.creator[strong], return_index=True)
    strong = strong[np.sort(first)][: max(singles, pairs_of)]
    seeds: list[tuple[int, ...]] = [(int(j),) for j in strong[:singles]]
    seeds += [(int(a), int(b)) for a, b in itertools.combinations(strong[:pairs_of], 2)]
    best: State | None = None
    tried = 0
    for seed in seeds:
        if time.perf_counter() > deadline:
            break
        s = start.copy()
        rows.reset(s.x)
        fits = True
        for j in seed:
            if not rows.fits(j):
                fits = False
                break
            s.add(j)
            rows.add(j)
        if not fits:
            continue
        s = refill(s, rows, cost, deadline)
        tried += 1
        if best is None or better(s, best):
            best = s
    return best, tried


def _removable(state: State, must: np.ndarray, keep: int | None = None) -> np.ndarray:
    picks = np.flatnonzero(state.x & ~must[state.p.creator])
    return picks[picks != keep] if keep is not None else picks


def _violation(rows: _Rows, use: np.ndarray) -> np.ndarray:
    return np.asarray(np.maximum(0.0, use - rows.limit) / rows.scale)


def _by_estimate(
    state: State,
    rows: _Rows,
    cost: np.ndarray,
    must: np.ndarray,
    outside: np.ndarray,
    gains: np.ndarray,
) -> list[int]:
    """Outside options by the estimated change of swapping each in under a budget: its gain now,
    minus the losses of the picks that lose least per unit of cost until its price is freed (the
    gain only grows once they leave, so this is the pessimistic side)."""
    rows.reset(state.x)
    picks = _removable(state, must)
    loss = state.losses(picks) if len(picks) else np.zeros(0)
    order = np.argsort(loss / np.maximum(cost[picks], 1e-9), kind="stable")
    freed = np.concatenate([[0.0], np.cumsum(cost[picks][order])])
    lost = np.concatenate([[0.0], np.cumsum(loss[order])])
    need = cost[outside] - rows.slack()
    at = np.searchsorted(freed, need - 1e-9)
    ok = at < len(freed)
    estimate = np.where(ok, gains - lost[np.minimum(at, len(lost) - 1)], -np.inf)
    best = np.argsort(-estimate, kind="stable")
    return [int(outside[b]) for b in best if np.isfinite(estimate[b])]


def swap_in(
    state: State, rows: _Rows, cost: np.ndarray, must: np.ndarray, deadline: float, tries: int
) -> State | None:
    """Force a strong outside option in, drop the cheapest losses until the rules hold, refill."""
    if rows.dense is None:
        return None
    outside = np.flatnonzero(_outside(state))
    if not len(outside):
        return None
    gains = state.gains_of(outside)
    pos = gains > 0
    outside, gains = outside[pos], gains[pos]
    by_gain = outside[np.argsort(-gains, kind="stable")][:tries]
    by_ratio = outside[np.argsort(-gains / np.maximum(cost[outside], 1e-9), kind="stable")]
    order = [*by_gain.tolist(), *by_ratio[:tries].tolist()]
    if rows.single is not None and rows.packing:
        order = _by_estimate(state, rows, cost, must, outside, gains)[:tries] + order
    order = list(dict.fromkeys(order))
    for k in order:
        if time.perf_counter() > deadline:
            return None
        trial = state.copy()
        rows.reset(trial.x)
        trial.add(k)
        rows.add(k)
        ok = True
        picks = _removable(trial, must, keep=k)
        loss = trial.losses(picks)  # with k in: what each pick still adds (not re-scored below)
        while not rows.feasible():
            if not len(picks):
                ok = False
                break
            before = float(_violation(rows, rows.use).sum())
            after = _violation(rows, rows.use[None, :] - rows.dense[picks]).sum(axis=1)
            relief = before - after
            useful = relief > 1e-12
            if not useful.any():
                ok = False
                break
            at = int(np.flatnonzero(useful)[np.argmin(loss[useful] / relief[useful])])
            j = int(picks[at])
            trial.remove(j)
            rows.add(j, -1.0)
            picks, loss = np.delete(picks, at), np.delete(loss, at)
        if not ok:
            continue
        trial = refill(trial, rows, cost, deadline)
        if better(trial, state, MIN_STEP):
            return trial
    return None


def one_one(
    state: State, rows: _Rows, cost: np.ndarray, must: np.ndarray, deadline: float
) -> State | None:
    """The best single exchange of a pick for an option that fits in its place, then refill."""
    p = state.p
    picks = _removable(state, must)
    if not len(picks) or rows.dense is None:
        return None
    rows.reset(state.x)
    gains = state.all_gains()
    losses = state.losses(picks)
    sq = np.clip(state.scale * state.model.q[p.creator], 0.0, 1.0)
    outside = _outside(state)
    best_gain, best_move = MIN_STEP * max(1.0, state.value), None
    for j, loss in zip(picks, losses, strict=True):
        if time.perf_counter() > deadline:
            break
        j = int(j)
        delta = state.removal_delta(j)
        after = gains + sq * delta[p.creator]
        use = rows.use - rows.dense[j]
        allowed = outside | (p.creator == p.creator[j])
        allowed[j] = False
        cand = np.flatnonzero(allowed & (after - loss > best_gain))
        if not len(cand):
            continue
        fits = np.all(use[None, :] + rows.dense[cand] <= rows.limit[None, :], axis=1)
        cand = cand[fits]
        if not len(cand):
            continue
        k = int(cand[np.argmax(after[cand])])
        best_gain, best_move = float(after[k] - loss), (j, k)
    if best_move is None:
        return None
    j, k = best_move
    trial = state.copy()
    trial.remove(j)
    trial.add(k)
    rows.reset(trial.x)
    if not rows.feasible():
        return None
    trial = refill(trial, rows, cost, deadline)
    return trial if better(trial, state, MIN_STEP) else None


def two_one(
    state: State,
    rows: _Rows,
    cost: np.ndarray,
    must: np.ndarray,
    deadline: float,
    weakest: int,
    options: int = 2,
) -> State | None:
    """Two of the weakest picks (by loss per cost) out; in, one of the options their room buys
    (the strongest few by gain and by gain per cost, each refilled): the best result."""
    picks = _removable(state, must)
    if len(picks) < 2 or rows.dense is None:
        return None
    ratio = state.losses(picks) / np.maximum(cost[picks], 1e-9)
    weak = picks[np.argsort(ratio, kind="stable")][:weakest]
    best: State | None = None
    for a, b in itertools.combinations(weak.tolist(), 2):
        if time.perf_counter() > deadline:
            break
        base = state.copy()
        base.remove(a)
        base.remove(b)
        rows.reset(base.x)
        if not rows.feasible():
            continue
        cand = _fitting(base, rows, np.flatnonzero(_outside(base)))
        cand = cand[(cand != a) & (cand != b)]
        if not len(cand):
            continue
        g = base.gains_of(cand)
        top = cand[np.argsort(-g, kind="stable")][:options]
        top_ratio = cand[np.argsort(-g / np.maximum(cost[cand], 1e-9), kind="stable")][:options]
        for k in dict.fromkeys([*top.tolist(), *top_ratio.tolist()]):
            trial = base.copy()
            rows.reset(trial.x)
            trial.add(k)
            rows.add(k)
            trial = refill(trial, rows, cost, deadline)
            if better(trial, state, MIN_STEP) and (best is None or better(trial, best)):
                best = trial
    return best


def improve(
    state: State,
    rows: _Rows,
    cost: np.ndarray,
    must: np.ndarray,
    deadline: float,
    *,
    tries: int = 8,
    weakest: int = 5,
    max_moves: int = 200,
) -> tuple[State, int]:
    """Local search from ``state`` until no move improves it (or the deadline): (plan, moves)."""
    moves = 0
    while moves < max_moves and time.perf_counter() < deadline:
        nxt = one_one(state, rows, cost, must, deadline)
        if nxt is None:
            nxt = swap_in(state, rows, cost, must, deadline, tries)
        if nxt is None:
            nxt = two_one(state, rows, cost, must, deadline, weakest)
        if nxt is None:
            break
        state = nxt
        moves += 1
    state.value = state.evaluate()
    return state, moves
