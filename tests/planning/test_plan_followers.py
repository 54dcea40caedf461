"""Follower lists: imported whole or not at all, sketched, and used for measured overlap."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from creatormix.errors import ColumnProblem, RowsRejected
from creatormix.workspace import Workspace


def _handles(ws: Workspace, n: int, tier: str = "nano") -> list[tuple[str, str, int]]:
    c = ws.planning_candidates()
    keys = [
        (p, h, int(f))
        for p, h, t, f in zip(c.platform, c.handle, c.tier, c.followers, strict=True)
        if t == tier and f < 4000
    ]
    return keys[:n]


def test_a_file_with_unknown_creators_is_rejected_whole(demo_ws: Workspace, tmp_path: Path) -> None:
    ((p, h, _),) = _handles(demo_ws, 1)
    f = tmp_path / "followers.csv"
    f.write_text(
        f"creator,follower\n{p}:{h},u1\n{p}:{h},u2\n@ghost_creator,u3\n@ghost_creator,u4\n@nobody,u5\n"
    )
    with pytest.raises(RowsRejected, match="2 creator\\(s\\) are not in the catalog") as err:
        demo_ws.import_followers(f)
    assert "@ghost_creator (2 rows)" in str(err.value) and "nothing was imported" in str(err.value)
    assert demo_ws.store.table("follower_links").count().to_pyarrow().as_py() == 0
    assert not [i for i in demo_ws.imports() if i.kind.value == "followers"]


def test_unknown_creators_are_named_as_the_catalog_names_them_and_empty_rows_by_line(
    demo_ws: Workspace, tmp_path: Path
) -> None:
    ((p, h, _),) = _handles(demo_ws, 1)
    f = tmp_path / "followers.csv"
    f.write_text(f"creator,follower\n{p}:{h},u1\ntiktok:ghost99,u6\n")
    with pytest.raises(RowsRejected, match="1 creator") as err:
        demo_ws.import_followers(f)
    assert "tiktok:@ghost99 (1 row)" in str(err.value), str(err.value)
    blank = tmp_path / "blank.csv"
    blank.write_text(f"creator,follower\n{p}:{h},u1\n{p}:{h},\n{p}:{h},u3\n,u4\n")
    with pytest.raises(RowsRejected, match="2 row\\(s\\) have an empty creator or follower") as err:
        demo_ws.import_followers(blank)
    assert "(line(s) 3, 5)" in str(err.value), str(err.value)


def test_a_file_without_the_right_columns_says_what_it_needs(
    demo_ws: Workspace, tmp_path: Path
) -> None:
    f = tmp_path / "bad.csv"
    f.write_text("a,b\n1,2\n")
    with pytest.raises(ColumnProblem, match="needs a creator column"):
        demo_ws.import_followers(f)


def test_follower_lists_give_measured_overlap_and_reimporting_changes_nothing(
    demo_ws: Workspace, tmp_path: Path
) -> None:
    keys = _handles(demo_ws, 4)
    f = tmp_path / "followers.csv"
    lines = ["creator,follower_id"]
    # complete lists: creators 0 and 1 share their audience; 2 and 3 are disjoint from everyone
    size = min(k[2] for k in keys)
    for k, (p, h, followers) in enumerate(keys):
        base = 0 if k < 2 else 100_000 * k
        count = size if k < 2 else followers
        lines += [f"{p}:{h},{base + i}" for i in range(count)]
    lines.append(f"{keys[0][0]}:{keys[0][1]},0")  # a duplicate row counts once
    f.write_text("\n".join(lines) + "\n")
    report = demo_ws.import_followers(f)
    assert report.creators == 4 and report.rows_read == report.links + 1
    assert report.import_id is not None
    again = demo_ws.import_followers(f)
    assert again.skipped and again.already_imported_as == report.import_id
    assert demo_ws.store.table("follower_sketches").count().to_pyarrow().as_py() == 4
    refs = ",".join(f"{p}:{h}" for p, h, _ in keys)
    brief = demo_ws.brief(
        overrides={
            "goal": "awareness",
            "budget": "1m",
            "frontier.enabled": False,
            "constraints.must_include": refs,
            "scenarios": 500,
        }
    )
    plan = demo_ws.plan(brief, save=False)
    assert "follower-list sketches" in str(plan.inputs["coverage"])
    picks = {s.handle: s for s in plan.picks}

    def fresh(handle: str) -> float:
        reason = next(r for r in picks[handle].reasons if "not reached by other picks" in r)
        return float(re.search(r"\((\d+)% not reached", reason)[1]) / 100  # type: ignore[index]

    # the twins share their audience: each adds only what the other misses; the others add all
    assert fresh(keys[0][1]) < 0.9 and fresh(keys[1][1]) < 0.9
    assert fresh(keys[2][1]) > 0.97 and fresh(keys[3][1]) > 0.97


def test_a_new_list_replaces_the_creators_earlier_one(demo_ws: Workspace, tmp_path: Path) -> None:
    ((p, h, _),) = _handles(demo_ws, 1)
    for name, n in (("a.csv", 100), ("b.csv", 40)):
        f = tmp_path / name
        f.write_text("creator,follower\n" + "".join(f"{p}:{h},user{i}\n" for i in range(n)))
        demo_ws.import_followers(f)
    rows = demo_ws.store.table("follower_sketches").to_pyarrow().to_pylist()
    assert [(r["handle"], r["followers_listed"]) for r in rows] == [(h, 40)]
