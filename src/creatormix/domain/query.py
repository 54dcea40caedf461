"""What a user asks of the catalog: filters and ordering for creator listings, and the answers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from creatormix.domain.catalog import CreatorProfile, FollowerSnapshot, Post
from creatormix.domain.imports import ImportRecord

Progress = Callable[[str, int, int | None], None]
"""A progress callback: (stage, done, total or None when unknown)."""


def no_progress(stage: str, done: int, total: int | None) -> None:
    """The default progress callback: says nothing."""


class SortKey(StrEnum):
    FOLLOWERS = "followers"
    ER = "er"  # shrunk engagement rate by followers
    ER_RAW = "er-raw"  # observed (unshrunk) engagement rate
    ER_VIEWS = "er-views"
    ENGAGEMENTS = "engagements"
    GROWTH = "growth"
    CADENCE = "cadence"
    SPONSORED = "sponsored"
    PRICE = "price"
    HANDLE = "handle"


@dataclass(frozen=True)
class CreatorQuery:
    """Filters combine with AND; each list filter matches any of its values. ER bounds are fractions.

    An ER bound or an ER sort (``er``, ``er-raw``) considers only creators with measured engagement
    (posts, or the export's rate or averages) unless ``include_prior_only``: a creator known only by
    the tier prior would pass or rank on that prior alone.
    """

    platforms: tuple[str, ...] = ()
    tiers: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    niches: tuple[str, ...] = ()
    min_followers: int | None = None
    max_followers: int | None = None
    min_er: float | None = None
    max_er: float | None = None
    text: str | None = None
    sort: SortKey = SortKey.FOLLOWERS
    descending: bool = True
    limit: int | None = 50
    offset: int = 0
    include_prior_only: bool = False

    @property
    def ranks_by_er(self) -> bool:
        """Whether the query filters or sorts on the engagement rate."""
        return (
            self.min_er is not None
            or self.max_er is not None
            or self.sort in {SortKey.ER, SortKey.ER_RAW}
        )


@dataclass(frozen=True)
class CreatorPage:
    """One page of a listing and how many creators matched in all.

    ``left_out_prior_only`` counts the creators that matched every other filter but were left out
    because the query ranks by ER and their ER is the tier prior alone.
    """

    creators: tuple[CreatorProfile, ...]
    total: int
    query: CreatorQuery
    left_out_prior_only: int = 0
    synthetic: str | None = None  # the label of a synthetic (demo) workspace, else None
    notes: tuple[str, ...] = ()  # how the order was decided when the sort key alone cannot


@dataclass(frozen=True)
class CreatorDetail:
    """Everything the creator page shows."""

    profile: CreatorProfile
    recent_posts: tuple[Post, ...]
    snapshots: tuple[FollowerSnapshot, ...]
    sources: tuple[ImportRecord, ...]
    prior_er: float | None
    prior_source: str
    data_weight: float | None
    synthetic: str | None = None  # the label of a synthetic (demo) workspace, else None


@dataclass(frozen=True)
class TierSummaryRow:
    platform: str
    tier: str
    creators: int
    median_followers: float | None
    median_er: float | None
    median_er_observed: float | None
    creators_with_posts: int
    posts: int
    median_price: float | None


@dataclass(frozen=True)
class TierSummary:
    scheme: str
    rows: tuple[TierSummaryRow, ...] = field(default_factory=tuple)
