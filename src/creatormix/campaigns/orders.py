"""Order and analytics rows, from parsed import records to one fact per order / per day and UTM.

Shopify's order export writes one row per line item; the order's totals, discount code, status and
refunds sit on its first row and the other rows leave them empty. Rows are grouped by order name:
each order-level field takes the first value given, quantities add up.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from creatormix.campaigns.links import utm_of
from creatormix.domain.imports import ImportWarning, Reject

_ORDER_LEVEL = (
    "ordered_at",
    "paid_at",
    "currency",
    "subtotal",
    "shipping",
    "taxes",
    "total",
    "discount_code",
    "discount_amount",
    "financial_status",
    "refunded",
    "cancelled_at",
    "landing_site",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_content",
)
_UTM = ("utm_source", "utm_medium", "utm_campaign", "utm_content")


def split_codes(cell: str | None) -> list[str]:
    """A discount-code cell may list several codes: "SPRING10, ANNA-7KQ4XM"."""
    if not cell:
        return []
    return [c.strip().upper() for c in re.split(r"[,;]", cell) if c.strip()]


def group_orders(
    records: Sequence[Mapping[str, Any]],
    file: str,
    locate: Callable[[int], int | None],
    id_column: str = "order_id",
) -> tuple[list[dict[str, Any]], list[Reject]]:
    """One row per order (``order_id``); records without an order id are rejected, naming the
    file's own column for it (``id_column``, e.g. Shopify's ``Name``)."""
    groups: dict[str, dict[str, Any]] = {}
    rejects: list[Reject] = []
    for rec in records:
        raw = rec.get("order_id")
        key = (raw or "").strip()
        record = int(rec["_record"])
        if not key:
            rejects.append(
                Reject(
                    file,
                    locate(record),
                    record + 1,
                    id_column,
                    raw or "",
                    "the order name is empty: a row must name its order",
                )
            )
            continue
        g = groups.get(key)
        if g is None:
            g = groups[key] = {"order_key": key, "line_items": 0, "quantity": 0}
        g["line_items"] += 1
        g["quantity"] += int(rec.get("quantity") or 0)
        for f in _ORDER_LEVEL:
            if g.get(f) is None and rec.get(f) not in (None, ""):
                g[f] = rec[f]
    rows = []
    for g in groups.values():
        utm = utm_of(g.get("landing_site"))
        for f in _UTM:
            if not g.get(f) and utm.get(f):
                g[f] = utm[f]
            if g.get(f):
                g[f] = str(g[f]).strip().lower()
        g["ordered_at"] = g.get("ordered_at") or g.get("paid_at")
        g["discount_codes"] = split_codes(g.get("discount_code")) or None  # None: not stated
        if g.get("currency"):
            g["currency"] = str(g["currency"]).upper()
        rows.append(g)
    return rows, rejects


def analytics_rows(records: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """UTM values lower-cased (from the landing page when no UTM columns were given)."""
    out = []
    for rec in records:
        row = dict(rec)
        utm = utm_of(row.get("landing_page"))
        for f in _UTM:
            value = row.get(f) or utm.get(f)
            row[f] = str(value).strip().lower() if value else None
        out.append(row)
    return out


def order_notes(orders: Sequence[Mapping[str, Any]], deal_codes: set[str]) -> list[ImportWarning]:
    """The import summary's notes on orders: no currency, no date, pending payment, a status
    that is not revenue, discount codes of no deal (``deal_codes``)."""
    from creatormix.campaigns.attribution import (
        CANCELLED_STATUSES,
        PAID_STATUSES,
        PENDING_STATUSES,
        status_key,
    )

    notes = []

    def named(keys: list[str], what: str) -> None:
        if keys:
            listed = ", ".join(keys[:5]) + (" …" if len(keys) > 5 else "")
            notes.append(ImportWarning(f"{len(keys)} order(s) {what}: {listed}"))

    named(
        [o["order_key"] for o in orders if not o.get("currency")],
        "have no currency: each report takes them to be in its campaign's currency",
    )
    named(
        [o["order_key"] for o in orders if not o.get("ordered_at")],
        "have no date: they can be attributed by discount code only, and an unattributed one "
        "is in no campaign's count",
    )
    named(
        [
            o["order_key"]
            for o in orders
            if status_key(o.get("financial_status")) in PENDING_STATUSES
        ],
        "are pending payment (pending/authorized): not counted as revenue until a later "
        "export shows them paid; reports list them apart",
    )
    known_status = PAID_STATUSES | PENDING_STATUSES | CANCELLED_STATUSES | {"", "refunded"}
    odd: dict[str, int] = {}
    for o in orders:
        status = status_key(o.get("financial_status"))
        if status not in known_status:
            odd[status] = odd.get(status, 0) + 1
    if odd:
        listed = ", ".join(f"{k!r} ({n})" for k, n in sorted(odd.items()))
        notes.append(
            ImportWarning(
                f"{sum(odd.values())} order(s) have a financial status that is not counted as "
                f"revenue: {listed} (counted: {', '.join(sorted(PAID_STATUSES))}, or no status)",
                column="financial_status",
            )
        )
    known = {c.upper() for c in deal_codes}
    unknown: dict[str, int] = {}
    for o in orders:
        for code in o["discount_codes"] or ():
            if code not in known:
                unknown[code] = unknown.get(code, 0) + 1
    if unknown:
        listed = ", ".join(
            f"{c} ({n})" for c, n in sorted(unknown.items(), key=lambda kv: -kv[1])[:5]
        )
        notes.append(
            ImportWarning(
                f"{sum(unknown.values())} order(s) use discount codes of no deal: {listed}; "
                "kept, and reported as unattributed"
            )
        )
    return notes
