"""Engagement rate variants and their empirical-Bayes shrinkage, as Ibis expressions.

Definitions (docs/metrics.md has the derivations and sources):

* per post, by followers: ``(likes + comments) / followers`` with the creator's current followers
  (exports carry no follower count per post); by views: ``(likes + comments) / views``.
* per creator: mean and median of those over the last N posts (N = ``MetricParams.last_n``).
* shrunk: the posterior mean of a Beta prior for the creator's platform x tier, updated with the
  creator's last-N posts where each post counts as ``phi`` Bernoulli trials (``phi`` estimated from
  how much posts of the same creator vary). Small samples move toward the tier norm.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from creatormix.domain import benchmarks
from creatormix.metrics._ibis import left_join
from creatormix.metrics.params import MetricParams

if TYPE_CHECKING:
    import ibis.expr.types as ir

KEY = ["platform", "handle"]


def ranked_posts(posts: ir.Table, followers: ir.Table) -> ir.Table:
    """Posts with ``er_followers``, ``er_views``, ``engagements`` and ``recency`` (0 = newest)."""
    import ibis

    p = left_join(posts, followers, KEY)
    engagements = p.likes + p.comments.fill_null(0)
    p = p.mutate(
        engagements=engagements,
        er_followers=ibis.ifelse(
            p.followers > 0, engagements.cast("float64") / p.followers, ibis.null("float64")
        ),
        er_views=ibis.ifelse(
            p.views > 0, engagements.cast("float64") / p.views, ibis.null("float64")
        ),
    )
    window = ibis.window(
        group_by=KEY, order_by=[p.posted_at.desc(nulls_first=False), p.fact_seq.desc()]
    )
    return p.mutate(recency=ibis.row_number().over(window))


def last_n_engagement(ranked: ir.Table, params: MetricParams) -> ir.Table:
    """Per creator: posts measured, mean/median/variance of ER over the last N posts."""
    last = ranked.filter((ranked.recency < params.last_n) & ranked.likes.notnull())
    return last.group_by(KEY).agg(
        posts_measured=last.count(),
        er_followers_mean=last.er_followers.mean(),
        er_followers_median=last.er_followers.median(),
        er_followers_var=last.er_followers.var(how="sample"),
        er_views_mean=last.er_views.mean(),
        er_views_median=last.er_views.median(),
        avg_engagements=last.engagements.mean(),
    )


def observed_rate(t: ir.Table, params: MetricParams) -> ir.Table:
    """Add ``er_observed``, its weight in posts ``er_weight`` and ``er_source`` to a profile table.

    Measured posts win; else the export's engagement rate; else the export's average likes and
    comments over followers.
    """
    import ibis

    from_avgs = ibis.ifelse(
        (t.followers > 0) & t.avg_likes.notnull(),
        (t.avg_likes + t.avg_comments.fill_null(0)) / t.followers,
        ibis.null("float64"),
    )
    has_posts = t.posts_measured.fill_null(0) > 0
    observed = ibis.cases(
        (has_posts & t.er_followers_mean.notnull(), t.er_followers_mean),
        (t.engagement_rate.notnull(), t.engagement_rate),
        else_=from_avgs,
    )
    source = ibis.cases(
        (has_posts & t.er_followers_mean.notnull(), "posts"),
        (t.engagement_rate.notnull(), "export"),
        (from_avgs.notnull(), "export-averages"),
        else_=ibis.ifelse(t.followers.notnull(), "prior", "none"),
    )
    weight = ibis.ifelse(
        has_posts & t.er_followers_mean.notnull(), t.posts_measured, params.export_weight
    )
    weight = ibis.ifelse(observed.isnull(), 0, weight)
    return t.mutate(er_observed=observed, er_weight=weight.cast("float64"), er_source=source)


def tier_priors(t: ir.Table, params: MetricParams) -> ir.Table:
    """Beta prior per platform x tier by the method of moments over creators with enough posts.

    ``prior_mean`` is the mean observed ER; ``prior_kappa`` = mean(1-mean)/between-variance - 1 and
    ``prior_phi`` = mean(1-mean)/within-creator post variance - 1. Groups with fewer than
    ``benchmarks.MIN_GROUP`` creators carry nulls here and fall back to published values.
    """
    basis = t.filter(
        t.er_observed.notnull() & (t.er_weight >= params.min_prior_posts) & t.tier.notnull()
    )
    basis = basis.mutate(x=basis.er_observed.clip(lower=0.0, upper=0.999))
    g = basis.group_by(["platform", "tier"]).agg(
        prior_n=basis.count(),
        prior_mean=basis.x.mean(),
        between_var=basis.x.var(how="sample"),
        within_var=basis.er_followers_var.mean(),
        mean_weight=basis.er_weight.mean(),
    )
    spread = g.prior_mean * (1 - g.prior_mean)
    # Observed spread between creators = true spread + sampling noise of each creator's mean.
    true_between = (g.between_var - g.within_var.fill_null(0) / g.mean_weight).clip(lower=1e-8)
    kappa = (spread / true_between - 1).clip(lower=2.0, upper=5000.0)
    phi = (spread / g.within_var - 1).clip(lower=5.0, upper=1e6)
    return g.mutate(prior_kappa=kappa, prior_phi=phi).select(
        "platform", "tier", "prior_n", "prior_mean", "prior_kappa", "prior_phi"
    )


def published_prior_table() -> dict[str, list[object]]:
    """Published ER by platform x tier as columns, for the fallback join."""
    rows: dict[str, list[object]] = {"platform": [], "tier": [], "published_er": []}
    for platform, tiers in benchmarks.ENGAGEMENT_RATE.items():
        for tier, value in tiers.items():
            rows["platform"].append(platform)
            rows["tier"].append(tier)
            rows["published_er"].append(value)
    return rows


def shrink(t: ir.Table, priors: ir.Table) -> ir.Table:
    """Add the posterior ``er_alpha``, ``er_beta``, ``er_shrunk`` and ``data_weight`` columns."""
    import ibis
    import pyarrow as pa

    published = ibis.memtable(
        pa.table(published_prior_table())
    )  # Arrow, not pandas: no pandas import
    fallback = benchmarks.ENGAGEMENT_RATE[benchmarks.FALLBACK_PLATFORM]
    t = left_join(t, priors, ["platform", "tier"])
    t = left_join(t, published, ["platform", "tier"])
    enough = t.prior_n.fill_null(0) >= benchmarks.MIN_GROUP
    fallback_er = ibis.cases(
        *[(t.tier == tier, value) for tier, value in fallback.items()], else_=ibis.null("float64")
    )
    mu = ibis.ifelse(enough, t.prior_mean, t.published_er.fill_null(fallback_er))
    kappa = ibis.ifelse(enough, t.prior_kappa, benchmarks.DEFAULT_KAPPA)
    phi = ibis.ifelse(enough & t.prior_phi.notnull(), t.prior_phi, benchmarks.DEFAULT_PHI)
    x = t.er_observed.clip(lower=0.0, upper=0.999)
    trials = ibis.ifelse(x.isnull(), 0.0, t.er_weight * phi)
    xs = x.fill_null(0.0)
    alpha = kappa * mu + trials * xs
    beta = kappa * (1 - mu) + trials * (1 - xs)
    return t.mutate(
        prior_er=mu,
        prior_source=ibis.ifelse(
            enough, "workspace", ibis.ifelse(mu.isnull(), "none", "published")
        ),
        er_alpha=alpha,
        er_beta=beta,
        er_shrunk=alpha / (alpha + beta),
        data_weight=trials / (kappa + trials),
    ).drop("published_er", "prior_mean", "prior_kappa", "prior_phi")
