"""The two baselines the unique-reach optimiser is measured against, written independently of it.

* ``plain_greedy``: lazy greedy on marginal gain per dollar plus the best single creator (the
  textbook 1/2 (1 - 1/e) algorithm for budgeted coverage), on plain numpy arrays.
* ``exact_milp``: HiGHS on the coverage MILP. For the audience objective it is exact:
  ``max sum_u w_u z_u, z_u <= sum_{i follows... u} x_i, z_u <= 1, cost.x <= budget, x binary``.
  For views a follower's chance of being reached is ``1 - exp(-sum_i b_i x_i)`` with
  ``b_i = -ln(1 - r_i)`` (exact at 0/1 points); the MILP caps ``z_u`` by its tangents at 12
  points and by the union bound, an outer approximation, so HiGHS's dual bound is a valid upper
  bound and its plan is scored on the exact objective. HiGHS runs in a child process that is
  killed shortly after its time limit (HiGHS does not check the limit everywhere).
"""

from __future__ import annotations

import heapq
import multiprocessing as mp
import time
from dataclasses import dataclass

import numpy as np

TANGENTS = (0.05, 0.15, 0.3, 0.5, 0.75, 1.0, 1.4, 1.9, 2.5, 3.3, 4.5, 6.0)


@dataclass(frozen=True)
class Instance:
    """Budgeted coverage: creator i reaches each of its followers with probability ``p[i]``."""

    indptr: np.ndarray
    follower: np.ndarray
    people: int
    cost: np.ndarray
    p: np.ndarray  # 1.0 for the audience objective, the reach rate for views
    budget: float

    @property
    def n(self) -> int:
        return len(self.indptr) - 1


def value(inst: Instance, x: np.ndarray) -> float:
    """Expected distinct followers reached by the creators in ``x``."""
    miss = np.ones(inst.people)
    for i in np.flatnonzero(x):
        f = inst.follower[inst.indptr[i] : inst.indptr[i + 1]]
        miss[f] *= 1.0 - inst.p[i]
    return float((1.0 - miss).sum())


def plain_greedy(inst: Instance) -> tuple[np.ndarray, float]:
    """Lazy greedy by gain per dollar, or the best single creator that fits if that is better."""
    miss = np.ones(inst.people)
    x = np.zeros(inst.n, dtype=bool)
    spent = 0.0

    def gain(i: int) -> float:
        f = inst.follower[inst.indptr[i] : inst.indptr[i + 1]]
        return float(inst.p[i] * miss[f].sum())

    heap = [(-gain(i) / inst.cost[i], i) for i in range(inst.n) if inst.cost[i] <= inst.budget]
    heapq.heapify(heap)
    while heap:
        _, i = heapq.heappop(heap)
        if spent + inst.cost[i] > inst.budget:
            continue
        g = gain(i) / inst.cost[i]
        if heap and g < -heap[0][0]:
            heapq.heappush(heap, (-g, i))
            continue
        x[i] = True
        spent += inst.cost[i]
        f = inst.follower[inst.indptr[i] : inst.indptr[i + 1]]
        miss[f] *= 1.0 - inst.p[i]
    greedy_value = float((1.0 - miss).sum())
    alone = np.diff(inst.indptr) * inst.p
    alone[inst.cost > inst.budget] = -1.0
    best = int(np.argmax(alone))
    if alone[best] > greedy_value:
        single = np.zeros(inst.n, dtype=bool)
        single[best] = True
        return single, float(alone[best])
    return x, greedy_value


def _milp(
    inst: Instance, limit: float, start: np.ndarray | None, tangents: tuple[float, ...]
) -> tuple[str, np.ndarray | None, float]:
    import highspy
    import scipy.sparse as sp

    n, m = inst.n, inst.people
    owner = np.repeat(np.arange(n), np.diff(inst.indptr))
    sure = bool((inst.p >= 1.0).all())
    blocks = []
    ub: list[np.ndarray] = []
    union = sp.csr_matrix((-inst.p[owner], (inst.follower, owner)), shape=(m, n))
    blocks.append(sp.hstack([union, sp.identity(m)]))
    ub.append(np.zeros(m))
    if not sure and tangents:
        b = -np.log1p(-np.minimum(inst.p, 1 - 1e-12))
        B = sp.csr_matrix((b[owner], (inst.follower, owner)), shape=(m, n))
        for t in tangents:
            et = np.exp(-t)
            blocks.append(sp.hstack([-et * B, sp.identity(m)]))
            ub.append(np.full(m, 1.0 - et - t * et))
    blocks.append(sp.hstack([sp.csr_matrix(inst.cost[None, :]), sp.csr_matrix((1, m))]))
    ub.append(np.array([inst.budget]))
    A = sp.vstack(blocks).tocsc()
    A.sort_indices()
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n + m, A.shape[0]
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.col_cost_ = np.concatenate([np.zeros(n), np.ones(m)])
    lp.col_lower_ = np.zeros(n + m)
    lp.col_upper_ = np.ones(n + m)
    lp.row_lower_ = np.full(A.shape[0], -highspy.kHighsInf)
    lp.row_upper_ = np.concatenate(ub)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = A.indptr.astype(np.int32)
    lp.a_matrix_.index_ = A.indices.astype(np.int32)
    lp.a_matrix_.value_ = A.data.astype(float)
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n + [highspy.HighsVarType.kContinuous] * m
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("time_limit", float(limit))
    h.setOptionValue("mip_rel_gap", 1e-6)
    h.passModel(lp)
    if start is not None:
        sol = highspy.HighsSolution()
        sol.col_value = np.concatenate([start.astype(float), np.zeros(m)]).tolist()
        sol.value_valid = True
        h.setSolution(sol)
    h.run()
    status = "optimal" if h.getModelStatus() == highspy.HighsModelStatus.kOptimal else "limit"
    info = h.getInfo()
    x = None
    if info.primal_solution_status == 2:
        x = np.asarray(h.getSolution().col_value)[:n] > 0.5
    return status, x, float(info.mip_dual_bound)


@dataclass(frozen=True)
class MilpRun:
    status: str  # "optimal", "limit" (stopped at its time limit), "killed" (no answer)
    value: float  # the exact objective of HiGHS's best plan (-inf without one)
    bound: float  # HiGHS's dual bound (inf without one)
    seconds: float


def exact_milp(
    inst: Instance,
    limit: float,
    *,
    grace: float = 10.0,
    start: np.ndarray | None = None,
    tangents: tuple[float, ...] = TANGENTS,
) -> MilpRun:
    """HiGHS on the coverage MILP (see the module docstring) in a child process; ``tangents=()``
    keeps only the union bound for views (a looser outer model, for instances too big for more)."""

    def work(q: mp.Queue) -> None:  # type: ignore[type-arg]
        q.put(_milp(inst, limit, start, tangents))

    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    proc = ctx.Process(target=work, args=(queue,))
    t0 = time.perf_counter()
    proc.start()
    try:
        status, x, bound = queue.get(timeout=limit + grace)
    except Exception:  # queue.Empty: no answer in time
        proc.kill()
        proc.join()
        return MilpRun("killed", -np.inf, np.inf, time.perf_counter() - t0)
    seconds = time.perf_counter() - t0
    proc.join()
    v = value(inst, x) if x is not None else -np.inf
    return MilpRun(status, v, bound if np.isfinite(bound) else np.inf, seconds)
