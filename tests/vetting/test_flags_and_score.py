"""Engagement anomaly flags fire on their evidence and only then; the score combines them."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from creatormix.domain.catalog import Interval
from creatormix.domain.vetting import FollowerAudit
from creatormix.vetting.authenticity import PRIOR_CREATORS, authenticity, fake_prior
from creatormix.vetting.comments import generic_share, is_generic
from creatormix.vetting.flags import EngagementEvidence, engagement_flags

NORMAL = EngagementEvidence(
    platform="instagram",
    tier="micro",
    er_shrunk=0.024,
    er_low=0.02,
    er_high=0.028,
    er_source="posts",
    prior_er=0.024,
    posts_measured=12,
    likes=10_000,
    comments=400,
    platform_comments_per_like=0.04,
    posts_total=20,
    sponsored_posts=2,
)


def _codes(e: EngagementEvidence) -> list[str]:
    return [f.code for f in engagement_flags(e)]


def _replace(**changes: object) -> EngagementEvidence:
    from dataclasses import replace

    return replace(NORMAL, **changes)  # type: ignore[arg-type]


def test_a_normal_creator_raises_no_flag() -> None:
    assert _codes(NORMAL) == []


def test_engagement_far_below_the_tier_norm_is_flagged_with_its_evidence() -> None:
    flags = engagement_flags(_replace(er_shrunk=0.006, er_low=0.004, er_high=0.009))
    assert [f.code for f in flags] == ["er-below-tier"]
    assert flags[0].evidence["tier_norm"] == 0.024
    assert "far below" in flags[0].message
    # the interval reaching half the norm is not enough evidence
    assert _codes(_replace(er_shrunk=0.008, er_low=0.005, er_high=0.013)) == []
    # an ER that is only the prior says nothing about the creator
    assert _codes(_replace(er_shrunk=0.006, er_low=0.004, er_high=0.009, er_source="prior")) == []


def test_engagement_far_above_with_few_comments_per_like_is_flagged() -> None:
    high = {"er_shrunk": 0.08, "er_low": 0.07, "er_high": 0.09}
    assert _codes(_replace(**high, comments=50)) == ["er-above-few-comments"]  # 5 per 1,000 likes
    assert _codes(_replace(**high, comments=400)) == []  # a real conversation


def test_a_follower_jump_is_flagged_against_the_typical_step() -> None:
    t0 = datetime(2026, 1, 1)
    steady = tuple((t0 + timedelta(days=30 * i), int(10_000 * 1.02**i)) for i in range(4))
    assert _codes(_replace(snapshots=steady)) == []
    jump = (*steady, (t0 + timedelta(days=120), 30_000))
    flags = engagement_flags(_replace(snapshots=jump))
    assert [f.code for f in flags] == ["follower-jump"]
    assert flags[0].evidence["followers_after"] == 30_000
    # tripling is a ratio, and a 30-day step needs no second "per 30 days" figure
    assert flags[0].message.startswith("followers jumped 2.8x (10,612 to 30,000) in 30 days ")
    assert not re.search(r"\d{3,}%", flags[0].message)


def test_follower_growth_is_compared_per_day_not_per_step() -> None:
    t0 = datetime(2024, 1, 1)
    monthly = [(t0 + timedelta(days=30 * i), int(10_000 * 1.015**i)) for i in range(5)]
    # two years without a snapshot at the same organic +1.5 % a month: +43 % in one step
    gap = (*monthly, (monthly[-1][0] + timedelta(days=720), int(monthly[-1][1] * 1.015**24)))
    assert _codes(_replace(snapshots=gap)) == []
    # the same +43 % within a week is a spike, worded per 30 days
    week = (*monthly, (monthly[-1][0] + timedelta(days=7), int(monthly[-1][1] * 1.43)))
    flags = engagement_flags(_replace(snapshots=week))
    assert [f.code for f in flags] == ["follower-jump"]
    assert "jumped +43% " in flags[0].message and "in 7 days" in flags[0].message
    assert ", 4.6x per 30 days;" in flags[0].message  # 1.43 ** (30 / 7), not "+362%"
    assert "+1.5% per 30 days over the other 4 steps" in flags[0].message
    assert flags[0].evidence["typical_per_30_days"] == pytest.approx(0.015, abs=1e-3)


def test_a_jump_needs_three_steps_of_history_to_know_the_typical_step() -> None:
    t0 = datetime(2026, 1, 1)
    two = ((t0, 10_000), (t0 + timedelta(days=30), 13_000))
    assert _codes(_replace(snapshots=two)) == []  # no "typical step +0.0 %" from nothing
    three = ((t0 - timedelta(days=30), 9_800), *two)
    assert _codes(_replace(snapshots=three)) == []  # two steps: still no history
    four = ((t0 - timedelta(days=60), 9_600), *three)
    assert _codes(_replace(snapshots=four)) == ["follower-jump"]


def test_a_high_sponsored_share_and_generic_comments_are_flagged() -> None:
    assert _codes(_replace(sponsored_posts=12)) == ["sponsored-saturation"]
    assert _codes(_replace(sponsored_posts=12, posts_total=5)) == []  # too few posts to say
    assert _codes(_replace(comments_with_text=40, generic_comments=25)) == ["generic-comments"]
    assert _codes(_replace(comments_with_text=10, generic_comments=10)) == []


def test_generic_comments_are_emoji_mentions_and_stock_praise() -> None:
    assert is_generic("😍😍😍")
    assert is_generic("Nice pic!!")
    assert is_generic("niiiice")
    assert is_generic("@friend @other")
    assert is_generic("Magnifique 👏")
    assert not is_generic("Where did you buy that serum? My skin hates retinol")


def test_generic_comments_fold_accents_and_keep_double_letters() -> None:
    assert is_generic("incrivel") and is_generic("INCRÍVEL!!") and is_generic("genial")
    assert is_generic("goood") and is_generic("coool") and is_generic("soooo cute")
    assert is_generic("looove it")
    assert not is_generic("god") and not is_generic("tool")  # not elongated stock phrases
    assert generic_share(["wow", "", None, "what lens is this?"]) == (1, 2)


def _audit(fake: float, n: int = 200) -> FollowerAudit:
    return FollowerAudit(n, fake, Interval(fake - 0.05, fake + 0.05), {}, {}, n < 30)


def test_the_score_is_one_minus_fake_share_times_the_flag_discounts() -> None:
    clean = authenticity("instagram", "a", _audit(0.4), [])
    assert clean.score == 60 and abs(clean.factor - 0.6) < 1e-9
    flagged = authenticity(
        "instagram", "a", _audit(0.4), engagement_flags(_replace(sponsored_posts=12))
    )
    assert flagged.score == 54  # 100 x 0.6 x (1 - 0.10)
    assert flagged.reasons[0].startswith("an estimated 40% of followers are fake")
    unknown = authenticity("instagram", "b", None, [], prior=fake_prior([0.4, 0.2], 0.1))
    assumed = (0.4 + 0.2 + PRIOR_CREATORS * 0.1) / (2 + PRIOR_CREATORS)
    assert unknown.assumed_fake_share == pytest.approx(assumed) and unknown.fake_share is None
    assert unknown.score == round(100 * (1 - assumed)) and unknown.confidence == "low"
    assert any(f"not measured: assumed {assumed:.0%}" in r for r in unknown.reasons)


def test_without_any_sampled_creator_the_model_base_rate_is_assumed() -> None:
    from creatormix.vetting.model import load_default

    base = load_default().meta["training"]["base_rate"]
    report = authenticity("instagram", "b", None, [])
    assert report.assumed_fake_share == pytest.approx(base) and report.score < 100
    assert report.reasons[0] == "not enough data: no follower sample"
    assert "base rate" in report.reasons[1]


def test_flags_split_into_an_audience_and_an_engagement_factor() -> None:
    pods = engagement_flags(
        _replace(er_shrunk=0.08, er_low=0.07, er_high=0.09, comments=50, sponsored_posts=12)
    )
    assert {f.code: f.applies_to for f in pods} == {
        "er-above-few-comments": "engagement",
        "sponsored-saturation": "audience",
    }
    r = authenticity("instagram", "a", _audit(0.4), pods)
    assert r.audience_factor == pytest.approx(0.6 * 0.9)
    assert r.engagement_factor == pytest.approx(0.8)
    assert r.factor == pytest.approx(r.audience_factor * r.engagement_factor)
