"""The REST API under ``/api/v1``: everything the pages do, JSON in and out, the same views.

Each route parses its input, makes one facade call and returns the view's ``to_json()`` (what
``--json`` prints), validated against the pydantic model its OpenAPI schema publishes. Errors are
``{"error": {"code", "message", "field"}}`` with a 4xx status (``errors.py``'s tree, mapped once in
``web/app.py``). Scripts authenticate with ``Authorization: Bearer <token>``
(``creatormix tokens create``); a browser session works too, with its CSRF token on writes.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, File, Form, Query, Request, UploadFile
from fastapi.responses import FileResponse

from creatormix.domain.campaigns import Stage
from creatormix.domain.requests import PlanRequest, ReportRequest, UploadRequest
from creatormix.errors import InvalidOption
from creatormix.views._json import jsonable
from creatormix.views.accounts import (
    audit_view,
    shortlist_view,
    shortlists_view,
    token_json,
    tokens_view,
)
from creatormix.views.board import board_view, campaigns_view
from creatormix.views.browse import catalog_view
from creatormix.views.campaigns import report_view
from creatormix.views.catalog import creator_page_view
from creatormix.views.import_pages import import_log_view, import_view
from creatormix.views.planning import plan_json
from creatormix.web import api_models as m
from creatormix.web.auth import Ctx, admin, member, viewer
from creatormix.web.pages.campaigns import deal_terms
from creatormix.web.pages.catalog import Filters, catalog_query
from creatormix.web.pages.imports import KINDS, options, save_upload

ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": m.ErrorBody, "description": text}
    for status, text in (
        (400, "the input is wrong (the message says which field and why)"),
        (401, "not logged in: send Authorization: Bearer <token>"),
        (403, "the account's role does not allow this"),
        (404, "no such creator, plan, campaign …"),
        (409, "the workspace refused (locked, or made by a newer version)"),
        (413, "the body or upload is too large"),
        (422, "a parameter has the wrong type or is out of range"),
        (503, "the workspace is busy (a command or a long import holds it): retry"),
    )
}

API_PREFIX = "/api/v1"
router = APIRouter(prefix=API_PREFIX, responses=ERRORS)

Viewer = Annotated[Ctx, Depends(viewer)]
Member = Annotated[Ctx, Depends(member)]
Admin = Annotated[Ctx, Depends(admin)]
Text = Annotated[str | None, Query(max_length=200)]
Many = Annotated[list[str] | None, Query(max_length=200)]
Ref = Annotated[str, "a creator as @handle or platform:handle"]


def mount(app: FastAPI) -> None:
    from fastapi.responses import HTMLResponse

    from creatormix.web.render import page

    app.include_router(router)

    @app.get(API_PREFIX + "/openapi.json", include_in_schema=False)
    def openapi(ctx: Viewer) -> dict[str, Any]:
        """The API's OpenAPI 3.1 schema (the pages are not in it)."""
        return app.openapi()

    @app.get(API_PREFIX + "/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs(request: Request, ctx: Viewer) -> HTMLResponse:
        """Every operation with its parameters, body and answers, from the schema."""
        return page(request, "api_docs.html", ctx, section="admin", api=app.openapi())


@router.get("/me", response_model=m.Me, tags=["account"])
def me(ctx: Viewer) -> dict[str, Any]:
    """Who the token or session acts as."""
    return {"email": ctx.email, "role": ctx.role.value, "via": ctx.principal.via}


# --- catalog ----------------------------------------------------------------------------------


@router.get("/catalog", response_model=m.Catalog, tags=["catalog"])
def catalog(
    ctx: Viewer,
    f: Filters,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 50,
) -> dict[str, Any]:
    """Creators matching the filters (the catalog page's, in its URL's terms), one page, with the
    tier summary; ``q`` ranks by niche relevance."""
    if per_page not in (25, 50, 100):
        per_page = min((25, 50, 100), key=lambda n: abs(n - per_page))
    query = catalog_query(f, page, per_page)
    with ctx.workspace(what="a catalog search") as ws:
        return catalog_view(ws.browse(query)).to_json()


@router.get("/creators/{ref}", response_model=m.CreatorPage, tags=["catalog"])
def creator(
    ref: str, ctx: Viewer, posts: Annotated[int, Query(ge=0, le=200)] = 12
) -> dict[str, Any]:
    """Everything about one creator: what ``creators show --json`` prints."""
    with ctx.workspace(what="a creator page") as ws:
        return creator_page_view(ws.creator_overview(ref, posts=posts)).to_json()


# --- imports ----------------------------------------------------------------------------------


@router.get("/imports", response_model=m.Imports, tags=["imports"])
def imports(ctx: Viewer) -> dict[str, Any]:
    """The import log, newest first."""
    with ctx.workspace() as ws:
        return import_log_view(ws.imports()).to_json()


@router.post("/imports", response_model=m.ImportResult, tags=["imports"])
def upload(
    request: Request,
    ctx: Member,
    file: Annotated[UploadFile, File(description="CSV, TSV, JSON, JSONL or Parquet")],
    kind: Annotated[str, Form(description=", ".join(KINDS), max_length=40)] = "creators",
    platform: Annotated[str | None, Form(max_length=40)] = None,
) -> dict[str, Any]:
    """Import an uploaded file, all or nothing, and return the summary ``creatormix import``
    prints; rejected rows can be fetched from ``rejects_url``."""
    if kind not in KINDS:
        raise InvalidOption(
            f"unknown import kind {kind!r} (choose {', '.join(KINDS)})", field="kind"
        )
    opts = options(platform)
    path, name = save_upload(file, ctx.holder.path, request.app.state.upload_limit)
    with ctx.workspace(write=True, what=f"an import of {name}") as ws:
        result = ws.import_upload(UploadRequest(kind, path, name, opts))
    view = import_view(result.report, name)
    url = f"/api/v1/imports/{view.import_id}/rejects" if result.rejects else None
    return {
        "headline": view.headline,
        "import_id": view.import_id,
        "rejects_url": url,
        "report": view.to_json(),
    }


@router.get(
    "/imports/{import_id}/rejects",
    response_class=FileResponse,
    tags=["imports"],
    responses={200: {"content": {"text/csv": {}}, "description": "the rejected rows"}},
)
def rejects(import_id: int, ctx: Viewer) -> FileResponse:
    """The CSV of the rows an upload's import rejected."""
    with ctx.workspace() as ws:
        path = ws.rejects_csv(import_id)
    return FileResponse(path, media_type="text/csv", filename=f"import-{import_id}-rejects.csv")


# --- shortlists -------------------------------------------------------------------------------


@router.get("/shortlists", response_model=m.Shortlists, tags=["shortlists"])
def shortlists(ctx: Viewer) -> dict[str, Any]:
    with ctx.workspace() as ws:
        return shortlists_view(ws.shortlists()).to_json()


@router.post("/shortlists", response_model=m.Shortlist, status_code=201, tags=["shortlists"])
def create_shortlist(body: m.NewShortlist, ctx: Member) -> dict[str, Any]:
    with ctx.workspace(write=True) as ws:
        return shortlist_view(ws.create_shortlist(body.name)).to_json()["shortlist"]  # type: ignore[no-any-return]


@router.get("/shortlists/{shortlist_id}", response_model=m.Shortlist, tags=["shortlists"])
def shortlist(shortlist_id: int, ctx: Viewer) -> dict[str, Any]:
    with ctx.workspace() as ws:
        return shortlist_view(ws.get_shortlist(shortlist_id)).to_json()["shortlist"]  # type: ignore[no-any-return]


@router.post("/shortlists/{shortlist_id}/creators", response_model=m.Shortlist, tags=["shortlists"])
def add_to_shortlist(shortlist_id: int, body: m.AddToShortlist, ctx: Member) -> dict[str, Any]:
    """Add creators (or change their note)."""
    with ctx.workspace(write=True) as ws:
        s = ws.shortlist_add(shortlist_id, body.creators, body.note)
    return shortlist_view(s).to_json()["shortlist"]  # type: ignore[no-any-return]


@router.delete(
    "/shortlists/{shortlist_id}/creators/{ref}", response_model=m.Shortlist, tags=["shortlists"]
)
def remove_from_shortlist(shortlist_id: int, ref: str, ctx: Member) -> dict[str, Any]:
    with ctx.workspace(write=True) as ws:
        s = ws.shortlist_remove(shortlist_id, ref)
    return shortlist_view(s).to_json()["shortlist"]  # type: ignore[no-any-return]


# --- plans ------------------------------------------------------------------------------------


@router.get("/plans", response_model=m.Plans, tags=["plans"])
def plans(ctx: Viewer) -> dict[str, Any]:
    """Saved plans, oldest first."""
    with ctx.workspace() as ws:
        return {"plans": jsonable(ws.plans())}


@router.post("/plans", response_model=m.PlanWithChart, status_code=201, tags=["plans"])
def make_plan(body: m.NewPlan, ctx: Member) -> dict[str, Any]:
    """Make and save a plan from a brief (dotted keys, the CLI's values); a wrong value is a
    400 whose ``field`` names the brief key."""
    flat = {str(k): v for k, v in body.brief.items()}
    req = PlanRequest(overrides=flat, shortlist=body.shortlist, time_limit=body.time_limit)
    with ctx.workspace(write=True, what="a plan being made") as ws:
        plan = ws.plan(req)
        shown = ws.plan_page(plan.plan_id)
    return {"plan": plan_json(shown.plan), "frontier_chart": shown.frontier}


@router.get("/plans/{plan_id}", response_model=m.PlanWithChart, tags=["plans"])
def get_plan(plan_id: int, ctx: Viewer) -> dict[str, Any]:
    """A saved plan exactly as it was made (never re-run), with its frontier chart."""
    with ctx.workspace() as ws:
        shown = ws.plan_page(plan_id)
    return {"plan": plan_json(shown.plan), "frontier_chart": shown.frontier}


# --- campaigns, deals, links, results -------------------------------------------------------


@router.get("/campaigns", response_model=m.Campaigns, tags=["campaigns"])
def campaigns(ctx: Viewer) -> dict[str, Any]:
    with ctx.workspace() as ws:
        return campaigns_view(ws.list_campaigns()).to_json()


@router.post("/campaigns", response_model=m.Board, status_code=201, tags=["campaigns"])
def create_campaign(request: Request, body: m.NewCampaign, ctx: Member) -> dict[str, Any]:
    """A campaign from a saved plan (``plan_id``) or from creators named by hand."""
    base = body.link_base or str(request.base_url).rstrip("/")
    with ctx.workspace(write=True, what="a new campaign") as ws:
        if body.plan_id is not None:
            made = ws.create_campaign_from_plan_id(
                body.name, body.plan_id, body.destination, link_base=base
            )
        else:
            made = ws.create_campaign(
                body.name, body.destination, body.creators, currency=body.currency, link_base=base
            )
        return board_view(ws.campaign_board(made.campaign_id)).to_json()


@router.get("/campaigns/{ref}", response_model=m.Board, tags=["campaigns"])
def campaign(ref: str, ctx: Viewer) -> dict[str, Any]:
    """The board: deals as they stand, links and codes, follow-ups due, latest events."""
    with ctx.workspace() as ws:
        return board_view(ws.campaign_board(ref)).to_json()


@router.post("/campaigns/{ref}/deals/{creator}/moves", response_model=m.Moved, tags=["campaigns"])
def move(ref: str, creator: str, body: m.Move, ctx: Member) -> dict[str, Any]:
    """Append one event to a deal (a stage, a note); an unusual move comes back as ``warning``."""
    try:
        stage = Stage.parse(body.stage) if body.stage else None
    except ValueError as exc:
        raise InvalidOption(str(exc), field="stage") from None
    terms = deal_terms(body.fee, body.due)
    with ctx.workspace(write=True, what="a deal move") as ws:
        deal, warning = ws.move_deal(ref, creator, stage, terms=terms, note=body.note)
    return {"deal": jsonable(deal), "warning": warning}


@router.get("/campaigns/{ref}/links", response_model=m.Links, tags=["campaigns"])
def links(ref: str, ctx: Viewer) -> dict[str, Any]:
    """Tracking links and discount codes, one per deal."""
    with ctx.workspace() as ws:
        return {"links": jsonable(ws.campaign_links(ref))}


@router.get("/campaigns/{ref}/results", response_model=m.ReportWithCharts, tags=["campaigns"])
def results(ref: str, ctx: Viewer) -> dict[str, Any]:
    """The campaign's report (what ``report --json`` prints) and its charts; reading it teaches
    the planner nothing (``creatormix report`` does)."""
    with ctx.workspace(what="a campaign report") as ws:
        shown = ws.report_page(ReportRequest(ref, learn=False))
    return {"report": report_view(shown.report).to_json(), "charts": list(shown.charts)}


# --- admin ------------------------------------------------------------------------------------


@router.get("/tokens", response_model=m.Tokens, tags=["admin"])
def tokens(ctx: Admin) -> dict[str, Any]:
    with ctx.workspace() as ws:
        return tokens_view(ws.tokens()).to_json()


@router.post("/tokens", response_model=m.MadeToken, status_code=201, tags=["admin"])
def create_token(body: m.NewToken, ctx: Admin) -> dict[str, Any]:
    """A token acting as ``user`` (default: you); the secret is in this answer only."""
    with ctx.workspace(write=True) as ws:
        made = ws.create_token(body.name, body.user or ctx.email)
    return {"token": token_json(made.token), "secret": made.secret}


@router.delete("/tokens/{token_id}", response_model=m.Token, tags=["admin"])
def revoke_token(token_id: int, ctx: Admin) -> dict[str, Any]:
    """Revoke a token: it is refused from the next request on."""
    with ctx.workspace(write=True) as ws:
        return token_json(ws.revoke_token(token_id))


@router.get("/audit-log", response_model=m.AuditLog, tags=["admin"])
def audit_log(
    ctx: Admin,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> dict[str, Any]:
    """Who changed what, newest first."""
    with ctx.workspace() as ws:
        entries, total = ws.audit_log(limit=limit, offset=offset)
    return audit_view(entries, total, offset).to_json()
