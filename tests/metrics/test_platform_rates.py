"""Engagement rates a marketer can trust: each platform's own definition, implausible rates kept
but never used, robust tier norms, and audit flags that compare like with like."""

from __future__ import annotations

import csv
import statistics
from pathlib import Path

import pytest

from creatormix.domain import benchmarks
from creatormix.domain.imports import ImportOptions
from creatormix.domain.platform import Platform
from creatormix.domain.query import CreatorQuery
from creatormix.workspace import Workspace

IG = ImportOptions(platform=Platform.INSTAGRAM)
TT = ImportOptions(platform=Platform.TIKTOK)


def _write(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def tiktok_export(path: Path, n: int = 30) -> Path:
    """A TikTok-like export: nano creators whose videos are watched by 20-80x their followers.

    Likes per follower run far above 100 % (40x at the top), likes per view near 8 %: the shape of
    real TikTok exports, where the For You feed shows videos far beyond the followers.
    """
    rows: list[list[object]] = []
    for i in range(n):
        followers = 2_000 + 200 * i
        views = followers * (20 + 2 * i)
        likes = round(views * (0.06 + 0.001 * i))
        comments = round(likes * 0.02)
        rows.append([f"tok{i:02d}", followers, views, likes, comments])
    return _write(path, ["handle", "followers", "avg views", "avg likes", "avg comments"], rows)


def test_tiktok_rates_are_per_view_when_views_far_exceed_followers(
    ws: Workspace, tmp_path: Path
) -> None:
    f = tiktok_export(tmp_path / "tiktok.csv")
    ws.import_file("creators", f, TT)
    with f.open() as fh:
        rows = list(csv.DictReader(fh))
    per_view = [
        (float(r["avg likes"]) + float(r["avg comments"])) / float(r["avg views"]) for r in rows
    ]
    per_follower = [
        (float(r["avg likes"]) + float(r["avg comments"])) / float(r["followers"]) for r in rows
    ]
    assert min(per_follower) > 1  # every creator "engages" more than 100 % of its followers
    for r, expected in zip(rows, per_view, strict=True):
        p = ws.get_creator(f"tiktok:{r['handle']}", posts=0).profile
        assert p.extras["er_observed"] == pytest.approx(expected)
        assert p.extras["er_basis"] == "views" and p.er_source == "export-averages"
        assert p.extras["er_implausible"] is None
        assert p.er_shrunk is not None and p.er_shrunk < 0.2
    (row,) = [r for r in ws.tier_summary().rows if r.platform == "tiktok"]
    assert row.median_er_observed == pytest.approx(statistics.median(per_view))
    d = ws.get_creator("tiktok:tok00", posts=0)
    assert d.prior_source == "workspace" and d.prior_er == pytest.approx(
        statistics.median(per_view)
    )


def _instagram_mega(path: Path, n: int, rate: float, prefix: str) -> Path:
    """``n`` mega creators whose average likes are ``rate`` x their followers."""
    rows = []
    for i in range(n):
        followers = 2_000_000 + 10_000 * i
        rows.append([f"{prefix}{i:02d}", followers, round(rate * followers)])
    return _write(path, ["handle", "followers", "avg likes"], rows)


def test_an_implausible_rate_is_kept_and_flagged_but_never_used(
    ws: Workspace, tmp_path: Path
) -> None:
    ws.import_file("creators", _instagram_mega(tmp_path / "ok.csv", 25, 0.016, "fine"), IG)
    wild = tmp_path / "wild.csv"
    _write(wild, ["handle", "followers", "avg likes"], [["wild", 2_000_000, 94_500_000]])
    ws.import_file("creators", wild, IG)
    d = ws.get_creator("instagram:wild", posts=0)
    p = d.profile
    assert p.er_source == "implausible" and p.extras["er_observed"] is None
    assert p.extras["er_implausible"] == pytest.approx(47.25)
    assert p.extras["er_implausible_source"] == "export-averages"
    assert p.er_shrunk == pytest.approx(d.prior_er)  # the tier norm stands in, not 99.9 %
    assert d.prior_er == pytest.approx(0.016) and p.extras["prior_n"] == 25  # not counted
    # listings by ER leave it out like a creator without data
    page = ws.list_creators(CreatorQuery(min_er=0.01, limit=None))
    assert "wild" not in {c.creator.handle for c in page.creators} and page.left_out_prior_only == 1
    report = ws.audit("instagram:wild")
    codes = [f.code for f in report.flags]
    assert codes == ["er-implausible"]
    assert report.flags[0].weight == 0 and "4725%" in report.flags[0].message.replace(",", "")


def test_one_bad_file_cannot_move_a_tier_norm(
    ws: Workspace, tmp_path: Path, shared_data: Path
) -> None:
    top = shared_data / "top200-instagram" / "top_insta_influencers_data.csv"
    if not top.exists():
        pytest.skip(f"{top} is absent (public data, see ../shared/data/README.md)")
    # the creators it holds (one row has a display name for a handle and is rejected: #11)
    held = ws.import_file("creators", top, IG).rows_accepted
    before = ws.get_creator("@cristiano", posts=0)
    assert before.prior_source == "workspace" and before.profile.extras["prior_n"] == held
    # a file of 50 TikTok-style rates imported as Instagram (47x more likes than followers)
    ws.import_file("creators", _instagram_mega(tmp_path / "bad.csv", 50, 47.25, "tok"), IG)
    after = ws.get_creator("@cristiano", posts=0)
    assert after.prior_er == pytest.approx(before.prior_er)  # implausible: never in the norm
    assert after.profile.extras["prior_n"] == held
    # 30 plausible but extreme rates (60 %) move the median a little, never by the mean's jump
    ws.import_file("creators", _instagram_mega(tmp_path / "odd.csv", 30, 0.6, "odd"), IG)
    odd = ws.get_creator("@cristiano", posts=0)
    assert odd.profile.extras["prior_n"] == held + 30
    assert before.prior_er is not None and odd.prior_er is not None
    assert odd.prior_er < 1.5 * before.prior_er  # the mean would have gone from 2.0 % to 9.6 %


def test_the_audit_compares_like_with_like_and_names_its_norm(
    ws: Workspace, tmp_path: Path, shared_data: Path
) -> None:
    top = shared_data / "top200-instagram" / "top_insta_influencers_data.csv"
    if not top.exists():
        pytest.skip(f"{top} is absent (public data, see ../shared/data/README.md)")
    held = ws.import_file("creators", top, IG).rows_accepted
    ws.import_file("creators", _instagram_mega(tmp_path / "bad.csv", 50, 47.25, "tok"), IG)
    reports = ws.audit_all()
    norm = ws.get_creator("@cristiano", posts=0).prior_er
    assert norm is not None and norm < 0.02  # the median of the 200, not pulled up by the 50
    below = [f for r in reports for f in r.flags if f.code == "er-below-tier"]
    assert below
    for f in below:
        assert f.evidence["norm_creators"] == held and f.evidence["norm_source"] == "workspace"
        assert f.evidence["basis"] == "followers"
        assert f"median of {held} instagram mega creators in this workspace" in f.message
        high = f.evidence["er_interval"][1]  # type: ignore[index]
        assert high < 0.5 * norm  # accused only when the whole interval is below half the norm
    # the case: a 1.6 % creator is not "far below" anything
    kylie = ws.audit("@kyliejenner")
    assert "er-below-tier" not in [f.code for f in kylie.flags]
    assert sum(1 for r in reports if any(f.code == "er-implausible" for f in r.flags)) == 50


def test_youtube_rates_are_per_view_on_real_trending_videos(
    ws: Workspace, tmp_path: Path, shared_data: Path
) -> None:
    gb = shared_data / "youtube-trending-2017" / "GBvideos.csv"
    if not gb.exists():
        pytest.skip(f"{gb} is absent (public data, see ../shared/data/README.md)")
    latest: dict[str, dict[str, str]] = {}
    with gb.open(encoding="utf-8-sig") as fh:
        for r in csv.DictReader(fh):
            latest[r["video_id"]] = r  # later rows of a video carry its later counts
    channels = sorted({r["channel_title"] for r in latest.values()})
    creators = _write(tmp_path / "channels.csv", ["handle"], [[c] for c in channels])
    yt = ImportOptions(platform=Platform.YOUTUBE)
    ws.import_file("creators", creators, yt)
    maps = {"channel_title": "handle", "video_id": "post_id", "comment_total": "comments"}
    ws.import_file(
        "posts", gb, ImportOptions(platform=Platform.YOUTUBE, mapping={**maps, "date": "ignore"})
    )
    rates = [
        (int(r["likes"]) + int(r["comment_total"])) / int(r["views"])
        for r in latest.values()
        if int(r["views"]) > 0
    ]
    by_channel: dict[str, list[float]] = {}
    for r in latest.values():
        if int(r["views"]) > 0:
            by_channel.setdefault(r["channel_title"].lower(), []).append(
                (int(r["likes"]) + int(r["comment_total"])) / int(r["views"])
            )
    name, videos = next((c, v) for c, v in sorted(by_channel.items()) if len(v) == 1)
    # channel titles in a handle column are display names: #11 keys such creators "~<name>"
    p = ws.get_creator(f"youtube:~{name}", posts=0).profile
    assert p.extras["er_observed"] == pytest.approx(videos[0])
    assert p.extras["er_basis"] == "views" and p.er_source == "posts"
    assert max(rates) < benchmarks.ER_PLAUSIBLE_MAX["views"]  # real videos sit inside the bound
