"""Campaign facts: campaigns, deals, deal events, orders, analytics, clicks and learned rates.

Rows become domain objects here (this module is the campaigns' mapper). Everything is appended;
current state is derived when read.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from creatormix.domain.campaigns import (
    DELIVERY_PROBABILITY,
    Campaign,
    Deal,
    DealEvent,
    Order,
    Stage,
    Terms,
)
from creatormix.domain.plan import DealType, LearnedRate, Quantiles
from creatormix.store.dialects import literal, literals
from creatormix.store.identities import alias_map
from creatormix.store.migrations.m004_campaigns import (
    ANALYTICS_FACTS,
    DEAL_EVENTS,
    DEALS,
    LEARNED_RATES,
    ORDER_FACTS,
)

if TYPE_CHECKING:
    import pyarrow as pa

    from creatormix.store.core import Store

_SEQ_SHIFT = 1 << 40


def _arrow(rows: Sequence[Mapping[str, Any]], columns: Mapping[str, str]) -> pa.Table:
    import ibis
    import pyarrow as pa

    schema = ibis.schema(dict(columns)).to_pyarrow()
    return pa.Table.from_pylist([{c: r.get(c) for c in columns} for r in rows], schema=schema)


def _num(x: Any) -> float | None:
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) else x


# --- campaigns ---------------------------------------------------------------------------------


def insert_campaign(store: Store, row: Mapping[str, Any], destinations: Sequence[str]) -> None:
    from creatormix.store.migrations.m004_campaigns import CAMPAIGNS

    store.append("campaigns", _arrow([row], CAMPAIGNS))
    add_destinations(store, int(row["campaign_id"]), destinations, row["created_at"])


def add_destinations(store: Store, campaign_id: int, urls: Sequence[str], at: datetime) -> None:
    from creatormix.store.migrations.m004_campaigns import CAMPAIGN_DESTINATIONS

    rows = [{"campaign_id": campaign_id, "url": u, "added_at": at} for u in urls]
    store.append("campaign_destinations", _arrow(rows, CAMPAIGN_DESTINATIONS))


def campaigns(store: Store) -> list[Campaign]:
    # a few rows each: read without Ibis, so `campaign list` starts fast (issue 12)
    t = store.records("SELECT * FROM campaigns ORDER BY campaign_id")
    dests: dict[int, list[str]] = {}
    for r in store.records("SELECT * FROM campaign_destinations ORDER BY added_at, url"):
        urls = dests.setdefault(int(r["campaign_id"]), [])
        if r["url"] not in urls:
            urls.append(r["url"])
    return [
        Campaign(
            campaign_id=int(r["campaign_id"]),
            name=r["name"],
            slug=r["slug"],
            currency=r["currency"],
            destinations=tuple(dests.get(int(r["campaign_id"]), ())),
            link_base=r["link_base"],
            created_at=r["created_at"],
            plan_id=r["plan_id"],
            window_days=int(r["window_days"]),
            outreach_rate=float(r["outreach_rate"] or 0.0),
        )
        for r in t
    ]


# --- deals -------------------------------------------------------------------------------------


def insert_deals(
    store: Store, rows: Sequence[Mapping[str, Any]], expected: Mapping[int, Mapping[str, Quantiles]]
) -> None:
    from creatormix.store.migrations.m004_campaigns import DEAL_EXPECTATIONS

    store.append("deals", _arrow(rows, DEALS))
    exp_rows = [
        {"deal_id": deal_id, "metric": m, "mean": q.mean, "p10": q.p10, "p50": q.p50, "p90": q.p90}
        for deal_id, per in expected.items()
        for m, q in per.items()
    ]
    store.append("deal_expectations", _arrow(exp_rows, DEAL_EXPECTATIONS))


def insert_events(store: Store, events: Sequence[DealEvent]) -> None:
    rows = []
    for ev in events:
        t = ev.terms
        rows.append(
            {
                "event_id": ev.event_id,
                "deal_id": ev.deal_id,
                "at": ev.at,
                "stage": ev.stage.value if ev.stage else None,
                "note": ev.note,
                "deal_type": t.deal_type.value if t.deal_type else None,
                "fee": t.fee,
                "product_value": t.product_value,
                "shipping": t.shipping,
                "commission_rate": t.commission_rate,
                "currency": t.currency,
                "outreach_hours": t.outreach_hours,
                "deliverables": t.deliverables,
                "due_at": t.due_at,
                "reach": t.reach,
                "engagements": t.engagements,
                "post_ids": list(t.post_ids),
                "destination": t.destination,
                "recorded_by": ev.by,
            }
        )
    store.append("deal_events", _arrow(rows, DEAL_EVENTS))


def taken_codes(store: Store) -> tuple[set[str], set[str]]:
    """(discount codes, link codes) already used anywhere in the workspace."""
    rows = store.table("deals").select("discount_code", "link_code").to_pyarrow()
    return set(rows["discount_code"].to_pylist()), set(rows["link_code"].to_pylist())


def deal_rows(store: Store, campaign_id: int | None = None) -> list[dict[str, Any]]:
    """The deals, oldest first; a deal with a merged creator names the creator it was merged
    into (so its links, clicks and orders count there too)."""
    where = "" if campaign_id is None else f" WHERE campaign_id = {literal(int(campaign_id))}"
    rows = store.records(f"SELECT * FROM deals{where} ORDER BY deal_id")
    merged = alias_map(store) if rows else {}
    for r in rows:
        r["handle"] = merged.get((r["platform"], r["handle"]), r["handle"])
    return rows


def events(store: Store, deal_ids: Iterable[int]) -> list[DealEvent]:
    ids = sorted(set(deal_ids))
    if not ids:
        return []
    rows = store.records(
        f"SELECT * FROM deal_events WHERE deal_id IN ({literals(ids)}) ORDER BY event_id"
    )
    return [_event(r) for r in rows]


def _event(r: Mapping[str, Any]) -> DealEvent:
    return DealEvent(
        event_id=int(r["event_id"]),
        deal_id=int(r["deal_id"]),
        at=r["at"],
        stage=Stage(r["stage"]) if r["stage"] else None,
        note=r["note"],
        terms=Terms(
            deal_type=DealType(r["deal_type"]) if r["deal_type"] else None,
            fee=_num(r["fee"]),
            product_value=_num(r["product_value"]),
            shipping=_num(r["shipping"]),
            commission_rate=_num(r["commission_rate"]),
            currency=r["currency"],
            outreach_hours=_num(r["outreach_hours"]),
            deliverables=r["deliverables"],
            due_at=r["due_at"],
            reach=_num(r["reach"]),
            engagements=_num(r["engagements"]),
            post_ids=tuple(r["post_ids"] or ()),
            destination=r["destination"],
        ),
        by=r["recorded_by"],
    )


def expectations(store: Store, deal_ids: Iterable[int]) -> dict[int, dict[str, Quantiles]]:
    ids = sorted(set(deal_ids))
    if not ids:
        return {}
    out: dict[int, dict[str, Quantiles]] = {}
    for r in store.records(
        f"SELECT * FROM deal_expectations WHERE deal_id IN ({literals(ids)}) ORDER BY deal_id"
    ):
        out.setdefault(int(r["deal_id"]), {})[r["metric"]] = Quantiles(
            r["mean"], r["p10"], r["p50"], r["p90"]
        )
    return out


def deal_base(r: Mapping[str, Any], expected: Mapping[str, Quantiles]) -> Deal:
    """The deal as created, before its events are folded in."""
    chance = expected.get(DELIVERY_PROBABILITY)
    expected = {k: q for k, q in expected.items() if k != DELIVERY_PROBABILITY}
    return Deal(
        deal_id=int(r["deal_id"]),
        campaign_id=int(r["campaign_id"]),
        platform=r["platform"],
        handle=r["handle"],
        tier=r["tier"],
        followers=r["followers"],
        link_code=r["link_code"],
        discount_code=r["discount_code"],
        destination=r["destination"],
        stage=Stage.SHORTLISTED,
        stage_at=r["created_at"],
        created_at=r["created_at"],
        source=r["source"],
        terms=Terms(deal_type=DealType(r["planned_deal_type"]) if r["planned_deal_type"] else None),
        planned_cost=_num(r["planned_cost"]),
        expected=expected,
        probability=chance.mean if chance is not None else 1.0,
    )


# --- clicks --------------------------------------------------------------------------------


BOT_FAMILIES = ("bot",)  # ua_family values of crawlers, link previews and scripts (curl, wget …)


def click_times(
    store: Store, link_codes: Sequence[str] | None = None, *, bots: bool = False
) -> dict[str, list[datetime]]:
    """link_code -> click times, ascending; clicks of bots (``BOT_FAMILIES``) only with ``bots``."""
    t = store.table("clicks")
    if link_codes is not None:
        t = t.filter(t.link_code.isin(list(link_codes)))
    if not bots:
        t = t.filter(~t.ua_family.fill_null("").isin(list(BOT_FAMILIES)))
    rows = t.select("link_code", "clicked_at").order_by("clicked_at").to_pyarrow().to_pylist()
    out: dict[str, list[datetime]] = {}
    for r in rows:
        out.setdefault(r["link_code"], []).append(r["clicked_at"])
    return out


def bot_clicks(store: Store) -> dict[str, int]:
    """link_code -> how many of its clicks came from bots (left out of results by default)."""
    t = store.table("clicks")
    t = t.filter(t.ua_family.isin(list(BOT_FAMILIES)))
    agg = t.group_by("link_code").agg(n=t.count())
    return {r["link_code"]: int(r["n"]) for r in agg.to_pyarrow().to_pylist()}


def click_counts(store: Store, link_codes: Sequence[str]) -> dict[str, tuple[int, int]]:
    """link_code -> (clicks, unique visitor-days)."""
    if not link_codes:
        return {}
    t = store.table("clicks")
    t = t.filter(t.link_code.isin(list(link_codes)))
    agg = t.group_by("link_code").agg(n=t.count(), uniq=t.visitor.nunique())
    return {r["link_code"]: (int(r["n"]), int(r["uniq"])) for r in agg.to_pyarrow().to_pylist()}


# --- orders and analytics ----------------------------------------------------------------------


def append_orders(store: Store, rows: Sequence[Mapping[str, Any]], import_id: int) -> int:
    out = []
    for i, r in enumerate(rows):
        out.append(dict(r) | {"fact_seq": import_id * _SEQ_SHIFT + i, "import_id": import_id})
    store.append("order_facts", _arrow(out, ORDER_FACTS))
    return len(out)


def known_order_keys(store: Store, keys: Sequence[str]) -> set[str]:
    """The ``keys`` that earlier imports already stored (their orders get updated, not added)."""
    if not keys:
        return set()
    t = store.table("order_facts")
    found = t.filter(t.order_key.isin(sorted(set(keys)))).select("order_key").distinct()
    return {r["order_key"] for r in found.to_pyarrow().to_pylist()}


def orders_current(store: Store) -> list[Order]:
    """One order per key, merged field by field: each field's latest non-empty value wins.

    A re-export after a refund updates the status and refunded amount; a later file that lacks a
    column (a narrower ``--map``) or leaves a cell empty keeps what earlier imports said.
    """
    from creatormix.store.catalog import with_latest_array

    t = store.table("order_facts")
    cols = [c for c in ORDER_FACTS if c not in {"order_key", "fact_seq", "import_id"}]
    scalars = [c for c in cols if c != "discount_codes"]  # earlier imports stored [] for "no code"
    latest = t.group_by("order_key").agg(
        **{c: t[c].argmax(t.fact_seq, where=t[c].notnull()) for c in scalars}
    )
    latest = with_latest_array(latest, t, ["order_key"], "discount_codes")
    rows = latest.order_by("order_key").to_pyarrow().to_pylist()
    return [
        Order(
            order_key=r["order_key"],
            ordered_at=r["ordered_at"],
            currency=r["currency"],
            subtotal=_num(r["subtotal"]),
            total=_num(r["total"]),
            discount_codes=tuple(r["discount_codes"] or ()),
            refunded=_num(r["refunded"]) or 0.0,
            cancelled=r["cancelled_at"] is not None
            or (r["financial_status"] or "").lower() in {"voided", "cancelled"},
            financial_status=r["financial_status"],
            utm_campaign=r["utm_campaign"],
            utm_content=r["utm_content"],
            utm_source=r["utm_source"],
        )
        for r in rows
    ]


def append_analytics(store: Store, rows: Sequence[Mapping[str, Any]], import_id: int) -> int:
    out = [
        dict(r) | {"fact_seq": import_id * _SEQ_SHIFT + i, "import_id": import_id}
        for i, r in enumerate(rows)
    ]
    store.append("analytics_facts", _arrow(out, ANALYTICS_FACTS))
    return len(out)


_ANALYTICS_KEY = ["day", "utm_source", "utm_medium", "utm_campaign", "utm_content"]


def analytics_by_content(store: Store, campaign_slug: str) -> dict[str, tuple[float, float]]:
    """utm_content -> (sessions, conversions) for one campaign; latest import wins per day and key."""
    t = store.table("analytics_facts")
    t = t.filter(t.utm_campaign.lower() == campaign_slug)
    latest = t.group_by(_ANALYTICS_KEY).agg(
        sessions=t.sessions.argmax(t.fact_seq), conversions=t.conversions.argmax(t.fact_seq)
    )
    agg = latest.group_by("utm_content").agg(
        sessions=latest.sessions.sum(), conversions=latest.conversions.sum()
    )
    return {
        (r["utm_content"] or "").lower(): (float(r["sessions"] or 0), float(r["conversions"] or 0))
        for r in agg.to_pyarrow().to_pylist()
    }


# --- learned rates -----------------------------------------------------------------------------


def append_learned_rates(
    store: Store, rates: Sequence[LearnedRate], campaign_id: int, at: datetime
) -> None:
    rows = [
        {
            "platform": r.platform,
            "tier": r.tier,
            "metric": r.metric,
            "successes": r.successes,
            "trials": r.trials,
            "source": r.source,
            "campaign_id": campaign_id,
            "computed_at": at,
        }
        for r in rates
    ]
    store.append("learned_rates", _arrow(rows, LEARNED_RATES))


def latest_learned_rates(store: Store, before: datetime | None = None) -> list[LearnedRate]:
    """Each campaign's latest contribution (its rows with the greatest computed_at), of those
    computed before ``before`` when given (a backtest's date)."""
    t = store.table("learned_rates")
    if before is not None:
        t = t.filter(t.computed_at < before)
    latest = t.group_by("campaign_id").agg(at=t.computed_at.max())
    rows = (
        t.join(latest, [t.campaign_id == latest.campaign_id, t.computed_at == latest.at])
        .select(t.platform, t.tier, t.metric, t.successes, t.trials, t.source, t.campaign_id)
        .order_by(["campaign_id", "platform", "tier", "metric"])
        .to_pyarrow()
        .to_pylist()
    )
    return [
        LearnedRate(r["platform"], r["tier"], r["metric"], r["successes"], r["trials"], r["source"])
        for r in rows
    ]


# --- what a deal's posts delivered -------------------------------------------------------------


def deal_posts(
    store: Store,
    platform: str,
    handle: str,
    *,
    post_ids: Sequence[str] = (),
    window: tuple[datetime, datetime] | None = None,
) -> list[dict[str, Any]]:
    """Counts (likes, comments, shares, saves, views) of the creator's current posts named by
    ``post_ids``, or else of its sponsored posts posted within ``window``."""
    from creatormix.store import catalog as facts

    posts = facts.posts_current(store)
    mine = posts.filter((posts.platform == platform) & (posts.handle == handle))
    if post_ids:
        mine = mine.filter(mine.post_id.isin(list(post_ids)))
    elif window is not None:
        start, end = window
        mine = mine.filter(
            (mine.posted_at >= start) & (mine.posted_at <= end) & (mine.sponsored.fill_null(False))
        )
    return (  # type: ignore[no-any-return]
        mine.select("likes", "comments", "shares", "saves", "views").to_pyarrow().to_pylist()
    )
