"""Which of the brief's rules conflict, when no plan satisfies them all.

A deletion filter over rule groups (Chinneck's method for irreducible infeasible subsets, at the
level of the brief's rules rather than single rows): drop one rule at a time; if the rest is still
infeasible, that rule was not needed to explain the conflict and stays dropped. What remains is a
minimal set of rules that cannot hold together; each check is a feasibility MILP in HiGHS.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from creatormix.planning import highs
from creatormix.planning.problem import Problem


def _feasible(
    p: Problem, rows_keep: np.ndarray, must: np.ndarray, time_limit: float
) -> bool | None:
    sub = Problem(p.n_creators, p.creator, p.cost, np.zeros(p.m), p.rows.select(rows_keep), must)
    r = highs.solve(sub, time_limit=time_limit, rel_gap=1.0)
    if r.status == "infeasible":
        return False
    if r.x is not None:
        return True
    return None  # unknown (time limit)


def find_conflict(
    p: Problem, must_names: Mapping[int, str], *, time_limit: float = 10.0
) -> list[str] | None:
    """Names of a minimal set of conflicting rules, or None when the rules can all hold."""
    groups = list(dict.fromkeys(p.rows.groups))
    names = {
        g: next(n for n, gg in zip(p.rows.names, p.rows.groups, strict=True) if gg == g)
        for g in groups
    }
    must_idx = [int(i) for i in np.flatnonzero(p.must)]
    items: list[tuple[str, int, str]] = [("must", i, "") for i in must_idx]
    items += [("row", -1, g) for g in groups if g != "budget"]
    if "budget" in groups:
        items.append(
            ("row", -1, "budget")
        )  # the budget is dropped last: it explains most conflicts
    active = set(range(len(items)))

    def state(selected: set[int]) -> tuple[np.ndarray, np.ndarray]:
        keep_groups = {items[k][2] for k in selected if items[k][0] == "row"}
        rows_keep = np.array([g in keep_groups for g in p.rows.groups], dtype=bool)
        must = np.zeros(p.n_creators, dtype=bool)
        for k in selected:
            if items[k][0] == "must":
                must[items[k][1]] = True
        return rows_keep, must

    rows_keep, must = state(active)
    if _feasible(p, rows_keep, must, time_limit) is not False:
        return None
    for k in range(len(items)):
        trial = active - {k}
        rows_keep, must = state(trial)
        if _feasible(p, rows_keep, must, time_limit) is False:
            active = trial
    out = []
    for k in sorted(active):
        kind, creator, group = items[k]
        out.append(
            f"must include {must_names.get(creator, '?')}" if kind == "must" else names[group]
        )
    return out
