"""The catalog pipeline's queries: from parsed rows to the tables the metrics read.

What ``creatormix import`` does to the files one import at a time, written as Ibis expressions over
every file at once, so that any engine runs them (``workspace/profiles.py`` puts them together).
Files count in the order of their names, as if imported one after the other:

* creators: a file's duplicate records of a creator merge into one fact (each field from the
  last record that states it, categories unioned in record order: ``merge_duplicate_creators``);
  the current creator takes each field from the latest fact that states it (``creators_current``);
* a creator row with followers is also a follower snapshot;
* posts without a platform take the one platform the creators' files give their handle, else are
  rejected with the importer's reason; the latest fact of a post wins (``supersede_posts``);
* a creator's follower sample is the one of the latest file that has one.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from creatormix.domain.imports import PLATFORM_REASON, PLATFORM_SEVERAL, PLATFORM_UNKNOWN
from creatormix.domain.profiles import KIND_COLUMN as KIND
from creatormix.domain.profiles import REJECT_KIND as REJECT
from creatormix.domain.profiles import ROW_KIND as ROW
from creatormix.domain.profiles import WARNING_KIND as WARNING
from creatormix.store.catalog import current_creators
from creatormix.store.migrations.m001_catalog import CREATOR_FACTS, POST_FACTS
from creatormix.store.migrations.m003_vetting import FOLLOWER_SAMPLES

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pyarrow as pa

KEY = ["platform", "handle"]
_SEQ_SHIFT = 1 << 40  # as store/catalog.py: fact_seq = file number * 2**40 + record
_POSITION = 1 << 12  # a category's place: record * 4096 + position in the record's list
_MERGED = [
    c
    for c in CREATOR_FACTS
    if c not in {"fact_seq", "import_id", "platform", "handle", "categories"}
]
REJECT_COLUMNS = ("kind", "file", "record", "column", "value", "reason")


def rows(parsed: ir.Table) -> ir.Table:
    return parsed.filter(parsed[KIND] == ROW)


def rejects(parsed: ir.Table, kind: str) -> ir.Table:
    """The parse's rejects in the rejects file's columns (``record`` 1-based, as ``import``)."""
    import ibis

    r = parsed.filter(parsed[KIND] == REJECT)
    return r.select(
        kind=ibis.literal(kind),
        file=r._file,
        record=r._record + 1,
        column=r._column,
        value=r._value,
        reason=r._reason,
        _file_no=r._file_no,
    )


def warnings(parsed: ir.Table) -> ir.Table:
    w = parsed.filter(parsed[KIND] == WARNING)
    return w.select(file=w._file, column=w._column, message=w._reason).distinct()


# --- creators ---------------------------------------------------------------------------------


def creator_facts(parsed: ir.Table, observed_at: datetime | None) -> ir.Table:
    """One fact per creator and file, as ``import`` stores a file's merged records.

    ``observed_at`` defaults to ``observed_at`` when given, else to the file's modification time
    (``import`` uses the moment of the import: a rerun would then change the profiles).
    """
    import ibis

    t = rows(parsed)
    per_file = [*KEY, "_file_no"]
    aggs = {c: t[c].argmax(t._record, where=t[c].notnull()) for c in _MERGED}
    g = t.group_by(per_file).agg(**aggs, _last=t._record.max(), _modified=t._modified.max())
    g = _left_join(g, _categories_by_file(t), per_file)
    when = ibis.literal(observed_at) if observed_at is not None else g._modified
    g = g.mutate(
        observed_at=g.observed_at.fill_null(when),
        categories=g.categories.fill_null(ibis.literal([], type="array<string>")),
        fact_seq=g._file_no * _SEQ_SHIFT + g._last,
        import_id=g._file_no,
    )
    return g.select(*CREATOR_FACTS)


def _categories_by_file(t: ir.Table) -> ir.Table:
    """Per creator and file: the union of its records' categories, in the order first met."""
    import ibis

    c = t.filter(t.categories.length() > 0).select(*KEY, "_file_no", "_record", "categories")
    flat = c.unnest("categories", offset="_pos")
    at = flat._record * _POSITION + flat._pos.cast("int64")
    first = flat.group_by([*KEY, "_file_no", "categories"]).agg(_at=at.min())
    union = first.group_by([*KEY, "_file_no"]).agg(
        _cats=ibis.struct({"at": first._at, "c": first.categories}).collect()
    )
    return union.select(*KEY, "_file_no", categories=union._cats.sort().map(lambda s: s.c))


def _left_join(left: ir.Table, right: ir.Table, keys: list[str]) -> ir.Table:
    joined = left.left_join(right, keys, rname="{name}__r")
    return joined.drop(*[f"{k}__r" for k in keys])


def creators(facts: ir.Table) -> ir.Table:
    """The current creators (``creators_current`` of the pipeline's facts)."""
    return current_creators(facts)


def snapshots(facts: ir.Table, parsed_snapshots: ir.Table | None) -> ir.Table:
    """Follower snapshots: every creator fact that states followers, and the snapshot files."""
    s = facts.filter(facts.followers.notnull()).select(
        "import_id", *KEY, "observed_at", "followers"
    )
    if parsed_snapshots is None:
        return s
    r = rows(parsed_snapshots)
    extra = r.select(
        import_id=r._file_no,
        **{c: r[c] for c in KEY},
        observed_at=r.observed_at,
        followers=r.followers,
    )
    return s.union(extra.cast(s.schema()))


# --- posts ------------------------------------------------------------------------------------


def resolve_platforms(t: ir.Table, current: ir.Table, kind: str) -> tuple[ir.Table, ir.Table]:
    """Rows with a platform (filled from the creators where missing), and the rejected rest.

    A row without a platform takes the one platform the creators' files give its handle, as
    ``import`` takes it from the catalog (``ingest.tabulate.resolve_platforms``).
    """
    import ibis

    plats = current.group_by("handle").agg(
        _n=current.platform.nunique(), _only=current.platform.max()
    )
    p = _left_join(t, plats, ["handle"])
    known = p._n.fill_null(0) == 1
    p = p.mutate(
        _unresolved=p.platform.isnull() & ~known,
        platform=ibis.ifelse(p.platform.isnull() & known, p._only, p.platform),
    )
    bad = p.filter(p._unresolved)
    head, tail = PLATFORM_REASON.split("{handle}")
    mid, end = tail.split("{why}")
    why = ibis.ifelse(bad._n.fill_null(0) > 1, PLATFORM_SEVERAL, PLATFORM_UNKNOWN)
    rejected = bad.select(
        kind=ibis.literal(kind),
        file=bad._file,
        record=bad._record + 1,
        column=ibis.literal("handle"),
        value=bad.handle,
        reason=ibis.literal(head) + bad.handle + mid + why + end,
        _file_no=bad._file_no,
    )
    return p.filter(~p._unresolved).drop("_n", "_only", "_unresolved"), rejected


def post_facts(parsed: ir.Table, current: ir.Table) -> tuple[ir.Table, ir.Table]:
    """Post facts with a platform each, and the posts rejected for want of one."""
    good, rejected = resolve_platforms(rows(parsed), current, "posts")
    good = good.mutate(fact_seq=good._file_no * _SEQ_SHIFT + good._record, import_id=good._file_no)
    return good.select(*POST_FACTS), rejected


def posts_current(facts: ir.Table) -> ir.Table:
    """The latest fact of each post (a later file, or a later record of the same file, wins)."""
    import ibis

    w = ibis.window(group_by=[*KEY, "post_id"])
    latest = facts.mutate(_latest=facts.fact_seq.max().over(w))
    return latest.filter(latest.fact_seq == latest._latest).drop("_latest")


# --- follower samples -------------------------------------------------------------------------


def follower_samples(parsed: ir.Table, observed_at: datetime | None) -> ir.Table:
    """Each creator's follower sample from the latest file that has one."""
    import ibis

    t = rows(parsed)
    latest = t.group_by(KEY).agg(_latest=t._file_no.max())
    t = t.join(latest, KEY).filter(lambda r: r._file_no == r._latest)
    when = ibis.literal(observed_at) if observed_at is not None else t._modified
    return t.mutate(
        observed_at=t.observed_at.fill_null(when),
        fact_seq=t._file_no * _SEQ_SHIFT + t._record,
        import_id=t._file_no,
    )


def sample_facts(samples: ir.Table) -> ir.Table:
    """``follower_samples`` (after ``resolve_platforms``) in the workspace's columns."""
    return samples.select(*FOLLOWER_SAMPLES)


# --- rejects ----------------------------------------------------------------------------------


def reject_summary(all_rejects: ir.Table) -> ir.Table:
    """Rejected records by kind, column and reason, with the first one's file and record."""
    order = all_rejects._file_no * _SEQ_SHIFT + all_rejects.record.fill_null(0)
    return all_rejects.group_by(["kind", "column", "reason"]).agg(
        records=all_rejects.count(),
        first_file=all_rejects.file.argmin(order),
        first_record=all_rejects.record.argmin(order),
    )


def no_posts() -> pa.Table:
    """The post facts of a build without ``--posts``: none (creators keep their priors)."""
    import ibis

    return ibis.schema(POST_FACTS).to_pyarrow().empty_table()
