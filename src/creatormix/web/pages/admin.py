"""Admin pages: accounts and roles, API tokens, the audit log, and the brand's target audience
(the setting the catalog's fit and the creator page measure against)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from creatormix.domain.vetting import Target
from creatormix.views.accounts import audit_view, tokens_view, users_view
from creatormix.views.vetting import describe_target
from creatormix.web.auth import Ctx, admin
from creatormix.web.params import many
from creatormix.web.render import page

router = APIRouter()

Short = Annotated[str, Form(max_length=320)]
AUDIT_PAGE = 100


@router.get("/admin/users", response_class=HTMLResponse)
def users(request: Request, ctx: Annotated[Ctx, Depends(admin)]) -> HTMLResponse:
    with ctx.workspace() as ws:
        view = users_view(ws.users())
    return page(request, "admin_users.html", ctx, section="admin", view=view, made=None)


@router.post("/admin/users", response_class=HTMLResponse)
def add_user(
    request: Request, ctx: Annotated[Ctx, Depends(admin)], email: Short = "", role: Short = "member"
) -> HTMLResponse:
    """Add an account; its one-time password is shown on this page once."""
    with ctx.workspace(write=True, what="a new account") as ws:
        made = ws.add_user(email, role)
        view = users_view(ws.users())
    return page(request, "admin_users.html", ctx, section="admin", view=view, made=made)


@router.post("/admin/users/role")
def set_role(ctx: Annotated[Ctx, Depends(admin)], email: Short = "", role: Short = "") -> Response:
    with ctx.workspace(write=True, what="a role change") as ws:
        ws.set_role(email, role)
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/active")
def set_active(
    ctx: Annotated[Ctx, Depends(admin)], email: Short = "", active: Short = ""
) -> Response:
    with ctx.workspace(write=True, what="an account change") as ws:
        ws.set_active(email, active == "yes")
    return RedirectResponse("/admin/users", status_code=303)


@router.get("/admin/tokens", response_class=HTMLResponse)
def tokens(request: Request, ctx: Annotated[Ctx, Depends(admin)]) -> HTMLResponse:
    with ctx.workspace() as ws:
        view = tokens_view(ws.tokens())
    return page(request, "admin_tokens.html", ctx, section="admin", view=view, made=None)


@router.post("/admin/tokens", response_class=HTMLResponse)
def create_token(
    request: Request, ctx: Annotated[Ctx, Depends(admin)], name: Short = "", user: Short = ""
) -> HTMLResponse:
    """Make a token acting as ``user`` (default: you); its secret is shown on this page once."""
    with ctx.workspace(write=True, what="a new token") as ws:
        made = ws.create_token(name, user.strip() or ctx.email)
        view = tokens_view(ws.tokens())
    return page(request, "admin_tokens.html", ctx, section="admin", view=view, made=made)


@router.post("/admin/tokens/{token_id:int}/revoke")
def revoke_token(token_id: int, ctx: Annotated[Ctx, Depends(admin)]) -> Response:
    with ctx.workspace(write=True, what="a token revocation") as ws:
        ws.revoke_token(token_id)
    return RedirectResponse("/admin/tokens", status_code=303)


@router.get("/admin/audit", response_class=HTMLResponse)
def audit(
    request: Request,
    ctx: Annotated[Ctx, Depends(admin)],
    page_no: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    offset = (page_no - 1) * AUDIT_PAGE
    with ctx.workspace() as ws:
        entries, total = ws.audit_log(limit=AUDIT_PAGE, offset=offset)
    view = audit_view(entries, total, offset)
    more = offset + len(entries) < total
    return page(
        request, "admin_audit.html", ctx, section="admin", view=view, page_no=page_no, more=more
    )


@router.get("/admin/settings", response_class=HTMLResponse)
def settings(request: Request, ctx: Annotated[Ctx, Depends(admin)]) -> HTMLResponse:
    with ctx.workspace() as ws:
        target = ws.vetting_target()
    return page(
        request,
        "admin_settings.html",
        ctx,
        section="admin",
        target=target,
        described=describe_target(target),
        error=None,
    )


@router.post("/admin/settings", response_class=HTMLResponse)
def set_target(
    request: Request,
    ctx: Annotated[Ctx, Depends(admin)],
    ship_to: Short = "",
    ages: Short = "",
    genders: Short = "",
    languages: Short = "",
    keywords: Short = "",
) -> Response:
    """Store the target audience (empty fields: no target)."""
    target = Target(
        countries=many([ship_to]),
        ages=many([ages]),
        genders=many([genders]),
        languages=many([languages]),
        keywords=keywords.strip(),
    )
    with ctx.workspace(write=True, what="a settings change") as ws:
        ws.set_target(None if target == Target() else target)
    return RedirectResponse("/admin/settings", status_code=303)
