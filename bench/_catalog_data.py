"""The benchmark catalog: SYNTHETIC creators, posts and follower snapshots at any size, fast.

``creatormix.demo`` builds a few thousand creators with per-post Python loops; this generator
builds 100,000 creators and 10,000,000 posts with whole-array numpy/Arrow operations, so the
benchmark spends its time importing, not generating. The shape follows the demo (tiers, platforms,
engagement falling with followers, disclosure markers on sponsored posts) and what real exports
look like: a shortcode per post, captions with hashtags, a hashtags column (a list in Parquet, a
Python-list string in CSV, as in the Kim et al. post table), views only on videos, saves only on
Instagram, and a later re-scrape of 0.5 % of the posts with newer counts at the end of the file
(so the import's "latest fact of a post wins" rule has work to do).

Files are written once per (size, seed, GENERATOR_VERSION) under ``bench/out/`` and reused.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

GENERATOR_VERSION = 2  # bump when the generated content changes, to invalidate cached files
NOW = datetime(2026, 10, 1)
OUT = Path(__file__).resolve().parent / "out"

PLATFORMS = ("instagram", "tiktok", "youtube")
PLATFORM_SHARE = (0.5, 0.3, 0.2)
TIERS = ("nano", "micro", "mid", "macro", "mega")
TIER_SHARE = (0.34, 0.36, 0.15, 0.08, 0.07)
TIER_LOW = (1_000, 10_000, 100_000, 500_000, 1_000_000)
TIER_HIGH = (10_000, 100_000, 500_000, 1_000_000, 40_000_000)
TIER_ER = (0.05, 0.03, 0.02, 0.016, 0.012)
TIER_SPONSORED = (0.04, 0.08, 0.14, 0.2, 0.25)
COUNTRIES = ("US", "GB", "FR", "DE", "ES", "IT", "BR", "IN", "CA", "AU")
LANGUAGES = ("en", "en", "fr", "de", "es", "it", "pt", "en", "en", "en")
NICHES = ("beauty", "fashion", "fitness", "food", "travel", "tech", "gaming", "parenting", "home")
WORDS = [
    "skincare",
    "makeup",
    "serum",
    "glow",
    "streetwear",
    "outfit",
    "vintage",
    "thrift",
    "workout",
    "gym",
    "yoga",
    "running",
    "recipe",
    "vegan",
    "baking",
    "brunch",
    "roadtrip",
    "hiking",
    "beach",
    "vanlife",
    "gadgets",
    "review",
    "setup",
    "coding",
    "stream",
    "esports",
    "retro",
    "toddler",
    "family",
    "interior",
    "diy",
    "plants",
    "decor",
    "cozy",
    "morning",
    "sunday",
    "routine",
    "haul",
    "favourites",
]
OPENERS = ("New", "My", "Today's", "Loving this", "Weekend", "Quick", "Best", "Trying a")
DISCLOSURES = (
    "#ad",
    "#sponsored",
    "#Werbung",
    "#publicité",
    "#partner",
    "#anzeige",
    "Paid partnership with",
    "in collaboration with",
)
SYLLABLES = [
    "la",
    "mi",
    "ko",
    "ra",
    "ne",
    "zu",
    "ta",
    "vi",
    "lo",
    "sa",
    "ki",
    "de",
    "mo",
    "ri",
    "na",
    "jo",
    "be",
    "lu",
    "fa",
    "ge",
    "po",
    "xi",
    "yo",
    "da",
    "el",
    "an",
]
RESCRAPED_SHARE = 0.005
SHORTCODE = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


@dataclass(frozen=True)
class CatalogFiles:
    """Paths of one generated catalog, in both formats."""

    folder: Path

    def path(self, kind: str, fmt: str) -> Path:
        return self.folder / f"{kind}.{fmt}"


def _take(values: tuple[str, ...] | list[str], idx: np.ndarray) -> pa.Array:
    import pyarrow as pa

    return pa.array(values, pa.string()).take(pa.array(idx))


def _join(*parts: pa.Array | str) -> pa.Array:
    import pyarrow.compute as pc

    return pc.binary_join_element_wise(*parts, "")


def _shortcodes(rng: np.random.Generator, n: int) -> pa.Array:
    """Random 11-character Instagram-like shortcodes, built as one Arrow buffer."""
    import numpy as np
    import pyarrow as pa

    alphabet = np.frombuffer(SHORTCODE, dtype=np.uint8)
    data = alphabet[rng.integers(0, len(alphabet), size=n * 11)]
    offsets = np.arange(0, 11 * (n + 1), 11, dtype=np.int32)
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(data.tobytes()))


def generate(creators: int, posts: int, seed: int) -> dict[str, pa.Table]:
    """Creators, posts and snapshots as Arrow tables (see the module docstring)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    rng = np.random.default_rng(seed)
    n = creators
    platform = rng.choice(len(PLATFORMS), size=n, p=PLATFORM_SHARE)
    tier = rng.choice(len(TIERS), size=n, p=TIER_SHARE)
    low, high = np.array(TIER_LOW)[tier], np.array(TIER_HIGH)[tier]
    followers = np.round(np.exp(rng.uniform(np.log(low), np.log(high)))).astype(np.int64)
    true_er = np.clip(
        np.array(TIER_ER)[tier] * np.where(platform == 1, 2.5, 1.0) * rng.lognormal(0, 0.45, n),
        0.001,
        0.4,
    )
    niche = rng.integers(0, len(NICHES), n)
    country = rng.integers(0, len(COUNTRIES), n)
    stems = _join(
        _take(SYLLABLES, rng.integers(0, len(SYLLABLES), n)),
        _take(SYLLABLES, rng.integers(0, len(SYLLABLES), n)),
        _take(["", "_", "."], rng.integers(0, 3, n)),
        _take(NICHES, niche),
    )
    handles = _join(stems, pc.cast(pa.array(np.arange(n)), pa.string()))
    per_week = np.exp(rng.normal(np.log(2.5), 0.5, n))
    sponsored_rate = np.clip(rng.beta(2, 8, n) * np.array(TIER_SPONSORED)[tier] / 0.2, 0, 0.9)
    views_rate = np.array([0.35, 0.9, 0.25])[platform] * rng.lognormal(0, 0.4, n)

    # Posts per creator: exactly `posts` in total; 5 % of creators have none (export averages only).
    weight = rng.lognormal(0, 0.6, n) * np.where(rng.random(n) < 0.05, 0.0, 1.0)
    counts = rng.multinomial(posts, weight / weight.sum()) if n else np.zeros(0, np.int64)
    owner = np.repeat(np.arange(n), counts)
    k = len(owner)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]]) if n else np.zeros(0, np.int64)
    gaps = 7.0 / per_week[owner] * rng.exponential(1.0, k)
    cum = np.cumsum(gaps)
    before = np.concatenate([[0.0], cum])[np.repeat(starts, counts)]
    age_days = cum - before + rng.uniform(0, 3, n)[owner]  # newest first within each creator
    posted_at = np.datetime64(NOW, "s") - (age_days * 86_400).astype("timedelta64[s]")
    post_platform = platform[owner]
    is_video = np.where(post_platform == 0, rng.random(k) < 0.45, True)
    post_type = np.where(
        post_platform == 0,
        np.where(is_video, 0, np.where(rng.random(k) < 0.3, 1, 2)),
        np.where((post_platform == 2) & (rng.random(k) < 0.3), 3, 4),
    )
    engagements = followers[owner] * true_er[owner] * rng.lognormal(-0.125, 0.5, k)
    comment_share = np.array([0.035, 0.02, 0.06])[post_platform]
    comments = rng.binomial(engagements.astype(np.int64), comment_share)
    likes = np.round(engagements).astype(np.int64) - comments
    views = np.where(
        is_video, np.round(followers[owner] * views_rate[owner] * rng.lognormal(0, 0.6, k)), np.nan
    )
    shares = np.round(engagements * rng.uniform(0.01, 0.08, k)).astype(np.int64)
    saves = np.where(post_platform == 0, np.round(engagements * rng.uniform(0.01, 0.1, k)), np.nan)
    sponsored = rng.random(k) < sponsored_rate[owner]

    post_niche = niche[owner]
    words = rng.integers(0, len(WORDS), (3, k))
    tags = [_take(WORDS, words[i]) for i in range(3)]
    marker = _take(DISCLOSURES, rng.integers(0, len(DISCLOSURES), k))
    marker_is_tag = pc.starts_with(marker, "#")
    base = _join(
        _take(OPENERS, rng.integers(0, len(OPENERS), k)),
        " ",
        tags[0],
        " post, link in bio #",
        tags[1],
        " #",
        tags[2],
        " #",
        _take(NICHES, post_niche),
    )
    brand = _join(" @brand", pc.cast(pa.array(rng.integers(1, 400, k)), pa.string()), ": ")
    sponsored_arr = pa.array(sponsored)
    caption = pc.if_else(
        sponsored_arr,
        pc.if_else(marker_is_tag, _join(base, " ", marker), _join(marker, brand, base)),
        base,
    )
    tag_marker = pc.if_else(pc.and_(sponsored_arr, marker_is_tag), pc.utf8_lower(marker), None)
    # The hashtags column: the caption's three tags, then the marker tag on sponsored posts.
    pool = pa.concat_arrays(
        [
            _join("#", tags[1]),
            _join("#", tags[2]),
            _join("#", _take(NICHES, post_niche)),
            tag_marker.cast(pa.string()),
        ]
    )
    grid = np.arange(k)[:, None] + np.arange(4)[None, :] * k
    keep = np.ones((k, 4), dtype=bool)
    keep[:, 3] = np.asarray(tag_marker.is_valid())
    items = pool.take(pa.array(grid[keep]))
    offsets = np.zeros(k + 1, dtype=np.int32)
    np.cumsum(keep.sum(axis=1), out=offsets[1:])
    hashtags = pa.ListArray.from_arrays(pa.array(offsets), items)

    post_cols = {
        "platform": _take(PLATFORMS, post_platform),
        "username": pa.array(handles).take(pa.array(owner)),
        "shortcode": _shortcodes(rng, k),
        "posted_at": pa.array(posted_at.astype("datetime64[us]")),
        "type": _take(("reel", "carousel", "image", "short", "video"), post_type),
        "likes": pa.array(np.maximum(likes, 0)),
        "comments": pa.array(comments),
        "shares": pa.array(shares),
        "saves": pa.array(saves, from_pandas=True).cast(pa.int64()),
        "views": pa.array(views, from_pandas=True).cast(pa.int64()),
        "caption": caption,
        "hashtags": hashtags,
    }
    posts_tbl = pa.table(post_cols)
    again = np.flatnonzero(rng.random(k) < RESCRAPED_SHARE)
    if len(again):
        later = posts_tbl.take(pa.array(again))
        grown = pc.cast(
            pc.multiply(pc.cast(later["likes"], pa.float64()), 1.1), pa.int64(), safe=False
        )
        later = later.set_column(later.column_names.index("likes"), "likes", grown)
        posts_tbl = pa.concat_tables([posts_tbl, later])

    show_avgs = rng.random(n) < 0.7
    mean_eng = followers * true_er
    price_known = rng.random(n) < 0.4
    price = np.round(np.exp(rng.uniform(np.log(low / 100 + 5), np.log(high / 50 + 50))), 0)
    creators_tbl = pa.table(
        {
            "platform": _take(PLATFORMS, platform),
            "username": handles,
            "full name": pc.utf8_title(stems),
            "country": _take(COUNTRIES, country),
            "language": _take(LANGUAGES, country),
            "category": _take(NICHES, niche),
            "followers": pa.array(followers),
            "following": pa.array(
                np.round(np.exp(rng.normal(np.log(600), 0.8, n))).astype(np.int64)
            ),
            "posts": pa.array(counts * 3 + rng.integers(1, 200, n)),
            "bio": _join(_take(NICHES, niche), " creator | ", _take(COUNTRIES, country)),
            "price_per_post": pa.array(np.where(price_known, price, np.nan), from_pandas=True),
            "currency": pc.if_else(pa.array(price_known), "USD", None),
            "avg_likes": pa.array(
                np.where(show_avgs, np.round(mean_eng * 0.96), np.nan), from_pandas=True
            ),
            "avg_comments": pa.array(
                np.where(show_avgs, np.round(mean_eng * 0.04), np.nan), from_pandas=True
            ),
            "observed_at": pa.array(np.full(n, np.datetime64(NOW, "us"))),
        }
    )
    growth = rng.normal(0.015, 0.02, n)
    months = np.array([3, 2, 1, 0])
    dates = np.datetime64(NOW, "D") - (30 * months).astype("timedelta64[D]")
    values = followers[None, :] / (1 + growth[None, :]) ** months[:, None]
    snapshots_tbl = pa.table(
        {
            "platform": pa.concat_arrays([_take(PLATFORMS, platform)] * len(months)),
            "username": pa.concat_arrays([handles] * len(months)),
            "date": pa.array(np.repeat(dates, n)),
            "followers": pa.array(np.round(values).astype(np.int64).ravel()),
        }
    )
    return {"creators": creators_tbl, "posts": posts_tbl, "snapshots": snapshots_tbl}


def _csv_ready(table: pa.Table) -> pa.Table:
    """Lists become the Python-list strings real CSV exports carry ("['#a', '#b']") and times
    the ISO text they write ("2026-09-30T18:05:00")."""
    import pyarrow as pa
    import pyarrow.compute as pc

    for i, f in enumerate(table.schema):
        if pa.types.is_timestamp(f.type):
            table = table.set_column(
                i, f.name, pc.strftime(table[f.name].cast(pa.timestamp("s")), "%Y-%m-%dT%H:%M:%S")
            )
        elif pa.types.is_list(f.type):
            joined = pc.binary_join(table[f.name], "', '")
            text = pc.if_else(pc.equal(joined, ""), "[]", _join("['", joined, "']"))
            table = table.set_column(i, f.name, text)
    return table


def write(tables: dict[str, pa.Table], folder: Path) -> CatalogFiles:
    """Write every table as CSV and Parquet into ``folder`` (replaced atomically)."""
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    scratch = folder.with_name(folder.name + ".partial")
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    for kind, table in tables.items():
        pq.write_table(table, scratch / f"{kind}.parquet", row_group_size=1 << 20)
        pacsv.write_csv(_csv_ready(table), scratch / f"{kind}.csv")
    (scratch / "README.txt").write_text(
        "SYNTHETIC benchmark catalog written by bench/_catalog_data.py; invented, not real people.\n",
        encoding="utf-8",
    )
    shutil.rmtree(folder, ignore_errors=True)
    scratch.rename(folder)
    return CatalogFiles(folder)


def catalog_files(creators: int, posts: int, seed: int, root: Path = OUT) -> CatalogFiles:
    """The cached files for this size and seed, generating them on the first call."""
    folder = root / f"catalog-v{GENERATOR_VERSION}-{creators}c-{posts}p-seed{seed}"
    if (folder / "README.txt").exists():
        return CatalogFiles(folder)
    return write(generate(creators, posts, seed), folder)
