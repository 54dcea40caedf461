"""Audience shares: check each segment and that a creator's shares of a dimension sum to ~100 %.

Rows are (creator, dimension, segment, share). Dimensions are read as country, age, gender or
language (synonyms below); segments are resolved to ISO country codes, age bands such as "18-24"
or "65+", female/male/other, and ISO 639-1 language codes. Per creator and dimension the shares
must sum to 100 % within ``SUM_TOLERANCE`` (10 points): they are then scaled to exactly 100 %, with a
warning when they were off by more than ``SILENT`` (2 points, rounding). A group further off is
rejected row by row with the sum in the reason: exports that list only the top countries should
add an "other" row for the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyarrow as pa

from creatormix.domain.audience import age_band, gender
from creatormix.domain.geo import country_code, language_code
from creatormix.domain.imports import ImportWarning, Reject

SUM_TOLERANCE = 0.10
SILENT = 0.02
OTHER = "other"

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
    if key.lower() in {OTHER, "others", "rest", "other countries", "unknown"}:
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
    table: pa.Table, display: str, locate: Callable[[int], int | None]
) -> tuple[pa.Table, list[Reject], list[ImportWarning]]:
    """Canonical, normalised audience rows; rejects with file, line, column, value and reason."""
    rows = table.to_pylist()
    rejects: list[Reject] = []
    keep: list[dict[str, Any]] = []

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
        share = row["share"]
        if share is None or not 0 <= float(share) <= 1:
            reject(row, "share", share, "a share lies between 0% and 100%")
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
    for (_platform, handle, dimension), members in groups.items():
        total = sum(float(m["share"]) for m in members)
        where = f"@{handle} {dimension}"
        if abs(total - 1) > SUM_TOLERANCE:
            for m in members:
                reject(
                    m,
                    "share",
                    m["share"],
                    f"{where} shares sum to {total:.0%}, more than {SUM_TOLERANCE:.0%} points from 100% "
                    "(add an 'other' row for the rest)",
                )
            continue
        if abs(total - 1) > SILENT:
            scaled.append(f"{where} ({total:.0%})")
        for m in members:
            out.append({**m, "share": float(m["share"]) / total})
    warnings = []
    if scaled:
        examples = ", ".join(scaled[:3]) + (
            f" and {len(scaled) - 3} more" if len(scaled) > 3 else ""
        )
        warnings.append(
            ImportWarning(
                f"audience shares not summing to 100% were scaled to 100%: {examples}",
                column="share",
            )
        )
    out.sort(key=lambda r: int(r["_record"]))
    return pa.Table.from_pylist(out, schema=table.schema), rejects, warnings
