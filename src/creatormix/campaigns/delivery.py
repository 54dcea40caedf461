"""What a live deal delivered (reach, engagements) when nobody typed the figures in: which of the
creator's posts count for it, and how they add up. See docs/attribution.md.

A deal's posts are the ones its post ids name; without ids, the creator's sponsored posts from one
day before the content-live event to ``POST_WINDOW_DAYS`` after it. Typed-in figures always win.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from creatormix.domain.campaigns import Deal, DealEvent, Stage

# Without post ids or typed-in figures, a live deal's delivered posts are the creator's sponsored
# posts from one day before the content-live event to this many days after it.
POST_WINDOW_DAYS = 14


@dataclass(frozen=True)
class PostSelection:
    """The creator's posts that delivered a deal: by id, else its sponsored posts in [start, end]."""

    platform: str
    handle: str
    post_ids: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None


def live_times(events: Iterable[DealEvent]) -> dict[int, datetime]:
    """deal_id -> when its content first went live (events in the order they happened)."""
    out: dict[int, datetime] = {}
    for ev in events:
        if ev.stage is Stage.CONTENT_LIVE and ev.deal_id not in out:
            out[ev.deal_id] = ev.at
    return out


def selection(d: Deal, live: datetime | None) -> PostSelection | None:
    """Which posts to read for ``d``; None when its figures were typed in or nothing says which
    posts (no ids, and not live)."""
    if d.terms.reach is not None and d.terms.engagements is not None:
        return None
    if d.terms.post_ids:
        return PostSelection(d.platform, d.handle, post_ids=tuple(d.terms.post_ids))
    if live is None:
        return None
    return PostSelection(
        d.platform,
        d.handle,
        start=live - timedelta(days=1),
        end=live + timedelta(days=POST_WINDOW_DAYS),
    )


def delivered(d: Deal, rows: Sequence[Mapping[str, Any]]) -> tuple[float | None, float | None]:
    """(reach, engagements): typed-in figures win; else views and likes + comments + shares +
    saves summed over the deal's posts ``rows``."""
    reach, eng = d.terms.reach, d.terms.engagements
    if rows:
        views = [r["views"] for r in rows if r["views"] is not None]
        if reach is None and views:
            reach = float(sum(views))
        if eng is None:
            eng = float(
                sum(
                    (r["likes"] or 0)
                    + (r["comments"] or 0)
                    + (r["shares"] or 0)
                    + (r["saves"] or 0)
                    for r in rows
                )
            )
    return reach, eng
