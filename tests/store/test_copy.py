"""``creatormix copy``: a workspace moved between a file and a PostgreSQL database, both ways,
verified by rows and checksums of every table; all or nothing; the password never shown."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pytest

from creatormix.errors import InvalidOption, WorkspaceProblem
from creatormix.store.copying import checksum, copied_tables
from creatormix.workspace import Workspace
from tests.conftest import subprocess_env
from tests.postgres_server import APP_PASSWORD, PostgresServer


@pytest.fixture
def server_db(request: pytest.FixtureRequest) -> Iterator[str]:
    """An empty database on the session's server, whatever this test's engine."""
    server: PostgresServer = request.getfixturevalue("pg_server")
    name = f"c_{uuid.uuid4().hex[:12]}"
    url = server.create_database(name)
    yield url
    server.drop_database(name)


def _new_database(beside: str) -> str:
    """The URL of ``beside`` with another (not yet existing) database: ``copy`` creates it."""
    return beside.rsplit("/", 1)[0] + f"/c_{uuid.uuid4().hex[:12]}"


def _checksums(location: str | Path) -> dict[str, tuple[int, str]]:
    with Workspace.open(location, read_only=True) as ws:
        out = {}
        for name in copied_tables():
            data = ws.store.fetch(ws.store.table(name))
            out[name] = (data.num_rows, checksum(data))
        return out


def test_a_workspace_goes_to_the_other_engine_and_back_unchanged(
    engine: str,
    demo_copy: str | Path,
    server_db: str,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    # the demo on this test's engine -> the other engine -> back to this engine
    there = server_db if engine == "duckdb" else str(tmp_path / "there.duckdb")
    back: str | Path = tmp_path / "back.duckdb"
    if engine == "postgres":  # back onto the server, into a database ``copy`` creates
        back = _new_database(server_db)
        server: PostgresServer = request.getfixturevalue("pg_server")
        request.addfinalizer(lambda: server.drop_database(str(back).rsplit("/", 1)[1]))
    first = Workspace.copy_workspace(demo_copy, there)
    assert first.verified and first.derived == ("creator_metrics",)
    assert {t.table for t in first.tables} == set(copied_tables())
    rows = {t.table: t.target_rows for t in first.tables}
    assert rows["creator_facts"] > 1000 and rows["post_facts"] > 10_000
    Workspace.copy_workspace(there, back)
    original, copied, returned = _checksums(demo_copy), _checksums(there), _checksums(back)
    assert original == copied == returned
    with Workspace.open(demo_copy) as a, Workspace.open(there) as b:
        assert a.catalog_counts() == b.catalog_counts()
        assert a.list_creators().total == b.list_creators().total


def test_a_copy_into_a_workspace_holding_data_is_refused_and_changes_nothing(
    engine: str, demo_copy: str | Path, another_db: str
) -> None:
    with Workspace.create(another_db) as ws, ws.store.transaction():
        ws.store.set_setting("note", "keep me")
    before = _checksums(another_db)
    with pytest.raises(WorkspaceProblem, match="already holds a workspace"):
        Workspace.copy_workspace(demo_copy, another_db)
    assert _checksums(another_db) == before


def test_a_workspace_is_not_copied_onto_itself(engine: str, demo_copy: str | Path) -> None:
    with pytest.raises(InvalidOption, match="onto itself"):
        Workspace.copy_workspace(demo_copy, demo_copy)


def test_the_checksum_ignores_row_order_and_arrow_types_but_not_values() -> None:
    a = pa.table(
        {
            "n": [1, 2, None],
            "tags": [["a", None], None, []],
            "at": [dt.datetime(2024, 1, 1), None, dt.datetime(2025, 6, 1, 12)],
            "raw": [b"\x00\xff", None, b""],
            "x": [1.5, None, 0.1],
        }
    )
    same = a.take([2, 0, 1]).cast(
        pa.schema(
            [
                ("n", pa.int32()),
                ("tags", pa.large_list(pa.large_string())),
                ("at", pa.timestamp("ns")),
                ("raw", pa.large_binary()),
                ("x", pa.float64()),
            ]
        )
    )
    assert checksum(a) == checksum(same)
    assert checksum(a) != checksum(a.slice(1))
    # an empty list, a NULL list and a list of one empty string are three different values
    for tags in ([["a", None], [], []], [["a", None], None, [""]], [["a"], None, []]):
        assert checksum(a.set_column(1, "tags", pa.array(tags))) != checksum(a)
    assert checksum(a.set_column(4, "x", pa.array([1.5, None, 0.1000001]))) != checksum(a)


@pytest.mark.postgres
def test_the_cli_copies_both_ways_and_never_prints_the_password(
    demo_db: Path, server_db: str, tmp_path: Path
) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        env = subprocess_env() | {"CREATORMIX_STATE_DIR": str(tmp_path / "state")}
        return subprocess.run(
            [sys.executable, "-m", "creatormix", *args],
            capture_output=True,
            text=True,
            env=env,
            check=False,
            timeout=300,
        )

    up = run("copy", str(demo_db), server_db)
    assert up.returncode == 0, up.stderr
    assert "Copied and verified: " in up.stdout and " tables, " in up.stdout
    down = run("copy", server_db, str(tmp_path / "down.duckdb"), "--json")
    assert down.returncode == 0, down.stderr
    again = run("copy", str(demo_db), server_db)
    assert again.returncode == 4 and "already holds a workspace" in again.stderr
    for done in (up, down, again):
        assert APP_PASSWORD not in done.stdout + done.stderr
    assert "creatormix:***@" in up.stdout + again.stderr
    assert _checksums(demo_db) == _checksums(tmp_path / "down.duckdb")
