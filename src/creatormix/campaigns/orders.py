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
from creatormix.domain.imports import Reject

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
