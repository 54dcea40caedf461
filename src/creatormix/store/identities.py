"""Merges of a creator's two catalog entries: an event log read as an alias map.

A ``merge`` event makes ``(platform, from_handle)`` read as ``(platform, into_handle)`` in every
read keyed by creator (creators, posts, follower snapshots; vetting's follower samples, audience
shares and comments; campaign deals); an ``undo`` event with the same merge id
takes it back. Facts are never rewritten, so an undone merge leaves the catalog as it was.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from creatormix.domain.identity import MergeEvent
from creatormix.errors import InvalidOption, NotFound
from creatormix.store.migrations.m005_identity import CREATOR_MERGES

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from creatormix.store.core import Store


def events(store: Store) -> list[dict[str, Any]]:
    if not store.has_table("creator_merges"):
        return []
    return store.records("SELECT * FROM creator_merges ORDER BY event_id")


def active(store: Store) -> list[dict[str, Any]]:
    """The merge events not undone, oldest first."""
    rows = events(store)
    undone = {r["merge_id"] for r in rows if r["event"] == "undo"}
    return [r for r in rows if r["event"] == "merge" and r["merge_id"] not in undone]


def alias_map(store: Store) -> dict[tuple[str, str], str]:
    """(platform, handle) -> the handle it reads as, chains followed (a into b into c)."""
    direct = {(r["platform"], r["from_handle"]): r["into_handle"] for r in active(store)}
    out = {}
    for (platform, handle), into in direct.items():
        seen = {handle}
        while (platform, into) in direct and into not in seen:
            seen.add(into)
            into = direct[(platform, into)]
        out[(platform, handle)] = into
    return out


def aliased(store: Store, t: ir.Table) -> ir.Table:
    """``t`` (with platform and handle columns) with merged handles read as their target."""
    if not store.has_table("creator_merges"):
        return t
    merges = store.table("creator_merges")
    if not int(merges.count().to_pyarrow().as_py()):  # the usual case: one tiny count, no join
        return t
    mapping = alias_map(store)
    if not mapping:
        return t
    import ibis
    import pyarrow as pa

    m = ibis.memtable(
        pa.table(
            {
                "_platform": [p for p, _ in mapping],
                "_from": [h for _, h in mapping],
                "_into": list(mapping.values()),
            }
        )
    )
    columns = t.columns
    joined = t.left_join(m, (t.platform == m._platform) & (t.handle == m._from))
    return joined.mutate(handle=joined._into.fill_null(joined.handle)).select(*columns)


def record_merge(
    store: Store,
    platform: str,
    source: str,
    target: str,
    reason: str,
    evidence: str,
    import_id: int | None,
) -> int:
    """Append a merge event; returns its merge id."""
    rows = events(store)
    merge_id = max((int(r["merge_id"]) for r in rows), default=0) + 1
    _append(store, rows, merge_id, "merge", platform, source, target, reason, evidence, import_id)
    return merge_id


def record_undo(store: Store, merge_id: int) -> dict[str, Any]:
    """Append the undo of a merge; returns the merge event it undoes."""
    rows = events(store)
    merge = next((r for r in rows if r["merge_id"] == merge_id and r["event"] == "merge"), None)
    if merge is None:
        raise NotFound(f"no merge #{merge_id} (`creatormix creators merges` lists them)")
    if any(r["merge_id"] == merge_id and r["event"] == "undo" for r in rows):
        raise InvalidOption(f"merge #{merge_id} is already undone")
    _append(
        store,
        rows,
        merge_id,
        "undo",
        merge["platform"],
        merge["from_handle"],
        merge["into_handle"],
        "undo",
        "",
        None,
    )
    return merge


def _append(
    store: Store,
    rows: list[dict[str, Any]],
    merge_id: int,
    event: str,
    platform: str,
    source: str,
    target: str,
    reason: str,
    evidence: str,
    import_id: int | None,
) -> None:
    import pyarrow as pa

    from creatormix.store.core import current_user, utcnow

    row = {
        "event_id": max((int(r["event_id"]) for r in rows), default=0) + 1,
        "merge_id": merge_id,
        "event": event,
        "platform": platform,
        "from_handle": source,
        "into_handle": target,
        "reason": reason,
        "evidence": evidence,
        "import_id": import_id,
        "at": utcnow(),
        "by": current_user(),
    }
    schema = pa.schema(
        [
            ("event_id", pa.int64()),
            ("merge_id", pa.int64()),
            ("event", pa.string()),
            ("platform", pa.string()),
            ("from_handle", pa.string()),
            ("into_handle", pa.string()),
            ("reason", pa.string()),
            ("evidence", pa.string()),
            ("import_id", pa.int64()),
            ("at", pa.timestamp("us")),
            ("by", pa.string()),
        ]
    )
    store.append(
        "creator_merges", pa.Table.from_pylist([row], schema=schema).select(list(CREATOR_MERGES))
    )


def merge_events(store: Store) -> list[MergeEvent]:
    """Every merge, oldest first, with whether it was undone."""
    rows = events(store)
    undone = {r["merge_id"] for r in rows if r["event"] == "undo"}
    return [merge_event(r, r["merge_id"] in undone) for r in rows if r["event"] == "merge"]


def merge_event(row: dict[str, Any], undone: bool) -> MergeEvent:
    """A ``creator_merges`` row as the event it records."""
    import_id = row["import_id"]
    return MergeEvent(
        merge_id=int(row["merge_id"]),
        platform=str(row["platform"]),
        source=str(row["from_handle"]),
        target=str(row["into_handle"]),
        reason=str(row["reason"]),
        evidence=str(row["evidence"] or ""),
        import_id=int(import_id) if import_id is not None else None,
        undone=undone,
    )
