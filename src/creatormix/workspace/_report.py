"""Assembling a campaign report: the facts from the store, the rules in ``campaigns.results``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from creatormix.campaigns import results as logic
from creatormix.domain.campaigns import Campaign, CampaignReport, Deal, DealEvent, Stage
from creatormix.store import campaigns as cstore
from creatormix.store import catalog as facts

if TYPE_CHECKING:
    from creatormix.campaigns.roi import DealResult
    from creatormix.workspace.campaigns import CampaignOps

# Without post ids or typed-in figures, a live deal's delivered posts are the creator's sponsored
# posts from one day before the content-live event to this many days after it.
POST_WINDOW_DAYS = 14


def build_report(
    ws: CampaignOps,
    c: Campaign,
    rates: dict[str, float],
    *,
    draws: int,
    level: float,
    seed: int,
    now: datetime,
    bots: bool = False,
) -> tuple[CampaignReport, list[DealResult]]:
    """Read the campaign's facts (bots' clicks only with ``bots``) and build its report."""
    logic.check_rates(rates, c.currency)  # before any work
    everything = ws.all_deals()
    deals = [d for d in everything if d.campaign_id == c.campaign_id]
    events: dict[int, list[DealEvent]] = {d.deal_id: [] for d in deals}
    for ev in cstore.events(ws.store, list(events)):
        events[ev.deal_id].append(ev)
    live_at = {
        deal_id: next(e.at for e in evs if e.stage is Stage.CONTENT_LIVE)
        for deal_id, evs in events.items()
        if any(e.stage is Stage.CONTENT_LIVE for e in evs)
    }
    report_facts = logic.ReportFacts(
        campaign=c,
        campaigns=ws.list_campaigns(),
        deals=everything,
        orders=cstore.orders_current(ws.store),
        clicks=cstore.click_times(ws.store, bots=bots),
        bot_clicks={} if bots else cstore.bot_clicks(ws.store),
        delivered=_delivered(ws, deals, live_at),
        live_at=live_at,
        analytics=cstore.analytics_by_content(ws.store, c.slug),
    )
    return logic.build(report_facts, rates, draws=draws, level=level, seed=seed, now=now)


def _delivered(
    ws: CampaignOps, deals: list[Deal], live_at: Mapping[int, datetime]
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
                live = live_at.get(d.deal_id)
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
