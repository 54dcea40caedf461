"""From an opened source to validated, canonical Arrow tables plus every reject and warning.

Steps: map columns to fields (aliases, ``--map``), refuse what cannot be loaded safely (duplicated
or ambiguous columns, a column whose content contradicts its name, a missing required field),
settle per-file conventions (decimal comma, rates in % points, day-first dates), parse every cell
with ``ingest.vector``, and drop each record with a bad cell into the reject list with its file,
line, column, value and reason.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc

from creatormix.domain.imports import ImportKind, ImportOptions, ImportWarning, Merge, Reject
from creatormix.errors import ColumnProblem, FileFormatProblem, InvalidOption
from creatormix.ingest import values as v
from creatormix.ingest import vector

if TYPE_CHECKING:
    import numpy as np
from creatormix.ingest.fields import (
    FIELDS,
    IGNORE,
    Field,
    Kind,
    alias_index,
    field_by_name,
    header_key,
)
from creatormix.ingest.readers import Source

CONTRADICTION_SHARE = 0.5  # a column is refused when more than half its values do not parse…
CONTRADICTION_MIN = 5  # …among at least this many non-empty values


@dataclass(frozen=True)
class ColumnPlan:
    index: int
    header: str
    field: Field | None
    how: str  # "alias", "--map", "ignored", "unknown", "coalesced" (read through another plan)
    also: tuple[int, ...] = ()  # columns read as this one where it is empty (user.username)


def plan_columns(
    header: list[str], kind: ImportKind, mapping: Mapping[str, str], file: str
) -> tuple[list[ColumnPlan], list[ImportWarning]]:
    """Decide which field each column feeds; refuse duplicates and ambiguity with a clear message."""
    index = alias_index(kind)
    occurrences: dict[str, int] = {}
    plans: list[ColumnPlan] = []
    used_keys: set[str] = set()
    exact_names = set(header)
    for i, name in enumerate(header):
        key = header_key(name)
        occurrences[key] = occurrences.get(key, 0) + 1
        candidates = [f"#{i + 1}", f"{name}#{occurrences[key]}", name]
        target = next((mapping[c] for c in candidates if c in mapping), None)
        if target is None:  # a --map key written in another case or spacing, naming no exact column
            loose = [
                m for m in mapping if "#" not in m and m not in exact_names and header_key(m) == key
            ]
            target = mapping[loose[0]] if loose else None
            used_keys.update(loose)
        if target is not None:
            used_keys.update(c for c in candidates if c in mapping)
            if target.lower() == IGNORE:
                plans.append(ColumnPlan(i, name, None, "ignored"))
                continue
            try:
                plans.append(ColumnPlan(i, name, field_by_name(kind, target), "--map"))
            except KeyError as exc:
                raise InvalidOption(f"--map {name}={target}: {exc.args[0]}") from None
            continue
        # Nested JSON keys ("user.followers") match on their last part.
        found = index.get(key) or (
            index.get(header_key(name.rsplit(".", 1)[-1])) if "." in name else None
        )
        plans.append(
            ColumnPlan(
                i,
                name,
                field_by_name(kind, found) if found else None,
                "alias" if found else "unknown",
            )
        )
    unused = [m for m in mapping if m not in used_keys]
    if unused:
        raise InvalidOption(
            f"--map names column(s) not in {file}: {', '.join(unused)} (columns: {', '.join(header)})"
        )
    _refuse_duplicates(plans, header, file)
    plans, coalesced = _coalesce_nested(plans)
    _refuse_ambiguity(plans, file)
    fields = {p.field.name for p in plans if p.field}
    for f in FIELDS[kind]:
        if f.required and f.name not in fields:
            expected = ", ".join(f.aliases[:8])
            raise ColumnProblem(
                f"{file}: no column for {f.name} (looked for: {expected}, …); columns are: {', '.join(header)}. "
                f"Name one with --map COLUMN={f.name}"
            )
    warnings = coalesced
    unknown = [p.header for p in plans if p.how == "unknown"]
    if unknown:
        warnings.append(
            ImportWarning(
                f"ignored column(s) with no matching field: {', '.join(unknown)} (use --map COLUMN=FIELD to load one)"
            )
        )
    return plans, warnings


def _coalesce_nested(plans: list[ColumnPlan]) -> tuple[list[ColumnPlan], list[ImportWarning]]:
    """A JSON field written both flat and nested ("username" and "user.username") is one column:
    the shallowest name is read, the others fill its empty cells; rows where they disagree are
    rejected when parsed. Columns that only share a field (two different names) stay ambiguous."""
    groups: dict[str, list[ColumnPlan]] = {}
    for p in plans:
        if p.field is not None and p.how == "alias":
            groups.setdefault(p.field.name, []).append(p)
    replaced: dict[int, ColumnPlan] = {}
    warnings: list[ImportWarning] = []
    for name, group in groups.items():
        lasts = {header_key(p.header.rsplit(".", 1)[-1]) for p in group}
        if len(group) < 2 or len(lasts) != 1 or not any("." in p.header for p in group):
            continue
        first, *rest = sorted(group, key=lambda p: (p.header.count("."), p.index))
        replaced[first.index] = replace(first, also=tuple(p.index for p in rest))
        for p in rest:
            replaced[p.index] = replace(p, field=None, how="coalesced")
        names = ", ".join(repr(p.header) for p in rest)
        warnings.append(
            ImportWarning(
                f"columns {first.header!r} and {names} both hold {name}: read as one, "
                f"{first.header!r} first (records where they differ are rejected)",
                column=first.header,
            )
        )
    return [replaced.get(p.index, p) for p in plans], warnings


def _refuse_duplicates(plans: list[ColumnPlan], header: list[str], file: str) -> None:
    by_key: dict[str, list[ColumnPlan]] = {}
    for p in plans:
        by_key.setdefault(header_key(p.header), []).append(p)
    for group in by_key.values():
        loaded = [p for p in group if p.field is not None and p.how != "--map"]
        if len(group) > 1 and len(loaded) > 1:
            where = " and ".join(f"column {p.index + 1}" for p in group)
            name = group[0].header
            raise ColumnProblem(
                f"{file}: the header names {name!r} {len(group)} times ({where}); "
                f"say which one to load, e.g. --map '{name}#2=ignore'"
            )


def _refuse_ambiguity(plans: list[ColumnPlan], file: str) -> None:
    by_field: dict[str, list[ColumnPlan]] = {}
    for p in plans:
        if p.field is not None:
            by_field.setdefault(p.field.name, []).append(p)
    for name, group in by_field.items():
        if len(group) > 1:
            cols = ", ".join(repr(p.header) for p in group)
            raise ColumnProblem(
                f"{file}: columns {cols} all look like {name}; keep one with --map, e.g. --map '{group[1].header}=ignore'"
            )


# --- conventions ------------------------------------------------------------------------------

BadRows = dict[int, list[tuple[str | None, str | None, str]]]
"""Per batch row: (column, cell, reason) of each problem that rejects the record."""


def _comparable(arr: pa.Array) -> pa.Array:
    """Cells as compared between a column and its nested twin: trimmed, lower case, no '@'."""
    return pc.utf8_ltrim(pc.utf8_lower(pc.utf8_trim_whitespace(arr)), characters="@")


LARGEST_ACCOUNT = 700_000_000  # about the most followers any account has (Instagram, 2025)
IMPLAUSIBLE_FOLLOWERS = 1_000_000_000  # above this a follower count is warned about
IMPLAUSIBLE_NAMED = 5  # implausible counts named one by one; the rest are counted


def _implausible_followers(
    header: str, col: pa.Array, parsed: vector.Parsed
) -> list[tuple[str, int, str, int]]:
    """(header, row, cell, value) of the follower counts above any real account's."""
    values = parsed.values
    over = vector._indices(pc.greater(values, IMPLAUSIBLE_FOLLOWERS))
    if not over:
        return []
    cells = col.take(pa.array(over, pa.int64())).to_pylist()
    counts = values.take(pa.array(over, pa.int64())).to_pylist()
    return [(header, r, str(c), int(n)) for r, c, n in zip(over, cells, counts, strict=True)]


_DE_ONLY = re.compile(r"^\d{1,3}(\.\d{3}){2,}$|^\d+,\d{1,2}%?$|^\d{1,3}(\.\d{3})+,\d+%?$")
_EN_ONLY = re.compile(r"^\d{1,3}(,\d{3}){2,}$|^\d+\.\d{1,2}%?$|^\d{1,3}(,\d{3})+\.\d+%?$")


def detect_locale(
    batch: pa.RecordBatch, plans: list[ColumnPlan], forced: str | None, file: str
) -> tuple[v.Locale, list[ImportWarning]]:
    if forced:
        return v.Locale(forced), []
    de = en = 0
    example = ""
    for p in plans:
        if p.field is None or not p.field.kind.numeric:
            continue
        col = batch.column(p.index)
        if not (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)):
            continue
        for cell in pc.unique(pc.utf8_trim_whitespace(col)).to_pylist()[:5000]:
            if cell is None:
                continue
            if _DE_ONLY.match(cell):
                de += 1
                example = example or f"{p.header}={cell!r}"
            elif _EN_ONLY.match(cell):
                en += 1
    if de and en:
        raise ColumnProblem(
            f"{file}: numbers are written both as 1,234.5 and as 1.234,5 (e.g. {example}); pass --decimal '.' or --decimal ','"
        )
    if de:
        return v.DE, [
            ImportWarning(
                f"numbers use a decimal comma (e.g. {example}); pass --decimal '.' if that is wrong"
            )
        ]
    if en:
        return v.EN, []
    return v.ASSUMED_EN, []  # no evidence either way: "12.000" stays ambiguous


def detect_dayfirst(
    batch: pa.RecordBatch, plans: list[ColumnPlan], forced: bool
) -> tuple[bool, list[ImportWarning]]:
    if forced:
        return True, []
    for p in plans:
        if p.field is None or p.field.kind is not Kind.DATETIME:
            continue
        col = batch.column(p.index)
        if not pa.types.is_string(col.type):
            continue
        parts = pc.extract_regex(
            pc.utf8_trim_whitespace(col), pattern=r"^(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.]\d{4}"
        )
        a = pc.cast(pc.struct_field(parts, "a"), pa.int32())
        b = pc.cast(pc.struct_field(parts, "b"), pa.int32())
        if pc.any(pc.greater(a, 12)).as_py():
            return True, [
                ImportWarning(f"column {p.header!r}: dates read as day/month/year", column=p.header)
            ]
        if pc.any(pc.greater(b, 12)).as_py():
            return False, [
                ImportWarning(f"column {p.header!r}: dates read as month/day/year", column=p.header)
            ]
    return False, []


_DATE_LIKE = re.compile(r"^\d{4}-\d{2}-\d{2}|^\d{1,2}/\d{1,2}/\d{4}")
_HANDLE_LIKE = re.compile(r"^@?[\w.]+$")


def _cell_looks(cell: str) -> str:
    """What one unreadable cell looks like, for the contradiction message."""
    from creatormix.domain.geo import country_code

    text = cell.strip()
    if _DATE_LIKE.match(text):
        return "dates"
    for locale in (v.EN, v.DE):
        try:
            parts = v.parse_number_parts(text, locale)
        except ValueError:
            continue
        if parts is not None:
            return "percentages" if parts.percent else "numbers"
    if country_code(text):
        return "country names"
    if _HANDLE_LIKE.match(text):
        return "names or handles"
    return "text"


def _looks_like(cells: list[str]) -> str:
    """What most of the sample looks like ("country names"), or the mix it is."""
    sample = [c for c in cells if c and c.strip()][:20]
    if not sample:
        return "empty text"
    counts: dict[str, int] = {}
    for cell in sample:
        looks = _cell_looks(cell)
        counts[looks] = counts.get(looks, 0) + 1
    ranked = sorted(counts, key=lambda k: -counts[k])
    if counts[ranked[0]] >= len(sample) * 0.7:
        return ranked[0]
    shown = ranked[:3]
    return "a mix of " + (", ".join(shown[:-1]) + " and " + shown[-1])


# What a column that looks like this could be loaded as, by the kind of field.
_SUGGEST_KIND = {
    "country names": Kind.COUNTRY,
    "dates": Kind.DATETIME,
    "percentages": Kind.RATIO,
    "names or handles": Kind.HANDLE,
}


def _suggest_field(
    kind: ImportKind, looks: str, plan: ColumnPlan, plans: list[ColumnPlan]
) -> str | None:
    """A field of this import kind that such values could fill and no other column loads."""
    wanted = _SUGGEST_KIND.get(looks)
    taken = {p.field.name for p in plans if p.field is not None and p.index != plan.index}
    for f in FIELDS[kind]:
        if (
            f.kind is wanted
            and f.name not in taken
            and (plan.field is None or f.name != plan.field.name)
        ):
            return f.name
    return None


# --- the tabulator ---------------------------------------------------------------------------

_OPEN_QUOTE = (
    "a quote opened in this record is never closed: the record runs to the end of the file, "
    "swallowing the lines after it (close the quote)"
)


@dataclass
class Chunk:
    """Canonical rows of one batch; ``_record`` is the 0-based data record number in the file."""

    table: pa.Table
    records_read: int


class Tabulator:
    """Turns a source into canonical chunks; collects rejects and warnings while it goes."""

    def __init__(
        self, source: Source, kind: ImportKind, options: ImportOptions, display: str
    ) -> None:
        self.source, self.kind, self.options, self.display = source, kind, options, display
        self.plans, warnings = plan_columns(source.header, kind, options.mapping, display)
        self.warnings: list[ImportWarning] = list(source.warnings) + warnings
        self._implausible = 0  # follower counts warned about so far
        self._implausible_summary: int | None = None  # index of the "… and N more" warning
        self.rejects: list[Reject] = []
        self.rejected_records: set[int] = set()
        self.records_read = 0
        self.contexts: dict[int, vector.ColumnContext] = {}
        self._decided = False
        # The first batch's columns as parsed by the contradiction check, with the notes that
        # parse made, so that batch's own parse reuses them instead of parsing twice.
        self._first_parse: dict[int, tuple[vector.Parsed, pa.Array | None, list[str]]] = {}
        if (
            kind is ImportKind.CREATORS
            and options.platform is None
            and not any(p.field and p.field.name == "platform" for p in self.plans)
        ):
            raise InvalidOption(
                f"{display}: say which platform these creators are on with --platform (or add a platform column)"
            )

    @property
    def loaded_columns(self) -> dict[str, str]:
        return {p.header: p.field.name for p in self.plans if p.field is not None}

    def chunks(self) -> Iterator[Chunk]:
        offset = 0
        for raw in self.source.batches():
            batch, disagree = self._coalesce(raw)
            if not self._decided:
                self._decide(batch)
            table = self._parse(
                batch, offset, open_quote=self.source.ends_in_open_quote, disagree=disagree
            )
            self._first_parse.clear()
            offset += batch.num_rows
            self.records_read = offset
            yield Chunk(table, offset)
        for bad in self.source.bad_records:
            line = self.source.locate_bad(bad)
            record = None if bad.record is None else bad.record + 1
            self.rejects.append(
                Reject(self.display, line, record, None, bad.text[:200], bad.reason)
            )
        self.records_read = offset + len(self.source.bad_records)
        if self.records_read == 0:
            raise FileFormatProblem(
                f"{self.display}: the file has no records, only a header; nothing was imported"
            )

    def empty_table(self) -> pa.Table:
        """A canonical table with no rows (what a file whose every record was unreadable gives)."""
        return self._canonical({"_record": pa.array([], pa.int64())}, 0)

    def _decide(self, batch: pa.RecordBatch) -> None:
        self._decided = True
        locale, w1 = detect_locale(batch, self.plans, self.options.decimal, self.display)
        dayfirst, w2 = detect_dayfirst(batch, self.plans, self.options.dayfirst)
        self.warnings += w1 + w2
        for p in self.plans:
            if p.field is None:
                continue
            ctx = vector.ColumnContext(locale=locale, dayfirst=dayfirst, column=p.header)
            if p.field.kind is Kind.RATIO:
                vector.decide_percent_points(batch.column(p.index), ctx, p.header)
            self.contexts[p.index] = ctx
        self._check_contradictions(batch)

    def _check_contradictions(self, batch: pa.RecordBatch) -> None:
        keep: list[ColumnPlan] = []
        for p in self.plans:
            if p.field is None or p.field.kind in {Kind.TEXT, Kind.HANDLE, Kind.ID}:
                keep.append(p)
                continue
            col = batch.column(p.index)
            notes = self.contexts[p.index].notes
            notes_before = len(notes)
            parsed, cell_currency = self._parse_column(p, col)
            self._first_parse[p.index] = (parsed, cell_currency, notes[notes_before:])
            del notes[notes_before:]
            if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
                present = len(col) - pc.sum(vector.missing_cells(col)).as_py()
            else:
                present = len(col) - col.null_count
            share = len(parsed.bad) / present if present else 0.0
            if present >= CONTRADICTION_MIN and share > CONTRADICTION_SHARE:
                rows = sorted(parsed.bad)[:20]
                cells = [str(x) for x in col.take(pa.array(rows)).to_pylist()]
                looks = _looks_like(cells)
                examples = ", ".join(repr(c) for c in dict.fromkeys(cells[:3]))
                reasons = [parsed.bad[r] for r in rows]
                reason = max(dict.fromkeys(reasons), key=reasons.count)
                target = _suggest_field(self.kind, looks, p, self.plans)
                suggestion = f"--map '{p.header}={target}' or " if target else ""
                if decimal := re.search(r"--decimal '.'", reason):
                    suggestion = f"{decimal[0]} or {suggestion}"
                message = (
                    f"{self.display}: column {p.header!r} should hold {p.field.name} ({p.field.kind.value}) but "
                    f"{share:.0%} of its values do not read as one (e.g. {examples}; they look like {looks}; "
                    f"most fail with: {reason}). Use {suggestion}--map '{p.header}=ignore'"
                )
                if not self.options.lenient:
                    raise ColumnProblem(message)
                self.warnings.append(
                    ImportWarning(
                        message.split(": ", 1)[1] + "; ignored (--lenient)", column=p.header
                    )
                )
                keep.append(ColumnPlan(p.index, p.header, None, "ignored"))
                continue
            keep.append(p)
        self.plans = keep
        required = {f.name for f in FIELDS[self.kind] if f.required}
        if missing := required - {p.field.name for p in self.plans if p.field}:
            raise ColumnProblem(
                f"{self.display}: no usable column left for {', '.join(sorted(missing))}"
            )

    def _parse_column(
        self, plan: ColumnPlan, col: pa.Array
    ) -> tuple[vector.Parsed, pa.Array | None]:
        """The parsed column and, for a price column, the currency each cell names."""
        assert plan.field is not None
        ctx = self.contexts[plan.index]
        cached = self._first_parse.pop(plan.index, None)
        if cached is not None:
            parsed, cell_currency, notes = cached
            ctx.notes.extend(notes)
            return parsed, cell_currency
        if isinstance(col, pa.ChunkedArray):
            col = col.combine_chunks()
        if plan.field.kind is Kind.MONEY:
            return vector.parse_money(col, ctx)
        return vector.PARSERS[plan.field.kind](col, ctx), None

    def _coalesce(self, batch: pa.RecordBatch) -> tuple[pa.RecordBatch, BadRows]:
        """The batch with each coalesced column filled from its nested twins, and the rows where
        the twins hold different values (compared trimmed, in any case, '@' aside)."""
        disagree: BadRows = {}
        arrays = list(batch.columns)
        for p in self.plans:
            if not p.also:
                continue
            merged = arrays[p.index]
            for other in p.also:
                twin = arrays[other]
                same = pc.equal(_comparable(merged), _comparable(twin))
                for row in vector._indices(pc.invert(same)):
                    a, b = merged[row].as_py(), twin[row].as_py()
                    disagree.setdefault(row, []).append(
                        (
                            p.header,
                            a,
                            f"{p.header!r} is {a!r} but {self.source.header[other]!r} is {b!r}",
                        )
                    )
                merged = pc.coalesce(merged, twin)
            arrays[p.index] = merged
        if not any(p.also for p in self.plans):
            return batch, disagree
        return pa.RecordBatch.from_arrays(arrays, names=batch.schema.names), disagree

    def _parse(
        self,
        batch: pa.RecordBatch,
        offset: int,
        *,
        open_quote: bool = False,
        disagree: BadRows | None = None,
    ) -> pa.Table:
        columns: dict[str, pa.Array] = {}
        bad_rows: BadRows = {row: list(problems) for row, problems in (disagree or {}).items()}
        implausible: list[tuple[str, int, str, int]] = []
        if open_quote and batch.num_rows:
            bad_rows[batch.num_rows - 1] = [(None, None, _OPEN_QUOTE)]
        for p in self.plans:
            if p.field is None:
                continue
            col = batch.column(p.index)
            parsed, cell_currency = self._parse_column(p, col)
            if cell_currency is not None:
                columns["_cell_currency"] = cell_currency
            columns[p.field.name] = parsed.values
            if p.field.name == "followers":
                implausible += _implausible_followers(p.header, col, parsed)
            if parsed.bad:
                raw = col.take(pa.array(sorted(parsed.bad), pa.int64())).to_pylist()
                for row, cell in zip(sorted(parsed.bad), raw, strict=True):
                    bad_rows.setdefault(row, []).append(
                        (p.header, None if cell is None else str(cell), parsed.bad[row])
                    )
        for ctx in self.contexts.values():
            for note in ctx.notes:
                self.warnings.append(ImportWarning(note))
            ctx.notes.clear()
        n = batch.num_rows
        records = self.source.record_numbers(offset, n)
        columns["_record"] = pa.array(records)
        self._platforms(columns, n, bad_rows)
        self._warn_implausible(implausible, records, bad_rows)
        for row, problems in sorted(bad_rows.items()):
            record = int(records[row])
            line = self.source.locate(record) if self.source.line_based else None
            self.rejected_records.add(record)
            for column, value, reason in problems:
                self.rejects.append(Reject(self.display, line, record + 1, column, value, reason))
        table = self._canonical(columns, n)
        if bad_rows:
            keep = pa.array([i not in bad_rows for i in range(n)])
            table = table.filter(keep)
        return table

    def _warn_implausible(
        self,
        found: list[tuple[str, int, str, int]],
        records: np.ndarray,
        bad_rows: dict[int, list[tuple[str | None, str | None, str]]],
    ) -> None:
        """One warning per imported record whose follower count no account reaches; kept, since
        the file may be right, but named so a misplaced suffix (29.0b for 29.0m) is found."""
        for header, row, cell, value in found:
            if row in bad_rows:
                continue
            self._implausible += 1
            if self._implausible > IMPLAUSIBLE_NAMED:
                more = ImportWarning(
                    f"… and {self._implausible - IMPLAUSIBLE_NAMED:,} more follower count(s) above "
                    f"{IMPLAUSIBLE_FOLLOWERS:,} (imported as written)",
                    column=header,
                )
                if self._implausible_summary is None:
                    self._implausible_summary = len(self.warnings)
                    self.warnings.append(more)
                else:
                    self.warnings[self._implausible_summary] = more
                continue
            record = int(records[row])
            line = self.source.locate(record) if self.source.line_based else None
            where = f"line {line}" if line is not None else f"record {record + 1}"
            self.warnings.append(
                ImportWarning(
                    f"{where}, column {header!r}: {cell!r} reads as {value:,} followers; no account "
                    f"has more than about {LARGEST_ACCOUNT // 1_000_000}M, so check the value "
                    "(imported as written)",
                    column=header,
                )
            )

    def _platforms(
        self,
        columns: dict[str, pa.Array],
        n: int,
        bad_rows: dict[int, list[tuple[str | None, str | None, str]]],
    ) -> None:
        default = self.options.platform.value if self.options.platform else None
        col = columns.get("platform")
        if col is None:
            columns["platform"] = pa.array([default] * n, pa.string())
            return
        if default:
            columns["platform"] = pc.fill_null(col, default)
        elif self.kind is ImportKind.CREATORS:
            for i in vector._indices(pc.is_null(col)):
                bad_rows.setdefault(i, []).append(
                    ("platform", None, "platform is missing (fill the column or pass --platform)")
                )

    def _canonical(self, columns: dict[str, pa.Array], n: int) -> pa.Table:
        arrays, names = [], []
        for f in FIELDS[self.kind]:
            target = vector.ARROW_TYPES.get(f.kind, pa.float64())
            col = columns.get(f.name)
            if col is None:
                if f.kind in {Kind.CATEGORIES, Kind.HASHTAGS}:
                    col = pa.array([[]] * n, target)
                else:
                    col = pa.nulls(n, target)
            elif col.type != target:
                col = pc.cast(col, target)
            arrays.append(col)
            names.append(f.name)
        if self.kind in {ImportKind.CREATORS, ImportKind.ORDERS}:
            cell_currency = columns.get("_cell_currency")
            if cell_currency is not None:
                idx = names.index("currency")
                arrays[idx] = pc.coalesce(arrays[idx], cell_currency)
        arrays.append(columns["_record"])
        names.append("_record")
        return pa.Table.from_arrays(arrays, names=names)


# --- finishing steps that need the whole file -------------------------------------------------

MERGE_FIELDS_IGNORED = {"_record", "platform", "handle"}


def merge_duplicate_creators(table: pa.Table) -> tuple[pa.Table, list[Merge]]:
    """One row per (platform, handle): for each field the value of the last record that has one.

    Exports list a creator twice when they were scraped twice or appear in two niches; later rows
    are usually fresher. Categories are unioned. Every merge is reported with its record numbers and
    the fields whose values disagreed.
    """
    keys = pc.binary_join_element_wise(table["platform"], table["handle"], ":")
    counts = pc.value_counts(keys)
    dup_keys = [c["values"] for c in counts.to_pylist() if c["counts"] > 1]
    if not dup_keys:
        return table, []
    dup_mask = pc.is_in(keys, value_set=pa.array(dup_keys))
    single = table.filter(pc.invert(dup_mask))
    dups = table.filter(dup_mask).to_pylist()
    groups: dict[str, list[dict[str, object]]] = {}
    for row in dups:
        groups.setdefault(f"{row['platform']}:{row['handle']}", []).append(row)
    merged_rows: list[dict[str, object]] = []
    merges: list[Merge] = []
    for key, rows in groups.items():
        rows.sort(key=lambda r: r["_record"])  # type: ignore[arg-type, return-value]
        out: dict[str, object] = dict(rows[-1])
        conflicts = []
        for name in table.column_names:
            if name in MERGE_FIELDS_IGNORED:
                continue
            values = [r[name] for r in rows if r[name] not in (None, [])]
            if name == "categories":
                out[name] = list(dict.fromkeys(c for r in rows for c in (r[name] or [])))  # type: ignore[attr-defined]
                continue
            out[name] = values[-1] if values else None
            if len({repr(x) for x in values}) > 1:
                conflicts.append(name)
        merged_rows.append(out)
        merges.append(
            Merge(
                key=key,
                records=tuple(int(str(r["_record"])) + 1 for r in rows),
                conflicts=tuple(conflicts),
            )
        )
    merged = pa.Table.from_pylist(merged_rows, schema=table.schema)
    return pa.concat_tables([single, merged]).sort_by("_record"), merges


def fill_post_ids(table: pa.Table) -> pa.Table:
    """Posts without an id get a stable one from (platform, handle, time, caption).

    Only the rows without an id leave Arrow.
    """
    ids = table["post_id"].combine_chunks()
    if ids.null_count == 0:
        return table
    absent = pc.is_null(ids)
    rows = table.select(["platform", "handle", "posted_at", "caption"]).filter(absent).to_pylist()
    made = [
        "h:"
        + hashlib.sha1(
            f"{r['platform']}|{r['handle']}|{r['posted_at']}|{(r['caption'] or '')[:500]}".encode()
        ).hexdigest()[:20]
        for r in rows
    ]
    filled = pc.replace_with_mask(ids, absent, pa.array(made, pa.string()))
    return table.set_column(table.column_names.index("post_id"), "post_id", filled)


def resolve_platforms(
    table: pa.Table,
    known: Mapping[str, list[str]],
    display: str,
    locate: Callable[[int], int | None],
) -> tuple[pa.Table, list[Reject]]:
    """Fill a posts table's missing platforms from the catalog: a handle on exactly one platform."""
    platforms = table["platform"]
    if platforms.null_count == 0:
        return table, []
    handles = table["handle"].to_pylist()
    values = platforms.to_pylist()
    rejects: list[Reject] = []
    keep: list[bool] = []
    for i, (plat, handle) in enumerate(zip(values, handles, strict=True)):
        if plat is None:
            options = known.get(handle, [])
            if len(options) == 1:
                values[i] = options[0]
            else:
                why = "is on several platforms" if options else "is not in the catalog"
                record = int(table["_record"][i].as_py())
                rejects.append(
                    Reject(
                        display,
                        locate(record),
                        record + 1,
                        "handle",
                        handle,
                        f"cannot tell the platform: @{handle} {why}; pass --platform",
                    )
                )
                keep.append(False)
                continue
        keep.append(True)
    table = table.set_column(
        table.column_names.index("platform"), "platform", pa.array(values, pa.string())
    )
    return table.filter(pa.array(keep)), rejects
