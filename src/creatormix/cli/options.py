"""Parsing of command-line option values: counts (10k), rates (3%), lists (FR,BE), bounds."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING

from creatormix.errors import InvalidOption

if TYPE_CHECKING:
    from creatormix.domain.platform import Platform

_COUNT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmb]?)\s*$", re.IGNORECASE)
_MULT = {"": 1, "k": 1_000, "m": 1_000_000, "b": 1_000_000_000}


def count(text: str | None, flag: str) -> int | None:
    """``10k`` -> 10000, ``1.5m`` -> 1500000; None passes through. A count that is not whole
    (``1.2345k`` = 1234.5) is refused rather than rounded to a bound the user did not write."""
    if text is None:
        return None
    match = _COUNT.match(text)
    if not match:
        raise InvalidOption(f"{flag} {text!r}: expected a count such as 5000, 10k or 1.5m")
    value = Decimal(match[1]) * _MULT[match[2].lower()]  # exact: 1.15k is 1150, not 1149.99…
    if value != value.to_integral_value():
        raise InvalidOption(
            f"{flag} {text!r} is {value.normalize():f}; a count is a whole number "
            f"(e.g. {int(value)} or {int(value) + 1})"
        )
    return int(value)


def rate(text: str | None, flag: str) -> float | None:
    """``3%`` -> 0.03; ``0.03`` -> 0.03; a bare number of 1 or more is read as percent (``3`` -> 0.03)."""
    if text is None:
        return None
    raw = text.strip()
    try:
        value = float(raw.rstrip("%").strip())
    except ValueError:
        raise InvalidOption(f"{flag} {text!r}: expected a rate such as 3% or 0.03") from None
    if raw.endswith("%") or value >= 1:
        value /= 100
    if not 0 <= value <= 1:
        raise InvalidOption(f"{flag} {text!r}: a rate lies between 0% and 100%")
    return value


def comma_list(values: list[str] | None) -> list[str] | None:
    """Repeatable options that also accept commas, as written (None when none is given)."""
    if not values:
        return None
    out = [p.strip() for v in values for p in v.split(",") if p.strip()]
    return out or None


def split_many(values: list[str] | None) -> list[str]:
    """Repeatable options that also accept comma-separated lists: --tier micro,mid --tier macro."""
    out: list[str] = []
    for v in values or []:
        out.extend(
            p.strip().lower() if p.strip().isalpha() and len(p.strip()) > 3 else p.strip()
            for p in v.split(",")
            if p.strip()
        )
    return out


def platforms(values: list[str] | None) -> list[str]:
    return [platform(v, "--platform").value for v in split_many(values)]


def platform(text: str, flag: str) -> Platform:
    """A platform as users write it (IG, YouTube, twitter); an unknown one names the valid ones."""
    from creatormix.domain.platform import Platform

    try:
        return Platform.parse(text)
    except ValueError as exc:
        raise InvalidOption(f"{flag}: {exc}") from None


def bound(text: str | None, current: int | None, flag: str) -> int | None:
    """A tier bound option: a count, 'none' to drop the tier, or unchanged when omitted."""
    if text is None:
        return current
    if text.strip().lower() in {"none", "off", "-"}:
        return None
    return count(text, flag)


def delimiter(text: str | None) -> str | None:
    if text is None:
        return None
    named = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}
    value = named.get(text.lower(), text)
    if len(value) != 1:
        raise InvalidOption(
            f"--delimiter {text!r}: expected one character (or tab, comma, semicolon, pipe)"
        )
    return value
