"""All creator metrics in one table: the creator's current facts joined to every derived metric."""

from __future__ import annotations

from typing import TYPE_CHECKING

from creatormix.domain.tiers import TierScheme
from creatormix.metrics._ibis import left_join
from creatormix.metrics.activity import cadence, sponsored_share
from creatormix.metrics.engagement import (
    last_n_engagement,
    last_posts,
    observed_rate,
    shrink,
    tier_priors,
    with_rates,
)
from creatormix.metrics.growth import follower_growth
from creatormix.metrics.params import MetricParams
from creatormix.metrics.tiers import tier_expr

if TYPE_CHECKING:
    import ibis.expr.types as ir

KEY = ["platform", "handle"]
METRICS_VERSION = "catalog-metrics/1"


def creator_profiles(
    creators: ir.Table,
    posts: ir.Table,
    snapshots: ir.Table,
    scheme: TierScheme,
    params: MetricParams,
    *,
    top_n_aggregate: bool = False,
) -> ir.Table:
    """One row per creator with tier, engagement variants, shrinkage, cadence, sponsored share, growth.

    ``top_n_aggregate``: the engine has a top-N aggregate (see ``engagement.last_posts``).
    """
    followers = creators.select(*KEY, "followers")
    # Only each creator's last N posts need rates and ranks: pick them first, then join.
    recent = with_rates(
        last_posts(posts, params.last_n, top_n_aggregate=top_n_aggregate), followers
    )
    t = creators.mutate(tier=tier_expr(creators.platform, creators.followers, scheme))
    for part in (
        last_n_engagement(recent, params),
        cadence(recent, params),
        sponsored_share(posts),
        follower_growth(snapshots, params),
    ):
        t = left_join(t, part, KEY)
    t = observed_rate(t, params)
    return shrink(t, tier_priors(t, params))
