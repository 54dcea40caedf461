"""Column parsers: the rules of ``ingest.values`` applied to whole Arrow arrays.

Each parser returns the typed array and the cells it could not read (row index -> reason). Only
bad cells go through the scalar parser, to word the reason; good cells never leave Arrow, which is
what keeps a 10-million-row import in seconds.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from creatormix.domain.catalog import PostType
from creatormix.domain.geo import country_code, language_code
from creatormix.domain.platform import Platform, normalise_handle
from creatormix.ingest import values as v
from creatormix.ingest.fields import Kind

Bad = dict[int, str]


@dataclass
class ColumnContext:
    """Per-column decisions made once from the data and reported as warnings."""

    locale: v.Locale = v.EN
    dayfirst: bool = False
    percent_points: bool | None = None  # RATIO columns: bare numbers are % points?
    notes: list[str] = field(default_factory=list)
    column: str = ""  # the header, to name the column in notes

    def note(self, text: str) -> None:
        self.notes.append(f"column {self.column!r}: {text}" if self.column else text)


@dataclass(frozen=True)
class Parsed:
    values: pa.Array
    bad: Bad


def _strings(arr: pa.Array) -> pa.Array:
    if pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type):
        return arr
    if pa.types.is_dictionary(arr.type):
        return pc.cast(arr, pa.string())
    return pc.cast(arr, pa.string())


_MISSING_VALUES = pa.array(sorted(v.MISSING), pa.string())


# Exports repeat a few values across millions of rows (100,000 handles over 10,000,000 posts; a
# few thousand distinct hashtags): an element-wise rule is applied to the distinct values once and
# spread back with their indices. Only for columns this long, and only when values repeat enough.
DISTINCT_MIN_ROWS = 65_536
_DISTINCT_MAX_SHARE = 0.25


def _on_distinct(values: pa.Array, rule: Callable[[pa.Array], pa.Array]) -> pa.Array:
    """``rule(values)`` for an element-wise ``rule`` (each output cell depends on its input cell
    alone), computed on the distinct values when they are few."""
    if len(values) < DISTINCT_MIN_ROWS:
        return rule(values)
    encoded = pc.dictionary_encode(values)
    if len(encoded.dictionary) > _DISTINCT_MAX_SHARE * len(values):
        return rule(values)
    return rule(encoded.dictionary).take(encoded.indices)


def _missing_mask(norm: pa.Array) -> pa.Array:
    """True where a normalised cell is a missing-value marker (nulls count as missing)."""
    return pc.or_(pc.is_null(norm), pc.fill_null(pc.is_in(norm, value_set=_MISSING_VALUES), True))


def normalised(arr: pa.Array) -> pa.Array:
    """Vector ``values.normalise_cell``: trim, lower-case, typographic minus to '-'."""
    return _lower_minus(pc.utf8_trim_whitespace(_strings(arr)))


def _lower_minus(trimmed: pa.Array) -> pa.Array:
    out = pc.utf8_lower(trimmed)
    for ch in v.MINUS_CHARS:
        out = pc.replace_substring(out, ch, "-")
    return out


# The longest missing-value marker, in code points. Lower-casing and the minus replacement map one
# code point to one, so a trimmed cell longer than this can never normalise to a marker.
_MISSING_MAX_LEN = max(len(m) for m in v.MISSING)


def missing_cells(arr: pa.Array) -> pa.Array:
    """``_missing_mask(normalised(arr))``, normalising only the cells short enough to be a marker.

    Captions and ids are long: skipping them saves three full passes over the text of a column.
    """
    return _missing_trimmed(pc.utf8_trim_whitespace(_strings(arr)))


def _missing_trimmed(trimmed: pa.Array) -> pa.Array:
    short = pc.fill_null(pc.less_equal(pc.utf8_length(trimmed), _MISSING_MAX_LEN), False)
    n_short = pc.sum(short).as_py() or 0
    if n_short * 2 >= len(trimmed):  # mostly short cells (numbers, codes): the plain way
        return _missing_mask(_lower_minus(trimmed))
    marker = pc.is_in(_lower_minus(pc.filter(trimmed, short)), value_set=_MISSING_VALUES)
    return pc.replace_with_mask(pc.is_null(trimmed), short, marker)


def _scalar_reasons(raw: pa.Array, idx: list[int], fn: Callable[[str], object]) -> Bad:
    out: Bad = {}
    cells = raw.take(pa.array(idx, pa.int64())).to_pylist() if idx else []
    for i, cell in zip(idx, cells, strict=True):
        try:
            fn(str(cell))
        except (ValueError, OverflowError) as exc:
            out[i] = str(exc)
        else:  # the vector rules rejected what the scalar rules accept: never silently
            out[i] = "could not be read"
    return out


def _indices(mask: pa.Array) -> list[int]:
    return pc.indices_nonzero(pc.fill_null(mask, False)).to_pylist()  # type: ignore[no-any-return]


def parse_numbers(arr: pa.Array, locale: v.Locale) -> tuple[pa.Array, pa.Array, pa.Array, pa.Array]:
    """(value float64, percent flag, has-suffix flag, ok flag) for a string column."""
    value, pct, suffixed, ok, _missing = _parse_numbers(arr, locale)
    return value, pct, suffixed, ok


def _parse_numbers(
    arr: pa.Array, locale: v.Locale
) -> tuple[pa.Array, pa.Array, pa.Array, pa.Array, pa.Array]:
    """``parse_numbers`` plus the missing-cell mask it computes on the way."""
    norm = normalised(arr)
    missing = _missing_mask(norm)
    parts = pc.extract_regex(norm, pattern=locale.number_pattern())
    ok = pc.and_(pc.is_valid(parts), pc.invert(missing))
    sign = pc.struct_field(parts, "sign")
    integer = pc.replace_substring_regex(
        pc.struct_field(parts, "int"), pattern=r"[^0-9]", replacement=""
    )
    frac = pc.struct_field(parts, "frac")
    exp = pc.struct_field(parts, "exp")
    suf = pc.struct_field(parts, "suf")
    pct = pc.not_equal(pc.struct_field(parts, "pct"), "")
    # A lone "." or "e5" matches the pattern's optional groups but is no number.
    has_digits = pc.or_(pc.not_equal(integer, ""), pc.not_equal(frac, ""))
    conflict = pc.and_(pc.not_equal(suf, ""), pct)
    ok = pc.fill_null(pc.and_kleene(ok, pc.and_kleene(has_digits, pc.invert(conflict))), False)
    int_digits = pc.if_else(pc.equal(integer, ""), "0", integer)
    exp_digits = pc.if_else(pc.equal(exp, ""), "0", exp)
    literal = pc.binary_join_element_wise(sign, int_digits, ".", frac, "e", exp_digits, "")
    literal = pc.if_else(ok, literal, pa.scalar(None, pa.string()))
    value = pc.cast(literal, pa.float64())
    mult = pc.fill_null(
        pc.if_else(
            pc.is_in(suf, value_set=pa.array(["k"])),
            1e3,
            pc.if_else(
                pc.is_in(suf, value_set=pa.array(["m", "mm", "mn"])),
                1e6,
                pc.if_else(pc.is_in(suf, value_set=pa.array(["b", "bn"])), 1e9, 1.0),
            ),
        ),
        1.0,
    )
    value = pc.multiply(value, mult)
    finite = pc.fill_null(pc.is_finite(value), True)
    ok = pc.fill_null(pc.and_(ok, finite), False)
    value = pc.if_else(ok, value, pa.scalar(None, pa.float64()))
    suffixed = pc.fill_null(pc.not_equal(suf, ""), False)
    return value, pc.fill_null(pct, False), suffixed, ok, missing


def _number_column(
    arr: pa.Array, ctx: ColumnContext, scalar: Callable[[str], object]
) -> tuple[pa.Array, pa.Array, pa.Array, Bad]:
    raw = _strings(arr)
    if _plain_digits(raw):
        # What the number rule gives for a cell of digits alone: the same Arrow conversion of the
        # same digits, no percent, no suffix; an empty cell is missing.
        value = pc.cast(pc.if_else(pc.equal(raw, ""), pa.scalar(None, raw.type), raw), pa.float64())
        no = pa.array(np.zeros(len(raw), dtype=bool))
        return value, no, no, {}
    value, pct, suffixed, ok, missing = _parse_numbers(raw, ctx.locale)
    failed = pc.and_(pc.invert(ok), pc.invert(missing))
    return value, pct, suffixed, _scalar_reasons(raw, _indices(failed), scalar)


def _plain_digits(raw: pa.Array) -> bool:
    """Every cell is ASCII digits alone, empty or null: the usual count column of a CSV export."""
    return pc.all(pc.match_substring_regex(raw, pattern="^[0-9]*$")).as_py() is not False


def parse_count(arr: pa.Array, ctx: ColumnContext) -> Parsed:
    if pa.types.is_integer(arr.type) or pa.types.is_floating(arr.type):
        values = pc.cast(arr, pa.float64())
        negative = _indices(
            pc.or_(pc.less(values, 0), pc.invert(pc.fill_null(pc.is_finite(values), True)))
        )
        reasons = dict.fromkeys(negative, "a count cannot be negative")
        if pa.types.is_floating(arr.type):
            for i in _indices(_fractional(values)):
                reasons.setdefault(i, "a count must be a whole number (it has a fractional part)")
        return Parsed(_finish_count(values, list(reasons)), reasons)
    value, pct, suf, bad = _number_column(arr, ctx, lambda s: v.parse_count(s, ctx.locale))
    extra = _indices(pc.and_(pct, pc.is_valid(value)))
    bad.update(dict.fromkeys(extra, "a count cannot be a percentage"))
    neg = _indices(pc.less(value, 0))
    bad.update(dict.fromkeys(neg, "a count cannot be negative"))
    big = _indices(pc.greater(value, 9.2e18))
    bad.update(dict.fromkeys(big, "count is too large"))
    fractional = _indices(pc.and_(_fractional(value), pc.invert(suf)))
    if fractional:
        cells = _strings(arr).take(pa.array(fractional, pa.int64())).to_pylist()
        for i, cell in zip(fractional, cells, strict=True):
            bad.setdefault(i, v.fractional_count_reason(cell, ctx.locale))
    if ctx.locale.assumed:  # "12.000" is 12 or 12000, and nothing in the file says which
        for i in _ambiguous_counts(_strings(arr)):
            bad.setdefault(i, v.ambiguous_count_reason())
    return Parsed(_finish_count(value, list(bad)), bad)


def _ambiguous_counts(raw: pa.Array) -> list[int]:
    """Rows whose cell is ``values.AMBIGUOUS_COUNT`` once normalised. Only cells holding a '.' can
    be, so the normalisation and the pattern run on those alone: a column of plain digits (the
    usual CSV count) costs one substring scan, not six passes over ten million cells."""
    dotted = _indices(pc.fill_null(pc.match_substring(raw, "."), False))
    if not dotted:
        return []
    taken = pa.array(dotted, pa.int64())
    pattern = "^" + v.AMBIGUOUS_COUNT.pattern + "$"
    hits = pc.match_substring_regex(normalised(raw.take(taken)), pattern=pattern)
    return [dotted[j] for j in _indices(hits)]


def _fractional(values: pa.Array) -> pa.Array:
    """True where a finite value has a fractional part."""
    finite = pc.fill_null(pc.is_finite(values), False)
    return pc.fill_null(pc.and_(finite, pc.not_equal(pc.floor(values), values)), False)


def _finish_count(values: pa.Array, bad: list[int]) -> pa.Array:
    if bad:
        mask = pa.array(_mask(len(values), bad))
        values = pc.if_else(mask, pa.scalar(None, pa.float64()), values)
    return pc.cast(pc.round(values, round_mode="half_to_even"), pa.int64())


def _mask(n: int, idx: list[int]) -> list[bool]:
    out = [False] * n
    for i in idx:
        out[i] = True
    return out


def parse_number(arr: pa.Array, ctx: ColumnContext) -> Parsed:
    if pa.types.is_integer(arr.type) or pa.types.is_floating(arr.type):
        return Parsed(pc.cast(arr, pa.float64()), {})
    value, pct, _suf, bad = _number_column(arr, ctx, lambda s: v.parse_float(s, ctx.locale))
    value = pc.if_else(pct, pc.divide(value, 100.0), value)
    return Parsed(value, bad)


def decide_percent_points(arr: pa.Array, ctx: ColumnContext, column: str) -> None:
    """A rate column whose bare numbers exceed 1 holds percentage points ("3.2" = 3.2 %)."""
    if ctx.percent_points is not None:
        return
    if pa.types.is_integer(arr.type) or pa.types.is_floating(arr.type):
        value = pc.cast(arr, pa.float64())
        pct = pa.array([False] * len(arr))
    else:
        value, pct, _suf, _ok = parse_numbers(_strings(arr), ctx.locale)
    bare = pc.filter(value, pc.and_(pc.invert(pct), pc.is_valid(value)))
    if len(bare) == 0:
        return
    big = pc.sum(pc.greater(bare, 1.0)).as_py() or 0
    ctx.percent_points = big > 0
    if ctx.percent_points:
        ctx.notes.append(
            f"column {column!r}: numbers without % are read as percentages (values above 1 found)"
        )
    else:
        ctx.notes.append(
            f"column {column!r}: numbers without % are read as fractions (all values are at most 1)"
        )


def parse_ratio(arr: pa.Array, ctx: ColumnContext) -> Parsed:
    points = bool(ctx.percent_points)
    if pa.types.is_integer(arr.type) or pa.types.is_floating(arr.type):
        value = pc.cast(arr, pa.float64())
        if points:
            value = pc.divide(value, 100.0)
        reasons = dict.fromkeys(_indices(pc.less(value, 0)), "a rate cannot be negative")
        reasons.update(_above_100(value))
        return Parsed(_null_at(value, list(reasons)), reasons)
    value, pct, suffixed, bad = _number_column(
        arr, ctx, lambda s: v.parse_ratio(s, ctx.locale, percent_points=points)
    )
    scale = pc.or_(pct, pa.scalar(points))
    value = pc.if_else(scale, pc.divide(value, 100.0), value)
    for i in _indices(pc.and_(suffixed, pc.is_valid(value))):
        bad[i] = "a rate cannot have a k/m/b suffix"
    for i in _indices(pc.less(value, 0)):
        bad[i] = "a rate cannot be negative"
    for i, reason in _above_100(value).items():
        bad.setdefault(i, reason)
    return Parsed(_null_at(value, list(bad)), bad)


def _above_100(value: pa.Array) -> Bad:
    rows = _indices(pc.greater(value, 1.0))
    if not rows:
        return {}
    found = value.take(pa.array(rows, pa.int64())).to_pylist()
    return {i: v.rate_above_100_reason(x) for i, x in zip(rows, found, strict=True)}


def _null_at(values: pa.Array, idx: list[int]) -> pa.Array:
    if not idx:
        return values
    return pc.if_else(pa.array(_mask(len(values), idx)), pa.scalar(None, values.type), values)


def _map_python(arr: pa.Array, fn: Callable[[str], Any], out_type: pa.DataType) -> Parsed:
    """Apply a scalar parser to the distinct values only; exports repeat them a lot."""
    raw = _strings(arr)
    uniques = pc.unique(raw).to_pylist()
    mapping: dict[str | None, Any] = {}
    reasons: dict[str | None, str] = {}
    for cell in uniques:
        if cell is None:
            mapping[cell] = None
            continue
        try:
            mapping[cell] = fn(cell)
        except ValueError as exc:
            mapping[cell] = None
            reasons[cell] = str(exc)
    keys = pa.array(list(mapping.keys()), raw.type)
    positions = pc.index_in(raw, value_set=keys)
    looked_up = pa.array(list(mapping.values()), out_type).take(positions)
    bad: Bad = {}
    if reasons:
        bad_keys = pa.array(list(reasons), raw.type)
        for i in _indices(pc.is_in(raw, value_set=bad_keys)):
            bad[i] = reasons[raw[i].as_py()]
    return Parsed(looked_up, bad)


def parse_text(arr: pa.Array, ctx: ColumnContext) -> Parsed:
    raw = _strings(arr)
    trimmed = pc.utf8_trim_whitespace(raw)
    missing = _missing_trimmed(trimmed)
    out = pc.if_else(missing, pa.scalar(None, pa.string()), trimmed)
    non_ascii = _non_ascii(out)
    lost = _lost_text_cells(out, non_ascii)
    if lost:
        example = out[lost[0]].as_py()
        ctx.note(
            f"{len(lost)} cell(s) hold characters lost before the file was saved (e.g. "
            f"{example[:40]!r}: runs of 'ý' or '\ufffd' where letters were) and could not be "
            "repaired; stored as they are"
        )
    suspicious = _mojibake_cells(out, non_ascii)
    if suspicious:
        cells = out.take(pa.array(suspicious, pa.int64())).to_pylist()
        fixes = [v.fix_mojibake(c) for c in cells]
        repaired = {i: f for i, c, f in zip(suspicious, cells, fixes, strict=True) if f != c}
        kept = [c for c, f in zip(cells, fixes, strict=True) if f == c]
        if repaired:
            ctx.note(f"repaired mojibake (UTF-8 decoded twice) in {len(repaired)} cell(s)")
            fixed = out.to_pylist()
            for i, text in repaired.items():
                fixed[i] = text
            out = pa.array(fixed, pa.string())
        if kept:
            ctx.note(
                f"{len(kept)} cell(s) look like mojibake (UTF-8 decoded twice) but could not be "
                f"repaired and are stored as they are (e.g. {kept[0][:40]!r}); check how the file "
                "was saved"
            )
    return Parsed(out, {})


_MOJIBAKE = "[ÃÂâ][\u0080-\u00bf\u2018-\u203a\u0152-\u0178\u02c6\u02dc]"
# Text whose letters were lost by an earlier conversion: a replacement character, or a run of
# 'ý', 'þ', 'ÿ' (what UTF-16 or Cyrillic bytes become in Latin-1).
_LOST_TEXT = "\ufffd|[ýþÿ]{3,}"


def _non_ascii(text: pa.Array) -> pa.Array:
    """Rows with a non-ASCII character: the only ones mojibake or lost text can be in."""
    return pc.indices_nonzero(pc.invert(pc.fill_null(pc.string_is_ascii(text), True)))


def _lost_text_cells(text: pa.Array, candidates: pa.Array | None = None) -> list[int]:
    """Rows whose text lost its letters before we got it (counted, never repaired)."""
    candidates = _non_ascii(text) if candidates is None else candidates
    if not len(candidates):
        return []
    hits = pc.match_substring_regex(text.take(candidates), pattern=_LOST_TEXT)
    return pc.filter(candidates, pc.fill_null(hits, False)).to_pylist()  # type: ignore[no-any-return]


def _mojibake_cells(text: pa.Array, candidates: pa.Array | None = None) -> list[int]:
    """Rows that look like UTF-8 decoded twice. The pattern needs a non-ASCII character, so it
    runs only on the rows that have one (a cheap check; most captions and ids are plain ASCII)."""
    candidates = _non_ascii(text) if candidates is None else candidates
    if not len(candidates):
        return []
    hits = pc.match_substring_regex(text.take(candidates), pattern=_MOJIBAKE)
    return pc.filter(candidates, pc.fill_null(hits, False)).to_pylist()  # type: ignore[no-any-return]


def parse_id(arr: pa.Array, ctx: ColumnContext) -> Parsed:
    if pa.types.is_integer(arr.type):
        return Parsed(pc.cast(arr, pa.string()), {})
    return parse_text(arr, ctx)


def parse_handle(arr: pa.Array, ctx: ColumnContext) -> Parsed:
    out = _on_distinct(_strings(arr), _handles)
    missing = _indices(pc.is_null(out))
    return Parsed(out, dict.fromkeys(missing, "handle is missing"))


def _handles(raw: pa.Array) -> pa.Array:
    """Each cell's handle (``normalise_handle``), null where there is none; plain handles
    (``@Name.1``) take a vector path with the same answer."""
    simple = pc.match_substring_regex(raw, pattern=r"^@?[A-Za-z0-9._\-]+$")
    lowered = pc.utf8_lower(pc.replace_substring_regex(raw, pattern=r"^@", replacement=""))
    complex_idx = _indices(pc.invert(pc.fill_null(simple, True)))
    out = lowered
    if complex_idx:
        py = out.to_pylist()
        cells = raw.to_pylist()
        for i in complex_idx:
            py[i] = normalise_handle(cells[i]) or None
        out = pa.array(py, pa.string())
    return pc.if_else(pc.equal(out, ""), pa.scalar(None, pa.string()), out)


def parse_platform(arr: pa.Array, ctx: ColumnContext) -> Parsed:
    def one(cell: str) -> str | None:
        if v.is_missing(cell):
            return None
        return Platform.parse(cell).value

    return _map_python(arr, one, pa.string())


def parse_country(arr: pa.Array, ctx: ColumnContext) -> Parsed:
    return _parse_coded(arr, ctx, country_code, "not a country name or ISO code")


def parse_language(arr: pa.Array, ctx: ColumnContext) -> Parsed:
    return _parse_coded(arr, ctx, language_code, "not a language name or ISO 639 code")


def _parse_coded(
    arr: pa.Array, ctx: ColumnContext, code_of: Callable[[str], str | None], reason: str
) -> Parsed:
    """Names to codes ("Deutschland" -> "DE"); a name whose mojibake was repaired first
    ("MÃ©xico" -> "México" -> "MX") is reported in a note naming the column."""
    repaired: dict[str, str] = {}

    def one(cell: str) -> str | None:
        text = v.parse_text(cell)
        if text is None:
            return None
        if text != cell.strip():
            repaired[cell] = text
        code = code_of(text)
        if code is None:
            raise ValueError(reason)
        return code

    parsed = _map_python(arr, one, pa.string())
    if repaired:
        keys = pa.array(list(repaired), pa.string())
        cells = int(pc.sum(pc.is_in(_strings(arr), value_set=keys)).as_py())
        before, after = next(iter(repaired.items()))
        ctx.note(
            f"repaired mojibake (UTF-8 decoded twice) in {cells} cell(s) before reading them, "
            f"e.g. {before.strip()!r} as {after!r}"
        )
    return parsed


def parse_currency(arr: pa.Array, ctx: ColumnContext) -> Parsed:
    def one(cell: str) -> str | None:
        text = v.parse_text(cell)
        if text is None:
            return None
        symbol = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR"}.get(text)
        if symbol:
            return symbol
        if re.fullmatch(r"[A-Za-z]{3}", text):
            return text.upper()
        raise ValueError("not an ISO 4217 currency code")

    return _map_python(arr, one, pa.string())


def parse_money(arr: pa.Array, ctx: ColumnContext) -> tuple[Parsed, pa.Array]:
    """(amount, currency-from-the-cell) for a price column."""
    if pa.types.is_integer(arr.type) or pa.types.is_floating(arr.type):
        amount = parse_number(arr, ctx)
        return amount, pa.nulls(len(arr), pa.string())
    raw = _strings(arr)
    amounts: list[float | None] = []
    currencies: list[str | None] = []
    bad: Bad = {}
    cache: dict[str, tuple[float, str | None] | str | None] = {}
    for i, cell in enumerate(raw.to_pylist()):
        if cell is None:
            amounts.append(None)
            currencies.append(None)
            continue
        if cell not in cache:
            try:
                cache[cell] = v.parse_money(cell, ctx.locale)
            except ValueError as exc:
                cache[cell] = str(exc)
        got = cache[cell]
        if isinstance(got, str):
            bad[i] = got
            got = None
        amounts.append(got[0] if got else None)
        currencies.append(got[1] if got else None)
    return Parsed(pa.array(amounts, pa.float64()), bad), pa.array(currencies, pa.string())


def parse_bool(arr: pa.Array, ctx: ColumnContext) -> Parsed:
    if pa.types.is_boolean(arr.type):
        return Parsed(arr, {})
    if pa.types.is_integer(arr.type):
        return Parsed(pc.not_equal(arr, 0), {})
    return _map_python(arr, v.parse_bool, pa.bool_())


_ARROW_DATETIME_FORMATS = (
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
)


def parse_datetime(arr: pa.Array, ctx: ColumnContext) -> Parsed:
    if pa.types.is_timestamp(arr.type):
        if arr.type.tz is not None:  # to naive UTC
            arr = pc.cast(
                pc.cast(pc.cast(arr, pa.timestamp("us", tz="UTC")), pa.int64()), pa.timestamp("us")
            )
        return Parsed(pc.cast(arr, pa.timestamp("us")), {})
    if pa.types.is_date(arr.type):
        return Parsed(pc.cast(pc.cast(arr, pa.date32()), pa.timestamp("us")), {})
    if pa.types.is_integer(arr.type) or pa.types.is_floating(arr.type):
        return _map_python(
            pc.cast(arr, pa.string()),
            lambda s: v.parse_datetime(s.split(".")[0] if s.endswith(".0") else s),
            pa.timestamp("us"),
        )
    raw = pc.utf8_trim_whitespace(_strings(arr))
    result = pa.nulls(len(raw), pa.timestamp("us"))
    for fmt in _ARROW_DATETIME_FORMATS:
        if not pc.any(pc.and_(pc.is_valid(raw), pc.is_null(result))).as_py():
            break  # every cell is read: the later formats could change nothing
        got = pc.strptime(raw, format=fmt, unit="us", error_is_null=True)
        if got.type.tz is not None:
            got = pc.cast(pc.cast(got, pa.int64()), pa.timestamp("us"))
        result = pc.coalesce(result, got)
    missing = _missing_trimmed(raw)
    rest_mask = pc.and_(pc.is_null(result), pc.invert(missing))
    rest = _indices(rest_mask)
    bad: Bad = {}
    if rest:
        cells = raw.take(pa.array(rest, pa.int64())).to_pylist()
        fixed: list[Any] = []
        for i, cell in zip(rest, cells, strict=True):
            try:
                fixed.append(v.parse_datetime(cell, dayfirst=ctx.dayfirst))
            except ValueError as exc:
                fixed.append(None)
                bad[i] = str(exc)
        result = pc.replace_with_mask(
            result, pc.fill_null(rest_mask, False), pa.array(fixed, pa.timestamp("us"))
        )
    out_of_range = _indices(
        pc.or_(
            pc.less(result, pa.scalar(_ts(1990), pa.timestamp("us"))),
            pc.greater(result, pa.scalar(_ts(2101), pa.timestamp("us"))),
        )
    )
    for i in out_of_range:
        bad[i] = "date is outside 1990-2100"
    return Parsed(_null_at(result, list(bad)), bad)


def _ts(year: int) -> Any:
    from datetime import datetime

    return datetime(year, 1, 1)


_POST_TYPES = {
    "image": PostType.IMAGE,
    "photo": PostType.IMAGE,
    "picture": PostType.IMAGE,
    "graphimage": PostType.IMAGE,
    "post": PostType.IMAGE,
    "feed": PostType.IMAGE,
    "carousel": PostType.CAROUSEL,
    "sidecar": PostType.CAROUSEL,
    "graphsidecar": PostType.CAROUSEL,
    "album": PostType.CAROUSEL,
    "carouselalbum": PostType.CAROUSEL,
    "video": PostType.VIDEO,
    "graphvideo": PostType.VIDEO,
    "igtv": PostType.VIDEO,
    "longform": PostType.VIDEO,
    "reel": PostType.REEL,
    "reels": PostType.REEL,
    "clips": PostType.REEL,
    "story": PostType.STORY,
    "stories": PostType.STORY,
    "short": PostType.SHORT,
    "shorts": PostType.SHORT,
    "live": PostType.LIVE,
    "livestream": PostType.LIVE,
    "stream": PostType.LIVE,
    "text": PostType.TEXT,
    "tweet": PostType.TEXT,
    "status": PostType.TEXT,
    "other": PostType.OTHER,
}


def parse_post_type(arr: pa.Array, ctx: ColumnContext) -> Parsed:
    def one(cell: str) -> str | None:
        if v.is_missing(cell):
            return None
        key = re.sub(r"[^a-z]", "", cell.lower())
        found = _POST_TYPES.get(key)
        if found is None:
            raise ValueError(
                "unknown post type (expected image, carousel, video, reel, story, short, live, text)"
            )
        return found.value

    return _map_python(arr, one, pa.string())


def parse_hashtags(arr: pa.Array, ctx: ColumnContext) -> Parsed:
    """Hashtags as a list<string>, lower case with '#': from list literals, separated text or
    glued tags ("#a#b")."""
    if pa.types.is_list(arr.type) or pa.types.is_large_list(arr.type):
        return Parsed(_hashtags_from_lists(pc.cast(arr, pa.list_(pa.string()))), {})
    return Parsed(_hashtags_from_text(_strings(arr)), {})


def _hashtags_reference(raw: pa.Array) -> pa.Array:
    """The rule: split the text into tags at white space, ',', ';', '|', brackets, quotes and
    '#'; drop empty and missing-value tags; '#' + the lower-case tag."""
    cleaned = pc.utf8_lower(pc.replace_substring_regex(raw, pattern=r"[\[\]'\"]", replacement=" "))
    cleaned = pc.replace_substring(cleaned, "#", " #")
    pieces = pc.split_pattern_regex(pc.utf8_trim_whitespace(cleaned), pattern=r"[\s,;|]+")
    pieces = pc.if_else(pc.is_null(pieces), pa.scalar([], pa.list_(pa.string())), pieces)
    flat = pc.list_flatten(pieces)
    tags, keep = _tag_items(flat)
    return _regroup(tags, pc.filter(pc.list_parent_indices(pieces), keep), len(raw))


def _hashtags_from_text(raw: pa.Array) -> pa.Array:
    """``_hashtags_reference``, with a shortcut for rows of printable ASCII (the usual
    "['#a', '#b']" of a CSV export): there the only white space is the space itself, so mapping
    every separator to a space and splitting on spaces finds the same tags in fewer passes."""
    plain = pc.fill_null(pc.ascii_is_printable(raw), True)
    if pc.all(plain).as_py() is not False:
        return _plain_text_tags(raw)
    fast, slow = pc.indices_nonzero(plain), pc.indices_nonzero(pc.invert(plain))
    return _combine(
        len(raw),
        [(fast, _plain_text_tags(raw.take(fast))), (slow, _hashtags_reference(raw.take(slow)))],
    )


def _plain_text_tags(raw: pa.Array) -> pa.Array:
    # Lower-case and turn every separator into a space, byte by byte through a lookup table
    # (printable ASCII only reaches here), then split at spaces.
    buffers = raw.buffers()
    data = np.frombuffer(buffers[2], dtype=np.uint8) if buffers[2] is not None else None
    if data is None or not len(data):
        spaced = raw
    else:
        mapped = pa.py_buffer(_SEPARATORS_TO_SPACE[data].tobytes())
        spaced = pa.StringArray.from_buffers(
            len(raw), buffers[1], mapped, buffers[0], raw.null_count, raw.offset
        )
    pieces = pc.ascii_split_whitespace(spaced)
    tags, keep = _tag_items(pc.list_flatten(pieces))
    return _regroup(tags, pc.filter(pc.list_parent_indices(pieces), keep), len(raw))


def _separator_table() -> np.ndarray:
    table = np.arange(256, dtype=np.uint8)
    table[ord("A") : ord("Z") + 1] += ord("a") - ord("A")
    for ch in " \t\n\f\r,;|[]'\"#":
        table[ord(ch)] = ord(" ")
    return table


_SEPARATORS_TO_SPACE = _separator_table()


def _tag_items(items: pa.Array) -> tuple[pa.Array, pa.Array]:
    """'#' + the item without its leading '#'s, and which items are real tags."""
    stripped = pc.utf8_ltrim(items, characters="#")
    keep = pc.and_(
        pc.not_equal(stripped, ""), pc.invert(pc.is_in(stripped, value_set=_MISSING_VALUES))
    )
    return pc.binary_join_element_wise("#", pc.filter(stripped, keep), ""), keep


def _hashtags_from_lists(lists: pa.Array) -> pa.Array:
    """Tags from list cells (Parquet, JSON): the rule applied to the items joined by spaces.

    Rows whose items are all plain tags take a per-item shortcut with the same result; the rest
    (and rows with a null item, which the join makes empty) are joined and read as text. A plain
    item is '#'s then letters, digits and '_' only: no separator, quote, bracket or white space,
    so the rule reads it as exactly one tag, itself lower-cased without the '#'s.
    """
    n = len(lists)
    plain = _plain_items(lists)
    if pc.all(plain).as_py() is not False:
        return _plain_list_tags(lists)
    parents = pc.list_parent_indices(lists)
    odd_rows = pc.unique(pc.filter(parents, pc.invert(plain)))
    fast_rows = pc.indices_nonzero(
        pc.invert(pc.is_in(pa.array(np.arange(n, dtype=np.int64)), value_set=odd_rows))
    )
    slow = _hashtags_from_text(pc.binary_join(lists.take(odd_rows), " "))
    return _combine(n, [(fast_rows, _plain_list_tags(lists.take(fast_rows))), (odd_rows, slow)])


def _plain_items(lists: pa.Array) -> pa.Array:
    # a null item is no plain item (the dictionary's take gives null for it)
    return pc.fill_null(_on_distinct(pc.list_flatten(lists), _plain_item), False)


def _plain_item(items: pa.Array) -> pa.Array:
    stripped = pc.utf8_ltrim(items, characters="#")
    return pc.fill_null(pc.utf8_is_alnum(pc.replace_substring(stripped, "_", "0")), False)


def _plain_list_tags(lists: pa.Array) -> pa.Array:
    # one struct per item, (tag, is a tag), so the distinct items are read once for both
    pairs = _on_distinct(pc.list_flatten(lists), _plain_tag_pairs)
    tags, keep = pc.struct_field(pairs, [0]), pc.fill_null(pc.struct_field(pairs, [1]), False)
    return _regroup(
        pc.filter(tags, keep), pc.filter(pc.list_parent_indices(lists), keep), len(lists)
    )


def _plain_tag_pairs(items: pa.Array) -> pa.Array:
    """(the tag, whether it is one) per item: '#' + the item lower-cased without its '#'s."""
    stripped = pc.utf8_ltrim(pc.utf8_lower(items), characters="#")
    keep = pc.fill_null(
        pc.and_(
            pc.not_equal(stripped, ""), pc.invert(pc.is_in(stripped, value_set=_MISSING_VALUES))
        ),
        False,
    )
    tags = pc.binary_join_element_wise("#", stripped, "")
    return pa.StructArray.from_arrays([tags, keep], names=["tag", "keep"])


def _combine(n: int, parts: list[tuple[pa.Array, pa.Array]]) -> pa.Array:
    """One list<string> of length n from lists computed for subsets of its rows."""
    items = pa.concat_arrays([pc.list_flatten(lists) for _, lists in parts])
    owners = pa.concat_arrays(
        [pc.cast(rows, pa.int64()).take(pc.list_parent_indices(lists)) for rows, lists in parts]
    )
    order = pc.sort_indices(owners)  # stable: a row's tags keep their order
    return _regroup(items.take(order), owners.take(order), n)


def _regroup(items: pa.Array, parents: pa.Array, n: int) -> pa.Array:
    """Rebuild a list<string> of length n from flat items and their ascending parent rows."""
    import numpy as np

    counts = (
        np.bincount(np.asarray(parents, dtype=np.int64), minlength=n)
        if len(parents)
        else np.zeros(n, np.int64)
    )
    offsets = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(counts, out=offsets[1:])
    return pa.ListArray.from_arrays(pa.array(offsets), items)


# Niche labels: exports misspell and weight them ("fasion", "fashion 0.5").
NICHES = (
    "fashion",
    "beauty",
    "fitness",
    "food",
    "travel",
    "family",
    "parenting",
    "pet",
    "interior",
    "home",
    "lifestyle",
    "tech",
    "gaming",
    "music",
    "sports",
    "health",
    "wellness",
    "finance",
    "education",
    "art",
    "photography",
    "comedy",
    "automotive",
    "diy",
    "outdoor",
    "vegan",
    "skincare",
    "makeup",
    "cooking",
    "business",
    "entertainment",
    "books",
    "dance",
    "design",
    "wedding",
    "luxury",
    "sustainability",
    "other",
)


def normalise_category(label: str) -> tuple[str, str | None]:
    """(canonical label, note) for one niche label: weights dropped, near-miss spellings corrected."""
    import difflib

    text = re.sub(r"\s+\d+(\.\d+)?\s*$", "", label.strip().lower())
    text = re.sub(r"\s+", " ", text)
    if not text or text in NICHES:
        return text, (
            f"category {label!r} read as {text!r}" if text != label.strip().lower() else None
        )
    close = difflib.get_close_matches(text, NICHES, n=1, cutoff=0.83)
    if close:
        return close[0], f"category {label!r} read as {close[0]!r}"
    return text, None


def parse_categories(arr: pa.Array, ctx: ColumnContext) -> Parsed:
    notes: dict[str, int] = {}

    def one(cell: str) -> list[str]:
        items = []
        for item in v.parse_list(cell):
            label, note = normalise_category(item)
            if note:
                notes[note] = notes.get(note, 0) + 1
            if label:
                items.append(label)
        return list(dict.fromkeys(items))

    if pa.types.is_list(arr.type):
        arr = pc.cast(pc.binary_join(pc.cast(arr, pa.list_(pa.string())), ","), pa.string())
    parsed = _map_python(arr, one, pa.list_(pa.string()))
    ctx.notes.extend(notes)
    values = pc.if_else(
        pc.is_null(parsed.values), pa.scalar([], pa.list_(pa.string())), parsed.values
    )
    return Parsed(values, parsed.bad)


PARSERS: dict[Kind, Callable[[pa.Array, ColumnContext], Parsed]] = {
    Kind.TEXT: parse_text,
    Kind.ID: parse_id,
    Kind.HANDLE: parse_handle,
    Kind.PLATFORM: parse_platform,
    Kind.COUNT: parse_count,
    Kind.NUMBER: parse_number,
    Kind.RATIO: parse_ratio,
    Kind.CURRENCY: parse_currency,
    Kind.COUNTRY: parse_country,
    Kind.LANGUAGE: parse_language,
    Kind.CATEGORIES: parse_categories,
    Kind.HASHTAGS: parse_hashtags,
    Kind.BOOL: parse_bool,
    Kind.DATETIME: parse_datetime,
    Kind.POST_TYPE: parse_post_type,
}

ARROW_TYPES: dict[Kind, pa.DataType] = {
    Kind.TEXT: pa.string(),
    Kind.ID: pa.string(),
    Kind.HANDLE: pa.string(),
    Kind.PLATFORM: pa.string(),
    Kind.COUNT: pa.int64(),
    Kind.NUMBER: pa.float64(),
    Kind.RATIO: pa.float64(),
    Kind.MONEY: pa.float64(),
    Kind.CURRENCY: pa.string(),
    Kind.COUNTRY: pa.string(),
    Kind.LANGUAGE: pa.string(),
    Kind.CATEGORIES: pa.list_(pa.string()),
    Kind.HASHTAGS: pa.list_(pa.string()),
    Kind.BOOL: pa.bool_(),
    Kind.DATETIME: pa.timestamp("us"),
    Kind.POST_TYPE: pa.string(),
}


def is_finite_number(x: float | None) -> bool:
    return x is not None and math.isfinite(x)
