"""Published benchmarks used as fallback priors and to calibrate the demo catalog.

Each number names its source. They are claims from industry reports, not facts: the metrics
layer uses them only where the workspace has too little data of its own (see docs/metrics.md),
and every one can be overridden in the workspace.
"""

from __future__ import annotations

import math

# --- engagement rate: what each platform's users read ------------------------------------------
# Instagram's engagement rate is per follower, (likes + comments) / followers: the convention of
# HypeAuditor's and Modash's Instagram reports (HypeAuditor help, "Engagement Rate, Average Likes &
# Comments per Post"). TikTok's and YouTube's are per view, (likes + comments) / views: TikTok's
# For You feed and YouTube's recommendations show a video far beyond the followers, so a rate per
# follower runs into thousands of percent there (a 5,000-follower creator with a 2M-view video);
# the view-based rate is what TikTok and YouTube tools report (KOLens and HypeAuditor for TikTok,
# HypeAuditor "What is YouTube engagement rate" for YouTube). Other platforms: per follower.
ER_BASIS: dict[str, str] = {"instagram": "followers", "tiktok": "views", "youtube": "views"}
ER_BASIS_DEFAULT = "followers"


def er_basis(platform: str) -> str:
    """``"views"`` or ``"followers"``: the denominator of ``platform``'s engagement rate."""
    return ER_BASIS.get(platform, ER_BASIS_DEFAULT)


# Physically plausible engagement rates, per denominator. A rate per follower above 1 means more
# likes and comments on an average post than the account has followers; a rate per view above 1
# means more likes and comments than views. Neither measures an audience: the counts come from
# different dates, another platform's convention (a TikTok rate per follower), or a broken
# export. Such rates are kept as data and flagged, never used for the creator's shrunk rate, the
# tier priors or the anomaly flags. The bound is where the ratio stops meaning what it says, not a
# benchmark; the highest published tier averages are near 0.12 (TikTok nano, per view).
ER_PLAUSIBLE_MAX: dict[str, float] = {"followers": 1.0, "views": 1.0}


def _by_tier(bands: tuple[tuple[float, float, float], ...]) -> dict[str, float]:
    """Per-tier rates from published follower bands (low, high, rate).

    Each band's rate sits at its geometric mid-point in followers; a tier's rate is read at the
    tier's geometric mid-point (default scheme, mega 1M-10M) on the straight line in log-log space
    through those points, flat beyond the first and last band.
    """
    tiers = {
        "nano": (1_000, 10_000),
        "micro": (10_000, 100_000),
        "mid": (100_000, 500_000),
        "macro": (500_000, 1_000_000),
        "mega": (1_000_000, 10_000_000),
    }
    xs = [math.log(math.sqrt(lo * hi)) for lo, hi, _ in bands]
    ys = [math.log(rate) for _, _, rate in bands]
    out: dict[str, float] = {}
    for tier, (lo, hi) in tiers.items():
        x = math.log(math.sqrt(lo * hi))
        if x <= xs[0]:
            y = ys[0]
        elif x >= xs[-1]:
            y = ys[-1]
        else:
            i = next(j for j in range(1, len(xs)) if x <= xs[j])
            y = ys[i - 1] + (ys[i] - ys[i - 1]) * (x - xs[i - 1]) / (xs[i] - xs[i - 1])
        out[tier] = round(math.exp(y), 4)
    return out


# TikTok, per view: KOLens, "What is a good TikTok engagement rate?" ((likes + comments + shares)
# / views over the last 12 videos): under 10k followers 8-15 %, 10k-100k 5-8 %, 100k-1M 3-6 %,
# 1M and more 1.5-3.5 %; each band at the middle of its range.
TIKTOK_ER_BANDS = (
    (1_000, 10_000, 0.115),
    (10_000, 100_000, 0.065),
    (100_000, 1_000_000, 0.045),
    (1_000_000, 10_000_000, 0.025),
)
# YouTube, per view: YTStudio, "YouTube Engagement Rate Calculator: Complete Metrics Guide 2025"
# ((likes + comments + shares) / views), "average" by channel size: under 10k subscribers 5-8 %,
# 10k-100k 3-6 %, 100k-1M 2-4 %, 1M and more 1-3 %; each band at the middle of its range.
YOUTUBE_ER_BANDS = (
    (1_000, 10_000, 0.065),
    (10_000, 100_000, 0.045),
    (100_000, 1_000_000, 0.03),
    (1_000_000, 10_000_000, 0.02),
)

# Published engagement rate by platform and tier, in the platform's own definition (ER_BASIS).
# Instagram (per follower): table "Engagement Rates by Tier & Platform" citing Statista (2025),
# HypeAuditor (2025) and Influencer Marketing Hub, as reproduced at
# https://organicmediabuying.com/blog/micro-vs-nano-vs-macro-influencers.html
# TikTok and YouTube (per view): the bands above, read per tier by ``_by_tier``.
ENGAGEMENT_RATE: dict[str, dict[str, float]] = {
    "instagram": {"nano": 0.048, "micro": 0.024, "mid": 0.018, "macro": 0.015, "mega": 0.012},
    "tiktok": _by_tier(TIKTOK_ER_BANDS),
    "youtube": _by_tier(YOUTUBE_ER_BANDS),
}
ENGAGEMENT_RATE_SOURCE = (
    "Instagram: organicmediabuying.com tier table (Statista 2025, HypeAuditor 2025, Influencer "
    "Marketing Hub); TikTok: KOLens 'What is a good TikTok engagement rate?'; YouTube: YTStudio "
    "'YouTube Engagement Rate Calculator' 2025"
)

# Platforms without a published table borrow Instagram's (the most studied platform).
FALLBACK_PLATFORM = "instagram"

# Price per post in USD, (low, high) by platform and tier. Source: Influencer Marketing Hub rate
# ranges as reproduced at http://alittleclass.blogspot.com/2021/01/how-much-do-influencers-cost.html
# (Instagram nano $10-100, micro $100-500, mid $500-5k, macro $5k-10k, mega $10k+; YouTube and
# TikTok below). The open-ended mega ranges are closed at 3x their lower bound.
PRICE_PER_POST_USD: dict[str, dict[str, tuple[float, float]]] = {
    "instagram": {
        "nano": (10, 100),
        "micro": (100, 500),
        "mid": (500, 5_000),
        "macro": (5_000, 10_000),
        "mega": (10_000, 30_000),
    },
    "youtube": {
        "nano": (20, 200),
        "micro": (200, 1_000),
        "mid": (1_000, 10_000),
        "macro": (10_000, 20_000),
        "mega": (20_000, 60_000),
    },
    "tiktok": {
        "nano": (5, 25),
        "micro": (25, 125),
        "mid": (125, 1_250),
        "macro": (1_250, 2_500),
        "mega": (2_500, 7_500),
    },
}
PRICE_SOURCE = "Influencer Marketing Hub rate ranges (via alittleclass.blogspot.com, 2021)"


def published_er(platform: str, tier: str) -> float:
    table = ENGAGEMENT_RATE.get(platform, ENGAGEMENT_RATE[FALLBACK_PLATFORM])
    return table[tier]


# Shrinkage defaults when a platform x tier group has fewer than MIN_GROUP creators with data:
# prior strength kappa (pseudo-observations of creators) and per-post concentration phi. With
# ER 3 % and a between-creator sd of about 2 points, kappa = 0.03*0.97/0.02**2 ~ 70; posts of one
# creator vary with a coefficient of variation near 0.5, phi = 0.03*0.97/0.015**2 ~ 130.
DEFAULT_KAPPA = 50.0
DEFAULT_PHI = 100.0
# A workspace prior (its median and quartiles) needs at least this many creators. The median of n
# rates scattered with a log-sd s is off by about 1.25 s / sqrt(n) in log terms: with s = 0.6 (the
# demo's creators, 0.45, plus post noise) 24 % at 10 creators and 17 % at 20. Heterogeneous groups
# scatter more (the Instagram top 200's 60-day rates: s = 1.5), and their measured spread makes
# the prior weaker in turn. Below 20 creators the published figure is the steadier norm.
MIN_GROUP = 20


# --- audience fit fallbacks (vetting): used only for creators without imported audience shares ---

# Share of a creator's audience in the creator's own country. Source: Modash, "Study: Latvian
# influencers only reach 50% Latvian audiences" (2019): 53.37 % on average over the top Latvian
# Instagram creators. One small country; treated as a rough prior, shown as low confidence.
HOME_COUNTRY_SHARE = 0.5337
HOME_COUNTRY_SOURCE = "Modash 2019 study of Latvian Instagram creators (53% of audience at home)"

# Instagram users by age band and gender. Source: Hootsuite/We Are Social Digital 2022, as
# reproduced at https://uiuxreviews.vercel.app/instagram.html (13-17 8.5 %, 18-24 30.1 %, 25-34
# 31.5 %, 35-44 16.1 %, 45-54 8 %, 55-64 3.6 %, 65+ 2.1 %; 50.7 % male, 49.3 % female).
PLATFORM_AGE_SHARE: dict[str, float] = {
    "13-17": 0.085,
    "18-24": 0.301,
    "25-34": 0.315,
    "35-44": 0.161,
    "45-54": 0.080,
    "55-64": 0.036,
    "65+": 0.021,
}
PLATFORM_GENDER_SHARE: dict[str, float] = {"male": 0.507, "female": 0.493}
PLATFORM_AUDIENCE_SOURCE = (
    "Hootsuite/We Are Social Digital 2022 (Instagram users by age and gender)"
)
