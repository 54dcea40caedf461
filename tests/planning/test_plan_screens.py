"""What the plan screen shows, read as a marketer reads it: units, warnings, coherent numbers."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from creatormix.cli.app import app
from creatormix.cli.render import fmt_count
from creatormix.domain.numbers import money_range

runner = CliRunner()
PROFIT = ["--goal", "sales", "--objective", "profit", "--aov", "40", "--margin", "60%"]


def run(*args: str, db: Path, code: int = 0) -> str:
    result = runner.invoke(
        app, ["--db", str(db), *args], env={"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}
    )
    assert result.exit_code == code, f"exit {result.exit_code}: {result.output}"
    return result.output


def plan(db: Path, *flags: str, code: int = 0) -> tuple[str, dict[str, object]]:
    """The plan's screen and its JSON twin (same brief, same seed: the same plan)."""
    args = ["plan", *flags, "--scenarios", "800", "--no-save"]
    out = run(*args, db=db, code=code)
    data = json.loads(run(*args, "--json", db=db)) if code == 0 else {}
    return out, data


def _row(out: str, handle: str) -> list[str]:
    line = next(x for x in out.splitlines() if f"@{handle} " in x and "│" in x)
    return [c.strip() for c in line.split("│")[1:-1]]


def test_each_pick_shows_the_band_of_its_own_profit_not_its_reach(demo_copy: Path) -> None:
    out, data = plan(demo_copy, *PROFIT, "--budget", "6000", "--no-frontier")
    picks = data["selections"]
    assert isinstance(picks, list) and picks
    for s in picks:
        g, reach = s["goal"], s["expected"]["reach"]
        assert g["p10"] <= g["p50"] <= g["p90"], g
        # profit = margin x revenue - cost, so its band is the revenue band moved by the cost
        rev = s["expected"]["revenue"]
        assert abs(g["p90"] - (0.6 * rev["p90"] - s["cost"])) <= 1e-3 * max(1.0, rev["p90"])
        cells = _row(out, s["handle"])
        assert cells[7] == money_range(g["p10"], g["p90"], "USD", short=False), cells
        assert cells[7] != f"{fmt_count(reach['p10'])}–{fmt_count(reach['p90'])}"


def test_a_mix_pick_shows_the_band_of_its_own_score(demo_copy: Path) -> None:
    flags = ["--goal", "mix", "--weights", "engagement=0.6,reach=0.4", "--budget", "4000"]
    out, data = plan(demo_copy, *flags, "--no-frontier")
    picks = data["selections"]
    assert isinstance(picks, list) and picks
    for s in picks:
        g = s["goal"]
        assert 0 <= g["p10"] <= g["p50"] <= g["p90"] < 2, g  # a score, not people
        assert _row(out, s["handle"])[7] == f"{fmt_count(g['p10'])}–{fmt_count(g['p90'])}"


def test_a_profit_brief_where_every_creator_loses_money_is_refused_and_not_saved(
    demo_copy: Path,
) -> None:
    flags = ["--goal", "sales", "--objective", "profit", "--aov", "10", "--margin", "10%"]
    out = run("plan", *flags, "--budget", "20000", db=demo_copy, code=2)
    assert "no creator is expected to return their cost at these assumptions" in out, out
    assert "margin 10%" in out and "needs 10 USD of revenue per USD of cost" in out, out
    assert json.loads(run("plans", "list", "--json", db=demo_copy))["plans"] == []


def test_the_frontier_says_no_profitable_plan_where_no_mix_makes_money(demo_copy: Path) -> None:
    flags = ["--goal", "sales", "--objective", "profit", "--aov", "40", "--margin", "60%"]
    out, data = plan(demo_copy, *flags, "--budget", "20000", "--budgets", "50,20k")
    front = data["frontier"]
    assert isinstance(front, dict)
    at = {(p["policy"], p["budget"]): p for p in front["points"]}
    assert at[("mix", 50.0)]["value"] is None and at[("mix", 50.0)]["note"] == "no profitable plan"
    assert at[("mix", 20000.0)]["objective"] > 0
    assert all(p["value"] is None or p["objective"] > 0 for p in front["points"]), front
    row = next(x for x in out.splitlines() if [c.strip() for c in x.split("│")[1:2]] == ["$50"])
    assert "no profitable plan" in row, out


def _mix_at_plan_budget(data: dict[str, object]) -> dict[str, object]:
    front = data["frontier"]
    assert isinstance(front, dict)
    return next(
        p for p in front["points"] if p["policy"] == "mix" and p["budget"] == data["budget"]
    )


def test_a_plan_proven_optimal_is_optimal_on_its_own_frontier_point(demo_copy: Path) -> None:
    out, data = plan(demo_copy, "--goal", "engagement", "--budget", "8000", "--budgets", "4k,8k")
    opt = data["optimality"]
    assert isinstance(opt, dict) and opt["gap"] <= 1e-9, opt  # the brief's plan is proven optimal
    point = _mix_at_plan_budget(data)
    assert point["objective"] == opt["value"]
    assert point["gap"] <= 1e-9, point
    row = next(x for x in out.splitlines() if [c.strip() for c in x.split("│")[1:2]] == ["$8,000"])
    assert row.split("│")[-2].strip() == "optimal", out


def test_the_frontier_quotes_the_plans_own_monte_carlo_at_its_budget(demo_copy: Path) -> None:
    out, data = plan(demo_copy, "--goal", "engagement", "--budget", "8000", "--budgets", "4k,8k")
    totals = data["totals"]
    assert isinstance(totals, dict)
    goal = totals["engagements"]
    point = _mix_at_plan_budget(data)
    assert point["creators"] == len(data["selections"])  # type: ignore[arg-type]
    assert point["value"] == goal  # one simulation: the same P10, P50 and P90
    band = f"Monte Carlo P10-P90 {fmt_count(goal['p10'])}-{fmt_count(goal['p90'])}"
    assert band in " ".join(out.split()), out
    front = data["frontier"]
    assert isinstance(front, dict)
    for p in front["points"]:
        q = p["value"]
        assert q is None or q["p10"] <= q["p50"] <= q["p90"], p


def test_reasons_speak_in_words_and_the_currency_never_in_metric_keys(demo_copy: Path) -> None:
    import re

    out, _ = plan(demo_copy, "--goal", "giveaway", "--budget", "3000", "--no-frontier")
    assert "followers_gained" not in out, out
    assert "followers gained per $1,000" in out and "loses " in out, out
    out, data = plan(
        demo_copy, "--goal", "sales", "--aov", "40", "--budget", "3000", "--no-frontier"
    )
    assert re.search(r"\$[0-9.,]+k? of revenue per \$1,000", out), out
    assert not re.search(r"\d revenue", out), out  # an amount of revenue always has its currency
    left = data["left_out"]
    assert isinstance(left, list) and left
    assert all("revenue" not in x["detail"] or "USD of revenue" in x["detail"] for x in left), left


def test_without_a_target_nothing_is_said_to_be_in_the_target(demo_copy: Path) -> None:
    out, data = plan(demo_copy, "--goal", "awareness", "--budget", "3000", "--budgets", "3k")
    flat = " ".join(out.split())
    assert "in the target" not in flat and "(target)" not in flat, out
    assert "adds " in out and data["unit"] == "people reached (unique)"
    out, _ = plan(
        demo_copy, "--goal", "awareness", "--budget", "3000", "--ship-to", "FR", "--no-frontier"
    )
    assert "unique reach (target)" in out and "people in the target" in out, out


def test_the_assumed_follow_rate_is_called_an_assumption_wherever_it_shows(
    demo_copy: Path,
) -> None:
    priors = json.loads(run("plans", "priors", "--json", db=demo_copy))["priors"]
    origins = {r["metric"]: r["origin"] for r in priors if r["tier"] == "micro"}
    assert origins["follow_rate"] == "assumption" and origins["click_rate"] == "published"
    out, data = plan(demo_copy, "--goal", "giveaway", "--budget", "3000", "--no-frontier")
    flat = " ".join(out.split())
    assert "followers gained (assumed rate)" in flat, out
    assert "note: followers gained use an assumed follow rate of 1.0%" in flat, out
    used = [p for p in data["priors"] if p["metric"] == "follow_rate"]  # type: ignore[union-attr]
    assert used and {p["origin"] for p in used} == {"assumption"}


def test_learned_counts_and_prior_strengths_never_read_in_scientific_notation(
    demo_copy: Path,
) -> None:
    from datetime import datetime

    from creatormix.domain.plan import LearnedRate
    from creatormix.store import campaigns as cstore
    from creatormix.workspace import Workspace

    rows = [LearnedRate("instagram", "micro", "click_rate", 120, 2_000_000, "campaign 'Big'")]
    with Workspace.open(demo_copy) as ws, ws.store.transaction():
        cstore.append_learned_rates(ws.store, rows, 1, datetime(2026, 1, 1))
    flags = ["--platform", "instagram", "--tier", "micro", "--strength", "25000"]
    assert "strength 25.0k" in run("plans", "set-prior", "click_rate", "1%", *flags, db=demo_copy)
    for args in (("plans", "learned"), ("plans", "priors")):
        out = run(*args, db=demo_copy)
        assert "e+" not in out, out
    assert "2,000,000" in run("plans", "learned", db=demo_copy)
    flat = " ".join(run("plans", "priors", db=demo_copy).split())
    assert "120 of 2,000,000" in flat and "prior's 25.0k" in flat, flat


def test_the_plan_says_which_prior_its_campaigns_replaced_and_on_what_evidence(
    demo_copy: Path,
) -> None:
    from datetime import datetime

    from creatormix.domain.plan import LearnedRate
    from creatormix.store import campaigns as cstore
    from creatormix.workspace import Workspace

    rows = [
        LearnedRate("tiktok", "micro", "click_rate", 20, 2_000, "campaign 'Spring' @a"),
        LearnedRate("tiktok", "micro", "click_rate", 10, 1_000, "campaign 'Spring' @b"),
        LearnedRate("tiktok", "micro", "click_rate", 5, 100, "campaign 'Summer' @c"),
    ]
    with Workspace.open(demo_copy) as ws, ws.store.transaction():
        cstore.append_learned_rates(ws.store, rows, 1, datetime(2026, 1, 1))
    out, data = plan(
        demo_copy, "--goal", "sales", "--aov", "40", "--budget", "3000", "--no-frontier"
    )
    learned = [p for p in data["priors"] if p["origin"] == "learned"]  # type: ignore[union-attr]
    assert [(p["platform"], p["tier"], p["metric"]) for p in learned] == [
        ("tiktok", "micro", "click_rate")
    ]
    flat = " ".join(out.split())
    note = (
        f"note: learned from your campaigns: tiktok/micro click rate {learned[0]['mean'] * 100:.3g}%"
        " replaced the published 1% (2 campaign(s): campaign 'Spring', campaign 'Summer'; "
        "3 creator result(s), 35 clicks of 3,100 people reached)"
    )
    assert note in flat, out
