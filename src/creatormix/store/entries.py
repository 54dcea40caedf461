"""Catalog entries as the identity rules (``domain.identity``) see them: platform, handle, name
and followers of the current creators, merges applied."""

from __future__ import annotations

from typing import TYPE_CHECKING

from creatormix.domain.identity import Identity
from creatormix.domain.platform import NAME_KEY_PREFIX
from creatormix.store.catalog import creators_current

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from creatormix.store.core import Store


def identities(creators: ir.Table) -> list[Identity]:
    """Every entry of ``creators`` as the duplicate rule sees it."""
    rows = creators.select("platform", "handle", "name", "followers").to_pyarrow().to_pylist()
    return [Identity(r["platform"], r["handle"], r["name"], r["followers"]) for r in rows]


def catalog_identities(store: Store) -> list[Identity]:
    """Every current catalog entry (merges applied) as the duplicate rule sees it."""
    return identities(creators_current(store))


def identities_of(store: Store, platform: str, handles: list[str]) -> dict[str, Identity]:
    """handle -> the current entry, for ``handles`` of one platform in the catalog."""
    t = creators_current(store)
    return {
        i.handle: i for i in identities(t.filter((t.platform == platform) & t.handle.isin(handles)))
    }


def name_keyed_and_new(store: Store, import_id: int) -> tuple[list[Identity], list[Identity]]:
    """(name-keyed entries of the catalog, entries with real handles this import brought);
    two empty lists, after one scan of the handles, when the catalog has no name-keyed entry."""
    cf = store.table("creator_facts")
    keyed_facts = cf.filter(cf.handle.startswith(NAME_KEY_PREFIX)).select("handle").limit(1)
    if not store.fetch(keyed_facts).num_rows:
        return [], []
    current = creators_current(store)
    keyed = current.filter(current.handle.startswith(NAME_KEY_PREFIX))
    if not int(keyed.count().to_pyarrow().as_py()):
        return [], []
    new = cf.filter((cf.import_id == import_id) & ~cf.handle.startswith(NAME_KEY_PREFIX))
    platforms = keyed.select("platform").distinct()
    new = new.semi_join(platforms, "platform").select("platform", "handle", "name", "followers")
    return identities(keyed), identities(new)
