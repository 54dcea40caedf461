"""Views per post, as measured reach for the planner: median and spread over recent video posts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from creatormix.metrics.params import MetricParams

if TYPE_CHECKING:
    import ibis.expr.types as ir

KEY = ["platform", "handle"]


def views_stats(posts: ir.Table, params: MetricParams) -> ir.Table:
    """Per creator over its last N posts with views: ``views_posts``, ``views_median``, ``views_logsd``.

    ``views_logsd`` is the sample standard deviation of log(views): how much one post's reach varies
    around the creator's norm (the outcome model's post-level spread).
    """
    import ibis

    p = posts.filter(posts.views.notnull() & (posts.views > 0))
    window = ibis.window(
        group_by=KEY, order_by=[p.posted_at.desc(nulls_first=False), p.fact_seq.desc()]
    )
    p = p.mutate(rank_views=ibis.row_number().over(window))
    p = p.filter(p.rank_views < params.last_n)
    logv = p.views.cast("float64").ln()
    return p.group_by(KEY).agg(
        views_posts=p.count(),
        views_median=p.views.cast("float64").median(),
        views_logsd=logv.std(how="sample"),
    )
