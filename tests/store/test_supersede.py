"""The latest fact of a post wins, whether the older one came from this file or an earlier import."""

from __future__ import annotations

from datetime import datetime

import ibis
import pyarrow as pa

from creatormix.store import catalog as facts
from creatormix.store.migrations.m001_catalog import POST_FACTS
from creatormix.workspace import Workspace

KEY = ["platform", "handle", "post_id"]


def _posts(import_id: int, rows: list[tuple[str, str | None, int]]) -> pa.Table:
    """(handle, post_id, record) rows for one import."""
    n = len(rows)
    data = {name: pa.nulls(n, ibis.dtype(t).to_pyarrow()) for name, t in POST_FACTS.items()}
    data["fact_seq"] = pa.array([import_id * (1 << 40) + r for _, _, r in rows], pa.int64())
    data["import_id"] = pa.array([import_id] * n, pa.int64())
    data["platform"] = pa.array(["instagram"] * n)
    data["handle"] = pa.array([h for h, _, _ in rows])
    data["post_id"] = pa.array([p for _, p, _ in rows], pa.string())
    data["posted_at"] = pa.array([datetime(2026, 1, 1)] * n, pa.timestamp("us"))
    return pa.table(data)


def reference_stale(ws: Workspace, import_id: int) -> set[int]:
    """The rule without shortcuts: group every post in scope by its key, keep the latest."""
    pf = ws.store.table("post_facts")
    keys = pf.filter(pf.import_id == import_id).select(KEY)
    scope = pf.semi_join(keys, KEY)
    counts = scope.group_by(KEY).agg(keep=scope.fact_seq.max(), n=scope.count())
    stale = scope.join(counts.filter(counts.n > 1), KEY).filter(lambda t: t.fact_seq != t.keep)
    return set(stale.fact_seq.to_pyarrow().to_pylist())


def _superseded(ws: Workspace, import_id: int) -> set[int]:
    sup = ws.store.table("post_supersessions")
    return set(sup.filter(sup.import_id == import_id).fact_seq.to_pyarrow().to_pylist())


def test_duplicates_in_a_file_and_across_imports_are_superseded(ws: Workspace) -> None:
    first = [("a", "p1", 0), ("a", "p2", 1), ("a", "p1", 2), ("b", "p1", 3), ("c", None, 4)]
    second = [("a", "p2", 0), ("b", "p9", 1), ("c", None, 2), ("c", None, 3), ("d", "p1", 4)]
    with ws.store.transaction():
        ws.store.append("post_facts", _posts(1, first))
        expected = reference_stale(ws, 1)
        assert facts.supersede_posts(ws.store, 1) == len(expected) == 1
        assert _superseded(ws, 1) == expected  # a/p1 record 0
        ws.store.append("post_facts", _posts(2, second))
        expected = reference_stale(ws, 2)
        assert facts.supersede_posts(ws.store, 2) == len(expected) == 1
        assert _superseded(ws, 2) == expected  # a/p2 of import 1; posts without an id never match
    current = facts.posts_current(ws.store).to_pyarrow()
    assert current.num_rows == len(first) + len(second) - 2
