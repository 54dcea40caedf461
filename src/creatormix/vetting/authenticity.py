"""One authenticity score per creator, 0-100, from the follower audit and the anomaly flags.

    score = round(100 x (1 - fake_share) x prod_k (1 - weight_k))

``fake_share`` is the audited share of fake followers. Without a follower sample it is the
*expected* share (``fake_prior``): the mean fake share of the workspace's sampled creators, shrunk
toward the fake-follower model's calibrated base rate with the weight of ``PRIOR_CREATORS``
creators, so a creator nobody audited is never scored as if it had no fake followers. ``weight_k``
is the discount of each raised flag (``vetting.flags.WEIGHTS``).

The planner gets the score in two parts: the *audience factor* (1 - fake_share) x the audience
flags, for what is derived from follower counts, and the *engagement factor* (the bought-engagement
flags), for engagement measured on posts, which fake followers never produced. Creators are never
excluded here; a brief may set a minimum.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from creatormix.domain.vetting import (
    ENGAGEMENT,
    AuditCoverage,
    AuthenticityReport,
    Flag,
    FollowerAudit,
)

HIGH_CONFIDENCE_SAMPLE = 100  # effective followers for "high" confidence
LOW_CONFIDENCE_SAMPLE = 30  # under this many effective followers: "low"
PRIOR_CREATORS = 10  # the base rate counts as this many sampled creators
CORRECTION_NOTE = 0.10  # a corrected share this far from the plain mean of p(fake) is explained


@dataclass(frozen=True)
class FakePrior:
    """The expected fake share of a creator without a follower sample, and what it rests on."""

    share: float
    creators: int  # sampled creators of the workspace behind it
    mean: float | None  # their mean fake share (None without any)
    base_rate: float  # the fake-follower model's calibrated base rate

    def describe(self) -> str:
        if not self.creators:
            return "the fake-follower model's base rate; no creator of this workspace is sampled"
        return (
            f"the mean of the {self.creators} sampled creator(s) of this workspace, "
            f"{self.mean or 0.0:.0%}, shrunk toward the model's {self.base_rate:.0%} base rate"
        )


def fake_prior(shares: Sequence[float], base_rate: float) -> FakePrior:
    """(sum of the sampled creators' fake shares + k x base rate) / (their number + k)."""
    m = len(shares)
    total = float(sum(shares))
    share = (total + PRIOR_CREATORS * base_rate) / (m + PRIOR_CREATORS)
    return FakePrior(share, m, total / m if m else None, base_rate)


def default_prior() -> FakePrior:
    """The prior with no sampled creator: the shipped model's calibrated base rate."""
    from creatormix.vetting.model import load_default

    return fake_prior([], float(load_default().meta["training"]["base_rate"]))


def authenticity(
    platform: str,
    handle: str,
    audit: FollowerAudit | None,
    flags: Sequence[Flag],
    *,
    tier: str | None = None,
    followers: int | None = None,
    coverage: AuditCoverage | None = None,
    prior: FakePrior | None = None,
    sample_problem: str | None = None,
) -> AuthenticityReport:
    """The report of one creator; ``prior`` gives the fake share when ``audit`` is None
    (``sample_problem`` says why, when a sample exists but could not be audited); ``coverage``
    says what else the audit rests on (None: engagement taken as measured, counts unknown)."""
    assumed = None
    if audit is None:
        prior = prior or default_prior()
        assumed = prior.share
    fake = audit.fake_share if audit is not None else assumed or 0.0
    audience, engagement = 1.0 - fake, 1.0
    for f in flags:
        if f.applies_to == ENGAGEMENT:
            engagement *= 1.0 - f.weight
        else:
            audience *= 1.0 - f.weight
    audience = min(max(audience, 0.0), 1.0)
    engagement = min(max(engagement, 0.0), 1.0)
    factor = audience * engagement
    return AuthenticityReport(
        platform=platform,
        handle=handle,
        score=round(100 * factor),
        factor=factor,
        confidence=_confidence(audit, coverage),
        audit=audit,
        flags=tuple(flags),
        reasons=tuple(reasons(audit, flags, coverage, prior=prior, sample_problem=sample_problem)),
        tier=tier,
        followers=followers,
        assumed_fake_share=assumed,
        audience_factor=audience,
        engagement_factor=engagement,
        coverage=coverage,
    )


def _measured(coverage: AuditCoverage | None) -> bool:
    return coverage is None or coverage.engagement_measured


def _confidence(audit: FollowerAudit | None, coverage: AuditCoverage | None) -> str:
    """Low without a sample, under 30 effective followers or without any engagement measured."""
    if audit is None or audit.low_confidence or audit.information < LOW_CONFIDENCE_SAMPLE:
        return "low"
    if not _measured(coverage):
        return "low"
    if audit.information >= HIGH_CONFIDENCE_SAMPLE:
        return "high"
    return "medium"


def _not_enough_data(audit: FollowerAudit | None, coverage: AuditCoverage | None) -> str | None:
    """ "not enough data: 0 posts, no follower sample" when either half of the evidence is missing."""
    if audit is not None and _measured(coverage):
        return None
    parts = []
    if coverage is not None:
        posts = f"{coverage.posts:,} post{'' if coverage.posts == 1 else 's'}"
        measured = coverage.engagement_measured and not coverage.posts
        parts.append(posts + (" (engagement rate from imported averages)" if measured else ""))
    parts.append(
        "no follower sample"
        if audit is None
        else f"{audit.sample_size:,} sampled follower{'' if audit.sample_size == 1 else 's'}"
    )
    both = audit is None and not _measured(coverage)
    why = ": the score is the workspace's expectation, not a measurement of this creator"
    return "not enough data: " + ", ".join(parts) + (why if both else "")


def _checked(coverage: AuditCoverage | None) -> str:
    """What the engagement checks looked at, in words."""
    if coverage is None:
        return "posts, snapshots and comments"

    def n(count: int, what: str) -> str:
        return f"{count:,} {what}{'' if count == 1 else 's'}"

    parts = [
        n(coverage.posts, "post") if coverage.posts else "the imported engagement rate (0 posts)",
        n(coverage.snapshots, "follower snapshot"),
        n(coverage.comments, "comment"),
    ]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def correction_note(audit: FollowerAudit) -> str | None:
    """Why the fake share differs from the plain mean of p(fake), when it does by > 10 points."""
    if audit.raw_share is None or abs(audit.correction) <= CORRECTION_NOTE:
        return None
    base = audit.base_rate if audit.base_rate is not None else 0.1
    share, raw = audit.fake_share, audit.raw_share
    if audit.correction > 0:
        what = (
            "most of this sample looks like accounts the model rates as likely fake"
            if share >= 0.5
            else f"far more of this sample than the {base:.0%} the model expects looks like "
            "accounts it rates as likely fake"
        )
    else:
        what = (
            f"far less of this sample than the {base:.0%} the model expects looks like accounts "
            "it rates as likely fake"
        )
    return (
        f"{what}; corrected for that, the fake share is {share:.0%} (the plain average of the "
        f"followers' p(fake), {raw:.0%}, leans toward the {base:.0%} of fakes the model was "
        "calibrated on)"
    )


def reasons(
    audit: FollowerAudit | None,
    flags: Sequence[Flag],
    coverage: AuditCoverage | None = None,
    *,
    prior: FakePrior | None = None,
    sample_problem: str | None = None,
) -> list[str]:
    """The reasons in words, the biggest discount first; "not enough data: …" above them all."""
    items: list[tuple[float, str]] = [(f.weight, f.message) for f in flags]
    short = _not_enough_data(audit, coverage)
    if short is not None:
        items.append((float("inf"), short))
    if audit is None:
        prior = prior or default_prior()
        why = (
            f"the follower sample could not be audited ({sample_problem})"
            if sample_problem
            else "no follower sample imported"
        )
        items.append(
            (
                prior.share,
                f"{why}: fake followers not measured: assumed {prior.share:.0%} "
                f"({prior.describe()})",
            )
        )
    else:
        i = audit.fake_interval
        text = (
            f"an estimated {audit.fake_share:.0%} of followers are fake ({i.level:.0%} interval "
            f"{i.low:.0%}-{i.high:.0%}, {audit.sample_size} followers sampled)"
        )
        if audit.sample_size < LOW_CONFIDENCE_SAMPLE:
            text += f"; low confidence: fewer than {LOW_CONFIDENCE_SAMPLE} followers sampled"
        elif audit.information < LOW_CONFIDENCE_SAMPLE:
            text += (
                f"; low confidence: with the fields missing, the sample weighs as "
                f"{audit.information:.0f} complete followers"
            )
        if audit.missing_fields:
            missing = ", ".join(f"{k} ({v})" for k, v in audit.missing_fields.items())
            text += f"; fields missing and imputed: {missing}"
        items.append((audit.fake_share, text))
        note = correction_note(audit)
        if note:
            items.append((audit.fake_share - 1e-9, note))  # right after the share it explains
    if not _measured(coverage):
        assert coverage is not None
        checked = (
            f" (only {coverage.snapshots:,} follower snapshots checked for a jump)"
            if coverage.snapshots
            else ""
        )
        items.append(
            (0.0, f"no posts or engagement figures: engagement anomalies not checked{checked}")
        )
    elif not flags:
        items.append((0.0, f"no engagement anomaly found in {_checked(coverage)}"))
    items.sort(key=lambda kv: -kv[0])
    return [text for _, text in items]
