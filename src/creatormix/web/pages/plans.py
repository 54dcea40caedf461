"""The plan builder (every field of a brief, the CLI's field-level messages), plan pages with the
frontier chart, saved plans (reopened, never re-run) and their CSV."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from creatormix.domain.plan import DealType, Goal
from creatormix.domain.requests import PlanRequest
from creatormix.errors import InvalidOption
from creatormix.views.planning import plan_view, plans_view
from creatormix.web.auth import Ctx, member, viewer
from creatormix.web.render import page

router = APIRouter()

TIERS = ("nano", "micro", "mid", "macro", "mega")
# The brief's dotted keys the form has a field for (docs/planning.md); lists are checkboxes.
FIELDS = (
    "name",
    "goal",
    "budget",
    "currency",
    "target.ship_to",
    "target.ages",
    "target.genders",
    "target.languages",
    "niche",
    "platforms",
    "tiers",
    "min_followers",
    "max_followers",
    "min_fit",
    "min_authenticity",
    "deals.types",
    "deals.deliverables",
    "deals.months",
    "deals.format",
    "deals.product_cost",
    "deals.shipping_cost",
    "deals.outreach_hours",
    "deals.hourly_cost",
    "sales.aov",
    "sales.margin",
    "sales.objective",
    "sales.min_roas",
    "weights",
    "constraints.min_creators",
    "constraints.max_creators",
    "constraints.must_include",
    "constraints.exclude",
    "constraints.budget_margin",
    *(f"constraints.tier_share.{t}" for t in TIERS),
    "constraints.country_caps",
    "constraints.niche_caps",
    "uncertainty.target",
    "uncertainty.risk_averse",
    "uncertainty.quantile",
    "frontier.enabled",
    "frontier.budgets",
    "scenarios",
    "seed",
    "fx",
)
LISTS = {"platforms", "tiers", "deals.types", "target.genders"}
FLAGS = {"uncertainty.risk_averse", "frontier.enabled"}
MAX_TIME = 60.0


def overrides(form: dict[str, list[str]]) -> dict[str, Any]:
    """The brief's dotted keys from the form's fields: the values as typed (the brief reader
    parses "20k", "30%", "FR,BE", ">=30%" and "FR=3,BE=40%" as the CLI's flags are)."""
    out: dict[str, Any] = {}
    for key in FIELDS:
        values = [v.strip() for v in form.get(key, []) if v.strip()]
        if key in FLAGS:
            if key == "frontier.enabled":
                out[key] = "true" if values else "false"
            elif values:
                out[key] = "true"
        elif key in LISTS:
            if values:
                out[key] = ",".join(values)
        elif values:
            out[key] = values[-1]
    return out


def _form_page(
    request: Request,
    ctx: Ctx,
    values: dict[str, list[str]],
    shortlists: list[str],
    *,
    error: str | None = None,
    field: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    return page(
        request,
        "plan_new.html",
        ctx,
        status=status,
        section="plans",
        values=values,
        error=error,
        field=field,
        goals=[g.value for g in Goal],
        deal_types=[d.value for d in DealType],
        tiers=TIERS,
        platforms=("instagram", "tiktok", "youtube"),
        shortlists=shortlists,
    )


@router.get("/plans", response_class=HTMLResponse)
def plans(request: Request, ctx: Annotated[Ctx, Depends(viewer)]) -> HTMLResponse:
    with ctx.workspace() as ws:
        view = plans_view(ws.plans())
    return page(request, "plans.html", ctx, section="plans", view=view)


@router.get("/plans/new", response_class=HTMLResponse)
def new_plan(
    request: Request, ctx: Annotated[Ctx, Depends(member)], shortlist: str | None = None
) -> HTMLResponse:
    with ctx.workspace() as ws:
        names = [s.name for s in ws.shortlists()]
    values = {
        "goal": ["engagement"],
        "budget": ["20k"],
        "currency": ["USD"],
        "frontier.enabled": ["on"],
    }
    if shortlist:
        values["shortlist"] = [shortlist]
    return _form_page(request, ctx, values, names)


@router.post("/plans", response_class=HTMLResponse)
async def make_plan(request: Request, ctx: Annotated[Ctx, Depends(member)]) -> Response:
    """Plan from the form; a field's error comes back next to that field."""
    from starlette.concurrency import run_in_threadpool

    form = await request.form()
    values: dict[str, list[str]] = {}
    for key, value in form.multi_items():
        if isinstance(value, str) and len(value) <= 2000:
            values.setdefault(key, []).append(value)
    shortlist = (values.get("shortlist") or [""])[-1].strip() or None
    try:
        limit = float((values.get("time_limit") or ["20"])[-1])
    except ValueError:
        limit = -1.0
    if not 0 < limit <= MAX_TIME:
        raise InvalidOption(f"the time limit is 1 to {MAX_TIME:g} seconds", field="time_limit")
    request_ = PlanRequest(overrides=overrides(values), shortlist=shortlist, time_limit=limit)

    def run() -> Any:
        with ctx.workspace(write=True, what="a plan being made") as ws:
            try:
                return ws.plan(request_)
            except InvalidOption as exc:
                return exc, [s.name for s in ws.shortlists()]

    made = await run_in_threadpool(run)
    if isinstance(made, tuple):
        exc, names = made
        return _form_page(request, ctx, values, names, error=str(exc), field=exc.field, status=400)
    return RedirectResponse(f"/plans/{made.plan_id}", status_code=303)


@router.get("/plans/{plan_id:int}", response_class=HTMLResponse)
def show_plan(request: Request, plan_id: int, ctx: Annotated[Ctx, Depends(viewer)]) -> HTMLResponse:
    with ctx.workspace() as ws:
        shown = ws.plan_page(plan_id)
    return page(
        request,
        "plan.html",
        ctx,
        section="plans",
        view=plan_view(shown.plan),
        chart=shown.frontier,
        plan_id=plan_id,
    )


@router.get("/plans/{plan_id:int}.csv")
def plan_csv(plan_id: int, ctx: Annotated[Ctx, Depends(viewer)]) -> Response:
    with ctx.workspace() as ws:
        text = ws.plan_csv(plan_id)
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="plan-{plan_id}.csv"'},
    )
