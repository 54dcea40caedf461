"""What the planner returns: a plan with its picks, totals, optimality, frontier and explanations.

``Plan`` is a ``PlanRecord`` (the contract campaigns rely on) with everything else a marketer needs
to trust it; ``PlanPick`` is a ``PlannedCreator`` with the numbers behind its choice. Both only add
keyword fields, so code written against the records keeps working.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from creatormix.domain.brief import Brief
from creatormix.domain.plan import PlannedCreator, PlanRecord, Quantiles


@dataclass(frozen=True, kw_only=True)
class PlanPick(PlannedCreator):
    """One chosen creator and why."""

    followers: int | None = None
    country: str | None = None
    committed_cost: float = 0.0  # the most this deal can cost (what the budget reserves)
    fee: float = 0.0  # creator fee part of the cost (0 for gifting)
    price_source: str = ""  # "quoted", "quoted (EUR converted)", "rate card"
    probability: float = 1.0  # chance the creator delivers (gifting acceptance)
    fit: float = 1.0  # audience fit to the target
    fit_source: str = ""
    authenticity: float = 1.0
    marginal_value: float = 0.0  # what the plan loses in its goal metric without this creator
    value_per_cost: float = 0.0  # marginal value per unit of currency
    # its own outcome in the plan's goal metric (profit, mix score ...), from the plan's simulation
    goal: Quantiles | None = None
    # what its overlap with the other picks was measured from ("follower list of 12,400",
    # "sample of 500 followers", "overlap model (no list)")
    overlap: str = ""


@dataclass(frozen=True)
class LeftOut:
    """A strong creator the plan did not take, and what kept it out."""

    platform: str
    handle: str
    tier: str | None
    value: float  # its expected goal value on its own
    cost: float
    reason: str  # "budget" | "constraint" | "overlap" | "fit" | "excluded" | "deal"
    detail: str


@dataclass(frozen=True)
class Optimality:
    """How close to optimal the plan is, with the proof behind the number."""

    method: (
        str  # e.g. "exact MILP (HiGHS)", "Lagrangian fixing + exact MILP", "lazy greedy + bound"
    )
    value: float  # the plan's objective value (expected)
    bound: float | None  # a proven upper bound on the best possible value (None: none proven)
    gap: float | None  # (bound - value) / bound, 0 when proven optimal
    note: str = ""

    @property
    def ratio(self) -> float | None:
        """Share of the proven bound the plan reaches (1.0 = optimal)."""
        if self.bound is None:
            return None
        return 1.0 if self.bound <= 0 else min(1.0, self.value / self.bound)


@dataclass(frozen=True)
class FrontierPoint:
    """One policy at one budget: what it buys and how it spends."""

    policy: str  # "nano", "micro", "mid", "macro", "mega" or "mix"
    budget: float
    # None when the policy has no feasible plan at this budget; ``mean`` is the exact expectation
    # (``objective``), P10/P50/P90 come from a Monte Carlo
    value: Quantiles | None
    objective: float = 0.0  # the expected goal value the optimiser maximised (exact, not simulated)
    spend: float = 0.0
    creators: int = 0
    gap: float = 0.0  # proven: (bound - objective) / bound for this policy at this budget
    tier_shares: Mapping[str, float] = field(default_factory=dict)
    note: str = ""


@dataclass(frozen=True)
class Frontier:
    """Goal value against budget for each single-tier policy and the best mix."""

    metric: str
    unit: str
    budgets: tuple[float, ...]
    points: tuple[FrontierPoint, ...]
    answer: str  # the plain-words answer to "micro or macro?"
    dropped: tuple[
        str, ...
    ] = ()  # the brief's rules every policy ignores (tier shares, must-include)
    plan_value: float | None = None  # the plan's exact expected goal value, at the brief's budget
    rules_cost: float | None = (
        None  # the mix minus the plan at the brief's budget, when rules dropped
    )

    def series(self, policy: str) -> list[FrontierPoint]:
        return [p for p in self.points if p.policy == policy]


@dataclass(frozen=True)
class PriorUsed:
    """A rate prior the plan used and where it came from."""

    platform: str
    tier: str
    metric: str
    mean: float
    strength: float  # pseudo-observations behind the mean
    origin: str  # "published", "assumption" (no published figure), "workspace", "learned"
    source: str  # citation, setting name or the campaigns behind a learned rate

    @property
    def from_brand_data(self) -> bool:
        return self.origin == "learned"


@dataclass(frozen=True)
class FilterStep:
    """How many candidates one filter of the brief kept."""

    name: str
    detail: str
    before: int
    after: int


@dataclass(frozen=True, kw_only=True)
class Plan(PlanRecord):
    """A plan: the record campaigns use plus everything needed to show and trust it again."""

    brief: Brief
    metric: str  # the goal metric the totals and frontier are about
    unit: str  # its unit in words ("engagements", "people", "EUR of revenue")
    totals: Mapping[str, Quantiles] = field(default_factory=dict)  # metric -> plan total
    expected_cost: float = 0.0
    committed_cost: float = 0.0
    tier_shares: Mapping[str, float] = field(
        default_factory=dict
    )  # tier -> share of committed spend
    optimality: Optimality | None = None
    target_probability: float | None = None
    frontier: Frontier | None = None
    left_out: tuple[LeftOut, ...] = ()
    priors: tuple[PriorUsed, ...] = ()
    filters: tuple[FilterStep, ...] = ()
    candidates: int = 0
    # what a reader must see first: a likely loss, lottery-ticket gifts, a plan forced into a loss
    warnings: tuple[str, ...] = ()
    unspent: str = ""  # why part of the budget is left unspent ("" when nearly all is spent)
    notes: tuple[str, ...] = ()
    model_versions: Mapping[str, str] = field(default_factory=dict)
    inputs: Mapping[str, object] = field(default_factory=dict)
    reach_objective: str = "views"  # what unique reach counted: "audience" or "views"

    @property
    def picks(self) -> tuple[PlanPick, ...]:
        return tuple(s for s in self.selections if isinstance(s, PlanPick))


@dataclass(frozen=True)
class PlanSummary:
    """A row of ``plans list``."""

    plan_id: int
    created_at: datetime
    name: str | None
    goal: str
    budget: float
    currency: str
    creators: int
    committed_cost: float
    value: Quantiles | None
    metric: str
