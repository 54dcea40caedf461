"""The micro-vs-macro frontier: goal value against budget, per single tier and for the best mix.

Policies are compared on the same footing: the brief's target, filters, counts, caps and ROAS
floor apply to every one of them, without its tier shares and must-include creators (a single-tier
policy could not keep those; the frontier names them and what they cost the plan). At each budget
the mix is never worse than a single tier (a single-tier plan is also a mix, and the mix starts
from the best of them) nor, at the brief's budget, than the plan itself, and no policy is worse
than at a smaller budget (the smaller budget's plan still fits). These hold for the exact expected
values, which are what the frontier shows; the Monte Carlo only draws the band around them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from creatormix.domain.brief import Brief
from creatormix.domain.numbers import quantity
from creatormix.domain.plan import Quantiles
from creatormix.domain.plan_result import Frontier, FrontierPoint
from creatormix.domain.query import Progress, no_progress
from creatormix.planning import simulate
from creatormix.planning.context import Context, Result

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


def dropped_rules(brief: Brief) -> tuple[str, ...]:
    """The brief's rules the frontier leaves out, in words."""
    out = []
    for share in brief.tier_shares:
        if share.min:
            out.append(f"{share.tier} share >= {share.min:.0%}")
        if share.max is not None and share.max < 1:
            out.append(f"{share.tier} share <= {share.max:.0%}")
    if brief.must_include:
        out.append("must include " + ", ".join(brief.must_include))
    return tuple(out)


def _gap(bound: float, value: float) -> float:
    if not np.isfinite(bound) or bound <= 0:
        return 0.0
    return max(0.0, (bound - value) / bound)


def compute(
    ctx: Context,
    *,
    budgets: Sequence[float] | None = None,
    scenarios: int = 600,
    seed: int = 0,
    time_limit: float = 3.0,
    progress: Progress = no_progress,
    plan_x: np.ndarray | None = None,
    plan_goal: Quantiles | None = None,
    plan_bound: float | None = None,
) -> Frontier:
    """Every policy's best plan at every budget of the grid.

    Values are exact expectations (the optimiser's objective); a Monte Carlo of ``scenarios`` gives
    only the P10-P90 band. ``plan_x``, the brief's own plan, seeds the mix at the brief's budget
    (it keeps every rule the frontier keeps), so the best mix is never below the plan there.
    ``plan_goal`` is the plan's own simulated goal: a point that buys exactly the plan shows that
    band, so one screen never quotes two Monte Carlos of one plan. ``plan_bound``, the bound the
    plan proved, also bounds the mix at the brief's budget when the frontier drops none of the
    brief's rules (it is then the same problem), so a plan proven optimal is optimal there too.
    """
    brief = ctx.brief
    grid = tuple(budgets) if budgets else budget_grid(brief)
    margin = 1.0 - brief.budget_margin
    opt_tier = ctx.cands.tier[ctx.options.creator]
    present = [t for t in TIERS if (opt_tier == t).any()]
    prev: dict[str, np.ndarray] = {}
    points: list[FrontierPoint] = []
    total = len(grid) * (len(present) + 1)
    done = 0
    plan_value = ctx.objective(plan_x) if plan_x is not None and plan_x.any() else None
    rules_cost = None
    profit = ctx.metric == "profit"
    none_note = "no profitable plan" if profit else "no feasible plan"

    def best_of(
        r: Result, extra: list[np.ndarray], policy: str
    ) -> tuple[np.ndarray, float, float] | None:
        cands = [(r.x, r.value)] if r.feasible and r.x.any() else []
        cands += [(x, ctx.objective(x)) for x in extra if x.any()]
        if policy in prev:  # the smaller budget's plan still fits: never worse with more budget
            cands.append((prev[policy], ctx.objective(prev[policy])))
        if profit:  # a plan that loses money is no plan: buying nothing loses nothing
            cands = [c for c in cands if c[1] > 0]
        if not cands:
            return None
        x, value = max(cands, key=lambda c: c[1])
        prev[policy] = x
        return x, value, _gap(r.bound, value) if r.feasible else 0.0

    for budget in grid:
        spend_cap = budget * margin
        sols: dict[str, tuple[np.ndarray, float, float]] = {}
        for tier in present:
            r = ctx.solve(
                spend_cap,
                option_mask=opt_tier == tier,
                tier_shares=False,
                must=False,
                rel_gap=1e-3,
                time_limit=time_limit,
                quick=True,
            )
            found = best_of(r, [], tier)
            if found is not None:
                sols[tier] = found
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
        # every single-tier plan is also a mix, and so is the plan at its own budget
        seeds = [x for x, _, _ in sols.values()]
        at_plan = plan_x is not None and abs(budget - brief.budget) < 1e-9
        if at_plan and plan_x is not None:
            seeds.append(plan_x)
        if at_plan and plan_bound is not None and not dropped_rules(brief) and r.feasible:
            r = replace(r, bound=min(r.bound, plan_bound))
        found = best_of(r, seeds, "mix")
        if found is not None:
            sols["mix"] = found
            if at_plan and plan_value is not None and dropped_rules(brief):
                rules_cost = max(0.0, found[1] - plan_value)
        done += 1
        progress("frontier", done, total)
        for policy in [*present, "mix"]:
            if policy not in sols:
                points.append(FrontierPoint(policy, budget, None, note=none_note))
                continue
            x, value, gap = sols[policy]
            if plan_goal is not None and plan_x is not None and np.array_equal(x, plan_x):
                q = plan_goal
            else:
                q = simulate.run(
                    ctx, x, scenarios=scenarios, seed=seed, metrics=()
                ).goal_quantiles()
            points.append(
                FrontierPoint(
                    policy=policy,
                    budget=budget,
                    value=Quantiles(float(value), q.p10, q.p50, q.p90),
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
    frontier = Frontier(
        ctx.metric,
        ctx.unit,
        grid,
        tuple(points),
        "",
        dropped_rules(brief),
        plan_value,
        rules_cost,
    )
    return replace(frontier, answer=answer(frontier, brief))


def _fmt(x: float) -> str:
    """A quantity as the CLI's tables write it (one rule: ``domain.numbers.quantity``)."""
    return quantity(x)


def _money(x: float, currency: str) -> str:
    return f"{_fmt(x)} {currency}"


def _pct(x: float) -> str:
    """A share in words that never rounds a real difference away ("0.4%", "<0.1%", "12%")."""
    if x <= 0:
        return "0%"
    if x < 0.001:
        return "<0.1%"
    return f"{x:.1%}" if x < 0.1 else f"{x:.0%}"


def _join(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def answer(f: Frontier, brief: Brief) -> str:
    """The plain-words answer to "micro or macro?" for this brief, read off the frontier.

    Every number is an exact expected value (``FrontierPoint.objective``); only the P10-P90 range
    comes from the Monte Carlo, and the words are chosen from the same numbers they quote.
    """
    budget = brief.budget
    at = {p.policy: p for p in f.points if p.budget == budget and p.value is not None}
    mix = at.get("mix")
    if mix is None or mix.value is None or mix.objective <= 0:
        if f.metric == "profit":
            return (
                f"No plan is expected to make a profit at {_money(budget, brief.currency)}: no "
                "mix of creators returns its cost at these assumptions (order value, margin, "
                "costs)."
            )
        return (
            "No tier delivers anything measurable at this budget; widen the filters or the budget."
        )
    singles = sorted(
        ((p.policy, p.objective) for p in at.values() if p.policy != "mix"),
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
    best = mix.objective
    lines.append(
        f"At {_money(budget, cur)} the best mix delivers {_fmt(best)} {f.unit} "
        f"(Monte Carlo P10-P90 {_fmt(q.p10)}-{_fmt(q.p90)}) and spends {shares}."
    )
    if f.dropped:
        text = f"It ignores your {_join(list(f.dropped))}"
        if f.rules_cost is not None and f.plan_value is not None:
            cost_share = f.rules_cost / best if best > 0 else 0.0
            text += (
                f": those rules cost {_fmt(f.rules_cost)} {f.unit} ({_pct(cost_share)}) against the"
                f" unconstrained mix (your plan: {_fmt(f.plan_value)})"
            )
        lines.append(text + ".")
    if singles:
        best_t, best_v = singles[0]
        loss = max(0.0, 1 - best_v / best)
        if loss <= 0.02:
            lines.append(
                f"{best_t.capitalize()} creators alone do as well ({_fmt(best_v)}, "
                f"{_pct(loss)} less): at this budget the answer is {best_t}."
            )
        else:
            lines.append(
                f"The best single tier, {best_t}, delivers {_fmt(best_v)} ({_pct(loss)} less than the mix)."
            )
        worst = [t for t, v in singles[1:] if v / best < 0.5]
        if worst:
            lines.append(
                f"{_join([f'{t}-' for t in worst[:-1]] + [worst[-1]]).capitalize()}-only plans "
                "would deliver less than half as much."
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
