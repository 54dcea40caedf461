"""Planning reads and writes: candidate columns, saved plans, follower lists and their sketches."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from creatormix.domain.plan_result import Plan, PlanSummary
from creatormix.errors import NotFound
from creatormix.store import plan_codec
from creatormix.store.catalog import METRICS_TABLE
from creatormix.store.migrations.m002_planning import FOLLOWER_SKETCHES

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pyarrow as pa

    from creatormix.store.core import Store

CANDIDATE_COLUMNS = (
    "platform",
    "handle",
    "tier",
    "followers",
    "country",
    "language",
    "audience_country",
    "categories",
    "bio",
    "price_per_post",
    "currency",
    "er_alpha",
    "er_beta",
    "er_shrunk",
    "er_followers_mean",
    "er_followers_var",
    "er_views_mean",
    "er_views_var",
    "er_source",
    "posts_measured",
    "avg_views",
    "posts_per_week",
    "sponsored_share",
)


def candidate_table(store: Store, views: ir.Table, metrics: ir.Table | None = None) -> pa.Table:
    """Every creator's planning columns (metrics joined to measured views), ordered by key;
    ``metrics`` is the metrics table unless given (a backtest's as-of profiles)."""
    metrics = store.table(METRICS_TABLE) if metrics is None else metrics
    return store.fetch(candidates(metrics, views).order_by(["platform", "handle"]))


VIEW_COLUMNS = ("views_posts", "views_median", "views_logsd")


def candidates(metrics: ir.Table, views: ir.Table) -> ir.Table:
    """The planning columns of every creator (the catalog pipeline writes this table too)."""
    cols = [c for c in CANDIDATE_COLUMNS if c in metrics.columns]
    t = metrics.select(*cols)
    return t.left_join(views, ["platform", "handle"]).select(*cols, *VIEW_COLUMNS)


# --- plans ---------------------------------------------------------------------------------------


def next_plan_id(store: Store) -> int:
    return store.next_id("plans", "plan_id")


def save_plan(store: Store, plan: Plan, created_by: str) -> None:
    import pyarrow as pa

    data = plan_codec.plan_to_json(plan)
    goal_value = plan.totals.get(plan.metric)
    row = {
        "plan_id": plan.plan_id,
        "name": plan.name,
        "created_at": plan.created_at,
        "created_by": created_by,
        "goal": plan.goal.value,
        "budget": plan.budget,
        "currency": plan.currency,
        "metric": plan.metric,
        "creators": len(plan.selections),
        "committed_cost": plan.committed_cost,
        "expected_value": goal_value.mean if goal_value else None,
        "brief": json.dumps(plan_codec.brief_to_json(plan.brief)),
        "inputs": json.dumps(plan_codec.to_jsonable(plan.inputs)),
        "model_versions": json.dumps(dict(plan.model_versions)),
        "result": json.dumps(data),
    }
    store.append("plans", pa.Table.from_pylist([row]))
    picks = [
        {
            "plan_id": plan.plan_id,
            "position": k,
            "platform": s.platform,
            "handle": s.handle,
            "tier": s.tier,
            "deal_type": s.deal_type.value,
            "cost": s.cost,
            "committed_cost": getattr(s, "committed_cost", s.cost),
            "expected": json.dumps(plan_codec.to_jsonable(dict(s.expected))),
            "reasons": json.dumps(list(s.reasons)),
        }
        for k, s in enumerate(plan.selections)
    ]
    if picks:
        store.append("plan_selections", pa.Table.from_pylist(picks))


def load_plan(store: Store, plan_id: int) -> Plan:
    t = store.table("plans")
    rows = t.filter(t.plan_id == plan_id).select("result").to_pyarrow().to_pylist()
    if not rows:
        raise NotFound(f"no plan #{plan_id} (see `creatormix plans list`)")
    return plan_codec.plan_from_json(json.loads(rows[0]["result"]))


def list_plans(store: Store) -> list[PlanSummary]:
    from creatormix.domain.plan import Quantiles

    t = store.table("plans")
    rows = (
        t.select(
            "plan_id",
            "created_at",
            "name",
            "goal",
            "budget",
            "currency",
            "creators",
            "committed_cost",
            "metric",
            "result",
        )
        .order_by("plan_id")
        .to_pyarrow()
        .to_pylist()
    )
    out = []
    for r in rows:
        data = json.loads(r["result"])
        q = (data.get("totals") or {}).get(r["metric"])
        out.append(
            PlanSummary(
                plan_id=int(r["plan_id"]),
                created_at=r["created_at"],
                name=r["name"],
                goal=r["goal"],
                budget=float(r["budget"]),
                currency=r["currency"],
                creators=int(r["creators"]),
                committed_cost=float(r["committed_cost"]),
                value=Quantiles(q["mean"], q["p10"], q["p50"], q["p90"]) if q else None,
                metric=r["metric"],
            )
        )
    return out


# --- follower lists ------------------------------------------------------------------------------


def creator_keys(store: Store) -> pa.Table:
    """(platform, handle, followers) of every creator of the catalog."""
    return store.fetch(store.table(METRICS_TABLE).select("platform", "handle", "followers"))


def append_links(store: Store, links: pa.Table) -> int:
    store.append("follower_links", links)
    return int(links.num_rows)


def append_follower_links(
    store: Store, import_id: int, keys: list[tuple[str, str]], codes: Any, followers: Any
) -> int:
    """One link row per (creator, follower) pair: ``codes`` index ``keys``."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    links = pa.table(
        {
            "import_id": pa.array(np.full(len(codes), import_id, dtype=np.int64)),
            "platform": pc.take(pa.array([p for p, _ in keys], pa.string()), pa.array(codes)),
            "handle": pc.take(pa.array([h for _, h in keys], pa.string()), pa.array(codes)),
            "follower_id": followers.cast(pa.string()),
        }
    )
    return append_links(store, links)


def replace_sketches(store: Store, rows: Iterable[dict[str, Any]]) -> int:
    """Replace the sketches of the creators in ``rows`` (a derived table: rebuilt, never appended)."""
    import pyarrow as pa

    rows = list(rows)
    if not rows:
        return 0
    new = pa.Table.from_pylist(
        rows,
        schema=pa.schema(
            [
                ("platform", pa.string()),
                ("handle", pa.string()),
                ("import_id", pa.int64()),
                ("followers_listed", pa.int64()),
                ("lg_k", pa.int64()),
                ("sketch", pa.binary()),
            ]
        ),
    )
    store.replace_rows(
        "follower_sketches", new.select(list(FOLLOWER_SKETCHES)), ["platform", "handle"]
    )
    return len(rows)


def replace_list_sketches(
    store: Store,
    import_id: int,
    keys: list[tuple[str, str]],
    counts: Any,
    lg_k: int,
    blobs: list[bytes],
) -> int:
    """Replace the sketches of ``keys`` with their new lists' (``counts`` followers each)."""
    return replace_sketches(
        store,
        [
            {
                "platform": p,
                "handle": h,
                "import_id": import_id,
                "followers_listed": int(counts[k]),
                "lg_k": lg_k,
                "sketch": blobs[k],
            }
            for k, (p, h) in enumerate(keys)
        ],
    )


def sketches(store: Store) -> dict[str, tuple[bytes, int]]:
    """ "platform:handle" -> (theta sketch, followers named in the list)."""
    t = store.table("follower_sketches")
    rows = t.select("platform", "handle", "sketch", "followers_listed").to_pyarrow().to_pylist()
    return {
        f"{r['platform']}:{r['handle']}": (bytes(r["sketch"]), int(r["followers_listed"]))
        for r in rows
    }


def sketch_summary(store: Store) -> tuple[int, int]:
    """(creators with a follower list, links in their current lists)."""
    t = store.table("follower_sketches")
    row = t.aggregate(n=t.count(), links=t.followers_listed.sum()).to_pyarrow().to_pylist()[0]
    return int(row["n"] or 0), int(row["links"] or 0)
