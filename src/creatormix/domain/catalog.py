"""Creators, posts and follower snapshots as they are stored: one frozen type per fact."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from creatormix.domain.platform import Platform


class PostType(StrEnum):
    """The format of a post; used by the rate card and the reach model."""

    IMAGE = "image"
    CAROUSEL = "carousel"
    VIDEO = "video"
    REEL = "reel"
    STORY = "story"
    SHORT = "short"
    LIVE = "live"
    TEXT = "text"
    OTHER = "other"


@dataclass(frozen=True)
class Creator:
    """One creator account on one platform, as the catalog currently knows it.

    ``handle`` is normalised (lower case, no '@'). Averages (``avg_likes`` …) are what exports carry
    when posts are missing; ``engagement_rate`` is a fraction (0.0139 for "1.39%").
    """

    platform: Platform
    handle: str
    name: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2
    language: str | None = None  # ISO 639-1
    categories: tuple[str, ...] = ()
    followers: int | None = None
    following: int | None = None
    post_count: int | None = None
    bio: str | None = None
    price_per_post: float | None = None
    currency: str | None = None
    avg_likes: float | None = None
    avg_comments: float | None = None
    avg_views: float | None = None
    avg_shares: float | None = None
    engagement_rate: float | None = None
    audience_country: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.platform.value, self.handle)


@dataclass(frozen=True)
class Post:
    """One published post with its counts at the time of export."""

    platform: Platform
    handle: str
    post_id: str
    posted_at: datetime | None = None
    post_type: PostType | None = None
    likes: int | None = None
    comments: int | None = None
    shares: int | None = None
    saves: int | None = None
    views: int | None = None
    caption: str | None = None
    hashtags: tuple[str, ...] = ()
    sponsored: bool | None = None  # the export's own flag, as imported
    # Sponsored by the rule of the sponsored-post share: the export's flag where it has one, else
    # a disclosure marker (#ad, "paid partnership" …) in the caption or hashtags; None if not known.
    disclosed: bool | None = None


@dataclass(frozen=True)
class FollowerSnapshot:
    """A follower count observed at a point in time; snapshots are never overwritten."""

    platform: Platform
    handle: str
    observed_at: datetime
    followers: int


@dataclass(frozen=True)
class CreatorRef:
    """How a user names a creator on the command line: ``@handle`` or ``platform:handle``."""

    handle: str
    platform: Platform | None = None

    @classmethod
    def parse(cls, text: str) -> CreatorRef:
        from creatormix.domain.platform import normalise_handle

        text = text.strip()
        if ":" in text and not text.lower().startswith(("http:", "https:")):
            prefix, rest = text.split(":", 1)
            return cls(handle=normalise_handle(rest), platform=Platform.parse(prefix))
        return cls(handle=normalise_handle(text))


@dataclass(frozen=True)
class Interval:
    """A central credible/confidence interval with its level (0.9 = 90 %)."""

    low: float
    high: float
    level: float = 0.9


@dataclass(frozen=True)
class CreatorProfile:
    """A creator with everything the metrics layer derives from its facts."""

    creator: Creator
    tier: str | None
    posts_measured: int
    er_followers_mean: float | None
    er_followers_median: float | None
    er_views_mean: float | None
    er_views_median: float | None
    er_shrunk: float | None
    er_interval: Interval | None
    er_source: str
    posts_per_week: float | None
    median_gap_days: float | None
    last_post_at: datetime | None
    sponsored_share: float | None
    growth_30d: float | None
    snapshots: int
    extras: dict[str, object] = field(default_factory=dict)
