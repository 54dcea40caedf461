"""Shortlist use cases: named lists of creators with a note each, usable as a plan's candidates."""

from __future__ import annotations

from creatormix.domain.accounts import Shortlist
from creatormix.errors import InvalidOption, NotFound
from creatormix.store import accounts as astore
from creatormix.store import shortlists as sstore
from creatormix.store.core import current_user, utcnow
from creatormix.workspace.catalog import CatalogOps

MAX_NAME = 80
MAX_NOTE = 2000


class ShortlistOps(CatalogOps):
    """Shortlists name creators of the catalog (``CatalogOps`` resolves them)."""

    def shortlists(self) -> list[Shortlist]:
        """Every shortlist with its creators, oldest first."""
        return sstore.all_shortlists(self.store)

    def get_shortlist(self, ref: str | int) -> Shortlist:
        """By id or name (any case)."""
        return sstore.find(self.store, ref)

    def create_shortlist(self, name: str) -> Shortlist:
        """A new, empty shortlist (names are unique, any case)."""
        name = " ".join(name.split())
        if not name or len(name) > MAX_NAME:
            raise InvalidOption(
                f"a shortlist needs a name of 1 to {MAX_NAME} characters", field="name"
            )
        if name.isdigit():
            raise InvalidOption("a shortlist name needs a letter (numbers are ids)", field="name")
        if any(s.name.lower() == name.lower() for s in self.shortlists()):
            raise InvalidOption(f"a shortlist {name!r} exists already", field="name")
        with self.store.transaction():
            sid = self.store.next_id("shortlists", "shortlist_id")
            sstore.add_shortlist(self.store, sid, name, utcnow(), current_user())
            astore.log_change(self.store, utcnow(), current_user(), "shortlist created", name, "")
        return self.get_shortlist(sid)

    def shortlist_add(
        self,
        shortlist: str | int,
        creators: list[str],
        note: str | None = None,
        *,
        create: bool = False,
    ) -> Shortlist:
        """Add creators (``@handle`` or ``platform:handle``) or change their note; a creator
        already on the list keeps its place and gets the new note when one is given. With
        ``create``, a shortlist of that name is made when there is none."""
        exists = any(
            str(x.shortlist_id) == str(shortlist).strip()
            or x.name.lower() == str(shortlist).strip().lower()
            for x in self.shortlists()
        )
        if create and not exists:
            self.create_shortlist(str(shortlist))
        s = self.get_shortlist(shortlist)
        if not creators:
            raise InvalidOption("name at least one creator", field="creator")
        note = _note(note)
        keys = list(dict.fromkeys(self.resolve_creator(c) for c in creators))
        on = {(e.platform, e.handle): e for e in s.entries}
        now, by = utcnow(), current_user()
        rows = [
            {
                "shortlist_id": s.shortlist_id,
                "platform": p,
                "handle": h,
                "note": note if note is not None else (on[(p, h)].note if (p, h) in on else None),
                "listed": True,
                "at": now,
                "by": by,
            }
            for p, h in keys
        ]
        with self.store.transaction():
            sstore.append_entries(self.store, rows)
            who = ", ".join(f"@{h}" for _, h in keys)
            astore.log_change(self.store, now, by, "shortlist add", s.name, who)
        return self.get_shortlist(s.shortlist_id)

    def shortlist_remove(self, shortlist: str | int, creator: str) -> Shortlist:
        """Take a creator off the list (the entry's history stays)."""
        s = self.get_shortlist(shortlist)
        platform, handle = self.resolve_creator(creator)
        if not any(e.platform == platform and e.handle == handle for e in s.entries):
            raise NotFound(f"@{handle} is not on {s.name!r}")
        now, by = utcnow(), current_user()
        row = {
            "shortlist_id": s.shortlist_id,
            "platform": platform,
            "handle": handle,
            "note": None,
            "listed": False,
            "at": now,
            "by": by,
        }
        with self.store.transaction():
            sstore.append_entries(self.store, [row])
            astore.log_change(self.store, now, by, "shortlist remove", s.name, f"@{handle}")
        return self.get_shortlist(s.shortlist_id)


def _note(note: str | None) -> str | None:
    if note is None:
        return None
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise InvalidOption(f"a note holds at most {MAX_NOTE} characters", field="note")
    return note
