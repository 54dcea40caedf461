"""Properties of every plan, on random catalogs and briefs (Hypothesis)."""

from __future__ import annotations

from datetime import datetime

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from plan_helpers import TIERS, catalog

from creatormix.domain.plan_result import Plan
from creatormix.errors import InvalidOption
from creatormix.planning.brief import parse_brief
from creatormix.planning.candidates import Candidates
from creatormix.planning.planner import Conflict, NoCandidates, PlanInputs, make_plan

NOW = datetime(2026, 1, 1)
SETTINGS = settings(
    max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def briefs(draw: st.DrawFn) -> dict[str, object]:
    """Random briefs over the rules a marketer can write, feasible or not."""
    goal = draw(st.sampled_from(["engagement", "awareness", "content", "sales"]))
    data: dict[str, object] = {
        "goal": goal,
        "budget": draw(st.integers(300, 6000)),
        "scenarios": 300,
        "frontier": {"budgets": "0.5k"},
    }
    constraints: dict[str, object] = {}
    if draw(st.booleans()):
        constraints["max_creators"] = draw(st.integers(2, 12))
    if draw(st.booleans()):
        constraints["min_creators"] = draw(st.integers(1, 6))
    shares: dict[str, str] = {}
    for tier in draw(st.lists(st.sampled_from(TIERS), max_size=2, unique=True)):
        shares[tier] = draw(
            st.sampled_from(
                [
                    f"<={draw(st.integers(20, 80))}%",
                    f">={draw(st.integers(5, 40))}%",
                    f"{draw(st.integers(5, 20))}%-{draw(st.integers(40, 90))}%",
                ]
            )
        )
    if shares:
        constraints["tier_share"] = shares
    if draw(st.booleans()):
        constraints["country_caps"] = {
            "FR": draw(st.sampled_from([draw(st.integers(1, 5)), f"{draw(st.integers(10, 90))}%"]))
        }
    if draw(st.booleans()):
        constraints["niche_caps"] = {
            draw(st.sampled_from(["beauty", "food", "fitness"])): draw(
                st.sampled_from([draw(st.integers(1, 4)), f"{draw(st.integers(10, 90))}%"])
            )
        }
    handles = draw(st.lists(st.integers(0, 39), max_size=3, unique=True))
    if handles and draw(st.booleans()):
        constraints["must_include"] = [f"@c{handles[0]:05d}"]
    if len(handles) > 1:
        constraints["exclude"] = [f"@c{i:05d}" for i in handles[1:]]
    data["constraints"] = constraints
    if goal == "sales":
        data["sales"] = {"aov": 40}
        if draw(st.booleans()):
            data["sales"] = {"aov": 40, "min_roas": draw(st.sampled_from([0.5, 2, 10, 500]))}
    if draw(st.booleans()):
        data["deals"] = {"types": "paid,gifted", "product_cost": 20}
    return data


def _check(plan: Plan, data: dict[str, object], cands: Candidates) -> None:
    brief = plan.brief
    picks = plan.picks
    assert picks  # an empty plan is never an answer
    assert plan.committed_cost <= brief.spendable * (1 + 1e-9) + 1e-6
    assert len({(p.platform, p.handle) for p in picks}) == len(picks)
    if brief.max_creators is not None:
        assert len(picks) <= brief.max_creators
    if brief.min_creators is not None:
        assert len(picks) >= brief.min_creators
    spend = sum(p.committed_cost for p in picks)
    for share in brief.tier_shares:
        tier_spend = sum(p.committed_cost for p in picks if p.tier == share.tier)
        if share.max is not None:
            assert tier_spend <= share.max * spend + 1e-6
        if share.min is not None:
            assert tier_spend >= share.min * spend - 1e-6
    for cap in brief.country_caps:
        inside = [p for p in picks if p.country == cap.key]
        if cap.max_creators is not None:
            assert len(inside) <= cap.max_creators
        if cap.max_share is not None:
            assert sum(p.committed_cost for p in inside) <= cap.max_share * spend + 1e-6
    row = {h: i for i, h in enumerate(cands.handle)}
    for cap in brief.niche_caps:
        inside = [p for p in picks if any(cap.key in c for c in cands.categories[row[p.handle]])]
        if cap.max_creators is not None:
            assert len(inside) <= cap.max_creators
        if cap.max_share is not None:
            assert sum(p.committed_cost for p in inside) <= cap.max_share * spend + 1e-6
    handles = {"@" + p.handle for p in picks}
    assert set(brief.must_include) <= handles
    assert not set(brief.exclude) & handles
    if brief.min_roas is not None:  # expected revenue over expected cost (exact expectations)
        assert plan.totals["revenue"].mean >= brief.min_roas * plan.expected_cost * (1 - 1e-6)


@given(data=briefs(), seed=st.integers(0, 10_000))
@SETTINGS
def test_no_plan_exceeds_its_budget_or_breaks_a_constraint(
    data: dict[str, object], seed: int
) -> None:
    cands = catalog(np.random.default_rng(seed), 40)
    try:
        brief = parse_brief(data)
        plan = make_plan(brief, PlanInputs(cands), now=NOW, time_limit=10)
    except (Conflict, NoCandidates) as exc:
        assert str(exc)  # refused with its reason, never half-planned nor an empty plan
        return
    except InvalidOption as exc:  # rules that contradict each other on their face
        assert "conflict" in str(exc)
        return
    _check(plan, data, cands)
    f = plan.frontier
    assert f is not None
    for b in f.budgets:
        at = [p for p in f.points if p.budget == b and p.value is not None]
        mix = next((p for p in at if p.policy == "mix"), None)
        if mix is None:
            continue
        for p in at:  # the best mix is never worse than a single tier beyond its stated gap
            assert mix.objective >= p.objective * (1 - mix.gap) - 1e-6
        if b == plan.budget:  # nor below the plan itself at the plan's budget
            assert mix.objective >= plan.totals[plan.metric].mean * (1 - 1e-9) - 1e-9


@given(data=briefs(), seed=st.integers(0, 10_000), more=st.floats(1.1, 3.0))
@SETTINGS
def test_more_budget_never_gives_a_worse_plan(
    data: dict[str, object], seed: int, more: float
) -> None:
    cands = catalog(np.random.default_rng(seed), 40)
    data = {**data, "frontier": {"enabled": False}}
    try:
        small = make_plan(parse_brief(data), PlanInputs(cands), now=NOW, time_limit=10)
    except InvalidOption:
        return
    bigger = {**data, "budget": float(data["budget"]) * more}  # type: ignore[arg-type]
    large = make_plan(parse_brief(bigger), PlanInputs(cands), now=NOW, time_limit=10)
    a, b = small.optimality, large.optimality
    assert a is not None and b is not None and b.gap is not None
    assert b.value >= a.value * (1 - b.gap) - 1e-6
