"""What a follower-list import says about each list: how many followers it names against the
profile's count, and a warning for a list plans read as a sample rather than the whole audience."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from creatormix.domain.followers import FollowerListStat


def list_stats(
    keys: Sequence[tuple[str, str]], counts: Any, followers: Mapping[tuple[str, str], Any]
) -> tuple[list[FollowerListStat], tuple[str, ...]]:
    """Per creator of ``keys``, the followers its list names (``counts``) against its profile
    ``followers``; and the warnings (at most 20, then how many more)."""
    from creatormix.planning.planner import MIN_LIST_SHARE

    stats = []
    warnings = []
    for k, (plat, handle) in enumerate(keys):
        f = followers.get((plat, handle))
        stats.append(
            FollowerListStat(plat, handle, int(counts[k]), int(f) if f is not None else None)
        )
        if f and counts[k] < MIN_LIST_SHARE * f:
            warnings.append(
                f"@{handle}: the list names {counts[k]:,} of {int(f):,} followers, less than "
                f"{MIN_LIST_SHARE:.0%}: plans read it as a sample of them, which estimates "
                "its overlap with other sampled creators"
            )
    return stats, tuple(warnings[:20]) + (
        (f"... and {len(warnings) - 20} more",) if len(warnings) > 20 else ()
    )
