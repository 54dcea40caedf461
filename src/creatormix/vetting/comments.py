"""Generic comments: emoji-only, punctuation-only, mention-only or a stock phrase ("nice pic").

HypeAuditor describes inauthentic comments as emoji-only or one-word praise ("wow", "cool",
"nice pic") that does not refer to the post, or a bare mention; a creator where half the comments
look like that deserves a look (help.hypeauditor.com, "How do you detect comments' authenticity?").
Text is compared in one normal form, the phrase list too: NFKD with the accents dropped
("incrível" = "incrivel"), lower case, no emoji, punctuation or mentions; letters repeated three
times or more shorten to two ("goood" = "good", "coool" = "cool") and, when that is no stock
phrase, to one ("niiiice" = "nice").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

GENERIC_PHRASES: frozenset[str] = frozenset(
    {
        "nice", "nice pic", "nice post", "nice photo", "nice one", "cool", "so cool", "wow",
        "amazing", "awesome", "great", "great post", "great pic", "great shot", "love it",
        "love this", "love", "lovely", "beautiful", "so beautiful", "gorgeous", "stunning",
        "perfect", "cute", "so cute", "super", "top", "fire", "goals", "yes", "omg", "wow nice",
        "nice shot", "good", "very nice", "so nice", "beautiful pic", "beautiful photo",
        "follow me", "follow back", "check my page", "dm me", "bravo", "genial", "génial",
        "magnifique", "trop beau", "superbe", "toll", "schön", "wunderschön", "bello", "bellissimo",
        "bellissima", "que lindo", "lindo", "linda", "hermoso", "preciosa", "incrível", "lindo demais",
    }
)  # fmt: skip

_MENTION = re.compile(r"@[\w.]+")
_NON_WORD = re.compile(r"[^\w\s]", re.UNICODE)
_RUN3 = re.compile(r"(.)\1{2,}")
_RUN2 = re.compile(r"(.)\1+")


def _fold(text: str) -> str:
    """Lower case, accents dropped (NFKD), mentions, emoji and punctuation removed."""
    text = unicodedata.normalize("NFKD", text).lower()
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _MENTION.sub(" ", text)
    text = "".join(c for c in text if unicodedata.category(c)[0] in {"L", "N", "Z"} or c.isspace())
    return re.sub(r"\s+", " ", _NON_WORD.sub(" ", text)).strip()


def _squeeze(text: str) -> str:
    """Every run of a repeated letter as one letter: the loosest form, for elongated words."""
    return _RUN2.sub(r"\1", text)


_PHRASES = frozenset(_fold(p) for p in GENERIC_PHRASES)
_SQUEEZED = frozenset(_squeeze(p) for p in _PHRASES)


def _stock(folded: str) -> bool:
    return folded in _PHRASES or folded.rstrip("s") in _PHRASES


def is_generic(text: str | None) -> bool:
    """True for a comment that says nothing about the post (see the module docstring)."""
    if text is None:
        return False
    folded = _fold(text)
    if not folded:
        return bool(text.strip())  # emoji, punctuation or mentions only
    two = _RUN3.sub(r"\1\1", folded)  # "goood" -> "good", "niiiice" -> "niice"
    if _stock(two):
        return True
    if two == folded:
        return False  # nothing was elongated: "tool" is not "toll"
    one = _squeeze(two)  # "niice" -> "nice"
    return one in _SQUEEZED or one.rstrip("s") in _SQUEEZED


def generic_share(texts: Iterable[str | None]) -> tuple[int, int]:
    """(generic comments, comments with text)."""
    seen = generic = 0
    for t in texts:
        if t is None or not t.strip():
            continue
        seen += 1
        generic += is_generic(t)
    return generic, seen
