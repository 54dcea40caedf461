"""The engine-specific fast forms of the metrics give the portable forms' numbers.

``last_posts`` picks each creator's last N posts with a window (portable) or with DuckDB's top-N
aggregate; the creator profile is built on either. Both must give the same rows and numbers,
including undated posts, ties in time and creators with fewer than N posts.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import ibis
import pyarrow as pa
import pytest

from creatormix.metrics.activity import cadence
from creatormix.metrics.engagement import last_posts, ranked_posts
from creatormix.metrics.params import MetricParams
from creatormix.metrics.profile import creator_profiles
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


@pytest.mark.parametrize("n", [1, 3, 12])
def test_last_posts_are_the_same_by_window_and_by_top_n_aggregate(ws: Workspace, n: int) -> None:
    posts = ws.store.con.create_table("posts_probe", _posts(), overwrite=True)
    window = last_posts(posts, n)
    aggregate = last_posts(posts, n, top_n_aggregate=True)
    assert window.schema() == aggregate.schema()
    assert _rows(window) == _rows(aggregate)
    assert {r["handle"] for r in _rows(window)} == {"tied", "few", "undated", "many"}


def test_last_posts_follow_the_ranked_posts_order(ws: Workspace) -> None:
    posts = ws.store.con.create_table("posts_probe", _posts(), overwrite=True)
    followers = ibis.memtable({"platform": ["instagram"], "handle": ["tied"], "followers": [10]})
    ranked = ranked_posts(posts, followers)
    ranked = ranked.filter(ranked.recency < 5).select("handle", "fact_seq", "recency")
    picked = last_posts(posts, 5, top_n_aggregate=True).select("handle", "fact_seq", "recency")
    assert _rows(ranked) == _rows(picked)


def test_cadence_on_the_last_posts_equals_ranking_the_dated_posts_again(ws: Workspace) -> None:
    """The former definition numbered the dated posts with a second window."""
    posts = ws.store.con.create_table("posts_probe", _posts(), overwrite=True)
    params = MetricParams(last_n=5)
    followers = ibis.memtable({"platform": ["instagram"], "handle": ["x"], "followers": [1]})
    ranked = ranked_posts(posts, followers)
    dated = ranked.filter(ranked.posted_at.notnull())
    window = ibis.window(
        group_by=["platform", "handle"], order_by=[dated.posted_at.desc(), dated.fact_seq.desc()]
    )
    dated = dated.mutate(recency=ibis.row_number().over(window))
    expected = cadence(dated, params).order_by("handle").to_pyarrow().to_pylist()
    for top_n in (False, True):
        got = cadence(last_posts(posts, 5, top_n_aggregate=top_n), params)
        assert got.order_by("handle").to_pyarrow().to_pylist() == expected


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-12, abs_tol=0)
    return a == b


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


def test_the_workspace_uses_the_top_n_aggregate_on_duckdb(ws: Workspace) -> None:
    assert ws.store.top_n_aggregate
