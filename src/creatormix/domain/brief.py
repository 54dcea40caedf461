"""A planning brief: what the brand wants (goal, budget, target) and the rules a plan must keep.

A ``Brief`` is already validated (``planning.brief.parse_brief`` builds it from TOML or flags and
names the offending key when something is wrong); everything here is plain data. Money is in the
brief's ``currency``; rates are fractions (0.3 for 30 %).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from creatormix.domain.plan import DealType, Goal


class SalesObjective(StrEnum):
    """What a sales plan maximises: expected revenue, or expected profit (margin x revenue - cost)."""

    REVENUE = "revenue"
    PROFIT = "profit"


class ReachObjective(StrEnum):
    """What "unique reach" counts (docs/planning.md, "Two reach objectives").

    ``audience``: distinct followers of the chosen creators, each counted once (what incumbents
    call unique audience); ``views``: the expected distinct people who see at least one post,
    each follower seeing a creator's post with that creator's reach rate. Both count only real
    people in the target (fit and fake share discount them).
    """

    AUDIENCE = "audience"
    VIEWS = "views"


class Format(StrEnum):
    """The deliverable a creator is asked for; it changes price and reach (docs/metrics.md)."""

    POST = "post"  # a feed post (image)
    CAROUSEL = "carousel"
    VIDEO = "video"  # a reel, a TikTok, a YouTube video
    STORY = "story"


@dataclass(frozen=True)
class Target:
    """Who the brand wants to reach. Empty means "anyone"."""

    ship_to: tuple[str, ...] = ()  # ISO 3166-1 alpha-2 codes the brand can ship to
    ages: tuple[int, int] | None = None  # inclusive range, e.g. (18, 34)
    genders: tuple[str, ...] = ()  # "female", "male", "other"
    languages: tuple[str, ...] = ()  # ISO 639-1 codes

    @property
    def restricts(self) -> bool:
        """Whether the target names anyone in particular (empty: everyone counts)."""
        return bool(self.ship_to or self.ages or self.genders or self.languages)


@dataclass(frozen=True)
class TierShare:
    """Bounds on the share of the plan's spend that goes to one tier, or to several together
    (``tier`` = "nano+micro"), of what the plan spends."""

    tier: str
    min: float | None = None
    max: float | None = None

    @property
    def tiers(self) -> tuple[str, ...]:
        """The tiers whose spend counts together ("nano+micro" -> nano, micro)."""
        return tuple(self.tier.split("+"))


@dataclass(frozen=True)
class Cap:
    """At most ``max_creators`` creators, or at most ``max_share`` of the spend, for one country or niche."""

    key: str
    max_creators: int | None = None
    max_share: float | None = None


@dataclass(frozen=True)
class Brief:
    """Everything the planner needs to know about one request."""

    goal: Goal
    budget: float
    currency: str = "USD"
    name: str | None = None
    # what counts as success
    weights: Mapping[str, float] = field(default_factory=dict)  # goal = mix: metric -> weight
    sales_objective: SalesObjective = SalesObjective.REVENUE
    reach: ReachObjective = ReachObjective.VIEWS  # what unique reach counts (awareness, mixes)
    aov: float | None = None  # average order value
    margin: float | None = None  # gross margin on revenue, 0-1 (profit objective)
    min_roas: float | None = None  # revenue / cost the plan must reach in expectation
    # who and what
    target: Target = field(default_factory=Target)
    niche: tuple[str, ...] = ()  # keywords; a creator must match at least one
    platforms: tuple[str, ...] = ()  # empty = all
    tiers: tuple[str, ...] = ()  # empty = all
    min_followers: int | None = None
    max_followers: int | None = None
    min_fit: float = 0.0  # audience fit below this removes a creator
    min_authenticity: float = 0.0  # authenticity factor below this removes a creator
    # the deal
    deal_types: tuple[DealType, ...] = (DealType.PAID,)
    deliverables: int = 1  # pieces of content per creator per month
    months: int = 1  # 1 = one-off; more = a long-term partnership
    format: Format = Format.POST
    product_cost: float | None = None  # value of the product sent (gifting, product-for-post)
    product_cost_assumed: bool = False  # True when the brief gave none and a default was used
    shipping_cost: float = 0.0
    outreach_hours: float = (
        2.0  # hours of work per creator (find, contact, negotiate, brief, review)
    )
    hourly_cost: float = 36.0  # cost of one hour of that work, in the brief's currency
    fx: Mapping[str, float] = field(default_factory=dict)  # 1 unit of code = x brief currency
    # constraints
    min_creators: int | None = None
    max_creators: int | None = None
    tier_shares: tuple[TierShare, ...] = ()
    must_include: tuple[str, ...] = ()  # creator references (@handle or platform:handle)
    exclude: tuple[str, ...] = ()
    country_caps: tuple[Cap, ...] = ()
    niche_caps: tuple[Cap, ...] = ()
    budget_margin: float = 0.0  # share of the budget held back as a risk margin
    # uncertainty
    target_value: float | None = None  # report the probability of reaching this goal value
    risk_averse: bool = False  # maximise a low quantile instead of the mean
    risk_quantile: float = 0.1
    scenarios: int = 4000
    seed: int = 0
    # frontier
    frontier_budgets: tuple[float, ...] = ()  # empty = a grid around the budget
    frontier: bool = True

    @property
    def deliverables_total(self) -> int:
        """Pieces of content each creator delivers over the whole partnership."""
        return self.deliverables * self.months

    @property
    def spendable(self) -> float:
        """The budget minus the risk margin: what the plan may commit."""
        return self.budget * (1.0 - self.budget_margin)
