"""A backtest on real public posts: YouTube's trending videos of 2017, chosen on September,
scored on October (scripts/youtube_trending.py prepares them; docs/planning.md has the figures)."""

from __future__ import annotations

import csv
import importlib.util
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path
from types import ModuleType

import pytest

from creatormix.domain import backtest as bt
from creatormix.domain.backtest import BacktestRequest, BacktestResult
from creatormix.domain.query import CreatorQuery
from creatormix.workspace import Workspace
from tests.conftest import ROOT

pytestmark = pytest.mark.slow
AS_OF = "2017-10-01"
REQUEST = BacktestRequest(
    as_of=AS_OF,
    horizon="22d",
    overrides={"goal": "engagement", "budget": "20000", "scenarios": 1000},
    random_draws=100,
    bootstrap=500,
)


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "youtube_trending", ROOT / "scripts" / "youtube_trending.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> tuple[ModuleType, object, Path]:
    from tests.conftest import SHARED_DATA

    data = SHARED_DATA / "youtube-trending-2017"
    if not data.is_dir():
        pytest.skip(f"public test data not found at {data} (see ../shared/data/README.md)")
    yt = _script()
    out = tmp_path_factory.mktemp("youtube")
    files = yt.prepare(data, out)
    yt.load(out / "youtube.duckdb", files.creators, files.posts)
    return yt, files, out


@pytest.fixture(scope="module")
def result(prepared: tuple[ModuleType, object, Path]) -> BacktestResult:
    _, _, out = prepared
    with Workspace.open(out / "youtube.duckdb", read_only=True) as ws:
        return ws.backtest(REQUEST)


def test_the_trending_rows_become_one_post_per_video_counted_as_known_on_the_date(
    prepared: tuple[ModuleType, object, Path],
) -> None:
    yt, files, _ = prepared
    assert files.rows == 7_997 + 8_000  # GB + US, as the dataset's README counts them
    with files.posts.open(encoding="utf-8") as fh:
        posts = list(csv.DictReader(fh))
    assert (
        len({p["post_id"] for p in posts}) == len(posts) == files.videos_before + files.videos_after
    )
    # a video first trending on 28 September and still trending in October keeps the counts it
    # had on 30 September: none of its later snapshots is larger in what the file says of it
    snaps, _, _ = yt.read(yt.DATA)
    for p in posts:
        if p["posted_at"] < AS_OF:
            per = snaps[p["post_id"]]
            known = max(d for d in per if d.isoformat() < AS_OF)
            assert int(p["views"]) == per[known].views and int(p["likes"]) == per[known].likes
    with files.creators.open(encoding="utf-8") as fh:
        creators = list(csv.DictReader(fh))
    assert len(creators) == files.channels
    assert {c["observed_at"] for c in creators} == {"2017-09-30T00:00:00"}


def test_a_backtest_on_real_posts_keeps_every_selection_within_the_same_budget(
    prepared: tuple[ModuleType, object, Path], result: BacktestResult
) -> None:
    _, files, _ = prepared
    r = result
    assert [s.key for s in r.selections] == [
        bt.PLAN,
        bt.TOP_FOLLOWERS,
        bt.TOP_RAW_ER,
        bt.TOP_SHRUNK_ER,
        bt.RANDOM,
    ]
    cost = {f"{c.platform}:{c.handle}": c.cost for c in r.creators}
    for s in r.selections:
        assert 0 < s.cost <= 20_000 + 1e-6, s.key
        if s.members:
            assert s.cost == pytest.approx(sum(cost[m] for m in s.members))
            left = 20_000 - s.cost
            if s.key != bt.PLAN:  # a greedy fill: nobody left out would still have fitted
                assert all(c > left for k, c in cost.items() if k not in s.members), s.key
    assert r.catalog["creators_known"] == files.channels
    with files.creators.open(encoding="utf-8") as fh:  # a size of 0 views has no tier
        sized = sum(int(c["followers"]) > 0 for c in csv.DictReader(fh))
    assert r.catalog["eligible"] == sized
    assert r.calibration.creators == len(r.creators) == r.catalog["eligible"]


def test_the_rates_a_youtube_backtest_compares_are_all_per_view(
    prepared: tuple[ModuleType, object, Path], result: BacktestResult
) -> None:
    """YouTube reads engagement per view: the raw rate the rule of thumb sorts by, the shrunk
    one and the realised one are in that one basis, or the calibration compares unlike rates."""
    import statistics

    _, files, _ = prepared
    with files.posts.open(encoding="utf-8") as fh:
        later: dict[str, list[float]] = {}
        for p in csv.DictReader(fh):
            if p["posted_at"] >= AS_OF and p["likes"] and int(p["views"] or 0) > 0:
                rate = (int(p["likes"]) + int(p["comments"] or 0)) / int(p["views"])
                later.setdefault(p["handle"], []).append(rate)
    checked = 0
    for c in result.creators:
        if c.er_realised is not None and c.handle in later:
            assert c.er_realised == pytest.approx(statistics.fmean(later[c.handle])), c.handle
            checked += 1
    assert checked > 50
    both = [c for c in result.creators if c.er_raw and c.er_shrunk]
    ratio = statistics.median(c.er_shrunk / c.er_raw for c in both if c.er_shrunk and c.er_raw)
    assert 0.7 < ratio < 1.4, ratio  # shrinkage moves rates, it does not change their unit
    assert any("per view on youtube" in n for n in result.notes)


def test_the_choice_on_real_posts_never_sees_the_horizon(
    prepared: tuple[ModuleType, object, Path], result: BacktestResult, tmp_path: Path
) -> None:
    """The same workspace with every October count replaced (the order of the horizon's videos
    reversed, each taking another's likes, comments and views) must choose exactly alike and
    predict alike; only what was realised changes."""
    yt, files, _ = prepared
    with files.posts.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    later = [r for r in rows if r["posted_at"] >= AS_OF]
    swapped = [
        r | {k: o[k] for k in ("views", "likes", "comments")}
        for r, o in zip(later, later[::-1], strict=True)
    ]
    posts = tmp_path / "posts-swapped.csv"
    with posts.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows([r for r in rows if r["posted_at"] < AS_OF] + swapped)
    db = yt.load(tmp_path / "swapped.duckdb", files.creators, posts)
    with Workspace.open(db, read_only=True) as ws:
        other = ws.backtest(REQUEST)
    assert {s.key: s.members for s in other.selections} == {
        s.key: s.members for s in result.selections
    }

    # the same predictions, to the last bits a different row order leaves in DuckDB's sums
    def predicted(r: BacktestResult) -> list[float]:
        return [x for c in r.creators for x in (c.predicted.mean, c.predicted.p10, c.predicted.p90)]

    assert predicted(other) == pytest.approx(predicted(result), rel=1e-9)
    assert [c.realised for c in other.creators] != [c.realised for c in result.creators]


def test_the_as_of_catalog_counts_only_the_videos_that_trended_before_the_date(
    prepared: tuple[ModuleType, object, Path],
) -> None:
    _, files, out = prepared
    with files.posts.open(encoding="utf-8") as fh:
        per_channel = Counter(r["handle"] for r in csv.DictReader(fh) if r["posted_at"] < AS_OF)
    with Workspace.open(out / "youtube.duckdb", read_only=True) as ws:
        cands = ws.candidates_as_of(datetime(2017, 10, 1))
        listed = ws.list_creators(CreatorQuery(limit=None)).creators
        today = {p.creator.handle: p.posts_measured for p in listed}
    counted = dict(zip(cands.handle.tolist(), cands.posts_measured.tolist(), strict=True))
    assert counted == {h: min(12, n) for h, n in per_channel.items()}
    assert sum(today[h] or 0 for h in counted) > sum(counted.values())  # October counts today
