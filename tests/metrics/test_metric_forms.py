"""The engine-specific fast forms of the metrics give the portable forms' numbers.

``last_posts`` picks each creator's last N posts with a window (portable) or with DuckDB's top-N
aggregate; the creator profile is built on either. Both must give the same rows and numbers,
including undated posts, ties in time and creators with fewer than N posts.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import ibis
import psycopg
import pyarrow as pa
import pytest

from creatormix.metrics._ibis import left_join
from creatormix.metrics.activity import cadence
from creatormix.metrics.engagement import last_n_engagement, last_posts, ranked_posts, with_rates
from creatormix.metrics.params import MetricParams
from creatormix.metrics.profile import creator_profiles, recent_post_metrics
from creatormix.store import catalog as facts
from creatormix.workspace import Workspace

T0 = datetime(2026, 5, 1)


def _posts() -> pa.Table:
    """Three creators: ties in time, undated posts, fewer posts than N, one without any date."""
    rows = []
    seq = 0
    for handle, times in {
        "tied": [T0, T0, T0, T0 + timedelta(days=1), None, T0 - timedelta(days=3), T0],
        "few": [T0 - timedelta(hours=5), None],
        "undated": [None, None, None, None],
        "many": [T0 - timedelta(days=i) for i in range(30)] + [None, None],
    }.items():
        for i, at in enumerate(times):
            seq += 1
            rows.append(
                {
                    "platform": "instagram",
                    "handle": handle,
                    "fact_seq": seq * 7 % 97,  # fact order differs from row order
                    "posted_at": at,
                    "likes": None if i == 2 else 100 + i,
                    "comments": i,
                    "views": 1000 * i,
                }
            )
    return pa.Table.from_pylist(rows)


def _rows(t: ibis.Table) -> list[dict[str, object]]:
    return sorted(t.to_pyarrow().to_pylist(), key=lambda r: (r["handle"], r["recency"]))


NO_TOP_N = pytest.mark.notimpl(
    "postgres",
    reason="PostgreSQL has no top-N aggregate (DuckDB's arg_max(value, key, n)); "
    "the metrics use the portable window form there",
    raises=psycopg.errors.UndefinedFunction,
)


@NO_TOP_N
@pytest.mark.parametrize("n", [1, 3, 12])
def test_last_posts_are_the_same_by_window_and_by_top_n_aggregate(ws: Workspace, n: int) -> None:
    posts = ws.store.con.create_table("posts_probe", _posts(), overwrite=True)
    window = last_posts(posts, n)
    aggregate = last_posts(posts, n, top_n_aggregate=True)
    assert window.schema() == aggregate.schema()
    assert _rows(window) == _rows(aggregate)
    assert {r["handle"] for r in _rows(window)} == {"tied", "few", "undated", "many"}


@NO_TOP_N
def test_last_posts_follow_the_ranked_posts_order(ws: Workspace) -> None:
    posts = ws.store.con.create_table("posts_probe", _posts(), overwrite=True)
    followers = ibis.memtable({"platform": ["instagram"], "handle": ["tied"], "followers": [10]})
    ranked = ranked_posts(posts, followers)
    ranked = ranked.filter(ranked.recency < 5).select("handle", "fact_seq", "recency")
    picked = last_posts(posts, 5, top_n_aggregate=True).select("handle", "fact_seq", "recency")
    assert _rows(ranked) == _rows(picked)


KEY = ["platform", "handle"]
DAY = 86_400.0


def reference_engagement(ranked: ibis.Table, n: int) -> ibis.Table:
    """The former definition: filter the measured last-N posts, then aggregate."""
    last = ranked.filter((ranked.recency < n) & ranked.likes.notnull())
    return last.group_by(KEY).agg(
        posts_measured=last.count(),
        er_followers_mean=last.er_followers.mean(),
        er_followers_median=last.er_followers.median(),
        er_followers_var=last.er_followers.var(how="sample"),
        er_views_mean=last.er_views.mean(),
        er_views_median=last.er_views.median(),
        er_views_var=last.er_views.var(how="sample"),
        posts_with_views=last.count(where=last.er_views.notnull()),
        avg_engagements=last.engagements.mean(),
    )


def reference_cadence(ranked: ibis.Table, n: int) -> ibis.Table:
    """The former definition: number the dated posts again, keep N, lag over them, aggregate."""
    dated = ranked.filter(ranked.posted_at.notnull())
    window = ibis.window(group_by=KEY, order_by=[dated.posted_at.desc(), dated.fact_seq.desc()])
    dated = dated.mutate(rank_dated=ibis.row_number().over(window))
    last = dated.filter(dated.rank_dated < n)
    seconds = last.posted_at.epoch_seconds()
    gap_window = ibis.window(group_by=KEY, order_by=[last.posted_at, last.fact_seq])
    last = last.mutate(gap_days=(seconds - seconds.lag().over(gap_window)) / DAY)
    agg = last.group_by(KEY).agg(
        dated_posts=last.count(),
        first_post_at=last.posted_at.min(),
        last_post_at=last.posted_at.max(),
        median_gap_days=last.gap_days.median(),
    )
    span = (agg.last_post_at.epoch_seconds() - agg.first_post_at.epoch_seconds()) / DAY
    per_week = ibis.ifelse(
        (agg.dated_posts >= 2) & (span >= 1 / 24),
        (agg.dated_posts - 1) / (span / 7.0),
        ibis.null("float64"),
    )
    return agg.mutate(posts_per_week=per_week).drop("first_post_at")


def _assert_same_rows(got: ibis.Table, expected: ibis.Table) -> None:
    """Same rows and columns; floats equal up to summation order (1e-12 relative)."""
    assert got.schema() == expected.schema()
    a = sorted(got.to_pyarrow().to_pylist(), key=lambda r: str(r["handle"]))
    b = sorted(expected.to_pyarrow().to_pylist(), key=lambda r: str(r["handle"]))
    assert [r["handle"] for r in a] == [r["handle"] for r in b]
    for x, y in zip(a, b, strict=True):
        assert all(_same(x[k], y[k]) for k in x), (x, y)


@pytest.mark.parametrize("n", [1, 2, 5, 12])
def test_engagement_and_cadence_equal_their_former_definitions(ws: Workspace, n: int) -> None:
    posts = ws.store.con.create_table("posts_probe", _posts(), overwrite=True)
    followers = ibis.memtable(
        {"platform": ["instagram"] * 3, "handle": ["tied", "few", "many"], "followers": [10, 0, 5]}
    )
    params = MetricParams(last_n=n)
    ranked = ranked_posts(posts, followers)
    _assert_same_rows(last_n_engagement(ranked, params), reference_engagement(ranked, n))
    _assert_same_rows(cadence(ranked, params), reference_cadence(ranked, n))

    creators = posts.select(*KEY).distinct()
    expected = left_join(
        left_join(creators, reference_engagement(ranked, n), KEY), reference_cadence(ranked, n), KEY
    )
    for top_n in {False, ws.store.top_n_aggregate}:  # the fast form where the engine has it
        recent = with_rates(last_posts(posts, n, top_n_aggregate=top_n), followers)
        _assert_same_rows(left_join(creators, recent_post_metrics(recent), KEY), expected)


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-12, abs_tol=0)
    return a == b


@NO_TOP_N
def test_creator_profiles_are_the_same_with_and_without_the_top_n_aggregate(
    demo_ws: Workspace,
) -> None:
    store = demo_ws.store
    args = (
        facts.creators_current(store),
        facts.posts_current(store),
        facts.snapshots(store),
        demo_ws.tier_scheme(),
        demo_ws.metric_params(),
    )
    portable = creator_profiles(*args).order_by(["platform", "handle"]).to_pyarrow()
    fast = creator_profiles(*args, top_n_aggregate=True).order_by(["platform", "handle"])
    fast_rows = fast.to_pyarrow()
    assert portable.schema == fast_rows.schema
    assert portable.num_rows == fast_rows.num_rows > 1000
    for name in portable.column_names:
        left, right = portable[name].to_pylist(), fast_rows[name].to_pylist()
        assert all(_same(a, b) for a, b in zip(left, right, strict=True)), name


@pytest.mark.notimpl("postgres", reason="no top-N aggregate there", raises=AssertionError)
def test_the_workspace_uses_the_top_n_aggregate_on_duckdb(ws: Workspace) -> None:
    assert ws.store.top_n_aggregate
