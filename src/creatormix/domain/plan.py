"""Shared vocabulary of planning and campaigns: goals, deal types, planned creators, learned rates.

These types are the contract between the planner (which saves plans) and campaigns (which are made
from saved plans and feed measured rates back). Extend them; do not rename fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from creatormix.domain.numbers import quantity


class Goal(StrEnum):
    """What a plan maximises."""

    AWARENESS = "awareness"  # unique relevant reach
    ENGAGEMENT = "engagement"  # expected engagements
    SALES = "sales"  # expected revenue or profit
    CONTENT = "content"  # content pieces delivered
    GIVEAWAY = "giveaway"  # followers gained by the brand
    MIX = "mix"  # a weighted mix of the above


class DealType(StrEnum):
    """How a creator is compensated."""

    PAID = "paid"
    GIFTED = "gifted"
    PRODUCT_FOR_POST = "product-for-post"
    PRODUCT_FOR_CONTENT = "product-for-content"
    AFFILIATE = "affiliate"
    MIXED = "mixed"


# The outcome metrics a plan predicts per creator and a campaign measures.
OUTCOME_METRICS = (
    "reach",
    "engagements",
    "clicks",
    "conversions",
    "revenue",
    "content",
    "followers_gained",
)


# A goal or outcome metric in words, for sentences ("{currency}" is the plan's currency).
METRIC_WORDS = {
    "reach": "people reached",
    "engagements": "engagements",
    "clicks": "clicks",
    "conversions": "orders",
    "revenue": "{currency} of revenue",
    "profit": "{currency} of profit",
    "content": "pieces of content",
    "followers_gained": "followers gained",
    "score": "mix score",
}


def metric_words(metric: str, currency: str) -> str:
    """What a metric counts, in words: "followers gained", "EUR of revenue" (never the key)."""
    return METRIC_WORDS.get(metric, metric.replace("_", " ")).format(currency=currency)


def amount(metric: str, value: float, currency: str) -> str:
    """A quantity of a metric for a sentence: "1.2k USD of profit", "15.4 followers gained"."""
    return f"{quantity(value)} {metric_words(metric, currency)}"


@dataclass(frozen=True)
class Quantiles:
    """A predicted quantity: mean and the 10th, 50th and 90th percentiles."""

    mean: float
    p10: float
    p50: float
    p90: float


@dataclass(frozen=True)
class PlannedCreator:
    """One creator chosen by a plan, with the deal and what it is expected to deliver."""

    platform: str
    handle: str
    tier: str | None
    deal_type: DealType
    cost: float  # expected total cost in the plan's currency (fee or product + shipping + outreach)
    expected: Mapping[str, Quantiles] = field(default_factory=dict)  # keys from OUTCOME_METRICS
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlanRecord:
    """What any saved plan exposes to the rest of the product (campaigns, reports)."""

    plan_id: int
    created_at: datetime
    goal: Goal
    budget: float
    currency: str
    selections: tuple[PlannedCreator, ...]
    name: str | None = None


@dataclass(frozen=True)
class LearnedRate:
    """A rate measured on the brand's own campaigns, as evidence for a planner prior.

    ``metric`` is one of ``reach_rate`` (reach per follower), ``engagement_rate`` (engagements per
    follower), ``click_rate`` (clicks per reach) or ``conversion_rate`` (orders per click);
    ``successes``/``trials`` are one creator's counts on one campaign (e.g. 12 orders of 400 clicks).
    """

    platform: str
    tier: str
    metric: str
    successes: float
    trials: float
    source: str  # e.g. "campaign 'Spring launch' (3 creators)"
