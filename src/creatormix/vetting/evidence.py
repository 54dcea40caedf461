"""The evidence each creator's engagement flags are read from, assembled from the store's rows.

Comments per like are compared with the platform's median over every creator with both counts
(``vetting.flags``); the engagement-rate interval is the metrics' Beta interval, computed by the
caller (vetting does not import the metrics).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from creatormix.vetting.comments import generic_share
from creatormix.vetting.flags import EngagementEvidence

Key = tuple[str, str]


def engagement_evidence(
    keys: Sequence[Key],
    metrics: Mapping[Key, Mapping[str, Any]],
    engagement: Mapping[Key, tuple[int, int]],
    snapshots: Mapping[Key, Sequence[tuple[datetime, int]]],
    texts: Mapping[Key, Sequence[str | None]],
    er_intervals: tuple[Sequence[float], Sequence[float]],
) -> dict[Key, EngagementEvidence]:
    """Per key: its metric row, its likes and comments against the platform's median comments
    per like, its snapshots and its comments' generic share; ``er_intervals`` (lows, highs) are
    aligned with ``keys`` (NaN where the creator has no interval)."""
    ratios: dict[str, list[float]] = defaultdict(list)
    for (platform, _), (likes, comments) in engagement.items():
        if likes:
            ratios[platform].append(comments / likes)
    medians = {p: sorted(v)[len(v) // 2] for p, v in ratios.items() if v}
    rows = [metrics.get(k, {}) for k in keys]
    lows, highs = er_intervals
    out = {}
    for k, r, lo, hi in zip(keys, rows, lows, highs, strict=True):
        generic, seen = generic_share(list(texts.get(k, [])))
        likes, comments = engagement.get(k, (0, 0))
        out[k] = EngagementEvidence(
            platform=k[0],
            tier=r.get("tier"),
            er_shrunk=r.get("er_shrunk"),
            er_low=None if lo != lo else lo,
            er_high=None if hi != hi else hi,
            er_source=r.get("er_source") or "none",
            prior_er=r.get("prior_er"),
            prior_n=int(r.get("prior_n") or 0),
            prior_source=r.get("prior_source") or "published",
            er_basis=r.get("er_basis") or "followers",
            er_implausible=r.get("er_implausible"),
            er_implausible_source=r.get("er_implausible_source"),
            posts_measured=int(r.get("posts_measured") or 0),
            likes=likes,
            comments=comments,
            platform_comments_per_like=medians.get(k[0]),
            posts_total=int(r.get("posts_total") or 0),
            sponsored_posts=int(r.get("sponsored_posts") or 0),
            snapshots=tuple(snapshots.get(k, [])),
            comments_with_text=seen,
            generic_comments=generic,
        )
    return out
