"""Sales and profit plans say what they mean: a likely loss first, unspent budget explained,
money with its sign, long-shot gifts named, combined tier shares kept."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from creatormix.cli.app import app
from creatormix.workspace import Workspace

FAST = {"frontier.enabled": False, "scenarios": 1000}


def _brief(ws: Workspace, **overrides: object):
    return ws.brief(overrides={**FAST, **overrides})


def test_a_plan_whose_median_is_a_loss_says_so_first(demo_ws: Workspace) -> None:
    brief = _brief(demo_ws, goal="profit", budget="15k", **{"sales.aov": 30, "sales.margin": "30%"})
    plan = demo_ws.plan(brief, save=False)
    profit = plan.totals["profit"]
    assert profit.p50 < 0  # the demo's most likely outcome at this order value
    assert plan.warnings and plan.warnings[0].startswith("the most likely outcome is a loss")
    assert re.search(r"median \(P50\) profit is -\$[\d.]+k?", plan.warnings[0])
    for pick in plan.picks:
        assert all(" loses -" not in r and "$-" not in r for r in pick.reasons)


def test_unspent_budget_names_why_no_creator_was_added(demo_ws: Workspace) -> None:
    brief = _brief(demo_ws, goal="profit", budget="15k", **{"sales.aov": 30, "sales.margin": "30%"})
    plan = demo_ws.plan(brief, save=False)
    assert plan.committed_cost < 0.9 * plan.budget
    assert "is unspent: no creator left out is expected to return more than it costs" in (
        plan.unspent
    )
    # a rule that binds is named instead
    capped = _brief(
        demo_ws, goal="engagement", budget="8k", tiers="nano", **{"constraints.max_creators": 3}
    )
    plan = demo_ws.plan(capped, save=False)
    assert plan.committed_cost < 0.9 * plan.budget
    assert 'the brief\'s rule "at most 3 creators" binds' in plan.unspent
    # a plan that spends its budget says nothing
    full = demo_ws.plan(_brief(demo_ws, goal="engagement", budget="8k"), save=False)
    assert full.committed_cost >= 0.95 * full.budget and full.unspent == ""


def test_long_shot_gifts_are_named_and_money_is_signed_in_the_table(
    demo_copy: Path,
) -> None:
    runner = CliRunner()
    args = [
        "--db", str(demo_copy), "plan", "--goal", "profit", "--budget", "15000", "--aov", "45",
        "--margin", "40%", "--deal-types", "paid,gifted", "--no-frontier", "--no-save",
        "--scenarios", "1000",
    ]  # fmt: skip
    result = runner.invoke(app, args, env={"COLUMNS": "220", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    out = result.output
    assert "$-" not in out  # negative money is -$84, never $-84
    lines = out.splitlines()
    table = next(i for i, line in enumerate(lines) if "creators chosen" in line)
    warnings = [line for line in lines[:table] if line.startswith("warning: ")]
    assert any("gifts to creators who post with a chance of 2% or less" in w for w in warnings)
    # a gift that almost never posts: its band is one signed amount, not "$-102–$-102"
    assert re.search(r"gifted \d%.*│\s+-\$\d+ │", out)


def test_combined_tier_shares_are_accepted_and_kept(demo_ws: Workspace) -> None:
    brief = _brief(
        demo_ws, goal="engagement", budget="8k", **{"constraints.tier_share.nano+micro": ">=60%"}
    )
    (share,) = brief.tier_shares
    assert share.tier == "nano+micro" and share.tiers == ("nano", "micro") and share.min == 0.6
    plan = demo_ws.plan(brief, save=False)
    small = plan.tier_shares.get("nano", 0.0) + plan.tier_shares.get("micro", 0.0)
    assert small >= 0.6 - 1e-6
    free = demo_ws.plan(_brief(demo_ws, goal="engagement", budget="8k"), save=False)
    assert free.tier_shares.get("nano", 0.0) + free.tier_shares.get("micro", 0.0) < 0.6


def test_the_tier_share_option_reads_a_group_of_tiers(tmp_path: Path) -> None:
    from creatormix.planning.brief import parse_brief

    b = parse_brief(
        {
            "goal": "engagement",
            "budget": 100,
            "constraints": {"tier_share": {"micro+nano": "<=70%"}},
        }
    )
    assert [(s.tier, s.max) for s in b.tier_shares] == [("nano+micro", 0.7)]
    with pytest.raises(Exception, match="unknown tier 'midi'"):
        parse_brief(
            {
                "goal": "engagement",
                "budget": 100,
                "constraints": {"tier_share": {"nano+midi": ">=5%"}},
            }
        )
    assert np.isclose(b.tier_shares[0].max or 0, 0.7)
