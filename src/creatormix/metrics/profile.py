"""All creator metrics in one table: the creator's current facts joined to every derived metric."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from creatormix.domain.tiers import TierScheme
from creatormix.metrics._ibis import left_join
from creatormix.metrics.activity import (
    cadence_aggregates,
    finish_cadence,
    finish_sponsored,
    sponsored_aggregates,
    sponsored_share,
    with_gaps,
)
from creatormix.metrics.engagement import (
    engagement_aggregates,
    last_posts,
    last_posts_aggregate,
    observed_rate,
    shrink,
    tier_priors,
    unnest_last_posts,
    with_rates,
)
from creatormix.metrics.growth import follower_growth
from creatormix.metrics.params import MetricParams
from creatormix.metrics.tiers import tier_expr

if TYPE_CHECKING:
    import ibis.expr.types as ir

KEY = ["platform", "handle"]
# Bumped when a definition changes what a stored row means; the facade rebuilds a table built
# under another (2: engagement per view on TikTok and YouTube, implausible rates set aside).
METRICS_VERSION = "catalog-metrics/2"


def creator_profiles(
    creators: ir.Table,
    posts: ir.Table,
    snapshots: ir.Table,
    scheme: TierScheme,
    params: MetricParams,
    *,
    top_n_aggregate: bool = False,
    checkpoint: Callable[[ir.Table, str], ir.Table] | None = None,
) -> ir.Table:
    """One row per creator with tier, engagement variants, shrinkage, cadence, sponsored share, growth.

    ``top_n_aggregate``: the engine has a top-N aggregate (see ``engagement.last_posts``).
    ``checkpoint(table, name)``: computes a table that is read twice (the priors and the
    shrinkage both read every creator) once, for engines that would compute it twice (Spark
    computes a shared subquery once per reader); the same table comes back.
    """
    followers = creators.select(*KEY, "followers")
    if top_n_aggregate:
        # One pass over every post picks the last N and counts the sponsored posts together;
        # two would read every post twice (and DuckDB would buffer all of them in between).
        per_creator = posts.group_by(KEY).agg(
            _last=last_posts_aggregate(posts, params.last_n), **sponsored_aggregates(posts)
        )
        picked = unnest_last_posts(per_creator)
        sponsored = finish_sponsored(per_creator.drop("_last"))
    else:
        picked = last_posts(posts, params.last_n)
        sponsored = sponsored_share(posts)
    # Only each creator's last N posts need rates and ranks: pick them first, then join.
    recent = with_rates(picked, followers)
    t = creators.mutate(tier=tier_expr(creators.platform, creators.followers, scheme))
    for part in (
        recent_post_metrics(recent),
        sponsored,
        follower_growth(snapshots, params),
    ):
        t = left_join(t, part, KEY)
    t = observed_rate(t, params)
    if checkpoint is not None:
        t = checkpoint(t, "observed")
    return shrink(t, tier_priors(t, params))


def recent_post_metrics(recent: ir.Table) -> ir.Table:
    """``last_n_engagement`` and ``cadence`` side by side, in one pass over the last N posts.

    Two separate aggregations would each pick the last posts again (engines inline the shared
    subquery). A count of zero becomes null, as when a creator has no row in the separate tables.
    """
    last = with_gaps(recent)
    agg = last.group_by(KEY).agg(**engagement_aggregates(last), **cadence_aggregates(last))
    agg = agg.mutate(
        posts_measured=agg.posts_measured.nullif(0), dated_posts=agg.dated_posts.nullif(0)
    )
    return finish_cadence(agg)
