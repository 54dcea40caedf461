"""Values as people type them into a form or a query string: counts (10k), rates (3%), lists."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from creatormix.errors import InvalidOption

_COUNT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmb]?)\s*$", re.IGNORECASE)
_MULT = {"": 1, "k": 1_000, "m": 1_000_000, "b": 1_000_000_000}


def blank(text: str | None) -> bool:
    return text is None or not text.strip()


def count(text: str | None, field: str) -> int | None:
    """``10k`` -> 10000, ``1.5m`` -> 1500000; empty -> None."""
    if blank(text):
        return None
    assert text is not None
    match = _COUNT.match(text)
    if not match:
        raise InvalidOption(
            f"{field} {text!r}: expected a count such as 5000, 10k or 1.5m", field=field
        )
    try:
        value = Decimal(match[1]) * _MULT[match[2].lower()]
    except InvalidOperation:
        raise InvalidOption(f"{field} {text!r}: not a number", field=field) from None
    if value != value.to_integral_value():
        raise InvalidOption(f"{field} {text!r}: a count is a whole number", field=field)
    return int(value)


def rate(text: str | None, field: str) -> float | None:
    """``3%`` or ``0.03`` -> 0.03; a bare number of 1 or more is read as percent; empty -> None."""
    if blank(text):
        return None
    assert text is not None
    raw = text.strip()
    try:
        value = float(raw.rstrip("%").strip())
    except ValueError:
        raise InvalidOption(
            f"{field} {text!r}: expected a rate such as 3% or 0.03", field=field
        ) from None
    if raw.endswith("%") or value >= 1:
        value /= 100
    if not 0 <= value <= 1:
        raise InvalidOption(f"{field} {text!r}: a rate lies between 0% and 100%", field=field)
    return value


def score(text: str | None, field: str) -> int | None:
    """A 0-100 score; empty -> None."""
    if blank(text):
        return None
    assert text is not None
    try:
        value = int(text.strip())
    except ValueError:
        raise InvalidOption(
            f"{field} {text!r}: expected a whole number from 0 to 100", field=field
        ) from None
    if not 0 <= value <= 100:
        raise InvalidOption(f"{field} {text!r}: scores run from 0 to 100", field=field)
    return value


def many(values: list[str] | None) -> tuple[str, ...]:
    """Repeated parameters that also take commas: tier=micro,mid&tier=macro."""
    out: list[str] = []
    for v in values or []:
        out.extend(p.strip() for p in v.split(",") if p.strip())
    return tuple(dict.fromkeys(out))
