"""Catalog facts: appending imported rows, and the current state derived from them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from creatormix.domain.query import CreatorQuery, SortKey
from creatormix.errors import InvalidOption
from creatormix.store.identities import aliased
from creatormix.store.migrations.m001_catalog import CREATOR_FACTS, FOLLOWER_SNAPSHOTS, POST_FACTS

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pyarrow as pa

    from creatormix.store.core import Store

METRICS_TABLE = (
    "creator_metrics"  # derived from the facts by ``metrics.profile``; rebuilt, never edited
)

_SEQ_SHIFT = 1 << 40  # fact_seq = import_id * 2**40 + record: file order within import order


def _with_seq(table: pa.Table, import_id: int, columns: dict[str, str]) -> pa.Table:
    import pyarrow as pa
    import pyarrow.compute as pc

    seq = pc.add(table["_record"], import_id * _SEQ_SHIFT)
    table = table.append_column("fact_seq", seq).append_column(
        "import_id", pa.repeat(pa.scalar(import_id, pa.int64()), table.num_rows)
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

    table = table.append_column(
        "import_id", pa.repeat(pa.scalar(import_id, pa.int64()), table.num_rows)
    )
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
    # Only rows whose post id occurs twice can be duplicates: counting one column first is cheaper
    # than grouping every post by the whole key (ids are never null after import; kept anyway).
    ids = scope.group_by("post_id").agg(n=scope.count())
    repeated = ids.filter(ids.n > 1).post_id
    scope = scope.filter(scope.post_id.isin(repeated) | scope.post_id.isnull())
    counts = scope.group_by(_POST_KEY).agg(keep=scope.fact_seq.max(), n=scope.count())
    dup = counts.filter(counts.n > 1)
    stale = scope.join(dup, _POST_KEY).filter(lambda t: t.fact_seq != t.keep)
    stale = stale.select(fact_seq=stale.fact_seq, import_id=ibis.literal(import_id, "int64"))
    # Insert, then count what this import recorded: one pass over the posts, not two.
    store.con.insert("post_supersessions", stale)
    sup = store.table("post_supersessions")
    return int(sup.filter(sup.import_id == import_id).count().to_pyarrow().as_py())


def posts_current(store: Store) -> ir.Table:
    pf = store.table("post_facts")
    sup = store.table("post_supersessions")
    return aliased(store, pf.anti_join(sup, pf.fact_seq == sup.fact_seq))


_LATEST = [
    c
    for c in CREATOR_FACTS
    if c not in {"fact_seq", "import_id", "platform", "handle", "categories"}
]


def creators_current(store: Store) -> ir.Table:
    """One row per (platform, handle): each field from the latest fact that states it; a
    merged entry's facts count for the entry it was merged into (``store.identities``)."""
    return current_creators(aliased(store, store.table("creator_facts")))


def current_creators(t: ir.Table) -> ir.Table:
    """``creators_current`` of any table of creator facts (the catalog pipeline's, too)."""
    aggs = {c: t[c].argmax(t.fact_seq, where=t[c].notnull()) for c in _LATEST}
    aggs["first_seen"] = t.observed_at.min()
    aggs["last_import"] = t.import_id.max()
    latest = t.group_by(["platform", "handle"]).agg(**aggs)
    latest = with_latest_array(latest, t, ["platform", "handle"], "categories")
    return latest.select("platform", "handle", *_LATEST, "categories", "first_seen", "last_import")


def with_latest_array(agg: ir.Table, facts: ir.Table, key: list[str], column: str) -> ir.Table:
    """``agg`` (one row per ``key``) with ``column``, an array, from the latest fact (greatest
    ``fact_seq``) where it is not empty, else null.

    The portable form of ``column.argmax(fact_seq, where=column.length() > 0)``: Ibis compiles
    an array's arg-max for PostgreSQL as ``array_agg(…)[1]``, which is one element, not the array.
    A fact's ``fact_seq`` is unique, so the join finds one row.
    """
    given = facts.filter(facts[column].notnull() & (facts[column].length() > 0))
    seq = given.group_by(key).agg(_seq=given.fact_seq.max())
    picked = seq.join(given, [*key, seq._seq == given.fact_seq]).select(
        *key, **{f"_{column}": given[column]}
    )
    joined = agg.left_join(picked, key)
    return joined.select(*agg.columns, **{column: joined[f"_{column}"]})


def snapshots(store: Store) -> ir.Table:
    return aliased(store, store.table("follower_snapshots"))


def has_name_keyed(store: Store) -> bool:
    """Whether the catalog holds a creator known by display name only (``~name``)."""
    from creatormix.domain.platform import NAME_KEY_PREFIX

    t = store.table("creator_facts")
    found = t.filter(t.handle.startswith(NAME_KEY_PREFIX)).select("handle").limit(1)
    return bool(found.to_pyarrow().num_rows)


def known_platforms(store: Store, handles: list[str]) -> dict[str, list[str]]:
    import pyarrow as pa

    t = store.table("creator_facts")
    uniq = sorted(set(handles))
    if not uniq:
        return {}
    wanted = store.keys_table(pa.table({"handle": pa.array(uniq, pa.string())}))
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


# --- the derived metrics table and the catalog's reads ---------------------------------------


def metrics(store: Store) -> ir.Table:
    """The creator-metrics table (the facade makes sure it exists before reading it)."""
    return store.table(METRICS_TABLE)


def drop_metrics(store: Store) -> None:
    """Forget the derived table; the next read rebuilds it (a batch of imports defers it so)."""
    if store.has_table(METRICS_TABLE):
        store.drop_table(METRICS_TABLE)
    store.execute(f"DROP TABLE IF EXISTS {METRICS_STAMP_TABLE}")


# A new value whenever the metrics table is rebuilt or dropped. Derived as the table is (never
# copied, rebuilt with it), so a copied workspace's facts and settings stay identical to the
# source's.
METRICS_STAMP_TABLE = "creator_metrics_stamp"


def stamp_metrics(store: Store) -> None:
    """Mark the metrics table as rebuilt, in the caller's transaction: what was remembered from
    it under the old stamp (``Store.remember``) is never read again."""
    import uuid

    from creatormix.store.dialects import literal

    store.execute(f"DROP TABLE IF EXISTS {METRICS_STAMP_TABLE}")
    store.execute(
        f"CREATE TABLE {METRICS_STAMP_TABLE} AS SELECT {literal(uuid.uuid4().hex)} AS stamp"
    )


def metrics_stamp(store: Store) -> str | None:
    """The metrics table's stamp (None when it has none: dropped, or built before stamps)."""

    def read() -> str | None:
        if not store.has_table(METRICS_STAMP_TABLE):
            return None
        rows = store.records(f"SELECT stamp FROM {METRICS_STAMP_TABLE}")
        return str(rows[0]["stamp"]) if rows else None

    value: str | None = store.memo(("metrics stamp",), read)
    return value


_SORT_COLUMNS = {
    SortKey.FOLLOWERS: "followers",
    SortKey.ER: "er_shrunk",
    SortKey.ER_RAW: "er_observed",
    SortKey.ER_VIEWS: "er_views_median",
    SortKey.ENGAGEMENTS: "avg_engagements",
    SortKey.GROWTH: "growth_30d",
    SortKey.CADENCE: "posts_per_week",
    SortKey.SPONSORED: "sponsored_share",
    SortKey.PRICE: "price_per_post",
    SortKey.HANDLE: "handle",
}


_SORT_LABELS = {
    SortKey.ER: "engagement rate",
    SortKey.ER_RAW: "observed engagement rate",
    SortKey.ER_VIEWS: "engagement rate by views",
    SortKey.ENGAGEMENTS: "average engagements",
    SortKey.GROWTH: "30-day growth",
    SortKey.CADENCE: "posting cadence",
    SortKey.SPONSORED: "sponsored share",
    SortKey.PRICE: "price",
}


def _sort_groups(t: ir.Table, query: CreatorQuery, total: int) -> tuple[list[Any], tuple[str, ...]]:
    """What the listing is ordered by before the sort key, and the notes that say so.

    Prices in different currencies are never compared as plain numbers (there is no exchange rate
    here): they sort within each currency, the currency with the most prices first. A key that no
    matching creator has gives no order at all, so the note says the list is by handle.
    """
    import ibis

    name = _SORT_COLUMNS[query.sort]
    if query.sort is SortKey.HANDLE or total == 0:
        return [], ()
    known = t.filter(t[name].notnull())
    if query.sort is not SortKey.PRICE:
        if int(known.count().to_pyarrow().as_py()) == 0:
            label = _SORT_LABELS.get(query.sort, query.sort.value)
            return [], (
                f"none of the {total:,} matching creator(s) has a {label}; listed by handle",
            )
        return [], ()
    currency = t.currency.fill_null("")
    counts = (
        known.group_by(currency=known.currency.fill_null(""))
        .aggregate(n=known.count())
        .order_by([ibis.desc("n"), "currency"])
        .to_pyarrow()
        .to_pylist()
    )
    if not counts:
        return [], (f"none of the {total:,} matching creator(s) has a price; listed by handle",)
    if len(counts) == 1:
        return [], ()
    rank = ibis.cases(
        (t[name].isnull(), len(counts)),  # creators without a price after every currency
        *((currency == r["currency"], i) for i, r in enumerate(counts)),
        else_=len(counts),
    )
    shown = ", ".join(f"{r['currency'] or 'no currency'} ({r['n']:,})" for r in counts)
    return [rank], (
        f"prices are in {len(counts)} currencies, {shown}: sorted by price within each currency, "
        "in that order, since no exchange rate converts them",
    )


@dataclass(frozen=True)
class CreatorRows:
    """A listing's page of metric rows, the matches in all and what the query left out or decided."""

    rows: pa.Table
    total: int
    left_out_prior_only: int
    notes: tuple[str, ...]


LISTING_ROWS = 50_000  # listings with more matches are read a page at a time, never kept


def query_creators(store: Store, query: CreatorQuery) -> CreatorRows:
    """Creators matching every filter of ``query``, sorted, one page; see ``Workspace.list_creators``.

    A listing of at most ``LISTING_ROWS`` matches is read whole once per stamp of the metrics
    table and remembered (``Store.remember``): the next page of the same search, by anyone, is a
    slice of it. A longer one is read one page at a time, as a one-off command reads it.
    """
    from dataclasses import replace

    whole = replace(query, limit=None, offset=0)
    found: CreatorRows | None = store.remember(
        ("listing", whole),
        lambda: _listing(store, whole, at_most=LISTING_ROWS),
        stamp=metrics_stamp(store),
        weigh=lambda r: r.rows.nbytes if r is not None else 64,
    )
    if found is None:  # too many matches to keep
        page = _listing(store, query)
        assert page is not None
        return page
    rows = found.rows.slice(query.offset, query.limit)
    return CreatorRows(rows, found.total, found.left_out_prior_only, found.notes)


def _listing(
    store: Store, query: CreatorQuery, *, at_most: int | None = None
) -> CreatorRows | None:
    """The listing's page (its limit and offset), or None when it matches more than ``at_most``."""
    t, total, left_out, notes = _ordered(store, query)
    if at_most is not None and total > at_most:
        return None
    if query.limit is not None:
        t = t.limit(query.limit, offset=query.offset)
    elif query.offset:
        t = t.limit(None, offset=query.offset)
    return CreatorRows(store.fetch(t), total, left_out, notes)


def query_keys(
    store: Store, query: CreatorQuery
) -> tuple[list[tuple[str, str]], int, tuple[str, ...]]:
    """Every (platform, handle) matching ``query``'s filters, in its order (limit and offset
    ignored), with the creators left out as ``query_creators`` leaves them out, and its notes."""
    t, _, left_out, notes = _ordered(store, query)
    rows = t.select("platform", "handle").to_pyarrow()
    keys = list(zip(rows["platform"].to_pylist(), rows["handle"].to_pylist(), strict=True))
    return keys, left_out, notes


def rows_for_keys(store: Store, keys: list[tuple[str, str]]) -> pa.Table:
    """The metrics rows of these creators, in the order of ``keys`` (unknown ones left out)."""
    import ibis
    import pyarrow as pa

    if not keys:
        return store.fetch(metrics(store).limit(0))
    wanted = ibis.memtable(
        pa.table(
            {
                "platform": pa.array([k[0] for k in keys], pa.string()),
                "handle": pa.array([k[1] for k in keys], pa.string()),
                "_order": pa.array(range(len(keys)), pa.int64()),
            }
        )
    )
    t = metrics(store)
    j = t.join(wanted, ["platform", "handle"]).order_by("_order")
    return store.fetch(j.drop("_order"))


def _ordered(store: Store, query: CreatorQuery) -> tuple[ir.Table, int, int, tuple[str, ...]]:
    """The filtered, sorted listing (no page cut), its total, the prior-only left out, notes."""
    t = metrics(store)
    t = _apply_filters(t, query)
    left_out = 0
    if query.ranks_by_er and not query.include_prior_only:
        prior_only = t.er_observed.isnull()
        left_out = int(t.filter(prior_only).count().to_pyarrow().as_py())
        t = t.filter(~prior_only)
    total = int(t.count().to_pyarrow().as_py())
    name = _SORT_COLUMNS[query.sort]
    column = t[name]
    groups, notes = _sort_groups(t, query, total)
    order = [
        *groups,
        column.desc(nulls_first=False) if query.descending else column.asc(nulls_first=False),
        *(t[tie] for tie in ("handle", "platform") if tie != name),  # ties in a stable order
    ]
    return t.order_by(order), total, left_out, notes


def _apply_filters(t: ir.Table, q: CreatorQuery) -> ir.Table:
    from creatormix.domain.geo import country_code

    if q.platforms:
        t = t.filter(t.platform.isin(list(q.platforms)))
    if q.tiers:
        t = t.filter(t.tier.isin(list(q.tiers)))
    if q.countries:
        codes = []
        for c in q.countries:
            code = country_code(c)
            if code is None:
                raise InvalidOption(
                    f"unknown country {c!r} (use an ISO code such as FR or a name such as France)"
                )
            codes.append(code)
        t = t.filter(t.country.isin(codes))
    if q.niches:
        cond: Any = None
        for niche in q.niches:
            term = niche.strip().lower()
            hit = t.categories.contains(term) | t.bio.lower().contains(term)
            cond = hit if cond is None else cond | hit
        t = t.filter(cond)
    if q.text:
        term = q.text.strip().lower().lstrip("@")
        t = t.filter(
            t.handle.contains(term) | t.name.lower().contains(term) | t.bio.lower().contains(term)
        )
    if q.min_followers is not None:
        t = t.filter(t.followers >= q.min_followers)
    if q.max_followers is not None:
        t = t.filter(t.followers <= q.max_followers)
    if q.min_er is not None:
        t = t.filter(t.er_shrunk >= q.min_er)
    if q.max_er is not None:
        t = t.filter(t.er_shrunk <= q.max_er)
    return t


def find_creators(store: Store, handle: str, platform: str | None) -> list[dict[str, Any]]:
    """(platform, handle) rows of the catalog's creators with this handle (on ``platform``)."""
    t = metrics(store)
    cond = t.handle == handle
    if platform is not None:
        cond = cond & (t.platform == platform)
    return t.filter(cond).select("platform", "handle").to_pyarrow().to_pylist()  # type: ignore[no-any-return]


def similar_handles(store: Store, handle: str) -> list[str]:
    """Up to three handles sharing the first letters and digits of ``handle`` (a did-you-mean)."""
    import re

    t = metrics(store)
    stem = re.sub(r"[^a-z0-9]", "", handle)[:6]
    if not stem:
        return []
    rows = t.filter(t.handle.contains(stem)).select("handle").limit(3).to_pyarrow().to_pylist()
    return [r["handle"] for r in rows]


def creator_row(store: Store, platform: str, handle: str) -> pa.Table:
    """The creator's row of the metrics table."""
    t = metrics(store)
    return store.fetch(t.filter((t.platform == platform) & (t.handle == handle)))


def recent_posts(
    store: Store, platform: str, handle: str, limit: int, disclosed: Callable[[Any], Any]
) -> list[dict[str, Any]]:
    """The creator's latest ``limit`` current posts, newest first, each with ``disclosed`` (an
    expression of the posts table: whether a marker in the post says it is sponsored)."""
    current = posts_current(store)
    recent = current.filter((current.platform == platform) & (current.handle == handle))
    recent = recent.order_by(
        [recent.posted_at.desc(nulls_first=False), recent.fact_seq.desc()]
    ).limit(limit)
    recent = recent.mutate(disclosed=disclosed(recent))
    return recent.to_pyarrow().to_pylist()  # type: ignore[no-any-return]


def creator_snapshots(store: Store, platform: str, handle: str) -> list[dict[str, Any]]:
    """The creator's follower snapshots, oldest first."""
    snaps = snapshots(store)
    snaps = snaps.filter((snaps.platform == platform) & (snaps.handle == handle)).order_by(
        "observed_at"
    )
    return snaps.to_pyarrow().to_pylist()  # type: ignore[no-any-return]


def creator_import_ids(store: Store, platform: str, handle: str) -> list[int]:
    """Imports that brought facts of the creator (merged entries' included): its creator rows,
    then its posts."""
    cf = aliased(store, store.table("creator_facts"))
    import_ids: list[int] = (
        cf.filter((cf.platform == platform) & (cf.handle == handle))
        .import_id.to_pyarrow()
        .to_pylist()
    )
    pf = aliased(store, store.table("post_facts"))
    import_ids += (
        pf.filter((pf.platform == platform) & (pf.handle == handle))
        .select("import_id")
        .distinct()
        .to_pyarrow()["import_id"]
        .to_pylist()
    )
    return import_ids


def merged_counts(store: Store, import_ids: list[int]) -> dict[int, int]:
    """import id -> records merged into another of the same creator (the log's ``rows_merged``)."""
    from creatormix.store.dialects import literals

    if not import_ids:
        return {}
    rows = store.records(
        f"SELECT import_id, rows_merged FROM imports WHERE import_id IN ({literals(import_ids)})"
    )
    return {int(r["import_id"]): int(r["rows_merged"] or 0) for r in rows}


def tier_summary_rows(store: Store, *, by_platform: bool) -> list[dict[str, Any]]:
    """Per (platform and) tier: creators, median followers and ER, posts and median price."""
    t = metrics(store)
    t = t.filter(t.tier.notnull())
    keys = ["platform", "tier"] if by_platform else ["tier"]
    measured = t.er_observed.notnull()
    agg = t.group_by(keys).agg(
        creators=t.count(),
        median_followers=t.followers.median(),
        median_er=t.er_shrunk.median(where=measured),
        median_er_observed=t.er_observed.median(),
        creators_with_posts=(t.posts_measured.fill_null(0) > 0).sum(),
        posts=t.posts_total.fill_null(0).sum(),
        median_price=t.price_per_post.median(),
    )
    return agg.to_pyarrow().to_pylist()  # type: ignore[no-any-return]


def counts(store: Store) -> dict[str, int]:
    """Creators in the metrics table and current posts."""
    posts = posts_current(store)
    return {
        "creators": int(metrics(store).count().to_pyarrow().as_py()),
        "posts": int(posts.count().to_pyarrow().as_py()),
    }


def orphan_creators(store: Store, table_name: str, import_id: int) -> tuple[int, list[str]]:
    """Creators of an import's rows in ``table_name`` who are not in the catalog: how many, and
    up to three of their handles."""
    t = store.table(table_name)
    new = t.filter(t.import_id == import_id).select("platform", "handle").distinct()
    orphans = new.anti_join(store.table("creator_facts"), ["platform", "handle"])
    rows = orphans.limit(3).to_pyarrow().to_pylist()
    if not rows:
        return 0, []
    return int(orphans.count().to_pyarrow().as_py()), [r["handle"] for r in rows]


def tier_and_followers(store: Store, platform: str, handle: str) -> dict[str, Any] | None:
    """The creator's tier and followers from the metrics table, None when not in the catalog."""
    t = metrics(store)
    rows = (
        t.filter((t.platform == platform) & (t.handle == handle))
        .select("tier", "followers")
        .to_pyarrow()
        .to_pylist()
    )
    return rows[0] if rows else None
