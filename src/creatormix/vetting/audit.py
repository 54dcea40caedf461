"""One creator's authenticity report from what the workspace holds about it: its follower
sample (when imported), its engagement evidence and its catalog row."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from creatormix.domain.vetting import AuditCoverage, AuthenticityReport, FollowerAudit
from creatormix.vetting.authenticity import FakePrior
from creatormix.vetting.flags import EngagementEvidence

Key = tuple[str, str]


def sample_audit(sample: Mapping[str, Any] | None) -> tuple[FollowerAudit | None, str | None]:
    """(the sample's audit, None), or (None, why it could not be scored): one creator's odd
    data never stops a workspace-wide command."""
    from creatormix.vetting.audience import audit_sample

    if not sample:
        return None, None
    try:
        return audit_sample(sample), None
    except (ValueError, ArithmeticError) as exc:
        return None, str(exc)


def creator_report(
    key: Key,
    row: Mapping[str, Any],
    audit: FollowerAudit | None,
    problem: str | None,
    ev: EngagementEvidence,
    prior: FakePrior | None,
) -> AuthenticityReport:
    """The report: follower audit, engagement flags, score; ``prior`` for an unmeasured audience."""
    from creatormix.vetting.authenticity import authenticity
    from creatormix.vetting.flags import engagement_flags

    coverage = AuditCoverage(
        posts=ev.posts_total,
        er_source=ev.er_source,
        snapshots=len(ev.snapshots),
        comments=ev.comments_with_text,
    )
    return authenticity(
        key[0],
        key[1],
        audit,
        engagement_flags(ev),
        tier=row.get("tier"),
        followers=row.get("followers"),
        coverage=coverage,
        prior=prior,
        sample_problem=problem,
    )


def select_reports(
    reports: Sequence[AuthenticityReport],
    *,
    sampled: bool,
    max_score: int | None,
    limit: int | None,
) -> tuple[list[AuthenticityReport], int]:
    """The reports to list, lowest score first (then platform, handle), and how many matched:
    only creators with a follower sample (``sampled``), scoring at most ``max_score``."""
    chosen = list(reports)
    if sampled:
        chosen = [r for r in chosen if r.audit is not None]
    if max_score is not None:
        chosen = [r for r in chosen if r.score <= max_score]
    chosen.sort(key=lambda r: (r.score, r.platform, r.handle))
    return (chosen[:limit] if limit else chosen), len(chosen)
