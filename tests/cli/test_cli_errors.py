"""Mistakes a user makes on the command line end in one error line, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.test_cli import run
from tests.conftest import subprocess_env

PLATFORMS = "instagram, tiktok, youtube, x, facebook, twitch, pinterest, snapchat, linkedin"


@pytest.mark.parametrize(
    "args",
    [
        ("tiers", "set", "--platform", "myspace", "--micro", "20k"),
        ("creators", "list", "--platform", "myspace"),
        ("creators", "show", "myspace:@x"),
        ("audit", "myspace:@x"),
    ],
)
def test_an_unknown_platform_is_one_line_naming_the_valid_ones(
    demo_copy: Path, args: tuple[str, ...]
) -> None:
    out = run(*args, db=demo_copy, code=2)
    lines = out.strip().splitlines()
    assert len(lines) == 1, out
    assert lines[0].startswith("error: ") and "'myspace'" in lines[0] and PLATFORMS in lines[0]


def test_sorting_by_handle_lists_handles_in_order(demo_copy: Path) -> None:
    for flags, descending in (((), True), (("--asc",), False)):
        data = json.loads(
            run(
                "creators",
                "list",
                "--sort",
                "handle",
                *flags,
                "--limit",
                "0",
                "--json",
                db=demo_copy,
            )
        )
        handles = [c["handle"] for c in data["creators"]]
        assert len(handles) == data["total"] > 0
        assert handles == sorted(handles, reverse=descending)


@pytest.mark.slow
@pytest.mark.parametrize("json_flag", [(), ("--json",)])
def test_a_reader_that_goes_away_ends_the_listing_quietly(
    demo_copy: Path, json_flag: tuple[str, ...]
) -> None:
    # `creatormix creators list | head -1` once head has exited: the read end is already closed
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "creatormix",
                "--db",
                str(demo_copy),
                "creators",
                "list",
                *json_flag,
            ],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            env=subprocess_env(),
            timeout=120,
        )
    finally:
        os.close(write_end)
    assert done.stderr == "" and done.returncode == 1, (done.returncode, done.stderr)


def test_each_command_lays_out_for_the_width_it_is_given(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from creatormix.cli.app import app

    db = tmp_path / "ws.duckdb"
    narrow = CliRunner().invoke(app, ["init", str(db)], env={"COLUMNS": "60"})
    assert narrow.exit_code == 0, narrow.output
    export = tmp_path / "a-file-name-long-enough-to-need-a-wide-page.csv"
    export.write_text("handle,followers\nann,10\n")
    wide = run("import", "creators", str(export), "-p", "ig", db=db)  # COLUMNS=200
    assert f"from {export}: 1 accepted, 0 rejected of 1 records" in wide
