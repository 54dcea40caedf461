"""A campaign report from its facts, pure: attribution, what each deal cost and delivered, which
orders are in the campaign's scope, outcomes per creator, tier and campaign, comparisons, planned
vs delivered and the notes that explain them. See docs/attribution.md.

``Workspace.campaign_report`` reads the facts through the store; every rule that decides a number is
here, so tests run the whole path on generated facts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from creatormix.campaigns import attribution as attr
from creatormix.campaigns import roi
from creatormix.domain.campaigns import (
    Attribution,
    Campaign,
    CampaignReport,
    Deal,
    Order,
    Outcome,
    PlannedVsDelivered,
    Stage,
)
from creatormix.domain.plan import DealType
from creatormix.errors import InvalidOption

LIVE = (Stage.CONTENT_LIVE, Stage.PAID)
_PLANNED = {
    "reach": "reach",
    "engagements": "engagements",
    "clicks": "clicks",
    "conversions": "orders",
    "revenue": "revenue",
}
# (spend part, Terms field, as named in messages)
_AMOUNTS = (
    ("fees", "fee", "fee"),
    ("products", "product_value", "product value"),
    ("shipping", "shipping", "shipping"),
)


@dataclass(frozen=True)
class ReportFacts:
    """Everything a report is computed from, as read from the store."""

    campaign: Campaign
    campaigns: Sequence[Campaign]  # every campaign: the slug and window of every deal
    deals: Sequence[Deal]  # every deal of the workspace (orders are matched against all)
    orders: Sequence[Order]
    clicks: Mapping[str, Sequence[datetime]]  # link code -> people's click times, ascending
    bot_clicks: Mapping[str, int] = field(default_factory=dict)  # link code -> bot clicks
    # This campaign's deals: (reach, engagements) delivered, and when content first went live.
    delivered: Mapping[int, tuple[float | None, float | None]] = field(default_factory=dict)
    live_at: Mapping[int, datetime] = field(default_factory=dict)
    analytics: Mapping[str, tuple[float, float]] = field(default_factory=dict)  # handle -> both


def check_rates(rates: Mapping[str, float], currency: str) -> dict[str, float]:
    """Upper-cased rates; InvalidOption for a rate that is not positive or names ``currency``."""
    out = {k.strip().upper(): float(v) for k, v in rates.items()}
    for cur, rate in out.items():
        if cur == currency.upper():
            raise InvalidOption(
                f"--rate {cur}={rate:g}: {cur} is the campaign's own currency (no rate needed)"
            )
        if not rate > 0:
            raise InvalidOption(f"--rate {cur}={rate:g}: a rate must be positive")
    return out


def convert(
    amount: float, currency: str | None, target: str, rates: Mapping[str, float], what: str
) -> float:
    """``amount`` in ``target``, to the cent; InvalidOption naming ``what`` when a rate is missing."""
    try:
        return roi.cents(attr.convert(amount, currency, target, rates))
    except KeyError as exc:
        cur = exc.args[0]
        raise InvalidOption(
            f"{what} is in {cur} and no rate to {target} was given; pass --rate {cur}=<value of 1 {cur} in {target}>"
            " (rates are never guessed)"
        ) from None


def spend(d: Deal, c: Campaign, rates: Mapping[str, float], revenue: float) -> dict[str, float]:
    """The deal's cost parts in the campaign currency; each amount in the currency it was given."""
    t = d.terms
    parts = dict.fromkeys(roi.SPEND_PARTS, 0.0)
    parts["outreach"] = roi.cents((t.outreach_hours or 0.0) * c.outreach_rate)
    if d.stage.committed:
        for part, name, label in _AMOUNTS:
            cur = d.currencies.get(name, c.currency)
            what = f"the {label} of @{d.handle}"
            parts[part] = convert(getattr(t, name) or 0.0, cur, c.currency, rates, what)
        if t.commission_rate and t.deal_type in (DealType.AFFILIATE, DealType.MIXED, None):
            parts["commission"] = roi.cents(t.commission_rate * revenue)
    return parts


def scope_end(f: ReportFacts, now: datetime) -> datetime:
    """The end of the campaign's period: its attribution window after the last click on its
    links or the last time its content went live (later than ``now`` while the window is still
    open); ``now`` while nothing is live or clicked."""
    c = f.campaign
    ours = [d for d in f.deals if d.campaign_id == c.campaign_id]
    activity = [f.live_at[d.deal_id] for d in ours if d.deal_id in f.live_at]
    activity += [f.clicks[d.link_code][-1] for d in ours if f.clicks.get(d.link_code)]
    if not activity:
        return now
    return max(activity) + timedelta(days=c.window_days)


def _in_scope(a: Attribution, c: Campaign, start: datetime, end: datetime, slugs: set[str]) -> bool:
    """Whether an unattributed order is this campaign's to report (see docs/attribution.md)."""
    if a.ordered_at is None or a.ordered_at < start:
        return False
    if a.utm_campaign and a.utm_campaign in slugs:  # it names a campaign: that campaign's
        return a.utm_campaign == c.slug
    return a.ordered_at <= end


def build(
    f: ReportFacts,
    rates: Mapping[str, float],
    *,
    draws: int = 2000,
    level: float = 0.95,
    seed: int = 0,
    now: datetime,
) -> tuple[CampaignReport, list[roi.DealResult]]:
    """The report, and the per-deal results behind it (what learning reads)."""
    c = f.campaign
    rates = check_rates(rates, c.currency)
    by_id = {x.campaign_id: x for x in f.campaigns}
    keys = attr.DealKeys(
        by_code={d.discount_code.upper(): d.deal_id for d in f.deals},
        by_utm={(by_id[d.campaign_id].slug, d.handle): d.deal_id for d in f.deals},
        window_days={d.deal_id: by_id[d.campaign_id].window_days for d in f.deals},
    )
    clicks = {d.deal_id: f.clicks.get(d.link_code, ()) for d in f.deals}
    attributions = attr.attribute(f.orders, keys, clicks, default_window_days=c.window_days)
    deals = [d for d in f.deals if d.campaign_id == c.campaign_id]
    values: dict[int, list[float]] = {d.deal_id: [] for d in deals}
    pending: dict[int, list[float]] = {d.deal_id: [] for d in deals}
    clicked: dict[int, int] = dict.fromkeys(values, 0)
    for a in attributions:
        if a.deal_id not in values or (a.ordered_at is not None and a.ordered_at < c.created_at):
            continue
        if a.counts:
            clicked[a.deal_id] += a.clicked
            values[a.deal_id].append(
                convert(a.revenue, a.currency, c.currency, rates, f"order {a.order_key}")
            )
        elif a.state == attr.OrderState.PENDING:
            pending[a.deal_id].append(
                convert(a.pending, a.currency, c.currency, rates, f"order {a.order_key}")
            )
    results = _results(f, deals, rates, values, pending, clicked)
    creators, tiers, total, comparisons = _outcomes(c, results, draws, level, seed)
    period = (c.created_at, scope_end(f, now))
    slugs = {x.slug for x in f.campaigns}
    unattributed = [a for a in attributions if a.deal_id is None]
    scoped = [a for a in unattributed if _in_scope(a, c, *period, slugs)]
    paid = [a for a in scoped if a.counts]
    revenue: dict[str, float] = {}
    for a in paid:
        cur = (a.currency or c.currency).upper()
        revenue[cur] = roi.cents(revenue.get(cur, 0.0) + a.revenue)
    not_counted: dict[str, int] = {}
    for a in scoped:
        if not a.counts:
            not_counted[a.state] = not_counted.get(a.state, 0) + 1
    notes = _notes(results, {d.deal_id: d for d in deals})
    gifts = [f"@{d.handle} {d.probability:.0%}" for d in deals if d.probability < 1 and d.expected]
    if gifts:
        notes.append(
            "planned ranges of gifts include the chance the creator never posts (plan's chance of "
            f"a post: {', '.join(gifts)}): a posted gift sits high in its range"
        )
    notes += _order_notes(c, period, paid, revenue, not_counted, keys, unattributed, results)
    bots = sum(f.bot_clicks.get(d.link_code, 0) for d in deals)
    if bots:
        notes.append(
            f"{bots} bot click(s) (crawlers, link previews, scripts such as curl) left out of "
            "clicks, CPC and the learned click rate (report --include-bots counts them)"
        )
    report = CampaignReport(
        campaign=c,
        generated_at=now,
        period=period,
        creators=tuple(creators),
        tiers=tuple(tiers),
        total=total,
        comparisons=tuple(comparisons),
        planned_vs_delivered=tuple(
            _planned_vs_delivered(
                deals, {r.deal_id: r for r in results}, f.live_at, now, c.window_days
            )
        ),
        unattributed_orders=len(paid),
        unknown_codes=attr.unknown_codes(paid, keys),
        rates_used=dict(rates),
        notes=tuple(notes),
        level=level,
        unattributed_revenue=dict(sorted(revenue.items())),
        unattributed_not_counted=dict(sorted(not_counted.items())),
        undated_orders=sum(1 for a in unattributed if a.ordered_at is None),
        bot_clicks=bots,
    )
    return report, results


def _results(
    f: ReportFacts,
    deals: Sequence[Deal],
    rates: Mapping[str, float],
    values: Mapping[int, list[float]],
    pending: Mapping[int, list[float]],
    clicked: Mapping[int, int],
) -> list[roi.DealResult]:
    out = []
    for d in deals:
        parts = spend(d, f.campaign, rates, sum(values[d.deal_id]))
        reach, eng = f.delivered.get(d.deal_id, (None, None))
        n_clicks = len(f.clicks.get(d.link_code, ()))
        if not (
            d.stage.committed
            or any(parts.values())
            or n_clicks
            or values[d.deal_id]
            or pending[d.deal_id]
        ):
            continue  # shortlisted or declined without cost or effect: not part of the results
        live = d.stage in LIVE or reach is not None or eng is not None
        if d.stage is Stage.DECLINED and not live:
            reach, eng = (
                0.0,
                0.0,
            )  # delivered nothing, and never will: its outreach counts in CPE/CPM
        sessions = f.analytics.get(d.handle)
        out.append(
            roi.DealResult(
                deal_id=d.deal_id,
                handle=d.handle,
                platform=d.platform,
                tier=d.tier,
                followers=d.followers,
                spend_parts=parts,
                reach=reach,
                engagements=eng,
                clicks=n_clicks,
                order_values=tuple(values[d.deal_id]),
                live=live,
                sessions=sessions[0] if sessions else None,
                analytics_conversions=sessions[1] if sessions else None,
                pending_values=tuple(pending[d.deal_id]),
                bot_clicks=f.bot_clicks.get(d.link_code, 0),
                click_orders=clicked[d.deal_id],
            )
        )
    return out


def _outcomes(
    c: Campaign, results: Sequence[roi.DealResult], draws: int, level: float, seed: int
) -> tuple[list[Outcome], list[Outcome], Outcome, list[str]]:
    """Per creator, per tier (in tier order), the campaign, and the tier comparison sentences."""
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
    groups: dict[str, list[roi.DealResult]] = {}
    for r in results:
        groups.setdefault(r.tier or "unknown", []).append(r)
    tiers: list[tuple[Outcome, roi.Draws]] = [
        roi.outcome(t, rs, draws=draws, level=level, seed=seed + 7, tier=t)
        for t, rs in sorted(groups.items(), key=lambda kv: roi.tier_key(kv[0]))
    ]
    total, _ = roi.outcome(c.name, results, draws=draws, level=level, seed=seed)
    comparisons: list[str] = []
    for i, (first, first_draws) in enumerate(tiers):
        for second, second_draws in tiers[i + 1 :]:
            comparisons += roi.compare(first, first_draws, second, second_draws, c.currency, level)
    return creators, [o for o, _ in tiers], total, comparisons


def _notes(results: Sequence[roi.DealResult], deals: Mapping[int, Deal]) -> list[str]:
    notes = []
    if any(r.reach is None for r in results if r.live):
        notes.append(
            "some live deals have no reach: import their posts (with views) or enter --reach on the deal"
        )
    waiting = [
        "@" + r.handle
        for r in results
        if not r.live and r.spend > 0 and deals[r.deal_id].stage is not Stage.DECLINED
    ]
    if waiting:
        notes.append(
            f"not live yet: {', '.join(waiting)}; their spend counts in CPC, CPA and ROAS, "
            "their results may still come"
        )
    free = ["@" + r.handle for r in results if r.spend <= 0]
    if free:
        notes.append(
            f"no spend recorded for {', '.join(free)}: left out of every ratio "
            "(their clicks, orders and revenue still count in the totals)"
        )
    return notes


def _order_notes(
    c: Campaign,
    period: tuple[datetime, datetime],
    paid: Sequence[Attribution],
    revenue: Mapping[str, float],
    not_counted: Mapping[str, int],
    keys: attr.DealKeys,
    unattributed: Sequence[Attribution],
    results: Sequence[roi.DealResult],
) -> list[str]:
    """What the order counts mean, in words (the same figures are fields of the report)."""
    notes = []
    if paid or not_counted:
        amounts = ", ".join(roi.money(v, cur) for cur, v in revenue.items()) or "no revenue"
        text = (
            f"{len(paid)} paid order(s) matched no deal ({amounts}): orders placed from "
            f"{period[0]:%Y-%m-%d} to {period[1]:%Y-%m-%d} or naming utm_campaign={c.slug}, "
            "unless they name another campaign"
        )
        if not_counted:
            text += "; not counted: " + ", ".join(f"{n} {k}" for k, n in not_counted.items())
        notes.append(text)
    unknown = attr.unknown_codes(paid, keys)
    if unknown:
        listed = ", ".join(f"{k} ×{v}" for k, v in list(unknown.items())[:10])
        notes.append(f"discount codes of no deal on those orders: {listed}")
    undated = sum(1 for a in unattributed if a.ordered_at is None)
    if undated:
        notes.append(
            f"{undated} order(s) without a date matched no deal: they are in no campaign's count"
        )
    waiting = [r for r in results if r.pending_values]
    if waiting:
        listed = ", ".join(
            f"@{r.handle} {len(r.pending_values)} order(s) "
            f"({roi.money(sum(r.pending_values), c.currency)})"
            for r in waiting
        )
        notes.append(f"pending payment, not counted as orders or revenue: {listed}")
    return notes


# Verdicts wait this long after the content went live: most of a post's views and engagements
# arrive in its first days, and a verdict before then judges a post that is still being seen
# (an hour after launch every post is "below P10" of a whole campaign's plan).
MIN_DAYS_LIVE = 3.0
# Clicks, orders and revenue keep arriving over the attribution window (a click counts, and an
# order is attributed to it, up to ``window_days`` later): their planned range is pro-rated to
# the share of the window elapsed. Reach and engagements are judged whole from MIN_DAYS_LIVE.
RESPONSE_METRICS = frozenset({"clicks", "orders", "revenue"})


def _age(hours: float) -> str:
    return f"{hours:.0f} h" if hours < 48 else f"{hours / 24:.0f} days"


def _planned_vs_delivered(
    deals: Sequence[Deal],
    results: Mapping[int, roi.DealResult],
    live_at: Mapping[int, datetime],
    now: datetime,
    window_days: int,
) -> list[PlannedVsDelivered]:
    out = []
    for d in deals:
        r = results.get(d.deal_id)
        since = live_at.get(d.deal_id)
        days = (now - since).total_seconds() / 86_400 if since is not None else None
        for metric, q in d.expected.items():
            name = _PLANNED.get(metric)
            if name is None:
                continue
            got: float | None = None
            if r is not None:
                got = {
                    "reach": r.reach,
                    "engagements": r.engagements,
                    "clicks": float(r.clicks),
                    "orders": float(len(r.order_values)),
                    "revenue": float(sum(r.order_values)),
                }[name]
            share = 1.0
            if name in RESPONSE_METRICS and days is not None:
                share = min(1.0, max(days, 0.0) / max(window_days, 1))
            row = PlannedVsDelivered(
                "@" + d.handle, d.platform, metric, q, got, "", d.probability, share
            )
            if d.stage is Stage.DECLINED and (r is None or not r.live):
                verdict = "declined"
            elif (r is None or not r.live) and d.probability < 1:
                verdict = f"not posted yet (plan: {d.probability:.0%} chance)"
            elif r is None or not r.live:
                verdict = "not live yet"
            elif not row.has_range:
                verdict = "no planned range"
            elif got is None:
                verdict = "not measured"
            elif days is not None and days < MIN_DAYS_LIVE:
                verdict = (
                    f"too early: live for {_age(days * 24)} (a verdict after "
                    f"{MIN_DAYS_LIVE:.0f} days)"
                )
            else:
                due = row.due
                if got < due.p10:
                    verdict = "below P10"
                elif got > due.p90:
                    verdict = "above P90"
                else:
                    verdict = "within P10-P90"
                if share < 1:
                    verdict += f" (pro-rated: day {days:.0f} of the {window_days}-day window)"
            out.append(replace(row, verdict=verdict))
    return out
