"""What the identity commands say: likely duplicates with their evidence, a merge, an undo and
the merge log; ``to_json()`` is their ``--json``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from creatormix.domain.identity import LikelyDuplicate, MergeEvent
from creatormix.views._json import jsonable


@dataclass(frozen=True)
class IdentityTableView:
    """A titled table and the sentences under it (``empty`` when there are no rows)."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    empty: str
    hint: str | None
    data: Any

    def to_json(self) -> dict[str, object]:
        return jsonable(self.data)  # type: ignore[no-any-return]


def duplicates_view(found: list[LikelyDuplicate]) -> IdentityTableView:
    hint = None
    if found:
        first = found[0]
        hint = (
            f"merge one with: creatormix creators merge {first.platform}:{first.source} "
            f"{first.platform}:{first.target}"
        )
    return IdentityTableView(
        title=f"{len(found)} likely duplicate(s)",
        columns=("platform", "merge", "into", "evidence"),
        rows=tuple((d.platform, d.source, d.target, d.evidence) for d in found),
        empty="no likely duplicates",
        hint=hint,
        data={"duplicates": found},
    )


def merges_view(events: list[MergeEvent]) -> IdentityTableView:
    rows = tuple(
        (
            str(e.merge_id),
            e.platform,
            e.source,
            e.target,
            f"import #{e.import_id}" if e.import_id is not None else e.reason,
            e.evidence,
            "yes" if e.undone else "",
        )
        for e in events
    )
    return IdentityTableView(
        title=f"{len(events)} merge(s)",
        columns=("#", "platform", "merged", "into", "by", "evidence", "undone"),
        rows=rows,
        empty="no merges",
        hint=None,
        data={"merges": events},
    )


@dataclass(frozen=True)
class MergeView:
    sentence: str
    data: MergeEvent

    def to_json(self) -> dict[str, object]:
        return jsonable(self.data)  # type: ignore[no-any-return]


def merge_view(event: MergeEvent) -> MergeView:
    """A merge just made, or (``event.undone``) just undone."""
    e = event
    if e.undone:
        sentence = (
            f"merge #{e.merge_id} undone: {e.platform}:{e.source} and {e.platform}:{e.target} "
            "are two entries again"
        )
    else:
        sentence = (
            f"merge #{e.merge_id}: {e.platform}:{e.source} is now read as "
            f"{e.platform}:{e.target} ({e.evidence}); undo with "
            f"`creatormix creators unmerge {e.merge_id}`"
        )
    return MergeView(sentence, e)
