"""Campaign use cases: create from a plan or by hand, move deals, links and codes, order and
analytics imports, click folding, the ROI report and the rates it teaches the planner.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from creatormix.campaigns import checks, delivery, links
from creatormix.campaigns import deals as deal_logic
from creatormix.domain.campaigns import (
    Campaign,
    CampaignReport,
    Deal,
    DealDraft,
    DealEvent,
    DueReminder,
    Stage,
    Terms,
    TrackingLink,
)
from creatormix.domain.catalog import CreatorRef
from creatormix.domain.plan import LearnedRate, PlanRecord
from creatormix.domain.query import Progress, no_progress
from creatormix.domain.requests import ReportRequest
from creatormix.errors import InvalidOption, NotFound
from creatormix.store import campaigns as cstore
from creatormix.store import catalog as facts
from creatormix.store.core import current_user, utcnow
from creatormix.workspace.catalog import CatalogOps

if TYPE_CHECKING:
    from creatormix.campaigns.results import ReportFacts
    from creatormix.campaigns.roi import DealResult

DEFAULT_LINK_BASE = "http://localhost:8080"


class CampaignOps(CatalogOps):
    """Campaigns name creators of the catalog (``CatalogOps``) and read saved plans."""

    # --- campaigns -------------------------------------------------------------------------

    def create_campaign(
        self,
        name: str,
        destination: str,
        creators: Sequence[str] = (),
        *,
        currency: str = "USD",
        link_base: str = DEFAULT_LINK_BASE,
        window_days: int = 30,
        outreach_rate: float = 0.0,
        plan: PlanRecord | None = None,
    ) -> Campaign:
        """A campaign with one shortlisted deal per creator (``@handle`` or ``platform:handle``)."""
        drafts = [self._draft_for(ref) for ref in creators]
        return self._create(
            name, destination, drafts, currency, link_base, window_days, outreach_rate, plan
        )

    def create_campaign_from_plan(
        self,
        name: str,
        plan: PlanRecord,
        destination: str,
        *,
        link_base: str = DEFAULT_LINK_BASE,
        window_days: int = 30,
        outreach_rate: float | None = None,
    ) -> Campaign:
        """A campaign whose deals are the plan's selections, with their planned cost and outcomes.

        ``outreach_rate`` None takes the hourly outreach cost the plan was priced with (its
        brief's ``deals.hourly_cost``), so recorded hours cost what the plan assumed.
        """
        from creatormix.campaigns.deals import drafts_from_plan, plan_hourly_cost

        if outreach_rate is None:
            outreach_rate = plan_hourly_cost(plan)
        drafts = [self._with_followers(d) for d in drafts_from_plan(plan)]
        return self._create(
            name, destination, drafts, plan.currency, link_base, window_days, outreach_rate, plan
        )

    def create_campaign_from_plan_id(
        self, name: str, plan_id: int, destination: str, **options: Any
    ) -> Campaign:
        """Create a campaign from saved plan ``plan_id`` (its creators become shortlisted deals)."""
        from creatormix.store.planning import load_plan

        plan = load_plan(self.store, int(plan_id))
        return self.create_campaign_from_plan(name, plan, destination, **options)

    def _create(
        self,
        name: str,
        destination: str,
        drafts: Sequence[DealDraft],
        currency: str,
        link_base: str,
        window_days: int,
        outreach_rate: float,
        plan: PlanRecord | None,
    ) -> Campaign:
        name, destination, link_base, slug = checks.new_campaign(
            name, destination, link_base, window_days, cstore.campaigns(self.store)
        )
        now = utcnow()
        with self.store.transaction():
            campaign_id = self.store.next_id("campaigns", "campaign_id")
            cstore.insert_campaign(
                self.store,
                {
                    "campaign_id": campaign_id,
                    "name": name,
                    "slug": slug,
                    "currency": currency.upper(),
                    "link_base": link_base,
                    "plan_id": plan.plan_id if plan else None,
                    "goal": plan.goal.value if plan else None,
                    "budget": plan.budget if plan else None,
                    "window_days": window_days,
                    "outreach_rate": outreach_rate,
                    "created_at": now,
                    "created_by": current_user(),
                },
                [destination],
            )
            self._insert_deals(campaign_id, drafts, destination, now)
        return self.get_campaign(campaign_id)

    def add_creators(self, campaign: str | int, creators: Sequence[str]) -> list[Deal]:
        """Shortlist more creators on an existing campaign."""
        c = self.get_campaign(campaign)
        have = {(d.platform, d.handle) for d in self.campaign_deals(c.campaign_id)}
        drafts = [self._draft_for(ref) for ref in creators]
        dup = [f"@{d.handle}" for d in drafts if (d.platform, d.handle) in have]
        if dup:
            raise InvalidOption(f"already on {c.name!r}: {', '.join(dup)}")
        with self.store.transaction():
            ids = self._insert_deals(c.campaign_id, drafts, c.destinations[0], utcnow())
        return [d for d in self.campaign_deals(c.campaign_id) if d.deal_id in ids]

    def add_destination(self, campaign: str | int, url: str) -> Campaign:
        """Register another destination URL on a campaign (links may only point at registered ones)."""
        c = self.get_campaign(campaign)
        try:
            url = links.check_destination(url)
        except ValueError as exc:
            raise InvalidOption(str(exc)) from None
        with self.store.transaction():
            cstore.add_destinations(self.store, c.campaign_id, [url], utcnow())
        return self.get_campaign(c.campaign_id)

    def _draft_for(self, ref: str) -> DealDraft:
        parsed = _creator_ref(ref)
        if parsed.platform is None:
            try:
                platform, handle = self.resolve_creator(parsed)
            except NotFound:
                raise NotFound(
                    f"@{parsed.handle} is not in the catalog; name the platform as platform:handle"
                ) from None
        else:
            platform, handle = parsed.platform.value, parsed.handle
        return self._with_followers(DealDraft(platform=platform, handle=handle))

    def _with_followers(self, draft: DealDraft) -> DealDraft:
        """Fill tier and followers from the catalog, when the creator is in it."""
        self._ensure_metrics()
        row = facts.tier_and_followers(self.store, draft.platform, draft.handle)
        if row is None:
            return draft
        return replace(
            draft,
            tier=draft.tier or row["tier"],
            followers=draft.followers or row["followers"],
        )

    def _insert_deals(
        self, campaign_id: int, drafts: Sequence[DealDraft], destination: str, now: datetime
    ) -> list[int]:
        first = self.store.next_id("deals", "deal_id")
        taken = cstore.taken_codes(self.store)
        rows, expected = checks.deal_rows(campaign_id, drafts, destination, now, first, taken)
        cstore.insert_deals(self.store, rows, expected)
        first_event = self.store.next_id("deal_events", "event_id")
        cstore.insert_events(
            self.store,
            [
                DealEvent(
                    first_event + i,
                    r["deal_id"],
                    now,
                    Stage.SHORTLISTED,
                    "from plan" if r["source"] == "plan" else None,
                    # a paid deal from a plan starts at the fee the plan priced it at
                    Terms(fee=d.planned_fee),
                    current_user(),
                )
                for i, (r, d) in enumerate(zip(rows, drafts, strict=True))
            ],
        )
        return [r["deal_id"] for r in rows]

    def list_campaigns(self) -> list[Campaign]:
        """Every campaign in the workspace."""
        return cstore.campaigns(self.store)

    def get_campaign(self, ref: str | int) -> Campaign:
        """By id, exact name (any case) or slug."""
        found = cstore.campaigns(self.store)
        for c in found:
            if (
                (isinstance(ref, int) and c.campaign_id == ref)
                or (isinstance(ref, str) and ref.strip().lower() in {c.name.lower(), c.slug})
                or (isinstance(ref, str) and ref.strip().isdigit() and int(ref) == c.campaign_id)
            ):
                return c
        known = ", ".join(repr(c.name) for c in found) or "none yet"
        raise NotFound(f"no campaign {ref!r} (campaigns: {known})")

    # --- deals -----------------------------------------------------------------------------

    def campaign_deals(self, campaign: str | int) -> list[Deal]:
        """Every deal of the campaign as it stands now."""
        c = self.get_campaign(campaign)
        rows = cstore.deal_rows(self.store, c.campaign_id)
        return self._fold_deals(rows)

    def _fold_deals(self, rows: list[dict[str, Any]]) -> list[Deal]:
        ids = [int(r["deal_id"]) for r in rows]
        evs = cstore.events(self.store, ids)
        exp = cstore.expectations(self.store, ids)
        by_deal: dict[int, list[DealEvent]] = {}
        for ev in evs:
            by_deal.setdefault(ev.deal_id, []).append(ev)
        return [
            deal_logic.fold(
                cstore.deal_base(r, exp.get(int(r["deal_id"]), {})),
                by_deal.get(int(r["deal_id"]), []),
            )
            for r in rows
        ]

    def _find_deal(self, campaign: Campaign, creator: str) -> Deal:
        ref = _creator_ref(creator)
        matches = [
            d
            for d in self.campaign_deals(campaign.campaign_id)
            if d.handle == ref.handle and (ref.platform is None or d.platform == ref.platform.value)
        ]
        if not matches:
            raise NotFound(f"@{ref.handle} has no deal on {campaign.name!r}")
        if len(matches) > 1:
            options = ", ".join(f"{d.platform}:{d.handle}" for d in matches)
            raise InvalidOption(
                f"@{ref.handle} has deals on several platforms; say which: {options}"
            )
        return matches[0]

    def move_deal(
        self,
        campaign: str | int,
        creator: str,
        stage: Stage | None = None,
        *,
        terms: Terms | None = None,
        note: str | None = None,
        at: datetime | None = None,
    ) -> tuple[Deal, str | None]:
        """Append one event (a stage, new terms, a note); returns the deal now and any warning."""
        c = self.get_campaign(campaign)
        terms = terms or Terms()
        if stage is None and terms.is_empty() and not note:
            raise InvalidOption("nothing to record: give a stage, terms (--fee …) or --note")
        terms = checks.event_terms(terms, c)
        with self.store.transaction():
            # read the deal and the clock under the write lock: another user's move commits
            # either wholly before this one (and its stage is what this one checks) or after
            deal = self._find_deal(c, creator)
            when = checks.event_time(deal, at, utcnow())
            warning = deal_logic.check_move(deal, stage) if stage else None
            event = DealEvent(
                self.store.next_id("deal_events", "event_id"),
                deal.deal_id,
                when,
                stage,
                note,
                terms,
                current_user(),
            )
            cstore.insert_events(self.store, [event])
        return self._find_deal(c, f"{deal.platform}:{deal.handle}"), warning

    def deal_history(self, campaign: str | int, creator: str) -> tuple[Deal, list[DealEvent]]:
        """A deal and every event that made it, oldest first."""
        c = self.get_campaign(campaign)
        deal = self._find_deal(c, creator)
        return deal, cstore.events(self.store, [deal.deal_id])

    def due(
        self,
        campaign: str | int | None = None,
        *,
        after_days: float = 5,
        now: datetime | None = None,
    ) -> list[DueReminder]:
        """Deals waiting ``after_days`` or more for a reply, and deliverables past due."""
        if campaign is None:
            rows = cstore.deal_rows(self.store)
        else:
            rows = cstore.deal_rows(self.store, self.get_campaign(campaign).campaign_id)
        return deal_logic.due(self._fold_deals(rows), now or utcnow(), after_days)

    # --- links and codes -------------------------------------------------------------------

    def campaign_links(
        self, campaign: str | int, *, link_base: str | None = None
    ) -> list[TrackingLink]:
        """One row per deal: tracking URL, discount code and the UTM destination it redirects to."""
        c = self.get_campaign(campaign)
        base = link_base or c.link_base
        return [
            TrackingLink(
                deal_id=d.deal_id,
                creator="@" + d.handle,
                platform=d.platform,
                tier=d.tier,
                tracking_url=links.tracking_url(base, d.link_code),
                discount_code=d.discount_code,
                destination_url=links.utm_destination(
                    d.destination, platform=d.platform, campaign_slug=c.slug, handle=d.handle
                ),
            )
            for d in self.campaign_deals(c.campaign_id)
        ]

    def export_links(
        self, campaign: str | int, path: str | Path, *, link_base: str | None = None
    ) -> list[TrackingLink]:
        """Write the links CSV (creator, platform, tier, tracking_url, discount_code, destination_url)."""
        rows = self.campaign_links(campaign, link_base=link_base)
        target = Path(path)
        tmp = target.with_name(target.name + ".tmp")
        with tmp.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(
                ["creator", "platform", "tier", "tracking_url", "discount_code", "destination_url"]
            )
            for r in rows:
                w.writerow(
                    [
                        r.creator,
                        r.platform,
                        r.tier or "",
                        r.tracking_url,
                        r.discount_code,
                        r.destination_url,
                    ]
                )
        tmp.replace(target)
        return rows

    def redirect_targets(self) -> dict[str, str]:
        """link code -> the URL it redirects to, for every deal whose destination is registered.

        A deal's destination is checked against its campaign's registered destinations here, so the
        redirect server only ever knows registered URLs: there is no open redirect to build.
        """
        out: dict[str, str] = {}
        by_id = {c.campaign_id: c for c in cstore.campaigns(self.store)}
        for d in self.all_deals():
            c = by_id.get(d.campaign_id)
            if c is None or d.destination not in c.destinations:
                continue
            out[d.link_code] = links.utm_destination(
                d.destination, platform=d.platform, campaign_slug=c.slug, handle=d.handle
            )
        return out

    def fold_clicks(self) -> int:
        """Move clicks from the redirect server's journal into the workspace; returns how many."""
        from creatormix.store.clicks import fold, journal_dir

        return fold(self.store, journal_dir(self.store.target))

    # --- results ---------------------------------------------------------------------------

    def campaign_report(
        self,
        request: ReportRequest | str | int,
        *,
        progress: Progress = no_progress,
        **options: Any,
    ) -> CampaignReport:
        """Attribute orders, measure every deal, compute outcomes with bootstrap intervals.

        ``request`` is a ``ReportRequest``, or the campaign with the request's other fields as
        keywords (``rates``, ``draws``, ``level``, ``seed``, ``learn``, ``bots``, ``now``).
        Clicks from bots (crawlers, link previews, curl) are left out unless ``bots``. With
        ``learn`` the measured rates are appended to ``learned_rates`` as this campaign's new
        contribution (see docs/attribution.md). Raises InvalidOption when an order or an amount
        is in a currency without a user-supplied rate, or a rate names the campaign's currency.
        """
        from creatormix.campaigns.render import report_csv, report_html
        from creatormix.campaigns.results import build, check_rates

        req = request if isinstance(request, ReportRequest) else ReportRequest(request, **options)
        progress("clicks", 0, 1)
        with self.store.transaction():
            self.fold_clicks()
        progress("clicks", 1, 1)
        c = self.get_campaign(req.campaign)
        rates = dict(req.rates)
        check_rates(rates, c.currency)  # before any work
        facts = self._report_facts(c, bots=req.bots)
        now = req.now or utcnow()
        report, results = build(
            facts, rates, draws=req.draws, level=req.level, seed=req.seed, now=now
        )
        if req.learn:
            self._learn(c, results, report.generated_at)
        if req.html:
            Path(req.html).write_text(report_html(report), encoding="utf-8")
        if req.csv:
            Path(req.csv).write_text(report_csv(report), encoding="utf-8")
        return report

    def _report_facts(self, c: Campaign, *, bots: bool) -> ReportFacts:
        """Everything ``c``'s report is computed from (bots' clicks only with ``bots``)."""
        from creatormix.campaigns.results import ReportFacts

        everything = self.all_deals()
        deals = [d for d in everything if d.campaign_id == c.campaign_id]
        live_at = delivery.live_times(cstore.events(self.store, [d.deal_id for d in deals]))
        return ReportFacts(
            campaign=c,
            campaigns=self.list_campaigns(),
            deals=everything,
            orders=cstore.orders_current(self.store),
            clicks=cstore.click_times(self.store, bots=bots),
            bot_clicks={} if bots else cstore.bot_clicks(self.store),
            delivered=self._delivered(deals, live_at),
            live_at=live_at,
            analytics=cstore.analytics_by_content(self.store, c.slug),
        )

    def _delivered(
        self, deals: Sequence[Deal], live_at: Mapping[int, datetime]
    ) -> dict[int, tuple[float | None, float | None]]:
        """(reach, engagements) per deal: typed-in figures win; else the deal's posts (see docs)."""
        out = {}
        for d in deals:
            sel = delivery.selection(d, live_at.get(d.deal_id))
            rows = []
            if sel is not None:
                window = (sel.start, sel.end) if sel.start and sel.end else None
                rows = cstore.deal_posts(
                    self.store, sel.platform, sel.handle, post_ids=sel.post_ids, window=window
                )
            out[d.deal_id] = delivery.delivered(d, rows)
        return out

    def _learn(self, c: Campaign, results: Sequence[DealResult], at: datetime) -> None:
        from creatormix.campaigns.learning import learned_rates

        rates = learned_rates(results, f"campaign {c.name!r}")  # one row per live creator
        with self.store.transaction():
            cstore.append_learned_rates(self.store, rates, c.campaign_id, at)

    def learned_rates(self) -> list[LearnedRate]:
        """Rates measured on the brand's campaigns: the latest report of each campaign."""
        return cstore.latest_learned_rates(self.store)

    def deals_for_report(self, c: Campaign) -> list[Deal]:
        """The deals a campaign's report covers."""
        return self.campaign_deals(c.campaign_id)

    def all_deals(self) -> list[Deal]:
        """Every deal of every campaign, folded from its events."""
        return self._fold_deals(cstore.deal_rows(self.store))

    def live_since(self, deal_ids: Sequence[int]) -> dict[int, datetime]:
        """deal_id -> when its content first went live."""
        return delivery.live_times(cstore.events(self.store, deal_ids))


def _creator_ref(text: str) -> CreatorRef:
    try:
        return CreatorRef.parse(text)
    except ValueError as exc:
        raise InvalidOption(f"{text!r}: {exc}") from None
