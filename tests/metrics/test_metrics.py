"""Catalog metrics against hand-computed values (formulas in docs/metrics.md)."""

from __future__ import annotations

import re
import statistics
from pathlib import Path

import duckdb
import pytest

from creatormix.domain.benchmarks import PRICE_PER_POST_USD, er_basis
from creatormix.domain.imports import ImportOptions
from creatormix.domain.platform import Platform
from creatormix.domain.query import CreatorQuery, SortKey
from creatormix.domain.tiers import NAMED_SCHEMES, TierBands
from creatormix.metrics.disclosure import is_disclosed, marker_regex
from creatormix.workspace import Workspace

IG = ImportOptions(platform=Platform.INSTAGRAM)


def _creators(
    ws: Workspace, tmp_path: Path, rows: str, platform: Platform = Platform.INSTAGRAM
) -> None:
    f = tmp_path / f"c-{platform.value}-{abs(hash(rows))}.csv"
    f.write_text("handle,followers\n" + rows)
    ws.import_file("creators", f, ImportOptions(platform=platform))


def _posts(
    ws: Workspace,
    tmp_path: Path,
    rows: list[str],
    header: str = "handle,post_id,posted_at,likes,comments,views,caption",
) -> None:
    f = tmp_path / f"p-{abs(hash(tuple(rows)))}.csv"
    f.write_text(header + "\n" + "\n".join(rows) + "\n")
    ws.import_file("posts", f, IG)


def test_engagement_rates_by_followers_and_views_over_the_last_n_posts(
    ws: Workspace, tmp_path: Path
) -> None:
    _creators(ws, tmp_path, "ann,1000\n")
    likes = [10, 20, 30, 40, 500]  # the oldest post (500 likes) falls outside last_n = 4
    rows = [
        f"ann,p{i},2026-01-{10 - i:02d},{lk},{i},{100 * (i + 1)},x" for i, lk in enumerate(likes)
    ]
    _posts(ws, tmp_path, rows)
    ws.set_metric_params(last_n=4)
    p = ws.get_creator("ann").profile
    by_followers = [(lk + i) / 1000 for i, lk in enumerate(likes[:4])]
    by_views = [(lk + i) / (100 * (i + 1)) for i, lk in enumerate(likes[:4])]
    assert p.posts_measured == 4
    assert p.er_followers_mean == pytest.approx(statistics.mean(by_followers))
    assert p.er_followers_median == pytest.approx(statistics.median(by_followers))
    assert p.er_views_mean == pytest.approx(statistics.mean(by_views))
    assert p.er_views_median == pytest.approx(statistics.median(by_views))
    assert p.er_source == "posts"


def test_shrinkage_is_a_weighted_average_of_the_creator_and_the_tier_prior(
    demo_ws: Workspace,
) -> None:
    page = demo_ws.list_creators(
        CreatorQuery(platforms=("instagram",), tiers=("micro",), limit=None)
    )
    measured = [p for p in page.creators if p.posts_measured > 0]
    assert len(measured) > 50
    for profile in measured[:40]:
        d = demo_ws.get_creator(
            f"{profile.creator.platform.value}:{profile.creator.handle}", posts=0
        )
        assert d.prior_source == "workspace"
        observed = profile.extras["er_observed"]
        assert isinstance(observed, float) and d.prior_er is not None and d.data_weight is not None
        assert profile.er_shrunk == pytest.approx(
            d.data_weight * observed + (1 - d.data_weight) * d.prior_er, rel=1e-9
        )
        assert (
            min(observed, d.prior_er) - 1e-12
            <= (profile.er_shrunk or 0)
            <= max(observed, d.prior_er) + 1e-12
        )
        assert profile.er_interval is not None
        assert profile.er_interval.low < (profile.er_shrunk or 0) < profile.er_interval.high


def test_fewer_posts_mean_more_shrinkage_and_a_wider_interval(
    ws: Workspace, tmp_path: Path
) -> None:
    # Ten ordinary micro creators around 2 % set the tier prior; two lucky ones post at 12 %.
    _creators(
        ws, tmp_path, "".join(f"base{i},20000\n" for i in range(10)) + "few,20000\nmany,20000\n"
    )
    rows = []
    for i in range(10):
        for k in range(12):
            likes = 300 + 60 * ((i + k) % 5)  # 1.5 % - 2.7 %
            rows.append(f"base{i},b{i}-{k},2026-02-{k + 1:02d},{likes},10,,x")
    rows += [f"few,f{k},2026-02-{k + 1:02d},2390,10,,x" for k in range(2)]
    rows += [f"many,m{k},2026-02-{k + 1:02d},{2390 + (k % 3 - 1) * 200},10,,x" for k in range(12)]
    _posts(ws, tmp_path, rows)
    few = ws.get_creator("few")
    many = ws.get_creator("many")
    assert few.profile.extras["er_observed"] == pytest.approx(0.12)
    assert many.profile.extras["er_observed"] == pytest.approx(0.12)
    assert (few.data_weight or 0) < (many.data_weight or 0)
    assert (few.profile.er_shrunk or 0) < (many.profile.er_shrunk or 0) < 0.12
    assert few.profile.er_interval and many.profile.er_interval
    width = lambda p: p.er_interval.high - p.er_interval.low  # noqa: E731
    assert width(few.profile) > width(many.profile)
    ranked = [
        p.creator.handle for p in ws.list_creators(CreatorQuery(sort=SortKey.ER, limit=2)).creators
    ]
    assert ranked == ["many", "few"]


def test_cadence_from_post_times(ws: Workspace, tmp_path: Path) -> None:
    _creators(ws, tmp_path, "ann,1000\n")
    _posts(ws, tmp_path, [f"ann,p{d},2026-03-{d:02d}T12:00:00,10,1,,x" for d in (1, 8, 15, 22)])
    p = ws.get_creator("ann").profile
    assert p.posts_per_week == pytest.approx(1.0)
    assert p.median_gap_days == pytest.approx(7.0)
    assert p.last_post_at is not None and p.last_post_at.day == 22


def test_sponsored_share_from_disclosure_markers_and_explicit_flags(
    ws: Workspace, tmp_path: Path
) -> None:
    _creators(ws, tmp_path, "ann,1000\n")
    rows = [
        'ann,1,,10,1,,"Love it #ad"',
        'ann,2,,10,1,,"#adventure time"',
        'ann,3,,10,1,,"Paid partnership with @brand"',
        'ann,4,,10,1,,"#Werbung für @x"',
        'ann,5,,10,1,,"nothing here"',
        'ann,6,,10,1,,"#publicité #sponsorisé"',
    ]
    _posts(ws, tmp_path, rows)
    p = ws.get_creator("ann").profile
    assert p.extras["sponsored_posts"] == 4
    assert p.sponsored_share == pytest.approx(4 / 6)
    # An explicit flag in the export wins over the caption.
    (tmp_path / "flags.csv").write_text(
        "handle,post_id,likes,sponsored,caption\nann,5,10,yes,nothing here\nann,1,10,no,Love it #ad\n"
    )
    ws.import_file("posts", tmp_path / "flags.csv", IG)
    assert ws.get_creator("ann").profile.extras["sponsored_posts"] == 4


@pytest.mark.parametrize(
    "text",
    [
        "#ad",
        "Love it #AD!",
        "#adventure",
        "#ads and more",
        "#sponsoredpost",
        "Paid  partnership with x",
        "#publicité",
        "#pub",
        "#public",
        "ad #",
        "",
    ],
)
def test_disclosure_markers_mean_the_same_in_python_and_in_the_database(text: str) -> None:
    con = duckdb.connect()
    in_db = con.execute("select regexp_matches(?, ?)", [text, marker_regex()]).fetchone()
    assert in_db is not None
    assert is_disclosed(text) == in_db[0]


def test_tier_schemes_can_be_switched_and_set_per_platform(ws: Workspace, tmp_path: Path) -> None:
    _creators(ws, tmp_path, "ann,60000\nbo,5000\n")
    _creators(ws, tmp_path, "ytc,60000\n", Platform.YOUTUBE)  # YouTube handles: 3 to 30
    tiers = lambda: {p.creator.handle: p.tier for p in ws.list_creators().creators}  # noqa: E731
    assert tiers() == {"ann": "micro", "bo": "nano", "ytc": "micro"}
    ws.set_tier_scheme("micro-50k")
    assert tiers() == {"ann": "mid", "bo": "nano", "ytc": "mid"}
    scheme = ws.tier_scheme().with_platform(
        Platform.YOUTUBE, TierBands(micro=1000, mid=100_000, macro=500_000, mega=1_000_000)
    )
    ws.set_tier_scheme(scheme)
    assert tiers() == {"ann": "mid", "bo": "nano", "ytc": "micro"}


def test_the_demo_catalog_engages_less_as_audiences_grow(demo_ws: Workspace) -> None:
    rows = demo_ws.tier_summary().rows
    for platform in ("instagram", "tiktok", "youtube"):
        ers = [r.median_er for r in rows if r.platform == platform]
        prices = [r.median_price for r in rows if r.platform == platform]
        assert len(ers) == 5 and ers == sorted(ers, reverse=True), (platform, ers)
        assert prices == sorted(prices), (platform, prices)  # type: ignore[type-var]
        for r in rows:
            if r.platform == platform:
                low, high = PRICE_PER_POST_USD[platform][r.tier]
                top = float("inf") if r.tier == "mega" else high  # published as "$10k+"
                assert r.median_price is not None and low <= r.median_price <= top, r


def _demo_groups(creators: int) -> dict[tuple[str, str], list[dict[str, object]]]:
    from creatormix.demo import generate
    from creatormix.domain.tiers import DEFAULT_SCHEME

    groups: dict[tuple[str, str], list[dict[str, object]]] = {}
    for row in generate(seed=7, creators=creators).creators.to_pylist():
        tier = DEFAULT_SCHEME.tier_of(str(row["platform"]), int(row["followers"]))  # type: ignore[call-overload]
        groups.setdefault((str(row["platform"]), str(tier)), []).append(row)
    return groups


@pytest.mark.parametrize("creators", [1500, 3000])
def test_the_demo_generator_puts_every_tier_median_in_order_on_every_platform(
    creators: int,
) -> None:
    groups = _demo_groups(creators)
    order = ["nano", "micro", "mid", "macro", "mega"]
    for platform in ("instagram", "tiktok", "youtube"):
        ers, prices = [], []
        per = "avg_views" if er_basis(platform) == "views" else "followers"  # the platform's ER
        for tier in order:
            rows = groups[platform, tier]
            ers.append(
                statistics.median(
                    (float(r["avg_likes"]) + float(r["avg_comments"])) / float(r[per])  # type: ignore[arg-type]
                    for r in rows
                    if r["avg_likes"] is not None
                )
            )
            quoted = [float(r["price_per_post"]) for r in rows if r["price_per_post"] is not None]  # type: ignore[arg-type]
            prices.append(statistics.median(quoted))
            low, high = PRICE_PER_POST_USD[platform][tier]
            assert low <= prices[-1] <= (float("inf") if tier == "mega" else high)
        assert ers == sorted(ers, reverse=True), (platform, creators, ers)
        assert prices == sorted(prices), (platform, creators, prices)


def test_demo_quotes_grow_with_followers_within_a_tier() -> None:
    for (platform, tier), rows in _demo_groups(3000).items():
        quoted = sorted(
            (int(r["followers"]), float(r["price_per_post"]))  # type: ignore[arg-type]
            for r in rows
            if r["price_per_post"] is not None
        )
        if len(quoted) < 20:
            continue
        half = len(quoted) // 2
        smaller = statistics.median(p for _, p in quoted[:half])
        bigger = statistics.median(p for _, p in quoted[half:])
        assert bigger > smaller, (platform, tier, smaller, bigger)


_CLAIM = re.compile(
    r"\b(nano|micro|mid|macro|mega) (<=|>=|<|>)?(\d+(?:\.\d+)?)([kM]?)(?:-(\d+(?:\.\d+)?)([kM]?))?"
)


def _followers(number: str, suffix: str) -> int:
    return round(float(number) * {"": 1, "k": 1_000, "M": 1_000_000}[suffix])


@pytest.mark.parametrize("name", list(NAMED_SCHEMES))
def test_every_named_scheme_does_what_its_description_says(name: str) -> None:
    scheme = NAMED_SCHEMES[name]
    tier = lambda n: scheme.tier_of("instagram", n)  # noqa: E731
    listed = ", ".join(f"{t} {r}" for t, r in scheme.bands.describe().items())
    assert scheme.description.endswith(listed), (scheme.description, listed)
    claims = _CLAIM.findall(scheme.description)
    assert len(claims) >= len(scheme.bands.used_tiers())
    for t, op, number, suffix, high, high_suffix in claims:
        n = _followers(number, suffix)
        if high:  # "LOW-HIGH", from LOW (">LOW": above it) to just under HIGH or HIGH itself
            low = n + 1 if op == ">" else n
            top = _followers(high, high_suffix)
            assert (tier(low), tier(top - 1)) == (t, t), (name, t, low, top)
            assert tier(low - 1) != t and tier(top + 1) != t, (name, t, low, top)
        elif op == "<":
            assert tier(n - 1) == t and tier(n) != t, (name, t, n)
        elif op == "<=":
            assert tier(n) == t and tier(n + 1) != t, (name, t, n)
        elif op == ">":
            assert tier(n + 1) == t and tier(n) != t, (name, t, n)
        else:
            assert op == ">=" and tier(n) == t and tier(n - 1) != t, (name, t, n)


def test_micro_30k_keeps_30k_in_micro_and_100k_out_of_macro() -> None:
    scheme = NAMED_SCHEMES["micro-30k"]
    got = [scheme.tier_of("instagram", n) for n in (30_000, 30_001, 100_000, 100_001)]
    assert got == ["micro", "mid", "mid", "macro"]
