"""What an import says: its summary (counts, how the columns were read, one line per inference,
warnings, merges, rejects) and ``import --explain``'s reading of each column; ``to_json()`` is
``import … --json``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from creatormix.domain.identity import LikelyDuplicate
from creatormix.domain.imports import ImportExplanation, ImportReport, Inference
from creatormix.views._json import jsonable
from creatormix.views.format import fmt_pct

REJECTS_SHOWN = 5  # rejected values listed on screen; the reject CSV holds every one
REASONS_SHOWN = 8  # reject reasons counted one by one
MERGES_SHOWN = 5


@dataclass(frozen=True)
class Line:
    """One line under a summary. ``label`` says what it is, for styling: ``inferred`` (the
    importer changed what the header says), ``checked`` (it confirmed it), ``warning`` or None;
    ``depth`` is its indentation level."""

    text: str
    label: str | None = None
    depth: int = 1


@dataclass(frozen=True)
class ImportSummaryView:
    """``headline`` is (text, style) parts: style ``bold``, ``good``, ``bad`` or ``""``."""

    headline: tuple[tuple[str, str], ...]
    lines: tuple[Line, ...]
    data: Any

    def to_json(self) -> dict[str, object]:
        return jsonable(self.data)  # type: ignore[no-any-return]


def inference_line(i: Inference) -> Line:
    return Line(i.message, "inferred" if i.changed else "checked")


def identity_merge_line(m: LikelyDuplicate) -> Line:
    return Line(
        f"merged name-keyed {m.platform}:{m.source} into {m.platform}:{m.target} ({m.evidence})"
    )


def import_summary_view(report: ImportReport, *, quiet: bool = False) -> ImportSummaryView:
    """What an import did; ``quiet`` keeps the headline only."""
    if report.skipped:
        then = (
            f" (it rejected {report.rows_rejected:,} record(s) then)"
            if report.rows_rejected
            else ""
        )
        text = (
            f"{report.file}: already imported as import #{report.already_imported_as}{then}; "
            "nothing changed"
        )
        return ImportSummaryView(((text, ""),), (), report)
    headline = (
        (f"Import #{report.import_id}", "bold"),
        (f" {report.kind.value} from {report.file}: ", ""),
        (f"{report.rows_accepted:,} accepted", "good"),
        (", ", ""),
        *(
            ((f"{report.rows_merged:,} merged into duplicates, ", ""),)
            if report.rows_merged
            else ()
        ),
        (f"{report.rows_rejected:,} rejected", "bad")
        if report.rows_rejected
        else ("0 rejected", ""),
        *(((f", {report.rows_skipped:,} blank skipped", ""),) if report.rows_skipped else ()),
        (f" of {report.rows_read:,} records", ""),
    )
    if quiet:
        return ImportSummaryView(headline, (), report)
    return ImportSummaryView(headline, tuple(_lines(report)), report)


def _lines(report: ImportReport) -> list[Line]:
    lines: list[Line] = []
    if report.column_map:
        lines.append(
            Line("columns: " + ", ".join(f"{k} → {v}" for k, v in report.column_map.items()))
        )
    lines += [inference_line(i) for i in report.inferences]
    lines += [identity_merge_line(m) for m in report.identity_merges]
    lines += [Line(w.message, "warning") for w in report.warnings]
    if report.merges:
        lines.append(
            Line(
                f"merged {len(report.merges)} duplicated creator(s) (latest non-empty value wins):"
            )
        )
        for m in report.merges[:MERGES_SHOWN]:
            conflicts = f"; differing: {', '.join(m.conflicts)}" if m.conflicts else ""
            lines.append(
                Line(f"{m.key} from records {', '.join(map(str, m.records))}{conflicts}", depth=2)
            )
        if len(report.merges) > MERGES_SHOWN:
            lines.append(Line(f"… and {len(report.merges) - MERGES_SHOWN} more", depth=2))
    if report.rejects:
        lines += _reject_lines(report)
    elif report.rejects_file:
        lines.append(Line(f"every value left empty is listed in {report.rejects_file}"))
    return lines


def _reject_lines(report: ImportReport) -> list[Line]:
    reasons: dict[str, int] = {}
    for r in report.rejects:
        reasons[r.reason] = reasons.get(r.reason, 0) + 1
    lines = [Line("rejected values by reason:")]
    ranked = sorted(reasons.items(), key=lambda kv: -kv[1])
    lines += [Line(f"{n:>6,} × {reason}", depth=2) for reason, n in ranked[:REASONS_SHOWN]]
    if len(ranked) > REASONS_SHOWN:
        rest = sum(n for _, n in ranked[REASONS_SHOWN:])
        lines.append(Line(f"{rest:>6,} × {len(ranked) - REASONS_SHOWN} other reason(s)", depth=2))
    for r in report.rejects[:REJECTS_SHOWN]:
        where = f"line {r.line}" if r.line else (f"row {r.record}" if r.record else "?")
        col = f", column {r.column}" if r.column else ""
        value = f" {r.value!r}:" if r.value is not None else ""
        lines.append(Line(f"{where}{col}:{value} {r.reason}", depth=2))
    more = len(report.rejects) - REJECTS_SHOWN
    if more > 0:
        lines.append(Line(f"… and {more:,} more (all in {report.rejects_file})", depth=2))
    else:
        lines.append(Line(f"every reject is listed in {report.rejects_file}"))
    return lines


@dataclass(frozen=True)
class ExplanationView:
    """``import … --explain``: a table of the columns, then inference, warning and problem lines."""

    title: str
    columns: tuple[tuple[str, str], ...]  # (label, "left" or "right")
    rows: tuple[tuple[str, ...], ...]
    lines: tuple[Line, ...]
    problems: tuple[str, ...]  # what would stop the import
    data: ImportExplanation

    def to_json(self) -> dict[str, object]:
        return jsonable(self.data)  # type: ignore[no-any-return]


def explanation_view(e: ImportExplanation) -> ExplanationView:
    columns = (
        ("#", "right"),
        ("column", "left"),
        ("field", "left"),
        ("rule", "left"),
        ("confidence", "right"),
        ("examples", "left"),
    )
    rows = tuple(
        (
            str(c.index),
            c.header,
            c.field or "—",
            c.rule + (f" ({c.note})" if c.note else ""),
            fmt_pct(c.confidence, 0) if c.confidence is not None else "",
            ", ".join(c.examples),
        )
        for c in e.columns
    )
    lines = [inference_line(i) for i in e.inferences]
    lines += [Line(w.message, "warning") for w in e.warnings]
    return ExplanationView(
        title=f"How {e.file} would be read ({e.kind.value})",
        columns=columns,
        rows=rows,
        lines=tuple(lines),
        problems=e.problems,
        data=e,
    )
