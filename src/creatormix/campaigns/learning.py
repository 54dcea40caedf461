"""Measured rates per platform x tier, as evidence the planner folds into its priors.

Pooled counts (successes / trials) over a campaign's live deals, so the planner can do a
conjugate Beta update: prior Beta(a, b) + successes, + (trials - successes). See docs/attribution.md.
"""

from __future__ import annotations

from collections.abc import Sequence

from creatormix.campaigns.roi import DealResult
from creatormix.domain.plan import LearnedRate

METRICS = ("reach_rate", "engagement_rate", "click_rate", "conversion_rate")


def learned_rates(deals: Sequence[DealResult], source: str) -> list[LearnedRate]:
    """reach/follower, engagements/follower, clicks/reach, orders/click per (platform, tier).

    Only deals whose content went live count. A code order from a shopper who never clicked is
    outside the click funnel, so a deal contributes at most as many conversions as it had clicks.
    """
    pools: dict[tuple[str, str, str], list[float]] = {}

    def add(d: DealResult, metric: str, s: float, t: float) -> None:
        if t > 0:
            pool = pools.setdefault((d.platform, d.tier or "unknown", metric), [0.0, 0.0])
            pool[0] += min(s, t)
            pool[1] += t

    for d in deals:
        if not d.live:
            continue
        if d.followers and d.reach is not None:
            add(d, "reach_rate", d.reach, float(d.followers))
        if d.followers and d.engagements is not None:
            add(d, "engagement_rate", d.engagements, float(d.followers))
        if d.reach:
            add(d, "click_rate", float(d.clicks), d.reach)
        if d.clicks:
            add(d, "conversion_rate", float(len(d.order_values)), float(d.clicks))
    return [
        LearnedRate(platform, tier, metric, s, t, source)
        for (platform, tier, metric), (s, t) in sorted(pools.items())
    ]
