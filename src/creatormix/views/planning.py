"""What a plan says: its heading, the creators chosen and why, the totals with their quantiles,
the budget by tier, how close to optimal, the frontier (micro or macro?), the strong creators
left out and the notes; ``to_json()`` is ``plan --json``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from creatormix.domain.numbers import money_range
from creatormix.domain.plan import amount
from creatormix.domain.plan_result import Frontier, Plan, PlanSummary
from creatormix.views._json import jsonable
from creatormix.views.format import (
    fmt_count,
    fmt_followers,
    fmt_money,
    quantiles,
    share,
)

Column = tuple[str, str]  # (label, "left" or "right")
REASONS_SHOWN = 12  # picks whose reasons the view lists; --json and the CSV have all

_UNITS = {
    "engagements": "engagements",
    "reach": "reach",
    "audience": "audience",
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
    reach_objective: str | None  # what unique reach counted, when the goal involves it
    warnings: tuple[str, ...]  # a likely loss or long-shot gifts: said before any figure
    picks_title: str
    pick_columns: tuple[Column, ...]
    picks: tuple[tuple[str, ...], ...]
    reasons: tuple[tuple[str, str], ...]  # (handle, its first three reasons)
    # (handle, what its overlap was measured from) for picks with a follower list or sample
    overlap: tuple[tuple[str, str], ...]
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
        reach_objective=_reach_objective(p),
        warnings=tuple(p.warnings),
        picks_title=f"{len(p.selections)} creators chosen",
        pick_columns=_pick_columns(p),
        picks=tuple(_pick_row(p, s) for s in picks),
        reasons=tuple((s.handle, "; ".join(s.reasons[:3])) for s in picks[:REASONS_SHOWN]),
        overlap=tuple((s.handle, s.overlap) for s in picks if _measured(s.overlap)),
        more_reasons=f"… and {more} more (--json or --export for all)" if more > 0 else None,
        totals_note="(expected value, then P10 · P50 · P90 from a Monte Carlo of "
        f"{b.scenarios:,} scenarios; P10 = 9 in 10 plans do at least this well)",
        totals=totals,
        label_width=width,
        chance=chance,
        tier_shares=_tier_shares(p),
        optimality=_optimality(p),
        frontier=frontier_view(p.frontier, p.currency) if p.frontier is not None else None,
        left_out=tuple(("@" + x.handle, x.tier or "—", x.reason, x.detail) for x in p.left_out),
        notes=tuple(p.notes),
        data=plan_json(p),
    )


_REACH_OBJECTIVES = {
    "audience": "audience (distinct followers of the chosen creators, each counted once)",
    "views": "views (distinct people expected to see at least one post)",
}


def _reach_objective(p: Plan) -> str | None:
    """Which reach objective the plan used, when its goal counts unique reach."""
    if p.metric in {"reach", "audience"} or (p.metric == "score" and p.brief.weights.get("reach")):
        return _REACH_OBJECTIVES.get(p.reach_objective, p.reach_objective)
    return None


def _measured(source: str) -> bool:
    """Whether a pick's overlap rests on follower data (a list or samples), not the model alone."""
    return source.startswith("its ") or "measured from" in source


def _tier_shares(p: Plan) -> str:
    """Spend by tier, then each group the brief bounds together as it named it (nano+micro 55%)."""
    shares = ", ".join(f"{t} {share(v)}" for t, v in p.tier_shares.items())
    combined = [c for c in p.brief.tier_shares if len(c.tiers) > 1]
    if shares and combined:
        shares += "; " + ", ".join(
            f"{c.tier} {share(sum(p.tier_shares.get(t, 0.0) for t in c.tiers))}" for c in combined
        )
    return shares or "—"


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
        (
            money_range(q.p10, q.p90, p.currency, short=False)
            if money_metric
            else f"{own(q.p10)}–{own(q.p90)}"
        )
        if q
        else "—",
        fmt_count(s.value_per_cost * 1000),
    )


def _totals(p: Plan) -> tuple[tuple[tuple[str, str], ...], int, tuple[str, str] | None]:
    b = p.brief
    assumed = {x.metric for x in p.priors if x.origin == "assumption"}
    labels = {
        "reach": "unique reach (target)" if b.target.restricts else "unique reach",
        "audience": "unique audience (target)" if b.target.restricts else "unique audience",
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
    if p.unspent:
        rows.append(("unspent", p.unspent))
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
    proof = (
        "proven optimal" if o.gap <= 1e-9 else f"within {o.gap:.2%} of optimal, by a proven bound"
    )
    return f"{proof} ({o.method})"


def frontier_view(f: Frontier, currency: str) -> FrontierView:
    """Outcome by budget for each single tier and the best mix, how the mix spends by tier, with
    the answer in words: the same cells as the frontier page (``domain.frontier_table``)."""
    from creatormix.domain.frontier_table import frontier_table

    t = frontier_table(f, currency)
    return FrontierView(t.title, t.caption, t.columns, t.rows, t.answer)


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
                f"{amount(r.metric, q.mean, r.currency)} ({_range(r.metric, q, r.currency)})"
                if q
                else "—",
            )
        )
    return PlanListView(f"{len(rows)} saved plan(s)", columns, tuple(out))


def _range(metric: str, q: Any, currency: str) -> str:
    """P10 to P90: money with signed ends (-$1.5k to $5.8k), other quantities with an en dash."""
    if metric in {"revenue", "profit"}:
        return money_range(q.p10, q.p90, currency)
    return f"{fmt_count(q.p10)}–{fmt_count(q.p90)}"
