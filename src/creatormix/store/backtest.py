"""The catalog as it was on a date, and the posts published after it (for ``Workspace.backtest``).

Nothing dated on or after ``as_of`` reaches the as-of tables, so the unchanged metric expressions
(``metrics.profile``) computed over them see only what was known before the date:

* **posts** published before the date (undated posts cannot be placed in time and are left out);
* **follower snapshots** observed before it: the creator's followers are the latest of them (an
  imported creator row with followers is a snapshot too, at its ``observed_at``);
* **creator facts**: what a creator *measured* (followers, following, post count, export averages
  and engagement rate) only from facts observed before the date; what *describes* it (name,
  country, language, categories, bio, quoted price, audience country) from its latest fact,
  whenever observed: a description is no outcome, and prices are the costs every selection of a
  backtest is charged alike.

A creator is in the as-of catalog when anything about it is dated before the date: a creator
fact, a snapshot or a post.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from creatormix.store.catalog import posts_current
from creatormix.store.migrations.m001_catalog import CREATOR_FACTS

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pyarrow as pa

    from creatormix.store.core import Store

KEY = ["platform", "handle"]
MEASURED = (
    "following",
    "post_count",
    "avg_likes",
    "avg_comments",
    "avg_views",
    "avg_shares",
    "engagement_rate",
    "observed_at",
)
_SKIP = {"fact_seq", "import_id", "platform", "handle", "categories", "followers"}
DESCRIBED = tuple(c for c in CREATOR_FACTS if c not in _SKIP and c not in MEASURED)


def posts_before(store: Store, as_of: datetime) -> ir.Table:
    """The current posts published before ``as_of``."""
    p = posts_current(store)
    return p.filter(p.posted_at.notnull() & (p.posted_at < as_of))


def count_posts_before(store: Store, as_of: datetime) -> int:
    return int(posts_before(store, as_of).count().to_pyarrow().as_py())


def snapshots_before(store: Store, as_of: datetime) -> ir.Table:
    """Follower snapshots observed before ``as_of``."""
    s = store.table("follower_snapshots")
    return s.filter(s.observed_at.notnull() & (s.observed_at < as_of))


def creators_as_of(store: Store, as_of: datetime) -> ir.Table:
    """One row per creator known before ``as_of``, with the columns of ``creators_current``.

    Measured fields come from facts observed before the date, followers from the latest snapshot
    before it; descriptive fields from the latest fact (module docstring).
    """
    t = store.table("creator_facts")
    before = t.observed_at.notnull() & (t.observed_at < as_of)
    aggs: dict[str, Any] = {c: t[c].argmax(t.fact_seq, where=t[c].notnull()) for c in DESCRIBED}
    for c in MEASURED:
        aggs[c] = t[c].argmax(t.fact_seq, where=t[c].notnull() & before)
    aggs["categories"] = t.categories.argmax(t.fact_seq, where=t.categories.length() > 0)
    aggs["first_seen"] = t.observed_at.min(where=before)
    aggs["last_import"] = t.import_id.max()
    creators = t.group_by(KEY).agg(**aggs)
    snaps = snapshots_before(store, as_of)
    snaps = snaps.filter(snaps.followers.notnull())
    latest = snaps.group_by(KEY).agg(
        followers=snaps.followers.argmax(snaps.observed_at), snapshot_at=snaps.observed_at.max()
    )
    posts = posts_before(store, as_of)
    known = (
        t.filter(before)
        .select(*KEY)
        .union(latest.select(*KEY))
        .union(posts.select(*KEY).distinct())
        .distinct()
    )
    creators = creators.semi_join(known, KEY)
    joined = creators.left_join(latest, KEY, rname="{name}__r")
    return joined.drop("platform__r", "handle__r", "snapshot_at")


def horizon_posts(store: Store, start: datetime, end: datetime) -> pa.Table:
    """The current posts published in [start, end): key, time, order and counts, in time order."""
    p = posts_current(store)
    p = p.filter(p.posted_at.notnull() & (p.posted_at >= start) & (p.posted_at < end))
    p = p.select(*KEY, "posted_at", "fact_seq", "likes", "comments", "views")
    return store.fetch(p.order_by([*KEY, "posted_at", "fact_seq"]))


def post_dates(store: Store) -> tuple[datetime | None, datetime | None]:
    """The first and the last publication time of the current posts (None without dated posts)."""
    p = posts_current(store)
    row = p.aggregate(first=p.posted_at.min(), last=p.posted_at.max()).to_pyarrow().to_pylist()[0]
    return row["first"], row["last"]


def undated_posts(store: Store) -> int:
    """Current posts without a publication time (no backtest can place them)."""
    p = posts_current(store)
    return int(p.filter(p.posted_at.isnull()).count().to_pyarrow().as_py())


def setting_as_of(store: Store, key: str, as_of: datetime, default: Any = None) -> Any:
    """A setting's value as it stood before ``as_of`` (settings are appended, never updated)."""
    import json

    t = store.table("settings")
    rows = (
        t.filter((t.key == key) & (t.set_at < as_of))
        .order_by([t.set_at.desc(), t.seq.desc()])
        .limit(1)
        .to_pyarrow()
        .to_pylist()
    )
    return json.loads(rows[0]["value"]) if rows else default
