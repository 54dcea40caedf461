"""The seam where vetting plugs into planning: authenticity, audience fit and niche relevance.

The planner discounts each creator's audience outcomes by two per-creator factors and filters by a
third score:

* **authenticity** in [0, 1]: the share of the creator's audience (and engagement) that is real.
  1.0 until vetting supplies a score (the planner then reports "not vetted").
* **audience fit** in [0, 1]: the share of the audience the brief can use (in a ship-to country,
  in the age range, of the genders, speaking the languages). Vetting measures it from imported
  audience shares; without a source it is *derived* here from the creator's own country and
  language (``derived_fit``), stated as low confidence.
* **niche relevance** in [0, 1]: how well the creator matches the brief's niche keywords; the
  niche filter keeps creators at or above the source's ``relevance_threshold``.

A ``SignalSource`` answers for the creators it knows (NaN elsewhere) and ``resolve`` fills the
gaps with the defaults below. The workspace adapts vetting's ``vetting_factors`` to this protocol
(``Workspace.planning_signals``); that one method is the whole integration point.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from creatormix.domain.brief import Target
from creatormix.planning.candidates import Candidates

# Derived fit (assumptions, documented in docs/metrics.md): the share of a creator's audience in
# its main audience country when that country is known from audience data (audience_country) or
# only from the creator's own country; the share of the rest assumed to live in any one of the
# brand's ship-to countries; fit when the country is unknown; language fit when languages differ
# or are unknown.
HOME_SHARE_AUDIENCE = 0.6
HOME_SHARE_CREATOR = 0.5
ABROAD_IN_TARGET = 0.1
UNKNOWN_COUNTRY_FIT = 0.3
OTHER_LANGUAGE_FIT = 0.2
UNKNOWN_LANGUAGE_FIT = 0.6

DERIVED = "derived from country/language (low confidence)"
NO_TARGET = "no audience target"
NOT_VETTED = "not vetted (1.0)"


@dataclass(frozen=True)
class Signals:
    """Per-creator factors aligned with the candidates."""

    authenticity: np.ndarray
    authenticity_source: np.ndarray  # object: str per creator
    fit: np.ndarray
    fit_source: np.ndarray
    relevance: np.ndarray
    relevance_source: str
    relevance_threshold: float = 0.5


@dataclass(frozen=True)
class SourceFactors:
    """What a source knows, aligned with the creators asked about (NaN or None where it does not)."""

    authenticity: np.ndarray | None = None
    authenticity_labels: np.ndarray | None = None  # object: str per creator
    fit: np.ndarray | None = None
    fit_labels: np.ndarray | None = None
    relevance: np.ndarray | None = None


class SignalSource(Protocol):
    """What vetting provides, in one call per plan."""

    name: str
    relevance_threshold: float  # the niche filter's minimum on this source's relevance scale

    def factors(
        self, platform: np.ndarray, handle: np.ndarray, target: Target, keywords: Sequence[str]
    ) -> SourceFactors: ...


def resolve(
    cands: Candidates,
    target: Target,
    keywords: Sequence[str],
    source: SignalSource | None = None,
) -> Signals:
    """Signals for every candidate: the source's values where it has them, the defaults elsewhere."""
    n = len(cands)
    auth = np.ones(n)
    auth_src = np.full(n, NOT_VETTED, dtype=object)
    fit, fit_src = derived_fit(cands, target)
    rel = keyword_relevance(cands, keywords)
    rel_src = "keyword match in categories and bio"
    threshold = 0.5
    if source is not None:
        got = source.factors(cands.platform, cands.handle, target, keywords)
        if got.authenticity is not None:
            ok = np.isfinite(got.authenticity)
            auth[ok] = np.clip(got.authenticity[ok], 0.0, 1.0)
            labels = got.authenticity_labels
            auth_src[ok] = labels[ok] if labels is not None else source.name
        if got.fit is not None and (
            target.ship_to or target.languages or target.ages or target.genders
        ):
            ok = np.isfinite(got.fit)
            fit[ok] = np.clip(got.fit[ok], 0.0, 1.0)
            labels = got.fit_labels
            fit_src[ok] = labels[ok] if labels is not None else source.name
        if keywords and got.relevance is not None and np.isfinite(got.relevance).all():
            rel = np.clip(got.relevance, 0.0, 1.0)
            rel_src = f"{source.name} relevance"
            threshold = source.relevance_threshold
    return Signals(auth, auth_src, fit, fit_src, rel, rel_src, threshold)


def derived_fit(cands: Candidates, target: Target) -> tuple[np.ndarray, np.ndarray]:
    """Fit from the creator's country and language only (no audience data): low confidence."""
    n = len(cands)
    if not target.ship_to and not target.languages:
        return np.ones(n), np.full(n, NO_TARGET, dtype=object)
    fit = np.ones(n)
    if target.ship_to:
        ship = set(target.ship_to)
        for i in range(n):
            aud = cands.audience_country[i]
            home = aud or cands.country[i]
            share = HOME_SHARE_AUDIENCE if aud else HOME_SHARE_CREATOR
            if not home:
                fit[i] = UNKNOWN_COUNTRY_FIT
            elif home in ship:
                fit[i] = share + (1 - share) * ABROAD_IN_TARGET
            else:
                fit[i] = (1 - share) * ABROAD_IN_TARGET
    if target.languages:
        langs = set(target.languages)
        lang = np.array(
            [
                UNKNOWN_LANGUAGE_FIT if not v else (1.0 if v in langs else OTHER_LANGUAGE_FIT)
                for v in cands.language
            ]
        )
        fit = fit * lang
    return fit, np.full(n, DERIVED, dtype=object)


_TOKEN = re.compile(r"[a-z0-9]{3,}")


def keyword_relevance(cands: Candidates, keywords: Sequence[str]) -> np.ndarray:
    """Best match over the keywords: 1.0 for the whole phrase in categories or bio, else the share
    of the phrase's words found there; 1.0 for everyone when the brief names no niche."""
    n = len(cands)
    if not keywords:
        return np.ones(n)
    phrases = [k.strip().lower() for k in keywords if k.strip()]
    tokens = [set(_TOKEN.findall(p)) for p in phrases]
    out = np.zeros(n)
    for i in range(n):
        text = " ".join([*cands.categories[i], cands.bio[i] or ""]).lower()
        words = set(_TOKEN.findall(text))
        best = 0.0
        for phrase, toks in zip(phrases, tokens, strict=True):
            if phrase and phrase in text:
                best = 1.0
                break
            if toks:
                best = max(best, len(toks & words) / len(toks))
        out[i] = best
    return out
