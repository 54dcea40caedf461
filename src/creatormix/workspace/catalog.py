"""Catalog use cases: import files, rebuild metrics, list and show creators, summarise tiers."""

from __future__ import annotations

import csv
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from creatormix.domain.catalog import CreatorProfile, CreatorRef
from creatormix.domain.imports import (
    ImportKind,
    ImportOptions,
    ImportRecord,
    ImportReport,
    ImportWarning,
    Merge,
    Reject,
)
from creatormix.domain.query import (
    CreatorDetail,
    CreatorPage,
    CreatorQuery,
    Progress,
    TierSummary,
    TierSummaryRow,
    no_progress,
)
from creatormix.errors import InvalidOption, NotFound, RowsRejected
from creatormix.ingest.readers import open_source
from creatormix.ingest.tabulate import (
    Tabulator,
    fill_post_ids,
    merge_duplicate_creators,
    resolve_platforms,
)
from creatormix.store import catalog as facts
from creatormix.store import mappers
from creatormix.store.core import Store, current_user, utcnow

if TYPE_CHECKING:
    import pyarrow as pa

    from creatormix.domain.tiers import TierScheme
    from creatormix.metrics.params import MetricParams

SYNTHETIC_SETTING = "workspace.synthetic"  # the label of a workspace of invented data (the demo)
_CATALOG_KINDS = {ImportKind.CREATORS, ImportKind.POSTS, ImportKind.SNAPSHOTS}


class CatalogOps:
    store: Store

    # --- configuration -----------------------------------------------------------------------

    def tier_scheme(self) -> TierScheme:
        """The workspace's tier scheme (``default`` until one is set)."""
        from creatormix.domain.tiers import DEFAULT_SCHEME, TierScheme

        raw = self.store.get_setting("tiers.scheme")
        return TierScheme.from_json(raw) if raw else DEFAULT_SCHEME

    def set_tier_scheme(
        self, scheme: str | TierScheme, *, progress: Progress = no_progress
    ) -> TierScheme:
        """Select a named scheme or store a custom one; tiers and priors are recomputed."""
        from creatormix.domain.tiers import NAMED_SCHEMES

        if isinstance(scheme, str):
            if scheme not in NAMED_SCHEMES:
                raise InvalidOption(
                    f"unknown tier scheme {scheme!r} (named schemes: {', '.join(NAMED_SCHEMES)})"
                )
            scheme = NAMED_SCHEMES[scheme]
        with self.store.transaction():
            self.store.set_setting("tiers.scheme", scheme.to_json())
            self.refresh_metrics(progress=progress)
        return scheme

    def metric_params(self) -> MetricParams:
        """The workspace's metric parameters (defaults where never set)."""
        from creatormix.metrics.params import MetricParams

        return MetricParams.from_json(self.store.get_setting("metrics.params"))

    def set_metric_params(self, progress: Progress = no_progress, **changes: Any) -> MetricParams:
        """Change metric parameters (see ``MetricParams``) and recompute the metrics."""
        from creatormix.metrics.params import MetricParams

        current = self.metric_params().to_json()
        unknown = set(changes) - set(current)
        if unknown:
            raise InvalidOption(
                f"unknown metric parameter(s): {', '.join(sorted(unknown))} (known: {', '.join(current)})"
            )
        try:
            params = MetricParams.from_json(current | changes)
        except ValueError as exc:
            raise InvalidOption(str(exc)) from None
        with self.store.transaction():
            self.store.set_setting("metrics.params", params.to_json())
            self.refresh_metrics(progress=progress)
        return params

    def mark_synthetic(self, label: str | None = None) -> None:
        """Record that the workspace holds invented data (the demo): listings then say so."""
        from creatormix.domain.labels import SYNTHETIC_LABEL

        with self.store.transaction():
            self.store.set_setting(SYNTHETIC_SETTING, label or SYNTHETIC_LABEL)

    def synthetic_label(self) -> str | None:
        """The synthetic-data label when the workspace is a demo, else None."""
        label = self.store.get_setting(SYNTHETIC_SETTING)
        return str(label) if label else None

    # --- imports ---------------------------------------------------------------------------

    def import_file(
        self,
        kind: ImportKind | str,
        path: str | Path,
        options: ImportOptions | None = None,
        *,
        progress: Progress = no_progress,
        rejects_path: str | Path | None = None,
        refresh: bool = True,
    ) -> ImportReport:
        """Import one file of creators, posts or follower snapshots, all or nothing.

        Rows with a bad value are left out and reported (and written to a reject CSV); the rest is
        committed in one transaction with the import log entry and the rebuilt metrics (``refresh=False``
        defers the rebuild to the next read or import, for a batch of imports). The same
        file with the same options imports once: a repeat returns the earlier import's id.
        """
        kind = ImportKind(kind)
        options = options or ImportOptions()
        path = Path(path)
        display = str(path)
        source = open_source(
            path, fmt=options.format, encoding=options.encoding, delimiter=options.delimiter
        )
        fingerprint = options.fingerprint()
        earlier = self.store.find_import(kind, source.facts.sha256, fingerprint)
        if earlier is not None:
            earlier = self._with_merged([earlier])[0]
            if options.strict and earlier.rows_rejected:
                raise RowsRejected(
                    f"{display}: --strict refuses a file with rejected records, and this file "
                    f"was already imported without it as import #{earlier.import_id} "
                    f"({earlier.rows_accepted:,} record(s) kept, {earlier.rows_rejected:,} "
                    "rejected); nothing changed now. Fix the file and import it again"
                )
            return ImportReport(
                file=display,
                kind=kind,
                file_hash=source.facts.sha256,
                rows_read=earlier.rows_read,
                rows_accepted=earlier.rows_accepted,
                rows_rejected=earlier.rows_rejected,
                rows_merged=earlier.rows_merged,
                already_imported_as=earlier.import_id,
                encoding=source.facts.encoding,
            )
        if (
            kind is ImportKind.FOLLOWERS
        ):  # whole-file rules and sketches: the planning mixin's own path
            raise InvalidOption(
                "follower lists are imported with `creatormix import followers` "
                "(Workspace.import_followers), not import_file"
            )
        tab = Tabulator(source, kind, options, display)
        stages = _Stages(progress)
        progress = stages
        extra_rejects: list[Reject] = []
        merges: list[Merge] = []
        handler_merged = 0
        notes: list[ImportWarning] = []
        now = utcnow()
        with self.store.transaction():
            import_id = self.store.next_id("imports", "import_id")
            accepted = 0
            progress("reading", 0, source.rows_estimate)
            if kind is ImportKind.CREATORS:
                tables = []
                for chunk in tab.chunks():
                    tables.append(chunk.table)
                    progress("reading", chunk.records_read, source.rows_estimate)
                table = _concat(tables) if tables else tab.empty_table()
                table, merges = merge_duplicate_creators(table)
                progress("writing", 0, table.num_rows)
                accepted = facts.append_creators(self.store, table, import_id, now)
                progress("writing", accepted, table.num_rows)
            elif kind is ImportKind.POSTS:
                with _BackgroundWriter() as writer:
                    for chunk in tab.chunks():
                        progress("reading", chunk.records_read, source.rows_estimate)
                        table = fill_post_ids(chunk.table)
                        if table["platform"].null_count:
                            writer.wait()  # the lookup below needs the connection
                            known = facts.known_platforms(self.store, table["handle"].to_pylist())
                            table, rejected = resolve_platforms(
                                table, known, display, source.locate
                            )
                            extra_rejects += rejected
                        writer.submit(
                            partial(facts.append_posts, self.store, table, import_id),
                            partial(progress, "writing", chunk.records_read, source.rows_estimate),
                        )
                accepted = writer.rows
                superseded = facts.supersede_posts(self.store, import_id)
                if superseded:
                    notes.append(
                        ImportWarning(
                            f"{superseded} earlier or duplicate post record(s) replaced by newer ones"
                        )
                    )
                notes += self._orphan_posts_note(import_id)
            elif kind is ImportKind.SNAPSHOTS:
                for chunk in tab.chunks():
                    progress("reading", chunk.records_read, source.rows_estimate)
                    accepted += facts.append_snapshots(
                        self.store, chunk.table.drop(["_record"]), import_id
                    )
                    progress("writing", chunk.records_read, source.rows_estimate)
            else:  # kinds of other capabilities: a mixin's _import_<kind>(...) writes them
                handler = getattr(self, "_import_" + kind.value.replace("-", "_"))
                accepted, rejected, more, *merged = handler(
                    tab, source, import_id, display, now, progress
                )  # a fourth value, when given: records merged into another (an order's lines)
                extra_rejects += rejected
                notes += more
                handler_merged = sum(merged)
            stages.finish(read=tab.records_read, written=accepted)
            rejects = sorted(  # in file order, a record's columns as they came
                tab.rejects + extra_rejects,
                key=lambda r: r.record if r.record is not None else float("inf"),
            )
            rejected_rows = len(tab.rejected_records) + len(source.bad_records) + len(extra_rejects)
            merged_rows = sum(len(m.records) - 1 for m in merges) + handler_merged
            report = ImportReport(
                file=display,
                kind=kind,
                file_hash=source.facts.sha256,
                rows_read=tab.records_read,
                rows_accepted=accepted,
                rows_rejected=rejected_rows,
                import_id=import_id,
                encoding=source.facts.encoding,
                column_map=tab.loaded_columns,
                rejects=tuple(rejects),
                warnings=tuple(_dedupe(tab.warnings + notes)),
                merges=tuple(merges),
                imported_at=now,
                rows_merged=merged_rows,
            )
            if rejects:
                report = replace(
                    report, rejects_file=str(self._write_rejects(path, rejects, rejects_path))
                )
            if rejects and options.strict:
                raise RowsRejected(
                    f"{display}: {rejected_rows} record(s) rejected and --strict is set; nothing was imported "
                    f"(reasons in {report.rejects_file})",
                    rejects_file=report.rejects_file,
                )
            if accepted == 0:
                where = f" (reasons in {report.rejects_file})" if report.rejects_file else ""
                raise RowsRejected(
                    f"{display}: no record could be imported{where}",
                    rejects_file=report.rejects_file,
                )
            self.store.log_import(
                ImportRecord(
                    import_id,
                    kind,
                    path.name,
                    source.facts.sha256,
                    report.rows_read,
                    accepted,
                    rejected_rows,
                    now,
                    current_user(),
                    merged_rows,
                ),
                fingerprint=fingerprint,
                file_path=str(path.resolve()),
                rows_merged=merged_rows,
            )
            if kind not in _CATALOG_KINDS:
                pass  # other capabilities' facts leave the catalog metrics as they are
            elif refresh:
                self.refresh_metrics(progress=progress)
            else:
                facts.drop_metrics(self.store)
        return report

    def _orphan_posts_note(self, import_id: int) -> list[ImportWarning]:
        n, handles = facts.orphan_creators(self.store, "post_facts", import_id)
        if not n:
            return []
        sample = ", ".join("@" + h for h in handles)
        return [
            ImportWarning(
                f"posts of {n} creator(s) not in the catalog (e.g. {sample}) were kept; they count once those creators are imported"
            )
        ]

    def _write_rejects(
        self, source: Path, rejects: list[Reject], target: str | Path | None
    ) -> Path:
        if target is None:
            folder = self.store.path.parent / "rejects"
            folder.mkdir(parents=True, exist_ok=True)
            stamp = utcnow().strftime("%Y%m%dT%H%M%S")
            target = folder / f"{source.stem}.{stamp}.rejects.csv"
        target = Path(target)
        tmp = target.with_suffix(target.suffix + ".tmp")
        with tmp.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["file", "line", "record", "column", "value", "reason"])
            for r in rejects:
                writer.writerow(
                    [r.file, r.line or "", r.record or "", r.column or "", r.value or "", r.reason]
                )
        tmp.replace(target)
        return target

    def imports(self) -> list[ImportRecord]:
        """The import log, oldest first."""
        return self._with_merged(self.store.imports())

    def _with_merged(self, records: list[ImportRecord]) -> list[ImportRecord]:
        """The records with their ``rows_merged`` from the log (the store's mapper leaves it out)."""
        if not records:
            return records
        merged = facts.merged_counts(self.store, [r.import_id for r in records])
        return [replace(r, rows_merged=merged.get(r.import_id, 0)) for r in records]

    # --- metrics ---------------------------------------------------------------------------

    def refresh_metrics(self, *, progress: Progress = no_progress) -> None:
        """Rebuild the derived creator-metrics table from the facts (inside the caller's transaction)."""
        from creatormix.metrics.profile import creator_profiles

        progress("metrics", 0, 1)
        expr = creator_profiles(
            facts.creators_current(self.store),
            facts.posts_current(self.store),
            facts.snapshots(self.store),
            self.tier_scheme(),
            self.metric_params(),
            top_n_aggregate=self.store.top_n_aggregate,
        )
        with self.store.transaction():
            self.store.replace_table(facts.METRICS_TABLE, expr)
        progress("metrics", 1, 1)

    def _ensure_metrics(self) -> None:
        """Rebuild the metrics table when an import deferred it (``refresh=False``)."""
        if not self.store.has_table(facts.METRICS_TABLE):
            with self.store.transaction():
                self.refresh_metrics()

    # --- queries ---------------------------------------------------------------------------

    def list_creators(self, query: CreatorQuery | None = None) -> CreatorPage:
        """Creators matching every filter, sorted; ``total`` counts all matches before the limit.

        An ER filter or sort leaves out creators without measured engagement unless the query
        includes them (``include_prior_only``); the page says how many it left out.
        """
        query = query or CreatorQuery()
        if query.limit is not None and query.limit < 0:
            raise InvalidOption(f"limit must be 0 or more, not {query.limit}")
        if query.offset < 0:
            raise InvalidOption(f"offset must be 0 or more, not {query.offset}")
        self._ensure_metrics()
        found = facts.query_creators(self.store, query)
        return CreatorPage(
            creators=tuple(self._profiles(found.rows)),
            total=found.total,
            query=query,
            left_out_prior_only=found.left_out_prior_only,
            synthetic=self.synthetic_label(),
            notes=found.notes,
        )

    def _profiles(self, rows: pa.Table) -> list[CreatorProfile]:
        from creatormix.metrics.intervals import beta_interval

        level = self.metric_params().interval
        lows, highs = beta_interval(
            rows["er_alpha"].to_numpy(zero_copy_only=False),
            rows["er_beta"].to_numpy(zero_copy_only=False),
            level,
        )
        return [
            mappers.profile_from_row(row, low, high, level)
            for row, low, high in zip(rows.to_pylist(), lows.tolist(), highs.tolist(), strict=True)
        ]

    def resolve_creator(self, ref: str | CreatorRef) -> tuple[str, str]:
        """(platform, handle) for ``@handle`` or ``platform:handle``; any case, '@' optional."""
        if isinstance(ref, str):
            try:
                ref = CreatorRef.parse(ref)
            except ValueError as exc:  # an unknown platform prefix ("myspace:@x")
                raise InvalidOption(f"{ref!r}: {exc}") from None
        self._ensure_metrics()
        rows = facts.find_creators(
            self.store, ref.handle, ref.platform.value if ref.platform else None
        )
        if not rows:
            near = facts.similar_handles(self.store, ref.handle)
            hint = f"; did you mean {', '.join('@' + h for h in near)}?" if near else ""
            raise NotFound(
                f"no creator @{ref.handle}{' on ' + ref.platform.value if ref.platform else ''}{hint}"
            )
        if len(rows) > 1:
            options = ", ".join(f"{r['platform']}:{r['handle']}" for r in rows)
            raise InvalidOption(f"@{ref.handle} is on several platforms; say which: {options}")
        return rows[0]["platform"], rows[0]["handle"]

    def get_creator(self, ref: str | CreatorRef, *, posts: int = 12) -> CreatorDetail:
        """A creator's profile with recent posts, follower snapshots, sources and prior evidence."""
        from creatormix.metrics.activity import sponsored_flag

        if posts < 0:
            raise InvalidOption(f"posts must be 0 or more, not {posts}")
        platform, handle = self.resolve_creator(ref)
        rows = facts.creator_row(self.store, platform, handle)
        profile = self._profiles(rows)[0]
        row = rows.to_pylist()[0]
        recent = facts.recent_posts(self.store, platform, handle, posts, sponsored_flag)
        snaps = facts.creator_snapshots(self.store, platform, handle)
        import_ids = facts.creator_import_ids(self.store, platform, handle)
        sources = tuple(
            self._with_merged([self.store.get_import(i) for i in sorted(set(import_ids))])
        )
        return CreatorDetail(
            profile=profile,
            recent_posts=tuple(
                replace(mappers.post_from_row(r), disclosed=r["disclosed"]) for r in recent
            ),
            snapshots=tuple(mappers.snapshot_from_row(r) for r in snaps),
            sources=sources,
            prior_er=row.get("prior_er"),
            prior_source=row.get("prior_source") or "none",
            data_weight=row.get("data_weight"),
            synthetic=self.synthetic_label(),
        )

    def tier_summary(self, *, by_platform: bool = True) -> TierSummary:
        """Creators, median followers, median shrunk and observed ER, posts and price per tier."""
        self._ensure_metrics()
        agg = facts.tier_summary_rows(self.store, by_platform=by_platform)
        scheme = self.tier_scheme()
        order = {tier: i for i, tier in enumerate(["nano", "micro", "mid", "macro", "mega"])}
        rows = []
        for r in agg:
            rows.append(
                TierSummaryRow(
                    platform=r.get("platform", "all"),
                    tier=r["tier"],
                    creators=int(r["creators"]),
                    median_followers=r["median_followers"],
                    median_er=r["median_er"],
                    median_er_observed=r["median_er_observed"],
                    creators_with_posts=int(r["creators_with_posts"] or 0),
                    posts=int(r["posts"] or 0),
                    median_price=r["median_price"],
                )
            )
        rows.sort(key=lambda r: (r.platform, order.get(r.tier, 9)))
        return TierSummary(scheme=scheme.name, rows=tuple(rows))

    def catalog_counts(self) -> dict[str, int]:
        """Creators, current posts and imports in the workspace."""
        self._ensure_metrics()
        return {**facts.counts(self.store), "imports": len(self.store.imports())}


class _Stages:
    """A progress callback that remembers its stages, so an import can end every bar it started
    complete: the totals were estimated from a sample of the file."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self.seen: set[str] = set()

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        self.seen.add(stage)
        self._progress(stage, done, total)

    def finish(self, *, read: int, written: int) -> None:
        for stage, n in (("reading", read), ("writing", written)):
            if stage in self.seen:
                self._progress(stage, n, n)


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


def _dedupe(warnings: list[ImportWarning]) -> list[ImportWarning]:
    return list(dict.fromkeys(warnings))
