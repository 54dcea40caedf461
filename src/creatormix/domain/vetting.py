"""Vetting results: follower audits, anomaly flags, authenticity, audience fit and the planner seam.

Every score carries its evidence: a number here always comes with the sample size, interval or
facts it rests on, and with reasons in words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from creatormix.domain.catalog import Interval


class AudienceType(StrEnum):
    """How incumbents split an audience (HypeAuditor's audience types; docs/vetting.md)."""

    REAL = "real"
    MASS_FOLLOWERS = "mass_followers"  # following > 1,500
    INFLUENCERS = "influencers"  # followers > 5,000 and following <= 1,500
    SUSPICIOUS = "suspicious"  # p(fake) >= 0.5 by the fake-follower model
    UNKNOWN = "unknown"  # fields needed to tell are missing


@dataclass(frozen=True)
class FollowerAudit:
    """Audience quality estimated from a sample of a creator's followers.

    ``fake_share`` is the mean calibrated p(fake) over the sample; its interval reflects the sample
    size and, through multiple imputation, the fields that were missing. ``split`` follows the
    incumbents' priority (mass follower, then influencer, then suspicious, else real).
    """

    sample_size: int
    fake_share: float
    fake_interval: Interval
    split: Mapping[str, float]
    split_counts: Mapping[str, int]
    low_confidence: bool
    missing_fields: Mapping[str, int] = field(default_factory=dict)
    imputed_followers: int = 0
    model: str = ""

    @property
    def real_share(self) -> float:
        return 1.0 - self.fake_share

    @property
    def real_interval(self) -> Interval:
        i = self.fake_interval
        return Interval(1.0 - i.high, 1.0 - i.low, i.level)


@dataclass(frozen=True)
class Flag:
    """One anomaly with its evidence; ``weight`` is its discount in the authenticity score."""

    code: str
    message: str
    weight: float
    evidence: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class AuthenticityReport:
    """One creator's authenticity: score 0-100, the factor the planner uses, and why."""

    platform: str
    handle: str
    score: int
    factor: float  # score / 100: the share of reach the planner keeps
    confidence: str  # "high", "medium" or "low"
    audit: FollowerAudit | None
    flags: tuple[Flag, ...]
    reasons: tuple[str, ...]
    tier: str | None = None
    followers: int | None = None

    @property
    def fake_share(self) -> float | None:
        return self.audit.fake_share if self.audit else None


@dataclass(frozen=True)
class Target:
    """Who a brief wants to reach: empty fields do not restrict.

    ``ages`` are bands such as "18-24", "25-34", "35+"; ``genders`` "female", "male", "other";
    ``countries`` ISO alpha-2 codes; ``languages`` ISO 639-1 codes; ``keywords`` free text.
    """

    countries: tuple[str, ...] = ()
    ages: tuple[str, ...] = ()
    genders: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    keywords: str = ""


@dataclass(frozen=True)
class AudienceFit:
    """The share of a creator's audience the brief can use, per dimension and combined.

    ``confidence`` is "measured" (imported audience shares for every restricted dimension),
    "partial" (some measured, some assumed) or "assumed" (from the creator's own country and
    language and platform-wide priors); ``confidence_weight`` puts that on a 0-1 scale.
    """

    fit: float
    parts: Mapping[str, float]
    sources: Mapping[str, str]
    confidence: str
    confidence_weight: float
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class Relevance:
    """Niche relevance of a creator to a brief's keywords, 0-1, with the terms that matched."""

    score: float
    matched: tuple[str, ...] = ()
    method: str = "bm25"


@dataclass(frozen=True)
class VettingFactors:
    """Per-creator factors for the planner, aligned with ``keys`` (the order asked for).

    * ``authenticity``: share of reach kept, 0-1 (authenticity score / 100; 1 - fake share when
      nothing else is flagged); multiply expected reach and engagements by it.
    * ``fit``: share of the audience in the brief's target (countries x ages x genders x
      languages), 0-1; multiply relevant reach by it. ``fit_confidence`` 0-1 says how much of it
      was measured rather than assumed.
    * ``relevance``: niche relevance to the brief's keywords, 0-1 (1.0 when the brief has none);
      a filter or weight.
    """

    keys: tuple[tuple[str, str], ...]
    authenticity: tuple[float, ...]
    authenticity_score: tuple[int, ...]
    fake_share: tuple[float | None, ...]
    fit: tuple[float, ...]
    fit_confidence: tuple[float, ...]
    relevance: tuple[float, ...]
    reasons: tuple[tuple[str, ...], ...] = ()

    def __len__(self) -> int:
        return len(self.keys)

    def row(self, i: int) -> dict[str, object]:
        return {
            "platform": self.keys[i][0],
            "handle": self.keys[i][1],
            "authenticity": self.authenticity[i],
            "authenticity_score": self.authenticity_score[i],
            "fake_share": self.fake_share[i],
            "fit": self.fit[i],
            "fit_confidence": self.fit_confidence[i],
            "relevance": self.relevance[i],
        }

    def rows(self) -> list[dict[str, object]]:
        return [self.row(i) for i in range(len(self))]


@dataclass(frozen=True)
class CreatorMatch:
    """One search hit: the creator, its niche relevance and its audience fit to the target."""

    platform: str
    handle: str
    name: str | None
    tier: str | None
    followers: int | None
    country: str | None
    relevance: Relevance
    fit: AudienceFit


@dataclass(frozen=True)
class CreatorVetting:
    """What the creator page shows about vetting: authenticity always; fit and relevance when a
    target is set; the imported audience shares (dimension -> segment -> share)."""

    authenticity: AuthenticityReport
    audience: Mapping[str, Mapping[str, float]]
    target: Target | None = None
    fit: AudienceFit | None = None
    relevance: Relevance | None = None
