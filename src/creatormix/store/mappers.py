"""Rows to domain objects: one mapper per type, the only place that knows column names."""

from __future__ import annotations

import math
from typing import Any

from creatormix.domain.catalog import (
    Creator,
    CreatorProfile,
    FollowerSnapshot,
    Interval,
    Post,
    PostType,
)
from creatormix.domain.platform import Platform


def _num(value: Any) -> float | None:
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else value


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def creator_from_row(row: dict[str, Any]) -> Creator:
    return Creator(
        platform=Platform(row["platform"]),
        handle=row["handle"],
        name=row.get("name"),
        country=row.get("country"),
        language=row.get("language"),
        categories=tuple(row.get("categories") or ()),
        followers=_int(row.get("followers")),
        following=_int(row.get("following")),
        post_count=_int(row.get("post_count")),
        bio=row.get("bio"),
        price_per_post=_num(row.get("price_per_post")),
        currency=row.get("currency"),
        avg_likes=_num(row.get("avg_likes")),
        avg_comments=_num(row.get("avg_comments")),
        avg_views=_num(row.get("avg_views")),
        avg_shares=_num(row.get("avg_shares")),
        engagement_rate=_num(row.get("engagement_rate")),
        audience_country=row.get("audience_country"),
    )


def profile_from_row(
    row: dict[str, Any], er_low: float, er_high: float, level: float
) -> CreatorProfile:
    interval = None
    if not (math.isnan(er_low) or math.isnan(er_high)):
        interval = Interval(low=er_low, high=er_high, level=level)
    return CreatorProfile(
        creator=creator_from_row(row),
        tier=row.get("tier"),
        posts_measured=int(row.get("posts_measured") or 0),
        er_followers_mean=_num(row.get("er_followers_mean")),
        er_followers_median=_num(row.get("er_followers_median")),
        er_views_mean=_num(row.get("er_views_mean")),
        er_views_median=_num(row.get("er_views_median")),
        er_shrunk=_num(row.get("er_shrunk")),
        er_interval=interval,
        er_source=row.get("er_source") or "none",
        posts_per_week=_num(row.get("posts_per_week")),
        median_gap_days=_num(row.get("median_gap_days")),
        last_post_at=row.get("last_post_at"),
        sponsored_share=_num(row.get("sponsored_share")),
        growth_30d=_num(row.get("growth_30d")),
        snapshots=int(row.get("snapshots") or 0),
        extras={
            "er_observed": _num(row.get("er_observed")),
            "er_basis": row.get("er_basis") or "followers",
            "er_implausible": _num(row.get("er_implausible")),
            "er_implausible_source": row.get("er_implausible_source"),
            "prior_n": int(row.get("prior_n") or 0),
            "posts_total": int(row.get("posts_total") or 0),
            "sponsored_posts": int(row.get("sponsored_posts") or 0),
            "avg_engagements": _num(row.get("avg_engagements")),
        },
    )


def post_from_row(row: dict[str, Any]) -> Post:
    return Post(
        platform=Platform(row["platform"]),
        handle=row["handle"],
        post_id=row["post_id"],
        posted_at=row.get("posted_at"),
        post_type=PostType(row["post_type"]) if row.get("post_type") else None,
        likes=_int(row.get("likes")),
        comments=_int(row.get("comments")),
        shares=_int(row.get("shares")),
        saves=_int(row.get("saves")),
        views=_int(row.get("views")),
        caption=row.get("caption"),
        hashtags=tuple(row.get("hashtags") or ()),
        sponsored=row.get("sponsored"),
    )


def snapshot_from_row(row: dict[str, Any]) -> FollowerSnapshot:
    return FollowerSnapshot(
        platform=Platform(row["platform"]),
        handle=row["handle"],
        observed_at=row["observed_at"],
        followers=int(row["followers"]),
    )
