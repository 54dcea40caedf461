"""How numbers are written for people: one rule for tables, sentences, charts and reports.

A plan's table and the sentence under it must show the same figure, so every layer that writes a
quantity in words (the planner's explanations, the frontier's answer, the CLI's tables, the
report) uses ``quantity`` here. Follower counts are the one exception: ``followers`` truncates,
so 9,999 never reads as "10.0k" next to a tier bound of 10k, and keeps a tenth of a million up to
999.9M (an export's "475.8m" reads as 475.8M, not 475M).
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

_SUFFIXES = ((10**9, "B"), (10**6, "M"), (10**3, "k"))


def _half_up(x: float, digits: int) -> float:
    """``x`` rounded half away from zero (Python's ``round`` rounds half to even: 2.5 -> 2)."""
    q = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(x)).quantize(q, rounding=ROUND_HALF_UP))


def quantity(x: float | None) -> str:
    """A quantity in short form, rounded half up: 596,931 -> "597k", 1,234,567 -> "1.2M",
    1,234 -> "1.2k", 412 -> "412", 1.76 -> "1.76", 0.0721 -> "0.0721"; None or NaN -> "—".

    Three significant digits below 100 so fractional outcomes (a mix score, content pieces,
    expected orders) never collapse to 0; whole numbers from 100 to 999; one decimal with a
    suffix below 100 of it (45.2k), none above (597k).
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    a = abs(x)
    for div, suffix in _SUFFIXES:
        # from where the next smaller unit would round up to this one (999.5 -> "1.0k", 999,500 ->
        # "1.0M"), not from where a tenth of this unit would (987.6 is "988", not "1.0k")
        if a >= div - div / 2000:
            v = _half_up(a / div, 1)
            if v >= 100:
                v = _half_up(a / div, 0)
                if v >= 1000 and div < 10**9:
                    continue  # 999,950 is 1.0M, not 1000k
                text = f"{v:.0f}{suffix}"
            else:
                text = f"{v:.1f}{suffix}"
            return ("-" if x < 0 else "") + text
    if a >= 100 or a == 0:
        v = _half_up(a, 0)
        if v >= 1000:
            return ("-" if x < 0 else "") + "1.0k"
        return ("-" if x < 0 else "") + f"{v:.0f}"
    return f"{x:.3g}"


def followers(n: float | None) -> str:
    """A follower (or any catalog) count in short form, truncated, never rounded up: 9,999 shows
    as "9.9k" and 999,999 as "999k", so a count never looks as if it crossed a tier bound.

    Millions and billions keep their tenth up to four digits (475,890,000 -> "475.8M", 29.0B),
    so a table agrees with an export's "475.8m"; thousands keep it below 100k only (45.2k, 597k).
    """
    if n is None or (isinstance(n, float) and math.isnan(n)):
        return "—"
    sign = "-" if n < 0 else ""
    whole = int(abs(float(n)))
    for div, suffix in _SUFFIXES:
        if whole >= div:
            tenths = whole * 10 // div
            if tenths < (10_000 if div >= 10**6 else 1000):
                return f"{sign}{tenths // 10}.{tenths % 10}{suffix}"
            return f"{sign}{whole // div}{suffix}"
    return f"{sign}{whole}"


# Currencies written with a symbol before the amount; any other is written "1,200 CHF".
CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}


def money(x: float | None, currency: str | None = "USD", *, short: bool = False) -> str:
    """An amount with its currency, the sign before the symbol: -$84, $11,072, -1,200 CHF.

    ``short`` writes the figure as ``quantity`` does (-$1.5k, $5.8k) for sentences and ranges;
    otherwise whole units with thousands separators, as tables show them. None or NaN -> "—".
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    figure = quantity(abs(x)) if short else f"{_half_up(abs(x), 0):,.0f}"
    sign = "-" if x < 0 and figure.strip("0.,") else ""  # -0.4 rounds to $0, not -$0
    code = currency or "USD"
    symbol = CURRENCY_SYMBOLS.get(code)
    return f"{sign}{symbol}{figure}" if symbol else f"{sign}{figure} {code}"


def money_range(
    low: float | None, high: float | None, currency: str | None = "USD", *, short: bool = True
) -> str:
    """A range of amounts with signed ends: $1.5k–$5.8k with an en dash, "-$1.5k to $5.8k" when an
    end is negative (a dash beside a minus sign reads as a double negative), one amount when both
    ends write the same (-$102, not "-$102 to -$102")."""
    a, b = money(low, currency, short=short), money(high, currency, short=short)
    if a == b:
        return a
    if a.startswith("-") or b.startswith("-"):
        return f"{a} to {b}"
    return f"{a}–{b}"


def quantity_range(low: float | None, high: float | None) -> str:
    """A range of quantities as ``money_range`` writes amounts: 1.2k–3.4k with an en dash,
    "-1.5k to 5.8k" when an end is negative, one figure when both ends write the same."""
    a, b = quantity(low), quantity(high)
    if a == b:
        return a
    if a.startswith("-") or b.startswith("-"):
        return f"{a} to {b}"
    return f"{a}–{b}"


def share(x: float) -> str:
    """A share for people: "<1%" for a small one that is not zero, never a misleading "0%"."""
    return "<1%" if 0 < x < 0.005 else f"{x:.0%}"


def gap(gap: float) -> str:
    """A proven optimality gap: "optimal", "<0.1%" or "0.4%"."""
    if gap <= 1e-9:
        return "optimal"
    return "<0.1%" if gap < 0.001 else f"{gap:.1%}"
