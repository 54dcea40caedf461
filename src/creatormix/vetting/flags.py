"""Engagement anomaly flags from a creator's posts, snapshots and comments, each with evidence.

Thresholds are conventions of this product, stated here and in docs/vetting.md, each next to the
public description it follows:

* ``er-below-tier``: the whole 90 % interval of the shrunk engagement rate lies below half the
  platform x tier norm (a low engagement rate is the first sign of bought or ghost followers,
  HypeAuditor "How to check an influencer for fake followers"). Like with like: the creator's
  rate and the norm are in the platform's definition (per follower on Instagram, per view on
  TikTok and YouTube), the norm is the tier prior (the median of the workspace's plausible rates
  of that platform x tier, or the published figure), and the message names it and how many
  creators it rests on. Per view, a low rate points to bought views or a passive audience, not to
  bought followers (they do not watch).
* ``er-implausible``: the creator's rate is outside what is physically possible (above 100 %):
  kept as data, weight 0 (it says the data is broken, not that the creator cheats), and no other
  engagement flag is raised on it.
* ``er-above-few-comments``: the interval lies above twice the norm while comments per like are
  below a quarter of the platform's median (likes bought or traded in pods arrive without
  conversation; HypeAuditor on abnormal like/comment ratios).
* ``follower-jump``: one step between follower snapshots gains 25 % or more and grows at least
  five times as fast per day as the creator's typical step (the median daily growth of its other
  steps, counted as at least 1 % per 30 days), with at least 3 steps of history to know what
  is typical (HypeAuditor: sudden spikes in the followers graph). Growth is compared per day, so a
  long gap between snapshots is no spike.
* ``sponsored-saturation``: half or more of at least 6 posts are sponsored ("saturation rate"
  above 50 %: more ads than own content, Upfluence via Forbes 2019).
* ``generic-comments``: half or more of at least 20 comments with text are generic (HypeAuditor
  "How do you detect comments' authenticity?": 50 % inauthentic comments "ring the bell").
"""

from __future__ import annotations

import itertools
import math
import statistics
from dataclasses import dataclass
from datetime import datetime

from creatormix.domain.vetting import ENGAGEMENT, Flag

ER_LOW_RATIO = 0.5
ER_HIGH_RATIO = 2.0
FEW_COMMENTS_RATIO = 0.25
JUMP_MIN = 0.25
JUMP_TYPICAL_MULTIPLE = 5.0
JUMP_MIN_STEPS = 3  # steps between snapshots needed to know a creator's typical growth
JUMP_TYPICAL_FLOOR = math.log(1.01) / 30  # typical growth counted as at least 1 % per 30 days
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
    "er-implausible": 0.0,
}
UNMEASURED_SOURCES = frozenset({"prior", "none", "implausible"})  # er_source without a usable rate


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
    prior_n: int = 0  # creators the workspace norm rests on (0: the published figure)
    prior_source: str = "published"  # "workspace" or "published"
    er_basis: str = "followers"  # the platform's definition: "followers" or "views"
    er_implausible: float | None = None  # a rate outside the plausible range, kept as data
    er_implausible_source: str | None = None
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
            _er_implausible(e),
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
        e.er_source not in UNMEASURED_SOURCES
        and e.er_high is not None
        and e.er_low is not None
        and e.prior_er is not None
        and e.prior_er > 0
    )


def _norm(e: EngagementEvidence) -> str:
    """The norm a rate is compared with, and what it rests on."""
    assert e.prior_er is not None
    group = f"{e.platform} {e.tier or ''}".strip()
    if e.prior_source == "workspace" and e.prior_n:
        return f"{_pct(e.prior_er)} median of {e.prior_n:,} {group} creators in this workspace"
    return f"published {_pct(e.prior_er)} norm for {group} creators"


_SOURCES = {
    "posts": "its posts",
    "export": "the export's engagement rate",
    "export-averages": "the export's average likes and comments",
}


def _er_implausible(e: EngagementEvidence) -> Flag | None:
    if e.er_implausible is None:
        return None
    per = e.er_basis[:-1]
    return Flag(
        "er-implausible",
        f"engagement {_pct(e.er_implausible)} per {per} from "
        f"{_SOURCES.get(e.er_implausible_source or '', 'the data')} is not possible (above 100%: "
        f"more likes and comments than {e.er_basis}); kept as data but not used for its rate, "
        "the tier norm or these flags: check the file (counts from different dates, or another "
        "platform's definition)",
        WEIGHTS["er-implausible"],
        {
            "er_implausible": e.er_implausible,
            "source": e.er_implausible_source,
            "basis": e.er_basis,
            "plausible_max": 1.0,
        },
    )


def _er_below(e: EngagementEvidence) -> Flag | None:
    if not _has_rate(e) or e.er_high >= ER_LOW_RATIO * e.prior_er:  # type: ignore[operator]
        return None
    assert e.er_shrunk is not None and e.prior_er is not None
    likely = (
        "likely bought views or an audience that watches without engaging"
        if e.er_basis == "views"
        else "likely bought or inactive followers"
    )
    return Flag(
        "er-below-tier",
        f"engagement {_pct(e.er_shrunk)} per {e.er_basis[:-1]} is far below the {_norm(e)} "
        f"({likely})",
        WEIGHTS["er-below-tier"],
        {
            "er_shrunk": e.er_shrunk,
            "er_interval": [e.er_low, e.er_high],
            "tier_norm": e.prior_er,
            "norm_source": e.prior_source,
            "norm_creators": e.prior_n,
            "basis": e.er_basis,
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
        f"engagement {_pct(e.er_shrunk)} per {e.er_basis[:-1]} is far above the {_norm(e)} with only "
        f"{per_like * 1000:.1f} comments per 1,000 likes ({e.platform} median "
        f"{e.platform_comments_per_like * 1000:.1f}): likely engagement pods or bought likes",
        WEIGHTS["er-above-few-comments"],
        {
            "er_shrunk": e.er_shrunk,
            "er_interval": [e.er_low, e.er_high],
            "tier_norm": e.prior_er,
            "norm_source": e.prior_source,
            "norm_creators": e.prior_n,
            "basis": e.er_basis,
            "comments_per_like": per_like,
            "platform_comments_per_like": e.platform_comments_per_like,
            "likes": e.likes,
            "comments": e.comments,
        },
        applies_to=ENGAGEMENT,
    )


@dataclass(frozen=True)
class _Step:
    t0: datetime
    n0: int
    t1: datetime
    n1: int

    @property
    def days(self) -> float:
        return (self.t1 - self.t0).total_seconds() / 86_400

    @property
    def gain(self) -> float:
        return (self.n1 - self.n0) / self.n0

    @property
    def rate(self) -> float:
        """Continuous growth per day."""
        return math.log(self.n1 / self.n0) / self.days


def _per_30_days(rate: float) -> float:
    return math.expm1(30 * rate)


def _growth(gain: float) -> str:
    """A relative gain in words: "+43%", or a ratio from doubling on ("3.4x", never "+241%")."""
    return f"{1 + gain:.1f}x" if gain >= 1 else f"{gain * 100:+.0f}%"


def _follower_jump(e: EngagementEvidence) -> Flag | None:
    snaps = sorted((t, n) for t, n in e.snapshots if n is not None and n > 0)
    steps = [
        _Step(t0, n0, t1, n1)
        for (t0, n0), (t1, n1) in itertools.pairwise(snaps)
        if (t1 - t0).total_seconds() >= 86_400
    ]
    if len(steps) < JUMP_MIN_STEPS:
        return None
    jumps = [s for s in steps if s.gain >= JUMP_MIN]
    if not jumps:
        return None
    big = max(jumps, key=lambda s: s.rate)
    typical = statistics.median(s.rate for s in steps if s is not big)
    if big.rate < JUMP_TYPICAL_MULTIPLE * max(typical, JUMP_TYPICAL_FLOOR):
        return None
    others = len(steps) - 1
    pace = "" if abs(big.days - 30) < 1 else f", {_growth(_per_30_days(big.rate))} per 30 days"
    return Flag(
        "follower-jump",
        f"followers jumped {_growth(big.gain)} ({big.n0:,} to {big.n1:,}) in {big.days:.0f} "
        f"days between {big.t0:%Y-%m-%d} and {big.t1:%Y-%m-%d}{pace}; typical growth is "
        f"{_per_30_days(typical) * 100:+.1f}% per 30 days over the other {others} steps",
        WEIGHTS["follower-jump"],
        {
            "from": big.t0.isoformat(),
            "to": big.t1.isoformat(),
            "days": big.days,
            "followers_before": big.n0,
            "followers_after": big.n1,
            "gain": big.gain,
            "gain_per_30_days": _per_30_days(big.rate),
            "typical_per_30_days": _per_30_days(typical),
            "steps": len(steps),
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
        applies_to=ENGAGEMENT,
    )
