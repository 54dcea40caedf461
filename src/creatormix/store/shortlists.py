"""Shortlists: named lists of creators with a note each (append-only: the latest row of an entry
says whether it is on the list and what its note is)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from creatormix.domain.accounts import Shortlist, ShortlistEntry
from creatormix.errors import NotFound

if TYPE_CHECKING:
    from creatormix.store.core import Store


def add_shortlist(store: Store, shortlist_id: int, name: str, at: datetime, by: str) -> None:
    import ibis
    import pyarrow as pa

    from creatormix.store.migrations.m006_accounts import SHORTLISTS

    row = {"shortlist_id": shortlist_id, "name": name, "created_at": at, "created_by": by}
    schema = ibis.schema(SHORTLISTS).to_pyarrow()
    store.append("shortlists", pa.Table.from_pylist([row], schema=schema))


def shortlist_rows(store: Store) -> list[dict[str, Any]]:
    t = store.table("shortlists")
    return t.order_by("shortlist_id").to_pyarrow().to_pylist()  # type: ignore[no-any-return]


def append_entries(store: Store, rows: list[dict[str, Any]]) -> None:
    """Entry events: (shortlist_id, platform, handle, note, listed, at, by); seq is assigned here."""
    import ibis
    import pyarrow as pa

    from creatormix.store.migrations.m006_accounts import SHORTLIST_ENTRIES

    first = store.next_id("shortlist_entries", "seq")
    rows = [{**r, "seq": first + i} for i, r in enumerate(rows)]
    schema = ibis.schema(SHORTLIST_ENTRIES).to_pyarrow()
    store.append("shortlist_entries", pa.Table.from_pylist(rows, schema=schema))


def entries(store: Store, shortlist_ids: list[int]) -> dict[int, list[ShortlistEntry]]:
    """The creators on each list as they stand, in the order they were first added, with tier
    and followers from the catalog (None for a creator no longer in it)."""
    if not shortlist_ids:
        return {}
    e = store.table("shortlist_entries")
    e = e.filter(e.shortlist_id.isin(shortlist_ids))
    key = ["shortlist_id", "platform", "handle"]
    state = e.group_by(key).agg(
        seq=e.seq.max(), first=e.seq.min(), added_at=e.at.min(), added_by=e.by.argmin(e.seq)
    )
    latest = e.select(*key, "seq", "note", "listed").semi_join(
        state.select(*key, "seq"), [*key, "seq"]
    )
    j = state.join(latest, [*key, "seq"]).filter(lambda t: t.listed)
    out: dict[int, list[ShortlistEntry]] = {i: [] for i in shortlist_ids}
    rows = j.order_by("first").to_pyarrow().to_pylist()
    known: dict[tuple[str, str], dict[str, Any]] = {}
    if rows and store.has_table("creator_metrics"):
        m = store.table("creator_metrics")
        handles = sorted({r["handle"] for r in rows})
        for r in (
            (m.filter(m.handle.isin(handles)).select("platform", "handle", "tier", "followers"))
            .to_pyarrow()
            .to_pylist()
        ):
            known[(r["platform"], r["handle"])] = r
    for r in rows:
        info = known.get((r["platform"], r["handle"]), {})
        out[int(r["shortlist_id"])].append(
            ShortlistEntry(
                platform=r["platform"],
                handle=r["handle"],
                note=r["note"],
                added_at=r["added_at"],
                added_by=r["added_by"],
                tier=info.get("tier"),
                followers=info.get("followers"),
            )
        )
    return out


def shortlist(row: dict[str, Any], members: list[ShortlistEntry]) -> Shortlist:
    return Shortlist(
        shortlist_id=int(row["shortlist_id"]),
        name=row["name"],
        created_at=row["created_at"],
        created_by=row["created_by"],
        entries=tuple(members),
    )


def all_shortlists(store: Store) -> list[Shortlist]:
    """Every shortlist with its creators, oldest first."""
    rows = shortlist_rows(store)
    members = entries(store, [int(r["shortlist_id"]) for r in rows])
    return [shortlist(r, members[int(r["shortlist_id"])]) for r in rows]


def find(store: Store, ref: str | int) -> Shortlist:
    """The shortlist with this id or name (any case)."""
    found = all_shortlists(store)
    text = str(ref).strip()
    for s in found:
        if (text.isdigit() and int(text) == s.shortlist_id) or text.lower() == s.name.lower():
            return s
    known = ", ".join(repr(s.name) for s in found) or "none yet"
    raise NotFound(f"no shortlist {ref!r} (shortlists: {known})")
