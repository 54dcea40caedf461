"""Engagement rate variants and their empirical-Bayes shrinkage, as Ibis expressions.

Definitions (docs/metrics.md has the derivations and sources):

* per post, by followers: ``(likes + comments) / followers`` with the creator's current followers
  (exports carry no follower count per post); by views: ``(likes + comments) / views``.
* per creator: mean and median of those over the last N posts (N = ``MetricParams.last_n``).
* the creator's engagement rate is the one its platform's users read (``benchmarks.ER_BASIS``):
  per view on TikTok and YouTube, per follower elsewhere. A rate outside what is physically
  plausible (``benchmarks.ER_PLAUSIBLE_MAX``) is kept (``er_implausible``) but never used.
* shrunk: the posterior mean of a Beta prior for the creator's platform x tier, updated with the
  creator's last-N posts where each post counts as ``phi`` Bernoulli trials (``phi`` estimated from
  how much posts of the same creator vary). Small samples move toward the tier norm. The prior is
  robust: the median and quartiles of the tier's plausible rates, so a few wild ones cannot move it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from creatormix.domain import benchmarks
from creatormix.metrics._ibis import ieee_divide, left_join
from creatormix.metrics.params import MetricParams

if TYPE_CHECKING:
    import ibis.expr.types as ir

KEY = ["platform", "handle"]


def with_rates(posts: ir.Table, followers: ir.Table) -> ir.Table:
    """Posts with ``followers``, ``engagements``, ``er_followers`` and ``er_views`` added."""
    import ibis

    p = left_join(posts, followers, KEY)
    engagements = p.likes + p.comments.fill_null(0)
    return p.mutate(
        engagements=engagements,
        er_followers=ibis.ifelse(
            p.followers > 0, engagements.cast("float64") / p.followers, ibis.null("float64")
        ),
        er_views=ibis.ifelse(
            p.views > 0, engagements.cast("float64") / p.views, ibis.null("float64")
        ),
    )


def ranked_posts(posts: ir.Table, followers: ir.Table) -> ir.Table:
    """Posts with ``er_followers``, ``er_views``, ``engagements`` and ``recency`` (0 = newest)."""
    import ibis

    p = with_rates(posts, followers)
    window = ibis.window(
        group_by=KEY, order_by=[p.posted_at.desc(nulls_first=False), p.fact_seq.desc()]
    )
    return p.mutate(recency=ibis.row_number().over(window))


# What the per-creator metrics read of each recent post.
LAST_POST_COLUMNS = ("fact_seq", "posted_at", "likes", "comments", "views")


def last_posts(posts: ir.Table, n: int, *, top_n_aggregate: bool = False) -> ir.Table:
    """Each creator's ``n`` latest posts: the key, ``LAST_POST_COLUMNS`` and ``recency`` (0 = newest).

    Latest means by ``posted_at``, undated posts after dated ones, the later fact first on a tie:
    the order of ``ranked_posts``. The portable form numbers every post with a window and keeps
    the first ``n``; ``top_n_aggregate`` picks them with the engine's top-N aggregate instead,
    which skips sorting every post (at 10 million posts, a few times less work). Same rows.
    """
    import ibis

    if top_n_aggregate:
        return _last_posts_by_aggregate(posts, n)
    window = ibis.window(
        group_by=KEY, order_by=[posts.posted_at.desc(nulls_first=False), posts.fact_seq.desc()]
    )
    ranked = posts.select(*KEY, *LAST_POST_COLUMNS, recency=ibis.row_number().over(window))
    return ranked.filter(ranked.recency < n)


def _last_posts_by_aggregate(posts: ir.Table, n: int) -> ir.Table:
    return unnest_last_posts(posts.group_by(KEY).agg(_last=last_posts_aggregate(posts, n)))


def last_posts_aggregate(posts: ir.Table, n: int) -> ir.ArrayValue:
    """The top-N reduction behind ``last_posts``: a creator's last ``n`` posts as one array.

    For engines with a top-N aggregate only (see ``last_posts``); ``unnest_last_posts`` turns the
    ``_last`` column of such an aggregation back into rows.
    """
    from datetime import datetime

    import ibis

    from creatormix.metrics._ibis import top_n_aggregate

    row = ibis.struct({c: posts[c] for c in LAST_POST_COLUMNS})
    # No null in the key: dated posts rank above undated ones, then time, then fact order.
    key = ibis.struct(
        {
            "dated": posts.posted_at.notnull(),
            "at": posts.posted_at.fill_null(ibis.literal(datetime(1970, 1, 1))),
            "seq": posts.fact_seq,
        }
    )
    return top_n_aggregate(row, key, n)


def unnest_last_posts(picked: ir.Table) -> ir.Table:
    """Rows of ``last_posts`` from an aggregation with ``_last=last_posts_aggregate(...)``."""
    flat = picked.select(*KEY, "_last").unnest("_last", offset="recency")
    return flat.select(
        *KEY, *[flat["_last"][c].name(c) for c in LAST_POST_COLUMNS], recency=flat.recency
    )


def last_n_engagement(ranked: ir.Table, params: MetricParams) -> ir.Table:
    """Per creator: posts measured, mean/median/variance of ER over the last N posts."""
    last = ranked.filter(ranked.recency < params.last_n)
    agg = last.group_by(KEY).agg(**engagement_aggregates(last))
    return agg.filter(agg.posts_measured > 0)


def engagement_aggregates(last: ir.Table) -> dict[str, ir.Scalar]:
    """``last_n_engagement``'s columns as reductions over a creator's last N posts.

    Posts without a like count are not measured. Kept apart so the creator profile can compute
    them in the same pass as the cadence (``profile.recent_post_metrics``).
    """
    measured = last.likes.notnull()
    return {
        "posts_measured": last.count(where=measured),
        "er_followers_mean": last.er_followers.mean(where=measured),
        "er_followers_median": last.er_followers.median(where=measured),
        "er_followers_var": last.er_followers.var(how="sample", where=measured),
        "er_views_mean": last.er_views.mean(where=measured),
        "er_views_median": last.er_views.median(where=measured),
        "er_views_var": last.er_views.var(how="sample", where=measured),
        "posts_with_views": last.count(where=measured & last.er_views.notnull()),
        "avg_engagements": last.engagements.mean(where=measured),
    }


def basis_expr(platform: ir.StringValue) -> ir.StringValue:
    """``"views"`` or ``"followers"``: the denominator of each row's platform engagement rate."""
    import ibis

    other = [(platform == p, b) for p, b in benchmarks.ER_BASIS.items()]
    return ibis.cases(*other, else_=benchmarks.ER_BASIS_DEFAULT)


def observed_rate(t: ir.Table, params: MetricParams) -> ir.Table:
    """Add ``er_basis``, ``er_observed``, ``er_weight``, ``er_source``, ``er_implausible`` and
    ``er_implausible_source`` to a profile table.

    The rate is in the platform's definition (``er_basis``): measured posts win; else the export's
    engagement rate; else the export's average likes and comments over its average views (per
    view) or the followers (per follower). A candidate outside ``benchmarks.ER_PLAUSIBLE_MAX`` is
    passed over: the next plausible one is used, and the first one found, if implausible, is kept
    in ``er_implausible``. When every candidate is implausible, ``er_source`` is "implausible",
    ``er_observed`` is null and the creator's shrunk rate is the tier prior.
    """
    import ibis

    basis = basis_expr(t.platform)
    by_views = basis == "views"
    cap = ibis.ifelse(
        by_views, benchmarks.ER_PLAUSIBLE_MAX["views"], benchmarks.ER_PLAUSIBLE_MAX["followers"]
    )
    engagements = t.avg_likes + t.avg_comments.fill_null(0)
    per_view = ibis.ifelse(
        (t.avg_views > 0) & t.avg_likes.notnull(), engagements / t.avg_views, ibis.null("float64")
    )
    per_follower = ibis.ifelse(
        (t.followers > 0) & t.avg_likes.notnull(), engagements / t.followers, ibis.null("float64")
    )
    has_posts = t.posts_measured.fill_null(0) > 0
    post_rate = ibis.ifelse(
        has_posts,
        ibis.ifelse(by_views, t.er_views_mean, t.er_followers_mean),
        ibis.null("float64"),
    )
    post_weight = ibis.ifelse(by_views, t.posts_with_views, t.posts_measured).fill_null(0)
    candidates = (
        ("posts", post_rate, post_weight),
        ("export", t.engagement_rate.cast("float64"), ibis.literal(params.export_weight)),
        ("export-averages", ibis.ifelse(by_views, per_view, per_follower), params.export_weight),
    )
    ok = [rate.notnull() & (rate >= 0) & (rate <= cap) for _, rate, _ in candidates]
    observed = ibis.cases(
        *[(o, rate) for o, (_, rate, _) in zip(ok, candidates, strict=True)],
        else_=ibis.null("float64"),
    )
    found = ibis.literal(False)
    for _, rate, _ in candidates:
        found = found | rate.notnull()
    source = ibis.cases(
        *[(o, name) for o, (name, _, _) in zip(ok, candidates, strict=True)],
        (found, "implausible"),
        else_=ibis.ifelse(t.followers.notnull(), "prior", "none"),
    )
    weight = ibis.cases(
        *[(o, w) for o, (_, _, w) in zip(ok, candidates, strict=True)],
        else_=0,
    )
    first = [rate.notnull() for _, rate, _ in candidates]
    implausible = ibis.cases(
        *[
            (f, ibis.ifelse(o, ibis.null("float64"), rate))
            for f, o, (_, rate, _) in zip(first, ok, candidates, strict=True)
        ],
        else_=ibis.null("float64"),
    )
    implausible_source = ibis.cases(
        *[
            (f, ibis.ifelse(o, ibis.null("string"), name))
            for f, o, (name, _, _) in zip(first, ok, candidates, strict=True)
        ],
        else_=ibis.null("string"),
    )
    return t.mutate(
        er_basis=basis,
        er_observed=observed,
        er_weight=weight.cast("float64"),
        er_source=source,
        er_implausible=implausible,
        er_implausible_source=implausible_source,
    )


# The interquartile range of a normal distribution is 1.349 standard deviations.
IQR_PER_SD = 1.349


def tier_priors(t: ir.Table, params: MetricParams) -> ir.Table:
    """Beta prior per platform x tier from the plausible rates of creators with enough posts.

    Robust moments, so one bad file cannot move a tier norm: ``prior_mean`` is the median of
    ``er_observed`` and the between-creator variance is (interquartile range / 1.349)^2, less
    the median sampling noise of a creator's mean. ``prior_kappa`` = m(1-m)/between - 1 and
    ``prior_phi`` = m(1-m)/within - 1 with the median within-creator post variance. Groups with
    fewer than ``benchmarks.MIN_GROUP`` creators carry nulls here and fall back to published values.
    """
    import ibis

    basis = t.filter(
        t.er_observed.notnull() & (t.er_weight >= params.min_prior_posts) & t.tier.notnull()
    )
    post_var = ibis.ifelse(
        basis.er_source == "posts",
        ibis.ifelse(basis.er_basis == "views", basis.er_views_var, basis.er_followers_var),
        ibis.null("float64"),
    )
    basis = basis.mutate(x=basis.er_observed.clip(lower=0.0, upper=0.999), post_var=post_var)
    g = basis.group_by(["platform", "tier"]).agg(
        prior_n=basis.count(),
        prior_mean=basis.x.median(),
        q25=basis.x.quantile(0.25),
        q75=basis.x.quantile(0.75),
        within_var=basis.post_var.median(),
        mean_weight=basis.er_weight.median(),
    )
    spread = g.prior_mean * (1 - g.prior_mean)
    between_var = ((g.q75 - g.q25) / IQR_PER_SD) ** 2
    # Observed spread between creators = true spread + sampling noise of each creator's mean.
    true_between = (between_var - g.within_var.fill_null(0) / g.mean_weight).clip(lower=1e-8)
    kappa = (spread / true_between - 1).clip(lower=2.0, upper=5000.0)
    # one creator's posts all at the same rate: no within spread, phi at its upper bound
    phi = (ieee_divide(spread, g.within_var) - 1).clip(lower=5.0, upper=1e6)
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
