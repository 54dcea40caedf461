"""The seam between vetting and planning: vetting's per-creator factors as the planner's
``SignalSource`` (``planning/seams.py``). The workspace makes one per plan
(``Workspace.planning_signals``); neither pure package imports the other.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from creatormix.domain.vetting import Target


class VettingSignalSource:
    """Vetting's per-creator factors as the planner's ``SignalSource`` (planning/seams.py), asked
    once per plan: what ``Workspace.planning_signals`` returns (docs/vetting.md, "Planner
    contract")."""

    name = "vetting"
    relevance_threshold = 0.1  # BM25 scaled to the best match: a tenth of it still names the niche

    def __init__(self, ws: Any) -> None:  # the Workspace (a VettingOps)
        self.ws = ws

    def factors(self, platform: Any, handle: Any, target: Any, keywords: Sequence[str]) -> Any:
        import numpy as np

        from creatormix.planning.seams import SourceFactors

        vt = _vetting_target(target, keywords)
        keys = list(zip(platform.tolist(), handle.tolist(), strict=True))
        n = len(keys)
        relevance = None
        ask = np.arange(n)
        if keywords:  # score the niche first: creators it filters out need no audit
            scores = self.ws.relevances(keys, vt.keywords)
            relevance = np.array([r.score for r in scores], dtype=float)
            ask = np.flatnonzero(relevance >= self.relevance_threshold)
        f = self.ws.vetting_factors([keys[i] for i in ask], vt)

        def column(values: Sequence[float]) -> Any:
            out = np.full(n, np.nan)
            out[ask] = np.asarray(values, dtype=float)
            return out

        def labels(values: Sequence[str]) -> Any:
            out = np.full(n, "", dtype=object)
            out[ask] = np.array(list(values), dtype=object)
            return out

        return SourceFactors(
            authenticity=column(f.authenticity),
            authenticity_labels=labels(_authenticity_labels(f)),
            fit=column(f.fit),
            fit_labels=labels(_fit_labels(f)),
            relevance=relevance,
            audience_authenticity=column(f.audience_authenticity),
            engagement_authenticity=column(f.engagement_authenticity),
        )


def _authenticity_labels(f: Any) -> list[str]:
    """What each creator's authenticity factor is, as the plan's reasons name it."""
    return [
        f"vetting score {s}/100"
        + ("" if measured else f" (fake followers not measured: assumed {fake:.0%})")
        for s, measured, fake in zip(
            f.authenticity_score, f.fake_measured, f.expected_fake_share, strict=True
        )
    ]


def _fit_labels(f: Any) -> list[str]:
    """Where each creator's audience fit comes from, as the plan's reasons name it."""
    return [
        "measured audience (vetting)"
        if c >= 0.999
        else "partly measured audience (vetting)"
        if c > 0.3
        else "assumed from country/language (vetting, low confidence)"
        for c in f.fit_confidence
    ]


def _vetting_target(target: Any, keywords: Sequence[str]) -> Target:
    """The planner's brief target as vetting's (an age range becomes one band)."""
    ages: tuple[str, ...] = ()
    if target.ages:
        lo, hi = target.ages
        ages = (f"{lo}+",) if hi >= 99 else (f"{lo}-{hi}",)
    return Target(
        countries=tuple(target.ship_to),
        ages=ages,
        genders=tuple(target.genders),
        languages=tuple(target.languages),
        keywords=" ".join(keywords),
    )
