"""The backtest's pure rules: its window, the greedy fill of a budget, what a creator realised."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from creatormix.domain.brief import Brief
from creatormix.domain.plan import DealType, Goal
from creatormix.errors import InvalidOption
from creatormix.planning import backtest as bt


@pytest.mark.parametrize(
    ("horizon", "days"), [("90d", 90), ("6w", 42), ("3m", 90), ("1y", 365), (" 30 ", 30), (7, 7)]
)
def test_a_horizon_is_read_in_days_weeks_months_or_years(horizon: str | int, days: int) -> None:
    w = bt.window("2019-06-01", horizon)
    assert (w.start, w.days) == (datetime(2019, 6, 1), days)
    assert (w.end - w.start).days == days


def test_an_as_of_with_a_zone_is_the_same_moment_in_utc() -> None:
    assert bt.window("2019-06-01T02:00+02:00", "1d").start == datetime(2019, 6, 1)


@pytest.mark.parametrize(
    ("as_of", "horizon", "message"),
    [
        ("June 2019", "90d", "--as-of 'June 2019': expected a date such as 2019-06-01"),
        ("2019-06-01", "soon", "--horizon 'soon': expected days, weeks, months or years"),
        ("2019-06-01", "0d", "between 1 day and 10 years"),
        ("2019-06-01", "11y", "between 1 day and 10 years"),
    ],
)
def test_a_bad_window_is_one_clear_line(as_of: str, horizon: str, message: str) -> None:
    with pytest.raises(InvalidOption, match=message):
        bt.window(as_of, horizon)


def test_only_paid_engagement_briefs_can_be_scored_on_posts() -> None:
    with pytest.raises(InvalidOption, match="scores engagement plans"):
        bt.check_brief(Brief(goal=Goal.AWARENESS, budget=1000))
    with pytest.raises(InvalidOption, match="paid deals only"):
        bt.check_brief(Brief(goal=Goal.ENGAGEMENT, budget=1000, deal_types=(DealType.GIFTED,)))
    assert bt.check_brief(Brief(goal=Goal.ENGAGEMENT, budget=1000)).frontier is False


def test_a_fill_takes_the_next_creator_that_still_fits() -> None:
    cost = np.array([60.0, 50.0, 30.0, 10.0, 5.0])
    none = np.zeros(5, dtype=bool)
    # 60 fits (40 left), 50 does not, 30 fits (10 left), 10 fits (0 left), 5 does not
    assert bt.fill(np.arange(5), cost, 100.0, None, none).tolist() == [0, 2, 3]
    assert bt.fill(np.arange(5), cost, 100.0, 2, none).tolist() == [0, 2]
    must = np.array([False, False, False, False, True])
    assert bt.fill(np.arange(5), cost, 100.0, None, must).tolist() == [0, 2, 4]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.floats(1.0, 500.0), min_size=1, max_size=30),
    st.floats(1.0, 2000.0),
    st.integers(0, 10_000),
    st.one_of(st.none(), st.integers(1, 10)),
)
def test_a_fill_never_exceeds_the_budget_and_leaves_no_creator_that_would_fit(
    costs: list[float], budget: float, seed: int, cap: int | None
) -> None:
    cost = np.array(costs)
    order = np.random.default_rng(seed).permutation(len(cost))
    taken = bt.fill(order, cost, budget, cap, np.zeros(len(cost), dtype=bool))
    spent = float(cost[taken].sum())
    assert spent <= budget + 1e-6
    assert len(set(taken.tolist())) == len(taken)
    if cap is not None and len(taken) == cap:
        return
    left = np.setdiff1d(np.arange(len(cost)), taken)
    assert not (cost[left] <= budget - spent - 1e-6).any()


def test_a_creator_realises_its_first_pieces_and_zero_for_those_it_did_not_post() -> None:
    posts = bt.HorizonPosts(
        key=np.array(["ig:a", "ig:a", "ig:a", "ig:b", "ig:c", "ig:c"], dtype=object),
        engagements=np.array([100.0, 10.0, 1.0, 50.0, np.nan, 30.0]),  # c's first has no likes
        views=np.array([1000.0, np.nan, np.nan, np.nan, np.nan, 300.0]),
    )
    keys = ["ig:a", "ig:b", "ig:c", "ig:silent"]
    value, views, count, rate = bt.realised(keys, posts, 2, np.array([1000.0, 500.0, 0.0, 10.0]))
    assert value.tolist() == [110.0, 50.0, 30.0, 0.0]
    assert views[0] == 1000.0 and np.isnan(views[1]) and views[2] == 300.0 and np.isnan(views[3])
    assert count.tolist() == [3, 1, 1, 0]
    # the rate is over every measured post of the horizon, by the as-of followers
    assert rate[0] == pytest.approx(37.0 / 1000) and rate[1] == pytest.approx(0.1)
    assert np.isnan(rate[2]) and np.isnan(rate[3])


def test_a_platform_read_per_view_realises_its_rate_per_view() -> None:
    """TikTok and YouTube rates are per view (as the as-of shrunk rate is): the mean of each
    post's engagements over its views, posts without views left out; per follower elsewhere."""
    posts = bt.HorizonPosts(
        key=np.array(["yt:a", "yt:a", "yt:a", "yt:b", "ig:c"], dtype=object),
        engagements=np.array([100.0, 30.0, 5.0, 8.0, 50.0]),
        views=np.array([1000.0, 100.0, np.nan, np.nan, 2000.0]),
    )
    keys = ["yt:a", "yt:b", "ig:c"]
    per_view = np.array([True, True, False])
    _, _, count, rate = bt.realised(keys, posts, 2, np.array([10.0, 10.0, 500.0]), per_view)
    assert count.tolist() == [3, 1, 1]
    assert rate[0] == pytest.approx((0.1 + 0.3) / 2)  # not 135 / 3 / 10 followers
    assert np.isnan(rate[1])  # no post with views: no rate, never one per follower
    assert rate[2] == pytest.approx(0.1)  # 50 / 500 followers, its views aside


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"random_draws": 0}, "at least 1 random draw and 100 bootstrap resamples"),
        ({"bootstrap": 99}, "at least 1 random draw and 100 bootstrap resamples"),
        ({"level": 1.0}, "interval level 1: between 0.5 and 1"),
        ({"time_limit": 0.0}, "time limit 0: the optimiser needs more than 0 seconds"),
        ({"time_limit": float("nan")}, "time limit nan: the optimiser needs more"),
    ],
)
def test_settings_a_backtest_cannot_run_with_are_one_clear_line(
    fields: dict[str, float], message: str
) -> None:
    with pytest.raises(InvalidOption, match=message):
        bt.Settings(**fields)  # type: ignore[arg-type]
