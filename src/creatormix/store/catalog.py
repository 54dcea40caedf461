"""Catalog facts: appending imported rows, and the current state derived from them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from creatormix.store.migrations.m001_catalog import CREATOR_FACTS, FOLLOWER_SNAPSHOTS, POST_FACTS

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pyarrow as pa

    from creatormix.store.core import Store

_SEQ_SHIFT = 1 << 40  # fact_seq = import_id * 2**40 + record: file order within import order


def _with_seq(table: pa.Table, import_id: int, columns: dict[str, str]) -> pa.Table:
    import pyarrow as pa
    import pyarrow.compute as pc

    seq = pc.add(table["_record"], import_id * _SEQ_SHIFT)
    table = table.append_column("fact_seq", seq).append_column(
        "import_id", pa.array([import_id] * table.num_rows, pa.int64())
    )
    return table.select(list(columns))


def append_creators(store: Store, table: pa.Table, import_id: int, observed_at: datetime) -> int:
    """Append creator facts and a follower snapshot for every row that states followers."""
    import pyarrow.compute as pc

    table = table.set_column(
        table.column_names.index("observed_at"),
        "observed_at",
        pc.fill_null(table["observed_at"], observed_at),
    )
    store.append("creator_facts", _with_seq(table, import_id, CREATOR_FACTS))
    with_followers = table.filter(pc.is_valid(table["followers"]))
    snapshots = with_followers.select(["platform", "handle", "observed_at", "followers"])
    append_snapshots(store, snapshots, import_id)
    return int(table.num_rows)


def append_snapshots(store: Store, table: pa.Table, import_id: int) -> int:
    import pyarrow as pa

    table = table.append_column("import_id", pa.array([import_id] * table.num_rows, pa.int64()))
    store.append("follower_snapshots", table.select(list(FOLLOWER_SNAPSHOTS)))
    return int(table.num_rows)


def append_posts(store: Store, table: pa.Table, import_id: int) -> int:
    store.append("post_facts", _with_seq(table, import_id, POST_FACTS))
    return int(table.num_rows)


_POST_KEY = ["platform", "handle", "post_id"]


def supersede_posts(store: Store, import_id: int) -> int:
    """Record which earlier facts this import's posts replace; returns how many were replaced.

    The latest fact of a post wins: an older import's row, or an earlier duplicate row of the same
    file. Facts themselves are never touched.
    """
    import ibis

    pf = store.table("post_facts")
    new = pf.filter(pf.import_id == import_id)
    older_exist = bool(pf.filter(pf.import_id < import_id).count().to_pyarrow().as_py())
    scope = pf.semi_join(new.select(_POST_KEY), _POST_KEY) if older_exist else new
    counts = scope.group_by(_POST_KEY).agg(keep=scope.fact_seq.max(), n=scope.count())
    dup = counts.filter(counts.n > 1)
    stale = scope.join(dup, _POST_KEY).filter(lambda t: t.fact_seq != t.keep)
    stale = stale.select(fact_seq=stale.fact_seq, import_id=ibis.literal(import_id, "int64"))
    n = int(stale.count().to_pyarrow().as_py())
    if n:
        store.con.insert("post_supersessions", stale)
    return n


def posts_current(store: Store) -> ir.Table:
    pf = store.table("post_facts")
    sup = store.table("post_supersessions")
    return pf.anti_join(sup, pf.fact_seq == sup.fact_seq)


_LATEST = [
    c
    for c in CREATOR_FACTS
    if c not in {"fact_seq", "import_id", "platform", "handle", "categories"}
]


def creators_current(store: Store) -> ir.Table:
    """One row per (platform, handle): each field from the latest fact that states it."""
    t = store.table("creator_facts")
    aggs = {c: t[c].argmax(t.fact_seq, where=t[c].notnull()) for c in _LATEST}
    aggs["categories"] = t.categories.argmax(t.fact_seq, where=t.categories.length() > 0)
    aggs["first_seen"] = t.observed_at.min()
    aggs["last_import"] = t.import_id.max()
    return t.group_by(["platform", "handle"]).agg(**aggs)


def snapshots(store: Store) -> ir.Table:
    return store.table("follower_snapshots")


def known_platforms(store: Store, handles: list[str]) -> dict[str, list[str]]:
    import ibis
    import pyarrow as pa

    t = store.table("creator_facts")
    uniq = sorted(set(handles))
    if not uniq:
        return {}
    wanted = ibis.memtable(pa.table({"handle": pa.array(uniq, pa.string())}))
    rows = (
        t.semi_join(wanted, "handle")
        .select("handle", "platform")
        .distinct()
        .to_pyarrow()
        .to_pylist()
    )
    out: dict[str, list[str]] = {}
    for r in rows:
        out.setdefault(r["handle"], []).append(r["platform"])
    return out
