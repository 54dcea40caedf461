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
    last = with_gaps(ranked.filter(ranked.recency < params.last_n))
    agg = last.group_by(KEY).agg(**cadence_aggregates(last))
    return finish_cadence(agg.filter(agg.dated_posts > 0))


def with_gaps(last: ir.Table) -> ir.Table:
    """Add ``gap_days``: days since the creator's previous dated post (dated posts only).

    Undated posts sort after the dated ones, so each dated post's predecessor is dated too.
    """
    import ibis

    seconds = last.posted_at.epoch_seconds()
    order = [last.posted_at.asc(nulls_first=False), last.fact_seq.asc()]
    gap_window = ibis.window(group_by=KEY, order_by=order)
    return last.mutate(gap_days=(seconds - seconds.lag().over(gap_window)) / _DAY)


def cadence_aggregates(last: ir.Table) -> dict[str, ir.Scalar]:
    """``cadence``'s reductions over a creator's last N posts (with ``with_gaps``); dated only."""
    dated = last.posted_at.notnull()
    return {
        "dated_posts": last.count(where=dated),
        "first_post_at": last.posted_at.min(),
        "last_post_at": last.posted_at.max(),
        "median_gap_days": last.gap_days.median(where=dated),
    }


def finish_cadence(agg: ir.Table) -> ir.Table:
    """Posts per week from ``cadence_aggregates``' columns (drops ``first_post_at``)."""
    import ibis

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
    return finish_sponsored(posts.group_by(KEY).agg(**sponsored_aggregates(posts)))


def sponsored_aggregates(posts: ir.Table) -> dict[str, ir.Scalar]:
    """``sponsored_share``'s reductions over every current post of a creator."""
    return {
        "posts_total": posts.count(),
        "sponsored_posts": sponsored_flag(
            posts
        ).sum(),  # a boolean sum: portable (no bool-to-bigint cast on PostgreSQL)
    }


def finish_sponsored(agg: ir.Table) -> ir.Table:
    """The share from ``sponsored_aggregates``' columns."""
    return agg.mutate(sponsored_share=agg.sponsored_posts.cast("float64") / agg.posts_total)
