"""Regenerate docs/cli.md from the commands' own --help: ``python scripts/gen_cli_docs.py``.

tests/test_docs.py fails when the file is out of date, so the reference cannot drift from the code.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

HEADER = """# Command reference

Generated from each command's `--help` by `python scripts/gen_cli_docs.py`; do not edit by hand.
Every command that lists things accepts `--json`; under `--json` an error is JSON too,
`{"error": {"code": "invalid_option", "message": "..."}}` on stdout with the error's exit code
(2 a wrong value or option, 3 not found, 4 a workspace problem). The workspace is chosen by
`--db PATH`, else `$CREATORMIX_DB`, else `./creatormix.duckdb`.
"""


def _commands() -> list[list[str]]:
    import typer
    from typer.main import get_command

    from creatormix.cli.app import app

    root = get_command(app)
    paths: list[list[str]] = [[]]

    def walk(cmd: typer.core.TyperGroup | object, prefix: list[str]) -> None:
        sub = getattr(cmd, "commands", None)
        if not sub:
            return
        for name in sorted(sub):
            paths.append([*prefix, name])
            walk(sub[name], [*prefix, name])

    walk(root, [])
    return paths


def render() -> str:
    from typer.testing import CliRunner

    from creatormix.cli.app import app

    runner = CliRunner()
    parts = [HEADER]
    for path in _commands():
        result = runner.invoke(
            app, [*path, "--help"], env={"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
        )
        title = " ".join(["creatormix", *path])
        text = "\n".join(line.rstrip() for line in result.output.strip("\n").splitlines())
        parts.append(f"\n## `{title}`\n\n```text\n{text}\n```\n")
    return "".join(parts)


if __name__ == "__main__":
    (ROOT / "docs" / "cli.md").write_text(render(), encoding="utf-8")
