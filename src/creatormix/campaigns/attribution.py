"""Which deal an order belongs to: a discount code beats a link click; else the last click within
the window; refunds and cancellations subtract. See docs/attribution.md.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from creatormix.campaigns.codes import normalise_code
from creatormix.domain.campaigns import Attribution, AttributionMethod, Order

DEFAULT_WINDOW_DAYS = 30


@dataclass(frozen=True)
class DealKeys:
    """How orders find deals: by discount code, and by (utm_campaign, utm_content)."""

    by_code: Mapping[str, int]  # normalised discount code -> deal_id
    by_utm: Mapping[tuple[str, str], int]  # (campaign slug, handle) -> deal_id
    window_days: Mapping[int, int]  # deal_id -> its campaign's attribution window


def net_revenue(order: Order) -> tuple[float, bool]:
    """(net revenue, counts as a conversion). Revenue is the subtotal (after discounts, before
    shipping and taxes; the total when no subtotal is given) minus refunds, never below zero."""
    if order.cancelled:
        return 0.0, False
    gross = order.subtotal if order.subtotal is not None else (order.total or 0.0)
    net = max(0.0, gross - order.refunded)
    fully_refunded = (order.financial_status or "").lower() == "refunded" or (
        gross > 0 and net == 0.0
    )
    return (0.0 if fully_refunded else net), not fully_refunded


def attribute(
    orders: Sequence[Order],
    keys: DealKeys,
    clicks: Mapping[int, Sequence[datetime]],
    *,
    default_window_days: int = DEFAULT_WINDOW_DAYS,
) -> list[Attribution]:
    """One attribution per order. ``clicks`` maps deal_id to its click times, sorted ascending."""
    out = []
    for order in orders:
        revenue, counts = net_revenue(order)
        deal, method, reason = _match(order, keys, clicks, default_window_days)
        out.append(
            Attribution(
                order.order_key,
                deal,
                method,
                revenue,
                order.currency,
                counts,
                reason,
            )
        )
    return out


def _match(
    order: Order,
    keys: DealKeys,
    clicks: Mapping[int, Sequence[datetime]],
    default_window: int,
) -> tuple[int | None, AttributionMethod, str]:
    for code in order.discount_codes:
        deal = keys.by_code.get(normalise_code(code))
        if deal is not None:
            return deal, AttributionMethod.CODE, f"discount code {normalise_code(code)}"
    if order.utm_campaign and order.utm_content:
        key = (order.utm_campaign.strip().lower(), order.utm_content.strip().lower().lstrip("@"))
        deal = keys.by_utm.get(key)
        if deal is None:
            return None, AttributionMethod.NONE, f"utm {key[0]}/{key[1]} names no deal"
        if order.ordered_at is None:
            return None, AttributionMethod.NONE, "utm matches a deal but the order has no time"
        window = keys.window_days.get(deal, default_window)
        last = last_click_before(clicks.get(deal, ()), order.ordered_at)
        if last is None or order.ordered_at - last > timedelta(days=window):
            return (
                None,
                AttributionMethod.NONE,
                f"utm names deal {deal} but no click on its link in the {window} days before the order",
            )
        return (
            deal,
            AttributionMethod.LINK,
            f"last click {last:%Y-%m-%d %H:%M} within {window} days",
        )
    if order.discount_codes:
        return None, AttributionMethod.NONE, "discount code of no deal"
    return None, AttributionMethod.NONE, "no code and no tracking parameters"


def last_click_before(times: Sequence[datetime], at: datetime) -> datetime | None:
    i = bisect.bisect_right(times, at)
    return times[i - 1] if i else None


def unknown_codes(orders: Sequence[Order], keys: DealKeys) -> dict[str, int]:
    """Discount codes used on orders that belong to no deal, with how many orders used each."""
    out: dict[str, int] = {}
    for order in orders:
        for code in order.discount_codes:
            c = normalise_code(code)
            if c and c not in keys.by_code:
                out[c] = out.get(c, 0) + 1
    return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))


def convert(amount: float, currency: str | None, target: str, rates: Mapping[str, float]) -> float:
    """``amount`` in ``target`` using a user-supplied rate (1 unit of ``currency`` = rate x target).

    KeyError names the missing currency: rates are never guessed.
    """
    if currency is None or currency.upper() == target.upper() or amount == 0:
        return amount
    rate = rates.get(currency.upper())
    if rate is None:
        raise KeyError(currency.upper())
    return amount * rate
