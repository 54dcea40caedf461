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

    def goal_quantiles(self) -> Quantiles:
        return montecarlo.summarize(self.goal)


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
    return PlanDraws(sim, goal, scale)
