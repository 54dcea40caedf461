"""The frontier as a table of budgets by tier and mix: the same cells for the terminal
(``views.planning.frontier_view``) and for the frontier page (``planning.chart``), so the two can
never disagree. It lives in the domain because both the views and the planner write it, and
siblings may not import each other."""

from __future__ import annotations

from dataclasses import dataclass

from creatormix.domain.numbers import gap, money, quantity, share
from creatormix.domain.plan_result import Frontier, FrontierPoint

Column = tuple[str, str]  # (label, "left" or "right")
TIERS = ("nano", "micro", "mid", "macro", "mega")
NO_TIER = "no candidates in this tier"


@dataclass(frozen=True)
class FrontierTable:
    title: str
    caption: str | None  # the rules every policy ignores, and why a cell is empty
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    answer: str  # the answer to "micro or macro?" in words


def frontier_table(f: Frontier, currency: str) -> FrontierTable:
    """Expected outcome by budget for each single tier with candidates and the best mix, how the
    mix spends by tier, and how close to the proven bound the mix is."""
    present = [t for t in TIERS if any(p.value is not None for p in f.series(t))] + ["mix"]
    columns: list[Column] = [("budget", "right")]
    columns += [("best mix" if t == "mix" else f"{t} only", "right") for t in present]
    columns += [("mix by tier", "left"), ("mix within", "right")]
    rows = []
    for b in f.budgets:
        at = {p.policy: p for p in f.points if p.budget == b}
        row = [money(b, currency)]
        row += [quantity(at[t].objective) if _drawn(at.get(t)) else "—" for t in present]
        mix = at.get("mix")
        if _drawn(mix):
            assert mix is not None
            row += [_spends(mix), gap(mix.gap)]
        else:  # say why the row is empty rather than leave it blank
            row[-1] = mix.note if mix is not None and mix.note else "—"
            row += ["—", "—"]
        rows.append(tuple(row))
    return FrontierTable(
        title=f"Frontier: expected {f.unit} by budget (exact expected values)",
        caption=_caption(f),
        columns=tuple(columns),
        rows=tuple(rows),
        answer=f.answer,
    )


def _drawn(p: FrontierPoint | None) -> bool:
    return p is not None and p.value is not None


def _spends(p: FrontierPoint) -> str:
    """ "micro 62%, macro 38%": the mix's spend by tier, largest first."""
    parts = sorted(p.tier_shares.items(), key=lambda kv: -kv[1])
    return ", ".join(f"{t} {share(s)}" for t, s in parts if s > 0) or "—"


def _caption(f: Frontier) -> str | None:
    notes = []
    if f.dropped:
        text = (
            f"The frontier ignores your {', '.join(f.dropped)} (a single tier could not keep them)"
        )
        if f.rules_cost is not None:
            text += f"; they cost {quantity(f.rules_cost)} against the unconstrained mix"
        notes.append(text)
    missing = {p.note for p in f.points if p.value is None and p.note} - {NO_TIER}
    if any(p.value is None and p.policy != "mix" for p in f.points if p.note != NO_TIER):
        notes.append("—: " + " / ".join(sorted(missing)) + " for that tier alone")
    return "; ".join(notes) or None
