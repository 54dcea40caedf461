"""Identity use cases: likely duplicate creators, merging two entries on confirmation, undoing.

A merge is an event (``store.identities``): every table keyed by creator (catalog, vetting,
campaigns) reads the merged entry as the one it was merged into until the merge is undone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from creatormix.domain.identity import MergeEvent
from creatormix.errors import InvalidOption
from creatormix.store import entries, identities
from creatormix.workspace.catalog import CatalogOps

if TYPE_CHECKING:
    from creatormix.domain.identity import LikelyDuplicate


class IdentityOps(CatalogOps):
    """``creators duplicates``, ``creators merge``, ``creators merges``, ``creators unmerge``."""

    def likely_duplicates(self) -> list[LikelyDuplicate]:
        """Pairs of entries that are likely one creator (``domain.identity``), most alike first."""
        from creatormix.domain.identity import likely_duplicates

        return likely_duplicates(entries.catalog_identities(self.store))

    def merge_creators(self, source: str, target: str, *, force: bool = False) -> MergeEvent:
        """Merge ``source`` into ``target`` (same platform): its facts count as ``target``'s.

        A pair the duplicate rule would not list (followers more than 10 % apart, nothing alike)
        needs ``force``; two entries with one display name are often two creators.
        """
        from creatormix.domain.identity import merge_refusal

        platform, a = self.resolve_creator(source)
        b_platform, b = self.resolve_creator(target)
        if platform != b_platform:
            raise InvalidOption(
                f"{platform}:{a} and {b_platform}:{b} are on different platforms; only one "
                "platform's entries can be one account"
            )
        if a == b:
            raise InvalidOption(f"{platform}:{a} is that creator already")
        found = entries.identities_of(self.store, platform, [a, b])
        evidence, refusal = merge_refusal(found[a], found[b], force=force)
        if refusal is not None:
            raise InvalidOption(refusal)
        with self.store.transaction():
            merge_id = identities.record_merge(
                self.store, platform, a, b, "confirmed", evidence, None
            )
            self.refresh_metrics()
        return MergeEvent(merge_id, platform, a, b, "confirmed", evidence, None, False)

    def undo_merge(self, merge_id: int) -> MergeEvent:
        """Take a merge back: both entries are read as they were before it."""
        with self.store.transaction():
            row = identities.record_undo(self.store, merge_id)
            self.refresh_metrics()
        return identities.merge_event(row, undone=True)

    def merges(self) -> list[MergeEvent]:
        """Every merge, oldest first, with whether it was undone."""
        return identities.merge_events(self.store)
