"""How figures are written in views: counts, followers, percentages, money, intervals, shares.

One place for every interface, so a table in the terminal and the same table on a page say the
same thing (quantities follow ``domain.numbers``).
"""

from __future__ import annotations

import math

# a gap and a share are written as every sentence writes them
from creatormix.domain.numbers import gap as gap
from creatormix.domain.numbers import share as share
from creatormix.domain.plan import Quantiles


def fmt_count(n: float | None) -> str:
    """A quantity in short form, rounded as every sentence rounds it (``domain.numbers``)."""
    from creatormix.domain.numbers import quantity

    return quantity(n)


def fmt_followers(n: float | None) -> str:
    """A follower count in short form, truncated: 9,999 shows as "9.9k", never "10.0k"."""
    from creatormix.domain.numbers import followers

    return followers(n)


def fmt_pct(x: float | None, digits: int = 2) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    return f"{x * 100:.{digits}f}%"


def fmt_money(x: float | None, currency: str | None = None) -> str:
    """An amount in whole units, the sign first: -$84 (``domain.numbers.money``)."""
    from creatormix.domain.numbers import money

    return money(x, currency)


def fmt_interval(low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return ""
    return f"{low * 100:.1f}–{high * 100:.1f}%"


def money(x: float, currency: str) -> str:
    """Two significant digits below 0.1 (costs per click can be fractions of a cent), two
    decimals below 100, none above."""
    symbol = {"USD": "$", "EUR": "€", "GBP": "£"}.get(currency.upper())
    a = abs(x)
    if a != 0 and a < 0.1:
        text = f"{a:.2g}"
    else:
        text = f"{a:,.2f}" if a < 100 else f"{a:,.0f}"
    sign = "-" if x < 0 and text.strip("0.,") else ""  # the sign first: -$84.00, never $-84.00
    return f"{sign}{symbol}{text}" if symbol else f"{sign}{text} {currency.upper()}"


def rate(x: float) -> str:
    """A rate with three significant digits, however small (4 / 120,000 is 0.00333%, not 0.00%)."""
    return f"{x * 100:.3g}%"


def exact(x: float) -> str:
    """A count in full: 12,000 (never 1.2e+04), 12.5 when it is fractional."""
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}".rstrip("0")


def quantiles(q: Quantiles | None, money: str | None = None) -> str:
    """ "1.2k  (P10 800 · P50 1.1k · P90 1.9k)", in ``money`` when given."""
    if q is None:
        return "—"
    f = (lambda v: fmt_money(v, money)) if money else fmt_count
    return f"{f(q.mean)}  (P10 {f(q.p10)} · P50 {f(q.p50)} · P90 {f(q.p90)})"
