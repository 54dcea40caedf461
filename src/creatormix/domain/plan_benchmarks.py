"""Published figures the planner starts from when the workspace has no data of its own.

Each number names its source, or says plainly that it is an assumption. They are industry claims,
not facts: ``planning.priors`` turns them into Beta priors with a stated strength, the workspace can
override any of them (``creatormix plans set-prior`` / ``set-rate``, docs/planning.md), and the
brand's own campaign results update them (``domain.plan.LearnedRate``). docs/metrics.md explains
how each one is used.
"""

from __future__ import annotations

TIERS = ("nano", "micro", "mid", "macro", "mega")

# --- reach: unique people reached by one feed post, per follower --------------------------------
# Instagram. "Reach per follower" falls with audience size: 48 % of followers for profiles with
# 500-1,000 followers, 10-20 % for large profiles, rarely above 30 % for 200k-500k (karmaspath.com,
# "Reach on Instagram"); feed posts typically reach 10-25 % of followers (influencerfee.com,
# "Instagram reach calculator"). The tier values interpolate between those end points.
# TikTok. Rival IQ's TikTok benchmark reports engagement of 2.6 % per follower (2024) and 4.14 % per
# view (2023): about 0.63 views per follower; 68 % of TikTok views are unique viewers (Stellario,
# "What is estimated reach"): about 0.43 people per follower for a micro creator. Other tiers follow
# Instagram's tier profile (an assumption).
# YouTube. Posts are seen by about 30 % of followers (Stellario); tiers follow Instagram's profile.
REACH_RATE: dict[str, dict[str, float]] = {
    "instagram": {"nano": 0.30, "micro": 0.22, "mid": 0.16, "macro": 0.13, "mega": 0.11},
    "tiktok": {"nano": 0.55, "micro": 0.43, "mid": 0.31, "macro": 0.25, "mega": 0.21},
    "youtube": {"nano": 0.40, "micro": 0.30, "mid": 0.22, "macro": 0.18, "mega": 0.15},
}
REACH_RATE_SOURCE = (
    "karmaspath.com 'Reach on Instagram'; influencerfee.com reach calculator; Rival IQ TikTok "
    "benchmarks 2023-24; Stellario 'estimated reach'"
)
# How unsure each published rate is, as a coefficient of variation of the Beta prior (its strength
# follows: strength = (1 - mean) / (mean * cv^2) - 1). Chosen to match the spread of the published
# ranges: feed reach 10-25 % (cv 0.3), click-through 1-3 % (cv 0.5), conversion 0.7-1.5 % (0.5).
REACH_RATE_CV = 0.3

# Share of video views that are unique viewers (Stellario, "What is estimated reach": YouTube 75 %,
# TikTok 68 %). Instagram borrows TikTok's figure (assumption).
UNIQUE_VIEW_SHARE: dict[str, float] = {"youtube": 0.75, "tiktok": 0.68, "instagram": 0.68}
UNIQUE_VIEW_SOURCE = (
    "Stellario 'What is estimated reach' (YouTube 75 %, TikTok 68 % of views unique)"
)

# --- clicks: link clicks per person reached -----------------------------------------------------
# Social media click-through rates: Instagram 1-3 %, Facebook 0.9-1.5 %, Twitter/X 1-3 % (Linkjolt
# glossary, "Click-through rate", 2025). We take the low end: an influencer post's link sits in a bio
# or a story sticker, one tap further than an ad's. No tier split is published (assumption: flat).
CLICK_RATE: dict[str, float] = {"instagram": 0.010, "facebook": 0.009, "x": 0.010}
CLICK_RATE_SOURCE = "Linkjolt 'Click-through rate' benchmarks (Instagram 1-3 %, Facebook 0.9-1.5 %)"
CLICK_RATE_CV = 0.5

# --- conversions: orders per click ---------------------------------------------------------------
# Oribi e-commerce benchmark (2020): visitors from Instagram convert at 0.8 %, from Facebook at 1.5 %;
# Monetate Ecommerce Quarterly (Q1 2013): social traffic converts at 0.71 %, used for other platforms.
CONVERSION_RATE: dict[str, float] = {"instagram": 0.008, "facebook": 0.015}
CONVERSION_RATE_DEFAULT = 0.0071
CONVERSION_RATE_SOURCE = "Oribi e-commerce benchmark 2020 (Instagram 0.8 %, Facebook 1.5 %); Monetate EQ Q1 2013 (social 0.71 %)"
CONVERSION_RATE_CV = 0.5

# --- giveaways: brand followers gained per person reached ----------------------------------------
# No published benchmark was found. 1 % is a placeholder with a very wide prior (cv 1.0): override
# it in the workspace, or let campaign results teach it.
FOLLOW_RATE = 0.01
FOLLOW_RATE_SOURCE = "assumption (no published benchmark found); override it"
FOLLOW_RATE_CV = 1.0
# --- discount codes: orders through a creator's code by shoppers who never clicked its link ------
# No published benchmark separates them from click-through orders. The planner counts them only
# once the brand's own campaigns have measured them (``code_rate``, learned per platform x tier);
# this prior, half the click funnel's orders per person reached (1 % clicks x 0.8 % orders / 2)
# with a very wide spread, only weighs the first campaigns' evidence.
CODE_RATE = 0.00004
CODE_RATE_SOURCE = (
    "assumption (no published benchmark; used only once your campaigns measure code orders)"
)
CODE_RATE_CV = 1.0
# Rates with no published figure behind them: their priors say "assumption", not "published".
ASSUMED_RATES = frozenset({"follow_rate", "code_rate"})

# --- deals ---------------------------------------------------------------------------------------
# Chance that a gifted creator posts. Traackr's 2023 survey of 300 marketers: over 60 % said fewer
# than half of the creators they gifted posted (reported by Digiday, "Influencer gifting creates waste
# and inefficiency for brands"). The fall with tier is an assumption: bigger creators get more gifts
# and have paid alternatives.
GIFT_POST_PROBABILITY: dict[str, float] = {
    "nano": 0.55,
    "micro": 0.45,
    "mid": 0.25,
    "macro": 0.08,
    "mega": 0.02,
}
GIFT_SOURCE = (
    "Traackr 2023 gifting survey (fewer than half of gifted creators post); tier slope assumed"
)

# Chance that a creator asked for a post in exchange for the product agrees and delivers
# (assumption: a product-for-post offer is declined more often than a no-strings gift is used).
PRODUCT_FOR_POST_PROBABILITY: dict[str, float] = {
    "nano": 0.45,
    "micro": 0.30,
    "mid": 0.12,
    "macro": 0.03,
    "mega": 0.01,
}
PRODUCT_FOR_POST_SOURCE = "assumption (declined more often than a gift; falls with tier)"

# --- formats (Instagram) -------------------------------------------------------------------------
# Price relative to a feed image: video posts cost 40-50 % more and carousels 20-30 % more
# (HypeAuditor, "How Instagram influencers set their prices"); stories cost 1.5-2 times less
# (Instajet, "A look at how much influencers earn").
FORMAT_PRICE: dict[str, float] = {"post": 1.0, "carousel": 1.25, "video": 1.45, "story": 0.57}
FORMAT_PRICE_SOURCE = "HypeAuditor pricing guide (video +40-50 %, carousel +20-30 %); Instajet (stories 1.5-2x cheaper)"
# Per platform: the rate card's price is for the platform's usual piece (an Instagram feed post, a
# TikTok or YouTube video), scaled by these for other formats. TikTok and YouTube cards are per
# video already and no published survey prices their other formats (photo carousels, stories,
# Shorts) apart, so they stay at 1.0 until the workspace sets its own (`plans set-rate --format`).
FORMAT_PRICE_BY_PLATFORM: dict[str, dict[str, float]] = {
    "instagram": FORMAT_PRICE,
    "tiktok": {"post": 1.0, "carousel": 1.0, "video": 1.0, "story": 1.0},
    "youtube": {"post": 1.0, "carousel": 1.0, "video": 1.0, "story": 1.0},
}
# Reach relative to a feed post: reels reach 15-40 % of followers, feed posts 10-25 %, stories 5-15 %
# (influencerfee.com, "Instagram reach calculator"): ratios of the range mid-points.
FORMAT_REACH: dict[str, float] = {"post": 1.0, "carousel": 1.0, "video": 1.57, "story": 0.57}
FORMAT_REACH_SOURCE = (
    "influencerfee.com reach by format (reels 15-40 %, feed 10-25 %, stories 5-15 %)"
)

# --- outreach ------------------------------------------------------------------------------------
# An hour of marketing work: US median pay of market research analysts and marketing specialists,
# $74,680 a year in 2023 (BLS Occupational Outlook Handbook), about $36 an hour. Two hours per
# creator (find, contact, negotiate, brief, review) is an assumption; set your own in the brief.
HOURLY_COST_USD = 36.0
HOURLY_COST_SOURCE = "US BLS Occupational Outlook Handbook 2023 (marketing specialists, $74,680/yr)"
OUTREACH_HOURS = 2.0

# --- variation that no report publishes (model parameters, documented in docs/metrics.md) --------
POST_SIGMA = 0.5  # log-sd of one post's reach or engagements around the creator's norm
CREATOR_REACH_SIGMA = 0.5  # log-sd of a creator's reach rate around its tier prior
RESPONSE_SIGMA = 0.5  # log-sd of a creator's click/conversion/follow rates around the group prior
