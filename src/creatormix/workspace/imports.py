"""The import pipeline, one for every kind: open the source, skip a file imported before with
the same options, tabulate (reading the columns as the latest import of the same header did
when that import inferred them), hand the records to the kind's importer
(``importers.IMPORTERS``), collect rejects and values left empty (reject CSV, ``--strict``), log
the import with how it read its columns, and rebuild the metrics the kind feeds, all in one
transaction."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from creatormix.domain.imports import (
    ImportExplanation,
    ImportKind,
    ImportOptions,
    ImportOutcome,
    ImportRecord,
    ImportReport,
    ImportRequest,
    ImportWarning,
    Reject,
)
from creatormix.domain.query import Progress, no_progress
from creatormix.errors import InvalidOption, RowsRejected
from creatormix.store import catalog as facts
from creatormix.store import imports as shapes
from creatormix.store.core import current_user, utcnow
from creatormix.workspace.catalog import CatalogOps

if TYPE_CHECKING:
    from creatormix.ingest.readers import Source
    from creatormix.ingest.tabulate import Tabulator
    from creatormix.workspace.importers import Importer, ImportJob


class ImportOps(CatalogOps):
    """``import_file`` and the import log."""

    def import_file(
        self,
        request: ImportRequest | ImportKind | str,
        path: str | Path | None = None,
        options: ImportOptions | None = None,
        *,
        progress: Progress = no_progress,
        rejects_path: str | Path | None = None,
        refresh: bool = True,
    ) -> ImportReport:
        """Import one file (an ``ImportRequest``, or its kind, path and options), all or nothing.

        Rows with a bad value are left out and reported (and written to a reject CSV); the rest is
        committed in one transaction with the import log entry and the rebuilt metrics (``refresh=False``
        defers the rebuild to the next read or import, for a batch of imports). The same
        file with the same options imports once: a repeat returns the earlier import's id.
        """
        req = _request(request, path, options, rejects_path, refresh)
        source = _open(req)
        earlier = self._earlier_import(req, source)
        if earlier is not None:
            return earlier
        from creatormix.workspace.importers import ImportJob

        importer = _importer(req.kind)
        tab = self._tabulator(req, source)
        stages = _Stages(progress)
        now = utcnow()
        with self.store.transaction():
            import_id = self.store.next_id("imports", "import_id")
            stages("reading", 0, source.rows_estimate)
            job = ImportJob(self.store, tab, source, import_id, str(req.path), now, stages)
            outcome = importer.write(job)
            stages.finish(read=tab.records_read, written=outcome.accepted)
            report = self._report(req, job, outcome)
            self._log(req, job, report)
            if not importer.feeds_metrics:
                pass  # other capabilities' facts leave the catalog metrics as they are
            elif req.refresh:
                self.refresh_metrics(progress=stages)
            else:
                facts.drop_metrics(self.store)
        return report

    def explain_import(
        self,
        request: ImportRequest | ImportKind | str,
        path: str | Path | None = None,
        options: ImportOptions | None = None,
    ) -> ImportExplanation:
        """How an import of the file would read each column (field, rule, what the values look
        like, examples, confidence) and what it would infer or refuse; nothing is written."""
        req = _request(request, path, options, None, True)
        return self._tabulator(req, _open(req)).explain()

    def _tabulator(self, req: ImportRequest, source: Source) -> Tabulator:
        """The file's tabulator, reading its columns as the latest import of the same header did
        when that import inferred them (unless --map or --strict says otherwise)."""
        # the file readers and parsers (pyarrow and numpy) load on the first import, not with the
        # CLI: a command that imports nothing starts without them
        from creatormix.ingest.tabulate import CATALOG_KINDS, Tabulator

        display, kind, opts = str(req.path), req.kind, req.options
        earlier = None
        if kind in CATALOG_KINDS and not opts.mapping and not opts.strict:
            earlier = shapes.latest_inferred(self.store, kind, source.header)
        if earlier is None:
            return Tabulator(source, kind, opts, display)
        import_id, decisions, topics = earlier
        name = self.store.get_import(import_id).file_name
        note = (
            f"columns read as import #{import_id} ({name}) read the same header "
            f"({', '.join(dict.fromkeys(topics))}); pass --map to read them otherwise"
        )
        return Tabulator(source, kind, opts, display, prior=decisions, prior_note=note)

    def _earlier_import(self, req: ImportRequest, source: Source) -> ImportReport | None:
        """The report of the same file imported before with the same options, if it was."""
        display = str(req.path)
        earlier = self.store.find_import(req.kind, source.facts.sha256, req.options.fingerprint())
        if earlier is None:
            return None
        earlier = self._with_merged([earlier])[0]
        if req.options.strict and earlier.rows_rejected:
            raise RowsRejected(
                f"{display}: --strict refuses a file with rejected records, and this file "
                f"was already imported without it as import #{earlier.import_id} "
                f"({earlier.rows_accepted:,} record(s) kept, {earlier.rows_rejected:,} "
                "rejected); nothing changed now. Fix the file and import it again"
            )
        return ImportReport(
            file=display,
            kind=req.kind,
            file_hash=source.facts.sha256,
            rows_read=earlier.rows_read,
            rows_accepted=earlier.rows_accepted,
            rows_rejected=earlier.rows_rejected,
            rows_merged=earlier.rows_merged,
            rows_skipped=earlier.rows_skipped,
            already_imported_as=earlier.import_id,
            encoding=source.facts.encoding,
        )

    def _report(self, req: ImportRequest, job: ImportJob, outcome: ImportOutcome) -> ImportReport:
        """What the import did; its rejects (and values left empty) written out. RowsRejected
        (and a rollback) with ``--strict`` and a reject, or when no record could be imported."""
        tab, source, display = job.tab, job.source, job.display
        rejects = sorted(  # in file order, a record's columns as they came
            tab.rejects + list(outcome.rejects),
            key=lambda r: r.record if r.record is not None else float("inf"),
        )
        rejected_rows = len(tab.rejected_records) + len(source.bad_records) + len(outcome.rejects)
        report = ImportReport(
            file=display,
            kind=req.kind,
            file_hash=source.facts.sha256,
            rows_read=tab.records_read,
            rows_accepted=outcome.accepted,
            rows_rejected=rejected_rows,
            import_id=job.import_id,
            encoding=source.facts.encoding,
            column_map=tab.loaded_columns,
            rejects=tuple(rejects),
            warnings=tuple(
                _dedupe(tab.warnings + list(outcome.notes) + cleared_notes(tab.cleared))
            ),
            merges=outcome.merges,
            imported_at=job.now,
            rows_merged=outcome.merged,
            inferences=tuple(tab.inferences),
            rows_skipped=tab.blank_records,
            cleared=tuple(tab.cleared),
            identity_merges=outcome.identity_merges,
        )
        if rejects or tab.cleared:
            written = self._write_rejects(req.path, rejects, req.rejects_path, tab.cleared)
            report = replace(report, rejects_file=str(written))
        _refuse(report, strict=req.options.strict)
        return report

    def _log(self, req: ImportRequest, job: ImportJob, report: ImportReport) -> None:
        """The import log's row, and how the file's columns were read (``import_shapes``), so the
        next export of the same header is read the same way."""
        assert report.import_id is not None and report.imported_at is not None
        source = job.source
        self.store.log_import(
            ImportRecord(
                report.import_id,
                req.kind,
                req.path.name,
                source.facts.sha256,
                report.rows_read,
                report.rows_accepted,
                report.rows_rejected,
                report.imported_at,
                current_user(),
                report.rows_merged,
            ),
            fingerprint=req.options.fingerprint(),
            file_path=str(req.path.resolve()),
            rows_merged=report.rows_merged,
        )
        if job.tab.infers:
            shapes.record_shape(
                self.store,
                report.import_id,
                req.kind,
                source.header,
                job.tab.decisions(),
                [i for i in report.inferences if i.changed and i.topic != "reused"],
                report.rows_skipped,
            )

    def _write_rejects(
        self,
        source: Path,
        rejects: list[Reject],
        target: str | Path | None,
        cleared: list[Reject],
    ) -> Path:
        """The reject CSV: every rejected value and every value left empty, in file order, each
        with what became of it (its record rejected, or kept without the value)."""
        if target is None:
            folder = self.store.files_dir / "rejects"
            folder.mkdir(parents=True, exist_ok=True)
            stamp = utcnow().strftime("%Y%m%dT%H%M%S")
            target = folder / f"{source.stem}.{stamp}.rejects.csv"
        target = Path(target)
        tmp = target.with_suffix(target.suffix + ".tmp")
        with tmp.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["file", "line", "record", "column", "value", "reason", "outcome"])
            done = [(r, "record rejected") for r in rejects]
            done += [(r, "value left empty") for r in cleared]
            done.sort(key=lambda pair: pair[0].record if pair[0].record is not None else 1 << 62)
            for r, outcome in done:
                where = [r.file, r.line or "", r.record or "", r.column or "", r.value or ""]
                writer.writerow([*where, r.reason, outcome])
        tmp.replace(target)
        return target

    def imports(self) -> list[ImportRecord]:
        """The import log, oldest first."""
        return self._with_merged(self.store.imports())


def _request(
    request: ImportRequest | ImportKind | str,
    path: str | Path | None,
    options: ImportOptions | None,
    rejects_path: str | Path | None,
    refresh: bool,
) -> ImportRequest:
    """The request ``import_file`` was given, or the one its positional form describes."""
    if isinstance(request, ImportRequest):
        return request
    if path is None:
        raise TypeError("import_file(kind, path, ...) needs a path")
    return ImportRequest(
        ImportKind(request),
        Path(path),
        options or ImportOptions(),
        Path(rejects_path) if rejects_path is not None else None,
        refresh,
    )


def _open(req: ImportRequest) -> Source:
    from creatormix.ingest.readers import open_source

    o = req.options
    return open_source(
        req.path, fmt=o.format, encoding=o.encoding, delimiter=o.delimiter, sheet=o.sheet
    )


def _importer(kind: ImportKind) -> Importer:
    if kind is ImportKind.FOLLOWERS:  # whole-file rules and sketches: the planning mixin's own path
        raise InvalidOption(
            "follower lists are imported with `creatormix import followers` "
            "(Workspace.import_followers), not import_file"
        )
    if kind is ImportKind.PROFILES:  # a folder of computed profiles, replaced whole
        raise InvalidOption(
            "computed profiles are imported with `creatormix import profiles FOLDER` "
            "(Workspace.import_profiles), not import_file"
        )
    from creatormix.workspace.importers import IMPORTERS

    return IMPORTERS[kind]


def _refuse(report: ImportReport, *, strict: bool) -> None:
    if report.rejects and strict:
        raise RowsRejected(
            f"{report.file}: {report.rows_rejected} record(s) rejected and --strict is set; nothing was imported "
            f"(reasons in {report.rejects_file})",
            rejects_file=report.rejects_file,
        )
    if report.rows_accepted == 0:
        where = f" (reasons in {report.rejects_file})" if report.rejects_file else ""
        raise RowsRejected(
            f"{report.file}: no record could be imported{where}",
            rejects_file=report.rejects_file,
        )


def cleared_notes(cleared: list[Reject]) -> list[ImportWarning]:
    """One warning per column whose unreadable values were left empty, records kept."""
    by_column: dict[str | None, list[Reject]] = {}
    for r in cleared:
        by_column.setdefault(r.column, []).append(r)
    return [
        ImportWarning(
            f"column {column!r}: {len(rs):,} unreadable value(s) left empty, their records kept "
            f"(e.g. {rs[0].value!r}: {rs[0].reason})",
            column=column,
        )
        for column, rs in by_column.items()
    ]


def _dedupe(warnings: list[ImportWarning]) -> list[ImportWarning]:
    return list(dict.fromkeys(warnings))


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
