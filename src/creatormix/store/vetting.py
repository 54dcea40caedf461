"""Vetting facts: follower samples, audience shares and comments; appended, current state derived."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from creatormix.domain.followers import SAMPLE_COLUMNS
from creatormix.store import catalog as facts
from creatormix.store.catalog import _with_seq
from creatormix.store.identities import aliased
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
Key = tuple[str, str]
_METRIC_COLUMNS = (
    "platform",
    "handle",
    "name",
    "tier",
    "followers",
    "country",
    "language",
    "audience_country",
    "er_shrunk",
    "er_alpha",
    "er_beta",
    "er_source",
    "er_basis",
    "er_implausible",
    "er_implausible_source",
    "prior_er",
    "prior_n",
    "prior_source",
    "posts_measured",
    "posts_total",
    "sponsored_posts",
    "bio",
    "categories",
)


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
    """Each creator's follower sample from the latest import that has one (a merged creator's
    samples count as the creator it was merged into)."""
    t = aliased(store, store.table("follower_samples"))
    latest = t.group_by(KEY).agg(latest_import=t.import_id.max())
    return (
        t.join(latest, KEY).filter(lambda r: r.import_id == r.latest_import).drop("latest_import")
    )


def audience_shares_current(store: Store) -> ir.Table:
    """Per creator and dimension, the shares of the latest import that has that dimension
    (merged creators aliased)."""
    t = aliased(store, store.table("audience_shares"))
    keys = [*KEY, "dimension"]
    latest = t.group_by(keys).agg(latest_import=t.import_id.max())
    return (
        t.join(latest, keys).filter(lambda r: r.import_id == r.latest_import).drop("latest_import")
    )


def comments(store: Store) -> ir.Table:
    """Every comment, a merged creator's read as the creator it was merged into."""
    return aliased(store, store.table("comment_facts"))


# --- reads for the vetting use cases, per creator key -----------------------------------------


def _keys_table(store: Store, keys: Sequence[Key]) -> ir.Table:
    import pyarrow as pa

    return store.keys_table(
        pa.table(
            {
                "platform": pa.array([k[0] for k in keys], pa.string()),
                "handle": pa.array([k[1] for k in keys], pa.string()),
            }
        )
    )


def _for_keys(store: Store, t: ir.Table, keys: Sequence[Key]) -> ir.Table:
    return t.semi_join(_keys_table(store, keys), ["platform", "handle"]) if len(keys) < 5000 else t


def catalog_keys(store: Store) -> list[Key]:
    """Every creator of the catalog, by platform and handle."""
    t = facts.metrics(store)
    return [
        (r["platform"], r["handle"])
        for r in t.select("platform", "handle")
        .order_by(["platform", "handle"])
        .to_pyarrow()
        .to_pylist()
    ]


def metric_rows(store: Store, keys: Sequence[Key]) -> dict[Key, dict[str, Any]]:
    """The metric columns vetting reads, per creator of ``keys`` in the catalog."""
    if not keys:
        return {}
    t = _for_keys(store, facts.metrics(store), keys)
    rows = t.select(*_METRIC_COLUMNS).to_pyarrow().to_pylist()
    return {(r["platform"], r["handle"]): r for r in rows}


def samples(store: Store, keys: Sequence[Key] | None) -> dict[Key, dict[str, list[Any]]]:
    """Current follower samples of ``keys`` (every sampled creator with None), by column."""
    t = follower_samples_current(store)
    if keys is not None:
        t = _for_keys(store, t, keys)
    table = t.select("platform", "handle", *SAMPLE_COLUMNS).to_pyarrow()
    out: dict[Key, dict[str, list[Any]]] = {}
    if not table.num_rows:
        return out
    cols = {c: table[c].to_pylist() for c in table.column_names}
    for i, (p, h) in enumerate(zip(cols["platform"], cols["handle"], strict=True)):
        sample = out.setdefault((p, h), {c: [] for c in SAMPLE_COLUMNS})
        for c in SAMPLE_COLUMNS:
            value = cols[c][i]
            sample[c].append(float(value) if isinstance(value, bool) else value)
    for sample in out.values():
        if all(v is None for v in sample["username"]):
            sample["username"] = None  # type: ignore[assignment]
        for c in SAMPLE_COLUMNS[1:]:
            if all(v is None for v in sample[c]):
                sample[c] = None  # type: ignore[assignment]
    return out


def latest_sample_import(store: Store) -> int | None:
    """The latest import that brought follower samples (what a cached fake prior was made from)."""
    t = store.table("follower_samples")
    return t.import_id.max().to_pyarrow().as_py()  # type: ignore[no-any-return]


def shares(store: Store, keys: Sequence[Key]) -> dict[Key, dict[str, dict[str, float]]]:
    """Current audience shares of ``keys``: dimension -> segment -> share."""
    if not keys:
        return {}
    t = _for_keys(store, audience_shares_current(store), keys)
    out: dict[Key, dict[str, dict[str, float]]] = {}
    for r in (
        t.select("platform", "handle", "dimension", "segment", "share").to_pyarrow().to_pylist()
    ):
        dim = out.setdefault((r["platform"], r["handle"]), {}).setdefault(r["dimension"], {})
        dim[r["segment"]] = dim.get(r["segment"], 0.0) + float(r["share"])
    return out


@dataclass(frozen=True)
class EvidenceRows:
    """What the engagement flags are computed from, as read: per creator, likes and comments over
    its posts that count both; follower snapshots; comment texts."""

    engagement: dict[Key, tuple[int, int]]
    snapshots: dict[Key, list[tuple[datetime, int]]]
    texts: dict[Key, list[str | None]]


def evidence_rows(store: Store, keys: Sequence[Key]) -> EvidenceRows:
    """Likes and comments of every creator (the platform medians need them all), and the
    snapshots and comment texts of ``keys``."""
    posts = facts.posts_current(store)
    valid = posts.filter(posts.likes.notnull() & posts.comments.notnull())
    per = valid.group_by(["platform", "handle"]).agg(
        likes=valid.likes.sum(), comments=valid.comments.sum()
    )
    engagement: dict[Key, tuple[int, int]] = {}
    for r in per.to_pyarrow().to_pylist():
        engagement[(r["platform"], r["handle"])] = (
            int(r["likes"] or 0),
            int(r["comments"] or 0),
        )
    snaps: dict[Key, list[tuple[datetime, int]]] = defaultdict(list)
    s = _for_keys(store, facts.snapshots(store), keys)
    for r in s.select("platform", "handle", "observed_at", "followers").to_pyarrow().to_pylist():
        snaps[(r["platform"], r["handle"])].append((r["observed_at"], r["followers"]))
    texts: dict[Key, list[str | None]] = defaultdict(list)
    c = _for_keys(store, comments(store), keys)
    for r in c.select("platform", "handle", "text").to_pyarrow().to_pylist():
        texts[(r["platform"], r["handle"])].append(r["text"])
    return EvidenceRows(engagement, snaps, texts)


def creator_texts(store: Store) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """What relevance reads: every creator's bio and categories (by key), and every current
    post's caption and hashtags."""
    t = facts.metrics(store).select("platform", "handle", "bio", "categories")
    creators = t.order_by(["platform", "handle"]).to_pyarrow().to_pylist()
    posts = facts.posts_current(store).select("platform", "handle", "caption", "hashtags")
    return creators, posts.to_pyarrow().to_pylist()
