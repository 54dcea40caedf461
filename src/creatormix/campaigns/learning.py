"""Measured rates per creator, as evidence the planner folds into its priors.

One row per live deal and metric (successes / trials), so the planner can weigh the brand's
results by how many creators they come from: its conjugate Beta update caps each creator's
evidence (``planning.priors.update``). See docs/attribution.md, "Learning".
"""

from __future__ import annotations

from collections.abc import Sequence

from creatormix.campaigns.roi import DealResult
from creatormix.domain.benchmarks import er_basis
from creatormix.domain.plan import LearnedRate

METRICS = ("reach_rate", "engagement_rate", "click_rate", "conversion_rate", "code_rate")


def learned_rates(deals: Sequence[DealResult], source: str) -> list[LearnedRate]:
    """reach/follower, engagements/follower (per view on TikTok and YouTube), clicks/reach, click orders/click and code-only
    orders/reach: one row per live deal and metric, its ``source`` the campaign's plus the
    creator's handle.

    Only deals whose content went live count. ``conversion_rate`` counts only the orders that
    came through the deal's link (``DealResult.click_orders``): a code order from a shopper who
    never clicked is outside the click funnel, and is counted in the creator's ``code_rate``
    instead (code-only orders per person reached; sales plans add reach x code rate to their
    orders once it is learned).
    """
    rows: list[LearnedRate] = []
    for d in sorted(deals, key=lambda d: (d.platform, d.tier or "unknown", d.deal_id)):
        if not d.live:
            continue
        counts = []
        if d.followers and d.reach is not None:
            counts.append(("reach_rate", d.reach, float(d.followers)))
        # engagement in the platform's own definition, as the planner's rate: per follower, or
        # per view (the deal's reach: its posts' views unless typed in)
        per = d.reach if er_basis(d.platform) == "views" else d.followers
        if per and d.engagements is not None:
            counts.append(("engagement_rate", d.engagements, float(per)))
        if d.reach:
            counts.append(("click_rate", float(d.clicks), d.reach))
        if d.clicks:
            counts.append(("conversion_rate", float(d.click_orders), float(d.clicks)))
        if d.reach:
            code_only = len(d.order_values) - d.click_orders
            counts.append(("code_rate", float(code_only), d.reach))
        for metric, s, t in counts:
            if t > 0:
                rows.append(
                    LearnedRate(
                        d.platform,
                        d.tier or "unknown",
                        metric,
                        min(s, t),
                        t,
                        f"{source} @{d.handle}",
                    )
                )
    return rows
