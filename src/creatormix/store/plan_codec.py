"""Plans and briefs to JSON and back: the one place that knows how a saved plan is laid out.

Saved JSON carries a ``format`` number so later versions can still read old plans.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from datetime import datetime
from enum import Enum
from typing import Any

from creatormix.domain.brief import (
    Brief,
    Cap,
    Format,
    ReachObjective,
    SalesObjective,
    Target,
    TierShare,
)
from creatormix.domain.plan import DealType, Goal, Quantiles
from creatormix.domain.plan_result import (
    FilterStep,
    Frontier,
    FrontierPoint,
    LeftOut,
    Optimality,
    Plan,
    PlanPick,
    PriorUsed,
)

FORMAT = 1


def to_jsonable(value: Any) -> Any:
    """Dataclasses, enums, datetimes, mappings and sequences as JSON-ready values (NaN/inf -> None)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # numpy scalars
        return to_jsonable(value.item())
    return value


def brief_to_json(brief: Brief) -> dict[str, Any]:
    return {"format": FORMAT, **to_jsonable(brief)}


def brief_from_json(d: Mapping[str, Any]) -> Brief:
    t = d.get("target") or {}
    ages = t.get("ages")
    return Brief(
        goal=Goal(d["goal"]),
        budget=float(d["budget"]),
        currency=d.get("currency", "USD"),
        name=d.get("name"),
        weights=dict(d.get("weights") or {}),
        sales_objective=SalesObjective(d.get("sales_objective", "revenue")),
        reach=ReachObjective(d.get("reach", "views")),
        aov=d.get("aov"),
        margin=d.get("margin"),
        min_roas=d.get("min_roas"),
        target=Target(
            ship_to=tuple(t.get("ship_to") or ()),
            ages=(int(ages[0]), int(ages[1])) if ages else None,
            genders=tuple(t.get("genders") or ()),
            languages=tuple(t.get("languages") or ()),
        ),
        niche=tuple(d.get("niche") or ()),
        platforms=tuple(d.get("platforms") or ()),
        tiers=tuple(d.get("tiers") or ()),
        min_followers=d.get("min_followers"),
        max_followers=d.get("max_followers"),
        min_fit=float(d.get("min_fit", 0.0)),
        min_authenticity=float(d.get("min_authenticity", 0.0)),
        deal_types=tuple(DealType(x) for x in d.get("deal_types") or ["paid"]),
        deliverables=int(d.get("deliverables", 1)),
        months=int(d.get("months", 1)),
        format=Format(d.get("format", "post")),
        product_cost=d.get("product_cost"),
        product_cost_assumed=bool(d.get("product_cost_assumed", False)),
        shipping_cost=float(d.get("shipping_cost", 0.0)),
        outreach_hours=float(d.get("outreach_hours", 2.0)),
        hourly_cost=float(d.get("hourly_cost", 36.0)),
        fx=dict(d.get("fx") or {}),
        min_creators=d.get("min_creators"),
        max_creators=d.get("max_creators"),
        tier_shares=tuple(TierShare(**s) for s in d.get("tier_shares") or ()),
        must_include=tuple(d.get("must_include") or ()),
        exclude=tuple(d.get("exclude") or ()),
        country_caps=tuple(Cap(**c) for c in d.get("country_caps") or ()),
        niche_caps=tuple(Cap(**c) for c in d.get("niche_caps") or ()),
        budget_margin=float(d.get("budget_margin", 0.0)),
        target_value=d.get("target_value"),
        risk_averse=bool(d.get("risk_averse", False)),
        risk_quantile=float(d.get("risk_quantile", 0.1)),
        scenarios=int(d.get("scenarios", 4000)),
        seed=int(d.get("seed", 0)),
        frontier_budgets=tuple(float(b) for b in d.get("frontier_budgets") or ()),
        frontier=bool(d.get("frontier", True)),
    )


def _q(d: Mapping[str, Any] | None) -> Quantiles | None:
    if d is None:
        return None
    return Quantiles(
        *(float(d[k]) if d.get(k) is not None else math.nan for k in ("mean", "p10", "p50", "p90"))
    )


def _qmap(d: Mapping[str, Any] | None) -> dict[str, Quantiles]:
    out = {}
    for k, v in (d or {}).items():
        q = _q(v)
        if q is not None:
            out[k] = q
    return out


def plan_to_json(plan: Plan) -> dict[str, Any]:
    data: dict[str, Any] = to_jsonable(plan)
    data["format"] = FORMAT
    return data


def pick_from_json(d: Mapping[str, Any]) -> PlanPick:
    return PlanPick(
        platform=d["platform"],
        handle=d["handle"],
        tier=d.get("tier"),
        deal_type=DealType(d["deal_type"]),
        cost=float(d["cost"]),
        expected=_qmap(d.get("expected")),
        reasons=tuple(d.get("reasons") or ()),
        followers=d.get("followers"),
        country=d.get("country"),
        committed_cost=float(d.get("committed_cost", d["cost"])),
        fee=float(d.get("fee", 0.0)),
        price_source=d.get("price_source", ""),
        probability=float(d.get("probability", 1.0)),
        fit=float(d.get("fit", 1.0)),
        fit_source=d.get("fit_source", ""),
        authenticity=float(d.get("authenticity", 1.0)),
        marginal_value=float(d.get("marginal_value", 0.0)),
        value_per_cost=float(d.get("value_per_cost", 0.0)),
        goal=_q(d.get("goal")),
        overlap=d.get("overlap", ""),
    )


def plan_from_json(d: Mapping[str, Any]) -> Plan:
    opt = d.get("optimality")
    front = d.get("frontier")
    return Plan(
        plan_id=int(d.get("plan_id") or 0),  # 0 (null in --json): a plan that was not saved
        created_at=datetime.fromisoformat(d["created_at"]),
        goal=Goal(d["goal"]),
        budget=float(d["budget"]),
        currency=d["currency"],
        selections=tuple(pick_from_json(s) for s in d.get("selections") or ()),
        name=d.get("name"),
        brief=brief_from_json(d["brief"]),
        metric=d["metric"],
        unit=d["unit"],
        totals=_qmap(d.get("totals")),
        expected_cost=float(d.get("expected_cost", 0.0)),
        committed_cost=float(d.get("committed_cost", 0.0)),
        tier_shares=dict(d.get("tier_shares") or {}),
        optimality=Optimality(
            opt["method"],
            float(opt["value"]),
            opt.get("bound"),
            opt.get("gap"),
            opt.get("note", ""),
        )
        if opt
        else None,
        target_probability=d.get("target_probability"),
        frontier=Frontier(
            front["metric"],
            front["unit"],
            tuple(float(b) for b in front["budgets"]),
            tuple(
                FrontierPoint(
                    policy=p["policy"],
                    budget=float(p["budget"]),
                    value=_q(p.get("value")),
                    objective=float(p.get("objective") or 0.0),
                    spend=float(p.get("spend", 0.0)),
                    creators=int(p.get("creators", 0)),
                    gap=float(p.get("gap") or 0.0),
                    tier_shares=dict(p.get("tier_shares") or {}),
                    note=p.get("note", ""),
                )
                for p in front["points"]
            ),
            front.get("answer", ""),
            tuple(front.get("dropped") or ()),
            front.get("plan_value"),
            front.get("rules_cost"),
        )
        if front
        else None,
        left_out=tuple(LeftOut(**x) for x in d.get("left_out") or ()),
        priors=tuple(PriorUsed(**x) for x in d.get("priors") or ()),
        filters=tuple(FilterStep(**x) for x in d.get("filters") or ()),
        candidates=int(d.get("candidates", 0)),
        warnings=tuple(d.get("warnings") or ()),
        unspent=d.get("unspent") or "",
        notes=tuple(d.get("notes") or ()),
        model_versions=dict(d.get("model_versions") or {}),
        inputs=dict(d.get("inputs") or {}),
        reach_objective=d.get("reach_objective", "views"),
    )
