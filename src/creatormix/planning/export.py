"""A plan's picks as CSV rows: one row per creator, every number the table shows and more."""

from __future__ import annotations

from typing import Any

from creatormix.domain.plan_result import Plan
from creatormix.planning.outcomes import METRICS


def rows(plan: Plan) -> tuple[list[str], list[list[Any]]]:
    header = [
        "platform",
        "handle",
        "tier",
        "followers",
        "country",
        "deal_type",
        "expected_cost",
        "committed_cost",
        "fee",
        "price_source",
        "probability",
        "fit",
        "fit_source",
        "authenticity",
        f"marginal_{plan.metric}",
        f"{plan.metric}_per_1000_{plan.currency}",
    ]
    for m in METRICS:
        header += [f"{m}_mean", f"{m}_p10", f"{m}_p50", f"{m}_p90"]
    header.append("reasons")
    out = []
    for p in plan.picks:
        row: list[Any] = [
            p.platform,
            p.handle,
            p.tier or "",
            p.followers if p.followers is not None else "",
            p.country or "",
            p.deal_type.value,
            round(p.cost, 2),
            round(p.committed_cost, 2),
            round(p.fee, 2),
            p.price_source,
            round(p.probability, 4),
            round(p.fit, 4),
            p.fit_source,
            round(p.authenticity, 4),
            round(p.marginal_value, 4),
            round(p.value_per_cost * 1000, 4),
        ]
        for m in METRICS:
            q = p.expected.get(m)
            row += [round(v, 4) for v in (q.mean, q.p10, q.p50, q.p90)] if q else ["", "", "", ""]
        row.append(" | ".join(p.reasons))
        out.append(row)
    return header, out
