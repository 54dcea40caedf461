"""One creator's authenticity report from what the workspace holds about it: its follower
sample (when imported), its engagement evidence and its catalog row."""

from __future__ import annotations

from collections.abc import Mapping
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
