"""Schema 4: campaigns, deals and their events, clicks, orders, analytics, learned rates.

Every table is append-only. A deal's current state is the fold of ``deal_events``; an order's is
its latest fact (a later export of the same order, e.g. after a refund, supersedes the earlier one).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from creatormix.store.migrations._schema import SchemaStore

CAMPAIGNS = {
    "campaign_id": "int64",
    "name": "string",
    "slug": "string",
    "currency": "string",
    "link_base": "string",
    "plan_id": "int64",
    "goal": "string",
    "budget": "float64",
    "window_days": "int64",
    "outreach_rate": "float64",
    "created_at": "timestamp",
    "created_by": "string",
}

CAMPAIGN_DESTINATIONS = {"campaign_id": "int64", "url": "string", "added_at": "timestamp"}

DEALS = {
    "deal_id": "int64",
    "campaign_id": "int64",
    "platform": "string",
    "handle": "string",
    "tier": "string",
    "followers": "int64",
    "link_code": "string",
    "discount_code": "string",
    "destination": "string",
    "source": "string",
    "planned_cost": "float64",
    "planned_deal_type": "string",
    "reasons": "array<string>",
    "created_at": "timestamp",
}

# PlannedCreator.expected copied at creation, so planned vs delivered never needs the planner.
DEAL_EXPECTATIONS = {
    "deal_id": "int64",
    "metric": "string",
    "mean": "float64",
    "p10": "float64",
    "p50": "float64",
    "p90": "float64",
}

DEAL_EVENTS = {
    "event_id": "int64",
    "deal_id": "int64",
    "at": "timestamp",
    "stage": "string",
    "note": "string",
    "deal_type": "string",
    "fee": "float64",
    "product_value": "float64",
    "shipping": "float64",
    "commission_rate": "float64",
    "currency": "string",
    "outreach_hours": "float64",
    "deliverables": "string",
    "due_at": "timestamp",
    "reach": "float64",
    "engagements": "float64",
    "post_ids": "array<string>",
    "destination": "string",
    "recorded_by": "string",
}

# One row per redirect, folded in from the click journal; (segment, line) is unique.
CLICKS = {
    "segment": "string",
    "line": "int64",
    "link_code": "string",
    "clicked_at": "timestamp",
    "visitor": "string",
    "ua_family": "string",
    "referrer": "string",
}

CLICK_FOLDS = {
    "segment": "string",
    "folded_bytes": "int64",
    "folded_lines": "int64",
    "folded_at": "timestamp",
}

ORDER_FACTS = {
    "fact_seq": "int64",
    "import_id": "int64",
    "order_key": "string",
    "ordered_at": "timestamp",
    "currency": "string",
    "subtotal": "float64",
    "shipping": "float64",
    "taxes": "float64",
    "total": "float64",
    "discount_codes": "array<string>",
    "discount_amount": "float64",
    "financial_status": "string",
    "refunded": "float64",
    "cancelled_at": "timestamp",
    "line_items": "int64",
    "quantity": "int64",
    "utm_source": "string",
    "utm_medium": "string",
    "utm_campaign": "string",
    "utm_content": "string",
}

ANALYTICS_FACTS = {
    "fact_seq": "int64",
    "import_id": "int64",
    "day": "timestamp",
    "utm_source": "string",
    "utm_medium": "string",
    "utm_campaign": "string",
    "utm_content": "string",
    "sessions": "float64",
    "conversions": "float64",
    "revenue": "float64",
}

# Read by the planner: the latest computed_at per campaign_id is that campaign's contribution.
LEARNED_RATES = {
    "platform": "string",
    "tier": "string",
    "metric": "string",
    "successes": "float64",
    "trials": "float64",
    "source": "string",
    "campaign_id": "int64",
    "computed_at": "timestamp",
}

TABLES = {
    "campaigns": CAMPAIGNS,
    "campaign_destinations": CAMPAIGN_DESTINATIONS,
    "deals": DEALS,
    "deal_expectations": DEAL_EXPECTATIONS,
    "deal_events": DEAL_EVENTS,
    "clicks": CLICKS,
    "click_folds": CLICK_FOLDS,
    "order_facts": ORDER_FACTS,
    "analytics_facts": ANALYTICS_FACTS,
    "learned_rates": LEARNED_RATES,
}


def apply(store: SchemaStore) -> None:
    for name, columns in TABLES.items():
        if not store.has_table(name):
            store.create_table(name, columns)
