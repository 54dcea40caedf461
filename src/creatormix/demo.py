"""The demo catalog: SYNTHETIC creators, posts and follower snapshots, seeded and reproducible.

Nothing here describes a real person. The generator is calibrated to published benchmarks so the
demo behaves like a real catalog:

* Engagement rate, in each platform's definition (per follower on Instagram, per view on TikTok
  and YouTube: ``domain.benchmarks.ER_BASIS``), falls with audience size: each platform's
  published tier averages
  (``domain.benchmarks.ENGAGEMENT_RATE``) are placed at the tiers' geometric mid-points and joined by
  a straight line in log-log space; each creator's true rate scatters around that line
  (lognormal, sigma 0.45) and each post scatters around the creator (lognormal, sigma 0.5). The
  true rates of each platform x tier (by the followers the catalog shows, bought ones included)
  are then scaled so that their median is the published figure: a tier of a few dozen creators
  would otherwise rank above the tier below it by chance (YouTube macro 1.59 % over mid 1.35 %).
* Quoted prices (for 40 % of creators) follow the published rate card
  (``domain.benchmarks.PRICE_PER_POST_USD``) as the planner reads it: each tier's range is the price
  at the bottom and the top of its follower band (mega: 1M-10M, in proportion to followers above),
  interpolated in log-log space at the creator's (apparent) followers, scattered log-uniformly
  by up to 1.5x either way, kept inside the tier's range and rounded to two significant digits.
* About 4 % of creators carry bought followers: follower counts inflated 2-4x with engagement and
  views that did not follow (their rate per follower is far below their tier's; bought followers
  do not watch, so a rate per view is not), and a jump in their follower snapshots.
* Video views follow the real followers (``VIEW_RATE`` views per follower, scattered per creator
  and per post); on TikTok and YouTube a post's engagement is its views times the creator's rate.
  Export averages include average views on those platforms.
* Vetting data (``generate_vetting``, drawn from its own seeded stream so the catalog above does
  not change): follower samples for a fifth of the creators and every bought-follower creator
  (fakes are 8 % of a normal audience and the bought share on top: 1 - 1/inflation), audience
  shares by country, age, gender and language for 60 % of creators, and comment texts for a few.
* Sponsored posts carry disclosure markers (#ad, #sponsored, "paid partnership", #werbung …);
  sponsorship is commoner for bigger creators.

The same seed gives byte-identical files. ``generate`` returns Arrow tables; ``write_files`` writes
them as the exports a marketer would have (creators CSV, posts Parquet, snapshots CSV).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from creatormix.domain.benchmarks import ENGAGEMENT_RATE, PRICE_PER_POST_USD, er_basis
from creatormix.domain.labels import SYNTHETIC_LABEL

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

LABEL = SYNTHETIC_LABEL
DEMO_NOW = datetime(2026, 10, 1)  # fixed so the demo is the same on every machine and day

PLATFORM_SHARE = {"instagram": 0.5, "tiktok": 0.3, "youtube": 0.2}
TIER_SHARE = {"nano": 0.34, "micro": 0.36, "mid": 0.15, "macro": 0.08, "mega": 0.07}
TIER_RANGE = {
    "nano": (1_000, 10_000),
    "micro": (10_000, 100_000),
    "mid": (100_000, 500_000),
    "macro": (500_000, 1_000_000),
    "mega": (1_000_000, 40_000_000),
}
# The follower band each published price range spans (planning.costs reads the card the same way).
PRICE_BAND = {**TIER_RANGE, "mega": (1_000_000, 10_000_000)}
PRICE_SCATTER = 1.5  # a quote lies within 1/1.5x-1.5x of the card's price for its followers
POSTS_MEAN = {"nano": 14, "micro": 22, "mid": 28, "macro": 30, "mega": 30}
SPONSORED_MEAN = {"nano": 0.04, "micro": 0.08, "mid": 0.14, "macro": 0.2, "mega": 0.25}
VIEW_RATE = {"instagram": 0.35, "tiktok": 0.9, "youtube": 0.25}  # views per follower on video posts
COUNTRIES = {
    "US": 0.22,
    "GB": 0.09,
    "FR": 0.12,
    "DE": 0.09,
    "ES": 0.06,
    "IT": 0.06,
    "BE": 0.05,
    "NL": 0.04,
    "BR": 0.08,
    "CA": 0.05,
    "CH": 0.03,
    "IN": 0.06,
    "AU": 0.05,
}
LANGUAGE = {
    "US": "en",
    "GB": "en",
    "FR": "fr",
    "DE": "de",
    "ES": "es",
    "IT": "it",
    "BE": "fr",
    "NL": "nl",
    "BR": "pt",
    "CA": "en",
    "CH": "de",
    "IN": "en",
    "AU": "en",
}
NICHES = {
    "beauty": ["skincare", "makeup", "vegan skincare", "glow", "serum"],
    "fashion": ["streetwear", "outfit", "vintage", "style", "thrift"],
    "fitness": ["workout", "gym", "yoga", "running", "protein"],
    "food": ["recipe", "vegan", "baking", "brunch", "plantbased"],
    "travel": ["roadtrip", "hiking", "city guide", "beach", "vanlife"],
    "tech": ["gadgets", "review", "setup", "coding", "smartphone"],
    "gaming": ["stream", "esports", "retro", "speedrun", "pc build"],
    "parenting": ["toddler", "family", "mom life", "baby", "school"],
    "home": ["interior", "diy", "plants", "decor", "cozy"],
}
NICHE_SHARE = {
    "beauty": 0.16,
    "fashion": 0.16,
    "fitness": 0.12,
    "food": 0.13,
    "travel": 0.11,
    "tech": 0.08,
    "gaming": 0.08,
    "parenting": 0.07,
    "home": 0.09,
}
DISCLOSURES = [
    "#ad",
    "#sponsored",
    "paid partnership with",
    "#werbung",
    "#publicité",
    "#partner",
    "#anzeige",
]
_SYLLABLES = [
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
    "is",
    "or",
]
_WORDS = [
    "daily",
    "life",
    "studio",
    "with",
    "by",
    "the",
    "club",
    "journal",
    "notes",
    "diaries",
    "world",
    "lab",
]


@dataclass(frozen=True)
class DemoCatalog:
    creators: pa.Table
    posts: pa.Table
    snapshots: pa.Table
    truth: pa.Table | None = None  # per creator: bought followers' inflation factor (1 = none)


def _er_curve(platform: str) -> Callable[[np.ndarray], np.ndarray]:
    """Engagement rate as a function of followers through the published tier averages."""
    import numpy as np

    table = ENGAGEMENT_RATE[platform]
    mids = [np.sqrt(lo * hi) for lo, hi in (TIER_RANGE[t] for t in table)]
    log_x = np.log(mids)
    log_y = np.log(list(table.values()))

    def curve(followers: np.ndarray) -> np.ndarray:
        return np.asarray(np.exp(np.interp(np.log(followers), log_x, log_y, left=None, right=None)))

    return curve


def _tier_of(followers: float) -> str:
    """The default scheme's tier of a follower count (TIER_RANGE's lower bounds)."""
    tier = "nano"
    for name, (low, _high) in TIER_RANGE.items():
        if followers >= low:
            tier = name
    return tier


def card_price(platform: str, followers: float) -> float:
    """The rate card's price per post for a creator with ``followers`` (USD, before scatter)."""
    import numpy as np

    tier = _tier_of(followers)
    low, high = PRICE_PER_POST_USD[platform][tier]
    band_lo, band_hi = PRICE_BAND[tier]
    if followers > band_hi:
        return float(high * followers / band_hi)
    pos = float(np.clip(np.log(followers / band_lo) / np.log(band_hi / band_lo), 0.0, 1.0))
    return float(low * (high / low) ** pos)


def _quote(platform: str, followers: float, u: float) -> float:
    """A quoted price: the card's, scattered by ``u`` (uniform 0-1), inside the tier's range."""
    import math

    low, high = PRICE_PER_POST_USD[platform][_tier_of(followers)]
    top = math.inf if _tier_of(followers) == "mega" else high
    price = card_price(platform, followers) * PRICE_SCATTER ** (2 * u - 1)
    price = float(f"{price:.2g}") if price >= 10 else round(price)
    return min(max(price, low), top)


def _at_published_medians(
    true_er: np.ndarray, platform: np.ndarray, followers: np.ndarray
) -> np.ndarray:
    """True rates scaled per platform x tier (of ``followers``) to the published tier median."""
    import numpy as np

    tiers = np.array([_tier_of(float(f)) for f in followers])
    out = true_er.copy()
    for p in np.unique(platform):
        for t in np.unique(tiers):
            group = (platform == p) & (tiers == t)
            if group.any():
                out[group] *= ENGAGEMENT_RATE[str(p)][str(t)] / np.median(true_er[group])
    return np.asarray(np.clip(out, 0.001, 0.4))


def _choice(rng: np.random.Generator, weights: dict[str, float], n: int) -> np.ndarray:
    import numpy as np

    keys = list(weights)
    p = np.array([weights[k] for k in keys])
    return np.asarray(keys, dtype=object)[rng.choice(len(keys), size=n, p=p / p.sum())]


def _handles(rng: np.random.Generator, niches: np.ndarray) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for niche in niches:
        while True:
            stem = "".join(rng.choice(_SYLLABLES, size=int(rng.integers(2, 4))))
            style = int(rng.integers(0, 4))
            if style == 0:
                handle = f"{stem}.{niche}"
            elif style == 1:
                handle = f"{stem}_{rng.choice(_WORDS)}"
            elif style == 2:
                handle = f"{niche}with{stem}"
            else:
                handle = f"{stem}{int(rng.integers(1, 99))}"
            if handle not in seen:
                seen.add(handle)
                out.append(handle)
                break
    return out


def generate(seed: int = 7, creators: int = 3000) -> DemoCatalog:
    """The synthetic catalog as Arrow tables (see the module docstring for the model)."""
    import numpy as np
    import pyarrow as pa

    rng = np.random.default_rng(seed)
    n = creators
    platform = _choice(rng, PLATFORM_SHARE, n)
    tier = _choice(rng, TIER_SHARE, n)
    lo = np.array([TIER_RANGE[t][0] for t in tier], dtype=float)
    hi = np.array([TIER_RANGE[t][1] for t in tier], dtype=float)
    followers = np.exp(rng.uniform(np.log(lo), np.log(hi)))
    niche = _choice(rng, NICHE_SHARE, n)
    country = _choice(rng, COUNTRIES, n)
    handles = _handles(rng, niche)
    base_er = np.empty(n)
    for p in PLATFORM_SHARE:
        mask = platform == p
        base_er[mask] = _er_curve(p)(followers[mask])
    true_er = np.clip(base_er * rng.lognormal(0.0, 0.45, n), 0.001, 0.4)
    bought = rng.random(n) < 0.04
    inflate = np.where(bought, rng.uniform(2.0, 4.0, n), 1.0)
    real_followers = followers
    followers = np.round(followers * inflate).astype(np.int64)
    by_views = np.array([er_basis(str(p)) == "views" for p in platform])
    true_er = np.where(bought & ~by_views, true_er / inflate, true_er)
    true_er = _at_published_medians(true_er, platform, followers)
    following = np.round(np.exp(rng.normal(np.log(600), 0.8, n))).astype(np.int64)
    posts_expected = np.array([POSTS_MEAN[t] for t in tier])
    n_posts = rng.poisson(posts_expected)
    n_posts[rng.random(n) < 0.1] = 0  # some creators only have export averages
    per_week = np.exp(rng.normal(np.log(2.5), 0.5, n))
    sponsored_rate = np.clip(
        rng.beta(2, 8, n) * np.array([SPONSORED_MEAN[t] for t in tier]) / 0.2, 0, 0.9
    )
    views_rate = np.array([VIEW_RATE[p] for p in platform]) * rng.lognormal(0, 0.4, n)

    # Posts, vectorised across all creators.
    owner = np.repeat(np.arange(n), n_posts)
    k = len(owner)
    order_in_creator = (
        np.concatenate([np.arange(c) for c in n_posts]) if k else np.array([], dtype=int)
    )
    gap_days = 7.0 / per_week[owner] * rng.exponential(1.0, k)
    # Ages grow with the post's rank within its creator (0 = newest).
    age = np.zeros(k)
    start = 0
    for c in n_posts:
        if c:
            age[start : start + c] = np.cumsum(gap_days[start : start + c]) + rng.uniform(0, 3)
        start += c
    posted_at = np.datetime64(DEMO_NOW, "us") - (age * 86_400e6).astype("timedelta64[us]")
    post_plat = platform[owner]
    is_video = np.where(post_plat == "instagram", rng.random(k) < 0.45, True)
    type_choices = np.where(
        post_plat == "instagram",
        np.where(is_video, "reel", np.where(rng.random(k) < 0.3, "carousel", "image")),
        np.where(post_plat == "tiktok", "video", np.where(rng.random(k) < 0.3, "short", "video")),
    )
    eng_noise = rng.lognormal(-0.125, 0.5, k)
    views = np.where(
        is_video,
        np.round(real_followers[owner] * views_rate[owner] * rng.lognormal(0, 0.6, k)),
        np.nan,
    )
    # per follower: the followers the catalog shows, bought ones included; per view: the views
    per_unit = np.where(
        by_views[owner], np.nan_to_num(views), real_followers[owner] * inflate[owner]
    )
    engagements = per_unit * true_er[owner] * eng_noise
    comment_share = np.where(
        post_plat == "youtube", 0.06, np.where(post_plat == "tiktok", 0.02, 0.035)
    )
    comments = rng.binomial(np.maximum(engagements, 0).astype(np.int64), comment_share)
    likes = np.round(engagements).astype(np.int64) - comments
    shares = np.round(engagements * rng.uniform(0.01, 0.08, k)).astype(np.int64)
    saves = np.where(
        post_plat == "instagram", np.round(engagements * rng.uniform(0.01, 0.1, k)), np.nan
    )
    sponsored = rng.random(k) < sponsored_rate[owner]
    topic = rng.integers(0, 5, k)
    tag_a = rng.integers(0, 5, k)
    tag_b = (tag_a + rng.integers(1, 5, k)) % 5
    marker = rng.integers(0, len(DISCLOSURES), k)
    brand = rng.integers(1, 40, k)
    post_niche = niche[owner]
    captions = []
    for i in range(k):
        words = NICHES[post_niche[i]]
        text = f"New {words[topic[i]]} post #{words[tag_a[i]].replace(' ', '')} #{words[tag_b[i]].replace(' ', '')} #{post_niche[i]}"
        if sponsored[i]:
            m = DISCLOSURES[marker[i]]
            text = f"{text} {m}" if m.startswith("#") else f"{m} @brand{brand[i]}: {text}"
        captions.append(text)
    post_ids = [f"{handles[owner[i]]}-{order_in_creator[i]:03d}" for i in range(k)]

    # Export averages and prices.
    # a post's mean views: E[lognormal(0, 0.6)] = exp(0.18)
    avg_views = np.where(by_views, np.round(real_followers * views_rate * np.exp(0.18)), np.nan)
    mean_eng = np.where(by_views, avg_views, followers) * true_er
    avg_comments = np.round(mean_eng * 0.035)
    avg_likes = np.round(mean_eng) - avg_comments
    show_avgs = rng.random(n) < 0.7
    price_known = rng.random(n) < 0.4
    price = np.full(n, np.nan)
    for j in np.flatnonzero(price_known):  # one uniform draw each, as before: the stream is kept
        price[j] = _quote(str(platform[j]), float(followers[j]), float(rng.uniform()))
    currency = np.where(np.isin(country, ["FR", "DE", "ES", "IT", "BE", "NL"]), "EUR", "USD")
    names = [h.replace(".", " ").replace("_", " ").title() for h in handles]
    bios = [
        f"{NICHES[niche[i]][0].capitalize()} & {NICHES[niche[i]][1]} | {niche[i]} creator based in {country[i]}"
        + (" | DM for collabs" if rng.random() < 0.5 else "")
        for i in range(n)
    ]
    creators_tbl = pa.table(
        {
            "platform": pa.array(platform.astype(str)),
            "handle": pa.array(handles),
            "name": pa.array(names),
            "country": pa.array(country.astype(str)),
            "language": pa.array([LANGUAGE[c] for c in country]),
            "category": pa.array(niche.astype(str)),
            "followers": pa.array(followers),
            "following": pa.array(following),
            "posts": pa.array(np.maximum(n_posts * 8 + rng.integers(0, 200, n), 1)),
            "bio": pa.array(bios),
            "price_per_post": pa.array(
                np.where(price_known, price, np.nan), pa.float64(), from_pandas=True
            ),
            "currency": pa.array(
                [c if k else None for c, k in zip(currency, price_known, strict=True)], pa.string()
            ),
            "avg_likes": pa.array(np.where(show_avgs, avg_likes, np.nan), from_pandas=True),
            "avg_comments": pa.array(np.where(show_avgs, avg_comments, np.nan), from_pandas=True),
            "avg_views": pa.array(np.where(show_avgs, avg_views, np.nan), from_pandas=True),
            "audience_country": pa.array(country.astype(str)),
            "observed_at": pa.array([DEMO_NOW] * n, pa.timestamp("us")),
        }
    )
    posts_tbl = pa.table(
        {
            "platform": pa.array(post_plat.astype(str)),
            "handle": pa.array([handles[o] for o in owner], pa.string()),
            "post_id": pa.array(post_ids, pa.string()),
            "posted_at": pa.array(posted_at),
            "type": pa.array(type_choices.astype(str)),
            "likes": pa.array(np.maximum(likes, 0)),
            "comments": pa.array(comments),
            "shares": pa.array(shares),
            "saves": pa.array(saves, from_pandas=True).cast(pa.int64()),
            "views": pa.array(views, from_pandas=True).cast(pa.int64()),
            "caption": pa.array(captions, pa.string()),
        }
    )
    # Three earlier snapshots, 30 days apart; bought followers arrive as a jump before the last one.
    growth = rng.normal(0.015, 0.02, n)
    months = np.array([3, 2, 1])
    dates = [(DEMO_NOW - timedelta(days=30 * int(m))).date().isoformat() for m in months]
    values = (
        real_followers[None, :] / (1 + growth[None, :]) ** months[:, None]
    )  # before bought followers
    snap_rows = {
        "platform": np.tile(platform.astype(str), len(months)),
        "handle": np.tile(np.asarray(handles), len(months)),
        "date": np.repeat(dates, n),
        "followers": np.round(values).astype(np.int64).ravel(),
    }
    snapshots_tbl = pa.table(snap_rows)
    truth = pa.table(
        {
            "platform": pa.array(platform.astype(str)),
            "handle": pa.array(handles),
            "inflate": pa.array(inflate),
        }
    )
    return DemoCatalog(creators=creators_tbl, posts=posts_tbl, snapshots=snapshots_tbl, truth=truth)


def write_files(catalog: DemoCatalog, folder: Path) -> dict[str, Path]:
    """Write the demo as exports: creators CSV, posts Parquet, snapshots CSV (with a README)."""
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    paths = {
        "creators": folder / "demo_creators.csv",
        "posts": folder / "demo_posts.parquet",
        "snapshots": folder / "demo_follower_snapshots.csv",
    }
    pacsv.write_csv(catalog.creators, paths["creators"])
    pq.write_table(catalog.posts, paths["posts"])
    pacsv.write_csv(catalog.snapshots, paths["snapshots"])
    (folder / "README.txt").write_text(
        f"{LABEL}\n\nCreators, posts and follower snapshots invented by a seeded generator calibrated to "
        "published engagement and price benchmarks (see creatormix/demo.py). Use them to try the importers.\n",
        encoding="utf-8",
    )
    return paths


# --- vetting data --------------------------------------------------------------------------------

BASE_FAKE_SHARE = 0.08  # a normal audience's fake share, near SRF Data's 10 % base rate
SAMPLED_SHARE = 0.2
AUDIENCE_SHARE = 0.6
COMMENTED_CREATORS = 60
_FIRST = [
    "anna",
    "lucas",
    "mia",
    "leo",
    "emma",
    "noah",
    "lea",
    "hugo",
    "sofia",
    "jonas",
    "ines",
    "tom",
    "clara",
    "max",
    "julia",
    "paul",
]
_LAST = [
    "martin",
    "muller",
    "rossi",
    "garcia",
    "dubois",
    "smith",
    "silva",
    "jansen",
    "peeters",
    "weber",
    "costa",
    "brown",
]
_AGE_BIAS = {"gaming": -0.6, "tech": -0.2, "parenting": 0.5, "home": 0.4, "travel": 0.2}
_FEMALE = {
    "beauty": 0.8,
    "fashion": 0.72,
    "parenting": 0.82,
    "home": 0.66,
    "food": 0.6,
    "fitness": 0.55,
    "travel": 0.55,
    "tech": 0.3,
    "gaming": 0.25,
}
_GENERIC = [
    "nice pic",
    "wow",
    "😍😍😍",
    "love it",
    "amazing",
    "🔥🔥",
    "cool",
    "so cute",
    "great post",
    "👏",
]


@dataclass(frozen=True)
class DemoVetting:
    followers_sample: pa.Table
    audience: pa.Table
    comments: pa.Table


def _followers(rng: np.random.Generator, n: int, fake_share: float) -> dict[str, list[object]]:
    import numpy as np

    fake = rng.random(n) < fake_share
    posts = np.where(fake, rng.poisson(0.6, n), np.round(np.exp(rng.normal(np.log(90), 1.1, n))))
    following = np.where(
        fake, np.exp(rng.normal(np.log(2600), 0.5, n)), np.exp(rng.normal(np.log(450), 0.8, n))
    )
    followers = np.where(
        fake, np.exp(rng.normal(np.log(60), 1.0, n)), np.exp(rng.normal(np.log(380), 1.1, n))
    )
    names = []
    for f in fake:
        first, last = _FIRST[rng.integers(len(_FIRST))], _LAST[rng.integers(len(_LAST))]
        if f and rng.random() < 0.6:
            names.append(f"{first}{last[:2]}{rng.integers(10_000, 99_999_999)}")
        elif rng.random() < 0.2:
            names.append(f"{first}_{last}{rng.integers(1, 99)}")
        else:
            names.append(f"{first}.{last}" if rng.random() < 0.5 else f"{first}{last}")
    return {
        "username": names,
        "posts": posts.astype(np.int64).tolist(),
        "following": np.round(following).astype(np.int64).tolist(),
        "followers": np.round(followers).astype(np.int64).tolist(),
        "has_profile_picture": (
            np.where(fake, rng.random(n) < 0.85, rng.random(n) < 0.99)
        ).tolist(),
        "is_private": (rng.random(n) < np.where(fake, 0.3, 0.2)).tolist(),
    }


def _split(
    rng: np.random.Generator, weights: dict[str, float], concentration: float
) -> dict[str, float]:
    import numpy as np

    keys = list(weights)
    draw = rng.dirichlet(np.array([weights[k] for k in keys]) * concentration + 1e-3)
    return {k: round(float(v), 4) for k, v in zip(keys, draw, strict=True) if v >= 0.0005}


def generate_vetting(catalog: DemoCatalog, seed: int = 7) -> DemoVetting:
    """Follower samples, audience shares and comments for the demo creators (SYNTHETIC)."""
    import numpy as np
    import pyarrow as pa

    from creatormix.domain.benchmarks import PLATFORM_AGE_SHARE

    rng = np.random.default_rng([seed, 4])
    c = catalog.creators.to_pydict()
    inflate = (
        catalog.truth["inflate"].to_numpy()
        if catalog.truth is not None
        else np.ones(len(c["handle"]))
    )
    sample_rows: dict[str, list[object]] = {
        k: []
        for k in (
            "creator",
            "platform",
            "username",
            "posts",
            "following",
            "followers",
            "has_profile_picture",
            "is_private",
        )
    }
    audience_rows: dict[str, list[object]] = {
        k: [] for k in ("creator", "platform", "dimension", "segment", "share")
    }
    for i, handle in enumerate(c["handle"]):
        bought = inflate[i] > 1
        if bought or rng.random() < SAMPLED_SHARE:
            fake_share = BASE_FAKE_SHARE + (1 - BASE_FAKE_SHARE) * (1 - 1 / inflate[i])
            n = int(rng.choice([20, 60, 120, 200], p=[0.1, 0.3, 0.35, 0.25]))
            rows = _followers(rng, n, fake_share)
            sample_rows["creator"] += [handle] * n
            sample_rows["platform"] += [c["platform"][i]] * n
            for k, v in rows.items():
                sample_rows[k] += v
        if rng.random() < AUDIENCE_SHARE:
            home = c["country"][i]
            countries = {k: 0.4 * v for k, v in COUNTRIES.items() if k != home}
            countries[home] = 0.5 if not bought else 0.15
            if bought:  # bought followers come from where followers are cheap
                countries["IN"] = countries.get("IN", 0) + 2.0
                countries["BR"] = countries.get("BR", 0) + 1.5
            shift = _AGE_BIAS.get(c["category"][i], 0.0)
            ages = {
                k: v * float(np.exp(shift * (j - 2) / 2))
                for j, (k, v) in enumerate(PLATFORM_AGE_SHARE.items())
            }
            female = _FEMALE[c["category"][i]]
            language = (
                {LANGUAGE[home]: 3.0, "en": 1.0}
                if LANGUAGE[home] != "en"
                else {"en": 4.0, "es": 0.3}
            )
            for dimension, weights, conc in (
                ("country", countries, 20.0),
                ("age", ages, 60.0),
                ("gender", {"female": female, "male": 1 - female}, 80.0),
                ("language", language, 20.0),
            ):
                for segment, share in _split(rng, weights, conc).items():
                    audience_rows["creator"].append(handle)
                    audience_rows["platform"].append(c["platform"][i])
                    audience_rows["dimension"].append(dimension)
                    audience_rows["segment"].append(segment)
                    audience_rows["share"].append(f"{share * 100:.2f}%")
    comment_rows: dict[str, list[object]] = {
        k: [] for k in ("creator", "platform", "post_id", "comment")
    }
    posts = catalog.posts.select(["handle", "platform", "post_id", "caption"]).to_pylist()
    by_creator: dict[str, list[dict[str, object]]] = {}
    for p in posts:
        by_creator.setdefault(str(p["handle"]), []).append(p)
    commented = sorted(by_creator)[:: max(1, len(by_creator) // COMMENTED_CREATORS)][
        :COMMENTED_CREATORS
    ]
    for j, handle in enumerate(commented):
        generic_rate = 0.75 if j % 10 == 0 else 0.2  # one in ten looks like a comment pod
        for p in by_creator[handle][:6]:
            for _ in range(int(rng.integers(3, 8))):
                if rng.random() < generic_rate:
                    text = _GENERIC[int(rng.integers(len(_GENERIC)))]
                else:
                    text = f"Where did you get this? Looks great for {str(p['caption']).split()[1]}"
                comment_rows["creator"].append(handle)
                comment_rows["platform"].append(p["platform"])
                comment_rows["post_id"].append(p["post_id"])
                comment_rows["comment"].append(text)
    return DemoVetting(
        followers_sample=pa.table(sample_rows),
        audience=pa.table(audience_rows),
        comments=pa.table(comment_rows),
    )


def write_vetting_files(vetting: DemoVetting, folder: Path) -> dict[str, Path]:
    """Write the vetting demo as CSV exports next to the catalog files."""
    import pyarrow.csv as pacsv

    folder.mkdir(parents=True, exist_ok=True)
    paths = {
        "followers-sample": folder / "demo_followers_sample.csv",
        "audience": folder / "demo_audience.csv",
        "comments": folder / "demo_comments.csv",
    }
    pacsv.write_csv(vetting.followers_sample, paths["followers-sample"])
    pacsv.write_csv(vetting.audience, paths["audience"])
    pacsv.write_csv(vetting.comments, paths["comments"])
    return paths
