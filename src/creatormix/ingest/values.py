"""Scalar value parsers: one cell of text in, a typed value or a ``ValueError`` with a reason out.

These are the reference definitions. ``ingest.vector`` applies the same rules to whole Arrow
columns at once and falls back to these functions only to word the reason for a bad cell; a
property test holds the two to the same answers.

Numbers as exports write them: ``3.3k``, ``475.8m``, ``29.0b``, ``1,234`` (``1.234`` where the
locale uses a decimal comma), ``1.2e6``, ``12 345``, ``1.39%``. Missing values: empty, ``nan``,
``NaN%``, ``none``, ``null``, ``n/a``, ``-``, ``—``. A count is rounded to the nearest integer
(half to even) after its suffix is applied; without a suffix it must be whole ("5.5" followers is
refused, and "1.234" in a decimal-point file says that a decimal comma would read it as 1234). A
count of the form "12.000" is refused as ambiguous when the decimal point was only assumed.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

MISSING = frozenset(
    {
        "",
        "nan",
        "nan%",
        "none",
        "null",
        "nil",
        "n/a",
        "na",
        "#n/a",
        "-",
        "--",
        "—",
        "–",
        "?",
        "#value!",
        "undefined",
    }
)

SUFFIXES = {"": 1.0, "k": 1e3, "m": 1e6, "mm": 1e6, "mn": 1e6, "b": 1e9, "bn": 1e9}
_SUFFIX_RE = "k|mm|mn|m|bn|b"

# Characters that stand for a minus sign or a thousands gap in exports.
MINUS_CHARS = "\u2212\u2012\u2013"
GAP_CHARS = " \u00a0\u202f\u2009'"


@dataclass(frozen=True)
class Locale:
    """How a file writes numbers: ``decimal`` is "." (1,234.5) or "," (1.234,5).

    ``assumed`` marks the decimal point taken for want of evidence (no --decimal, no number in the
    file that only one convention writes); a count such as "12.000" is then ambiguous.
    """

    decimal: str = "."
    assumed: bool = False

    def __post_init__(self) -> None:
        if self.decimal not in {".", ","}:
            raise ValueError("decimal separator must be '.' or ','")

    @property
    def thousands(self) -> str:
        return "," if self.decimal == "." else "."

    def number_pattern(self) -> str:
        """The regular expression (RE2 and Python compatible) that a number must match."""
        d, t = re.escape(self.decimal), re.escape(self.thousands)
        gaps = "[" + re.escape(GAP_CHARS) + "]"
        grouped = rf"[0-9]{{1,3}}(?:{t}[0-9]{{3}})+|[0-9]{{1,3}}(?:{gaps}[0-9]{{3}})+|[0-9]+"
        # ASCII classes only: Python's \d and \s are Unicode-aware, RE2's (Arrow, DuckDB) are not.
        return (
            rf"^(?P<sign>[+-]?)(?P<int>{grouped})?(?:{d}(?P<frac>[0-9]*))?"
            rf"(?:e(?P<exp>[+-]?[0-9]{{1,3}}))?[ \t]*(?P<suf>{_SUFFIX_RE})?(?P<pct>[ \t]*%)?$"
        )


EN = Locale(".")
DE = Locale(",")
ASSUMED_EN = Locale(".", assumed=True)  # a decimal point for want of evidence

_PATTERNS: dict[str, re.Pattern[str]] = {}


def _pattern(locale: Locale) -> re.Pattern[str]:
    key = locale.decimal
    if key not in _PATTERNS:
        _PATTERNS[key] = re.compile(locale.number_pattern())
    return _PATTERNS[key]


def normalise_cell(text: str) -> str:
    """Trim, lower-case and turn typographic minus signs into '-'; the first step of every parser."""
    text = text.strip().lower()
    for ch in MINUS_CHARS:
        text = text.replace(ch, "-")
    return text


def is_missing(text: str | None) -> bool:
    return text is None or normalise_cell(text) in MISSING


@dataclass(frozen=True)
class ParsedNumber:
    value: float
    percent: bool
    suffix: str


def parse_number_parts(text: str, locale: Locale = EN) -> ParsedNumber | None:
    """Parse a number with an optional k/m/b suffix and % sign; None when missing.

    Raises ValueError with a reason when the cell is not a number.
    """
    cell = normalise_cell(text)
    if cell in MISSING:
        return None
    match = _pattern(locale).fullmatch(cell)
    if not match or (match["int"] is None and not match["frac"]):
        raise ValueError(_why_not_number(cell, locale))
    if match["suf"] and match["pct"]:
        raise ValueError("a number cannot have both a k/m/b suffix and a % sign")
    digits = re.sub(r"[^0-9]", "", match["int"] or "") or "0"  # drop thousands separators
    literal = f"{match['sign']}{digits}.{match['frac'] or ''}e{match['exp'] or '0'}"
    value = float(literal) * SUFFIXES[match["suf"] or ""]
    if not math.isfinite(value):
        raise ValueError("number is too large")
    return ParsedNumber(value=value, percent=bool(match["pct"]), suffix=match["suf"] or "")


def _why_not_number(cell: str, locale: Locale) -> str:
    other = DE if locale.decimal == "." else EN
    alt = _pattern(other).fullmatch(cell)
    if alt and (alt["int"] is not None or alt["frac"]):
        sep = "comma" if other.decimal == "," else "point"
        return f"not a number in this file's locale (it would read with a decimal {sep}: pass --decimal '{other.decimal}')"
    if re.search(r"\d", cell):
        return "not a number (unexpected characters)"
    return "not a number"


def parse_float(text: str, locale: Locale = EN) -> float | None:
    """A plain or suffixed number; a trailing % divides by 100."""
    parts = parse_number_parts(text, locale)
    if parts is None:
        return None
    return parts.value / 100.0 if parts.percent else parts.value


def parse_count(text: str, locale: Locale = EN) -> int | None:
    """A non-negative whole count (followers, likes): a k/m/b suffix may leave a fraction, which is
    rounded half to even ("3.35k"); without one the number must be whole ("1234.0", not "5.5")."""
    parts = parse_number_parts(text, locale)
    if parts is None:
        return None
    if parts.percent:
        raise ValueError("a count cannot be a percentage")
    if parts.value < 0:
        raise ValueError("a count cannot be negative")
    if parts.value > 9.2e18:
        raise ValueError("count is too large")
    if not parts.suffix and not parts.value.is_integer():
        raise ValueError(fractional_count_reason(text, locale))
    if locale.assumed and AMBIGUOUS_COUNT.fullmatch(normalise_cell(text)):
        raise ValueError(ambiguous_count_reason())
    return round(parts.value)


AMBIGUOUS_COUNT = re.compile(r"[+]?[0-9]{1,3}\.000")
"""A count that reads as a whole number with either separator: 12.000 is 12 or 12000."""


def ambiguous_count_reason() -> str:
    """Why "12.000" is refused when nothing in the file says which separator it uses; the same
    words for every such cell, so the import summary counts them as one reason."""
    return (
        "ambiguous count: '.' may be a decimal point (12.000 = 12) or separate thousands "
        "(12.000 = 12000), and no other number in the file says which; pass --decimal ',' "
        "for thousands or --decimal '.' for a decimal point"
    )


def fractional_count_reason(text: str, locale: Locale = EN) -> str:
    """Why a count with a fractional part is refused, with the --decimal hint when the cell reads
    as a whole number with the other separator ("1.234" = 1234 with a decimal comma)."""
    thousands = re.escape(locale.decimal)  # the separator the other locale groups thousands with
    if re.fullmatch(rf"[+]?[0-9]{{1,3}}(?:{thousands}[0-9]{{3}})+", normalise_cell(text)):
        other = "," if locale.decimal == "." else "."
        sep = "comma" if other == "," else "point"
        return (
            f"a count must be a whole number; with a decimal {sep} this would read as "
            f"{re.sub(r'[^0-9]', '', text)} (if '{locale.decimal}' separates thousands in this file, "
            f"pass --decimal '{other}')"
        )
    return "a count must be a whole number (it has a fractional part and no k/m/b suffix)"


def parse_ratio(text: str, locale: Locale = EN, *, percent_points: bool = False) -> float | None:
    """A rate as a fraction from 0 to 1: "1.39%" -> 0.0139; a bare number is a fraction unless the
    column is known to hold percentage points (``percent_points``). Above 100% is refused."""
    parts = parse_number_parts(text, locale)
    if parts is None:
        return None
    if parts.suffix:
        raise ValueError("a rate cannot have a k/m/b suffix")
    value = parts.value / 100.0 if (parts.percent or percent_points) else parts.value
    if value < 0:
        raise ValueError("a rate cannot be negative")
    if value > 1.0:
        raise ValueError(rate_above_100_reason(value))
    return value


def rate_above_100_reason(value: float) -> str:
    """Why a rate (a fraction after any percent conversion) above 1 is refused."""
    return f"a rate cannot be above 100% (this one reads as {value * 100:,.6g}%)"


_CURRENCY_SYMBOLS = {
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₹": "INR",
    "₩": "KRW",
    "r$": "BRL",
    "chf": "CHF",
}
_MONEY_RE = re.compile(
    r"(?P<pre>[a-z]{3}|r\$|[$€£¥₹₩])?\s*(?P<num>.*?)\s*(?P<post>[a-z]{3}|[$€£¥₹₩])?", re.DOTALL
)


def parse_money(text: str, locale: Locale = EN) -> tuple[float, str | None] | None:
    """An amount with an optional currency symbol or ISO 4217 code: "$1,200", "450 EUR",
    "1.200,00 €". Letters that are no currency code make the cell "not an amount" ("abc")."""
    cell = normalise_cell(text)
    if cell in MISSING:
        return None
    if not re.search(r"[0-9]", cell):
        raise ValueError("not an amount (there is no number in it)")
    match = _MONEY_RE.fullmatch(cell)
    assert match is not None  # the pattern matches any string
    pre, post = match["pre"], match["post"]
    if pre and post:
        raise ValueError("two currency markers")
    marker = pre or post
    currency = None
    if marker:
        currency = _CURRENCY_SYMBOLS.get(marker) or (
            marker.upper() if is_currency_code(marker) else None
        )
        if currency is None:
            raise ValueError(f"not an amount ({marker!r} is no currency code or symbol)")
    amount = parse_float(match["num"], locale)
    if amount is None:
        raise ValueError("amount is missing")
    if amount < 0:
        raise ValueError("a price cannot be negative")
    return amount, currency


@cache
def is_currency_code(text: str) -> bool:
    """Whether ``text`` is an ISO 4217 currency code (pycountry's list), in any case."""
    import pycountry

    code = text.strip().upper()
    return (
        bool(re.fullmatch(r"[A-Z]{3}", code)) and pycountry.currencies.get(alpha_3=code) is not None
    )


_TRUE = frozenset(
    {"true", "t", "yes", "y", "1", "x", "✓", "✔", "oui", "ja", "sponsored", "ad", "paid"}
)
_FALSE = frozenset({"false", "f", "no", "n", "0", "non", "nein", "organic"})


def parse_bool(text: str) -> bool | None:
    cell = normalise_cell(text)
    if cell in _TRUE:
        return True
    if cell in _FALSE:
        return False
    if cell in MISSING:
        return None
    raise ValueError("not a yes/no value")


DATETIME_FORMATS = (
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%dT%H:%M:%S.%f%z",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M:%S.%f",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y%m%d",  # GA4 exports write dates as 20240315
)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def parse_datetime(text: str, *, dayfirst: bool = False) -> datetime | None:
    """ISO 8601 (with or without zone), ``2023/04/01``, ``01/04/2023`` (``dayfirst`` decides), or a
    Unix time in seconds or milliseconds. Returned as naive UTC."""
    cell = text.strip()
    if normalise_cell(cell) in MISSING:
        return None
    iso = cell.replace("Z", "+00:00").replace("z", "+00:00")
    try:
        parsed = datetime.fromisoformat(iso)
    except ValueError:
        parsed = _parse_other_datetime(cell, dayfirst)
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    if not 1990 <= parsed.year <= 2100:
        raise ValueError("date is outside 1990-2100")
    return parsed


def _parse_other_datetime(cell: str, dayfirst: bool) -> datetime:
    if re.fullmatch(r"\d{9,13}(\.\d+)?", cell):
        seconds = float(cell)
        if seconds > 1e11:  # milliseconds
            seconds /= 1000.0
        return (_EPOCH + timedelta(seconds=seconds)).replace(tzinfo=None)
    slash = re.fullmatch(
        r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?", cell
    )
    if slash:
        a, b, year = int(slash[1]), int(slash[2]), int(slash[3])
        day, month = (a, b) if dayfirst else (b, a)
        hour, minute, second = (int(slash[i] or 0) for i in (4, 5, 6))
        try:
            return datetime(year, month, day, hour, minute, second)
        except ValueError as exc:
            order = "day/month" if dayfirst else "month/day"
            raise ValueError(f"not a valid date when read as {order}/year") from exc
    for fmt in DATETIME_FORMATS:
        try:
            return datetime.strptime(cell, fmt)
        except ValueError:
            continue
    raise ValueError(
        "not a date or time (expected ISO 8601 such as 2024-05-31 or 2024-05-31T18:00:00)"
    )


_LIST_SPLIT = re.compile(r"\s*[,;|/]\s*")


def parse_list(text: str) -> tuple[str, ...]:
    """A list cell: a JSON or Python list literal (``['#a', '#b']``) or items split by , ; | /."""
    cell = text.strip()
    if normalise_cell(cell) in MISSING:
        return ()
    if cell.startswith("[") and cell.endswith("]"):
        inner = cell[1:-1].strip()
        if not inner:
            return ()
        try:
            items = json.loads(cell)
        except json.JSONDecodeError:
            items = [m.group(2) for m in re.finditer(r"(['\"])(.*?)\1", inner)]
            if not items:
                raise ValueError("not a list (unbalanced quotes)") from None
        return tuple(str(i).strip() for i in items if str(i).strip())
    return tuple(p for p in _LIST_SPLIT.split(cell) if p)


def parse_hashtags(text: str) -> tuple[str, ...]:
    """Hashtags from a list cell or from free text: lower case, with the leading '#'."""
    cell = text.strip()
    if normalise_cell(cell) in MISSING:
        return ()
    if cell.startswith("["):
        items = parse_list(cell)
    else:
        items = tuple(re.findall(r"#?[^\s#,;|]+", cell))
    return tuple(dict.fromkeys("#" + i.lstrip("#").lower() for i in items if i.lstrip("#")))


def hashtags_in(caption: str) -> tuple[str, ...]:
    """The hashtags written inside a caption, in order, without repeats."""
    return tuple(
        dict.fromkeys(m.lower() for m in re.findall(r"#[^\s#.,;:!?()\[\]{}\"']+", caption))
    )


_MOJIBAKE = re.compile("[ÃÂâ][\u0080-\u00bf\u2018-\u203a\u0152-\u0178\u02c6\u02dc]")


def fix_mojibake(text: str) -> str:
    """Undo UTF-8 text that was decoded as Windows-1252 or Latin-1 once ("CÃ´te" -> "Côte").

    Only applied when the repaired text decodes cleanly, so correct text is never altered.
    """
    if not _MOJIBAKE.search(text):
        return text
    for codec in ("cp1252", "latin-1"):
        try:
            return text.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
    return text


def parse_text(text: str) -> str | None:
    """Free text: trimmed, missing markers become None, single-pass mojibake repaired."""
    cell = text.strip()
    if normalise_cell(cell) in MISSING:
        return None
    return fix_mojibake(cell)
