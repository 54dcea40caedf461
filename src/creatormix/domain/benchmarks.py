"""Published benchmarks used as fallback priors and to calibrate the demo catalog.

Each number names its source. They are claims from industry reports, not facts: the metrics
layer uses them only where the workspace has too little data of its own (see docs/metrics.md),
and every one can be overridden in the workspace.
"""

from __future__ import annotations

# Engagement rate by followers, (likes + comments) / followers, by platform and tier.
# Source: table "Engagement Rates by Tier & Platform" citing Statista (2025), HypeAuditor (2025) and
# Influencer Marketing Hub, as reproduced at
# https://organicmediabuying.com/blog/micro-vs-nano-vs-macro-influencers.html
ENGAGEMENT_RATE: dict[str, dict[str, float]] = {
    "instagram": {"nano": 0.048, "micro": 0.024, "mid": 0.018, "macro": 0.015, "mega": 0.012},
    "tiktok": {"nano": 0.103, "micro": 0.081, "mid": 0.063, "macro": 0.055, "mega": 0.049},
    "youtube": {"nano": 0.032, "micro": 0.021, "mid": 0.015, "macro": 0.012, "mega": 0.009},
}
ENGAGEMENT_RATE_SOURCE = (
    "organicmediabuying.com tier table (Statista 2025, HypeAuditor 2025, Influencer Marketing Hub)"
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
MIN_GROUP = 10


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
