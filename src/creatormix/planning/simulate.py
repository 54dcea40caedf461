"""A plan's goal metric and outcome totals by Monte Carlo, for the main plan and the frontier."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from creatormix.domain.plan import Quantiles
from creatormix.planning import montecarlo
from creatormix.planning.context import Context
from creatormix.planning.coverage import CoverageModel, ragged
from creatormix.planning.outcomes import AUDIENCE, METRICS


@dataclass(frozen=True)
class PlanDraws:
    sim: montecarlo.Simulation
    goal: np.ndarray  # (S,) goal metric per scenario
    reach_scale: float  # unique reach / summed reach of the plan (1.0 without overlap)
    audience_scale: float = 1.0  # unique audience / summed audiences (the audience objective)
    # (S, n) each chosen creator's own goal value per scenario, when its outcomes were kept
    goal_per_creator: np.ndarray | None = None

    def goal_quantiles(self) -> Quantiles:
        return montecarlo.summarize(self.goal)

    def creator_goal_quantiles(self, i: int) -> Quantiles | None:
        """The ``i``-th chosen creator's own goal outcome (None unless its outcomes were kept)."""
        if self.goal_per_creator is None:
            return None
        return montecarlo.summarize(self.goal_per_creator[:, i])


def run(
    ctx: Context,
    x: np.ndarray,
    *,
    scenarios: int,
    seed: int,
    keep: Sequence[str] = (),
    metrics: Sequence[str] = METRICS,
) -> PlanDraws:
    o = ctx.options
    chosen = np.flatnonzero(x)
    draws = montecarlo.gather(
        ctx.outcomes, o.creator[chosen], o.pieces[chosen], o.probability[chosen]
    )
    summed = float(ctx.option_mean["reach"][chosen].sum())
    unique = ctx.unique_reach(x) if summed > 0 else 0.0
    scale = unique / summed if summed > 0 else 1.0
    want = set(metrics)
    goal_metric = ctx.metric
    if goal_metric == "profit":
        want.add("revenue")
    elif goal_metric == "score":
        want |= {m for m, w in ctx.brief.weights.items() if w > 0}
        if "reach" in want and ctx.reach_metric == AUDIENCE:
            want.add(AUDIENCE)
    else:
        want.add(goal_metric)
    reach_scales = pool_error_scales(
        ctx.reach_model, ctx.views_scale, o.creator, x, unique, summed, scenarios, seed
    )
    audience_scale, audience_scales = 1.0, None
    if AUDIENCE in want and ctx.audience is not None:
        summed_a = float(ctx.option_mean[AUDIENCE][chosen].sum())
        unique_a = ctx.unique_audience(x) if summed_a > 0 else 0.0
        audience_scale = unique_a / summed_a if summed_a > 0 else 1.0
        delivery = ctx.options.probability
        audience_scales = pool_error_scales(
            ctx.audience.model, delivery, o.creator, x, unique_a, summed_a, scenarios, seed
        )
    sim = montecarlo.simulate(
        draws,
        scenarios=scenarios,
        seed=seed,
        metrics=sorted(want),
        keep=keep,
        reach_scale=reach_scales if reach_scales is not None else scale,
        audience_scale=audience_scales if audience_scales is not None else audience_scale,
        aov=ctx.brief.aov or 0.0,
    )
    if goal_metric == "profit":
        goal = (ctx.brief.margin or 0.0) * sim.totals["revenue"] - float(
            o.expected_cost[chosen].sum()
        )
    elif goal_metric == "score":
        goal = np.zeros(scenarios)
        for metric, w in ctx.brief.weights.items():
            if w > 0:
                m = ctx.reach_metric if metric == "reach" else metric
                goal += w * sim.totals[m] / ctx.normaliser(m)
    else:
        goal = sim.totals[goal_metric]
    return PlanDraws(
        sim,
        goal,
        scale,
        audience_scale,
        _per_creator_goal(ctx, sim, chosen, scale, audience_scale),
    )


def pool_error_scales(
    model: CoverageModel,
    option_scale: np.ndarray,
    creator: np.ndarray,
    x: np.ndarray,
    unique: float,
    summed: float,
    scenarios: int,
    seed: int,
) -> np.ndarray | None:
    """Unique / summed per scenario when pool sizes are estimates (follower samples), else None.

    In a scenario an estimated pool of ``N`` people is ``k N`` (``ln k`` normal with the
    estimate's standard error, mean 1), and each creator reaching a share ``q`` of it reaches
    ``q / k``: the pool's people reached become ``k N (1 - prod (1 - s min(1, q / k)))``.
    """
    if model.size_sd is None or summed <= 0:
        return None
    chosen = np.flatnonzero(x)
    sd = model.size_sd
    # the plan's entries in estimated pools: (element, reach probability s, q)
    cr = creator[chosen]
    counts = np.diff(model.indptr)[cr]
    entries = model.elem[ragged(model.indptr[cr], counts)]
    owner = np.repeat(np.arange(len(chosen)), counts)
    keep = sd[entries] > 0
    if not keep.any():
        return None
    el = entries[keep]
    s_e = np.asarray(option_scale)[chosen][owner[keep]]
    q_e = model.q[cr][owner[keep]]
    pools, which = np.unique(el, return_inverse=True)
    rng = np.random.default_rng([seed, 13])
    sig = sd[pools]
    k = np.exp(sig * rng.standard_normal((scenarios, len(pools))) - sig * sig / 2)  # (S, P)
    miss = np.ones((scenarios, len(pools)))
    base_miss = np.ones(len(pools))
    for t in range(len(el)):
        g = which[t]
        miss[:, g] *= 1.0 - s_e[t] * np.minimum(1.0, q_e[t] / k[:, g])
        base_miss[g] *= 1.0 - s_e[t] * min(1.0, q_e[t])
    w = model.weight[pools]
    drawn = (w * k * (1.0 - miss)).sum(axis=1)
    exact = float((w * (1.0 - base_miss)).sum())
    return np.asarray((unique + drawn - exact) / summed)


def _per_creator_goal(
    ctx: Context,
    sim: montecarlo.Simulation,
    chosen: np.ndarray,
    reach_scale: float,
    audience_scale: float = 1.0,
) -> np.ndarray | None:
    """Each chosen creator's own goal value per scenario, in the goal's unit (profit: its margin
    on its orders minus its expected cost; a mix: its weighted share of each metric; reach: its
    share of the plan's unique reach), from the same scenarios as the plan's totals."""
    kept = sim.per_creator

    def metric(m: str) -> np.ndarray | None:
        if m not in kept:
            return None
        values = kept[m].astype(np.float64)
        if m == "reach":
            return values * reach_scale
        return values * audience_scale if m == AUDIENCE else values

    goal_metric = ctx.metric
    if goal_metric == "profit":
        revenue = metric("revenue")
        if revenue is None:
            return None
        cost = ctx.options.expected_cost[chosen]
        return np.asarray((ctx.brief.margin or 0.0) * revenue - cost[np.newaxis, :])
    if goal_metric == "score":
        total: np.ndarray | None = None
        for key, w in ctx.brief.weights.items():
            m = ctx.reach_metric if key == "reach" else key
            v = metric(m)
            if w <= 0:
                continue
            if v is None:
                return None
            part = w * v / ctx.normaliser(m)
            total = part if total is None else total + part
        return total
    return metric(goal_metric)
