"""Engagement anomaly flags from a creator's posts, snapshots and comments, each with evidence.

Thresholds are conventions of this product, stated here and in docs/vetting.md, each next to the
public description it follows:

* ``er-below-tier``: the whole 90 % interval of the shrunk engagement rate lies below half the
  platform x tier norm (a low engagement rate is the first sign of bought or ghost followers,
  HypeAuditor "How to check an influencer for fake followers").
* ``er-above-few-comments``: the interval lies above twice the norm while comments per like are
  below a quarter of the platform's median (likes bought or traded in pods arrive without
  conversation; HypeAuditor on abnormal like/comment ratios).
* ``follower-jump``: one step between follower snapshots gains 25 % or more and is at least five
  times the creator's typical step (HypeAuditor: sudden spikes in the followers graph).
* ``sponsored-saturation``: half or more of at least 6 posts are sponsored ("saturation rate"
  above 50 %: more ads than own content, Upfluence via Forbes 2019).
* ``generic-comments``: half or more of at least 20 comments with text are generic (HypeAuditor
  "How do you detect comments' authenticity?": 50 % inauthentic comments "ring the bell").
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime

from creatormix.domain.vetting import Flag

ER_LOW_RATIO = 0.5
ER_HIGH_RATIO = 2.0
FEW_COMMENTS_RATIO = 0.25
JUMP_MIN = 0.25
JUMP_TYPICAL_MULTIPLE = 5.0
SPONSORED_SHARE = 0.5
SPONSORED_MIN_POSTS = 6
GENERIC_SHARE = 0.5
GENERIC_MIN_COMMENTS = 20

# How much each flag discounts the authenticity score (docs/vetting.md, "authenticity score").
WEIGHTS = {
    "er-below-tier": 0.25,
    "er-above-few-comments": 0.20,
    "follower-jump": 0.20,
    "sponsored-saturation": 0.10,
    "generic-comments": 0.20,
}


@dataclass(frozen=True)
class EngagementEvidence:
    """What the flags look at for one creator; None where the workspace has no data."""

    platform: str
    tier: str | None = None
    er_shrunk: float | None = None
    er_low: float | None = None  # 90 % interval of the shrunk rate
    er_high: float | None = None
    er_source: str = "none"
    prior_er: float | None = None
    posts_measured: int = 0
    likes: int = 0  # over the measured posts
    comments: int = 0
    platform_comments_per_like: float | None = None
    posts_total: int = 0
    sponsored_posts: int = 0
    snapshots: tuple[tuple[datetime, int], ...] = ()
    comments_with_text: int = 0
    generic_comments: int = 0


def engagement_flags(e: EngagementEvidence) -> list[Flag]:
    """Every flag the evidence supports, most serious first."""
    flags = [
        f
        for f in (
            _er_below(e),
            _er_above(e),
            _follower_jump(e),
            _sponsored(e),
            _generic(e),
        )
        if f is not None
    ]
    return sorted(flags, key=lambda f: -f.weight)


def _pct(x: float) -> str:
    return f"{x * 100:.1f}%" if x < 0.1 else f"{x * 100:.0f}%"


def _has_rate(e: EngagementEvidence) -> bool:
    return (
        e.er_source not in {"prior", "none"}
        and e.er_high is not None
        and e.er_low is not None
        and e.prior_er is not None
        and e.prior_er > 0
    )


def _er_below(e: EngagementEvidence) -> Flag | None:
    if not _has_rate(e) or e.er_high >= ER_LOW_RATIO * e.prior_er:  # type: ignore[operator]
        return None
    assert e.er_shrunk is not None and e.prior_er is not None
    return Flag(
        "er-below-tier",
        f"engagement {_pct(e.er_shrunk)} is far below the {_pct(e.prior_er)} norm of {e.platform} "
        f"{e.tier or ''} creators (likely bought or inactive followers)",
        WEIGHTS["er-below-tier"],
        {
            "er_shrunk": e.er_shrunk,
            "er_interval": [e.er_low, e.er_high],
            "tier_norm": e.prior_er,
            "ratio_to_norm": e.er_shrunk / e.prior_er,
            "source": e.er_source,
            "posts_measured": e.posts_measured,
        },
    )


def _er_above(e: EngagementEvidence) -> Flag | None:
    if not _has_rate(e) or e.er_low <= ER_HIGH_RATIO * e.prior_er:  # type: ignore[operator]
        return None
    if e.likes <= 0 or not e.platform_comments_per_like:
        return None
    per_like = e.comments / e.likes
    if per_like >= FEW_COMMENTS_RATIO * e.platform_comments_per_like:
        return None
    assert e.er_shrunk is not None and e.prior_er is not None
    return Flag(
        "er-above-few-comments",
        f"engagement {_pct(e.er_shrunk)} is far above the {_pct(e.prior_er)} norm with only "
        f"{per_like * 1000:.1f} comments per 1,000 likes ({e.platform} median "
        f"{e.platform_comments_per_like * 1000:.1f}): likely engagement pods or bought likes",
        WEIGHTS["er-above-few-comments"],
        {
            "er_shrunk": e.er_shrunk,
            "er_interval": [e.er_low, e.er_high],
            "tier_norm": e.prior_er,
            "comments_per_like": per_like,
            "platform_comments_per_like": e.platform_comments_per_like,
            "likes": e.likes,
            "comments": e.comments,
        },
    )


def _follower_jump(e: EngagementEvidence) -> Flag | None:
    snaps = sorted((t, n) for t, n in e.snapshots if n is not None and n > 0)
    steps = []
    for (t0, n0), (t1, n1) in itertools.pairwise(snaps):
        if (t1 - t0).total_seconds() >= 86_400:
            steps.append((t0, n0, t1, n1, (n1 - n0) / n0))
    if not steps:
        return None
    big = max(steps, key=lambda s: s[4])
    others = sorted(abs(s[4]) for s in steps if s is not big)
    typical = others[len(others) // 2] if others else 0.0
    if big[4] < JUMP_MIN or big[4] < JUMP_TYPICAL_MULTIPLE * typical:
        return None
    t0, n0, t1, n1, gain = big
    return Flag(
        "follower-jump",
        f"followers jumped {gain * 100:+.0f}% ({n0:,} to {n1:,}) between {t0:%Y-%m-%d} and "
        f"{t1:%Y-%m-%d}; a typical step is {typical * 100:+.1f}%",
        WEIGHTS["follower-jump"],
        {
            "from": t0.isoformat(),
            "to": t1.isoformat(),
            "followers_before": n0,
            "followers_after": n1,
            "gain": gain,
            "typical_step": typical,
            "snapshots": len(snaps),
        },
    )


def _sponsored(e: EngagementEvidence) -> Flag | None:
    if e.posts_total < SPONSORED_MIN_POSTS:
        return None
    share = e.sponsored_posts / e.posts_total
    if share < SPONSORED_SHARE:
        return None
    return Flag(
        "sponsored-saturation",
        f"{share:.0%} of posts are sponsored ({e.sponsored_posts} of {e.posts_total}): an audience "
        "saturated with ads",
        WEIGHTS["sponsored-saturation"],
        {"sponsored_posts": e.sponsored_posts, "posts": e.posts_total, "share": share},
    )


def _generic(e: EngagementEvidence) -> Flag | None:
    if e.comments_with_text < GENERIC_MIN_COMMENTS:
        return None
    share = e.generic_comments / e.comments_with_text
    if share < GENERIC_SHARE:
        return None
    return Flag(
        "generic-comments",
        f"{share:.0%} of comments are generic (emoji only, 'nice pic', a bare mention): "
        f"{e.generic_comments} of {e.comments_with_text}",
        WEIGHTS["generic-comments"],
        {"generic": e.generic_comments, "comments": e.comments_with_text, "share": share},
    )
