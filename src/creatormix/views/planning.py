"""What a plan says: its heading, the creators chosen and why, the totals with their quantiles,
the budget by tier, how close to optimal, the frontier (micro or macro?), the strong creators
left out and the notes; ``to_json()`` is ``plan --json``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from creatormix.domain.plan import amount
from creatormix.domain.plan_result import Frontier, Plan, PlanSummary
from creatormix.views._json import jsonable
from creatormix.views.format import (
    fmt_count,
    fmt_followers,
    fmt_money,
    gap,
    quantiles,
    share,
)

Column = tuple[str, str]  # (label, "left" or "right")
REASONS_SHOWN = 12  # picks whose reasons the view lists; --json and the CSV have all

_UNITS = {
    "engagements": "engagements",
    "reach": "reach",
    "revenue": "revenue",
    "profit": "profit",
    "content": "pieces",
    "followers_gained": "followers",
    "score": "score",
}
_NO_TIER = "no candidates in this tier"


@dataclass(frozen=True)
class FrontierView:
    title: str
    caption: str | None
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    answer: str  # the answer to "micro or macro?"


@dataclass(frozen=True)
class PlanView:
    title: str  # "Plan #3 — Spring"
    summary: str  # goal, budget, risk margin, candidates
    picks_title: str
    pick_columns: tuple[Column, ...]
    picks: tuple[tuple[str, ...], ...]
    reasons: tuple[tuple[str, str], ...]  # (handle, its first three reasons)
    more_reasons: str | None
    totals_note: str
    totals: tuple[tuple[str, str], ...]  # (label, value), label padded to ``label_width``
    label_width: int
    chance: tuple[str, str] | None  # (the target as words, its probability)
    tier_shares: str
    optimality: str | None
    frontier: FrontierView | None
    left_out: tuple[tuple[str, str, str, str], ...]  # creator, tier, why, detail
    notes: tuple[str, ...]
    data: dict[str, object]

    def to_json(self) -> dict[str, object]:
        return jsonable(self.data)  # type: ignore[no-any-return]


def plan_json(p: Plan) -> dict[str, object]:
    """The plan as JSON: the record fields campaigns read, then everything else."""
    data: dict[str, object] = jsonable(p)
    if not p.plan_id:  # not saved (--no-save): it has no number
        data["plan_id"] = None
    data["optimality"] = (
        {**jsonable(p.optimality), "ratio": p.optimality.ratio} if p.optimality else None
    )
    data["priors_from_brand_data"] = [
        f"{x.platform}/{x.tier}/{x.metric}" for x in p.priors if x.from_brand_data
    ]
    return data


def plan_view(p: Plan) -> PlanView:
    title = f"Plan #{p.plan_id}" if p.plan_id else "Plan (not saved)"
    if p.name:
        title += f" — {p.name}"
    b = p.brief
    summary = (
        f"{p.goal.value}, budget {fmt_money(p.budget, p.currency)}"
        + (f" (risk margin {b.budget_margin:.0%})" if b.budget_margin else "")
        + f"; {p.candidates:,} candidate creators"
    )
    picks = p.picks
    more = len(picks) - REASONS_SHOWN
    totals, width, chance = _totals(p)
    return PlanView(
        title=title,
        summary=summary,
        picks_title=f"{len(p.selections)} creators chosen",
        pick_columns=_pick_columns(p),
        picks=tuple(_pick_row(p, s) for s in picks),
        reasons=tuple((s.handle, "; ".join(s.reasons[:3])) for s in picks[:REASONS_SHOWN]),
        more_reasons=f"… and {more} more (--json or --export for all)" if more > 0 else None,
        totals_note="(expected value, then P10 · P50 · P90 from a Monte Carlo of "
        f"{b.scenarios:,} scenarios; P10 = 9 in 10 plans do at least this well)",
        totals=totals,
        label_width=width,
        chance=chance,
        tier_shares=", ".join(f"{t} {share(v)}" for t, v in p.tier_shares.items()) or "—",
        optimality=_optimality(p),
        frontier=frontier_view(p.frontier, p.currency) if p.frontier is not None else None,
        left_out=tuple(("@" + x.handle, x.tier or "—", x.reason, x.detail) for x in p.left_out),
        notes=tuple(p.notes),
        data=plan_json(p),
    )


def _pick_columns(p: Plan) -> tuple[Column, ...]:
    unit = _UNITS.get(p.metric, p.metric)
    return (
        ("creator", "left"),
        ("tier", "left"),
        ("platform", "left"),
        ("followers", "right"),
        ("deal", "left"),
        ("cost", "right"),
        (unit, "right"),
        ("P10–P90", "right"),
        (f"/1k {p.currency}", "right"),
    )


def _pick_row(p: Plan, s: Any) -> tuple[str, ...]:
    money_metric = p.metric in {"revenue", "profit"}
    own = (lambda v: fmt_money(v, p.currency)) if money_metric else fmt_count
    # the pick's own outcome in the goal's unit; plans saved before picks kept it show none
    q = s.goal or s.expected.get(p.metric)
    return (
        "@" + s.handle,
        s.tier or "—",
        s.platform,
        fmt_followers(s.followers),
        s.deal_type.value + (f" {s.probability:.0%}" if s.probability < 1 else ""),
        fmt_money(s.committed_cost, p.currency),
        fmt_count(s.marginal_value)
        if not money_metric
        else fmt_money(s.marginal_value, p.currency),
        f"{own(q.p10)}–{own(q.p90)}" if q else "—",
        fmt_count(s.value_per_cost * 1000),
    )


def _totals(p: Plan) -> tuple[tuple[tuple[str, str], ...], int, tuple[str, str] | None]:
    b = p.brief
    assumed = {x.metric for x in p.priors if x.origin == "assumption"}
    labels = {
        "reach": "unique reach (target)" if b.target.restricts else "unique reach",
        "engagements": "engagements",
        "clicks": "clicks",
        "conversions": "orders",
        "revenue": "revenue",
        "content": "content pieces",
        "followers_gained": "followers gained"
        + (" (assumed rate)" if "follow_rate" in assumed else ""),
        "profit": "profit",
        "score": "mix score",
    }
    w = max([24, *(len(labels.get(m, m)) + 1 for m in p.totals)])
    rows = []
    for metric, q in p.totals.items():
        money = p.currency if metric in {"revenue", "profit"} else None
        mark = "  ← goal" if metric == p.metric else ""
        rows.append((labels.get(metric, metric), f"{quantiles(q, money)}{mark}"))
    rows.append(
        (
            "cost",
            f"{fmt_money(p.expected_cost, p.currency)} expected, "
            f"{fmt_money(p.committed_cost, p.currency)} committed",
        )
    )
    if "revenue" in p.totals and p.expected_cost > 0 and p.totals["revenue"].mean > 0:
        rows.append(("ROAS", f"{p.totals['revenue'].mean / p.expected_cost:.2f} expected"))
    chance = None
    if p.target_probability is not None and b.target_value is not None:
        chance = (amount(p.metric, b.target_value, p.currency), f"{p.target_probability:.0%}")
    return tuple(rows), w, chance


def _optimality(p: Plan) -> str | None:
    o = p.optimality
    if o is None:
        return None
    if o.gap is None:
        return o.note
    proof = "proven optimal" if o.gap <= 1e-9 else f"within {o.gap:.3%} of the proven bound"
    return f"{proof} ({o.method})"


def frontier_view(f: Frontier, currency: str) -> FrontierView:
    """Outcome by budget for each single tier and the best mix, with the answer in words."""
    missing = {p.note for p in f.points if p.value is None and p.note}
    notes = (
        [
            f"The frontier ignores your {', '.join(f.dropped)} (a single tier could not keep them)"
            + (
                f"; they cost {fmt_count(f.rules_cost)} against the unconstrained mix"
                if f.rules_cost is not None
                else ""
            )
        ]
        if f.dropped
        else []
    )
    if any(p.value is None and p.policy != "mix" for p in f.points if p.note != _NO_TIER):
        notes.append("—: " + " / ".join(sorted(missing - {_NO_TIER})) + " for that tier alone")
    tiers = ["nano", "micro", "mid", "macro", "mega"]
    present = [pol for pol in tiers if any(p.value is not None for p in f.series(pol))] + ["mix"]
    columns: list[Column] = [("budget", "right")]
    columns += [("best mix" if pol == "mix" else f"{pol} only", "right") for pol in present]
    columns.append(("mix within", "right"))
    rows = []
    for b in f.budgets:
        row = [fmt_money(b, currency)]
        mix = None
        for pol in present:
            pt = next((p for p in f.points if p.policy == pol and p.budget == b), None)
            row.append(fmt_count(pt.objective) if pt and pt.value else "—")
            if pol == "mix" and pt and pt.value:
                mix = pt
        if mix is None:  # say why the row is empty rather than leave it blank
            none = next((p for p in f.points if p.policy == "mix" and p.budget == b), None)
            row[-1] = none.note if none is not None and none.note else "—"
        row.append(gap(mix.gap) if mix else "—")
        rows.append(tuple(row))
    return FrontierView(
        title=f"Frontier: expected {f.unit} by budget (exact expected values)",
        caption="; ".join(notes) or None,
        columns=tuple(columns),
        rows=tuple(rows),
        answer=f.answer,
    )


@dataclass(frozen=True)
class PlanListView:
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]


def plans_view(rows: list[PlanSummary]) -> PlanListView:
    """Saved plans: number, when, name, goal, budget, creators, committed, expected value."""
    columns = tuple(
        (col, "right" if col in {"#", "budget", "creators", "committed"} else "left")
        for col in (
            "#",
            "created",
            "name",
            "goal",
            "budget",
            "creators",
            "committed",
            "expected (P10-P90)",
        )
    )
    out = []
    for r in rows:
        q = r.value
        out.append(
            (
                str(r.plan_id),
                r.created_at.strftime("%Y-%m-%d %H:%M"),
                r.name or "—",
                r.goal,
                fmt_money(r.budget, r.currency),
                str(r.creators),
                fmt_money(r.committed_cost, r.currency),
                f"{amount(r.metric, q.mean, r.currency)} ({fmt_count(q.p10)}-{fmt_count(q.p90)})"
                if q
                else "—",
            )
        )
    return PlanListView(f"{len(rows)} saved plan(s)", columns, tuple(out))
