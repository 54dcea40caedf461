"""Vetting results: follower audits, anomaly flags, authenticity, audience fit and the planner seam.

Every score carries its evidence: a number here always comes with the sample size, interval or
facts it rests on, and with reasons in words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from creatormix.domain import benchmarks as bm
from creatormix.domain.catalog import Interval

# --- assumed audience fit (no imported shares), one source for vetting and planning ---------
# A creator's audience is assumed to live HOME_AUDIENCE_SHARE in its top audience country (or its
# own country) and to speak its language likewise (Modash, domain.benchmarks); a tenth of the
# rest is assumed to be in the target; a quarter when country or language is unknown.
HOME_AUDIENCE_SHARE = bm.HOME_COUNTRY_SHARE
FOREIGN_IN_TARGET = 0.1  # assumption: share of a creator's foreign audience in the target set
UNKNOWN_HOME_FIT = 0.25  # assumption: creator and audience country (or language) unknown
ASSUMED_WEIGHT = 0.3  # confidence weight of an assumed dimension (measured = 1)
NO_TARGET = "no target"  # AudienceFit.confidence when the target restricts no audience dimension


def assumed_home_fit(known: Any, in_target: Any) -> Any:
    """Assumed share of the audience in the target from the home country or language alone.

    Arithmetic only, so it works on bools and, element-wise, on numpy bool arrays.
    """
    foreign = (1 - HOME_AUDIENCE_SHARE) * FOREIGN_IN_TARGET
    return known * (in_target * HOME_AUDIENCE_SHARE + foreign) + (1 - known) * UNKNOWN_HOME_FIT


def combine_fit(parts: Mapping[str, Any]) -> Any:
    """The share of the audience in every restricted dimension at once, from marginal shares.

    The joint share of two marginals a and b lies between the Frechet bounds max(0, a + b - 1)
    and min(a, b). Country and language are strongly dependent (a creator's French speakers are
    mostly its French and Belgian audience), so they are read at the upper bound min(a, b):
    multiplying them as if independent counted a French audience speaking French as 0.58 x 0.58.
    Age and gender are close to independent of place and of each other, so they multiply.
    Works on floats and, element-wise, on numpy arrays.
    """
    fit: Any = 1.0
    country, language = parts.get("country"), parts.get("language")
    if country is not None and language is not None:
        fit = (country + language - abs(country - language)) / 2  # min, for arrays too
    elif country is not None or language is not None:
        fit = country if country is not None else language
    for name in ("age", "gender"):
        if name in parts:
            fit = fit * parts[name]
    return fit


class AudienceType(StrEnum):
    """How incumbents split an audience (HypeAuditor's audience types; docs/vetting.md)."""

    REAL = "real"
    MASS_FOLLOWERS = "mass_followers"  # following > 1,500
    INFLUENCERS = "influencers"  # followers > 5,000 and following <= 1,500
    SUSPICIOUS = "suspicious"  # the expected fake share (each follower's p(fake))
    UNKNOWN = "unknown"  # fields needed to tell are missing


@dataclass(frozen=True)
class FollowerAudit:
    """Audience quality estimated from a sample of a creator's followers.

    ``fake_share`` is estimated from the followers' calibrated p(fake) by prevalence estimation
    (docs/vetting.md); its interval reflects the sample size, the fields that were missing and the
    model's calibration. ``raw_share`` is the plain mean of p(fake) (the estimate of model v1),
    pulled toward the training ``base_rate``; ``correction`` is fake minus raw share.
    ``effective_size`` is the complete followers' worth of evidence (``sample_size`` when every
    field is there). ``split`` is expected shares: ``split["suspicious"]`` is the fake share and
    the profile types (real, mass followers, influencers, unknown) sum to ``real_share``;
    ``split_counts`` counts followers by profile type.
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
    effective_size: float | None = None  # None: every field was there (= sample_size)
    raw_share: float | None = None  # mean p(fake); None: not known (older callers)
    base_rate: float | None = None  # the fake share the model's probabilities are calibrated at

    @property
    def correction(self) -> float:
        """Estimated minus raw share: how far the plain mean of p(fake) was from the estimate."""
        return 0.0 if self.raw_share is None else self.fake_share - self.raw_share

    @property
    def real_share(self) -> float:
        return 1.0 - self.fake_share

    @property
    def real_interval(self) -> Interval:
        i = self.fake_interval
        return Interval(1.0 - i.high, 1.0 - i.low, i.level)

    @property
    def information(self) -> float:
        """The effective sample size: complete followers' worth of evidence."""
        return float(self.sample_size if self.effective_size is None else self.effective_size)


@dataclass(frozen=True)
class AuditCoverage:
    """What a creator's audit rests on besides the follower sample: posts in the workspace, where
    its engagement rate comes from (``er_source``: "posts" or "export-averages" are measured,
    "prior", "none" or "implausible" are not), follower snapshots and comments with text."""

    posts: int = 0
    er_source: str = "posts"
    snapshots: int = 0
    comments: int = 0

    @property
    def engagement_measured(self) -> bool:
        return self.posts > 0 or self.er_source not in {"prior", "none", "implausible"}


AUDIENCE = "audience"  # a flag about the followers: discounts what is derived from follower counts
ENGAGEMENT = "engagement"  # a flag about bought engagement: discounts measured engagement


@dataclass(frozen=True)
class Flag:
    """One anomaly with its evidence; ``weight`` is its discount in the authenticity score.

    ``applies_to`` says what it discounts in the planner: ``AUDIENCE`` (bought or inactive
    followers: quantities from follower counts x priors) or ``ENGAGEMENT`` (pods, bought likes or
    comments: the engagement measured on posts).
    """

    code: str
    message: str
    weight: float
    evidence: Mapping[str, object] = field(default_factory=dict)
    applies_to: str = AUDIENCE


@dataclass(frozen=True)
class AuthenticityReport:
    """One creator's authenticity: score 0-100, the factors the planner uses, and why.

    ``factor`` = score / 100 = ``audience_factor`` x ``engagement_factor``: the audience factor is
    the real share of followers (1 - fake share, measured or assumed) times the audience flags'
    discounts; the engagement factor the bought-engagement flags' discounts. Without a follower
    sample ``assumed_fake_share`` is the expected fake share used in their place.
    """

    platform: str
    handle: str
    score: int
    factor: float  # score / 100
    confidence: str  # "high", "medium" or "low"
    audit: FollowerAudit | None
    flags: tuple[Flag, ...]
    reasons: tuple[str, ...]
    tier: str | None = None
    followers: int | None = None
    assumed_fake_share: float | None = None
    audience_factor: float | None = None  # None: the same as factor
    engagement_factor: float = 1.0
    coverage: AuditCoverage | None = None  # None: not known (engagement taken as measured)

    @property
    def not_enough_data(self) -> bool:
        """No follower sample audited, or no engagement measured (no post, no imported rate)."""
        return self.audit is None or (
            self.coverage is not None and not self.coverage.engagement_measured
        )

    @property
    def fake_share(self) -> float | None:
        """The measured fake share; None without a follower sample."""
        return self.audit.fake_share if self.audit else None

    @property
    def expected_fake_share(self) -> float:
        """Measured where a sample was audited, else the assumed share."""
        if self.audit is not None:
            return self.audit.fake_share
        return self.assumed_fake_share or 0.0


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
    ``NO_TARGET`` ("no target") when the target restricts no dimension: fit is 1 by definition,
    nothing was measured or assumed, and displays show "—".
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

    * ``authenticity``: the authenticity score / 100, 0-1 (= audience x engagement
      authenticity); for filters and display.
    * ``audience_authenticity``: the real share of followers (1 - fake share, measured or
      assumed) times the audience flags' discounts; multiply what is derived from follower counts
      x priors by it (reach from followers, engagements from a prior engagement rate).
    * ``engagement_authenticity``: the bought-engagement flags' discounts; multiply engagement
      (and views) measured on posts by it: fake followers do not engage, so a measured rate
      already leaves them out.
    * ``expected_fake_share`` / ``fake_measured``: the fake share used, and whether a follower
      sample measured it (``fake_share`` is None where it did not).
    * ``fit``: share of the audience in the brief's target, 0-1; multiply relevant reach by it.
      ``fit_confidence`` 0-1 says how much of it was measured rather than assumed.
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
    audience_authenticity: tuple[float, ...] = ()
    engagement_authenticity: tuple[float, ...] = ()
    expected_fake_share: tuple[float, ...] = ()
    fake_measured: tuple[bool, ...] = ()

    def __len__(self) -> int:
        return len(self.keys)

    def row(self, i: int) -> dict[str, object]:
        return {
            "platform": self.keys[i][0],
            "handle": self.keys[i][1],
            "authenticity": self.authenticity[i],
            "authenticity_score": self.authenticity_score[i],
            "fake_share": self.fake_share[i],
            "audience_authenticity": _at(self.audience_authenticity, i, self.authenticity[i]),
            "engagement_authenticity": _at(self.engagement_authenticity, i, 1.0),
            "expected_fake_share": _at(self.expected_fake_share, i, self.fake_share[i]),
            "fake_measured": _at(self.fake_measured, i, self.fake_share[i] is not None),
            "fit": self.fit[i],
            "fit_confidence": self.fit_confidence[i],
            "relevance": self.relevance[i],
        }

    def rows(self) -> list[dict[str, object]]:
        return [self.row(i) for i in range(len(self))]


def _at(values: tuple[object, ...], i: int, default: object) -> object:
    return values[i] if values else default


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
