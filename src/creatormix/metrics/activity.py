"""Posting cadence and sponsored-post share, as Ibis expressions over the current posts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from creatormix.metrics.disclosure import marker_regex
from creatormix.metrics.params import MetricParams

if TYPE_CHECKING:
    import ibis.expr.types as ir

KEY = ["platform", "handle"]
_DAY = 86_400.0


def cadence(ranked: ir.Table, params: MetricParams) -> ir.Table:
    """Per creator, over the last N dated posts: posts per week and the median gap in days.

    posts_per_week = (n - 1) / (span in days / 7), for n >= 2 posts spanning at least one hour.
    ``ranked`` numbers posts newest first with undated posts last, so a dated post's ``recency``
    is also its rank among the dated posts.
    """
    import ibis

    last = ranked.filter(ranked.posted_at.notnull() & (ranked.recency < params.last_n))
    seconds = last.posted_at.epoch_seconds()
    gap_window = ibis.window(group_by=KEY, order_by=[last.posted_at, last.fact_seq])
    last = last.mutate(gap_days=(seconds - seconds.lag().over(gap_window)) / _DAY)
    agg = last.group_by(KEY).agg(
        dated_posts=last.count(),
        first_post_at=last.posted_at.min(),
        last_post_at=last.posted_at.max(),
        median_gap_days=last.gap_days.median(),
    )
    span_days = (agg.last_post_at.epoch_seconds() - agg.first_post_at.epoch_seconds()) / _DAY
    per_week = ibis.ifelse(
        (agg.dated_posts >= 2) & (span_days >= 1 / 24),
        (agg.dated_posts - 1) / (span_days / 7.0),
        ibis.null("float64"),
    )
    return agg.mutate(posts_per_week=per_week).drop("first_post_at")


def sponsored_flag(posts: ir.Table) -> ir.BooleanValue:
    """The post's own flag where the export has one, else a disclosure marker in caption or hashtags."""
    text = posts.caption.fill_null("") + " " + posts.hashtags.join(" ").fill_null("")
    return posts.sponsored.fill_null(text.re_search(marker_regex()))


def sponsored_share(posts: ir.Table) -> ir.Table:
    """Per creator: sponsored posts and their share of every current post."""
    flagged = posts.mutate(is_sponsored=sponsored_flag(posts).cast("int64"))
    agg = flagged.group_by(KEY).agg(
        posts_total=flagged.count(), sponsored_posts=flagged.is_sponsored.sum()
    )
    return agg.mutate(sponsored_share=agg.sponsored_posts.cast("float64") / agg.posts_total)
