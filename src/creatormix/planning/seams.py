"""The seam where vetting plugs into planning: authenticity, audience fit and niche relevance.

The planner discounts each creator's outcomes by per-creator factors and filters by a score:

* **audience authenticity** in [0, 1]: the share of the creator's followers that are real people
  (1 - fake share, measured from a follower sample or the workspace's expected share) times the
  follower flags. It discounts what is derived from follower counts x priors: reach from
  followers x a reach-rate prior, engagements from a prior engagement rate.
* **engagement authenticity** in [0, 1]: the share of the engagement measured on posts that is not
  bought (pods, bought likes or comments). It discounts engagement and views measured on posts,
  which the fake followers never produced: discounting those by the fake share as well would count
  the fakes twice.
* **authenticity** = audience x engagement authenticity: the vetting score / 100, for the brief's
  minimum and for display. 1.0 for all three until vetting supplies them ("not vetted").
* **audience fit** in [0, 1]: the share of the audience the brief can use (in a ship-to country,
  in the age range, of the genders, speaking the languages). Vetting measures it from imported
  audience shares; without a source it is *derived* here from the creator's own country and
  language (``derived_fit``, with ``domain.vetting``'s assumptions, the ones vetting uses),
  stated as low confidence.
* **niche relevance** in [0, 1]: how well the creator matches the brief's niche keywords; the
  niche filter keeps creators at or above the source's ``relevance_threshold``.

A ``SignalSource`` answers for the creators it knows (NaN elsewhere) and ``resolve`` fills the
gaps: with 1.0 when there is no source, with the mean of the source's answers when it answered
for some creators only (a creator is never preferred because nobody vetted it). The workspace
adapts vetting's ``vetting_factors`` to this protocol (``Workspace.planning_signals``); that one
method is the whole integration point.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Protocol

import numpy as np

from creatormix.domain.brief import Target
from creatormix.domain.vetting import assumed_home_fit, combine_fit
from creatormix.planning.candidates import Candidates

DERIVED = "derived from country/language (low confidence)"
NO_TARGET = "no audience target"
NOT_VETTED = "not vetted (1.0)"
NOT_ANSWERED = "not answered by {name}: the mean of its other creators"


@dataclass(frozen=True)
class Signals:
    """Per-creator factors aligned with the candidates (see the module docstring).

    ``audience_authenticity`` and ``engagement_authenticity`` default to ``authenticity``, which
    discounts both sides alike, when a caller gives only the score.
    """

    authenticity: np.ndarray
    authenticity_source: np.ndarray  # object: str per creator
    fit: np.ndarray
    fit_source: np.ndarray
    relevance: np.ndarray
    relevance_source: str
    relevance_threshold: float = 0.5
    audience_authenticity: np.ndarray | None = None
    engagement_authenticity: np.ndarray | None = None

    def __post_init__(self) -> None:
        for name in ("audience_authenticity", "engagement_authenticity"):
            if getattr(self, name) is None:
                object.__setattr__(self, name, self.authenticity)

    @property
    def audience(self) -> np.ndarray:
        """Audience authenticity (never None after construction)."""
        assert self.audience_authenticity is not None
        return self.audience_authenticity

    @property
    def engagement(self) -> np.ndarray:
        """Engagement authenticity (never None after construction)."""
        assert self.engagement_authenticity is not None
        return self.engagement_authenticity

    def take(self, index: np.ndarray) -> Signals:
        """The signals of the creators at ``index`` (integer positions or a mask), in that order."""
        values = {}
        for f in fields(self):
            value = getattr(self, f.name)
            values[f.name] = value[index] if isinstance(value, np.ndarray) else value
        return Signals(**values)


@dataclass(frozen=True)
class SourceFactors:
    """What a source knows, aligned with the creators asked about (NaN or None where it does not).

    ``authenticity`` is the score / 100; ``audience_authenticity`` and ``engagement_authenticity``
    its two parts (module docstring), each ``authenticity`` when the source gives none.
    """

    authenticity: np.ndarray | None = None
    authenticity_labels: np.ndarray | None = None  # object: str per creator
    fit: np.ndarray | None = None
    fit_labels: np.ndarray | None = None
    relevance: np.ndarray | None = None
    audience_authenticity: np.ndarray | None = None
    engagement_authenticity: np.ndarray | None = None


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
    audience, engagement = np.ones(n), np.ones(n)
    fit, fit_src = derived_fit(cands, target)
    rel = keyword_relevance(cands, keywords)
    rel_src = "keyword match in categories and bio"
    threshold = 0.5
    if source is not None:
        got = source.factors(cands.platform, cands.handle, target, keywords)
        if got.authenticity is not None:
            ok = np.isfinite(got.authenticity)
            labels = got.authenticity_labels
            auth_src[ok] = labels[ok] if labels is not None else source.name
            if ok.any() and not ok.all():
                auth_src[~ok] = NOT_ANSWERED.format(name=source.name)
            parts = (
                (auth, got.authenticity),
                (audience, _given(got.audience_authenticity, got.authenticity)),
                (engagement, _given(got.engagement_authenticity, got.authenticity)),
            )
            for out, values in parts:
                _fill(out, values, ok)
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
    return Signals(auth, auth_src, fit, fit_src, rel, rel_src, threshold, audience, engagement)


def _given(values: np.ndarray | None, default: np.ndarray) -> np.ndarray:
    return default if values is None else np.where(np.isfinite(values), values, default)


def _fill(out: np.ndarray, values: np.ndarray, ok: np.ndarray) -> None:
    """``out`` = the source's values where it answered, the mean of those elsewhere."""
    clipped = np.clip(np.nan_to_num(values, nan=1.0), 0.0, 1.0)
    out[ok] = clipped[ok]
    if ok.any() and not ok.all():
        out[~ok] = float(clipped[ok].mean())


def derived_fit(cands: Candidates, target: Target) -> tuple[np.ndarray, np.ndarray]:
    """Fit from the creator's country and language only (no audience data): low confidence.

    The assumptions and the way country and language combine are ``domain.vetting``'s, the same
    as vetting's assumed fit (``assumed_home_fit``, ``combine_fit``).
    """
    n = len(cands)
    if not target.ship_to and not target.languages:
        return np.ones(n), np.full(n, NO_TARGET, dtype=object)
    parts: dict[str, np.ndarray] = {}
    if target.ship_to:
        home = np.array(
            [a or c or "" for a, c in zip(cands.audience_country, cands.country, strict=True)],
            dtype=object,
        )
        known = home != ""
        parts["country"] = assumed_home_fit(known, known & np.isin(home, list(target.ship_to)))
    if target.languages:
        lang = np.array([v or "" for v in cands.language], dtype=object)
        known = lang != ""
        parts["language"] = assumed_home_fit(known, known & np.isin(lang, list(target.languages)))
    fit = np.asarray(combine_fit(parts), dtype=float) * np.ones(n)
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
