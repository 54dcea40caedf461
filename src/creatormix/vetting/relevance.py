"""Niche relevance: a brief's keywords against each creator's bio, categories, captions, hashtags.

BM25 (Robertson and Zaragoza, "The Probabilistic Relevance Framework: BM25 and Beyond", 2009) over
the workspace's creators, with k1 = 1.2 and b = 0.75, fields weighted by repetition (categories x3,
bio and hashtags x2, captions x1), and divided by its maximum for the query, so the score lies in
0-1: a creator whose text holds every keyword often gets near 1, one holding none gets 0, and a
keyword no creator uses lowers everyone's score. Tokens are lower-cased, accent-folded words; a
hashtag is its word ("#VeganSkincare" -> "veganskincare"). No network, no model.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from creatormix.domain.vetting import Relevance

K1 = 1.2
B = 0.75
FIELD_WEIGHTS = {"categories": 3, "bio": 2, "hashtags": 2, "captions": 1}
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "the",
        "of",
        "for",
        "in",
        "on",
        "with",
        "to",
        "by",
        "at",
        "or",
        "de",
        "la",
        "le",
        "les",
        "des",
        "du",
        "et",
        "en",
        "un",
        "une",
        "und",
        "der",
        "die",
        "das",
        "el",
        "los",
        "las",
        "y",
        "con",
        "para",
        "por",
        "al",
    ]
)
_WORD = re.compile(r"[a-z0-9]+")


def tokens(text: str | None) -> list[str]:
    if not text:
        return []
    folded = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return [t for t in _WORD.findall(folded) if t not in STOPWORDS and len(t) > 1]


@dataclass(frozen=True)
class CreatorText:
    """The text a creator is matched on."""

    bio: str | None = None
    categories: Sequence[str] = ()
    captions: Sequence[str] = ()
    hashtags: Sequence[str] = ()
    extra: Sequence[str] = field(default_factory=tuple)

    def weighted_tokens(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        parts = {
            "categories": " ".join(self.categories),
            "bio": self.bio or "",
            "hashtags": " ".join(self.hashtags),
            "captions": " ".join([*self.captions, *self.extra]),
        }
        for name, text in parts.items():
            for t in tokens(text):
                counts[t] += FIELD_WEIGHTS[name]
        return counts


def bm25_relevance(query: str, docs: Sequence[CreatorText]) -> list[Relevance]:
    """Normalised BM25 of ``query`` for every doc (1.0 for an empty query: nothing to match)."""
    terms = list(dict.fromkeys(tokens(query)))
    if not terms:
        return [Relevance(1.0, (), "none") for _ in docs]
    counted = [d.weighted_tokens() for d in docs]
    lengths = [sum(c.values()) for c in counted]
    n = len(docs)
    avg = (sum(lengths) / n) if n else 0.0
    df = {t: sum(1 for c in counted if c.get(t)) for t in terms}
    idf = {t: math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5)) for t in terms}
    best = sum(idf.values()) * (K1 + 1)
    out = []
    for c, length in zip(counted, lengths, strict=True):
        norm = K1 * (1 - B + B * (length / avg if avg else 0.0))
        score = 0.0
        matched = []
        for t in terms:
            tf = c.get(t, 0)
            if tf:
                score += idf[t] * tf * (K1 + 1) / (tf + norm)
                matched.append(t)
        out.append(Relevance(score / best if best else 0.0, tuple(matched), "bm25"))
    return out
