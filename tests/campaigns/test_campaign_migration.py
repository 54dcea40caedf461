from pathlib import Path

from creatormix.store.core import Store
from creatormix.store.migrations import CURRENT_VERSION, migrate
from creatormix.workspace import Workspace


def test_a_schema_1_workspace_gains_the_campaign_tables(tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    import ibis

    con = ibis.duckdb.connect(str(db))
    store = Store(db, con)
    migrate(store, target=1)
    assert store.schema_version() == 1 and not store.has_table("learned_rates")
    store.close()
    with Workspace.open(db) as ws:
        assert ws.store.schema_version() == CURRENT_VERSION
        assert ws.store.has_table("learned_rates") and ws.store.has_table("deal_events")
        assert ws.learned_rates() == []
