"""The pure campaign core: codes, links, attribution, ROI and learning, without a database."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from creatormix.campaigns import codes, links
from creatormix.campaigns.attribution import (
    DealKeys,
    OrderState,
    attribute,
    convert,
    net_revenue,
    order_state,
)
from creatormix.campaigns.deals import drafts_from_plan, due, fold
from creatormix.campaigns.learning import learned_rates
from creatormix.campaigns.roi import DealResult, outcome
from creatormix.domain.campaigns import (
    AttributionMethod,
    Campaign,
    CampaignReport,
    Deal,
    DealEvent,
    Order,
    Stage,
    Terms,
)
from creatormix.domain.plan import DealType, Goal, PlannedCreator, PlanRecord, Quantiles

T0 = datetime(2025, 3, 1)


def test_discount_codes_read_as_the_creator_and_avoid_look_alikes_in_the_suffix() -> None:
    code = codes.discount_code("Anna.Fit_99", taken=())
    prefix, suffix = code.split("-")
    assert prefix == "ANNAFIT9"
    assert len(suffix) == codes.SUFFIX_LEN
    assert not set(suffix) & set("0O1IL")


@pytest.mark.parametrize(
    ("handle", "prefix"),
    [
        ("luxi60", "LUXI6"),
        ("Élodie_10x", "ELODIEX"),
        ("b1g0_star2025", "BGSTAR22"),
        ("101", "CREATOR"),
    ],
)
def test_the_prefix_keeps_letters_and_digits_2_to_9_up_to_8_characters(
    handle: str, prefix: str
) -> None:
    code = codes.discount_code(handle, taken=())
    assert code.split("-")[0] == prefix
    assert not set(code) & set("01")


def test_a_taken_code_is_never_drawn_again() -> None:
    rng = random.Random(1)
    first = codes.discount_code("mia", (), choice=random.Random(1).choice)
    again = codes.discount_code("mia", {first.lower()}, choice=rng.choice)
    assert again != first


def test_slugs_and_utm_destinations() -> None:
    assert codes.slugify("Spring launch 2025 — Été!") == "spring-launch-2025-ete"
    url = links.utm_destination(
        "https://shop.example/spring?ref=x&utm_source=old#top",
        platform="tiktok",
        campaign_slug="spring",
        handle="mia",
    )
    assert url == (
        "https://shop.example/spring?ref=x&utm_source=tiktok&utm_medium=influencer"
        "&utm_campaign=spring&utm_content=mia#top"
    )
    assert links.utm_of("/products/a?utm_campaign=spring&utm_content=mia") == {
        "utm_campaign": "spring",
        "utm_content": "mia",
    }


@pytest.mark.parametrize(
    "bad", ["//evil.example", "javascript:alert(1)", "shop.example", "ftp://x"]
)
def test_destinations_must_be_absolute_http_urls(bad: str) -> None:
    with pytest.raises(ValueError, match="absolute http"):
        links.check_destination(bad)


def _deal(stage: Stage = Stage.SHORTLISTED, at: datetime = T0, **terms: object) -> Deal:
    return Deal(
        1,
        1,
        "instagram",
        "anna",
        "micro",
        20000,
        "abc",
        "ANNA-XYZ",
        "https://s/",
        stage,
        at,
        at,
        "manual",
        Terms(**terms),
    )  # type: ignore[arg-type]


def test_fold_keeps_the_latest_value_of_each_term_and_accumulates_posts() -> None:
    events = [
        DealEvent(1, 1, T0, Stage.CONTACTED, "hi", Terms(fee=100, post_ids=("p1",)), "me"),
        DealEvent(
            2,
            1,
            T0 + timedelta(days=1),
            None,
            None,
            Terms(fee=120, shipping=9, post_ids=("p2",)),
            "me",
        ),
    ]
    deal = fold(_deal(), events)
    assert (deal.stage, deal.stage_at, deal.terms.fee, deal.terms.shipping) == (
        Stage.CONTACTED,
        T0,
        120,
        9,
    )
    assert deal.terms.post_ids == ("p1", "p2")


def test_due_flags_silence_and_late_deliverables() -> None:
    now = T0 + timedelta(days=10)
    waiting = _deal(Stage.CONTACTED, T0)
    late = _deal(Stage.AGREED, T0, due_at=T0 + timedelta(days=3))
    fine = _deal(Stage.CONTENT_LIVE, T0, due_at=T0 + timedelta(days=3))
    reasons = [r.reason for r in due([waiting, late, fine], now, after_days=5)]
    assert reasons == [
        "no new event for 10 day(s): contacted on 2025-03-01; follow up",
        "deliverable due on 2025-03-04, 7 day(s) ago",
    ]
    # 1.6 days after a due date is the next calendar day: "1 day(s) ago", as its date says
    [r] = due([late], T0 + timedelta(days=4, hours=14), after_days=5)
    assert (r.days, r.reason) == (1, "deliverable due on 2025-03-04, 1 day(s) ago")


def test_a_note_clears_the_follow_up_reminder_as_any_new_event_does() -> None:
    now = T0 + timedelta(days=10)
    contacted = DealEvent(1, 1, T0, Stage.CONTACTED, None, Terms(), "me")
    replied = DealEvent(2, 1, T0 + timedelta(days=8), None, "they replied", Terms(), "me")
    assert [r.handle for r in due([fold(_deal(), [contacted])], now, after_days=5)] == ["anna"]
    assert due([fold(_deal(), [contacted, replied])], now, after_days=5) == []
    [later] = due([fold(_deal(), [contacted, replied])], now + timedelta(days=4), after_days=5)
    assert later.since == T0 + timedelta(days=8) and "last event on 2025-03-09" in later.reason


def test_each_amount_keeps_the_currency_it_was_given_in() -> None:
    events = [
        DealEvent(
            1, 1, T0, Stage.AGREED, None, Terms(fee=450, product_value=60, currency="EUR"), "me"
        ),
        DealEvent(2, 1, T0, None, None, Terms(shipping=10), "me"),  # no currency: the campaign's
        DealEvent(3, 1, T0, None, None, Terms(product_value=70, currency="GBP"), "me"),
    ]
    deal = fold(_deal(), events)
    assert deal.currencies == {"fee": "EUR", "product_value": "GBP"}
    assert (deal.terms.fee, deal.terms.product_value, deal.terms.shipping) == (450, 70, 10)
    assert deal.terms.currency is None


def test_drafts_from_plan_dedupe_and_copy_expectations() -> None:
    q = Quantiles(10, 5, 9, 20)
    plan = PlanRecord(
        1,
        T0,
        Goal.AWARENESS,
        100.0,
        "USD",
        (
            PlannedCreator("instagram", "@Anna", "micro", DealType.PAID, 50.0, {"reach": q}),
            PlannedCreator("instagram", "anna", "micro", DealType.PAID, 50.0),
        ),
    )
    drafts = drafts_from_plan(plan)
    assert len(drafts) == 1 and drafts[0].handle == "anna" and drafts[0].expected["reach"] == q


def _order(key: str, **kw: object) -> Order:
    base: dict[str, object] = {
        "ordered_at": T0 + timedelta(days=5),
        "currency": "USD",
        "subtotal": 100.0,
        "total": 120.0,
        "discount_codes": (),
        "refunded": 0.0,
        "cancelled": False,
        "financial_status": "paid",
    }
    return Order(key, **(base | kw))  # type: ignore[arg-type]


KEYS = DealKeys(
    by_code={"ANNA-XYZ": 1, "BIG-ABC": 2},
    by_utm={("spring", "anna"): 1, ("spring", "big"): 2},
    window_days={1: 30, 2: 30},
)
CLICKS = {1: [T0], 2: [T0 + timedelta(days=4)]}


def test_a_code_beats_a_link_click() -> None:
    [a] = attribute(
        [_order("#1", discount_codes=("anna-xyz",), utm_campaign="spring", utm_content="big")],
        KEYS,
        CLICKS,
    )
    assert (a.deal_id, a.method) == (1, AttributionMethod.CODE)


def test_last_click_within_the_window_or_nothing() -> None:
    inside = _order("#2", utm_campaign="spring", utm_content="anna")
    outside = _order(
        "#3", utm_campaign="spring", utm_content="anna", ordered_at=T0 + timedelta(days=31)
    )
    before_click = _order(
        "#4", utm_campaign="spring", utm_content="big", ordered_at=T0 + timedelta(days=3)
    )
    a, b, c = attribute([inside, outside, before_click], KEYS, CLICKS)
    assert (a.deal_id, a.method) == (1, AttributionMethod.LINK)
    assert b.deal_id is None and "30 days" in b.reason
    assert c.deal_id is None


def test_refunds_and_cancellations_subtract() -> None:
    assert net_revenue(_order("a", refunded=30.0)) == (70.0, True)
    assert net_revenue(_order("b", refunded=100.0)) == (0.0, False)
    assert net_revenue(_order("c", cancelled=True)) == (0.0, False)
    assert net_revenue(_order("d", financial_status="refunded")) == (0.0, False)


def test_currency_conversion_never_guesses() -> None:
    assert convert(10.0, "eur", "USD", {"EUR": 1.1}) == pytest.approx(11.0)
    with pytest.raises(KeyError):
        convert(10.0, "GBP", "USD", {"EUR": 1.1})


order_values = st.lists(st.floats(0, 500, allow_nan=False), max_size=6)
deal_results = st.lists(
    st.builds(
        lambda i, fee, reach, eng, clicks, vals: DealResult(
            i,
            f"c{i}",
            "instagram",
            ["micro", "macro"][i % 2],
            10_000,
            {"fees": fee},
            reach,
            eng,
            clicks,
            tuple(vals),
        ),
        st.integers(0, 1000),
        st.floats(1, 5000),
        st.floats(0, 1e6),
        st.floats(0, 1e5),
        st.integers(0, 2000),
        order_values,
    ),
    min_size=1,
    max_size=8,
    unique_by=lambda d: d.deal_id,
)


def _committed(deal_id: int, handle: str, code: str, link: str) -> Deal:
    return Deal(
        deal_id,
        1,
        "instagram",
        handle,
        ["micro", "macro"][deal_id % 2],
        20_000,
        link,
        code,
        "https://s/",
        Stage.CONTENT_LIVE,
        T0,
        T0,
        "manual",
        Terms(fee=100.0),
    )


_SPRING = Campaign(1, "Spring", "spring", "USD", ("https://s/",), "http://x", T0)
_DEALS = [
    _committed(1, "anna", "ANNA-XYZ", "la"),
    _committed(2, "big", "BIG-ABC", "lb"),
    _committed(3, "mia", "MIA-QRS", "lc"),
]
_order_rows = st.lists(
    st.tuples(
        st.sampled_from(["ANNA-XYZ", "big-abc", "NOPE", "", "utm:anna", "utm:big", "utm:nobody"]),
        st.integers(0, 30_000),  # subtotal in cents
        st.sampled_from([0.0, 0.25, 1.0]),  # refunded share
        st.sampled_from(["paid", "partially_refunded", "pending", "refunded", "voided", None]),
        st.integers(0, 29 * 24),  # hours after the campaign started
    ),
    max_size=30,
)


@settings(max_examples=40, deadline=None)
@given(_order_rows, st.lists(st.integers(0, 29 * 24), max_size=6))
def test_creator_rows_and_unattributed_orders_add_up_to_all_paid_orders(
    rows: list[tuple[str, int, float, str | None, int]], click_hours: list[int]
) -> None:
    """Through the real path (attribution, conversion, per-deal results, report), over code and
    last-click attribution: every paid order is one creator's or unattributed, exactly once."""
    from creatormix.campaigns.results import ReportFacts, build

    orders = []
    for i, (key, cents, share, status, hours) in enumerate(rows):
        code, utm = (None, key[4:]) if key.startswith("utm:") else (key, None)
        sub = cents / 100
        orders.append(
            _order(
                f"#{i}",
                discount_codes=(code,) if code else (),
                utm_campaign="spring" if utm else None,
                utm_content=utm,
                subtotal=sub,
                refunded=round(sub * share, 2),
                financial_status=status,
                cancelled=status == "voided",
                ordered_at=T0 + timedelta(hours=hours),
            )
        )
    clicks = {"la": sorted(T0 + timedelta(hours=h) for h in click_hours), "lb": [T0]}
    facts = ReportFacts(_SPRING, [_SPRING], _DEALS, orders, clicks, live_at={1: T0, 2: T0, 3: T0})
    rep, _ = build(facts, {}, draws=50, now=T0 + timedelta(days=40))
    paid = [(o, net_revenue(o)[0]) for o in orders if net_revenue(o)[1]]
    creators = sum(o.revenue for o in rep.creators)
    assert creators + sum(rep.unattributed_revenue.values()) == pytest.approx(
        sum(v for _, v in paid), abs=1e-6
    )
    assert sum(o.orders for o in rep.creators) + rep.unattributed_orders == len(paid)
    assert rep.total.revenue == pytest.approx(creators, abs=1e-6)
    assert sum(o.revenue for o in rep.tiers) == pytest.approx(creators, abs=1e-6)
    by = {o.key: o for o in rep.creators}
    linked = [
        v
        for o, v in paid
        if o.utm_content == "anna" and clicks["la"] and clicks["la"][0] <= o.ordered_at  # type: ignore[operator]
    ]
    coded = [v for o, v in paid if o.discount_codes == ("ANNA-XYZ",)]
    assert by["@anna"].revenue == pytest.approx(sum(linked) + sum(coded), abs=1e-6)
    assert by["@mia"].revenue == 0.0


@settings(max_examples=25, deadline=None)
@given(deal_results, st.floats(0.01, 1000))
def test_roi_is_unchanged_when_spend_and_revenue_scale_together(
    deals: list[DealResult], k: float
) -> None:
    scaled = [
        DealResult(
            d.deal_id,
            d.handle,
            d.platform,
            d.tier,
            d.followers,
            {p: v * k for p, v in d.spend_parts.items()},
            d.reach,
            d.engagements,
            d.clicks,
            tuple(v * k for v in d.order_values),
        )
        for d in deals
    ]
    a, _ = outcome("x", deals, draws=100, seed=3)
    b, _ = outcome("x", scaled, draws=100, seed=3)
    assert a.roas.value == pytest.approx(b.roas.value, rel=1e-7, abs=1e-12)  # 8 digits kept
    for x, y in ((a.roas.low, b.roas.low), (a.roas.high, b.roas.high)):
        assert (x is None) == (y is None)
        if x is not None and y is not None:
            assert x == pytest.approx(y, rel=1e-7, abs=1e-12)


def test_learned_rates_are_one_row_per_live_creator_and_metric() -> None:
    rs = [
        DealResult(
            1,
            "a",
            "instagram",
            "micro",
            10_000,
            {},
            4000.0,
            500.0,
            40,
            (10.0, 20.0),
            click_orders=2,
        ),
        DealResult(2, "b", "instagram", "micro", 30_000, {}, 6000.0, 700.0, 1, (10.0, 20.0)),
        DealResult(3, "c", "instagram", "micro", 5_000, {}, None, None, 0, (), live=False),
    ]
    got = {(r.source, r.metric): (r.successes, r.trials) for r in learned_rates(rs, "test")}
    assert got == {
        ("test @a", "reach_rate"): (4000, 10_000),
        ("test @a", "engagement_rate"): (500, 10_000),
        ("test @a", "click_rate"): (40, 4000),
        ("test @a", "conversion_rate"): (2, 40),
        ("test @a", "code_rate"): (0, 4000),
        ("test @b", "reach_rate"): (6000, 30_000),
        ("test @b", "engagement_rate"): (700, 30_000),
        ("test @b", "click_rate"): (1, 6000),
        ("test @b", "conversion_rate"): (0, 1),  # its 2 orders came by code, not by its click
        ("test @b", "code_rate"): (2, 6000),
    }


def test_one_huge_creator_moves_the_prior_a_tenth_of_the_way_not_twenty_times_past_it() -> None:
    from dataclasses import replace

    from creatormix.domain.plan import LearnedRate
    from creatormix.planning import priors

    base = priors.published("tiktok", "mega", "engagement_rate")
    one = LearnedRate("tiktok", "mega", "engagement_rate", 9000, 3_200_000, "campaign 'S' @g")
    p = priors.update(base, [one], cap=priors.DEFAULT_LEARNED_CAP)
    observed = 9000 / 3_200_000
    # one creator counts as a tenth of the prior's strength: a tenth of the way to its rate
    assert p.mean == pytest.approx((10 * base.mean + observed) / 11)
    assert p.strength == pytest.approx(base.strength * 1.1)
    assert "(1 creator(s): 9,000 of 3,200,000, weighed as 5 trials" in p.source
    many = [replace(one, source=f"campaign 'S' @g{i}") for i in range(90)]
    q = priors.update(base, many, cap=priors.DEFAULT_LEARNED_CAP)
    assert q.mean == pytest.approx((10 * base.mean + 90 * observed) / 100)  # creators decide
    small = LearnedRate("tiktok", "mega", "engagement_rate", 1, 4, "campaign 'S' @tiny")
    r = priors.update(base, [small], cap=priors.DEFAULT_LEARNED_CAP)
    assert r.alpha == pytest.approx(base.alpha + 1) and r.beta == pytest.approx(base.beta + 3)


def _result(i: int, spend: float, reach: float | None = None, **kw: object) -> DealResult:
    base: dict[str, object] = {
        "deal_id": i,
        "handle": f"c{i}",
        "platform": "tiktok",
        "tier": "mid",
        "followers": 200_000,
        "spend_parts": {"fees": spend},
        "reach": reach,
        "engagements": None,
        "clicks": 0,
        "order_values": (),
    }
    return DealResult(**(base | kw))  # type: ignore[arg-type]


def test_a_ratio_divides_only_the_spend_of_creators_whose_denominator_is_measured() -> None:
    belavi = _result(1, 90.0, reach=5000.0, clicks=1, order_values=(40.0, 30.0))
    daan = _result(2, 520.0, clicks=4, order_values=(100.0,))  # live, no reach yet
    free = _result(3, 0.0, reach=9000.0, clicks=1, order_values=(30.0,))  # no spend recorded
    tier, _ = outcome("mid", [belavi, daan, free], draws=300)
    assert tier.spend == 610.0 and tier.reach == 14_000.0
    assert tier.cpm.value == pytest.approx(90 / 5000 * 1000)  # belavi's own CPM, not 610/14k
    assert tier.cpm.measured_on == 1
    assert tier.cpc.value == pytest.approx(610 / 5) and tier.cpc.measured_on == 2
    assert tier.roas.value == pytest.approx(170 / 610)
    assert tier.cpe.value is None and tier.cpe.reason == "engagements not measured"
    alone, _ = outcome("@c3", [free], draws=300)
    for metric in ("cpe", "cpm", "cpc", "cpa", "roas"):
        e = getattr(alone, metric)
        assert e.value is None and e.reason in ("no spend recorded", "engagements not measured")
    assert alone.roas.reason == "no spend recorded"


def test_an_open_interval_and_an_unmeasurable_ratio_are_told_apart() -> None:
    one_order = _result(1, 100.0, order_values=(50.0,))
    o, _ = outcome("@c1", [one_order], draws=500)
    assert o.cpa.value == 100.0 and o.cpa.high is None and o.cpa.unbounded  # 0 orders drawn
    assert o.cpm.value is None and not o.cpm.unbounded and o.cpm.reason == "reach not measured"
    assert o.cpc.value is None and o.cpc.reason == "no clicks"
    zero_spend_in_tier, _ = outcome("mid", [one_order, _result(2, 0.0, order_values=(9.0,))])
    assert zero_spend_in_tier.roas.high is not None  # a free creator never makes ROAS infinite


def test_money_is_reported_in_cents_without_float_noise() -> None:
    parts = {"fees": 0.1, "products": 0.2, "shipping": 494.7}
    o, _ = outcome("x", [_result(1, 0.0, spend_parts=parts, order_values=(0.1, 0.2))])
    assert (o.spend, o.revenue, o.spend_parts["fees"]) == (495.0, 0.3, 0.1)


def test_tier_sentences_say_on_how_many_creators_a_ratio_was_measured() -> None:
    from creatormix.campaigns.roi import compare

    mid, mid_draws = outcome(
        "mid", [_result(1, 90.0, reach=5000.0), _result(2, 520.0)], draws=200, tier="mid"
    )
    mega, mega_draws = outcome(
        "mega", [_result(3, 2500.0, reach=120_000.0, tier="mega")], draws=200, tier="mega"
    )
    [cpm] = [s for s in compare(mid, mid_draws, mega, mega_draws, "USD") if "thousand" in s]
    assert cpm.startswith("mid creators reached people at $18.00 per thousand reached")
    assert "measured on 1 of 2 creators" in cpm and "$20.83" in cpm


def test_unattributed_orders_are_scoped_to_the_campaign_and_count_only_paid_ones() -> None:
    from dataclasses import replace

    from creatormix.campaigns.results import ReportFacts, build

    autumn = Campaign(2, "Autumn", "autumn", "USD", ("https://s/",), "http://x", T0 + timedelta(60))
    mia = replace(_committed(3, "mia", "MIA-QRS", "lc"), campaign_id=2)
    day = T0 + timedelta(days=10)  # in Spring's window (live at T0, 30 days)
    orders = [
        _order("#1", ordered_at=day),  # no code, no utm: Spring's
        _order("#2", ordered_at=day, discount_codes=("SPRING10",)),
        _order("#3", ordered_at=day, discount_codes=("SPRING10", "ANNA-XYZ")),  # anna's
        _order("#4", ordered_at=day, cancelled=True),
        _order("#5", ordered_at=day, financial_status="refunded"),
        _order("#6", ordered_at=day, utm_campaign="autumn", utm_content="zed"),  # names Autumn
        _order("#7", ordered_at=T0 + timedelta(days=70)),  # after Spring's window: Autumn's
    ]
    deals = [*_DEALS[:2], mia]
    live = {1: T0, 2: T0, 3: T0 + timedelta(61)}

    def report(c: Campaign) -> CampaignReport:
        facts = ReportFacts(c, [_SPRING, autumn], deals, orders, {}, live_at=live)
        return build(facts, {}, draws=50, now=T0 + timedelta(days=90))[0]

    spring = report(_SPRING)
    assert spring.period == (T0, T0 + timedelta(days=30))
    assert spring.unattributed_orders == 2  # #1 and #2
    assert spring.unknown_codes == {"SPRING10": 1}  # not #3, which reached anna
    assert spring.unattributed_not_counted == {"cancelled": 1, "refunded": 1}
    assert spring.unattributed_revenue == {"USD": 200.0}
    fall = report(autumn)
    assert fall.unattributed_orders == 1  # #7; #6 names Autumn but predates it


def test_planned_vs_delivered_says_not_live_yet_instead_of_below_p10() -> None:
    from dataclasses import replace

    from creatormix.campaigns.results import ReportFacts, build

    q = Quantiles(500, 100, 400, 900)
    agreed = replace(_DEALS[0], stage=Stage.AGREED, expected={"clicks": q, "reach": q})
    live = replace(_DEALS[1], expected={"clicks": q})
    rep, _ = build(
        ReportFacts(_SPRING, [_SPRING], [agreed, live], [], {"la": [T0], "lb": [T0]}),
        {},
        draws=50,
        now=T0 + timedelta(days=3),
    )
    assert [(p.handle, p.metric, p.verdict) for p in rep.planned_vs_delivered] == [
        ("@anna", "clicks", "not live yet"),
        ("@anna", "reach", "not live yet"),
        ("@big", "clicks", "below P10"),
    ]
    assert any("not live yet: @anna" in n for n in rep.notes)


@pytest.mark.parametrize(
    ("status", "state"),
    [
        ("Paid", OrderState.COUNTED),
        ("completed", OrderState.COUNTED),  # WooCommerce
        ("Processing", OrderState.COUNTED),  # WooCommerce: paid, not shipped yet
        ("succeeded", OrderState.COUNTED),  # payment processors
        ("on-hold", OrderState.PENDING),
        ("pending", OrderState.PENDING),
        ("failed", OrderState.CANCELLED),
        ("backordered?", OrderState.OTHER),
    ],
)
def test_other_shop_systems_statuses_are_read_as_the_same_states(status: str, state: str) -> None:
    order = Order("#1", datetime(2025, 3, 1), "USD", 50.0, 55.0, (), 0.0, False, status)
    assert order_state(order)[0] == state


def test_no_verdict_without_a_range_and_none_before_the_content_has_been_seen() -> None:
    from dataclasses import replace

    from creatormix.campaigns.results import ReportFacts, build

    whole = Quantiles(500, 100, 400, 900)  # clicks the plan expects over the whole window
    nothing = Quantiles(0, 0, 0, 0)  # revenue of a plan without an order value: "planned 0–0"
    deal = replace(_DEALS[1], expected={"clicks": whole, "revenue": nothing})

    def verdicts(hours: float, clicks: int) -> dict[str, str]:
        at = T0 + timedelta(hours=hours)
        facts = ReportFacts(
            _SPRING, [_SPRING], [deal], [], {"lb": [T0] * clicks}, live_at={deal.deal_id: T0}
        )
        rep, _ = build(facts, {}, draws=50, now=at)
        return {p.metric: p.verdict for p in rep.planned_vs_delivered}

    # one hour after launch: was "below P10" of the whole campaign's plan
    early = verdicts(1, 2)
    assert early["clicks"] == "too early: live for 1 h (a verdict after 3 days)"
    assert early["revenue"] == "no planned range"  # was "above P90" for a plan of 0–0
    # day 12 of the 30-day window: 40 % of the planned range is due (40-360 clicks)
    assert verdicts(12 * 24, 50)["clicks"] == (
        "within P10-P90 (pro-rated: day 12 of the 30-day window)"
    )
    assert verdicts(12 * 24, 30)["clicks"].startswith("below P10 (pro-rated")
    assert verdicts(40 * 24, 50)["clicks"] == "below P10"  # the window is over: the whole range


def test_deals_made_from_a_plan_carry_its_planned_fee() -> None:
    from creatormix.domain.plan_result import PlanPick

    plan = PlanRecord(
        1,
        T0,
        Goal.ENGAGEMENT,
        1000.0,
        "USD",
        (
            PlanPick(
                platform="instagram", handle="anna", tier="micro", deal_type=DealType.PAID,
                cost=372.0, fee=300.0,
            ),
            PlanPick(
                platform="instagram", handle="mia", tier="nano", deal_type=DealType.GIFTED,
                cost=102.0, fee=0.0, probability=0.55,
            ),
        ),
    )  # fmt: skip
    anna, mia = drafts_from_plan(plan)
    assert (anna.planned_fee, anna.planned_cost) == (300.0, 372.0)
    assert mia.planned_fee is None
