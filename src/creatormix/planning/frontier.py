"""The micro-vs-macro frontier: goal value against budget, per single tier and for the best mix.

Policies are compared on the same footing: the brief's target, filters, counts, caps and ROAS
floor apply to every one of them, without its tier shares and must-include creators (a single-tier
policy could not keep those). At each budget the mix is never worse than a single tier (a
single-tier plan is also a mix, and the mix starts from the best of them) and no policy is worse
than at a smaller budget (the smaller budget's plan still fits).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from creatormix.domain.brief import Brief
from creatormix.domain.plan import Quantiles
from creatormix.domain.plan_result import Frontier, FrontierPoint
from creatormix.domain.query import Progress, no_progress
from creatormix.planning import simulate
from creatormix.planning.context import Context

TIERS = ("nano", "micro", "mid", "macro", "mega")
GRID = (0.25, 0.5, 0.75, 1.0, 1.5, 2.0)


def budget_grid(brief: Brief) -> tuple[float, ...]:
    if brief.frontier_budgets:
        return tuple(sorted(set(brief.frontier_budgets) | {brief.budget}))
    return tuple(sorted({round(brief.budget * f, 2) for f in GRID}))


def tier_shares(ctx: Context, x: np.ndarray) -> dict[str, float]:
    cost = ctx.options.committed[x]
    total = float(cost.sum())
    if total <= 0:
        return {}
    tiers = ctx.cands.tier[ctx.options.creator[x]]
    out: dict[str, float] = {}
    for t, c in zip(tiers, cost, strict=True):
        out[str(t)] = out.get(str(t), 0.0) + float(c) / total
    return dict(sorted(out.items(), key=lambda kv: TIERS.index(kv[0]) if kv[0] in TIERS else 9))


def compute(
    ctx: Context,
    *,
    budgets: Sequence[float] | None = None,
    scenarios: int = 600,
    seed: int = 0,
    time_limit: float = 3.0,
    progress: Progress = no_progress,
) -> Frontier:
    brief = ctx.brief
    grid = tuple(budgets) if budgets else budget_grid(brief)
    margin = 1.0 - brief.budget_margin
    opt_tier = ctx.cands.tier[ctx.options.creator]
    present = [t for t in TIERS if (opt_tier == t).any()]
    prev: dict[str, np.ndarray] = {}
    points: list[FrontierPoint] = []
    total = len(grid) * (len(present) + 1)
    done = 0
    for budget in grid:
        spend_cap = budget * margin
        sols: dict[str, tuple[np.ndarray, float, float]] = {}
        for tier in present:
            mask = opt_tier == tier
            r = ctx.solve(
                spend_cap,
                option_mask=mask,
                tier_shares=False,
                must=False,
                rel_gap=1e-3,
                time_limit=time_limit,
                quick=True,
            )
            cands = [(r.x, r.value, r.gap)] if r.feasible else []
            if tier in prev:
                cands.append((prev[tier], ctx.objective(prev[tier]), 0.0))
            if cands:
                sols[tier] = max(cands, key=lambda c: c[1])
                prev[tier] = sols[tier][0]
            done += 1
            progress("frontier", done, total)
        r = ctx.solve(
            spend_cap,
            tier_shares=False,
            must=False,
            rel_gap=1e-3,
            time_limit=time_limit,
            quick=True,
        )
        mix_cands = [(r.x, r.value, r.gap)] if r.feasible else []
        mix_cands += [(x, v, 0.0) for x, v, _ in sols.values()]
        if "mix" in prev:
            mix_cands.append((prev["mix"], ctx.objective(prev["mix"]), 0.0))
        if mix_cands:
            best = max(mix_cands, key=lambda c: c[1])
            # the mix's gap is the solver's own; a single-tier plan that beat it proves nothing more
            sols["mix"] = (best[0], best[1], r.gap if r.feasible else 0.0)
            prev["mix"] = best[0]
        done += 1
        progress("frontier", done, total)
        for policy in [*present, "mix"]:
            if policy not in sols:
                points.append(FrontierPoint(policy, budget, None, note="no feasible plan"))
                continue
            x, value, gap = sols[policy]
            draws = simulate.run(ctx, x, scenarios=scenarios, seed=seed, metrics=())
            q = draws.goal_quantiles()
            points.append(
                FrontierPoint(
                    policy=policy,
                    budget=budget,
                    value=q,
                    objective=float(value),
                    spend=float(ctx.options.committed[x].sum()),
                    creators=int(x.sum()),
                    gap=gap,
                    tier_shares=tier_shares(ctx, x),
                )
            )
        for tier in TIERS:
            if tier not in present:
                points.append(FrontierPoint(tier, budget, None, note="no candidates in this tier"))
    frontier = Frontier(ctx.metric, ctx.unit, grid, tuple(points), "")
    return Frontier(ctx.metric, ctx.unit, grid, tuple(points), answer(frontier, brief))


def _fmt(x: float) -> str:
    a = abs(x)
    for div, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if a >= div:
            v = x / div
            return f"{v:.1f}{suffix}" if abs(v) < 100 else f"{v:.0f}{suffix}"
    return f"{x:,.0f}" if a >= 100 else f"{x:.3g}"


def _money(x: float, currency: str) -> str:
    return f"{_fmt(x)} {currency}"


def answer(f: Frontier, brief: Brief) -> str:
    """The plain-words answer to "micro or macro?" for this brief, read off the frontier."""
    budget = brief.budget
    at = {p.policy: p for p in f.points if p.budget == budget}
    mix = at.get("mix")
    if mix is None or mix.value is None or mix.value.mean <= 0:
        return (
            "No tier delivers anything measurable at this budget; widen the filters or the budget."
        )
    singles = sorted(
        (
            (p.policy, p.value.mean)
            for p in at.values()
            if p.policy != "mix" and p.value is not None
        ),
        key=lambda kv: -kv[1],
    )
    cur = brief.currency
    lines = []
    shares = ", ".join(
        f"{s:.0%} {t}"
        for t, s in sorted(mix.tier_shares.items(), key=lambda kv: -kv[1])
        if s >= 0.01
    )
    q = mix.value
    lines.append(
        f"At {_money(budget, cur)} the best mix delivers {_fmt(q.mean)} {f.unit} "
        f"(P10-P90 {_fmt(q.p10)}-{_fmt(q.p90)}) and spends {shares}."
    )
    if singles:
        best_t, best_v = singles[0]
        loss = 1 - best_v / q.mean if q.mean > 0 else 0
        if loss <= 0.02:
            lines.append(
                f"{best_t.capitalize()} creators alone do as well (within {max(loss, 0):.0%}): "
                f"at this budget the answer is {best_t}."
            )
        else:
            lines.append(
                f"The best single tier, {best_t}, delivers {_fmt(best_v)} ({loss:.0%} less than the mix)."
            )
        worst = [t for t, v in singles[1:] if q.mean > 0 and v / q.mean < 0.5]
        if worst:
            lines.append(
                f"{', '.join(t.capitalize() for t in worst)}-only would deliver less than half as much."
            )
    # how the answer moves with budget
    lo = [p for p in f.points if p.policy == "mix" and p.value is not None]
    if len(lo) >= 2:
        first, last = lo[0], lo[-1]
        top_first = (
            max(first.tier_shares.items(), key=lambda kv: kv[1])[0] if first.tier_shares else None
        )
        top_last = (
            max(last.tier_shares.items(), key=lambda kv: kv[1])[0] if last.tier_shares else None
        )
        if top_first and top_last and top_first != top_last:
            lines.append(
                f"The mix shifts with budget: mostly {top_first} at {_money(first.budget, cur)}, "
                f"mostly {top_last} at {_money(last.budget, cur)}."
            )
        elif top_first:
            lines.append(
                f"From {_money(first.budget, cur)} to {_money(last.budget, cur)} the mix stays mostly {top_first}."
            )
    return " ".join(lines)


def quantile_or_none(
    points: Sequence[FrontierPoint], policy: str, budget: float
) -> Quantiles | None:
    for p in points:
        if p.policy == policy and p.budget == budget:
            return p.value
    return None
