"""The additive optimiser: exact on small instances, proven gap on large ones."""

from __future__ import annotations

import numpy as np
import pytest
from plan_helpers import brute_force, random_problem

from creatormix.planning import additive


@pytest.mark.parametrize("seed", range(40))
def test_the_optimiser_matches_brute_force_on_small_random_instances(seed: int) -> None:
    rng = np.random.default_rng(seed)
    options = 1 + seed % 3
    n = 9 if options == 1 else 6
    p, _ = random_problem(rng, n, options=options, must=seed % 2)
    exact = brute_force(p)
    if not np.isfinite(exact):
        with pytest.raises(additive.Infeasible):
            additive.solve(p, exact_limit=0)
        return
    for limit in (0, 10_000):  # the Lagrangian core path and HiGHS on the whole problem
        sol = additive.solve(p, exact_limit=limit)
        assert p.is_feasible(sol.x)
        assert sol.value == pytest.approx(exact, rel=1e-6, abs=1e-9), (limit, sol.method)
        assert sol.bound >= exact - 1e-6


def test_the_core_path_agrees_with_highs_on_a_larger_instance() -> None:
    rng = np.random.default_rng(7)
    p, _ = random_problem(rng, 3000, options=2, budget_share=0.05)
    fast = additive.solve(p, exact_limit=0, rel_gap=1e-4)
    whole = additive.solve(p, exact_limit=10**9, rel_gap=1e-6, time_limit=120)
    assert p.is_feasible(fast.x)
    # both are within their proven gaps of the same optimum
    assert fast.value >= whole.bound * (1 - fast.gap) - 1e-6
    assert fast.bound >= whole.value - 1e-6
    assert fast.gap <= 1e-3


def test_an_infeasible_problem_is_reported() -> None:
    rng = np.random.default_rng(3)
    p, _ = random_problem(rng, 8, counts=False)
    from creatormix.planning.problem import Problem, Rows

    rows = p.rows
    tight = Rows(
        rows.A,
        rows.lo,
        np.where(np.array(rows.groups) == "budget", 0.0, rows.hi),
        rows.names,
        rows.groups,
    )
    must = np.zeros(p.n_creators, dtype=bool)
    must[0] = True
    q = Problem(p.n_creators, p.creator, p.cost, p.value, tight, must)
    with pytest.raises(additive.Infeasible):
        additive.solve(q)
