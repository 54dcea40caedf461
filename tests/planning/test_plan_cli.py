"""The planning commands, in process: fixed width, no colour, exit codes asserted with the output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from creatormix.cli.app import app
from tests.conftest import subprocess_env

runner = CliRunner()


def run(*args: str, db: Path, code: int = 0) -> str:
    result = runner.invoke(
        app, ["--db", str(db), *args], env={"COLUMNS": "160", "NO_COLOR": "1", "TERM": "dumb"}
    )
    assert result.exit_code == code, f"exit {result.exit_code}: {result.output}"
    return result.output


def test_plan_then_show_list_and_export_as_a_marketer_would(
    demo_copy: Path, tmp_path: Path
) -> None:
    html, csv_file = tmp_path / "frontier.html", tmp_path / "plan.csv"
    out = run(
        "plan",
        "--goal",
        "engagement",
        "--budget",
        "8000",
        "--ship-to",
        "FR,BE",
        "--tier-share",
        "micro>=20%",
        "--target",
        "50k",
        "--budgets",
        "4k,8k",
        "--scenarios",
        "1000",
        "--frontier",
        str(html),
        "--export",
        str(csv_file),
        db=demo_copy,
    )
    assert "Plan #1" in out and "creators chosen" in out and "P10" in out
    assert "Budget by tier" in out and "Optimality" in out and "Micro or macro?" in out
    assert "chance of reaching 50.0k engagements" in out
    assert html.exists() and csv_file.read_text().startswith("platform,handle,tier")
    listed = json.loads(run("plans", "list", "--json", db=demo_copy))
    assert [p["plan_id"] for p in listed["plans"]] == [1]
    shown = json.loads(run("plans", "show", "1", "--json", db=demo_copy))
    assert shown["plan_id"] == 1 and shown["goal"] == "engagement" and shown["selections"]
    assert shown["optimality"]["ratio"] is not None
    assert {s["tier"] for s in shown["selections"]} >= {"micro"}
    assert "Plan #1" in run("plans", "show", "1", db=demo_copy)


def test_plan_json_carries_the_record_campaigns_read(demo_copy: Path) -> None:
    data = json.loads(
        run(
            "plan",
            "--goal",
            "awareness",
            "--budget",
            "5000",
            "--deal-types",
            "paid,gifted",
            "--product-cost",
            "20",
            "--outreach-cost",
            "0",
            "--no-frontier",
            "--scenarios",
            "500",
            "--json",
            db=demo_copy,
        )
    )
    for key in (
        "plan_id",
        "created_at",
        "goal",
        "budget",
        "currency",
        "selections",
        "totals",
        "tier_shares",
        "optimality",
        "left_out",
        "priors",
        "notes",
        "model_versions",
    ):
        assert key in data, key
    pick = data["selections"][0]
    assert {"platform", "handle", "tier", "deal_type", "cost", "expected", "reasons"} <= set(pick)
    assert set(pick["expected"]["reach"]) == {"mean", "p10", "p50", "p90"}
    assert data["plan_id"] == 1  # saved: its number, the same in plans show --json
    shown = json.loads(run("plans", "show", "1", "--json", db=demo_copy))
    assert shown["plan_id"] == 1 and shown["selections"] == data["selections"]
    unsaved = json.loads(
        run(
            "plan",
            "--goal",
            "engagement",
            "--budget",
            "2000",
            "--no-frontier",
            "--no-save",
            "--scenarios",
            "500",
            "--json",
            db=demo_copy,
        )
    )
    assert unsaved["plan_id"] is None  # not saved: no number, never a fake 0


def test_bad_input_is_one_line_with_a_reason(demo_copy: Path, tmp_path: Path) -> None:
    out = run("plan", "--goal", "engagement", "--budget", "-5", db=demo_copy, code=2)
    assert "budget = '-5'" in out and "Traceback" not in out
    out = run(
        "plan",
        "--goal",
        "engagement",
        "--budget",
        "300",
        "--min-creators",
        "12",
        "--no-frontier",
        db=demo_copy,
        code=2,
    )
    assert "constraints conflict" in out and "at least 12 creators" in out
    out = run(
        "plan",
        "--goal",
        "awareness",
        "--budget",
        "1000",
        "--ship-to",
        "Narnia",
        db=demo_copy,
        code=2,
    )
    assert "unknown country" in out
    f = tmp_path / "f.csv"
    f.write_text("creator,follower\n@who_is_this,1\n")
    out = run("import", "followers", str(f), db=demo_copy, code=2)
    assert "not in the catalog" in out and "nothing was imported" in out
    assert "no plan #4" in run("plans", "show", "4", db=demo_copy, code=3)


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--export", "/nonexistent/p.csv"], "cannot write the plan CSV to /nonexistent/p.csv"),
        (["--frontier", "/nonexistent/x.html"], "no such directory /nonexistent"),
        (["--frontier", "x.html", "--no-frontier"], "--frontier needs the frontier"),
        (["--months", "0"], "deals.months = '0': must be at least 1"),
        (["--time-limit", "-1"], "time limit -1"),
        (["--currency", "XYZ"], "not an ISO 4217 currency code"),
    ],
)
def test_bad_options_fail_before_anything_is_planned_or_saved(
    demo_copy: Path, flags: list[str], message: str
) -> None:
    out = run("plan", "--goal", "engagement", "--budget", "2000", *flags, db=demo_copy, code=2)
    assert message in out and "Traceback" not in out, out
    assert json.loads(run("plans", "list", "--json", db=demo_copy))["plans"] == []


def test_priors_can_be_shown_and_overridden(demo_copy: Path) -> None:
    run(
        "plans",
        "set-prior",
        "click_rate",
        "2%",
        "--platform",
        "instagram",
        "--tier",
        "micro",
        "--note",
        "our 2025 campaigns",
        db=demo_copy,
    )
    data = json.loads(run("plans", "priors", "--json", db=demo_copy))
    rows = {(r["tier"], r["metric"]): r for r in data["priors"]}
    assert rows[("micro", "click_rate")]["mean"] == 0.02
    assert rows[("micro", "click_rate")]["origin"] == "workspace"
    assert rows[("mid", "click_rate")]["origin"] == "published"
    run("plans", "set-rate", "instagram", "micro", "150", "700", db=demo_copy)
    data = json.loads(run("plans", "priors", "--json", db=demo_copy))
    assert data["rate_card"]["ranges"]["instagram"]["micro"] == [150.0, 700.0]
    run("plans", "set-rate", "tiktok", "micro", "300", "900", "--format", "reel", db=demo_copy)
    data = json.loads(run("plans", "priors", "--json", db=demo_copy))
    assert data["rate_card"]["format_ranges"]["tiktok"]["video"]["micro"] == [300.0, 900.0]
    assert data["rate_card"]["ranges"]["tiktok"]["micro"] != [300.0, 900.0]
    assert "300-900*" in run("plans", "priors", "--platform", "tiktok", db=demo_copy)
    assert "unknown format" in run(
        "plans", "set-rate", "tiktok", "micro", "1", "2", "--format", "gif", db=demo_copy, code=2
    )
    assert "unknown metric" in run("plans", "set-prior", "fame_rate", "2%", db=demo_copy, code=2)


@pytest.mark.slow
def test_plan_json_on_a_real_stdout_is_json_and_nothing_else(demo_copy: Path) -> None:
    # CliRunner sees only Python's sys.stdout; a solver library that prints to file descriptor 1
    # (highspy 1.16 prints a banner whenever an instance is made) corrupts piped --json output.
    args = ["plan", "--goal", "engagement", "--budget", "5000", "--scenarios", "500", "--json"]
    proc = subprocess.run(
        [sys.executable, "-m", "creatormix", "--db", str(demo_copy), *args],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    plan = json.loads(proc.stdout)
    assert plan["budget"] == 5000 and plan["selections"]


def test_small_rates_and_shares_keep_their_digits(demo_copy: Path) -> None:
    from datetime import datetime

    from creatormix.domain.plan import LearnedRate
    from creatormix.store import campaigns as cstore
    from creatormix.views.format import share as _share
    from creatormix.workspace import Workspace

    with Workspace.open(demo_copy) as ws, ws.store.transaction():
        rate = LearnedRate("instagram", "micro", "click_rate", 4, 120_000, "campaign 'Tiny'")
        cstore.append_learned_rates(ws.store, [rate], 1, datetime(2026, 1, 1))
    out = run("plans", "learned", db=demo_copy)
    assert "0.00333%" in out and "0.00%" not in out, out
    assert [_share(x) for x in (0.0036, 0.0, 0.3)] == ["<1%", "0%", "30%"]
