"""Vetting importers: follower samples (the workspace's expected fake share is recomputed),
audience shares (each creator's dimension checked to sum to ~100 %) and comment texts. A creator
cell may be written ``platform:@handle``; rows of creators not in the catalog are kept, with a note.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from creatormix.domain.imports import ImportOutcome, ImportWarning, Reject
from creatormix.ingest.samples import (
    require_profile_column,
    split_platform_prefix,
    without_blank_followers,
)
from creatormix.store import catalog as facts
from creatormix.store import vetting as vstore
from creatormix.workspace.fake_prior import store_fake_prior

if TYPE_CHECKING:
    import pyarrow as pa

    from creatormix.ingest.readers import Source
    from creatormix.store.core import Store
    from creatormix.workspace.importers._job import ImportJob


def followers_sample(job: ImportJob) -> ImportOutcome:
    tab, source, display, progress = job.tab, job.source, job.display, job.progress
    require_profile_column(tab, display, source.header)
    accepted, rejects = 0, []
    for chunk in tab.chunks():
        table, rejected = _with_platforms(job.store, chunk.table, display, source)
        table, blank = without_blank_followers(table, display, source)
        rejects += rejected + blank
        accepted += vstore.append_follower_samples(job.store, table, job.import_id, job.now)
        progress("writing", chunk.records_read, source.rows_estimate)
    if accepted:
        store_fake_prior(job.store)
    notes = _orphans_note(job.store, "follower_samples", job.import_id)
    return ImportOutcome(accepted, tuple(rejects), tuple(notes))


def audience(job: ImportJob) -> ImportOutcome:
    import pyarrow as pa

    from creatormix.ingest.audience import check_shares

    tab, source, display, progress = job.tab, job.source, job.display, job.progress
    rejects: list[Reject] = []
    tables = []
    share = next(p for p in tab.plans if p.field is not None and p.field.name == "share")
    cells: list[object] = []
    read = source.batches

    def batches() -> Iterator[pa.RecordBatch]:  # keep the share cells as written
        for batch in read():
            cells.extend(batch.column(share.index).to_pylist())
            yield batch

    source.batches = batches
    try:
        for chunk in tab.chunks():
            table, rejected = _with_platforms(job.store, chunk.table, display, source)
            rejects += rejected
            tables.append(table)
            progress("reading", chunk.records_read, source.rows_estimate)
    finally:
        source.batches = read
    # the unit of bare numbers is decided per creator and dimension, not for the file
    note = f"column {share.header!r}: numbers without % are read as"
    tab.warnings[:] = [w for w in tab.warnings if not w.message.startswith(note)]
    table = pa.concat_tables(tables) if len(tables) != 1 else tables[0]
    ctx = tab.contexts.get(share.index)
    table, rejected, warnings = check_shares(
        table,
        display,
        source.locate,
        cells=cells,
        **({"locale": ctx.locale} if ctx is not None else {}),
    )
    accepted = vstore.append_audience_shares(job.store, table, job.import_id, job.now)
    notes = warnings + _orphans_note(job.store, "audience_shares", job.import_id)
    return ImportOutcome(accepted, tuple(rejects + rejected), tuple(notes))


def comments(job: ImportJob) -> ImportOutcome:
    accepted, rejects = 0, []
    for chunk in job.tab.chunks():
        table, rejected = _with_platforms(job.store, chunk.table, job.display, job.source)
        rejects += rejected
        accepted += vstore.append_comments(job.store, table, job.import_id)
        job.progress("writing", chunk.records_read, job.source.rows_estimate)
    notes = _orphans_note(job.store, "comment_facts", job.import_id)
    return ImportOutcome(accepted, tuple(rejects), tuple(notes))


def _with_platforms(
    store: Store, table: pa.Table, display: str, source: Source
) -> tuple[pa.Table, list[Reject]]:
    from creatormix.ingest.tabulate import resolve_platforms

    table, bad = split_platform_prefix(table, display, source)
    if not table["platform"].null_count:
        return table, bad
    known = facts.known_platforms(store, table["handle"].to_pylist())
    table, rejects = resolve_platforms(table, known, display, source.locate)
    return table, bad + rejects


def _orphans_note(store: Store, table_name: str, import_id: int) -> list[ImportWarning]:
    n, handles = facts.orphan_creators(store, table_name, import_id)
    if not n:
        return []
    sample = ", ".join("@" + h for h in handles)
    return [ImportWarning(f"rows of {n} creator(s) not in the catalog (e.g. {sample}) were kept")]
