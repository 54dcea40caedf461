"""The planner's models: priors and their update rule, costs, outcomes, fit, Monte Carlo, sketches."""

from __future__ import annotations

import numpy as np
import pytest
from plan_helpers import catalog

from creatormix.domain import plan_benchmarks as pb
from creatormix.domain.brief import Brief, Target
from creatormix.domain.plan import DealType, Goal, LearnedRate
from creatormix.planning import costs, montecarlo, overlap, priors, seams, sketches
from creatormix.planning.candidates import Candidates
from creatormix.planning.outcomes import creator_outcomes


def test_every_published_prior_names_its_source() -> None:
    for platform in ("instagram", "tiktok", "youtube", "twitch"):
        for tier in pb.TIERS:
            for metric in priors.METRICS:
                p = priors.published(platform, tier, metric)
                assert 0 < p.mean < 1 and p.strength > 0 and len(p.source) > 10
                assumed = metric in {"follow_rate", "code_rate"}
                assert p.origin == ("assumption" if assumed else "published")


def test_learned_rates_update_the_prior_by_the_conjugate_rule_with_each_creator_capped() -> None:
    base = priors.published("instagram", "micro", "click_rate")
    per_creator = min(1000, base.strength / priors.PRIOR_CREATORS)  # a tenth of the prior
    small = [LearnedRate("instagram", "micro", "click_rate", 3, 50, "campaign 'A' @a")]
    table = priors.PriorTable(learned=small, learned_cap=1000)
    p = table.get("instagram", "micro", "click_rate")
    w = min(1.0, per_creator / 50)
    assert p.alpha == pytest.approx(base.alpha + w * 3)
    assert p.beta == pytest.approx(base.beta + w * 47)
    assert p.origin == "learned" and "campaign 'A'" in p.source
    # one creator's 10,000 trials count as one creator, however many they are
    big = [LearnedRate("instagram", "micro", "click_rate", 600, 10_000, "campaign 'B' @b")]
    p = priors.PriorTable(learned=big, learned_cap=1000).get("instagram", "micro", "click_rate")
    w = min(1.0, per_creator / 10_000)
    assert p.alpha == pytest.approx(base.alpha + w * 600)
    assert p.strength == pytest.approx(base.strength + w * 10_000)
    # ten creators weigh as much as the published prior
    ten = [
        LearnedRate("instagram", "micro", "click_rate", 600, 10_000, f"campaign 'C' @c{k}")
        for k in range(10)
    ]
    p = priors.PriorTable(learned=ten, learned_cap=1e9).get("instagram", "micro", "click_rate")
    assert p.strength == pytest.approx(2 * base.strength)
    assert p.mean == pytest.approx((base.mean + 0.06) / 2)
    other = priors.PriorTable(learned=small).get("tiktok", "micro", "click_rate")
    assert other.origin == "published"


def test_a_workspace_override_replaces_the_published_prior_and_learning_builds_on_it() -> None:
    o = priors.PriorOverride("*", "micro", "conversion_rate", 0.02, 100, "our 2025 campaigns")
    table = priors.PriorTable(overrides=[o])
    p = table.get("tiktok", "micro", "conversion_rate")
    assert (p.mean, p.strength, p.origin) == (0.02, 100, "workspace")
    assert table.get("tiktok", "mid", "conversion_rate").origin == "published"
    learned = [LearnedRate("tiktok", "micro", "conversion_rate", 10, 100, "c")]
    q = priors.PriorTable(overrides=[o], learned=learned).get("tiktok", "micro", "conversion_rate")
    # one creator counts as a tenth of the override's strength: 10 of its 100 trials
    assert q.mean == pytest.approx((2 + 1) / (100 + 10)) and "workspace prior" in q.source


def _brief(**kw: object) -> Brief:
    return Brief(goal=Goal.ENGAGEMENT, budget=10_000, **kw)  # type: ignore[arg-type]


def _one(**cols: object) -> Candidates:
    base: dict[str, object] = {
        "platform": ["instagram"],
        "handle": ["a"],
        "tier": ["micro"],
        "followers": [50_000.0],
        "er_alpha": [30.0],
        "er_beta": [970.0],
        "er_shrunk": [0.03],
        "country": ["FR"],
        "language": ["fr"],
    }
    base.update(cols)
    return Candidates.from_columns(**base)


def test_quoted_prices_win_and_other_currencies_need_a_rate() -> None:
    c = _one(price_per_post=[200.0], currency=["EUR"])
    with_rate = costs.fees(c, _brief(fx={"EUR": 1.1}), costs.RateCard())
    assert with_rate.fee[0] == pytest.approx(220) and with_rate.source[0].startswith("quoted")
    without = costs.fees(c, _brief(), costs.RateCard())
    assert without.source[0] == "rate card" and "EUR" in without.notes[0]
    with pytest.raises(costs.CostError, match="--fx USD="):
        costs.fees(_one(), _brief(currency="EUR"), costs.RateCard())


def test_the_rate_card_follows_followers_within_the_tier_range() -> None:
    card = costs.RateCard()
    low, high = card.range_for("instagram", "micro")
    assert card.point("instagram", "micro", 10_000) == pytest.approx(low)
    assert card.point("instagram", "micro", 100_000) == pytest.approx(high)
    assert low < card.point("instagram", "micro", 40_000) < high
    assert card.point("instagram", "mega", 20_000_000) == pytest.approx(
        2 * card.range_for("instagram", "mega")[1]
    )


def test_the_rate_card_is_tier_x_platform_x_format_and_the_workspace_can_set_a_format() -> None:
    from creatormix.domain.brief import Format

    c = _one(
        platform=["instagram", "tiktok"],
        handle=["a", "b"],
        tier=["micro"] * 2,
        followers=[50_000.0] * 2,
        er_alpha=[30.0] * 2,
        er_beta=[970.0] * 2,
        er_shrunk=[0.03] * 2,
        country=["FR"] * 2,
        language=["fr"] * 2,
    )
    card = costs.RateCard()
    post = costs.fees(c, _brief(format=Format.POST), card).fee
    reel = costs.fees(c, _brief(format=Format.VIDEO), card).fee
    # published: an Instagram reel costs 40-50 % more than a post; a TikTok card is per video
    assert reel[0] == pytest.approx(post[0] * pb.FORMAT_PRICE["video"]) and reel[1] == post[1]
    own = card.with_overrides({}, "our quotes", {"tiktok": {"video": {"micro": (300.0, 900.0)}}})
    fees = costs.fees(c, _brief(format=Format.VIDEO), own)
    assert 300 <= fees.fee[1] <= 900 and (fees.card_low[1], fees.card_high[1]) == (300, 900)
    assert fees.fee[0] == pytest.approx(reel[0])  # other platforms keep their card
    assert costs.fees(c, _brief(format=Format.POST), own).fee[1] == pytest.approx(post[1])


def test_gifting_commits_product_and_shipping_and_delivers_less_often_for_bigger_tiers() -> None:
    c = Candidates.from_columns(
        platform=["instagram"] * 5,
        handle=list("abcde"),
        tier=list(pb.TIERS),
        followers=[5e3, 5e4, 2e5, 7e5, 3e6],
    )
    brief = _brief(
        deal_types=(DealType.PAID, DealType.GIFTED, DealType.PRODUCT_FOR_POST),
        product_cost=30.0,
        shipping_cost=5.0,
    )
    opts = costs.build_options(c, brief, costs.fees(c, brief, costs.RateCard()))
    gifted = opts.probability[opts.deal == DealType.GIFTED]
    assert list(gifted) == sorted(gifted, reverse=True) and gifted[0] > gifted[-1]
    assert (opts.committed >= opts.expected_cost - 1e-9).all()
    outreach = brief.outreach_hours * brief.hourly_cost
    assert opts.committed[opts.deal == DealType.GIFTED] == pytest.approx(np.full(5, 35 + outreach))


def test_outcomes_use_measured_views_when_there_are_enough() -> None:
    table = priors.PriorTable()
    sig = seams.resolve(_one(), Target(), ())
    prior_based = creator_outcomes(_one(), _brief(), table, sig, 1)
    measured = creator_outcomes(
        _one(platform=["tiktok"], views_median=[20_000.0], views_posts=[6.0], views_logsd=[0.4]),
        _brief(),
        table,
        sig,
        1,
    )
    assert not prior_based.reach_measured[0] and measured.reach_measured[0]
    assert measured.mean["reach"][0] == pytest.approx(20_000 * pb.UNIQUE_VIEW_SHARE["tiktok"])
    rho = pb.REACH_RATE["instagram"]["micro"]
    assert prior_based.mean["reach"][0] == pytest.approx(50_000 * rho)
    two = creator_outcomes(_one(), _brief(), table, sig, 2)
    # two posts reach more people, but not twice as many: the same followers see both
    assert prior_based.mean["reach"][0] < two.mean["reach"][0] < 2 * prior_based.mean["reach"][0]
    assert two.mean["engagements"][0] == pytest.approx(2 * prior_based.mean["engagements"][0])


def test_authenticity_and_fit_discount_audience_outcomes_proportionally() -> None:
    c = _one()
    table = priors.PriorTable()
    base = seams.resolve(c, Target(), ())
    fake = seams.Signals(
        np.array([0.6]),
        base.authenticity_source,
        base.fit,
        base.fit_source,
        base.relevance,
        base.relevance_source,
    )
    a = creator_outcomes(c, _brief(), table, base, 1)
    b = creator_outcomes(c, _brief(), table, fake, 1)
    for metric in ("reach", "engagements", "clicks", "conversions", "followers_gained"):
        assert b.mean[metric][0] == pytest.approx(0.6 * a.mean[metric][0])
    assert b.mean["content"][0] == a.mean["content"][0]


def test_derived_fit_counts_the_home_country_and_states_low_confidence() -> None:
    c = Candidates.from_columns(
        platform=["instagram"] * 3,
        handle=list("abc"),
        country=["FR", "US", None],
        audience_country=[None, None, None],
        language=["fr", "en", None],
    )
    fit, src = seams.derived_fit(c, Target(ship_to=("FR", "BE")))
    assert fit[0] > 0.5 > fit[2] > fit[1]
    assert src[0] == seams.DERIVED
    fit_l, _ = seams.derived_fit(c, Target(ship_to=("FR",), languages=("fr",)))
    assert fit_l[0] == pytest.approx(fit[0]) and fit_l[1] <= fit[1]
    ones, src = seams.derived_fit(c, Target())
    assert (ones == 1).all() and src[0] == seams.NO_TARGET


def _draws(n: int, prob: float = 1.0) -> montecarlo.Draws:
    mean = {
        m: np.full(n, 100.0)
        for m in (
            "reach",
            "engagements",
            "clicks",
            "conversions",
            "revenue",
            "content",
            "followers_gained",
        )
    }
    mean["clicks"] = np.full(n, 2.0)
    mean["conversions"] = np.full(n, 0.1)
    return montecarlo.Draws(
        mean,
        np.full(n, prob),
        np.ones(n),
        np.full(n, 0.5),
        np.full(n, 0.6),
        0.5,
        np.ones(n, dtype=bool),
        np.zeros(n, dtype=np.int64),
        {
            k: np.array([0.3])
            for k in ("reach_rate", "click_rate", "conversion_rate", "follow_rate")
        },
    )


def test_monte_carlo_means_match_the_expectation_and_quantiles_are_ordered() -> None:
    sim = montecarlo.simulate(_draws(200, prob=0.5), scenarios=20_000, seed=1, aov=40)
    for metric, expected in (
        ("engagements", 100 * 200 * 0.5),
        ("reach", 100 * 200 * 0.5),
        ("clicks", 2 * 200 * 0.5),
        ("conversions", 0.1 * 200 * 0.5),
        ("revenue", 40 * 0.1 * 200 * 0.5),
        ("content", 100.0),
    ):
        q = sim.quantiles(metric)
        assert q.mean == pytest.approx(expected, rel=0.03), metric
        assert q.p10 <= q.p50 <= q.p90
    assert 0.0 < sim.probability_at_least("engagements", 10_000) < 1.0


def test_a_shared_prior_shock_widens_the_plan_beyond_independent_draws() -> None:
    d = _draws(300)
    shared = montecarlo.simulate(d, scenarios=5000, seed=2, metrics=("reach",))
    flat = montecarlo.Draws(
        d.mean,
        d.probability,
        d.pieces,
        d.sigma_reach,
        d.sigma_eng,
        d.sigma_response,
        np.zeros(300, dtype=bool),
        d.group,
        d.group_sigma,
    )
    independent = montecarlo.simulate(flat, scenarios=5000, seed=2, metrics=("reach",))

    def spread(s: montecarlo.Simulation) -> float:
        return s.quantiles("reach").p90 - s.quantiles("reach").p10

    assert spread(shared) > 3 * spread(independent)


def test_sketch_hashes_unpack_exactly_and_unions_are_estimated() -> None:
    import datasketches

    for n in (0, 1, 300, 50_000):
        blob = sketches.build(range(n), lg_k=12)
        u = sketches.unpack(blob)
        sk = datasketches.compact_theta_sketch.deserialize(blob, sketches.SEED)
        assert sorted(u.hashes.tolist()) == sorted(sk)
        assert u.theta == pytest.approx(sk.theta)
    est, lo, hi = sketches.estimate_union(
        [sketches.build(range(1000)), sketches.build(range(500, 1500))]
    )
    assert est == 1500 and lo <= est <= hi


def test_sketch_coverage_counts_shared_followers_once() -> None:
    blobs = [sketches.build(range(1000)), sketches.build(range(500, 1500)), None]
    indptr, elem, weight = sketches.hash_sets(blobs)
    assert weight == 1.0 and np.diff(indptr).tolist() == [1000, 1000, 0]
    assert len(np.unique(elem)) == 1500


def test_the_pool_model_overlaps_creators_of_one_niche_and_country_only() -> None:
    rng = np.random.default_rng(0)
    c = catalog(rng, 6, countries=("FR",), niches=("beauty",))
    c2 = catalog(rng, 6, countries=("US",), niches=("food",))
    both = Candidates(
        **{k: np.concatenate([getattr(c, k), getattr(c2, k)]) for k in c.__dataclass_fields__}
    )
    people = np.full(12, 100_000.0)
    reach = np.full(12, 20_000.0)
    model = overlap.build(both, people, reach)
    assert len(model.weight) == 2  # one pool per niche x country
    import scipy.sparse as sp

    from creatormix.planning import coverage
    from creatormix.planning.problem import Problem, Rows

    rows = Rows(sp.csr_matrix((0, 12)), np.zeros(0), np.zeros(0), (), ())
    p = Problem(12, np.arange(12), np.ones(12), np.zeros(12), rows, np.zeros(12, dtype=bool))

    def value(idx: list[int]) -> float:
        return coverage.value_of(model, p, np.ones(12), np.zeros(12), np.isin(np.arange(12), idx))

    same_pool = value([0, 1])
    other_pool = value([0, 6])
    assert other_pool == pytest.approx(40_000)
    assert same_pool < other_pool  # shared pool: some people reached twice count once
