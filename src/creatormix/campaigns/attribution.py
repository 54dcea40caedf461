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


# Shopify's financial statuses, plus the words of the other common exports: WooCommerce
# ("processing" = payment received, awaiting fulfilment; "completed"; "on-hold"; "failed") and
# payment processors ("succeeded", "captured", "settled"). Anything else is named at import.
PAID_STATUSES = frozenset(
    {
        "paid",
        "partially_paid",
        "partially_refunded",
        "completed",
        "complete",
        "processing",
        "succeeded",
        "captured",
        "settled",
    }
)
PENDING_STATUSES = frozenset(
    {"pending", "authorized", "partially_authorized", "unpaid", "on_hold", "pending_payment"}
)
CANCELLED_STATUSES = frozenset({"voided", "cancelled", "canceled", "expired", "failed"})


class OrderState:
    """What an order counts as: revenue, payment still to come, or nothing."""

    COUNTED = "counted"  # paid or partially paid (or no status given): revenue and an order
    PENDING = "pending"  # pending / authorized: reported apart, not revenue until paid
    CANCELLED = "cancelled"  # cancelled, voided or expired
    REFUNDED = "refunded"  # refunded in full
    OTHER = "unknown status"  # a status we do not know: not counted, named at import


def status_key(status: str | None) -> str:
    """``"Partially Refunded"`` -> ``partially_refunded``; "" when no status was given."""
    return (status or "").strip().lower().replace(" ", "_").replace("-", "_")


def order_state(order: Order) -> tuple[str, float]:
    """(state, net revenue). Net revenue is the subtotal (after discounts, before shipping and
    taxes; the total when no subtotal is given) minus refunds, never below zero; it is 0 for
    cancelled and fully refunded orders and is revenue only for ``COUNTED`` ones."""
    status = status_key(order.financial_status)
    if order.cancelled or status in CANCELLED_STATUSES:
        return OrderState.CANCELLED, 0.0
    gross = order.subtotal if order.subtotal is not None else (order.total or 0.0)
    net = max(0.0, gross - order.refunded)
    if status == "refunded" or (gross > 0 and net == 0.0):
        return OrderState.REFUNDED, 0.0
    if status in PENDING_STATUSES:
        return OrderState.PENDING, net
    if status and status not in PAID_STATUSES:
        return OrderState.OTHER, net
    return OrderState.COUNTED, net


def net_revenue(order: Order) -> tuple[float, bool]:
    """(revenue, counts as an order): ``order_state``'s net for counted orders, else (0, False)."""
    state, net = order_state(order)
    return (net, True) if state == OrderState.COUNTED else (0.0, False)


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
        state, net = order_state(order)
        counts = state == OrderState.COUNTED
        deal, method, reason = _match(order, keys, clicks, default_window_days)
        clicked = method is AttributionMethod.LINK or (
            deal is not None and _by_click(order, keys, clicks, default_window_days)[0] == deal
        )
        out.append(
            Attribution(
                order.order_key,
                deal,
                method,
                net if counts else 0.0,
                order.currency,
                counts,
                reason,
                state=state,
                pending=net if state == OrderState.PENDING else 0.0,
                ordered_at=order.ordered_at,
                discount_codes=tuple(normalise_code(c) for c in order.discount_codes),
                utm_campaign=order.utm_campaign,
                clicked=clicked,
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
        deal, reason = _by_click(order, keys, clicks, default_window)
        return deal, (AttributionMethod.NONE if deal is None else AttributionMethod.LINK), reason
    if order.discount_codes:
        return None, AttributionMethod.NONE, "discount code of no deal"
    return None, AttributionMethod.NONE, "no code and no tracking parameters"


def _by_click(
    order: Order,
    keys: DealKeys,
    clicks: Mapping[int, Sequence[datetime]],
    default_window: int,
) -> tuple[int | None, str]:
    """The deal the order's UTM names when its link was clicked within the window before the
    order, else None; and why."""
    if not (order.utm_campaign and order.utm_content):
        return None, "no tracking parameters"
    key = (order.utm_campaign.strip().lower(), order.utm_content.strip().lower().lstrip("@"))
    deal = keys.by_utm.get(key)
    if deal is None:
        return None, f"utm {key[0]}/{key[1]} names no deal"
    if order.ordered_at is None:
        return None, "utm matches a deal but the order has no time"
    window = keys.window_days.get(deal, default_window)
    last = last_click_before(clicks.get(deal, ()), order.ordered_at)
    if last is None or order.ordered_at - last > timedelta(days=window):
        return (
            None,
            f"utm names deal {deal} but no click on its link in the {window} days before the order",
        )
    return deal, f"last click {last:%Y-%m-%d %H:%M} within {window} days"


def last_click_before(times: Sequence[datetime], at: datetime) -> datetime | None:
    i = bisect.bisect_right(times, at)
    return times[i - 1] if i else None


def unknown_codes(unattributed: Sequence[Attribution], keys: DealKeys) -> dict[str, int]:
    """Codes of no deal on unattributed orders, with how many orders used each (an order that
    reached a deal through another code or a click does not list its other codes here)."""
    out: dict[str, int] = {}
    for a in unattributed:
        if a.deal_id is not None:
            continue
        for c in dict.fromkeys(a.discount_codes):
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
