"""Audience shares: check each segment and that a creator's shares of a dimension sum to ~100 %.

Rows are (creator, dimension, segment, share). Dimensions are read as country, age, gender or
language (synonyms below); segments are resolved to ISO country codes, age bands such as "18-24"
or "65+", female/male/other, and ISO 639-1 language codes; "other", "rest" or "unknown" is the
rest of a dimension ("unknown" stays "unknown" for gender, where "other" is a gender). Such rows
count in the total and never in a target.

Units are decided per creator and dimension, not per file: "35%" is always 0.35; bare numbers are
fractions or percentage points, whichever makes that creator's dimension sum closer to 100 %, so
one bad cell cannot turn a whole file's fractions into percentages. The shares must then sum to
100 % within ``SUM_TOLERANCE`` (10 points): they are scaled to exactly 100 %, with a warning when
they were off by more than ``SILENT`` (2 points, rounding). A group further off is rejected row by
row with the sum in the reason: exports that list only the top countries should add an "other"
row for the rest. Rejects show each cell as it was written. A segment given twice (FR and France)
is added up with a warning.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pyarrow as pa

from creatormix.domain.audience import age_band, gender
from creatormix.domain.geo import country_code, language_code
from creatormix.domain.imports import ImportWarning, Reject
from creatormix.ingest import values as v

SUM_TOLERANCE = 0.10
SILENT = 0.02
OTHER = "other"
UNKNOWN = "unknown"
_REST = {OTHER, "others", "rest", "other countries", "other languages", "other ages"}
_UNKNOWN = {UNKNOWN, "undisclosed", "unspecified", "not specified", "n/a", "prefer not to say"}

DIMENSIONS = {
    "country": "country",
    "countries": "country",
    "geo": "country",
    "location": "country",
    "audience country": "country",
    "age": "age",
    "ages": "age",
    "age band": "age",
    "age group": "age",
    "age range": "age",
    "gender": "gender",
    "genders": "gender",
    "sex": "gender",
    "language": "language",
    "languages": "language",
    "lang": "language",
}


def _segment(dimension: str, text: str) -> str:
    """Canonical segment of a dimension; ValueError with the reason when it is not one."""
    key = text.strip()
    if key.lower() in _UNKNOWN:
        return UNKNOWN if dimension == "gender" else OTHER
    if key.lower() in _REST and dimension != "gender":
        return OTHER
    if dimension == "country":
        code = country_code(key)
        if code is None:
            raise ValueError(f"not a country: {text!r}")
        return code
    if dimension == "language":
        code = language_code(key)
        if code is None:
            raise ValueError(f"not a language: {text!r}")
        return code
    if dimension == "age":
        return age_band(key)
    return gender(key)


def check_shares(
    table: pa.Table,
    display: str,
    locate: Callable[[int], int | None],
    *,
    cells: Sequence[object] | None = None,
    locale: v.Locale = v.EN,
) -> tuple[pa.Table, list[Reject], list[ImportWarning]]:
    """Canonical, normalised audience rows; rejects with file, line, column, value and reason.

    ``cells`` are the share cells as written, indexed by record (``_record``): with them the unit
    of bare numbers is decided per creator and dimension and rejects quote the cell; without them
    the table's parsed shares are taken as they are.
    """
    rows = table.to_pylist()
    rejects: list[Reject] = []
    keep: list[dict[str, Any]] = []

    def written(row: dict[str, Any]) -> str | None:
        if cells is not None:
            cell = cells[int(row["_record"])]
            return None if cell is None else str(cell)
        return None if row["share"] is None else f"{float(row['share']):g}"

    def reject(row: dict[str, Any], column: str, value: object, reason: str) -> None:
        record = int(row["_record"])
        rejects.append(
            Reject(
                display,
                locate(record),
                record + 1,
                column,
                None if value is None else str(value),
                reason,
            )
        )

    for row in rows:
        raw_dim = str(row["dimension"] or "").strip().lower()
        dimension = DIMENSIONS.get(raw_dim)
        if dimension is None:
            reject(
                row,
                "dimension",
                row["dimension"],
                "dimension must be country, age, gender or language",
            )
            continue
        if row["share"] is None:
            reject(row, "share", None, "the share is missing")
            continue
        try:
            segment = _segment(dimension, str(row["segment"] or ""))
        except ValueError as exc:
            reject(row, "segment", row["segment"], str(exc))
            continue
        keep.append({**row, "dimension": dimension, "segment": segment})
    groups: dict[tuple[Any, Any, Any], list[dict[str, Any]]] = {}
    for row in keep:
        groups.setdefault((row["platform"], row["handle"], row["dimension"]), []).append(row)
    out: list[dict[str, Any]] = []
    scaled: list[str] = []
    doubled: list[str] = []
    units = {"fractions": 0, "percentages": 0}
    for (_platform, handle, dimension), members in groups.items():
        where = f"@{handle} {dimension}"
        if cells is not None:
            unit = _read_shares(members, cells, locale)
            if unit:
                units[unit] += 1
        in_range = []
        for m in members:
            if 0 <= float(m["share"]) <= 1:
                in_range.append(m)
            else:
                reject(m, "share", written(m), "a share lies between 0% and 100%")
        if not in_range:
            continue
        total = sum(float(m["share"]) for m in in_range)
        if abs(total - 1) > SUM_TOLERANCE:
            for m in in_range:
                reject(
                    m,
                    "share",
                    written(m),
                    f"{where} shares sum to {_pct(total)}, more than {SUM_TOLERANCE:.0%} points "
                    "from 100% (add an 'other' row for the rest)",
                )
            continue
        if abs(total - 1) > SILENT:
            scaled.append(f"{where} ({_pct(total)})")
        doubled += _duplicates(where, in_range, locate)
        for m in in_range:
            out.append({**m, "share": float(m["share"]) / total})
    warnings = []
    if scaled:
        warnings.append(
            ImportWarning(
                f"audience shares not summing to 100% were scaled to 100%: {_examples(scaled)}",
                column="share",
            )
        )
    if doubled:
        warnings.append(
            ImportWarning(
                f"a segment given twice was added up: {_examples(doubled)}", column="segment"
            )
        )
    if units["fractions"] and units["percentages"]:
        warnings.append(
            ImportWarning(
                "shares without % were read as fractions for "
                f"{units['fractions']} creator dimension(s) and as percentages for "
                f"{units['percentages']}, whichever sums to 100% for each",
                column="share",
            )
        )
    out.sort(key=lambda r: int(r["_record"]))
    return pa.Table.from_pylist(out, schema=table.schema), rejects, warnings


def _read_shares(
    members: list[dict[str, Any]], cells: Sequence[object], locale: v.Locale
) -> str | None:
    """Set each member's share from its cell, bare numbers in the unit that sums closer to 100 %.

    Returns the unit chosen for bare numbers ("fractions" or "percentages"), None without any.
    """
    parsed: list[tuple[float, bool]] = []
    for m in members:
        cell = cells[int(m["_record"])]
        if isinstance(cell, bool) or cell is None:
            parsed.append((float(m["share"]), True))  # keep the reader's value
            continue
        if isinstance(cell, int | float):
            parsed.append((float(cell), False))
            continue
        try:
            parts = v.parse_number_parts(str(cell), locale)
        except ValueError:
            parts = None
        if parts is None:
            parsed.append((float(m["share"]), True))
        else:
            parsed.append((parts.value / 100.0, True) if parts.percent else (parts.value, False))
    if all(explicit for _, explicit in parsed):
        for m, (value, _) in zip(members, parsed, strict=True):
            m["share"] = value
        return None
    as_fractions = sum(x for x, _ in parsed)
    as_points = sum(x if explicit else x / 100.0 for x, explicit in parsed)
    points = abs(as_points - 1) < abs(as_fractions - 1)
    for m, (value, explicit) in zip(members, parsed, strict=True):
        m["share"] = value / 100.0 if points and not explicit else value
    return "percentages" if points else "fractions"


def _duplicates(
    where: str, members: list[dict[str, Any]], locate: Callable[[int], int | None]
) -> list[str]:
    by_segment: dict[str, list[dict[str, Any]]] = {}
    for m in members:
        by_segment.setdefault(m["segment"], []).append(m)
    out = []
    for segment, rows in by_segment.items():
        if len(rows) > 1:
            lines = ", ".join(str(locate(int(r["_record"])) or int(r["_record"]) + 1) for r in rows)
            out.append(f"{where} {segment} (lines {lines})")
    return out


def _pct(x: float) -> str:
    return f"{x:.1%}" if x < 0.1 else f"{x:.0%}"


def _examples(items: list[str]) -> str:
    return ", ".join(items[:3]) + (f" and {len(items) - 3} more" if len(items) > 3 else "")
