"""Catalog importers: creators (duplicates merged, name-keyed creators given their handle),
posts (written while the next batch is parsed; superseded facts recorded) and follower
snapshots."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from functools import partial
from typing import TYPE_CHECKING

from creatormix.domain.imports import ImportOutcome, ImportWarning, Reject
from creatormix.domain.platform import NAME_KEY_PREFIX, name_key
from creatormix.ingest.tabulate import fill_post_ids, merge_duplicate_creators, resolve_platforms
from creatormix.store import catalog as facts
from creatormix.store import entries, identities

if TYPE_CHECKING:
    import pyarrow as pa

    from creatormix.domain.identity import LikelyDuplicate
    from creatormix.store.core import Store
    from creatormix.workspace.importers._job import ImportJob


def creators(job: ImportJob) -> ImportOutcome:
    """One table of the whole file, duplicates of a creator merged (latest non-empty value wins)."""
    tab, source, progress = job.tab, job.source, job.progress
    tables = []
    for chunk in tab.chunks():
        tables.append(chunk.table)
        progress("reading", chunk.records_read, source.rows_estimate)
    table = _concat(tables) if tables else tab.empty_table()
    table, merges = merge_duplicate_creators(table)
    progress("writing", 0, table.num_rows)
    accepted = facts.append_creators(job.store, table, job.import_id, job.now)
    progress("writing", accepted, table.num_rows)
    return ImportOutcome(
        accepted,
        merged=sum(len(m.records) - 1 for m in merges),
        merges=tuple(merges),
        identity_merges=tuple(_merge_name_keyed(job.store, job.import_id)),
    )


def _merge_name_keyed(store: Store, import_id: int) -> list[LikelyDuplicate]:
    """Name-keyed creators (a YouTube file without handles) this import gave a real handle,
    merged into it as an event an unmerge can take back."""
    from creatormix.domain.identity import name_key_matches

    pairs = name_key_matches(entries.name_keyed_and_new(store, import_id))
    for m in pairs:
        identities.record_merge(
            store, m.platform, m.source, m.target, "name-key", m.evidence, import_id
        )
    return pairs


def posts(job: ImportJob) -> ImportOutcome:
    """Batch by batch; a post without a platform takes its creator's, when only one is known."""
    tab, source, progress, store = job.tab, job.source, job.progress, job.store
    extra_rejects: list[Reject] = []
    notes: list[ImportWarning] = []
    by_name = facts.has_name_keyed(store)
    named: set[tuple[str, str]] = set()
    with _BackgroundWriter() as writer:
        for chunk in tab.chunks():
            progress("reading", chunk.records_read, source.rows_estimate)
            table = fill_post_ids(chunk.table)
            if by_name:
                writer.wait()  # the lookup below needs the connection
                table = _to_name_keys(store, table, named)
            if table["platform"].null_count:
                writer.wait()  # the lookup below needs the connection
                known = facts.known_platforms(store, table["handle"].to_pylist())
                table, rejected = resolve_platforms(table, known, job.display, source.locate)
                extra_rejects += rejected
            writer.submit(
                partial(facts.append_posts, store, table, job.import_id),
                partial(progress, "writing", chunk.records_read, source.rows_estimate),
            )
    accepted = writer.rows
    superseded = facts.supersede_posts(store, job.import_id)
    if superseded:
        notes.append(
            ImportWarning(
                f"{superseded} earlier or duplicate post record(s) replaced by newer ones"
            )
        )
    if named:
        sample = ", ".join(f"@{h} -> {k}" for h, k in sorted(named)[:3])
        notes.append(
            ImportWarning(
                f"posts of {len(named):,} creator(s) known by display name only were attached to "
                f"them (e.g. {sample}): their handle is not in the catalog, their name is"
            )
        )
    notes += _orphan_posts_note(store, job.import_id)
    return ImportOutcome(accepted, tuple(extra_rejects), tuple(notes))


def _to_name_keys(store: Store, table: pa.Table, named: set[tuple[str, str]]) -> pa.Table:
    """Posts whose handle is no creator of the catalog but whose display-name key (``~name``)
    is, on their platform (or on the only platform that key is on), keyed by that name: a
    channel-title column mapped to handle attaches posts to the creators a channel-title export
    made. Adds (handle, key) to ``named`` for the import's note."""
    import pyarrow as pa
    import pyarrow.compute as pc

    handles = [h for h in pc.unique(table["handle"]).to_pylist() if h]
    keys = {h: name_key(h) for h in handles if not h.startswith(NAME_KEY_PREFIX)}
    known = facts.known_platforms(store, handles + list(keys.values()))
    if not any(k in known for k in keys.values()):
        return table
    platforms = table["platform"].to_pylist()
    out = table["handle"].to_pylist()
    for i, (plat, handle) in enumerate(zip(platforms, out, strict=True)):
        key = keys.get(handle) if handle else None
        if key is None or key not in known:
            continue
        on = known.get(handle, [])
        if (plat is None and not on and len(known[key]) == 1) or (
            plat is not None and plat not in on and plat in known[key]
        ):
            out[i] = key
            named.add((handle, key))
    column = table.column_names.index("handle")
    return table.set_column(column, "handle", pa.array(out, pa.string()))


def snapshots(job: ImportJob) -> ImportOutcome:
    accepted = 0
    for chunk in job.tab.chunks():
        job.progress("reading", chunk.records_read, job.source.rows_estimate)
        accepted += facts.append_snapshots(job.store, chunk.table.drop(["_record"]), job.import_id)
        job.progress("writing", chunk.records_read, job.source.rows_estimate)
    return ImportOutcome(accepted)


def _orphan_posts_note(store: Store, import_id: int) -> list[ImportWarning]:
    n, handles = facts.orphan_creators(store, "post_facts", import_id)
    if not n:
        return []
    sample = ", ".join("@" + h for h in handles)
    return [
        ImportWarning(
            f"posts of {n} creator(s) not in the catalog (e.g. {sample}) were kept; they count once those creators are imported"
        )
    ]


class _BackgroundWriter:
    """Writes one batch while the next one is read and parsed.

    DuckDB and Arrow both release the GIL, so the parse of batch k+1 runs on one core while the
    insert of batch k (compression included, the costliest step of a large import) runs on the
    other. At most one write is in flight, and the caller waits for it before using the
    connection itself, so the connection is never used by two threads at once; everything stays
    inside the caller's transaction.
    """

    def __init__(self) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="creatormix-write")
        self._pending: tuple[Future[int], Callable[[], object]] | None = None
        self.rows = 0

    def submit(self, write: Callable[[], int], then: Callable[[], object]) -> None:
        """Start ``write`` once the previous write is done; ``then`` runs when it succeeds."""
        self.wait()
        self._pending = (self._pool.submit(write), then)

    def wait(self) -> None:
        if self._pending is not None:
            future, then = self._pending
            self._pending = None
            self.rows += future.result()
            then()

    def __enter__(self) -> _BackgroundWriter:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *rest: object) -> None:
        try:
            if exc_type is None:
                self.wait()
            elif self._pending is not None:  # let it finish before the caller rolls back
                self._pending[0].exception()
        finally:
            self._pool.shutdown(wait=True)


def _concat(tables: list[pa.Table]) -> pa.Table:
    import pyarrow as pa

    return pa.concat_tables(tables) if len(tables) != 1 else tables[0]
