"""Assembling a campaign report: the facts from the store, the pure logic from ``campaigns``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from creatormix.campaigns import attribution as attr
from creatormix.campaigns import roi
from creatormix.domain.campaigns import (
    Campaign,
    CampaignReport,
    Deal,
    DealEvent,
    Outcome,
    PlannedVsDelivered,
    Stage,
)
from creatormix.domain.plan import DealType
from creatormix.errors import InvalidOption
from creatormix.store import campaigns as cstore
from creatormix.store import catalog as facts

if TYPE_CHECKING:
    from creatormix.workspace.campaigns import CampaignOps

# Without post ids or typed-in figures, a live deal's delivered posts are the creator's sponsored
# posts from one day before the content-live event to this many days after it.
POST_WINDOW_DAYS = 14
LIVE = (Stage.CONTENT_LIVE, Stage.PAID)
_PLANNED = {
    "reach": "reach",
    "engagements": "engagements",
    "clicks": "clicks",
    "conversions": "orders",
    "revenue": "revenue",
}


def build_report(
    ws: CampaignOps,
    c: Campaign,
    rates: dict[str, float],
    *,
    draws: int,
    level: float,
    seed: int,
    now: datetime,
) -> tuple[CampaignReport, list[roi.DealResult]]:
    rates = {k.upper(): float(v) for k, v in rates.items()}
    for cur, rate in rates.items():
        if not rate > 0:
            raise InvalidOption(f"--rate {cur}={rate}: a rate must be positive")
    everything = ws.all_deals()
    deals = [d for d in everything if d.campaign_id == c.campaign_id]
    by_id = {c2.campaign_id: c2 for c2 in ws.list_campaigns()}
    keys = attr.DealKeys(
        by_code={d.discount_code.upper(): d.deal_id for d in everything},
        by_utm={(by_id[d.campaign_id].slug, d.handle): d.deal_id for d in everything},
        window_days={d.deal_id: by_id[d.campaign_id].window_days for d in everything},
    )
    times = cstore.click_times(ws.store)
    clicks = {d.deal_id: times.get(d.link_code, []) for d in everything}
    orders = [
        o
        for o in cstore.orders_current(ws.store)
        if o.ordered_at is None or o.ordered_at >= c.created_at
    ]
    attributions = attr.attribute(orders, keys, clicks, default_window_days=c.window_days)
    ours = {d.deal_id for d in deals}
    values: dict[int, list[float]] = {d.deal_id: [] for d in deals}
    revenue_by_deal: dict[int, float] = {d.deal_id: 0.0 for d in deals}
    for a in attributions:
        if a.deal_id in ours and a.counts:
            value = _convert(a.revenue, a.currency, c.currency, rates, f"order {a.order_key}")
            values[a.deal_id].append(value)
            revenue_by_deal[a.deal_id] += value
    analytics = cstore.analytics_by_content(ws.store, c.slug)
    events = {d.deal_id: [] for d in deals}  # type: dict[int, list[DealEvent]]
    for ev in cstore.events(ws.store, list(ours)):
        events[ev.deal_id].append(ev)
    delivered = _delivered(ws, deals, events)
    results: list[roi.DealResult] = []
    for d in deals:
        spend = _spend(d, c, rates, revenue_by_deal[d.deal_id])
        reach, eng = delivered[d.deal_id]
        n_clicks = len(clicks[d.deal_id])
        if not (d.stage.committed or any(spend.values()) or n_clicks or values[d.deal_id]):
            continue  # shortlisted or declined without cost or effect: not part of the results
        live = d.stage in LIVE or reach is not None or eng is not None
        if d.stage is Stage.DECLINED and not live:
            reach, eng = (
                0.0,
                0.0,
            )  # delivered nothing, and never will: its outreach counts in CPE/CPM
        sessions = analytics.get(d.handle)
        results.append(
            roi.DealResult(
                deal_id=d.deal_id,
                handle=d.handle,
                platform=d.platform,
                tier=d.tier,
                followers=d.followers,
                spend_parts=spend,
                reach=reach,
                engagements=eng,
                clicks=n_clicks,
                order_values=tuple(values[d.deal_id]),
                live=live,
                sessions=sessions[0] if sessions else None,
                analytics_conversions=sessions[1] if sessions else None,
            )
        )
    creators = [
        roi.outcome(
            "@" + r.handle,
            [r],
            draws=draws,
            level=level,
            seed=seed + r.deal_id,
            tier=r.tier,
            platform=r.platform,
        )[0]
        for r in results
    ]
    tier_groups: dict[str, list[roi.DealResult]] = {}
    for r in results:
        tier_groups.setdefault(r.tier or "unknown", []).append(r)
    tiers: list[tuple[Outcome, roi.Draws]] = [
        roi.outcome(t, rs, draws=draws, level=level, seed=seed + 7, tier=t)
        for t, rs in sorted(tier_groups.items(), key=lambda kv: roi.tier_key(kv[0]))
    ]
    total, _ = roi.outcome(c.name, results, draws=draws, level=level, seed=seed)
    comparisons: list[str] = []
    for i, (first, first_draws) in enumerate(tiers):
        for second, second_draws in tiers[i + 1 :]:
            comparisons += roi.compare(first, first_draws, second, second_draws, c.currency, level)
    planned = _planned_vs_delivered(deals, {r.deal_id: r for r in results})
    unattributed = sum(1 for a in attributions if a.deal_id is None)
    notes = []
    if any(r.reach is None for r in results if r.live):
        notes.append(
            "some live deals have no reach: import their posts (with views) or enter --reach on the deal"
        )
    report = CampaignReport(
        campaign=c,
        generated_at=now,
        period=(c.created_at, now),
        creators=tuple(creators),
        tiers=tuple(o for o, _ in tiers),
        total=total,
        comparisons=tuple(comparisons),
        planned_vs_delivered=tuple(planned),
        unattributed_orders=unattributed,
        unknown_codes=attr.unknown_codes(orders, keys),
        rates_used=dict(rates),
        notes=tuple(notes),
        level=level,
    )
    return report, results


def _convert(
    amount: float, currency: str | None, target: str, rates: Mapping[str, float], what: str
) -> float:
    try:
        return attr.convert(amount, currency, target, rates)
    except KeyError as exc:
        cur = exc.args[0]
        raise InvalidOption(
            f"{what} is in {cur} and no rate to {target} was given; pass --rate {cur}=<value of 1 {cur} in {target}>"
            " (rates are never guessed)"
        ) from None


# (spend part, Terms field, as named in messages)
_AMOUNTS = (
    ("fees", "fee", "fee"),
    ("products", "product_value", "product value"),
    ("shipping", "shipping", "shipping"),
)


def _spend(d: Deal, c: Campaign, rates: Mapping[str, float], revenue: float) -> dict[str, float]:
    """The deal's cost parts in the campaign currency; each amount in the currency it was given."""
    t = d.terms
    parts = dict.fromkeys(roi.SPEND_PARTS, 0.0)
    parts["outreach"] = (t.outreach_hours or 0.0) * c.outreach_rate
    if d.stage.committed:
        for part, name, label in _AMOUNTS:
            cur = d.currencies.get(name, c.currency)
            what = f"the {label} of @{d.handle}"
            parts[part] = _convert(getattr(t, name) or 0.0, cur, c.currency, rates, what)
        if t.commission_rate and t.deal_type in (DealType.AFFILIATE, DealType.MIXED, None):
            parts["commission"] = t.commission_rate * revenue
    return parts


def _delivered(
    ws: CampaignOps, deals: list[Deal], events: Mapping[int, list[DealEvent]]
) -> dict[int, tuple[float | None, float | None]]:
    """(reach, engagements) per deal: typed-in figures win; else the deal's posts (see docs)."""
    posts = facts.posts_current(ws.store)
    out: dict[int, tuple[float | None, float | None]] = {}
    for d in deals:
        reach, eng = d.terms.reach, d.terms.engagements
        if reach is None or eng is None:
            mine = posts.filter((posts.platform == d.platform) & (posts.handle == d.handle))
            if d.terms.post_ids:
                mine = mine.filter(mine.post_id.isin(list(d.terms.post_ids)))
            else:
                live = next(
                    (e.at for e in events[d.deal_id] if e.stage is Stage.CONTENT_LIVE), None
                )
                if live is None:
                    out[d.deal_id] = (reach, eng)
                    continue
                mine = mine.filter(
                    (mine.posted_at >= live - timedelta(days=1))
                    & (mine.posted_at <= live + timedelta(days=POST_WINDOW_DAYS))
                    & (mine.sponsored.fill_null(False))
                )
            rows = (
                mine.select("likes", "comments", "shares", "saves", "views")
                .to_pyarrow()
                .to_pylist()
            )
            if rows:
                views = [r["views"] for r in rows if r["views"] is not None]
                if reach is None and views:
                    reach = float(sum(views))
                if eng is None:
                    eng = float(
                        sum(
                            (r["likes"] or 0)
                            + (r["comments"] or 0)
                            + (r["shares"] or 0)
                            + (r["saves"] or 0)
                            for r in rows
                        )
                    )
        out[d.deal_id] = (reach, eng)
    return out


def _planned_vs_delivered(
    deals: list[Deal], results: Mapping[int, roi.DealResult]
) -> list[PlannedVsDelivered]:
    out = []
    for d in deals:
        r = results.get(d.deal_id)
        for metric, q in d.expected.items():
            field = _PLANNED.get(metric)
            if field is None:
                continue
            got: float | None = None
            if r is not None:
                got = {
                    "reach": r.reach,
                    "engagements": r.engagements,
                    "clicks": float(r.clicks),
                    "orders": float(len(r.order_values)),
                    "revenue": float(sum(r.order_values)),
                }[field]
            if got is None:
                verdict = "not measured"
            elif got < q.p10:
                verdict = "below P10"
            elif got > q.p90:
                verdict = "above P90"
            else:
                verdict = "within P10-P90"
            out.append(PlannedVsDelivered("@" + d.handle, d.platform, metric, q, got, verdict))
    return out
