"""Why each creator is in the plan, and why the strongest creators left out are out."""

from __future__ import annotations

import numpy as np

from creatormix.domain.plan import DealType
from creatormix.domain.plan_result import LeftOut
from creatormix.planning import coverage
from creatormix.planning.context import Context
from creatormix.planning.seams import DERIVED, NO_TARGET


def _fmt(x: float) -> str:
    a = abs(x)
    for div, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if a >= div:
            v = x / div
            return f"{v:.1f}{suffix}" if abs(v) < 100 else f"{v:.0f}{suffix}"
    return f"{x:.0f}" if a >= 10 else f"{x:.2g}"


def marginal_values(ctx: Context, x: np.ndarray) -> np.ndarray:
    """What the objective loses without each chosen option (0 for options not chosen)."""
    out = np.zeros(len(x))
    chosen = np.flatnonzero(x)
    if ctx.model is None:
        out[chosen] = ctx.value[chosen]
        return out
    p = ctx._bare()
    state = coverage.State(ctx.model, p, ctx.scale, ctx.private)
    for j in chosen:
        state.add(int(j))
    for j in chosen:
        before = state.value
        state.remove(int(j))
        out[j] = before - state.value
        state.add(int(j))
    return out


def reasons(ctx: Context, j: int, marginal: float, per_cost_avg: float) -> tuple[str, ...]:
    """A few short reasons, most telling first."""
    o, c = ctx.options, ctx.cands
    i = int(o.creator[j])
    cur = ctx.brief.currency
    out: list[str] = []
    if ctx.must[i]:
        out.append("required by the brief (must include)")
    cost = float(o.committed[j])
    per = marginal / cost * 1000 if cost > 0 else 0.0
    if per_cost_avg > 0 and cost > 0:
        out.append(
            f"{_fmt(per)} {ctx.metric} per 1,000 {cur} ({per / (per_cost_avg * 1000):.1f}x the plan's average)"
        )
    if ctx.metric in {"engagements", "score"} and np.isfinite(c.er_shrunk[i]):
        src = c.er_source[i]
        basis = {
            "posts": f"{int(c.posts_measured[i])} posts measured",
            "export": "the export's engagement rate",
            "export-averages": "the export's average likes and comments",
        }.get(str(src), "the tier prior, no data of its own")
        out.append(f"engagement rate {c.er_shrunk[i]:.1%} (shrunk; from {basis})")
    if ctx.model is not None and ctx.metric in {"reach", "score"}:
        standalone = float(ctx.option_mean["reach"][j])
        if standalone > 0:
            out.append(
                f"adds {_fmt(marginal if ctx.metric == 'reach' else standalone)} people in the target"
                + (
                    f" ({min(1.0, marginal / standalone):.0%} not reached by other picks)"
                    if ctx.metric == "reach"
                    else ""
                )
            )
    k = int(o.pieces[j])
    reach_src = (
        "measured views" if ctx.outcomes[k].reach_measured[i] else f"the {c.tier[i]} reach prior"
    )
    if ctx.metric in {"reach", "clicks", "revenue", "profit", "followers_gained"}:
        out.append(f"reach from {reach_src}")
    fit_src = str(ctx.signals.fit_source[i])
    if fit_src != NO_TARGET:
        note = "derived from the creator's country and language" if fit_src == DERIVED else fit_src
        out.append(
            f"audience fit {ctx.signals.fit[i]:.0%} ({note})"
            if note
            else f"audience fit {ctx.signals.fit[i]:.0%}"
        )
    deal = o.deal[j]
    if deal is DealType.PAID:
        src = ctx.fees.source[i]
        out.append(
            f"{src} fee {_fmt(float(o.fee[j]))} {cur}"
            if src != "rate card"
            else f"fee {_fmt(float(o.fee[j]))} {cur} from the rate card (no quoted price)"
        )
    else:
        out.append(
            f"{deal.value}: product and shipping, delivers with probability {o.probability[j]:.0%}"
        )
    return tuple(out)


def left_out(ctx: Context, x: np.ndarray, budget: float, limit: int = 8) -> list[LeftOut]:
    """The strongest creators (by value per cost on their own) that the plan did not take."""
    o, c = ctx.options, ctx.cands
    chosen_creator = np.zeros(len(c), dtype=bool)
    chosen_creator[o.creator[x]] = True
    standalone = ctx.option_mean["reach"].copy() if ctx.metric == "reach" else ctx.value.copy()
    ratio = standalone / np.maximum(o.committed, 1e-9)
    cand = np.flatnonzero(~chosen_creator[o.creator] & (standalone > 0))
    if not len(cand):
        return []
    # best option per creator
    order = cand[np.argsort(-ratio[cand])]
    seen: set[int] = set()
    picked: list[int] = []
    for j in order:
        i = int(o.creator[j])
        if i in seen:
            continue
        seen.add(i)
        picked.append(int(j))
        if len(picked) >= limit:
            break
    p, idx = ctx.problem(budget)
    pos = {int(v): k for k, v in enumerate(idx)}
    x_sub = x[idx]
    spent = float(o.committed[x].sum())
    plan_ratios = (ctx.value[x] / np.maximum(o.committed[x], 1e-9)) if x.any() else np.zeros(0)
    marginal_ratio = float(np.min(plan_ratios)) if len(plan_ratios) else 0.0
    gains = None
    if ctx.model is not None:
        state = coverage.State(ctx.model, ctx._bare(), ctx.scale, ctx.private)
        for j in np.flatnonzero(x):
            state.add(int(j))
        gains = state.all_gains()
    out = []
    cur = ctx.brief.currency
    for j in picked:
        i = int(o.creator[j])
        value, cost = float(standalone[j]), float(o.committed[j])
        reason, detail = "budget", ""
        if ctx.signals.fit[i] < 0.3 and ctx.signals.fit_source[i] != NO_TARGET:
            reason, detail = (
                "fit",
                f"only {ctx.signals.fit[i]:.0%} of its audience matches the target",
            )
        elif gains is not None and value > 0 and gains[j] < 0.6 * value:
            reason = "overlap"
            detail = f"{1 - gains[j] / value:.0%} of its audience is already reached by the plan"
        else:
            broken = []
            if j in pos:
                trial = x_sub.copy()
                trial[pos[j]] = True
                broken = [
                    p.rows.names[r]
                    for r in p.rows.violations(trial)
                    if p.rows.groups[r] != "budget"
                ]
            if broken:
                reason, detail = "constraint", "adding it would break: " + "; ".join(broken)
            elif spent + cost > budget:
                detail = (
                    f"costs {_fmt(cost)} {cur}; the plan has {_fmt(max(0.0, budget - spent))} {cur} left and "
                    f"its weakest pick returns {_fmt(marginal_ratio * 1000)} per 1,000 {cur} "
                    f"(this one {_fmt(ratio[j] * 1000)})"
                )
            else:
                detail = "the optimiser found a better combination without it"
        out.append(LeftOut(c.platform[i], c.handle[i], c.tier[i], value, cost, reason, detail))
    return out
