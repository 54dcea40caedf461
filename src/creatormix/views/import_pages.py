"""What an upload says on the web app's imports page (accepted, merged, rejected by reason, the
first rejects) and the import log. The terminal's summary is ``views.imports``; the page
shows these counts and lists, and the same inference lines (``views.imports.inference_line``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from creatormix.domain.followers import FollowerImportReport
from creatormix.domain.imports import ImportRecord, ImportReport
from creatormix.views._json import jsonable
from creatormix.views.imports import Line, identity_merge_line, inference_line

REJECTS_SHOWN = 20
REASONS_SHOWN = 8


@dataclass(frozen=True)
class ImportView:
    headline: str  # "Import #3 creators from x.csv: 12 accepted, 2 rejected of 14 records"
    import_id: int | None
    columns: str | None  # "handle → handle, followers → followers"
    warnings: tuple[str, ...]
    merges: tuple[str, ...]
    reasons: tuple[tuple[str, str], ...]  # (count, reason), most frequent first
    rejects: tuple[str, ...]  # "line 3, column followers: 'abc': not a number"
    more_rejects: int
    has_rejects: bool
    data: dict[str, Any]
    # how the importer read the columns, as the terminal prints it: one line per inference
    # (label "inferred" when it changed what the header says, "checked" when it confirmed it)
    # and one per name-keyed creator merged into its id-keyed twin
    inferences: tuple[Line, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return jsonable(self.data)  # type: ignore[no-any-return]


def import_view(report: ImportReport | FollowerImportReport, name: str | None = None) -> ImportView:
    """The summary of an import; ``name`` is the file's name as the user knows it."""
    shown = name or PurePath(report.file).name
    data = jsonable(report)
    data["file"] = shown
    data.pop("rejects_file", None)  # a server path: the page links its download instead
    if isinstance(report, FollowerImportReport):
        return _followers_view(report, shown, data)
    if report.skipped:
        then = (
            f" (it rejected {report.rows_rejected:,} record(s) then)"
            if report.rows_rejected
            else ""
        )
        return ImportView(
            f"{shown}: already imported as import #{report.already_imported_as}{then}; nothing changed",
            report.already_imported_as,
            None,
            (),
            (),
            (),
            (),
            0,
            False,
            data,
        )
    headline = (
        f"Import #{report.import_id} {report.kind.value} from {shown}: "
        f"{report.rows_accepted:,} accepted, "
        + (f"{report.rows_merged:,} merged into duplicates, " if report.rows_merged else "")
        + f"{report.rows_rejected:,} rejected of {report.rows_read:,} records"
    )
    reasons: dict[str, int] = {}
    for r in report.rejects:
        reasons[r.reason] = reasons.get(r.reason, 0) + 1
    ranked = sorted(reasons.items(), key=lambda kv: -kv[1])
    lines = []
    for r in report.rejects[:REJECTS_SHOWN]:
        where = f"line {r.line}" if r.line else (f"row {r.record}" if r.record else "?")
        col = f", column {r.column}" if r.column else ""
        value = f" {r.value!r}:" if r.value is not None else ""
        lines.append(f"{where}{col}:{value} {r.reason}")
    merges = tuple(
        f"{m.key} from records {', '.join(map(str, m.records))}"
        + (f"; differing: {', '.join(m.conflicts)}" if m.conflicts else "")
        for m in report.merges[:5]
    )
    return ImportView(
        headline=headline,
        import_id=report.import_id,
        columns=", ".join(f"{k} → {v}" for k, v in report.column_map.items()) or None,
        warnings=tuple(w.message for w in report.warnings),
        merges=merges,
        reasons=tuple((f"{n:,}", reason) for reason, n in ranked[:REASONS_SHOWN]),
        rejects=tuple(lines),
        more_rejects=max(0, len(report.rejects) - REJECTS_SHOWN),
        has_rejects=bool(report.rejects),
        data=data,
        inferences=(
            *(inference_line(i) for i in report.inferences),
            *(identity_merge_line(m) for m in report.identity_merges),
        ),
    )


def _followers_view(r: FollowerImportReport, shown: str, data: dict[str, Any]) -> ImportView:
    if r.skipped:
        headline = f"{shown}: already imported as import #{r.already_imported_as}; nothing changed"
    else:
        headline = (
            f"Import #{r.import_id} followers from {shown}: {r.links:,} follower links of "
            f"{r.creators:,} creator(s) from {r.rows_read:,} rows"
        )
    return ImportView(
        headline,
        r.import_id or r.already_imported_as,
        None,
        tuple(r.warnings),
        (),
        (),
        (),
        0,
        False,
        data,
    )


@dataclass(frozen=True)
class ImportLogView:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    ids: tuple[int, ...]
    rejected: tuple[bool, ...]
    data: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return jsonable(self.data)  # type: ignore[no-any-return]


def import_log_view(records: list[ImportRecord]) -> ImportLogView:
    """The import log, newest first (``creatormix imports`` lists it oldest first)."""
    latest = list(reversed(records))
    return ImportLogView(
        columns=("#", "kind", "file", "read", "accepted", "merged", "rejected", "when", "by"),
        rows=tuple(
            (
                str(r.import_id),
                r.kind.value,
                r.file_name,
                f"{r.rows_read:,}",
                f"{r.rows_accepted:,}",
                f"{r.rows_merged:,}",
                f"{r.rows_rejected:,}",
                r.imported_at.strftime("%Y-%m-%d %H:%M"),
                r.imported_by,
            )
            for r in latest
        ),
        ids=tuple(r.import_id for r in latest),
        rejected=tuple(r.rows_rejected > 0 for r in latest),
        data={"imports": latest},
    )
