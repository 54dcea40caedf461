"""What a campaign board says: deals in columns by stage, with terms, due dates, links and codes,
the follow-ups due and the latest events."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from creatormix.domain.campaigns import Campaign, Stage
from creatormix.domain.requests import CampaignBoard
from creatormix.views._json import jsonable
from creatormix.views.format import fmt_followers, money


@dataclass(frozen=True)
class Card:
    deal_id: int
    ref: str  # platform:handle (the move form's creator)
    handle: str  # "@kim"
    platform: str
    tier: str
    followers: str
    stage: str
    terms: tuple[str, ...]  # "paid fee $400", "due 2026-05-01" …
    planned: str | None
    note: str | None
    tracking_url: str
    discount_code: str
    moves: tuple[str, ...]  # the stages it may move to (every other stage; warnings come back)


@dataclass(frozen=True)
class BoardColumn:
    stage: str
    title: str
    cards: tuple[Card, ...]


@dataclass(frozen=True)
class BoardView:
    name: str
    slug: str
    campaign_id: int
    summary: str
    columns: tuple[BoardColumn, ...]
    due: tuple[str, ...]
    events: tuple[tuple[str, str, str, str], ...]  # when, who, creator, what
    links_columns: tuple[str, ...]
    links: tuple[tuple[str, ...], ...]
    data: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return jsonable(self.data)  # type: ignore[no-any-return]


def _terms(d: Any, c: Campaign) -> tuple[str, ...]:
    t = d.terms
    cur = c.currency
    out = []
    if t.deal_type is not None:
        out.append(t.deal_type.value)
    for label, field in (("fee", "fee"), ("product", "product_value"), ("shipping", "shipping")):
        value = getattr(t, field)
        if value is not None:
            out.append(f"{label} {money(value, d.currencies.get(field, cur))}")
    if t.commission_rate is not None:
        out.append(f"commission {t.commission_rate:.0%}")
    if t.deliverables:
        out.append(t.deliverables)
    if t.due_at is not None:
        out.append(f"due {t.due_at:%Y-%m-%d}")
    return tuple(out)


def board_view(b: CampaignBoard) -> BoardView:
    c = b.campaign
    links = {link.deal_id: link for link in b.links}
    stages = list(Stage)
    columns = []
    for stage in stages:
        cards = tuple(
            Card(
                deal_id=d.deal_id,
                ref=f"{d.platform}:{d.handle}",
                handle="@" + d.handle,
                platform=d.platform,
                tier=d.tier or "—",
                followers=fmt_followers(d.followers),
                stage=d.stage.value,
                terms=_terms(d, c),
                planned=money(d.planned_cost, c.currency) if d.planned_cost is not None else None,
                note=d.last_note,
                tracking_url=links[d.deal_id].tracking_url if d.deal_id in links else "",
                discount_code=d.discount_code,
                moves=tuple(s.value for s in stages if s is not d.stage),
            )
            for d in b.deals
            if d.stage is stage
        )
        columns.append(BoardColumn(stage.value, stage.value.replace("-", " "), cards))
    by_id = {d.deal_id: d for d in b.deals}
    events = tuple(
        (
            f"{e.at:%Y-%m-%d %H:%M}",
            e.by,
            "@" + by_id[e.deal_id].handle if e.deal_id in by_id else "?",
            (e.stage.value if e.stage else "terms") + (f": {e.note}" if e.note else ""),
        )
        for e in b.events
    )
    committed = sum(1 for d in b.deals if d.stage.committed)
    return BoardView(
        name=c.name,
        slug=c.slug,
        campaign_id=c.campaign_id,
        summary=f"{len(b.deals)} deal(s), {committed} agreed or later; currency {c.currency}; "
        f"links redirect to {', '.join(c.destinations)}",
        columns=tuple(columns),
        due=tuple(f"@{r.handle} ({r.stage.value}): {r.reason}" for r in b.due),
        events=events,
        links_columns=(
            "creator",
            "platform",
            "tier",
            "tracking_url",
            "discount_code",
            "destination_url",
        ),
        links=tuple(
            (
                k.creator,
                k.platform,
                k.tier or "",
                k.tracking_url,
                k.discount_code,
                k.destination_url,
            )
            for k in b.links
        ),
        data={
            "campaign": c,
            "deals": b.deals,
            "links": b.links,
            "due": b.due,
            "events": b.events,
        },
    )


@dataclass(frozen=True)
class CampaignListView:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    slugs: tuple[str, ...]
    data: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return jsonable(self.data)  # type: ignore[no-any-return]


def campaigns_view(campaigns: list[Campaign]) -> CampaignListView:
    return CampaignListView(
        columns=("#", "name", "currency", "plan", "created"),
        rows=tuple(
            (
                str(c.campaign_id),
                c.name,
                c.currency,
                f"#{c.plan_id}" if c.plan_id else "—",
                f"{c.created_at:%Y-%m-%d}",
            )
            for c in campaigns
        ),
        slugs=tuple(c.slug for c in campaigns),
        data={"campaigns": campaigns},
    )


def creator_deals_view(pairs: list[tuple[Campaign, Any]]) -> CampaignListView:
    """A creator's deals with the brand: campaign, stage, terms, planned cost, since."""
    return CampaignListView(
        columns=("campaign", "stage", "since", "terms", "planned cost"),
        rows=tuple(
            (
                c.name,
                d.stage.value,
                f"{d.stage_at:%Y-%m-%d}",
                ", ".join(_terms(d, c)) or "—",
                money(d.planned_cost, c.currency) if d.planned_cost is not None else "—",
            )
            for c, d in pairs
        ),
        slugs=tuple(c.slug for c, _ in pairs),
        data={"deals": [{"campaign": c.name, "slug": c.slug, "deal": d} for c, d in pairs]},
    )
