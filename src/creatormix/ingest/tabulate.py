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
from functools import partial
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc

from creatormix.domain.imports import (
    PLATFORM_REASON,
    PLATFORM_SEVERAL,
    PLATFORM_UNKNOWN,
    ColumnReading,
    ImportExplanation,
    ImportKind,
    ImportOptions,
    ImportWarning,
    Inference,
    Merge,
    Reject,
)
from creatormix.domain.platform import NAME_KEY_PREFIX, Platform, handle_problem, handle_rule
from creatormix.errors import ColumnProblem, FileFormatProblem, InvalidOption
from creatormix.ingest import infer, vector
from creatormix.ingest import values as v

if TYPE_CHECKING:
    import numpy as np
from creatormix.ingest.fields import (
    FIELDS,
    IGNORE,
    Kind,
    alias_index,
    field_by_name,
    header_key,
)
from creatormix.ingest.infer import NAME_KEY, ColumnPlan
from creatormix.ingest.readers import Source

CONTRADICTION_SHARE = 0.5  # a column is refused when more than half its values do not parse…
CONTRADICTION_MIN = 5  # …among at least this many non-empty values


def plan_columns(
    header: list[str], kind: ImportKind, mapping: Mapping[str, str], file: str
) -> tuple[list[ColumnPlan], list[ImportWarning]]:
    """Decide which field each column feeds; refuse duplicates and ambiguity with a clear message
    naming every problem at once."""
    plans, warnings = map_columns(header, kind, mapping, file)
    problems = duplicate_problems(plans, file) + ambiguity_problems(plans, file)
    problems += missing_problems(plans, kind, header, file)
    if problems:
        raise ColumnProblem(column_problems(file, problems))
    return plans, warnings + unknown_warning(plans)


def column_problems(file: str, problems: list[str]) -> str:
    """One error naming every column problem of a file (so one run shows them all)."""
    if len(problems) == 1:
        return f"{file}: {problems[0]}"
    listed = "\n".join(f"  {i}. {p}" for i, p in enumerate(problems, start=1))
    return f"{file}: {len(problems)} column problems, nothing was imported:\n{listed}"


def map_columns(
    header: list[str], kind: ImportKind, mapping: Mapping[str, str], file: str
) -> tuple[list[ColumnPlan], list[ImportWarning]]:
    """Each column's field by ``--map`` or by alias, nested JSON twins read as one."""
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
            if target.lower() == NAME_KEY:
                plans.append(ColumnPlan(i, name, field_by_name(kind, "handle"), NAME_KEY))
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
    plans, coalesced = _coalesce_nested(plans)
    return plans, coalesced


def unknown_warning(plans: list[ColumnPlan]) -> list[ImportWarning]:
    unknown = [p.header for p in plans if p.how == "unknown"]
    if not unknown:
        return []
    return [
        ImportWarning(
            f"ignored column(s) with no matching field: {', '.join(unknown)} (use --map COLUMN=FIELD to load one)"
        )
    ]


def missing_problems(
    plans: list[ColumnPlan], kind: ImportKind, header: list[str], file: str
) -> list[str]:
    fields = {p.field.name for p in plans if p.field}
    out = []
    for f in FIELDS[kind]:
        if f.required and f.name not in fields:
            expected = ", ".join(f.aliases[:8])
            out.append(
                f"no column for {f.name} (looked for: {expected}, …); columns are: {', '.join(header)}. "
                f"Name one with --map COLUMN={f.name}"
            )
    return out


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


def duplicate_groups(plans: list[ColumnPlan]) -> list[list[ColumnPlan]]:
    """Columns of one header name of which more than one would load."""
    by_key: dict[str, list[ColumnPlan]] = {}
    for p in plans:
        by_key.setdefault(header_key(p.header), []).append(p)
    return [
        [p for p in group if p.field is not None and p.how != "--map"]
        for group in by_key.values()
        if len(group) > 1 and sum(p.field is not None and p.how != "--map" for p in group) > 1
    ]


def duplicate_problems(plans: list[ColumnPlan], file: str) -> list[str]:
    out = []
    for group in duplicate_groups(plans):
        where = " and ".join(f"column {p.index + 1}" for p in group)
        name = group[0].header
        out.append(
            f"the header names {name!r} {len(group)} times ({where}); "
            f"say which one to load, e.g. --map '{name}#2=ignore'"
        )
    return out


def ambiguity_problems(plans: list[ColumnPlan], file: str) -> list[str]:
    by_field: dict[str, list[ColumnPlan]] = {}
    for p in plans:
        if p.field is not None and p.how != "paired":
            by_field.setdefault(p.field.name, []).append(p)
    out = []
    for name, group in by_field.items():
        if group[0].field is not None and group[0].field.kind is Kind.CATEGORIES:
            continue  # Category_1, Category_2: niches of every column are kept
        if len({header_key(p.header) for p in group}) > 1:
            cols = ", ".join(repr(p.header) for p in group)
            out.append(
                f"columns {cols} all look like {name}; keep one with --map, e.g. --map '{group[1].header}=ignore'"
            )
    return out


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
_URL_LIKE = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_LOWER_CODE = re.compile(r"^[a-z]{2}(?:[-_][a-zA-Z]{2})?$")  # fr, pt-BR: language tags


def _cell_looks(cell: str) -> str:
    """What one unreadable cell looks like, for the contradiction message. A lower-case code
    that is both (``fr``, ``es``) reads as a language, as language tags are written; ``FR`` as
    a country."""
    from creatormix.domain.geo import country_code, language_code

    text = cell.strip()
    if _URL_LIKE.match(text):
        return "URLs"
    if _DATE_LIKE.match(text):
        return "dates"
    for locale in (v.EN, v.DE):
        try:
            parts = v.parse_number_parts(text, locale)
        except ValueError:
            continue
        if parts is not None:
            return "percentages" if parts.percent else "numbers"
    if language_code(text) and (_LOWER_CODE.match(text) or not country_code(text)):
        return "languages"
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
    "languages": Kind.LANGUAGE,
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


CATALOG_KINDS = frozenset({ImportKind.CREATORS, ImportKind.POSTS, ImportKind.SNAPSHOTS})
# Kinds whose handles are checked against their platform's syntax. Posts are not: a post whose
# handle no platform accepts can never match a creator (creators are checked), and checking ten
# million post handles cost the benchmark's posts import 0.1 s a million rows.
VALIDATED_HANDLES = frozenset({ImportKind.CREATORS, ImportKind.SNAPSHOTS})
# Creator fields whose unreadable value rejects the record; any other bad value is left empty.
IDENTITY_FIELDS = frozenset({"handle", "platform", "followers"})


class Tabulator:
    """Turns a source into canonical chunks; collects rejects and warnings while it goes.

    Catalog imports (creators, posts, snapshots) settle their columns on the first batch:
    decorative columns, the identity column, paired and identical columns, columns whose values
    contradict their header (``ingest.infer``); every problem left is raised at once. ``prior``
    is the column decisions of an earlier import of the same header (``decisions``), applied
    instead of inferring them again.
    """

    def __init__(
        self,
        source: Source,
        kind: ImportKind,
        options: ImportOptions,
        display: str,
        prior: Mapping[str, str] | None = None,
        prior_note: str = "",
    ) -> None:
        self.source, self.kind, self.options, self.display = source, kind, options, display
        self.inferences: list[Inference] = []
        self.infers = kind in CATALOG_KINDS
        mapping = dict(options.mapping)
        self._prior = None if options.strict or not prior or mapping else dict(prior)
        if self._prior is not None:
            mapping = {k: v for k, v in self._prior.items() if not v.startswith("pair:")}
            self.inferences.append(
                Inference(
                    "reused",
                    prior_note,
                    accept=" ".join(f"--map '{k}={v}'" for k, v in mapping.items()),
                )
            )
        if self.infers:
            self.plans, warnings = map_columns(source.header, kind, mapping, display)
            if self._prior is not None:
                self.plans = _with_prior_pairs(self.plans, self._prior)
        else:
            self.plans, warnings = plan_columns(source.header, kind, mapping, display)
        self.warnings: list[ImportWarning] = list(source.warnings) + warnings
        self._implausible = 0  # follower counts warned about so far
        self._implausible_summary: int | None = None  # index of the "… and N more" warning
        self.rejects: list[Reject] = []
        self.cleared: list[Reject] = []  # optional values left empty, their record kept
        self.rejected_records: set[int] = set()
        self.blank_records = 0
        self.records_read = 0
        self.contexts: dict[int, vector.ColumnContext] = {}
        self._decided = False
        self._problems: list[str] = []
        # The first batch's columns as parsed by the contradiction check, with the notes that
        # parse made, so that batch's own parse reuses them instead of parsing twice.
        self._first_parse: dict[int, tuple[vector.Parsed, pa.Array | None, list[str]]] = {}
        if not self.infers:
            self._require_platform(None)

    def _require_platform(self, batch: pa.RecordBatch | None) -> None:
        if (
            self.kind is ImportKind.CREATORS
            and self.options.platform is None
            and not any(p.field and p.field.name == "platform" for p in self.plans)
            and not (batch is not None and self._prefixed_platforms(batch))
        ):
            raise InvalidOption(
                f"{self.display}: say which platform these creators are on with --platform (or add a platform column)"
            )

    def _prefixed_platforms(self, batch: pa.RecordBatch) -> bool:
        """Whether the handle column's cells name their platform (``tiktok:@name``)."""
        handle = next((p for p in self.plans if p.field and p.field.kind is Kind.HANDLE), None)
        return handle is not None and _split_prefixes(batch.column(handle.index))[1] is not None

    @property
    def loaded_columns(self) -> dict[str, str]:
        return {p.header: p.field.name for p in self.plans if p.field is not None}

    def decisions(self) -> dict[str, str]:
        """Each column's decision as ``--map`` would state it (``#3`` -> field, ``ignore``,
        ``name-key``, or ``pair:#5`` for a display column checked against column 5)."""
        out: dict[str, str] = {}
        exact_of = {i: p.index for p in self.plans for i in p.pair}
        for p in self.plans:
            key = f"#{p.index + 1}"
            if p.index in exact_of:
                out[key] = f"pair:#{exact_of[p.index] + 1}"
            elif p.how == NAME_KEY:
                out[key] = NAME_KEY
            elif p.field is not None:
                out[key] = p.field.name
            elif p.how != "coalesced":
                out[key] = IGNORE
        return out

    def explain(self) -> ImportExplanation:
        """How each column would be read, from the first batch; nothing is parsed further."""
        problems: list[str] = []
        first = next(iter(self.source.batches()), None)
        samples: dict[int, list[str]] = {}
        if first is not None:
            batch, _ = self._coalesce(first)
            try:
                self._decide(batch)
            except ColumnProblem as exc:
                problems = list(self._problems) or [str(exc)]
            for i in range(batch.num_columns):
                col = vector._strings(batch.column(i).slice(0, 200))
                cells = [c for c in col.to_pylist() if c is not None and str(c).strip()]
                samples[i] = list(dict.fromkeys(str(c).strip() for c in cells))[:3]
        columns = []
        for p in sorted(self.plans, key=lambda p: p.index):
            confidence = None
            if p.field is not None and first is not None:
                confidence = self._confidence(p, first)
            columns.append(
                ColumnReading(
                    index=p.index + 1,
                    header=p.header,
                    field=p.field.name if p.field else None,
                    rule=p.how,
                    examples=tuple(samples.get(p.index, ())),
                    confidence=confidence,
                    note=", ".join(f"checked against column {i + 1}" for i in p.pair),
                )
            )
        return ImportExplanation(
            file=self.display,
            kind=self.kind,
            columns=tuple(columns),
            inferences=tuple(self.inferences),
            warnings=tuple(self.warnings),
            problems=tuple(problems),
        )

    def _confidence(self, plan: ColumnPlan, batch: pa.RecordBatch) -> float | None:
        """Share of the sampled values of a column that read as its field."""
        assert plan.field is not None
        col = batch.column(plan.index).slice(0, infer.SAMPLE_ROWS)
        present = len(col) - int(pc.sum(vector.missing_cells(col)).as_py() or 0)
        if not present:
            return None
        if plan.field.kind is Kind.HANDLE:
            if plan.how == NAME_KEY:
                return 1.0
            platform = infer.file_platform(self.plans, batch, self.options.platform)
            return infer.identity_score(col, handle_rule(platform)[0]).valid_share
        if plan.field.kind in {Kind.TEXT, Kind.ID} or plan.index not in self.contexts:
            return 1.0
        ctx = vector.ColumnContext(
            locale=self.contexts[plan.index].locale,
            dayfirst=self.contexts[plan.index].dayfirst,
            percent_points=self.contexts[plan.index].percent_points,
        )
        if plan.field.kind is Kind.MONEY:
            parsed = vector.parse_money(col, ctx)[0]
        else:
            parsed = vector.PARSERS[plan.field.kind](col, ctx)
        return 1 - len(parsed.bad) / present

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
        if not self._decided and self.infers:  # no batch at all: the header alone is checked
            problems = duplicate_problems(self.plans, self.display)
            problems += ambiguity_problems(self.plans, self.display)
            if problems:
                raise ColumnProblem(column_problems(self.display, problems))
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

    def decide(self, batch: pa.RecordBatch) -> None:
        """Settle the file's conventions from its first batch, as ``chunks`` does itself.

        For a file read in pieces by several workers (``ingest.batches``): decided once, then
        every piece is parsed with ``parse_rows`` under the same conventions.
        """
        batch, _ = self._coalesce(batch)
        self._decide(batch)
        self._first_parse.clear()  # a piece is not the first batch: parse it afresh

    def parse_rows(self, batch: pa.RecordBatch, records: np.ndarray) -> pa.Table:
        """Canonical rows of a piece of the file whose 0-based data record numbers are
        ``records``; rejects and warnings accumulate as in ``chunks``."""
        batch, disagree = self._coalesce(batch)
        table = self._parse(batch, 0, disagree=disagree, records=records)
        self.records_read += batch.num_rows
        return table

    def empty_table(self) -> pa.Table:
        """A canonical table with no rows (what a file whose every record was unreadable gives)."""
        return self._canonical({"_record": pa.array([], pa.int64())}, 0)

    def _decide(self, batch: pa.RecordBatch) -> None:
        self._decided = True
        if self.infers:
            self._infer(batch)
        locale, w1 = detect_locale(batch, self.plans, self.options.decimal, self.display)
        dayfirst, w2 = detect_dayfirst(batch, self.plans, self.options.dayfirst)
        self.warnings += w1 + w2
        self._locale = locale
        for p in self.plans:
            if p.field is None:
                continue
            self.contexts[p.index] = self._context(p, batch, locale, dayfirst)
        if self.infers:
            self._settle_duplicates(batch, locale)
        self._check_contradictions(batch)
        if self.infers:
            self._problems += missing_problems(
                self.plans, self.kind, self.source.header, self.display
            )
            if self.options.strict:
                self._problems += [
                    f"{i.message} (--strict: say so with {i.accept})"
                    for i in self.inferences
                    if i.accept and i.topic != "reused"
                ]
            if self._problems:
                raise ColumnProblem(column_problems(self.display, self._problems))
            self.warnings += unknown_warning(self.plans)
            self._require_platform(batch)

    def _context(
        self, p: ColumnPlan, batch: pa.RecordBatch, locale: v.Locale, dayfirst: bool
    ) -> vector.ColumnContext:
        ctx = vector.ColumnContext(locale=locale, dayfirst=dayfirst, column=p.header)
        if p.field is not None and p.field.kind is Kind.RATIO:
            vector.decide_percent_points(batch.column(p.index), ctx, p.header)
        return ctx

    def _infer(self, batch: pa.RecordBatch) -> None:
        """Decorative columns, the identity columns, then (``_settle_duplicates``) pairs."""
        if self._prior is not None:
            return
        self.plans, found = infer.skip_decorative(self.plans, batch)
        self.inferences += found
        platform = infer.file_platform(self.plans, batch, self.options.platform)
        identity = infer.choose_identity(self.plans, batch, FIELDS[self.kind], platform)
        self.plans = identity.plans
        self.inferences += identity.inferences
        self._problems += identity.problems

    def _settle_duplicates(self, batch: pa.RecordBatch, locale: v.Locale) -> None:
        groups = duplicate_groups(self.plans)
        if groups and self._prior is None:
            settled = infer.resolve_duplicates(
                self.plans, groups, batch, locale, self._line_of_row(0)
            )
            self.plans = settled.plans
            self.inferences += settled.inferences
            self._problems += settled.problems
        elif groups:
            self._problems += duplicate_problems(self.plans, self.display)
        self._problems += ambiguity_problems(self.plans, self.display)

    def _line_of_row(self, offset: int) -> Callable[[int], str]:
        """'line N' (or 'record N') of a batch row, for messages."""

        def where(row: int) -> str:
            record = int(self.source.record_numbers(offset + row, 1)[0])
            line = self.source.locate(record) if self.source.line_based else None
            return f"line {line}" if line is not None else f"record {record + 1}"

        return where

    def _check_contradictions(self, batch: pa.RecordBatch) -> None:
        """A typed column whose values mostly do not read as its field: loaded as the field
        they match when that field is free, else left out, with a warning (refused with
        --strict, and when the values only need another --decimal)."""
        keep: list[ColumnPlan] = []
        confirmed: list[tuple[ColumnPlan, float]] = []  # typed columns whose values read as such
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
                decimal = re.search(r"--decimal '.'", reason)
                if decimal:
                    suggestion = f"{decimal[0]} or {suggestion}"
                message = (
                    f"column {p.header!r} should hold {p.field.name} ({p.field.kind.value}) but "
                    f"{share:.0%} of its values do not read as one (e.g. {examples}; they look like {looks}; "
                    f"most fail with: {reason}). Use {suggestion}--map '{p.header}=ignore'"
                )
                if decimal or (self.options.strict and not self.options.lenient):
                    self._problems.append(message)
                    keep.append(p)
                    continue
                self._first_parse.pop(p.index, None)
                free = self._free_field(looks, p) if not self.options.lenient else None
                if free is not None:
                    moved = ColumnPlan(
                        p.index, p.header, field_by_name(self.kind, free), "inferred"
                    )
                    self.contexts[p.index] = self._context(
                        moved, batch, self.contexts[p.index].locale, self.contexts[p.index].dayfirst
                    )
                    keep.append(moved)
                    done = f"loaded as {free}"
                else:
                    keep.append(ColumnPlan(p.index, p.header, None, "ignored"))
                    done = "left out" + (" (--lenient)" if self.options.lenient else "")
                self.inferences.append(
                    Inference(
                        "remap" if free else "left-out",
                        f"column {p.header!r} is headed like {p.field.name} but holds {looks} "
                        f"(e.g. {examples}): {done}",
                        (p.header,),
                        free,
                        accept=f"--map '{p.header}={free or 'ignore'}'",
                    )
                )
                continue
            keep.append(p)
            if present:
                confirmed.append((p, 1 - share))
        self.plans = keep
        if confirmed:
            self.inferences.append(_confirmed(confirmed))
        required = {f.name for f in FIELDS[self.kind] if f.required}
        if not self.infers and (
            missing := required - {p.field.name for p in self.plans if p.field}
        ):
            raise ColumnProblem(
                f"{self.display}: no usable column left for {', '.join(sorted(missing))}"
            )

    def _free_field(self, looks: str, plan: ColumnPlan) -> str | None:
        """The field such values belong to when it is this import's first field of that kind
        and no other column loads it (country names -> country, never audience_country)."""
        wanted = _SUGGEST_KIND.get(looks)
        if wanted is None or wanted is Kind.HANDLE:
            return None
        first = next((f for f in FIELDS[self.kind] if f.kind is wanted), None)
        taken = {p.field.name for p in self.plans if p.field is not None and p.index != plan.index}
        return first.name if first is not None and first.name not in taken else None

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
        records: np.ndarray | None = None,
    ) -> pa.Table:
        columns: dict[str, pa.Array] = {}
        bad_rows: BadRows = {row: list(problems) for row, problems in (disagree or {}).items()}
        implausible: list[tuple[str, int, str, int]] = []
        prefixed: pa.Array | None = None
        handle_header = "handle"
        if open_quote and batch.num_rows:
            bad_rows[batch.num_rows - 1] = [(None, None, _OPEN_QUOTE)]
        clears = self.kind is ImportKind.CREATORS and self.infers and not self.options.strict
        for p in self.plans:
            if p.field is None:
                continue
            col = batch.column(p.index)
            cell_currency = None
            if p.how == NAME_KEY:
                parsed = _name_keys(col)
                if "name" in {f.name for f in FIELDS[self.kind]} and not any(
                    q.field and q.field.name == "name" for q in self.plans
                ):
                    columns["name"] = vector.parse_text(col, self.contexts[p.index]).values
            else:
                if p.field.kind is Kind.HANDLE and self.infers:
                    col, prefixed = _split_prefixes(col)
                parsed, cell_currency = self._parse_column(p, col)
            if p.pair:
                parsed = self._with_pair(p, batch, parsed, offset)
            if p.field.kind is Kind.HANDLE:
                handle_header = p.header
            if cell_currency is not None:
                columns["_cell_currency"] = cell_currency
            if p.field.kind is Kind.CATEGORIES and p.field.name in columns:
                columns[p.field.name] = _union_lists(columns[p.field.name], parsed.values)
            else:
                columns[p.field.name] = parsed.values
            if p.field.name == "followers":
                implausible += _implausible_followers(p.header, col, parsed)
            if parsed.bad:
                rows = sorted(parsed.bad)
                raw = col.take(pa.array(rows, pa.int64())).to_pylist()
                clear = clears and p.field.name not in IDENTITY_FIELDS
                for row, cell in zip(rows, raw, strict=True):
                    problem = (p.header, None if cell is None else str(cell), parsed.bad[row])
                    if clear:
                        self._clear(problem, offset, row)
                    else:
                        bad_rows.setdefault(row, []).append(problem)
        for ctx in self.contexts.values():
            for note in ctx.notes:
                self.warnings.append(ImportWarning(note))
            ctx.notes.clear()
        n = batch.num_rows
        if records is None:
            records = self.source.record_numbers(offset, n)
        columns["_record"] = pa.array(records)
        if prefixed is not None:
            self._prefix_platforms(columns, prefixed, bad_rows)
        self._platforms(columns, n, bad_rows)
        if self.kind in VALIDATED_HANDLES and "handle" in columns:
            self._validate_handles(columns, handle_header, bad_rows)
        blank = self._blank_rows(batch, bad_rows)
        self._warn_implausible(implausible, records, bad_rows)
        for row, problems in sorted(bad_rows.items()):
            record = int(records[row])
            line = self.source.locate(record) if self.source.line_based else None
            self.rejected_records.add(record)
            for column, value, reason in problems:
                self.rejects.append(Reject(self.display, line, record + 1, column, value, reason))
        table = self._canonical(columns, n)
        if bad_rows or blank:
            keep = pa.array([i not in bad_rows and i not in blank for i in range(n)])
            table = table.filter(keep)
        return table

    def _clear(self, problem: tuple[str | None, str | None, str], offset: int, row: int) -> None:
        """An unreadable optional value: left empty, its record kept, and listed."""
        record = int(self.source.record_numbers(offset + row, 1)[0])
        line = self.source.locate(record) if self.source.line_based else None
        column, value, reason = problem
        self.cleared.append(Reject(self.display, line, record + 1, column, value, reason))

    def _with_pair(
        self, plan: ColumnPlan, batch: pa.RecordBatch, parsed: vector.Parsed, offset: int
    ) -> vector.Parsed:
        """The exact column's values, filled from its display twins where it is empty; a row
        where they disagree beyond rounding stops the import (on any batch)."""
        assert plan.field is not None
        cols = [batch.column(plan.index), *(batch.column(i) for i in plan.pair)]
        check = infer.check_pair(cols, self.contexts[plan.index].locale)
        if check.disagree:
            row = check.disagree[0]
            labels = [plan.header] + [self.source.header[i] for i in plan.pair]
            cells = ", ".join(
                f"column {i + 1} ({lab!r}) is {c[row].as_py()!r}"
                for i, lab, c in zip((plan.index, *plan.pair), labels, cols, strict=True)
            )
            raise ColumnProblem(
                column_problems(
                    self.display,
                    [
                        f"the columns named {plan.header!r} disagree beyond rounding on "
                        f"{len(check.disagree):,} row(s) of this part of the file, e.g. "
                        f"{self._line_of_row(offset)(row)}: {cells}; say which one to load, e.g. "
                        f"--map '#{plan.pair[0] + 1}=ignore'"
                    ],
                )
            )
        values, bad = parsed.values, dict(parsed.bad)
        for i in plan.pair:
            self.contexts.setdefault(i, self.contexts[plan.index])  # read as the exact one
            twin = self._parse_column(replace(plan, index=i, pair=()), batch.column(i))[0]
            values = pc.coalesce(values, pc.cast(twin.values, values.type))
            bad = {r: why for r, why in (twin.bad | bad).items() if not values[r].is_valid}
        return vector.Parsed(values, bad)

    def _prefix_platforms(
        self, columns: dict[str, pa.Array], prefixed: pa.Array, bad_rows: BadRows
    ) -> None:
        """``platform:@handle`` cells: the prefix is the row's platform; a platform column
        that says otherwise rejects the row."""
        col = columns.get("platform")
        if col is None:
            columns["platform"] = prefixed
            return
        clash = pc.fill_null(pc.not_equal(col, prefixed), False)
        for i in vector._indices(clash):
            bad_rows.setdefault(i, []).append(
                (
                    "platform",
                    col[i].as_py(),
                    f"the handle cell says {prefixed[i].as_py()} but the platform column says "
                    f"{col[i].as_py()}",
                )
            )
        columns["platform"] = pc.coalesce(prefixed, col)

    def _validate_handles(
        self, columns: dict[str, pa.Array], header: str, bad_rows: BadRows
    ) -> None:
        """A handle that its platform would not accept rejects its record, with the reason."""
        handles, platforms = columns["handle"], columns["platform"]
        for value in pc.unique(platforms).to_pylist():
            try:
                platform = Platform(value)
            except ValueError:
                continue
            pattern = handle_rule(platform)[0]
            ok = vector._on_distinct(handles, partial(_valid_handles, pattern=pattern))
            on = pc.equal(platforms, value)
            for i in vector._indices(pc.and_(on, pc.invert(pc.fill_null(ok, True)))):
                handle = handles[i].as_py()
                why = handle_problem(platform, handle) or "not a valid handle"
                bad_rows.setdefault(i, []).append((header, handle, why))

    def _blank_rows(self, batch: pa.RecordBatch, bad_rows: BadRows) -> set[int]:
        """Records with no value at all (an empty first data row, a row of separators): taken
        out of the rejects, skipped and counted."""
        blank = set()
        for row, problems in list(bad_rows.items()):
            if not any(reason == "handle is missing" for _c, _v, reason in problems):
                continue
            cells = [batch.column(i)[row].as_py() for i in range(batch.num_columns)]
            if all(c is None or v.is_missing(str(c)) for c in cells):
                blank.add(row)
                del bad_rows[row]
        self.blank_records += len(blank)
        return blank

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
                found = bad_rows.setdefault(i, [])
                if not any(column == "platform" for column, _, _ in found):  # unknown, not missing
                    found.append(
                        (
                            "platform",
                            None,
                            "platform is missing (fill the column or pass --platform)",
                        )
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


_PREFIX = r"^\s*(?P<platform>[A-Za-z]{1,12})\s*:\s*(?P<handle>\S.*)$"


def _confirmed(columns: list[tuple[ColumnPlan, float]]) -> Inference:
    """The one line saying which typed columns' values read as their headers say."""
    shown = []
    for p, read in columns:
        assert p.field is not None
        share = "" if read >= 1 else f", {int(read * 100)}% of sampled values read"
        shown.append(f"{p.header!r} ({p.field.name}{share})")
    return Inference(
        "profile",
        f"values read as their headers say in {len(columns)} typed column(s): " + ", ".join(shown),
        tuple(p.header for p, _ in columns),
        changed=False,
    )


def _split_prefixes(col: pa.Array) -> tuple[pa.Array, pa.Array | None]:
    """Handle cells written ``platform:@handle``: (the cells without the prefix, the platform
    of each such cell or null); (col, None) when no cell has a platform prefix."""
    if not (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)):
        return col, None
    if not pc.any(pc.fill_null(pc.match_substring(col, ":"), False)).as_py():
        return col, None
    parts = pc.extract_regex(col, pattern=_PREFIX)
    names = pc.utf8_lower(pc.struct_field(parts, "platform"))
    platforms: dict[str, str | None] = {}
    for name in pc.unique(names).to_pylist():
        if name is None:
            continue
        try:
            platforms[name] = Platform.parse(name).value
        except ValueError:
            platforms[name] = None  # "https:", "note:": not a platform prefix
    known = [k for k, val in platforms.items() if val is not None]
    if not known:
        return col, None
    keys = pa.array(known, pa.string())
    mask = pc.fill_null(pc.is_in(names, value_set=keys), False)
    platform = pa.array([platforms[k] for k in known], pa.string()).take(
        pc.index_in(names, value_set=keys)
    )
    stripped = pc.if_else(mask, pc.struct_field(parts, "handle"), col)
    return stripped, pc.if_else(mask, platform, pa.scalar(None, pa.string()))


def _union_lists(a: pa.Array, b: pa.Array) -> pa.Array:
    """Row by row, the items of ``a`` then those of ``b`` it lacks (niches of two columns)."""
    rows = [
        list(dict.fromkeys((x or []) + (y or [])))
        for x, y in zip(a.to_pylist(), b.to_pylist(), strict=True)
    ]
    return pa.array(rows, pa.list_(pa.string()))


def _valid_handles(handles: pa.Array, *, pattern: str) -> pa.Array:
    valid = pc.match_substring_regex(handles, pattern=pattern)
    return pc.or_(valid, pc.starts_with(handles, NAME_KEY_PREFIX))


def _name_keys(col: pa.Array) -> vector.Parsed:
    """``platform.name_key`` of each display name: '~' + trimmed, squeezed, lower case."""
    text = vector.parse_text(col, vector.ColumnContext()).values
    squeezed = pc.utf8_lower(pc.replace_substring_regex(text, pattern=r"\s+", replacement=" "))
    keys = pc.binary_join_element_wise(pa.scalar(NAME_KEY_PREFIX), squeezed, "")
    missing = vector._indices(pc.is_null(keys))
    return vector.Parsed(keys, dict.fromkeys(missing, "handle is missing"))


def _with_prior_pairs(plans: list[ColumnPlan], prior: Mapping[str, str]) -> list[ColumnPlan]:
    """Plans with an earlier import's paired columns: each display column checked against the
    exact one it was paired with."""
    twins: dict[int, list[int]] = {}
    for key, value in prior.items():
        if value.startswith("pair:#") and key.startswith("#"):
            twins.setdefault(int(value[6:]) - 1, []).append(int(key[1:]) - 1)
    out = []
    for p in plans:
        if p.index in twins:
            out.append(replace(p, pair=tuple(twins[p.index])))
        elif any(p.index in t for t in twins.values()):
            out.append(replace(p, field=None, how="paired"))
        else:
            out.append(p)
    return out


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
                why = PLATFORM_SEVERAL if options else PLATFORM_UNKNOWN
                record = int(table["_record"][i].as_py())
                rejects.append(
                    Reject(
                        display,
                        locate(record),
                        record + 1,
                        "handle",
                        handle,
                        PLATFORM_REASON.format(handle=handle, why=why),
                    )
                )
                keep.append(False)
                continue
        keep.append(True)
    table = table.set_column(
        table.column_names.index("platform"), "platform", pa.array(values, pa.string())
    )
    return table.filter(pa.array(keep)), rejects
