from creatormix.store.core import Store
from creatormix.store.migrations import CURRENT_VERSION
from creatormix.workspace import Workspace


def test_a_schema_1_workspace_gains_the_campaign_tables(new_db: str) -> None:
    db = new_db
    store = Store.open(db, create=True, migrate_to=1)
    assert store.schema_version() == 1 and not store.has_table("learned_rates")
    store.close()
    with Workspace.open(db) as ws:
        assert ws.store.schema_version() == CURRENT_VERSION
        assert ws.store.has_table("learned_rates") and ws.store.has_table("deal_events")
        assert ws.learned_rates() == []
