"""When two catalog entries are likely one creator, and when they are not.

Exact handle matches are one creator already (the catalog is keyed by platform and handle). A
*likely* duplicate is a pair on one platform whose handles are equal once punctuation and a
trailing number are dropped (``tseries`` / ``t-series``, ``mrbeast`` / ``mrbeast6000``), or
whose display names are equal letter for letter (``T-Series`` and a name-keyed ``~t-series``),
**and** whose follower counts are within 10 % of each other. The follower test is what keeps
two creators who share a display name apart (``iamferv`` 32.9M and ``ferchugimenez`` 8.1M, both
"Fernanda"): it is never waived, and a pair without both counts is never listed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FOLLOWERS_WITHIN = 0.10
NAME_KEY_PREFIX = "~"  # as in domain.platform


@dataclass(frozen=True)
class Identity:
    """One catalog entry as the duplicate rule sees it."""

    platform: str
    handle: str
    name: str | None
    followers: int | None

    @property
    def name_keyed(self) -> bool:
        return self.handle.startswith(NAME_KEY_PREFIX)


@dataclass(frozen=True)
class LikelyDuplicate:
    """``source`` would be merged into ``target`` (the entry with a real handle, or the one with
    more followers); ``evidence`` says why in one line."""

    platform: str
    source: str
    target: str
    evidence: str
    gap: float  # relative follower difference, 0.0 to 0.1


@dataclass(frozen=True)
class MergeEvent:
    """A merge of two catalog entries (``creators merge``, or an import that found a name-keyed
    creator's handle), and whether it was undone. ``reason`` is ``confirmed`` or ``name-key``."""

    merge_id: int
    platform: str
    source: str
    target: str
    reason: str
    evidence: str
    import_id: int | None
    undone: bool


def handle_key(handle: str) -> str:
    """A handle without '~', '.', '_', '-' and a trailing number: ``mrbeast6000`` -> ``mrbeast``."""
    bare = re.sub(r"[._\-\s~]", "", handle.lower())
    return re.sub(r"\d+$", "", bare) or bare


def name_letters(name: str | None) -> str:
    """A display name's letters and digits only, in any case: ``T-Series`` -> ``tseries``."""
    return "".join(ch for ch in (name or "").casefold() if ch.isalnum())


def follower_gap(a: int | None, b: int | None) -> float | None:
    """Relative difference of two follower counts (None when either is unknown or zero)."""
    if not a or not b:
        return None
    return abs(a - b) / max(a, b)


def _names_of(x: Identity) -> str:
    return name_letters(x.handle[1:] if x.name_keyed else x.name)


def _evidence(a: Identity, b: Identity, why: str, gap: float) -> str:
    from creatormix.domain.numbers import followers

    return (
        f"{why}; followers {followers(a.followers)} and {followers(b.followers)} ({gap:.1%} apart)"
    )


def _order(a: Identity, b: Identity) -> tuple[Identity, Identity]:
    """(source, target): a name-keyed entry goes into a handle, the smaller into the larger."""
    if a.name_keyed != b.name_keyed:
        return (a, b) if a.name_keyed else (b, a)
    if (a.followers or 0) != (b.followers or 0):
        return (a, b) if (a.followers or 0) < (b.followers or 0) else (b, a)
    return (a, b) if a.handle > b.handle else (b, a)


def why_alike(a: Identity, b: Identity) -> str | None:
    """What makes two entries of one platform look like one creator (before the follower test)."""
    if a.platform != b.platform or a.handle == b.handle:
        return None
    if not a.name_keyed and not b.name_keyed and handle_key(a.handle) == handle_key(b.handle):
        return f"handles {a.handle!r} and {b.handle!r} are equal without punctuation and digits"
    na, nb = _names_of(a), _names_of(b)
    if na and na == nb:
        return f"same name {na!r}"
    if a.name_keyed and na and na == handle_key(b.handle):
        return f"channel name {a.handle[1:]!r} is the handle {b.handle!r}"
    if b.name_keyed and nb and nb == handle_key(a.handle):
        return f"channel name {b.handle[1:]!r} is the handle {a.handle!r}"
    return None


def likely_pair(a: Identity, b: Identity) -> LikelyDuplicate | None:
    source, target = _order(a, b)
    why = why_alike(source, target)
    gap = follower_gap(a.followers, b.followers)
    if why is None or gap is None or gap > FOLLOWERS_WITHIN:
        return None
    return LikelyDuplicate(
        a.platform, source.handle, target.handle, _evidence(source, target, why, gap), gap
    )


def likely_duplicates(entries: list[Identity]) -> list[LikelyDuplicate]:
    """Every likely duplicate pair of a catalog, most alike first (smallest follower gap).

    Entries are grouped by platform and by handle key or name letters first, so a catalog of
    100,000 creators compares only entries that share a key.
    """
    groups: dict[tuple[str, str], list[Identity]] = {}
    for e in entries:
        keys = {("h", handle_key(e.handle))} if not e.name_keyed else set()
        if letters := _names_of(e):
            keys.add(("n", letters))
            if e.name_keyed:
                keys.add(("h", letters))
        for kind, key in keys:
            if key:
                groups.setdefault((e.platform, kind + key), []).append(e)
    found: dict[tuple[str, str, str], LikelyDuplicate] = {}
    for members in groups.values():
        if len(members) < 2 or len(members) > 50:  # a key 50 entries share proves nothing
            continue
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                pair = likely_pair(a, b)
                if pair is not None:
                    found.setdefault((pair.platform, pair.source, pair.target), pair)
    return sorted(found.values(), key=lambda d: (d.gap, d.platform, d.target))


def name_key_matches(
    existing: tuple[list[Identity], list[Identity]],
) -> list[LikelyDuplicate]:
    """Name-keyed entries (first list) that an import's entries with real handles (second
    list) identify: one match each way, followers within 10 % or unknown on either side."""
    keyed, new = existing
    out = []
    for k in keyed:
        matches = [n for n in new if not n.name_keyed and why_alike(k, n) is not None]
        if len(matches) != 1:
            continue
        n = matches[0]
        gap = follower_gap(k.followers, n.followers)
        if gap is not None and gap > FOLLOWERS_WITHIN:
            continue
        why = why_alike(k, n) or ""
        evidence = why if gap is None else _evidence(k, n, why, gap)
        out.append(LikelyDuplicate(k.platform, k.handle, n.handle, evidence, gap or 0.0))
    return out


def merge_refusal(a: Identity, b: Identity, *, force: bool) -> tuple[str, str | None]:
    """(evidence of the merge of ``a`` into ``b``, why it is refused or None).

    A pair the duplicate rule would not list is refused unless ``force`` says it was checked
    by hand: two entries with one display name are often two creators.
    """
    pair = likely_pair(a, b)
    if pair is not None:
        return pair.evidence, None
    if force:
        return "merged with --force", None
    from creatormix.domain.numbers import followers

    why = why_alike(a, b) or "nothing alike in handle or name"
    return "", (
        f"{a.platform}:{a.handle} and {b.platform}:{b.handle} do not look like one creator "
        f"({why}; followers {followers(a.followers)} and {followers(b.followers)}); "
        "pass --force to merge them"
    )
