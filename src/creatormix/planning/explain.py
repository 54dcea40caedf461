"""Why each creator is in the plan, and why the strongest creators left out are out."""

from __future__ import annotations

import numpy as np

from creatormix.domain.benchmarks import er_basis
from creatormix.domain.numbers import money, quantity
from creatormix.domain.plan import DealType, amount
from creatormix.domain.plan_result import LeftOut
from creatormix.planning import coverage
from creatormix.planning.context import Context
from creatormix.planning.seams import DERIVED, NO_TARGET

# Up to this many options, a left-out creator's budget reason is checked by an exact re-solve with
# it required (well under a second each at this size); above it, by swapping it into the plan.
RESOLVE_LIMIT = 200_000
# Below this authenticity (the vetting score / 100) a pick's reasons lead with it: most of what
# its follower count suggests is discounted away, and nothing else it says should read as praise.
LOW_AUTHENTICITY = 0.6
# A plan that leaves more than this share of its budget unspent says why.
UNSPENT_SHARE = 0.05
# Rules are tested against this many of the best affordable creators left out.
UNSPENT_TESTED = 50


def _fmt(x: float) -> str:
    """A quantity as the CLI's tables write it (one rule: ``domain.numbers.quantity``)."""
    return quantity(x)


def _signed(metric: str, value: float, currency: str) -> str:
    """An amount of the goal metric in words; money as money (-$84 of profit, $1.2k of revenue)."""
    if metric in {"profit", "revenue"}:
        return f"{money(value, currency, short=True)} of {metric}"
    return amount(metric, value, currency)


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


def reasons(
    ctx: Context,
    j: int,
    marginal: float,
    per_cost_avg: float,
    binding: list[str] | None = None,
) -> tuple[str, ...]:
    """A few short reasons, most telling first.

    ``marginal`` is what the plan loses without this pick while every other pick stays (for an
    additive goal that is its own value); ``binding`` the rules the plan would break without it.
    """
    o, c = ctx.options, ctx.cands
    i = int(o.creator[j])
    cur = ctx.brief.currency
    out: list[str] = []
    if ctx.must[i]:
        out.append("required by the brief (must include)")
    cost = float(o.committed[j])
    per = marginal / cost * 1000 if cost > 0 else 0.0
    ratio = per / (per_cost_avg * 1000) if per_cost_avg > 0 else 0.0
    rules = (
        "kept for the brief's rules: without it the plan breaks " + "; ".join(binding)
        if binding
        else None
    )
    if rules and ratio < 1:  # a weak pick on its own: the rule is the reason it is bought
        out.append(rules)
    if marginal < 0 and cost > 0:  # kept at a loss: only the brief's rules keep it
        out.append(
            f"expected to lose {_signed(ctx.metric, -marginal, cur)} (removing it, the other "
            f"picks kept, would gain that)"
        )
    elif per_cost_avg > 0 and cost > 0:
        out.append(
            f"{_signed(ctx.metric, per, cur)} per {money(1000, cur)} ({ratio:.2g}x the plan's average; "
            f"removing it, the other picks kept, loses {_signed(ctx.metric, marginal, cur)})"
        )
    if rules and ratio >= 1:
        out.append(rules)
    auth, auth_src = float(ctx.signals.authenticity[i]), str(ctx.signals.authenticity_source[i])
    if auth < LOW_AUTHENTICITY:  # among the first reasons shown: it is why its value is low
        out.insert(
            min(len(out), 1),
            f"low authenticity {auth:.0%} ({auth_src or 'vetting'}): its value counts only the "
            "real part of its audience and engagement",
        )
    if ctx.metric in {"engagements", "score"} and np.isfinite(c.er_shrunk[i]):
        src = c.er_source[i]
        basis = {
            "posts": f"{int(c.posts_measured[i])} posts measured",
            "export": "the export's engagement rate",
            "export-averages": "the export's average likes and comments",
            "implausible": "the tier prior: its own rate is implausible, above 100%",
        }.get(str(src), "the tier prior, no data of its own")
        unit = er_basis(str(c.platform[i]))[:-1]
        out.append(f"engagement rate {c.er_shrunk[i]:.1%} per {unit} (shrunk; from {basis})")
    if ctx.model is not None and ctx.metric in {"reach", "audience", "score"}:
        reach_metric = ctx.reach_metric
        standalone = float(ctx.option_mean[reach_metric][j])
        own = ctx.metric == reach_metric
        who = "followers" if reach_metric == "audience" else "people"
        if standalone > 0:
            out.append(
                f"adds {_fmt(marginal if own else standalone)} {who}"
                + (" in the target" if ctx.brief.target.restricts else "")
                + (
                    f" ({min(1.0, marginal / standalone):.0%} not reached by other picks)"
                    if own
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


def binding_rules(ctx: Context, x: np.ndarray, budget: float) -> dict[int, list[str]]:
    """For each chosen option, the brief's rules the plan would break without it.

    A pick of little value of its own is often bought for a rule (a minimum tier share, a minimum
    number of creators): that rule, not its value, is why it is in.
    """
    p, idx = ctx.problem(budget)
    pos = {int(v): k for k, v in enumerate(idx)}
    x_sub = x[idx]
    out: dict[int, list[str]] = {}
    for j in np.flatnonzero(x):
        k = pos.get(int(j))
        if k is None:
            continue
        trial = x_sub.copy()
        trial[k] = False
        broken = [p.rows.names[r] for r in p.rows.violations(trial) if p.rows.groups[r] != "budget"]
        if broken:
            out[int(j)] = broken
    return out


def _fit_matters(ctx: Context) -> bool:
    """Whether the goal value scales with audience fit (content pieces do not)."""
    return ctx.metric != "content"


def left_out(
    ctx: Context,
    x: np.ndarray,
    budget: float,
    limit: int = 8,
    *,
    time_limit: float = 2.0,
) -> list[LeftOut]:
    """The strongest creators (by value per cost on their own) that the plan did not take.

    Each gets the reason that really kept it out, tested rather than guessed: a rule it would
    break; its audience fit, only when it is below the chosen creators' and the median chosen fit
    would have made it worth more per unit of cost than the weakest pick; overlap with the plan's
    audience; or, for the budget, what the best plan that includes it delivers (a re-solve with
    the creator required).
    """
    o, c = ctx.options, ctx.cands
    chosen_creator = np.zeros(len(c), dtype=bool)
    chosen_creator[o.creator[x]] = True
    standalone = (
        ctx.option_mean[ctx.metric].copy()
        if ctx.metric in {"reach", "audience"}
        else ctx.value.copy()
    )
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
    marg = marginal_values(ctx, x)
    plan_ratios = marg[x] / np.maximum(o.committed[x], 1e-9) if x.any() else np.zeros(0)
    weakest = float(np.min(plan_ratios)) if len(plan_ratios) else 0.0
    chosen_fit = ctx.signals.fit[o.creator[x]]
    min_fit = float(chosen_fit.min()) if len(chosen_fit) else 1.0
    median_fit = float(np.median(chosen_fit)) if len(chosen_fit) else 1.0
    gains = None
    if ctx.model is not None:
        state = coverage.State(ctx.model, ctx._bare(), ctx.scale, ctx.private)
        for j in np.flatnonzero(x):
            state.add(int(j))
        gains = state.all_gains()
    out = []
    cur = ctx.brief.currency
    left = max(0.0, budget - spent)
    for j in picked:
        i = int(o.creator[j])
        value, cost = float(standalone[j]), float(o.committed[j])
        fit = float(ctx.signals.fit[i])
        reason, detail = "budget", ""
        raised = value * median_fit / fit if fit > 0 else np.inf
        broken = []
        if j in pos:
            trial = x_sub.copy()
            trial[pos[j]] = True
            broken = [
                p.rows.names[r] for r in p.rows.violations(trial) if p.rows.groups[r] != "budget"
            ]
        if cost > budget:
            detail = f"costs {_fmt(cost)} {cur}, more than the whole budget ({_fmt(budget)} {cur})"
        elif broken:
            reason, detail = "constraint", "adding it would break: " + "; ".join(broken)
        elif (
            _fit_matters(ctx)
            and ctx.signals.fit_source[i] != NO_TARGET
            and fit < min_fit
            and raised / max(cost, 1e-9) > weakest
        ):
            reason = "fit"
            detail = (
                f"only {fit:.0%} of its audience matches the target (the chosen creators: at "
                f"least {min_fit:.0%}, median {median_fit:.0%}); at the median fit it would "
                f"return {amount(ctx.metric, raised / max(cost, 1e-9) * 1000, cur)} per 1,000 "
                f"{cur}, more than the weakest pick ({_fmt(weakest * 1000)})"
            )
        elif gains is not None and value > 0 and gains[j] < 0.6 * value:
            reason = "overlap"
            detail = f"{1 - gains[j] / value:.0%} of its audience is already reached by the plan"
        else:
            reason, detail = _forced_in(ctx, j, budget, x, marg, cost, left, time_limit)
        out.append(LeftOut(c.platform[i], c.handle[i], c.tier[i], value, cost, reason, detail))
    return out


def _forced_in(
    ctx: Context,
    j: int,
    budget: float,
    x: np.ndarray,
    marg: np.ndarray,
    cost: float,
    left: float,
    time_limit: float,
) -> tuple[str, str]:
    """Why an option is out, from the best plan found that includes it.

    Two such plans are tried and the better one is reported: the plan with this creator swapped
    in for its weakest picks (by value lost per unit of cost) until it fits, and, for additive
    goals, an exact re-solve with the creator required (quick: at most ``time_limit`` seconds).
    """
    o, c = ctx.options, ctx.cands
    cur = ctx.brief.currency
    i = int(o.creator[j])
    plan_value = ctx.objective(x)
    room = f"costs {_fmt(cost)} {cur}, the plan has {_fmt(left)} {cur} left"
    p, idx = ctx.problem(budget)
    best_value, dropped = -np.inf, []
    swap = x.copy()
    swap[j] = True
    order = [int(k) for k in np.flatnonzero(x) if not ctx.must[o.creator[k]]]
    order.sort(key=lambda k: marg[k] / max(float(o.committed[k]), 1e-9))
    over = float(o.committed[swap].sum()) - budget
    removed: list[int] = []
    for k in order:  # the weakest picks per unit of cost until it fits ...
        if over - sum(float(o.committed[r]) for r in removed) <= 1e-9:
            break
        removed.append(k)
    # ... or the one pick of least value that frees enough on its own, when that loses less
    single = [k for k in order if float(o.committed[k]) >= over - 1e-9]
    if single:
        k = min(single, key=lambda k: marg[k])
        if marg[k] < sum(marg[r] for r in removed):
            removed = [k]
    swap[removed] = False
    over -= sum(float(o.committed[r]) for r in removed)
    if over <= 1e-9 and len(idx) == len(o.creator) and not p.rows.violations(swap[idx]):
        best_value, dropped = ctx.objective(swap), removed
    if ctx.model is None and len(o.creator) <= RESOLVE_LIMIT:
        mask = (o.creator != i) | (np.arange(len(o.creator)) == j)
        saved = ctx.must[i]
        ctx.must[i] = True
        try:
            r = ctx.solve(budget, option_mask=mask, rel_gap=1e-3, time_limit=time_limit)
        finally:
            ctx.must[i] = saved
        if r.feasible and r.value > best_value:
            best_value, dropped = r.value, []
    if not np.isfinite(best_value):
        return "constraint", f"{room}; no plan found with it keeps every rule of the brief"
    loss = plan_value - best_value
    if loss <= 1e-9 * max(1.0, abs(plan_value)):
        return (
            "budget",
            f"{room}; a plan with it delivers {amount(ctx.metric, best_value, cur)}, as much as this "
            "plan within the optimiser's stated gap",
        )
    if dropped:
        names = ", ".join(f"@{c.handle[o.creator[k]]}" for k in dropped[:3])
        more = f" and {len(dropped) - 3} more" if len(dropped) > 3 else ""
        return (
            "budget",
            f"{room}; making room means dropping {names}{more} (worth "
            f"{_fmt(float(sum(marg[k] for k in dropped)))} to the plan): with it the plan falls "
            f"to {amount(ctx.metric, best_value, cur)} ({_fmt(loss)} less)",
        )
    return (
        "budget",
        f"{room}; the best plan that includes it delivers {amount(ctx.metric, best_value, cur)}, "
        f"{_fmt(loss)} less than this plan",
    )


def unspent(ctx: Context, x: np.ndarray, budget: float) -> str:
    """Why the plan leaves part of its budget unspent, tested: "" when it spends nearly all.

    Either nothing left out fits in what remains; or nothing that fits adds to the goal at its
    price (for profit: no creator is expected to return more than it costs); or every creator
    that would add to it breaks a rule of the brief, named (with how many creators it stops).
    """
    o, c = ctx.options, ctx.cands
    cur = ctx.brief.currency
    left = budget - float(o.committed[x].sum())
    if left <= max(UNSPENT_SHARE * budget, 1.0):
        return ""
    head = (
        f"{money(left, cur, short=True)} of the {money(budget, cur, short=True)} budget is unspent"
    )
    chosen = np.zeros(len(c), dtype=bool)
    chosen[o.creator[x]] = True
    free = ~chosen[o.creator]
    if not free.any():
        return f"{head}: every candidate creator is already in the plan"
    fits = free & (o.committed <= left + 1e-9)
    if not fits.any():
        j = int(np.flatnonzero(free)[np.argmin(o.committed[free])])
        return (
            f"{head}: every creator left out costs more than that (the cheapest, "
            f"@{c.handle[o.creator[j]]}, {money(float(o.committed[j]), cur, short=True)})"
        )
    if ctx.model is not None:
        state = coverage.State(ctx.model, ctx._bare(), ctx.scale, ctx.private)
        for k in np.flatnonzero(x):
            state.add(int(k))
        gain = np.asarray(state.all_gains(), dtype=float)
    else:
        gain = np.asarray(ctx.value, dtype=float)
    useful = fits & (gain > 0)
    if not useful.any():
        j = int(np.flatnonzero(fits)[np.argmax(gain[fits])])
        cost = money(float(o.committed[j]), cur, short=True)
        if ctx.metric == "profit":
            return (
                f"{head}: no creator left out is expected to return more than it costs at its "
                f"price (the best, @{c.handle[o.creator[j]]}, is expected to lose "
                f"{money(-float(gain[j]), cur, short=True)} on a {cost} deal)"
            )
        return f"{head}: no creator left out that fits in it adds {ctx.unit}"
    p, idx = ctx.problem(budget)
    rows = p.rows
    pos = np.full(len(o.creator), -1)
    pos[idx] = np.arange(len(idx))
    before = rows.A @ x[idx].astype(float)
    ok_before = (before <= rows.hi + 1e-6) & (before >= rows.lo - 1e-6)
    broken: dict[str, list[int]] = {}
    tested = np.flatnonzero(useful)
    tested = tested[np.argsort(-gain[tested])][:UNSPENT_TESTED]
    free_fit: int | None = None
    for t in tested:
        j = int(t)
        col = np.asarray(rows.A[:, int(pos[j])].todense()).ravel()
        after = before + col
        bad = ok_before & ((after > rows.hi + 1e-6) | (after < rows.lo - 1e-6))
        if not bad.any():
            free_fit = free_fit if free_fit is not None else j
        for r in np.flatnonzero(bad):
            broken.setdefault(rows.names[r], []).append(j)
    if broken:
        name, js = max(broken.items(), key=lambda kv: len(kv[1]))
        others = sorted(set(broken) - {name})
        return (
            f'{head}: the brief\'s rule "{name}" binds: each of the {len(js)} best creators left '
            f"out that fit in it and add {ctx.unit} would break it (e.g. "
            f"@{c.handle[o.creator[js[0]]]})"
            + (f"; others break {', '.join(others)}" if others else "")
        )
    assert free_fit is not None
    return (
        f"{head}: @{c.handle[o.creator[free_fit]]} would fit every rule and add "
        f"{amount(ctx.metric, float(gain[free_fit]), cur)}; the optimiser stopped within its "
        "proven gap"
    )
