"""A plan's goal metric and outcome totals by Monte Carlo, for the main plan and the frontier."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from creatormix.domain.plan import Quantiles
from creatormix.planning import montecarlo
from creatormix.planning.context import Context
from creatormix.planning.outcomes import METRICS


@dataclass(frozen=True)
class PlanDraws:
    sim: montecarlo.Simulation
    goal: np.ndarray  # (S,) goal metric per scenario
    reach_scale: float  # unique reach / summed reach of the plan (1.0 without overlap)
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
    else:
        want.add(goal_metric)
    sim = montecarlo.simulate(
        draws,
        scenarios=scenarios,
        seed=seed,
        metrics=sorted(want),
        keep=keep,
        reach_scale=scale,
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
                goal += w * sim.totals[metric] / ctx.normaliser(metric)
    else:
        goal = sim.totals[goal_metric]
    return PlanDraws(sim, goal, scale, _per_creator_goal(ctx, sim, chosen, scale))


def _per_creator_goal(
    ctx: Context, sim: montecarlo.Simulation, chosen: np.ndarray, reach_scale: float
) -> np.ndarray | None:
    """Each chosen creator's own goal value per scenario, in the goal's unit (profit: its margin
    on its orders minus its expected cost; a mix: its weighted share of each metric; reach: its
    share of the plan's unique reach), from the same scenarios as the plan's totals."""
    kept = sim.per_creator

    def metric(m: str) -> np.ndarray | None:
        if m not in kept:
            return None
        values = kept[m].astype(np.float64)
        return values * reach_scale if m == "reach" else values

    goal_metric = ctx.metric
    if goal_metric == "profit":
        revenue = metric("revenue")
        if revenue is None:
            return None
        cost = ctx.options.expected_cost[chosen]
        return np.asarray((ctx.brief.margin or 0.0) * revenue - cost[np.newaxis, :])
    if goal_metric == "score":
        total: np.ndarray | None = None
        for m, w in ctx.brief.weights.items():
            v = metric(m)
            if w <= 0:
                continue
            if v is None:
                return None
            part = w * v / ctx.normaliser(m)
            total = part if total is None else total + part
        return total
    return metric(goal_metric)
