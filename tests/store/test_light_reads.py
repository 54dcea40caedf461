"""Reads of a few rows without Ibis (``Store.records``), and the DDL the store writes itself.

Commands that touch no large data (``init``, ``imports``, ``campaign list``, ``campaign deals``)
open the workspace and read it through the driver's own connection, so they never import Ibis,
pyarrow or pandas (most of their start-up time, issue 12). These tests hold the two things that
makes safe: the rows read that way are the rows Ibis reads, and the tables the store creates
have the types Ibis would have created.
"""

from __future__ import annotations

import math
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import ibis
import pyarrow as pa
import pytest

from creatormix.store.core import Store
from creatormix.store.dialects import literal, literals
from creatormix.store.migrations import workspace_tables
from creatormix.workspace import Workspace
from tests.conftest import subprocess_env


def test_the_tables_the_store_creates_have_the_types_ibis_would_create(new_db: str) -> None:
    with Store.open(new_db, create=True) as store:
        for name, columns in workspace_tables().items():
            twin = f"ibis_made_{name}"
            store.con.create_table(twin, schema=ibis.schema(columns))
            assert store.table(name).schema() == store.table(twin).schema(), name


def test_records_reads_what_ibis_reads_timestamps_lists_nulls_and_nan(new_db: str) -> None:
    with Store.open(new_db, create=True) as store:
        with store.transaction():
            store.append(
                "deal_events",
                pa.table(
                    {
                        "event_id": [1, 2],
                        "deal_id": [7, 7],
                        "at": [datetime(2026, 3, 1, 9, 30, 15, 123456), datetime(2026, 3, 2)],
                        "stage": ["contacted", None],
                        "fee": [float("nan"), 250.5],
                        "post_ids": [["a", "b"], None],
                        "note": ["it's agreed", None],
                    }
                ),
            )
        via_ibis = store.table("deal_events").order_by("event_id").to_pyarrow().to_pylist()
        via_driver = store.records("SELECT * FROM deal_events ORDER BY event_id")
    assert [set(r) for r in via_driver] == [set(r) for r in via_ibis]
    for light, full in zip(via_driver, via_ibis, strict=True):
        for column, value in full.items():
            if isinstance(value, float) and math.isnan(value):
                assert math.isnan(light[column]), column
            else:
                assert light[column] == value, column
                assert type(light[column]) is type(value), column


def test_a_literal_is_read_back_as_the_value_it_quotes(new_db: str) -> None:
    awkward = "O'Brien; DROP TABLE imports; --"
    with Store.open(new_db, create=True) as store:
        with store.transaction():
            store.set_setting("k", awkward)
        assert store.get_setting("k") == awkward
        assert store.records(f"SELECT {literal(awkward)} AS v") == [{"v": awkward}]
        assert store.records(f"SELECT 3 IN ({literals([1, 2, 3])}) AS v") == [{"v": True}]
    with pytest.raises(TypeError):
        literal(1.5)  # type: ignore[arg-type]


def test_a_store_that_never_queried_through_ibis_closes_its_connection(tmp_path: Path) -> None:
    db = tmp_path / "ws.duckdb"
    with Store.open(db, create=True) as store:
        assert store.schema_version() > 0
        assert store._con is None  # nothing so far needed Ibis
    with Store.open(db) as again:  # the file was let go: it opens again in this process
        assert again.imports() == []


LIGHT_COMMANDS = [
    ["init", "{new}"],
    ["imports"],
    ["campaign", "list"],
    ["campaign", "deals", "Spring"],
]


@pytest.fixture(scope="module")
def small_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("light")
    creators = folder / "creators.csv"
    creators.write_text("platform,handle,followers\ninstagram,anna,12000\ninstagram,bob,45000\n")
    db = folder / "ws.duckdb"
    with Workspace.create(db) as ws:
        ws.import_file("creators", creators)
        ws.create_campaign("Spring", "https://shop.example/spring")
        ws.add_creators("Spring", ["instagram:anna", "instagram:bob"])
    return db


@pytest.mark.parametrize("args", LIGHT_COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_commands_that_touch_no_large_data_import_no_ibis_pyarrow_or_pandas(
    args: list[str], small_workspace: Path
) -> None:
    argv = [a.format(new=small_workspace.with_name("fresh.duckdb")) for a in args]
    probe = (
        "import sys\n"
        "from creatormix.cli.app import main\n"
        f"sys.argv = ['creatormix', '--db', {str(small_workspace)!r}, *{argv!r}]\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    code = exc.code or 0\nelse:\n    code = 0\n"
        "heavy = sorted(m for m in ('ibis', 'pyarrow', 'pandas', 'numpy') if m in sys.modules)\n"
        "print('HEAVY=' + ','.join(heavy), file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe], env=subprocess_env(), capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    assert "HEAVY=\n" in proc.stderr, proc.stderr.splitlines()[-1]
