"""Changing the tier scheme from the command line: its name and the bounds as the user wrote them."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_cli import run


def test_changing_bounds_again_keeps_one_custom_suffix(demo_copy: Path) -> None:
    names = [
        json.loads(run("tiers", "set", *flags, "--json", db=demo_copy))["scheme"]["name"]
        for flags in (
            ("--micro", "15k"),
            ("--mid", "120k"),
            ("--platform", "tiktok", "--micro", "2k"),
        )
    ]
    assert names == ["default+custom"] * 3
    assert json.loads(run("tiers", "--json", db=demo_copy))["scheme"]["name"] == "default+custom"


def test_fractional_bounds_are_exact_and_shown_as_written(demo_copy: Path) -> None:
    out = run(
        "tiers",
        "set",
        "--micro",
        "1.15k",
        "--mid",
        "2.5m",
        "--macro",
        "5m",
        "--mega",
        "12.5m",
        db=demo_copy,
    )
    assert "nano <1.15k, micro 1.15k-2.5M, mid 2.5M-5M" in out
    scheme = json.loads(run("tiers", "--json", db=demo_copy))["scheme"]
    assert scheme["bands"]["micro"] == 1150 and scheme["bands"]["mid"] == 2_500_000
    out = run("tiers", "set", "--micro", "1.2345k", db=demo_copy, code=2)
    assert (
        out.strip()
        == "error: --micro '1.2345k' is 1234.5; a count is a whole number (e.g. 1234 or 1235)"
    )
    assert json.loads(run("tiers", "--json", db=demo_copy))["scheme"]["bands"]["micro"] == 1150
