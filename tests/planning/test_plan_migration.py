"""Schema 2 (planning) reaches every workspace, also those made at schema 4 before it merged."""

from __future__ import annotations

import pyarrow as pa

from creatormix.store.core import Store
from creatormix.store.migrations import CURRENT_VERSION, MIGRATIONS, applied_versions
from creatormix.workspace import Workspace


def test_a_workspace_at_schema_4_without_schema_2_gets_the_planning_tables(new_db: str) -> None:
    path = new_db
    store = Store.open(path, create=True, migrate_to=0)
    for m in MIGRATIONS:
        if m.version == 2:
            continue
        m.apply(store)
        store.append(
            "schema_migrations",
            pa.table(
                {"version": [m.version], "name": [m.name], "applied_at": [None]},
                schema=pa.schema(
                    [
                        ("version", pa.int64()),
                        ("name", pa.string()),
                        ("applied_at", pa.timestamp("us")),
                    ]
                ),
            ),
        )
    assert not store.has_table("plans") and store.schema_version() == CURRENT_VERSION
    store.close()
    with Workspace.open(path) as ws:
        assert {"plans", "plan_selections", "follower_links", "follower_sketches"} <= set(
            ws.store.con.list_tables()
        )
        assert applied_versions(ws.store) == {m.version for m in MIGRATIONS}
        assert ws.plans() == []


def test_reading_a_workspace_that_needs_schema_2_upgrades_it_once(new_db: str) -> None:
    path = new_db
    Workspace.create(path).close()
    with Workspace.open(path, read_only=True) as ws:
        assert ws.plans() == []
    with Workspace.open(path) as ws:
        assert sorted(applied_versions(ws.store)) == [m.version for m in MIGRATIONS]
