"""One authenticity score per creator, 0-100, from the follower audit and the anomaly flags.

    score = round(100 x (1 - fake_share) x prod_k (1 - weight_k))

``fake_share`` is the audited share of fake followers (0 when no sample was imported, and the
confidence says so); ``weight_k`` the discount of each raised flag (``vetting.flags.WEIGHTS``).
The planner keeps ``score / 100`` of a creator's reach: a creator with 40 % fake followers and no
flag keeps 60 %. Creators are never excluded here; a brief may set a minimum.
"""

from __future__ import annotations

from collections.abc import Sequence

from creatormix.domain.vetting import AuthenticityReport, Flag, FollowerAudit

HIGH_CONFIDENCE_SAMPLE = 100


def authenticity(
    platform: str,
    handle: str,
    audit: FollowerAudit | None,
    flags: Sequence[Flag],
    *,
    tier: str | None = None,
    followers: int | None = None,
    has_engagement_data: bool = True,
) -> AuthenticityReport:
    fake = audit.fake_share if audit else 0.0
    factor = 1.0 - fake
    for f in flags:
        factor *= 1.0 - f.weight
    factor = min(max(factor, 0.0), 1.0)
    return AuthenticityReport(
        platform=platform,
        handle=handle,
        score=round(100 * factor),
        factor=factor,
        confidence=_confidence(audit, has_engagement_data),
        audit=audit,
        flags=tuple(flags),
        reasons=tuple(reasons(audit, flags, has_engagement_data)),
        tier=tier,
        followers=followers,
    )


def _confidence(audit: FollowerAudit | None, has_engagement_data: bool) -> str:
    if audit is None or audit.low_confidence:
        return "low"
    if audit.sample_size >= HIGH_CONFIDENCE_SAMPLE and has_engagement_data:
        return "high"
    return "medium"


def reasons(
    audit: FollowerAudit | None, flags: Sequence[Flag], has_engagement_data: bool = True
) -> list[str]:
    """The reasons in words, the biggest discount first."""
    items: list[tuple[float, str]] = [(f.weight, f.message) for f in flags]
    if audit is None:
        items.append((0.0, "no follower sample imported: fake followers not measured"))
    else:
        i = audit.fake_interval
        text = (
            f"an estimated {audit.fake_share:.0%} of followers are fake ({i.level:.0%} interval "
            f"{i.low:.0%}-{i.high:.0%}, {audit.sample_size} followers sampled)"
        )
        if audit.low_confidence:
            text += "; low confidence: fewer than 30 followers sampled"
        if audit.missing_fields:
            missing = ", ".join(f"{k} ({v})" for k, v in audit.missing_fields.items())
            text += f"; fields missing and imputed: {missing}"
        items.append((audit.fake_share, text))
    if not has_engagement_data:
        items.append((0.0, "no posts or engagement figures: engagement anomalies not checked"))
    elif not flags:
        items.append((0.0, "no engagement anomaly found in posts, snapshots and comments"))
    items.sort(key=lambda kv: -kv[0])
    return [text for _, text in items]
