"""Campaigns, deals and their events, tracking links, orders and what a report returns.

A deal's state is never updated in place: every change (a stage, new terms, a note, delivered
figures) is a ``DealEvent``; the current ``Deal`` is the fold of its events, latest value wins.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from creatormix.domain.numbers import quantity
from creatormix.domain.plan import DealType, Quantiles

# The plan's chance that a creator delivers (a gift is not always posted) is kept beside the
# deal's expected quantities, as one more row of ``deal_expectations`` under this name.
DELIVERY_PROBABILITY = "delivery_probability"


class Stage(StrEnum):
    """Where a deal stands, in pipeline order (``declined`` ends it from any stage)."""

    SHORTLISTED = "shortlisted"
    CONTACTED = "contacted"
    NEGOTIATING = "negotiating"
    AGREED = "agreed"
    PRODUCT_SENT = "product-sent"
    CONTENT_LIVE = "content-live"
    PAID = "paid"
    DECLINED = "declined"

    @classmethod
    def parse(cls, text: str) -> Stage:
        key = text.strip().lower().replace("_", "-").replace(" ", "-")
        try:
            return cls(key)
        except ValueError:
            choices = ", ".join(s.value for s in cls)
            raise ValueError(f"unknown stage {text!r} (expected one of: {choices})") from None

    @property
    def rank(self) -> int:
        return list(Stage).index(self)

    @property
    def committed(self) -> bool:
        """The brand owes the deal's terms from here on (agreed and later, not declined)."""
        return Stage.AGREED.rank <= self.rank <= Stage.PAID.rank


def parse_deal_type(text: str) -> DealType:
    key = text.strip().lower().replace("_", "-").replace(" ", "-")
    aliases = {"fee": "paid", "gift": "gifted", "commission": "affiliate"}
    try:
        return DealType(aliases.get(key, key))
    except ValueError:
        choices = ", ".join(t.value for t in DealType)
        raise ValueError(f"unknown deal type {text!r} (expected one of: {choices})") from None


@dataclass(frozen=True)
class Terms:
    """What one event changes about a deal; None leaves a field as it was."""

    deal_type: DealType | None = None
    fee: float | None = None  # paid fee, in ``currency``
    product_value: float | None = None  # retail value of products given, in ``currency``
    shipping: float | None = None  # in ``currency``
    commission_rate: float | None = None  # share of attributed net revenue (affiliate)
    # The currency of the amounts given in the same event; None: the campaign's. A folded deal's
    # terms leave it None: each amount keeps its own currency in ``Deal.currencies``.
    currency: str | None = None
    outreach_hours: float | None = None  # cumulative hours spent on this deal
    deliverables: str | None = None  # e.g. "1 reel + 3 stories"
    due_at: datetime | None = None
    reach: float | None = None  # delivered, entered by hand when content goes live
    engagements: float | None = None
    post_ids: tuple[str, ...] = ()  # catalog posts that delivered this deal
    destination: str | None = None  # another of the campaign's registered destinations

    def is_empty(self) -> bool:
        return all(getattr(self, f) in (None, ()) for f in self.__dataclass_fields__)


@dataclass(frozen=True)
class DealEvent:
    event_id: int
    deal_id: int
    at: datetime
    stage: Stage | None
    note: str | None
    terms: Terms
    by: str


@dataclass(frozen=True)
class Campaign:
    campaign_id: int
    name: str
    slug: str
    currency: str
    destinations: tuple[str, ...]  # the only URLs its links may redirect to; [0] is the default
    link_base: str  # e.g. https://go.brand.example; tracking URL = link_base + /r/<code>
    created_at: datetime
    plan_id: int | None = None
    window_days: int = 30
    outreach_rate: float = 0.0  # cost of one hour of outreach, in ``currency``


@dataclass(frozen=True)
class Deal:
    """A deal as it stands now (the fold of its events)."""

    deal_id: int
    campaign_id: int
    platform: str
    handle: str
    tier: str | None
    followers: int | None
    link_code: str
    discount_code: str
    destination: str
    stage: Stage
    stage_at: datetime
    created_at: datetime
    source: str  # "plan" or "manual"
    terms: Terms = field(default_factory=Terms)
    planned_cost: float | None = None
    expected: Mapping[str, Quantiles] = field(default_factory=dict)
    last_note: str | None = None
    # The time of the current stage's event, or of a later event of any kind (terms, a note)
    # recorded after it, whichever is latest: what follow-up reminders count from.
    last_event_at: datetime | None = None
    # Amount field ("fee", "product_value", "shipping") -> the currency its latest value was
    # given in; an amount without an entry is in the campaign's currency.
    currencies: Mapping[str, str] = field(default_factory=dict)
    # The plan's chance the creator delivers at all: below 1 for gifts, whose planned P10-P90
    # then includes not posting; 1 for paid deals and deals made by hand.
    probability: float = 1.0


MONEY_TERMS = ("fee", "product_value", "shipping")  # the Terms fields ``Terms.currency`` applies to


@dataclass(frozen=True)
class DealDraft:
    """A deal about to be created: from a plan selection or from a creator named by hand."""

    platform: str
    handle: str
    tier: str | None = None
    followers: int | None = None
    deal_type: DealType | None = None
    planned_cost: float | None = None
    expected: Mapping[str, Quantiles] = field(default_factory=dict)
    reasons: tuple[str, ...] = ()
    source: str = "manual"
    probability: float = 1.0  # the plan's chance the creator delivers (gifts are not always posted)
    planned_fee: float | None = None  # the fee the plan priced a paid deal at (None: not paid)


@dataclass(frozen=True)
class TrackingLink:
    """One row of the links export."""

    deal_id: int
    creator: str  # "@handle"
    platform: str
    tier: str | None
    tracking_url: str
    discount_code: str
    destination_url: str  # the destination with the UTM parameters the redirect sends to


@dataclass(frozen=True)
class DueReminder:
    """A follow-up: ``since`` when the wait began (the last event, or the due date), ``days`` the
    calendar days from that date to now, ``days_waiting`` the exact fraction."""

    deal_id: int
    handle: str
    platform: str
    stage: Stage
    since: datetime
    days_waiting: float
    reason: str
    days: int = 0


@dataclass(frozen=True)
class Click:
    """One recorded redirect. No IP is stored: ``visitor`` is a salted, daily-rotating hash."""

    link_code: str
    clicked_at: datetime
    visitor: str
    ua_family: str
    referrer: str | None


@dataclass(frozen=True)
class Order:
    """One store order as it stands after grouping its line items (latest import wins)."""

    order_key: str
    ordered_at: datetime | None
    currency: str | None
    subtotal: float | None
    total: float | None
    discount_codes: tuple[str, ...]
    refunded: float
    cancelled: bool
    financial_status: str | None
    utm_campaign: str | None = None
    utm_content: str | None = None
    utm_source: str | None = None


class AttributionMethod(StrEnum):
    CODE = "code"
    LINK = "link"
    NONE = "unattributed"


@dataclass(frozen=True)
class Attribution:
    order_key: str
    deal_id: int | None
    method: AttributionMethod
    revenue: float  # net of refunds, in ``currency``; 0 unless the order counts
    currency: str | None
    counts: bool  # counts as an order and revenue (paid or partially paid, not fully refunded)
    reason: str  # why this deal, or why none
    state: str = "counted"  # campaigns.attribution.OrderState: counted, pending, cancelled …
    pending: float = 0.0  # net amount of a pending (not yet paid) order, else 0
    ordered_at: datetime | None = None
    discount_codes: tuple[str, ...] = ()  # normalised
    utm_campaign: str | None = None
    # The order came through its deal's link: its UTM names the deal and that link was clicked
    # within the window before it (true for link attributions, and for code ones that also did).
    clicked: bool = False


@dataclass(frozen=True)
class Estimate:
    """A ratio with its bootstrap interval.

    ``value`` None: not measurable, and ``reason`` says why ("not measured", "no spend recorded",
    "no orders" …). ``high`` None with ``unbounded`` True: the interval has no finite upper end
    (the denominator was zero in too many resamples); ``high`` None with ``unbounded`` False: no
    interval (nothing to resample). ``measured_on`` is the number of creators the ratio uses: those
    with recorded spend whose denominator is measured (their spend alone is the numerator).
    """

    value: float | None
    low: float | None = None
    high: float | None = None
    unbounded: bool = False
    measured_on: int = 0
    reason: str | None = None


@dataclass(frozen=True)
class Outcome:
    """What one creator, tier or campaign delivered and cost (money in the campaign currency)."""

    key: str  # "@handle", tier name, or the campaign name
    creators: int
    spend: float
    spend_parts: Mapping[str, float]  # fees, products, shipping, outreach, commission
    reach: float | None
    engagements: float | None
    clicks: int
    orders: int
    revenue: float
    cpe: Estimate
    cpm: Estimate
    cpc: Estimate
    cpa: Estimate
    roas: Estimate
    tier: str | None = None
    platform: str | None = None
    sessions: float | None = None  # from analytics exports (by utm_content), when imported
    analytics_conversions: float | None = None
    pending_orders: int = 0  # attributed but not paid yet (financial status pending/authorized)
    pending_revenue: float = 0.0
    bot_clicks: int = 0  # clicks from crawlers and link previews, left out of ``clicks``


@dataclass(frozen=True)
class PlannedVsDelivered:
    """One deal's planned range for one metric beside what it delivered.

    ``verdict``: below P10, within P10-P90, above P90 (each of the range pro-rated to the time
    the content has been live, ``share``), too early (live for less than the minimum a verdict
    needs), no planned range (the plan predicted no P10-P90 for the metric, or predicted none of
    it: revenue without an order value), not measured, not live yet, not posted yet (a gift the
    plan gave a ``probability`` below 1 of being posted), declined.
    """

    handle: str
    platform: str
    metric: str
    planned: Quantiles  # the plan's range for the whole deal
    delivered: float | None
    verdict: str
    probability: float = 1.0  # the plan's chance of delivery; its range includes not delivering
    share: float = 1.0  # the part of the planned range due by now (pro-rating by time live)

    @property
    def has_range(self) -> bool:
        """A range to judge against: P10 and P90 known, and the plan expected some of it."""
        q = self.planned
        return _known(q.p10) and _known(q.p90) and (q.p90 > 0 or (_known(q.mean) and q.mean > 0))

    @property
    def judged(self) -> bool:
        """The delivered figure was judged against the (pro-rated) range."""
        return self.verdict.startswith(("below P10", "within P10-P90", "above P90"))

    @property
    def due(self) -> Quantiles:
        """The planned range pro-rated to the time live (``share`` of every figure)."""
        q, f = self.planned, self.share
        return Quantiles(q.mean * f, q.p10 * f, q.p50 * f, q.p90 * f)

    def planned_range(self) -> str:
        """ "500–1.4k", "—" when the plan gave no range; "(60% post)" after a conditional one;
        the range pro-rated to the time live when the deal's window is still open."""
        if not self.has_range:
            return "—"
        q = self.due
        text = f"{quantity(q.p10)}–{quantity(q.p90)}"
        if self.probability < 1:
            text += f" ({self.probability:.0%} post)"
        return text


def _known(x: float | None) -> bool:
    return x is not None and x == x  # NaN is not equal to itself


@dataclass(frozen=True)
class CampaignReport:
    campaign: Campaign
    generated_at: datetime
    period: tuple[datetime, datetime]
    creators: tuple[Outcome, ...]
    tiers: tuple[Outcome, ...]
    total: Outcome
    comparisons: tuple[str, ...]
    planned_vs_delivered: tuple[PlannedVsDelivered, ...]
    # Orders in the campaign's scope (placed from its creation to ``period[1]``, or naming its
    # utm_campaign) that match no deal: paid ones with their net revenue per order currency, and
    # the others (cancelled, refunded, pending …) counted apart. See docs/attribution.md.
    unattributed_orders: int
    unknown_codes: Mapping[str, int]  # codes of no deal on those paid unattributed orders
    rates_used: Mapping[str, float]
    notes: tuple[str, ...] = ()
    level: float = 0.95
    unattributed_revenue: Mapping[str, float] = field(default_factory=dict)
    unattributed_not_counted: Mapping[str, int] = field(default_factory=dict)
    undated_orders: int = 0  # orders without a date that match no deal: in no campaign's scope
    bot_clicks: int = 0  # clicks on the campaign's links from bots, left out of every figure
