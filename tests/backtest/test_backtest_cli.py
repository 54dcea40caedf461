"""`creatormix backtest` in process: fixed width, no colour, exit codes asserted with the output."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from creatormix.cli.app import app

runner = CliRunner()
FAST = ("--draws", "50", "--bootstrap", "500", "--scenarios", "1000")


def run(*args: str, db: Path, code: int = 0) -> str:
    result = runner.invoke(
        app, ["--db", str(db), *args], env={"COLUMNS": "160", "NO_COLOR": "1", "TERM": "dumb"}
    )
    assert result.exit_code == code, f"exit {result.exit_code}: {result.output}"
    return result.output


def test_a_backtest_of_the_demo_as_json_and_a_self_contained_page(
    demo_copy: Path, tmp_path: Path
) -> None:
    page = tmp_path / "backtest.html"
    args = ("--as-of", "2026-08-01", "--horizon", "60d", "--budget", "20k", *FAST)
    data = json.loads(run("backtest", *args, "--json", "--html", str(page), db=demo_copy))
    assert data["as_of"] == "2026-08-01T00:00:00" and data["horizon_days"] == 60
    keys = [s["key"] for s in data["selections"]]
    assert keys == ["plan", "top-followers", "top-raw-er", "top-shrunk-er", "random"]
    for s in data["selections"]:
        assert 0 < s["cost"] <= 20_000 and s["creators"] > 0, s["key"]
        assert s["per_dollar"]["low"] <= s["per_dollar"]["value"] <= s["per_dollar"]["high"]
    plan = data["selections"][0]
    # views where the platform reports them (the demo's videos); the random fills have none
    assert plan["views"] > 0 and plan["views_per_dollar"]["value"] > 0
    assert data["selections"][-1]["views"] is None
    assert data["catalog"]["eligible"] == len(data["creators"]) > 0
    assert data["calibration"]["picks"] == data["selections"][0]["creators"]
    assert {t["name"] for t in data["targets"]} >= {"band coverage", "shrunk vs raw MAE"}
    html = page.read_text(encoding="utf-8")
    assert re.search(r"<script[^>]*\bsrc=", html) is None and "Plotly.newPlot" in html
    assert html.count("Plotly.newPlot") == 2 and len(html) > 1_000_000


def test_a_backtest_reads_as_a_table_with_its_calibration_and_targets(small_copy: Path) -> None:
    out = run(
        "backtest",
        "--as-of",
        "2024-06-01",
        "--horizon",
        "30d",
        "--budget",
        "3k",
        *FAST,
        db=small_copy,
    )
    assert "Backtest: chosen on 2024-06-01, scored on the 30 days after" in out
    for label in (
        "the plan",
        "top by followers",
        "top by raw ER",
        "top by shrunk ER",
        "random (50",
    ):
        assert label in out
    assert "Calibration" in out and "80% bands:" in out and "mean absolute error" in out
    assert "Targets (reported, not tuned for)" in out and ">= 1.3x top by followers" in out
    assert "note: realised value: the first 1 measured post(s)" in out


def test_backtest_mistakes_are_one_line_and_exit_2(small_copy: Path) -> None:
    out = run("backtest", "--as-of", "last june", "--budget", "3k", db=small_copy, code=2)
    assert out.strip().splitlines() == [
        "error: --as-of 'last june': expected a date such as 2019-06-01 (or 2019-06-01T12:00)"
    ]
    out = run(
        "backtest",
        "--as-of",
        "2024-06-01",
        "--goal",
        "awareness",
        "--budget",
        "3k",
        db=small_copy,
        code=2,
    )
    assert "a backtest scores engagement plans (--goal engagement), not awareness" in out
    out = run(
        "backtest",
        "--as-of",
        "2024-06-01",
        "--budget",
        "3k",
        "--html",
        "/no/such/dir/x.html",
        db=small_copy,
        code=2,
    )
    assert "cannot write the backtest page to /no/such/dir/x.html: no such directory" in out


def test_backtest_reads_the_budget_as_plan_does(small_copy: Path) -> None:
    """The brief flags are `plan`'s own (cli/brief_options.py): a budget that reads only with a
    decimal comma is refused with the fix named, and --decimal is accepted."""
    base = ("backtest", "--as-of", "2024-06-01", *FAST)
    out = run(*base, "--budget", "3.000,50", db=small_copy, code=2)
    assert "reads only with a decimal comma" in out and "--decimal ','" in out
    with_decimal = json.loads(
        run(*base, "--budget", "3.000,50", "--decimal", ",", "--json", db=small_copy)
    )
    plain = json.loads(run(*base, "--budget", "3000.5", "--json", db=small_copy))
    assert with_decimal["budget"] == plain["budget"] == 3000.5
