"""Vetting facts: follower samples, audience shares and comments; appended, current state derived."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from creatormix.store.catalog import _with_seq
from creatormix.store.migrations.m003_vetting import (
    AUDIENCE_SHARES,
    COMMENT_FACTS,
    FOLLOWER_SAMPLES,
)

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pyarrow as pa

    from creatormix.store.core import Store

KEY = ["platform", "handle"]


def _stamp(table: pa.Table, column: str, when: datetime) -> pa.Table:
    import pyarrow.compute as pc

    if column not in table.column_names:
        return table
    i = table.column_names.index(column)
    return table.set_column(i, column, pc.fill_null(table[column], when))


def append_follower_samples(store: Store, table: pa.Table, import_id: int, now: datetime) -> int:
    store.append(
        "follower_samples",
        _with_seq(_stamp(table, "observed_at", now), import_id, FOLLOWER_SAMPLES),
    )
    return int(table.num_rows)


def append_audience_shares(store: Store, table: pa.Table, import_id: int, now: datetime) -> int:
    store.append(
        "audience_shares", _with_seq(_stamp(table, "observed_at", now), import_id, AUDIENCE_SHARES)
    )
    return int(table.num_rows)


def append_comments(store: Store, table: pa.Table, import_id: int) -> int:
    store.append("comment_facts", _with_seq(table, import_id, COMMENT_FACTS))
    return int(table.num_rows)


def follower_samples_current(store: Store) -> ir.Table:
    """Each creator's follower sample from the latest import that has one."""
    t = store.table("follower_samples")
    latest = t.group_by(KEY).agg(latest_import=t.import_id.max())
    return (
        t.join(latest, KEY).filter(lambda r: r.import_id == r.latest_import).drop("latest_import")
    )


def audience_shares_current(store: Store) -> ir.Table:
    """Per creator and dimension, the shares of the latest import that has that dimension."""
    t = store.table("audience_shares")
    keys = [*KEY, "dimension"]
    latest = t.group_by(keys).agg(latest_import=t.import_id.max())
    return (
        t.join(latest, keys).filter(lambda r: r.import_id == r.latest_import).drop("latest_import")
    )


def comments(store: Store) -> ir.Table:
    return store.table("comment_facts")
