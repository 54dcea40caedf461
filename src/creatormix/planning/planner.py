"""From a brief and the catalog to a plan: filter, price, predict, optimise, simulate, explain.

``make_plan`` is pure: it takes the candidates (aligned arrays), the priors, the rate card, the
vetting signals and the follower sketches, and returns a ``Plan``. The workspace gathers those
inputs from the store and saves the result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from creatormix.domain.brief import Brief
from creatormix.domain.numbers import money, quantity
from creatormix.domain.plan import DealType, Quantiles
from creatormix.domain.plan_result import FilterStep, Optimality, Plan, PlanPick, PriorUsed
from creatormix.domain.query import Progress, no_progress
from creatormix.errors import InvalidOption
from creatormix.planning import conflicts, costs, explain, frontier, seams, simulate
from creatormix.planning.candidates import Candidates
from creatormix.planning.constraints import AT_LEAST_ONE
from creatormix.planning.context import Context, Result
from creatormix.planning.outcomes import AUDIENCE, METRICS, creator_outcomes
from creatormix.planning.overlap import DEFAULT_DUPLICATION
from creatormix.planning.priors import PriorTable

PLANNER_VERSION = "planner/1"
# seams.resolve's label for its own keyword relevance (used when no signal source scores the niche)
_KEYWORD_MATCH = "keyword match in categories and bio"
# A follower list stands for the creator's audience itself when it names most of it; a shorter
# list is a sample: it measures how much the creator's pool overlaps (planning.samples).
MIN_LIST_SHARE = 0.8
MODEL_VERSIONS = {
    "planner": PLANNER_VERSION,
    "outcome model": "outcomes/1 (lognormal per creator, shared prior shocks)",
    "cost model": "costs/1 (quote or rate card, gifting probability, outreach)",
    "priors": "priors/1 (published, workspace overrides, conjugate update with capped weight)",
    "optimiser": (
        "additive/1 (Lagrangian fixing + HiGHS), coverage/2 (lazy greedy + seed pairs + "
        "swap-in/1-1/2-1 local search, dual bound of the coverage relaxation)"
    ),
    "overlap": "overlap/2 (lists, samples measuring pools by capture-recapture, pool model)",
}


class NoCandidates(InvalidOption):
    """Every creator was removed by the brief's filters (the message names the filter)."""


class Conflict(InvalidOption):
    """No plan can satisfy the brief's rules together (the message names them)."""


class NoProfit(InvalidOption):
    """A profit brief in which no creator is expected to return its cost (the message says by how
    much the best one misses and which assumptions to change)."""


@dataclass(frozen=True)
class PlanInputs:
    """Everything the planner reads besides the brief."""

    candidates: Candidates
    priors: PriorTable = field(default_factory=PriorTable)
    rate_card: costs.RateCard = field(default_factory=costs.RateCard)
    signals: seams.SignalSource | None = None
    # "platform:handle" -> (theta sketch of the follower list, followers the list names)
    sketches: Mapping[str, tuple[bytes, int]] | None = None
    duplication: float = DEFAULT_DUPLICATION
    info: Mapping[str, object] = field(default_factory=dict)  # catalog facts to save with the plan


def resolve_refs(cands: Candidates, refs: Sequence[str], key: str) -> list[int]:
    """Row indices for ``@handle`` / ``platform:handle`` references; unknown or ambiguous ones fail."""
    from creatormix.domain.catalog import CreatorRef

    by_handle: dict[str, list[int]] = {}
    for i, h in enumerate(cands.handle):
        by_handle.setdefault(str(h), []).append(i)
    out = []
    for ref in refs:
        try:
            r = CreatorRef.parse(ref)
        except ValueError as exc:
            raise InvalidOption(f"{key} {ref!r}: {exc}") from None
        hits = [
            i
            for i in by_handle.get(r.handle, [])
            if r.platform is None or cands.platform[i] == r.platform.value
        ]
        if not hits:
            raise InvalidOption(f"{key} {ref!r}: no such creator in the catalog")
        if len(hits) > 1:
            opts = ", ".join(f"{cands.platform[i]}:{cands.handle[i]}" for i in hits)
            raise InvalidOption(f"{key} {ref!r} is on several platforms; say which: {opts}")
        out.append(hits[0])
    return out


def _filter(
    cands: Candidates, brief: Brief, source: seams.SignalSource | None
) -> tuple[Candidates, seams.Signals, list[FilterStep], np.ndarray]:
    """Apply the brief's filters in order, recording each; returns the survivors and their signals."""
    n = len(cands)
    if n == 0:
        raise NoCandidates(
            "no creators to plan with: the workspace's catalog is empty (creatormix import "
            "creators FILE, or creatormix demo)"
        )
    keep = np.ones(n, dtype=bool)
    must_idx = resolve_refs(cands, brief.must_include, "must_include")
    exclude_idx = resolve_refs(cands, brief.exclude, "exclude")
    must = np.zeros(n, dtype=bool)
    must[must_idx] = True
    steps: list[FilterStep] = []

    def apply(name: str, detail: str, ok: np.ndarray) -> None:
        nonlocal keep
        before = int(keep.sum())
        lost_must = must & keep & ~ok
        if lost_must.any():
            who = ", ".join(f"@{cands.handle[i]}" for i in np.flatnonzero(lost_must))
            raise Conflict(
                f"the brief conflicts with itself: must_include {who} is removed by the {name} filter ({detail})"
            )
        keep = keep & ok
        after = int(keep.sum())
        steps.append(FilterStep(name, detail, before, after))
        if after == 0:
            earlier = "; ".join(
                f"{s.name} ({s.detail}) kept {s.after:,} of {s.before:,}" for s in steps[:-1]
            )
            raise NoCandidates(
                f"no candidate left: the {name} filter ({detail}) removed all {before:,} creators"
                + (f" that passed the earlier filters ({earlier})" if earlier else "")
            )

    followers = np.nan_to_num(cands.followers, nan=-1.0)
    apply(
        "follower count",
        "creators with a known follower count and tier",
        (followers > 0) & np.array([t is not None for t in cands.tier], dtype=bool),
    )
    if brief.platforms:
        apply(
            "platform", ", ".join(brief.platforms), np.isin(cands.platform, list(brief.platforms))
        )
    if brief.tiers:
        apply("tier", ", ".join(brief.tiers), np.isin(cands.tier.astype(str), list(brief.tiers)))
    if brief.min_followers is not None or brief.max_followers is not None:
        lo = brief.min_followers or 0
        hi = brief.max_followers if brief.max_followers is not None else np.inf
        apply(
            "followers",
            f"{lo:,} to {hi:,}" if np.isfinite(hi) else f"at least {lo:,}",
            (followers >= lo) & (followers <= hi),
        )
    if exclude_idx:
        ok = np.ones(n, dtype=bool)
        ok[exclude_idx] = False
        apply("exclude", f"{len(exclude_idx)} creator(s) excluded by the brief", ok)
    pre = np.flatnonzero(keep)
    found = seams.resolve(cands.take(pre), brief.target, brief.niche, source)
    rel = np.zeros(n)
    fit = np.zeros(n)
    auth = np.ones(n)
    fit_src = np.full(n, "", dtype=object)
    auth_src = np.full(n, "", dtype=object)
    rel[pre], fit[pre], auth[pre] = found.relevance, found.fit, found.authenticity
    fit_src[pre], auth_src[pre] = found.fit_source, found.authenticity_source
    if brief.niche:
        thr = found.relevance_threshold
        if found.relevance_source == _KEYWORD_MATCH:
            rule = f"the phrase, or at least {thr:.0%} of its words, in categories or bio"
        else:
            rule = f"{found.relevance_source} at least {thr:g} of the best match"
        apply("niche", " / ".join(brief.niche) + f" ({rule})", rel >= thr)
    if brief.min_fit > 0:
        where = ", ".join(brief.target.ship_to) or "the target"
        apply(
            "audience fit",
            f"at least {brief.min_fit:.0%} of the audience in {where}",
            fit >= brief.min_fit,
        )
    if brief.min_authenticity > 0:
        apply(
            "authenticity", f"at least {brief.min_authenticity:.0%}", auth >= brief.min_authenticity
        )
    idx = np.flatnonzero(keep)
    # every factor of the survivors, both authenticity sides included (idx is a subset of pre)
    signals = found.take(np.searchsorted(pre, idx))
    return cands.take(idx), signals, steps, must[idx]


def eligible(
    cands: Candidates, brief: Brief, source: seams.SignalSource | None
) -> tuple[Candidates, seams.Signals, list[FilterStep], np.ndarray]:
    """The creators the brief lets a plan choose from, with their signals, the filter steps and
    which of them the brief requires: ``make_plan``'s first step, for callers that choose among
    the same creators by other rules (``planning.backtest``'s rules of thumb)."""
    return _filter(cands, brief, source)


def make_plan(
    brief: Brief,
    inputs: PlanInputs,
    *,
    now: datetime,
    progress: Progress = no_progress,
    time_limit: float = 20.0,
    left_out: bool = True,
) -> Plan:
    """The best plan for the brief, with its uncertainty, frontier and explanations
    (``left_out=False`` skips the strong creators left out: their re-solves are most of a
    plan's time, and a backtest does not show them)."""
    progress("candidates", 0, 1)
    cands, signals, steps, must = _filter(inputs.candidates, brief, inputs.signals)
    notes: list[str] = []
    if brief.product_cost_assumed:
        notes.append(
            f"gifts are priced at a product value of {quantity(brief.product_cost)} {brief.currency} "
            "(an assumption: the brief gave no product cost; --product-cost)"
        )
    try:
        fees = costs.fees(cands, brief, inputs.rate_card)
    except costs.CostError as exc:
        raise InvalidOption(str(exc)) from None
    notes += fees.notes
    options = costs.build_options(cands, brief, fees)
    pieces = sorted({int(k) for k in options.pieces}) or [brief.deliverables_total]
    outcomes = {k: creator_outcomes(cands, brief, inputs.priors, signals, k) for k in pieces}
    lists = _usable_sketches(cands, inputs.sketches)
    ctx = Context(
        brief,
        cands,
        signals,
        fees,
        options,
        outcomes,
        must,
        sketch_blobs=lists.complete,
        sample_blobs=lists.samples,
        sample_sizes=lists.sample_sizes,
        duplication=inputs.duplication,
    )
    notes += _sample_notes(ctx, lists)
    progress("candidates", 1, 1)
    notes += _model_notes(ctx, brief, inputs)
    progress("optimising", 0, 1)
    _check_profitable(ctx)
    result = _solve_main(ctx, brief, time_limit)
    x = result.x
    optimality = Optimality(result.method, result.value, result.bound, result.gap)
    if brief.risk_averse:
        x, optimality = _risk_averse(ctx, result, brief, time_limit)
    warnings: list[str] = []
    if ctx.metric == "profit" and ctx.objective(x) < 0:
        warnings.append(_loss_note(ctx, x))
    progress("optimising", 1, 1)
    progress("simulating", 0, 1)
    shown = (*METRICS, AUDIENCE) if ctx.audience is not None else METRICS
    draws = simulate.run(
        ctx, x, scenarios=brief.scenarios, seed=brief.seed, keep=shown, metrics=shown
    )
    totals = {m: draws.sim.quantiles(m) for m in shown if m in draws.sim.totals}
    if brief.aov is None:
        totals.pop("revenue", None)  # no order value: orders are shown, revenue is unknown
    if ctx.metric in {"profit", "score"}:
        totals[ctx.metric] = draws.goal_quantiles()
    totals = _exact_means(ctx, x, totals)
    target_p = None
    if brief.target_value is not None:
        target_p = float(np.mean(draws.goal >= brief.target_value))
    progress("simulating", 1, 1)
    picks = _picks(ctx, x, draws)
    warnings = [*_outcome_warnings(ctx, x, draws, totals), *warnings, *_gift_warnings(picks)]
    left = explain.left_out(ctx, x, brief.spendable) if left_out else []
    front = None
    if brief.frontier:
        front = frontier.compute(
            ctx,
            seed=brief.seed,
            progress=progress,
            plan_x=x,
            plan_goal=totals.get(ctx.metric),
            plan_bound=optimality.bound,
        )
    committed = float(options.committed[x].sum())
    expected_cost = float(options.expected_cost[x].sum())
    used = [
        PriorUsed(pr.platform, pr.tier, pr.metric, pr.mean, pr.strength, pr.origin, pr.source)
        for pr in inputs.priors.used()
    ]
    assumed = sorted({u.metric for u in used if u.origin == "assumption"})
    follows_count = ctx.metric == "followers_gained" or brief.weights.get("followers_gained", 0) > 0
    if "follow_rate" in assumed and follows_count:
        rate = next(u.mean for u in used if u.metric == "follow_rate")
        notes.append(
            f"followers gained use an assumed follow rate of {rate:.1%} of the people reached (no "
            "published benchmark exists): set yours with `creatormix plans set-prior follow_rate`"
            " or let campaign results teach it"
        )
    notes += [_learned_note(u, inputs.priors) for u in used if u.from_brand_data]
    info = dict(inputs.info)
    info.update(
        {
            "candidates": len(cands),
            "options": len(options.creator),
            "coverage": (ctx.model or ctx.reach_model).source,
            "rate_card": inputs.rate_card.source,
            "signals": {
                "authenticity": sorted(set(signals.authenticity_source.tolist())),
                "fit": sorted(set(signals.fit_source.tolist())),
                "relevance": signals.relevance_source,
            },
        }
    )
    return Plan(
        plan_id=0,
        created_at=now,
        goal=brief.goal,
        budget=brief.budget,
        currency=brief.currency,
        selections=tuple(picks),
        name=brief.name,
        brief=brief,
        metric=ctx.metric,
        unit=ctx.unit,
        totals=totals,
        expected_cost=expected_cost,
        committed_cost=committed,
        tier_shares=frontier.tier_shares(ctx, x),
        optimality=optimality,
        target_probability=target_p,
        frontier=front,
        left_out=tuple(left),
        priors=tuple(used),
        filters=tuple(steps),
        candidates=len(cands),
        warnings=tuple(dict.fromkeys(warnings)),
        unspent=explain.unspent(ctx, x, brief.spendable),
        notes=tuple(dict.fromkeys(notes)),
        model_versions=dict(MODEL_VERSIONS),
        inputs=info,
        reach_objective=brief.reach.value,
    )


def _solve_main(ctx: Context, brief: Brief, time_limit: float) -> Result:
    """The best plan of at least one creator, or ``Conflict`` naming the rules that cannot hold.

    Ratio rules (tier shares, country and niche spend shares, the ROAS floor) hold trivially for
    the empty plan, so an optimiser may return it as "optimal"; an empty plan is never an answer,
    so the brief is then solved again with "at least one creator" and, when that fails, the
    conflict finder names the rules that keep every creator out.
    """
    result = ctx.solve(brief.spendable, time_limit=time_limit)
    if result.feasible and result.x.any():
        return result
    if result.feasible:
        result = ctx.solve(brief.spendable, time_limit=time_limit, min_one=True)
        if result.feasible and result.x.any():
            return result
    p, _ = ctx.problem(brief.spendable, min_one=True)
    names = {int(i): f"@{ctx.cands.handle[i]}" for i in np.flatnonzero(ctx.must)}
    found = conflicts.find_conflict(p, names)
    if not found:
        raise Conflict(
            "the optimiser found no plan within its time limit; relax a constraint or raise the budget"
        )
    hints = _conflict_hints(ctx, found)
    if AT_LEAST_ONE in found:
        rest = [c for c in found if c != AT_LEAST_ONE] or ["the brief's filters"]
        raise Conflict(
            "the brief cannot be satisfied: no plan of one or more creators keeps "
            + "; ".join(rest)
            + hints
        )
    raise Conflict(
        "the brief cannot be satisfied; these constraints conflict: " + "; ".join(found) + hints
    )


# What a learned rate counts: successes of trials, in words (domain.plan.LearnedRate)
_RATE_COUNTS = {
    "reach_rate": ("reach rate", "people reached", "followers"),
    "engagement_rate": ("engagement rate", "engagements", "followers"),
    "click_rate": ("click rate", "clicks", "people reached"),
    "conversion_rate": ("conversion rate", "orders", "clicks"),
    "follow_rate": ("follow rate", "brand followers", "people reached"),
    "code_rate": ("code rate", "code-only orders", "people reached"),
}


def _learned_note(u: PriorUsed, table: PriorTable) -> str:
    """Which prior the brand's campaigns changed, to what, and on how much evidence."""
    from creatormix.planning.priors import count

    rows = [
        r
        for r in table.learned
        if (r.platform, r.tier, r.metric) == (u.platform, u.tier, u.metric) and r.trials > 0
    ]
    base = table.base(u.platform, u.tier, u.metric)
    name, hits, of = _RATE_COUNTS.get(u.metric, (u.metric.replace("_", " "), "successes", "trials"))
    # a row's source is "campaign 'Name' @handle" (campaigns.learning): one creator of a campaign
    campaigns = list(dict.fromkeys(r.source.rsplit(" @", 1)[0] for r in rows))
    named = ", ".join(campaigns[:2]) + (
        f" and {len(campaigns) - 2} more" if len(campaigns) > 2 else ""
    )
    successes = sum(min(max(0.0, r.successes), r.trials) for r in rows)
    trials = sum(r.trials for r in rows)
    return (
        f"learned from your campaigns: {u.platform}/{u.tier} {name} {_rate_words(u.mean)} replaced "
        f"the {base.origin} {_rate_words(base.mean)} ({len(campaigns)} campaign(s): {named}; "
        f"{len(rows)} creator result(s), {count(successes)} {hits} of {count(trials)} {of})"
    )


def _rate_words(x: float) -> str:
    """A rate with three significant digits however small (0.00333%, never 0.00%)."""
    return f"{x * 100:.3g}%"


def _check_profitable(ctx: Context) -> None:
    """Refuse a profit plan when no creator is expected to return its cost: every pick would lose
    money, so the best "plan" would be the least bad loser (the brief's rules may still force a
    loss on a plan of profitable creators: that plan is made and says so)."""
    if ctx.metric != "profit" or ctx.must.any() or not len(ctx.value):
        return
    best = int(np.argmax(ctx.value))
    if ctx.value[best] > 0:
        return
    b, o = ctx.brief, ctx.options
    cur, margin = b.currency, b.margin or 0.0
    revenue = ctx.option_mean["revenue"]
    with np.errstate(divide="ignore", invalid="ignore"):
        roas = np.where(o.expected_cost > 0, revenue / o.expected_cost, 0.0)
    handle = ctx.cands.handle[o.creator[best]]
    raise NoProfit(
        "no creator is expected to return their cost at these assumptions (order value "
        f"{quantity(b.aov)} {cur}, margin {margin:.0%}): the closest, @{handle}, loses "
        f"{quantity(-float(ctx.value[best]))} {cur} ({quantity(float(revenue[best]))} {cur} of "
        f"revenue for {quantity(float(o.expected_cost[best]))} {cur} of cost); breaking even at a "
        f"{margin:.0%} margin needs {quantity(1 / margin) if margin > 0 else '∞'} {cur} of revenue "
        f"per {cur} of cost and the best of any creator brings {quantity(float(roas.max()))}. "
        "Raise --aov or --margin, lower the costs (--deal-types gifted, --outreach-cost), or "
        "plan for revenue (--objective revenue)"
    )


# A gift whose creator posts with at most this chance is a long shot the plan names.
LONG_SHOT = 0.10


def _outcome_warnings(
    ctx: Context, x: np.ndarray, draws: simulate.PlanDraws, totals: Mapping[str, Quantiles]
) -> list[str]:
    """A sales plan whose most likely outcome loses money says so, before anything else."""
    cur = ctx.brief.currency
    if ctx.metric == "profit" and "profit" in totals:
        q = totals["profit"]
        if q.p50 < 0:
            losing = float(np.mean(draws.goal < 0))
            return [
                f"the most likely outcome is a loss: the median (P50) profit is "
                f"{money(q.p50, cur, short=True)}, and {losing:.0%} of the simulated plans lose "
                "money"
                + (
                    f"; the expected {money(q.mean, cur, short=True)} rests on rare large "
                    f"outcomes (P90 {money(q.p90, cur, short=True)})"
                    if q.mean > 0
                    else ""
                )
            ]
    if ctx.metric == "revenue" and "revenue" in totals:
        cost = float(ctx.options.expected_cost[x].sum())
        q = totals["revenue"]
        if cost > 0 and q.p50 < cost:
            short = float(np.mean(draws.sim.totals["revenue"] < cost))
            return [
                f"the most likely outcome does not pay for the plan: the median (P50) revenue "
                f"{money(q.p50, cur, short=True)} is below its expected cost "
                f"{money(cost, cur, short=True)} ({short:.0%} of the simulated plans)"
            ]
    return []


def _gift_warnings(picks: Sequence[PlanPick]) -> list[str]:
    """Gifts to creators who rarely post: most of the time they cost and deliver nothing."""
    shots = [s for s in picks if s.deal_type is not DealType.PAID and s.probability <= LONG_SHOT]
    if not shots:
        return []
    names = ", ".join(f"@{s.handle} ({s.probability:.0%})" for s in shots[:3])
    more = f" and {len(shots) - 3} more" if len(shots) > 3 else ""
    low = max(s.probability for s in shots)
    return [
        f"{len(shots)} pick(s) are gifts to creators who post with a chance of {low:.0%} or "
        f"less ({names}{more}): in most scenarios each costs its product and shipping and "
        "delivers nothing, and its expected value comes from the rare post; --deal-types paid "
        "leaves gifts out"
    ]


def _loss_note(ctx: Context, x: np.ndarray) -> str:
    """The warning of a profit plan the brief's rules force into a loss."""
    cur = ctx.brief.currency
    losers = [
        f"@{ctx.cands.handle[ctx.options.creator[j]]}"
        for j in np.flatnonzero(x)
        if ctx.value[j] < 0
    ]
    return (
        f"this plan is expected to lose {quantity(-ctx.objective(x))} {cur}: the brief's rules "
        f"(creator counts, shares, must-include) force {len(losers)} creator(s) that are not "
        f"expected to return their cost ({', '.join(losers[:5])}"
        + (f" and {len(losers) - 5} more" if len(losers) > 5 else "")
        + "); relax them, or raise the order value or margin"
    )


def _conflict_hints(ctx: Context, found: Sequence[str]) -> str:
    """Facts that explain a conflict: the best ROAS any creator reaches, tiers with no creator."""
    o, b = ctx.options, ctx.brief
    facts: list[str] = []
    if b.min_roas is not None and any(c.startswith("expected ROAS") for c in found):
        revenue = ctx.option_mean["revenue"]
        with np.errstate(divide="ignore", invalid="ignore"):
            roas = np.where(o.expected_cost > 0, revenue / o.expected_cost, 0.0)
        if len(roas):
            # a plan's ROAS is a weighted average of its picks' ROAS: never above the best one
            facts.append(
                f"the best expected ROAS of any single creator is {quantity(float(roas.max()))}"
            )
    present = {str(t) for t in ctx.cands.tier}
    for share in b.tier_shares:
        if share.min and f"{share.tier} share >= {share.min:.0%} of spend" in found:
            in_tier = np.isin(ctx.cands.tier[o.creator].astype(str), share.tiers)
            if not present & set(share.tiers) or not in_tier.any():
                facts.append(f"no {share.tier} creator passed the filters")
            elif any(c.startswith("budget") for c in found):
                cheapest = float(o.committed[in_tier].min())
                facts.append(
                    f"the cheapest {share.tier} creator costs {cheapest:,.0f} {b.currency}"
                )
    return f" ({'; '.join(facts)})" if facts else ""


def _exact_means(
    ctx: Context, x: np.ndarray, totals: Mapping[str, Quantiles]
) -> dict[str, Quantiles]:
    """The totals with their exact expectation as the mean; P10/P50/P90 stay Monte Carlo.

    The same numbers the optimiser and the frontier use, so a plan shows one expected value
    everywhere (a Monte Carlo mean drifts by a fraction of a percent between runs of different
    sizes)."""
    out = {}
    for m, q in totals.items():
        if m in {"reach", AUDIENCE}:
            exact = ctx.unique(m, x)
        elif m in {"profit", "score"}:
            exact = ctx.objective(x) if m == ctx.metric else q.mean
        elif m in ctx.option_mean:
            exact = float(ctx.option_mean[m][x].sum())
        else:
            exact = q.mean
        out[m] = Quantiles(float(exact), q.p10, q.p50, q.p90)
    return out


@dataclass(frozen=True)
class _Lists:
    """Follower lists aligned with the candidates: complete ones, and samples."""

    complete: list[bytes | None] | None
    samples: list[bytes | None] | None
    sample_sizes: np.ndarray | None


def _usable_sketches(cands: Candidates, sketches: Mapping[str, tuple[bytes, int]] | None) -> _Lists:
    """Lists naming at least MIN_LIST_SHARE of the creator's followers stand for its audience;
    shorter ones are samples of it."""
    if not sketches:
        return _Lists(None, None, None)
    complete: list[bytes | None] = []
    samples: list[bytes | None] = []
    sizes = np.zeros(len(cands))
    for k, (key, followers) in enumerate(zip(cands.keys, cands.followers, strict=True)):
        item = sketches.get(key)
        if item is None:
            complete.append(None)
            samples.append(None)
            continue
        blob, listed = item
        if np.isfinite(followers) and listed < MIN_LIST_SHARE * followers:
            complete.append(None)
            samples.append(blob)
            sizes[k] = listed
        else:
            complete.append(blob)
            samples.append(None)
    return _Lists(
        complete if any(b is not None for b in complete) else None,
        samples if any(b is not None for b in samples) else None,
        sizes,
    )


def _sample_notes(ctx: Context, lists: _Lists) -> list[str]:
    """What the follower samples measured, or why they could not."""
    if lists.samples is None:
        return []
    sampled = sum(b is not None for b in lists.samples)
    over = ctx.audience or ctx.views
    notes = [
        f"unique reach in pool {m.key}: {m.words()}, measured by capture-recapture instead of the "
        "assumed duplication (the P10-P90 carries its error)"
        for m in sorted(over.pools.values(), key=lambda m: -m.creators)[:5]
    ]
    in_measured = sum(
        1
        for i, b in enumerate(lists.samples)
        if b is not None and "measured from" in over.sources[i]
    )
    if in_measured < sampled:
        notes.append(
            f"{sampled - in_measured} creator(s) have a follower sample but no other sampled "
            "creator in their niche x country pool: their overlap keeps the assumed duplication"
        )
    return notes


def _model_notes(ctx: Context, brief: Brief, inputs: PlanInputs) -> list[str]:
    notes = []
    src = ctx.reach_model.source
    if "pool model" in src:
        notes.append(
            "unique reach uses the overlap model for creators without follower lists: audiences of "
            "creators sharing a niche and country overlap as random draws from a pool "
            f"(duplication {inputs.duplication:g}); import follower lists for measured overlap"
        )
    measured_fit = any(str(s).startswith("measured") for s in ctx.signals.fit_source)
    if (brief.target.ages or brief.target.genders) and not measured_fit:
        notes.append(
            "the age and gender target is not applied: no audience data (import audience shares "
            "to use it); fit uses country and language only"
        )
    if any(s == seams.DERIVED for s in ctx.signals.fit_source):
        notes.append("audience fit is derived from creators' country and language (low confidence)")
    if all(s == seams.NOT_VETTED for s in ctx.signals.authenticity_source):
        notes.append("authenticity is 1.0 for every creator (not vetted yet)")
    return notes


def _picks(ctx: Context, x: np.ndarray, draws: simulate.PlanDraws) -> list[PlanPick]:
    o, c = ctx.options, ctx.cands
    chosen = np.flatnonzero(x)
    marg = explain.marginal_values(ctx, x)
    binding = explain.binding_rules(ctx, x, ctx.brief.spendable)
    total_cost = float(o.committed[chosen].sum())
    avg = float(marg[chosen].sum()) / total_cost if total_cost > 0 else 0.0
    picks = []
    for pos, j in enumerate(chosen):
        i = int(o.creator[j])
        expected: dict[str, Quantiles] = {}
        for m in (*METRICS, AUDIENCE):
            if m in draws.sim.per_creator:
                q = draws.sim.creator_quantiles(m, pos)
                if m in {"reach", AUDIENCE}:  # unique: the creator's share after overlap
                    s = draws.reach_scale if m == "reach" else draws.audience_scale
                    q = Quantiles(q.mean * s, q.p10 * s, q.p50 * s, q.p90 * s)
                expected[m] = q
        cost = float(o.committed[j])
        deal = o.deal[j]
        picks.append(
            PlanPick(
                platform=str(c.platform[i]),
                handle=str(c.handle[i]),
                tier=c.tier[i],
                deal_type=deal if isinstance(deal, DealType) else DealType(str(deal)),
                cost=float(o.expected_cost[j]),
                expected=expected,
                reasons=explain.reasons(ctx, int(j), float(marg[j]), avg, binding.get(int(j))),
                followers=int(c.followers[i]) if np.isfinite(c.followers[i]) else None,
                country=c.country[i],
                committed_cost=cost,
                fee=float(o.fee[j]),
                price_source=str(ctx.fees.source[i]) if deal is DealType.PAID else "product",
                probability=float(o.probability[j]),
                fit=float(ctx.signals.fit[i]),
                fit_source=str(ctx.signals.fit_source[i]),
                authenticity=float(ctx.signals.authenticity[i]),
                marginal_value=float(marg[j]),
                value_per_cost=float(marg[j]) / cost if cost > 0 else 0.0,
                goal=draws.creator_goal_quantiles(pos),
                overlap=ctx.overlap_sources[i],
            )
        )
    picks.sort(key=lambda p: -p.marginal_value)
    return picks


def _risk_averse(
    ctx: Context, base: object, brief: Brief, time_limit: float
) -> tuple[np.ndarray, Optimality]:
    """Maximise a low quantile: sweep mean - lambda * variance, keep the best quantile by simulation.

    A plan's low quantile rises with its mean and falls with its spread; the plans that trade one
    for the other best lie on the mean-variance frontier, which the sweep walks (additive goals).
    For unique reach each creator counts at its own low quantile instead. Each candidate plan is
    scored by Monte Carlo with common random numbers; no bound is proven for a quantile objective.
    """
    from creatormix.planning.context import Result

    assert isinstance(base, Result)
    q = brief.risk_quantile
    o = ctx.options
    candidates = [base.x]
    if ctx.model is None:
        mean = ctx.value
        sigma = np.zeros(len(mean))
        for k, res in ctx.outcomes.items():
            sel = o.pieces == k
            s = res.sigma_eng if ctx.metric == "engagements" else res.sigma_reach
            sigma[sel] = s[o.creator[sel]]
        p = o.probability
        with np.errstate(divide="ignore", invalid="ignore"):
            cond = np.where(p > 0, mean / p, 0.0)
        var = np.square(cond) * (p * np.exp(np.square(sigma)) - np.square(p))
        scale = (
            np.median(np.abs(mean[mean != 0]) / np.maximum(var[mean != 0], 1e-12))
            if (mean != 0).any()
            else 1.0
        )
        for lam in (0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0):
            r = ctx.solve(
                brief.spendable,
                values=mean - lam * scale * var,
                rel_gap=1e-3,
                time_limit=time_limit / 4,
            )
            if r.feasible and r.x.any():
                candidates.append(r.x)
    else:
        from scipy.stats import norm

        z = float(norm.ppf(q))
        sig = ctx.outcomes[max(ctx.outcomes)].sigma_reach[o.creator]
        shrink = np.exp(z * sig - 0.5 * sig * sig)
        saved = ctx.scale
        ctx.scale = np.clip(saved * shrink, 0.0, 1.0)
        r = ctx.solve(brief.spendable, time_limit=time_limit / 2)
        ctx.scale = saved
        if r.feasible and r.x.any():
            candidates.append(r.x)
    best_x, best_q = base.x, -np.inf
    for x in candidates:
        draws = simulate.run(
            ctx, x, scenarios=min(brief.scenarios, 2000), seed=brief.seed, metrics=()
        )
        value = float(np.quantile(draws.goal, q))
        if value > best_q:
            best_x, best_q = x, value
    note = (
        f"risk-averse: maximised the P{q * 100:.0f} of {ctx.unit} over {len(candidates)} candidate "
        "plans (mean-variance sweep); no bound is proven for a quantile objective"
    )
    return best_x, Optimality("risk-averse sweep + Monte Carlo", best_q, None, None, note)
