"""Finding creators for a brand: the texts relevance reads, how they are scored, which creators
match a search and in what order, and a target checked value by value. Pure: the facade reads the
rows from the store and hands them here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from creatormix.domain.vetting import AudienceFit, CreatorMatch, Relevance, Target
from creatormix.errors import InvalidOption
from creatormix.vetting.relevance import CreatorText

Key = tuple[str, str]


def documents(
    creators: Sequence[Mapping[str, Any]], posts: Sequence[Mapping[str, Any]]
) -> tuple[list[Key], list[CreatorText]]:
    """Each creator's text (bio, categories, its posts' captions and hashtags), in creator order."""
    captions: dict[Key, list[str]] = defaultdict(list)
    tags: dict[Key, list[str]] = defaultdict(list)
    for r in posts:
        k = (r["platform"], r["handle"])
        if r["caption"]:
            captions[k].append(r["caption"])
        tags[k].extend(r["hashtags"] or ())
    keys = [(r["platform"], r["handle"]) for r in creators]
    docs = [
        CreatorText(
            bio=r["bio"],
            categories=tuple(r["categories"] or ()),
            captions=captions.get(k, []),
            hashtags=tags.get(k, []),
        )
        for r, k in zip(creators, keys, strict=True)
    ]
    return keys, docs


def score_documents(keywords: str, docs: Sequence[CreatorText], method: str) -> list[Relevance]:
    """Relevance of every document to ``keywords`` by ``method`` (bm25, or semantic with its extra)."""
    if method == "semantic":
        from creatormix.vetting import semantic

        if not semantic.available():
            raise InvalidOption(
                "semantic relevance needs the 'semantic' extra: pip install 'creatormix[semantic]'"
            )
        return semantic.semantic_relevance(keywords, docs)
    if method != "bm25":
        raise InvalidOption(f"unknown relevance method {method!r} (bm25 or semantic)")
    from creatormix.vetting.relevance import bm25_relevance

    return bm25_relevance(keywords, docs)


def check_keywords(keywords: str) -> None:
    """InvalidOption when ``keywords`` hold no word to search for."""
    from creatormix.vetting.relevance import tokens

    if not tokens(keywords):  # every creator would match "nothing" equally, at 100 %
        raise InvalidOption(
            f"keywords {keywords!r} hold no word to search for (stop words and single "
            "letters are ignored); give niche words, e.g. 'vegan skincare'"
        )


def candidates(
    keys: Sequence[Key],
    scores: Sequence[Relevance],
    *,
    min_relevance: float,
    platforms: Sequence[str],
) -> list[tuple[Key, Relevance]]:
    """Creators that hold a keyword (relevance above 0), meet ``min_relevance``, on ``platforms``."""
    return [
        (k, r)
        for k, r in zip(keys, scores, strict=True)
        if r.score > 0 and r.score >= min_relevance and (not platforms or k[0] in platforms)
    ]


def rank_matches(
    found: Sequence[tuple[Key, Relevance]],
    fits: Sequence[AudienceFit],
    metrics: Mapping[Key, Mapping[str, Any]],
    *,
    min_fit: float | None,
) -> list[CreatorMatch]:
    """The matches meeting ``min_fit``, by relevance x fit, then relevance, then handle."""
    hits = []
    for (key, rel), fit in zip(found, fits, strict=True):
        if min_fit is not None and fit.fit < min_fit:
            continue
        m = metrics.get(key, {})
        hits.append(
            CreatorMatch(
                key[0],
                key[1],
                m.get("name"),
                m.get("tier"),
                m.get("followers"),
                m.get("country"),
                rel,
                fit,
            )
        )
    hits.sort(key=lambda h: (-(h.relevance.score * h.fit.fit), -h.relevance.score, h.handle))
    return hits


def checked_target(target: Target) -> Target:
    """Target values in canonical form; InvalidOption naming the bad value."""
    from creatormix.domain.audience import age_band, gender
    from creatormix.domain.geo import country_code, language_code

    def each(values: Sequence[str], fn: Any, what: str) -> tuple[str, ...]:
        out = []
        for v in values:
            try:
                code = fn(v)
            except ValueError as exc:
                raise InvalidOption(f"{what} {v!r}: {exc}") from None
            if code is None:
                raise InvalidOption(f"unknown {what} {v!r}")
            out.append(code)
        return tuple(out)

    return Target(
        countries=each(target.countries, country_code, "country"),
        ages=each(target.ages, age_band, "age band"),
        genders=each(target.genders, gender, "gender"),
        languages=each(target.languages, language_code, "language"),
        keywords=target.keywords,
    )
