"""A small dated catalog built once per session (``small_db``); ``small`` opens a copy."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from creatormix.workspace import Workspace
from tests.backtest.catalogs import build


@pytest.fixture(scope="session")
def small_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """60 creators with posts on both sides of ``catalogs.AS_OF``: the folder of the workspace
    (``ws.duckdb``) and of the files it was imported from (``files/``)."""
    folder = tmp_path_factory.mktemp("small")
    build(folder / "ws.duckdb", folder / "files", n=60, seed=11)[0].close()
    return folder


@pytest.fixture
def small_copy(small_db: Path, tmp_path: Path) -> Path:
    shutil.copy(small_db / "ws.duckdb", tmp_path / "ws.duckdb")
    shutil.copytree(small_db / "files", tmp_path / "files")
    return tmp_path / "ws.duckdb"


@pytest.fixture
def small(small_copy: Path) -> Iterator[Workspace]:
    with Workspace.open(small_copy) as ws:
        yield ws
