"""The 0/1 problem as a HiGHS model (through ``highspy``), solved with a time limit and a gap.

Columns are options (binary), rows are the problem's rows plus one "at most one option" row per
creator with several options (equal to one for must-include creators).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from creatormix.planning.problem import Problem

# HiGHS runs every instance of a process on one shared thread scheduler and, from highspy 1.16,
# refuses to run an instance whose ``threads`` option differs from the scheduler's ("the
# scheduler has already been initialized"). Every instance is therefore made by ``new`` with the
# process-wide count below, and a different count resets the scheduler first.
_scheduler_threads: int | None = None


def new(threads: int = 1) -> Any:
    """A quiet HiGHS instance on ``threads`` threads (the scheduler is reset when that changes)."""
    global _scheduler_threads
    import highspy

    threads = max(1, int(threads))
    if _scheduler_threads is not None and threads != _scheduler_threads:
        reset = getattr(highspy.Highs, "resetGlobalScheduler", None)
        if reset is not None:
            reset(True)
    _scheduler_threads = threads
    h = highspy.Highs()  # type: ignore[no-untyped-call]
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", threads)
    return h


@dataclass(frozen=True)
class MilpResult:
    status: str  # "optimal", "infeasible", "time limit", "other"
    x: np.ndarray | None  # (m,) bool
    value: float
    bound: float  # HiGHS's dual bound (an upper bound on the optimum)
    seconds: float
    row_dual: np.ndarray | None = (
        None  # LP solves: duals of the problem's rows (not the choice rows)
    )


def _choice_rows(p: Problem) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Rows of the per-creator choice: (row index, option index, lo, hi) for creators with >1 option."""
    counts = p.starts[1:] - p.starts[:-1]
    multi = np.flatnonzero(counts > 1)
    if not len(multi):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0), np.zeros(0), multi
    row_of_creator = np.full(p.n_creators, -1, dtype=np.int64)
    row_of_creator[multi] = np.arange(len(multi))
    opt = np.flatnonzero(row_of_creator[p.creator] >= 0)
    rows = row_of_creator[p.creator[opt]]
    lo = np.where(p.must[multi], 1.0, 0.0)
    hi = np.ones(len(multi))
    return rows, opt, lo, hi, multi


def solve(
    p: Problem,
    *,
    values: np.ndarray | None = None,
    time_limit: float = 60.0,
    rel_gap: float = 1e-6,
    integer: bool = True,
    start: np.ndarray | None = None,
    threads: int = 1,
) -> MilpResult:
    """Maximise ``values.x`` (default the problem's values) subject to every row and the choice rows."""
    import time

    import highspy
    import scipy.sparse as sp

    v = p.value if values is None else values
    m = p.m
    c_rows, c_opt, c_lo, c_hi, _ = _choice_rows(p)
    A = p.rows.A.tocoo()
    n_rows = p.rows.count
    data = np.concatenate([A.data, np.ones(len(c_opt))])
    row = np.concatenate([A.row, c_rows + n_rows])
    col = np.concatenate([A.col, c_opt])
    full = sp.csc_matrix((data, (row, col)), shape=(n_rows + len(c_lo), m))
    full.sort_indices()
    inf = highspy.kHighsInf
    lp = highspy.HighsLp()
    lp.num_col_ = m
    lp.num_row_ = full.shape[0]
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.col_cost_ = np.asarray(v, dtype=float)
    counts = p.starts[1:] - p.starts[:-1]
    single_must = p.must[p.creator] & (counts[p.creator] == 1)
    lp.col_lower_ = np.where(single_must, 1.0, 0.0)
    lp.col_upper_ = np.ones(m)
    lo = np.concatenate([p.rows.lo, c_lo])
    hi = np.concatenate([p.rows.hi, c_hi])
    lp.row_lower_ = np.where(np.isfinite(lo), lo, -inf)
    lp.row_upper_ = np.where(np.isfinite(hi), hi, inf)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = full.indptr.astype(np.int32)
    lp.a_matrix_.index_ = full.indices.astype(np.int32)
    lp.a_matrix_.value_ = full.data.astype(float)
    if integer:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * m
    h = new(threads)
    h.setOptionValue("time_limit", float(time_limit))
    if integer:
        h.setOptionValue("mip_rel_gap", float(rel_gap))
    h.passModel(lp)
    if integer and start is not None and m:
        sol = highspy.HighsSolution()
        sol.col_value = start.astype(float).tolist()
        sol.value_valid = True
        h.setSolution(sol)
    t0 = time.perf_counter()
    h.run()
    seconds = time.perf_counter() - t0
    status = h.getModelStatus()
    info = h.getInfo()
    name = {
        highspy.HighsModelStatus.kOptimal: "optimal",
        highspy.HighsModelStatus.kInfeasible: "infeasible",
        highspy.HighsModelStatus.kTimeLimit: "time limit",
    }.get(status, "other")
    if name == "infeasible":
        return MilpResult("infeasible", None, -np.inf, -np.inf, seconds)
    has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
    if not has_solution:
        bound = float(info.mip_dual_bound) if integer else np.inf
        return MilpResult(name if name != "optimal" else "other", None, -np.inf, bound, seconds)
    solution = h.getSolution()
    values_col = np.asarray(solution.col_value)
    x = values_col > 0.5 if integer else values_col
    value = float(h.getInfo().objective_function_value)
    bound = float(info.mip_dual_bound) if integer else value
    if not np.isfinite(bound):
        bound = value
    duals = None
    if not integer and solution.dual_valid:
        duals = np.asarray(solution.row_dual)[:n_rows]
    return MilpResult(name, np.asarray(x), value, max(bound, value), seconds, duals)


def _plain_lp(
    cost: np.ndarray,
    A: object,
    row_lo: np.ndarray,
    row_hi: np.ndarray,
    col_lo: np.ndarray,
    col_hi: np.ndarray,
    maximize: bool,
) -> Any:
    import highspy
    import scipy.sparse as sp

    M = sp.csc_matrix(A)
    M.sort_indices()
    inf = highspy.kHighsInf
    lp = highspy.HighsLp()
    lp.num_col_ = M.shape[1]
    lp.num_row_ = M.shape[0]
    lp.sense_ = highspy.ObjSense.kMaximize if maximize else highspy.ObjSense.kMinimize
    lp.col_cost_ = np.asarray(cost, dtype=float)
    lp.col_lower_ = np.where(np.isfinite(col_lo), col_lo, -inf)
    lp.col_upper_ = np.where(np.isfinite(col_hi), col_hi, inf)
    lp.row_lower_ = np.where(np.isfinite(row_lo), row_lo, -inf)
    lp.row_upper_ = np.where(np.isfinite(row_hi), row_hi, inf)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = M.indptr.astype(np.int32)
    lp.a_matrix_.index_ = M.indices.astype(np.int32)
    lp.a_matrix_.value_ = M.data.astype(float)
    return lp


def solve_lp(
    cost: np.ndarray,
    A: object,
    row_lo: np.ndarray,
    row_hi: np.ndarray,
    col_lo: np.ndarray,
    col_hi: np.ndarray,
    *,
    maximize: bool = True,
    time_limit: float = 30.0,
    solver: str = "ipm",
) -> float | None:
    """Optimal value of a plain LP (``A`` any scipy sparse matrix), or None when not solved."""
    import highspy

    lp = _plain_lp(cost, A, row_lo, row_hi, col_lo, col_hi, maximize)
    h = new()
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("solver", solver)
    h.passModel(lp)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    info = h.getInfo()
    # optimal to HiGHS's feasibility tolerances (1e-7); a relative slack of 1e-6 keeps the bound
    # on the safe side of rounding
    value = float(info.objective_function_value)
    slack = 1e-6 * max(1.0, abs(value))
    return value + slack if maximize else value - slack


def mip_bound(
    cost: np.ndarray,
    A: object,
    row_lo: np.ndarray,
    row_hi: np.ndarray,
    col_lo: np.ndarray,
    col_hi: np.ndarray,
    integers: int,
    *,
    start: np.ndarray | None = None,
    time_limit: float = 2.0,
) -> tuple[float, np.ndarray | None]:
    """HiGHS's dual bound on a maximisation MIP whose first ``integers`` columns are 0/1, after at
    most ``time_limit`` seconds from the ``start`` plan, and its best plan (those columns)."""
    import highspy

    lp = _plain_lp(cost, A, row_lo, row_hi, col_lo, col_hi, True)
    n = lp.num_col_
    lp.integrality_ = [highspy.HighsVarType.kInteger] * integers + [
        highspy.HighsVarType.kContinuous
    ] * (n - integers)
    h = new()
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("mip_rel_gap", 1e-6)
    h.passModel(lp)
    if start is not None:
        sol = highspy.HighsSolution()
        sol.col_value = np.concatenate([start.astype(float), np.zeros(n - integers)]).tolist()
        sol.value_valid = True
        h.setSolution(sol)
    h.run()
    info = h.getInfo()
    bound = float(info.mip_dual_bound)
    x = None
    if info.primal_solution_status == 2:
        x = np.asarray(h.getSolution().col_value)[:integers] > 0.5
    if not np.isfinite(bound):
        return np.inf, x
    return bound + 1e-6 * max(1.0, abs(bound)), x
