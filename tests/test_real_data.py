"""The public exports in ../shared/data import with the values a person reads in the files."""

from __future__ import annotations

import csv
import statistics
from pathlib import Path

import pytest

from creatormix.domain.imports import ImportOptions
from creatormix.domain.platform import Platform
from creatormix.domain.query import CreatorQuery
from creatormix.workspace import Workspace

pytestmark = pytest.mark.slow
IG = ImportOptions(platform=Platform.INSTAGRAM)


@pytest.fixture
def kim(shared_data: Path) -> Path:
    return shared_data / "kim-instagram-influencers"


def _tier(followers: int) -> str:
    for bound, name in (
        (1_000_000, "mega"),
        (500_000, "macro"),
        (100_000, "mid"),
        (10_000, "micro"),
    ):
        if followers >= bound:
            return name
    return "nano"


def test_kim_influencers_import_whole_with_their_tiers(ws: Workspace, kim: Path) -> None:
    report = ws.import_file("creators", kim / "influencers.txt", IG)
    assert (report.rows_read, report.rows_accepted, report.rows_rejected) == (33_935, 33_935, 0)
    assert report.column_map == {
        "Username": "handle",
        "Category": "categories",
        "#Followers": "followers",
        "#Followees": "following",
        "#Posts": "post_count",
    }
    messages = " | ".join(w.message for w in report.warnings)
    assert (
        "rule line" in messages
        and "'fasion' read as 'fashion'" in messages
        and "'fashion 0.5' read as 'fashion'" in messages
    )

    c = ws.get_creator("@MakeUpByNvs").profile.creator
    assert (c.followers, c.following, c.post_count, c.categories) == (1432, 1089, 363, ("beauty",))
    assert ws.get_creator("jaquelinevandoski").profile.creator.followers == 137_600

    tiers = {r.tier: r.creators for r in ws.tier_summary().rows}
    # the dataset's README: 12.7k under 10k, 15.8k 10k-100k, 4.7k 100k-1M, 743 over 1M
    assert tiers == {"nano": 12_686, "micro": 15_774, "mid": 4_055, "macro": 677, "mega": 743}
    assert tiers["mid"] + tiers["macro"] == 4_732


def test_kim_posts_give_the_per_tier_median_engagement_a_hand_count_gives(
    ws: Workspace, kim: Path
) -> None:
    ws.import_file("creators", kim / "influencers.txt", IG)
    report = ws.import_file("posts", kim / "post_table_extended.csv", IG)
    assert (report.rows_read, report.rows_accepted, report.rows_rejected) == (486, 486, 0)
    assert (
        report.column_map["shortcode"] == "post_id" and report.column_map["Hashtags"] == "hashtags"
    )

    # An independent count with the csv module: ER = (likes + comments) / followers per post,
    # mean per creator, median per tier.
    with (kim / "influencers.txt").open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh, delimiter="\t"))[2:]
    followers = {r[0].lower(): int(r[2]) for r in rows}
    per_creator: dict[str, list[float]] = {}
    with (kim / "post_table_extended.csv").open(encoding="utf-8", newline="") as fh:
        for post in csv.DictReader(fh):
            handle = post["influencer_profile"].lower()
            if handle in followers and followers[handle] > 0:
                er = (int(post["nb_likes"]) + int(post["nb_comments"])) / followers[handle]
                per_creator.setdefault(handle, []).append(er)
    by_tier: dict[str, list[float]] = {}
    for handle, ers in per_creator.items():
        by_tier.setdefault(_tier(followers[handle]), []).append(statistics.mean(ers[-12:]))
    expected = {tier: statistics.median(v) for tier, v in by_tier.items()}

    got = {r.tier: r.median_er_observed for r in ws.tier_summary().rows if r.creators_with_posts}
    assert got.keys() == expected.keys()
    for tier, value in expected.items():
        assert got[tier] == pytest.approx(value, rel=1e-9), tier
    counted = {r.tier: r.creators_with_posts for r in ws.tier_summary().rows}
    assert sum(counted.values()) == len(per_creator)

    # A post's caption keeps its line breaks, and its hashtags are a list.
    post = next(
        p for p in ws.get_creator("_alexisevans").recent_posts if p.post_id == "BjscI9UHgYy"
    )
    assert (post.likes, post.comments) == (133, 4)
    assert (
        post.caption is not None
        and post.caption.startswith("On that third audition in 3 days flow")
        and "\n" in post.caption
    )
    assert post.hashtags == ("#fitness", "#athlete", "#dancer", "#audition", "#vegan", "#grateful")


def test_top200_parses_suffixes_percentages_missing_values_and_mojibake(
    ws: Workspace, shared_data: Path
) -> None:
    report = ws.import_file(
        "creators", shared_data / "top200-instagram" / "top_insta_influencers_data.csv", IG
    )
    # row 118 names a display name where the handle goes: no Instagram handle has spaces
    assert (report.rows_accepted, report.rows_rejected) == (199, 1)
    [reject] = report.rejects
    assert (reject.line, reject.value) == (119, "5-minute crafts girly")
    assert reject.reason.startswith("not a valid Instagram handle")
    assert [(i.changed, i.message) for i in report.inferences] == [
        (True, "skipped 1 decorative column(s) (row numbers, ranks or empty): 'rank'"),
        (
            False,
            "handle from column 'channel_info', as its header says (199/200 sampled values are "
            "valid Instagram handles, e.g. 'cristiano')",
        ),
        (
            False,
            "values read as their headers say in 5 typed column(s): 'posts' (post_count), "
            "'followers' (followers), 'avg_likes' (avg_likes), '60d_eng_rate' "
            "(engagement_rate), 'country' (country)",
        ),
    ]
    assert report.column_map == {
        "channel_info": "handle",
        "posts": "post_count",
        "followers": "followers",
        "avg_likes": "avg_likes",
        "60d_eng_rate": "engagement_rate",
        "country": "country",
    }
    cristiano = ws.get_creator("cristiano").profile.creator
    assert (cristiano.followers, cristiano.post_count, cristiano.avg_likes) == (
        475_800_000,
        3300,
        8_700_000,
    )
    assert cristiano.engagement_rate == pytest.approx(0.0139)
    assert cristiano.country == "ES"
    assert ws.get_creator("leomessi").profile.creator.country is None  # NaN
    assert ws.get_creator("leomessi").profile.creator.post_count == 890  # 0.89k
    assert ws.get_creator("hrithikroshan").profile.creator.country == "CI"  # CÃ´te d'Ivoire
    rkive = ws.get_creator("rkive").profile
    assert rkive.creator.engagement_rate is None  # NaN%
    assert rkive.er_source == "export-averages"  # falls back to average likes / followers
    assert rkive.extras["er_observed"] == pytest.approx(10_900_000 / 37_000_000)
    page = ws.list_creators(CreatorQuery(tiers=("mega",), limit=None))
    assert page.total == 199
    assert {p.tier for p in page.creators} == {"mega"}
    observed = [p.creator.engagement_rate or p.extras["er_observed"] for p in page.creators]
    median = statistics.median(x for x in observed if isinstance(x, float))
    assert ws.tier_summary().rows[0].median_er_observed == pytest.approx(median)


def test_youtube_trending_videos_import_keyed_by_channel_name(
    ws: Workspace, shared_data: Path
) -> None:
    """A video file with channel titles and no handles: name-keyed YouTube creators' posts."""
    gb = shared_data / "youtube-trending-2017" / "GBvideos.csv"
    report = ws.import_file("posts", gb, ImportOptions(platform=Platform.YOUTUBE))
    messages = {i.topic: i.message for i in report.inferences}
    assert "keyed by the channel name in 'channel_title'" in messages["name-key"]
    # the trending day is written "13.09", a number, not a date: left out, said so
    assert messages["left-out"].startswith("column 'date' is headed like posted_at but holds")
    assert (report.rows_read, report.rows_rejected) == (7_997, 0)
    with gb.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    channels = {" ".join(r["channel_title"].split()).lower() for r in rows}
    pf = ws.store.table("post_facts")
    stored = set(pf.select("handle").distinct().to_pyarrow()["handle"].to_pylist())
    assert stored == {"~" + c for c in channels} and len(stored) == 1_003
    first = pf.filter(pf.post_id == "jt2OHQh0HoQ").order_by(pf.fact_seq).limit(1)
    row = first.to_pyarrow().to_pylist()[0]
    assert (row["handle"], row["views"], row["likes"], row["comments"]) == (
        "~apple event",
        7_426_393,
        78_240,
        705,
    )
