"""The workspace caps DuckDB's memory (it spills to disk beyond it); the cap is configurable."""

from __future__ import annotations

from pathlib import Path

import pytest

from creatormix.errors import InvalidOption
from creatormix.store.core import ENV_MEMORY_LIMIT
from creatormix.workspace import Workspace


def _limit(ws: Workspace) -> str:
    return str(ws.store.con.con.execute("select current_setting('memory_limit')").fetchone()[0])


def test_the_default_cap_is_2gb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_MEMORY_LIMIT, raising=False)
    with Workspace.create(tmp_path / "ws.duckdb") as ws:
        assert _limit(ws) == "1.8 GiB"  # DuckDB shows 2 GB (10^9 bytes) in GiB


def test_the_environment_sets_another_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_MEMORY_LIMIT, "500MB")
    with Workspace.create(tmp_path / "ws.duckdb") as ws:
        assert _limit(ws) == "476.8 MiB"


def test_a_cap_that_is_no_size_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_MEMORY_LIMIT, "lots")
    with pytest.raises(InvalidOption, match=r"CREATORMIX_MEMORY_LIMIT='lots' is not a memory size"):
        Workspace.create(tmp_path / "ws.duckdb")
