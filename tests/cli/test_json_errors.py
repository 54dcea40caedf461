"""Under ``--json`` an error is JSON too: ``{"error": {"code", "message"}}`` on stdout, nothing on
stderr, the error's exit code; and ``--help`` shows a flag without a value placeholder."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import subprocess_env


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = subprocess_env() | {"COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb"}
    return subprocess.run(
        [sys.executable, "-m", "creatormix", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("args", "code", "kind", "words"),
    [
        (("plans", "list", "--json"), 4, "workspace", "no workspace at"),
        (("creators", "list", "--tier", "giant", "--json"), 2, "invalid_option", "--tier 'giant'"),
        (("creators", "show", "instagram:nobody", "--json"), 3, "not_found", "nobody"),
        (("creators", "list", "--sideways", "--json"), 2, "usage", "No such option: --sideways"),
    ],
)
def test_an_error_under_json_is_one_json_object_on_stdout(
    demo_copy: Path, tmp_path: Path, args: tuple[str, ...], code: int, kind: str, words: str
) -> None:
    db = tmp_path / "missing.duckdb" if kind == "workspace" else demo_copy
    done = _cli("--db", str(db), *args, cwd=tmp_path)
    assert done.returncode == code, done
    assert done.stderr == "", done.stderr
    body = json.loads(done.stdout)
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
    assert body["error"]["code"] == kind, body
    assert words in body["error"]["message"], body


def test_without_json_the_same_error_stays_one_line_on_stderr(tmp_path: Path) -> None:
    done = _cli("--db", str(tmp_path / "missing.duckdb"), "plans", "list", cwd=tmp_path)
    assert done.returncode == 4 and done.stdout == ""
    assert done.stderr.startswith("error: no workspace at"), done.stderr


def test_json_after_a_double_dash_is_a_value_not_the_option(tmp_path: Path) -> None:
    done = _cli("--db", str(tmp_path / "x.duckdb"), "plans", "list", "--", "--json", cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == "", (
        done
    )  # click's usage error, as without --json


@pytest.mark.parametrize("args", [(), ("plan",), ("plans",), ("creators", "list")])
def test_help_shows_flags_without_a_value_placeholder(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    done = _cli(*args, "--help", cwd=tmp_path)
    assert done.returncode == 0, done
    assert "<bool>" not in done.stdout, done.stdout
    flag = next(line for line in done.stdout.splitlines() if "--help" in line)
    assert flag.split("--help", 1)[1].split()[:2] == ["Show", "this"], flag
    if args == ("plan",):
        assert any(
            "--no-save" in line and line.split("--no-save", 1)[1].split()[0] == "Do"
            for line in done.stdout.splitlines()
        ), done.stdout
