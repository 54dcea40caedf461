"""The workspace file: schema versions, migrations, locking, and the Ibis/sqlglot trap."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import ibis
import pyarrow as pa
import pytest

from creatormix.errors import SchemaVersionError, WorkspaceProblem
from creatormix.store.core import Store
from creatormix.store.migrations import CURRENT_VERSION, MIGRATIONS
from creatormix.workspace import Workspace
from tests.conftest import subprocess_env


@pytest.mark.parametrize(
    "start", [0, *(m.version for m in MIGRATIONS if m.version < CURRENT_VERSION)]
)
def test_every_earlier_schema_version_migrates_to_the_current_one(new_db: str, start: int) -> None:
    if start:  # version 0 is a new, empty workspace
        Store.open(new_db, create=True, migrate_to=start).close()
        with Store.open(new_db, migrate_to=start) as store:
            assert store.schema_version() == start
    with Workspace.open(new_db) if start else Workspace.create(new_db) as ws:
        assert ws.store.schema_version() == CURRENT_VERSION
        assert ws.catalog_counts() == {"creators": 0, "posts": 0, "imports": 0}


def test_migration_numbers_are_unique_and_ordered() -> None:
    versions = [m.version for m in MIGRATIONS]
    assert versions == sorted(set(versions)) and versions[0] == 1


def test_a_workspace_from_a_newer_version_is_refused(new_db: str) -> None:
    path = new_db
    with Workspace.create(path) as ws, ws.store.transaction():
        ws.store.append(
            "schema_migrations",
            pa.table(
                {"version": [CURRENT_VERSION + 1], "name": ["future"], "applied_at": [None]},
                schema=pa.schema(
                    [
                        ("version", pa.int64()),
                        ("name", pa.string()),
                        ("applied_at", pa.timestamp("us")),
                    ]
                ),
            ),
        )
    with pytest.raises(SchemaVersionError, match="newer creatormix"):
        Workspace.open(path)


def test_a_file_that_is_not_a_workspace_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.duckdb"
    path.write_text("not a database")
    with pytest.raises(WorkspaceProblem):
        Workspace.create(path)


def test_a_second_process_gets_a_clear_message_while_the_workspace_is_busy(tmp_path: Path) -> None:
    path = tmp_path / "busy.duckdb"
    Workspace.create(path).close()
    with Workspace.open(path):
        code = (
            "from creatormix.workspace import Workspace\nfrom creatormix.errors import WorkspaceProblem\n"
            "import sys\ntry:\n    Workspace.open(sys.argv[1])\n"
            "except WorkspaceProblem as e:\n    print('WorkspaceProblem', e)\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", code, str(path)],
            capture_output=True,
            text=True,
            env=subprocess_env() | {"CREATORMIX_LOCK_WAIT": "0.3"},
            check=True,
        )
    assert (
        done.stdout.startswith("WorkspaceProblem") and "another creatormix process" in done.stdout
    )


def test_ibis_creates_tables_from_in_memory_frames(tmp_path: Path) -> None:
    """ibis 12 with sqlglot >= 30.18 fails here ("DROP VIEW IF EXISTS" parse error); see pyproject."""
    con = ibis.duckdb.connect(str(tmp_path / "t.duckdb"))
    con.create_table("t", ibis.memtable({"a": [1, 2], "b": ["x", "y"]}))
    con.create_table("t", pa.table({"a": [3]}), overwrite=True)
    assert con.table("t").to_pyarrow().to_pylist() == [{"a": 3}]
    assert "t" in con.list_tables()


def test_settings_are_appended_and_the_latest_wins(ws: Workspace) -> None:
    with ws.store.transaction():
        ws.store.set_setting("x", {"a": 1})
        ws.store.set_setting("x", {"a": 2})
        assert ws.store.get_setting("x") == {"a": 2}
        assert ws.store.table("settings").count().to_pyarrow().as_py() == 2
