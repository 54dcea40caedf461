"""Shared fixtures: fresh workspaces, the demo workspace, and the real public data when present."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from creatormix.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"


def subprocess_env() -> dict[str, str]:
    """Environment for child `python -m creatormix` processes: this checkout's sources first."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("CREATORMIX_DB", None)
    return env


@pytest.fixture
def python() -> str:
    return sys.executable


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"public test data not found at {SHARED_DATA} (see ../shared/data/README.md)")
    return SHARED_DATA


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    with Workspace.create(tmp_path / "ws.duckdb") as workspace:
        yield workspace


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo workspace, built once per session; copy it (``demo_copy``) before writing."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    Workspace.build_demo(path, seed=7, creators=1500).close()
    return path


@pytest.fixture
def demo_copy(demo_db: Path, tmp_path: Path) -> Path:
    target = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, target)
    return target


@pytest.fixture
def demo_ws(demo_copy: Path) -> Iterator[Workspace]:
    with Workspace.open(demo_copy) as workspace:
        yield workspace
