"""The seam where vetting plugs into planning: authenticity, audience fit and niche relevance.

The planner discounts each creator's audience outcomes by two per-creator factors and filters by a
third score:

* **authenticity** in [0, 1]: the share of the creator's audience (and engagement) that is real.
  1.0 until vetting supplies a score (the planner then reports "not vetted").
* **audience fit** in [0, 1]: the share of the audience the brief can use (in a ship-to country,
  in the age range, of the genders, speaking the languages). Measured audience shares give it
  directly (``fit_from_shares``); without them it is *derived* from the creator's own country and
  language (``derived_fit``), stated as low confidence.
* **niche relevance** in [0, 1]: how well the creator matches the brief's niche keywords.

A ``SignalSource`` answers for the creators it knows (NaN elsewhere) and ``resolve`` fills the
gaps with the defaults below. The workspace builds the source from whatever tables exist
(``Workspace.planning_signals``); that one method is the whole integration point.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
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


class SignalSource(Protocol):
    """What vetting provides. Return None, or an array with NaN for creators without data."""

    def authenticity(self, platform: np.ndarray, handle: np.ndarray) -> np.ndarray | None: ...

    def audience_fit(
        self, platform: np.ndarray, handle: np.ndarray, target: Target
    ) -> np.ndarray | None: ...

    def niche_relevance(
        self, platform: np.ndarray, handle: np.ndarray, keywords: Sequence[str]
    ) -> np.ndarray | None: ...


def resolve(
    cands: Candidates,
    target: Target,
    keywords: Sequence[str],
    source: SignalSource | None = None,
    *,
    source_name: str = "vetting",
) -> Signals:
    """Signals for every candidate: the source's values where it has them, the defaults elsewhere."""
    n = len(cands)
    auth = np.ones(n)
    auth_src = np.full(n, NOT_VETTED, dtype=object)
    fit, fit_src = derived_fit(cands, target)
    rel = keyword_relevance(cands, keywords)
    rel_src = "keyword match in categories and bio"
    if source is not None:
        measured = source.authenticity(cands.platform, cands.handle)
        if measured is not None:
            ok = np.isfinite(measured)
            auth[ok] = np.clip(measured[ok], 0.0, 1.0)
            auth_src[ok] = source_name
        measured = source.audience_fit(cands.platform, cands.handle, target)
        if measured is not None:
            ok = np.isfinite(measured)
            fit[ok] = np.clip(measured[ok], 0.0, 1.0)
            fit_src[ok] = f"measured audience ({source_name})"
        if keywords:
            measured = source.niche_relevance(cands.platform, cands.handle, keywords)
            if measured is not None:
                ok = np.isfinite(measured)
                rel[ok] = np.clip(measured[ok], 0.0, 1.0)
                rel_src = f"{source_name} relevance where available, else keyword match"
    return Signals(auth, auth_src, fit, fit_src, rel, rel_src)


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


def fit_from_shares(shares: Mapping[str, Mapping[str, float]], target: Target) -> float | None:
    """Fit of one creator from measured audience shares, for vetting to call.

    ``shares`` maps a dimension ("country", "age", "gender", "language") to category -> share
    (ages as "18-24" bands). Dimensions the target does not constrain, or the data lacks, count as
    1.0; the dimensions multiply (independence between dimensions, an approximation).
    """
    parts = []
    if target.ship_to and "country" in shares:
        parts.append(sum(v for k, v in shares["country"].items() if k.upper() in target.ship_to))
    if target.languages and "language" in shares:
        parts.append(sum(v for k, v in shares["language"].items() if k.lower() in target.languages))
    if target.genders and "gender" in shares:
        parts.append(sum(v for k, v in shares["gender"].items() if k.lower() in target.genders))
    if target.ages and "age" in shares:
        lo, hi = target.ages
        total = 0.0
        for band, v in shares["age"].items():
            b = _band(band)
            if b is None:
                continue
            overlap = max(0, min(hi, b[1]) - max(lo, b[0]) + 1)
            total += v * overlap / (b[1] - b[0] + 1)
        parts.append(total)
    if not parts:
        return None
    out = 1.0
    for p in parts:
        out *= min(1.0, max(0.0, p))
    return out


def _band(text: str) -> tuple[int, int] | None:
    m = re.fullmatch(r"\s*(\d+)\s*[-–]\s*(\d+)\s*", text)
    if m:
        return int(m[1]), int(m[2])
    m = re.fullmatch(r"\s*(\d+)\s*\+\s*", text)
    return (int(m[1]), 99) if m else None


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


@dataclass(frozen=True)
class TableSignals:
    """A ``SignalSource`` over plain lookups, as the workspace reads them from vetting's tables.

    ``authenticity``: (platform, handle) -> factor in [0, 1]; ``audience``: (platform, handle) ->
    dimension -> category -> share (see ``fit_from_shares``); ``relevance``: a function of the
    keywords returning (platform, handle) -> score. Any of them may be empty.
    """

    authenticity_by_key: Mapping[tuple[str, str], float]
    audience_by_key: Mapping[tuple[str, str], Mapping[str, Mapping[str, float]]]

    def authenticity(self, platform: np.ndarray, handle: np.ndarray) -> np.ndarray | None:
        if not self.authenticity_by_key:
            return None
        return np.array(
            [
                self.authenticity_by_key.get((p, h), np.nan)
                for p, h in zip(platform, handle, strict=True)
            ],
            dtype=float,
        )

    def audience_fit(
        self, platform: np.ndarray, handle: np.ndarray, target: Target
    ) -> np.ndarray | None:
        if not self.audience_by_key:
            return None
        out = np.full(len(platform), np.nan)
        for i, key in enumerate(zip(platform, handle, strict=True)):
            shares = self.audience_by_key.get(key)
            if shares:
                fit = fit_from_shares(shares, target)
                if fit is not None:
                    out[i] = fit
        return out

    def niche_relevance(
        self, platform: np.ndarray, handle: np.ndarray, keywords: Sequence[str]
    ) -> np.ndarray | None:
        return None
