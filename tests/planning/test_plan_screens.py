"""What the plan screen shows, read as a marketer reads it: units, warnings, coherent numbers."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from creatormix.cli.app import app
from creatormix.cli.render import fmt_count, fmt_money

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
        assert cells[7] == f"{fmt_money(g['p10'], 'USD')}–{fmt_money(g['p90'], 'USD')}", cells
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
