"""Docs that tests keep honest: the CLI reference, every metric, every import field."""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

import pytest

from creatormix.domain.imports import ImportKind
from creatormix.ingest.fields import FIELDS
from creatormix.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def test_the_cli_reference_is_generated_from_the_current_commands() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from gen_cli_docs import render
    finally:
        sys.path.pop(0)
    assert (DOCS / "cli.md").read_text(encoding="utf-8") == render(), (
        "run: python scripts/gen_cli_docs.py"
    )


def test_every_metric_column_is_defined_in_metrics_md(demo_ws: Workspace) -> None:
    text = (DOCS / "metrics.md").read_text(encoding="utf-8")
    facts = set(demo_ws.store.table("creator_facts").columns)
    derived = [c for c in demo_ws.store.table("creator_metrics").columns if c not in facts]
    assert derived
    missing = [c for c in derived if f"`{c}`" not in text]
    assert not missing, f"undocumented metric columns: {missing}"


def test_every_import_field_is_documented() -> None:
    text = (DOCS / "importing.md").read_text(encoding="utf-8")
    for kind in (ImportKind.CREATORS, ImportKind.POSTS, ImportKind.SNAPSHOTS):
        for field in FIELDS[kind]:
            assert f"`{field.name}`" in text, (kind, field.name)


def test_the_readme_starts_with_install_demo_and_test_commands() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```bash\n(.*?)```", text, re.S)
    assert block is not None
    commands = [ln.split("#")[0].strip() for ln in block.group(1).splitlines() if ln.strip()]
    assert commands[:3] == [
        "python -m pip install -e '.[dev]'",
        "creatormix demo",
        "./scripts/test",
    ]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "./scripts/test" in ci and "pip install -e '.[dev]'" in ci


def test_docs_link_only_to_files_that_exist() -> None:
    for page in [ROOT / "README.md", *DOCS.glob("*.md")]:
        for target in re.findall(r"\]\(((?!https?:)[^)#]+)", page.read_text(encoding="utf-8")):
            assert (page.parent / target).exists(), (page.name, target)


@pytest.mark.slow
def test_the_readme_commands_on_the_demo_workspace_run_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every `creatormix --db creatormix-demo.duckdb ...` line of the README, after `creatormix demo`."""
    from typer.testing import CliRunner

    from creatormix.cli.app import app

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CREATORMIX_DB", raising=False)
    runner = CliRunner()
    env = {"COLUMNS": "160", "NO_COLOR": "1", "TERM": "dumb"}
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = [
        ln.split("  #")[0].strip()
        for block in re.findall(r"```bash\n(.*?)```", text, re.S)
        for ln in block.splitlines()
        if ln.startswith("creatormix --db creatormix-demo.duckdb ")
    ]
    assert len(lines) >= 4
    done = runner.invoke(app, ["demo"], env=env)
    assert done.exit_code == 0, done.output
    for line in lines:
        result = runner.invoke(app, shlex.split(line)[1:], env=env)
        assert result.exit_code == 0, f"{line}\n{result.output}"


def test_the_web_page_example_of_the_architecture_page_names_what_exists() -> None:
    """docs/architecture.md's route: valid Python, and the facade call and view it makes exist."""
    import ast
    import importlib

    text = (DOCS / "architecture.md").read_text(encoding="utf-8")
    section = text.split("## Adding a web page", 1)[1].split("\n## ", 1)[0]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None, "the section shows no Python example"
    tree = ast.parse(code.group(1))
    calls = {
        n.func.attr
        for n in ast.walk(tree)
        if isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and isinstance(n.func.value, ast.Name)
        and n.func.value.id == "ws"
    }
    assert calls and all(callable(getattr(Workspace, name, None)) for name in calls), calls
    views = [
        (n.module, a.name)
        for n in ast.walk(tree)
        if isinstance(n, ast.ImportFrom) and n.module and n.module.startswith("creatormix.views")
        for a in n.names
    ]
    assert views and all(callable(getattr(importlib.import_module(m), f)) for m, f in views)
