"""Shortlists: named lists of creators with notes; adding from the catalog or a creator page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from creatormix.errors import InvalidOption
from creatormix.views.accounts import shortlist_view, shortlists_view
from creatormix.web.auth import Ctx, member, viewer
from creatormix.web.render import page

router = APIRouter()

Name = Annotated[str, Form(max_length=200)]


@router.get("/shortlists", response_class=HTMLResponse)
def shortlists(request: Request, ctx: Annotated[Ctx, Depends(viewer)]) -> HTMLResponse:
    with ctx.workspace() as ws:
        view = shortlists_view(ws.shortlists())
    return page(request, "shortlists.html", ctx, section="shortlists", view=view, error=None)


@router.post("/shortlists", response_class=HTMLResponse)
def create(request: Request, ctx: Annotated[Ctx, Depends(member)], name: Name = "") -> Response:
    try:
        with ctx.workspace(write=True, what="a new shortlist") as ws:
            made = ws.create_shortlist(name)
    except InvalidOption as exc:
        with ctx.workspace() as ws:
            view = shortlists_view(ws.shortlists())
        return page(
            request,
            "shortlists.html",
            ctx,
            status=400,
            section="shortlists",
            view=view,
            error=str(exc),
        )
    return RedirectResponse(f"/shortlists/{made.shortlist_id}", status_code=303)


@router.get("/shortlists/picker", response_class=HTMLResponse)
def picker(request: Request, ctx: Annotated[Ctx, Depends(viewer)], ref: str = "") -> HTMLResponse:
    """The "add to shortlist" form of a creator (an htmx fragment of the creator page)."""
    with ctx.workspace() as ws:
        names = [s.name for s in ws.shortlists()]
    return page(request, "shortlist_picker.html", ctx, names=names, ref=ref, done=None)


@router.post("/shortlists/add", response_class=HTMLResponse)
def add(
    request: Request,
    ctx: Annotated[Ctx, Depends(member)],
    shortlist: Name = "",
    creator: Annotated[list[str] | None, Form(max_length=200)] = None,
    note: Annotated[str | None, Form(max_length=2000)] = None,
) -> Response:
    """Add creators to a shortlist (made on the fly when it does not exist yet)."""
    with ctx.workspace(write=True, what="a shortlist change") as ws:
        result = ws.shortlist_add(shortlist, creator or [], note or None, create=True)
    if request.headers.get("hx-request"):
        return page(
            request,
            "shortlist_picker.html",
            ctx,
            names=[],
            ref="",
            done=f"added to {result.name} ({len(result.entries)} creator(s))",
            shortlist_id=result.shortlist_id,
        )
    return RedirectResponse(f"/shortlists/{result.shortlist_id}", status_code=303)


@router.get("/shortlists/{shortlist_id:int}", response_class=HTMLResponse)
def show(request: Request, shortlist_id: int, ctx: Annotated[Ctx, Depends(viewer)]) -> HTMLResponse:
    with ctx.workspace() as ws:
        view = shortlist_view(ws.get_shortlist(shortlist_id))
    return page(request, "shortlist.html", ctx, section="shortlists", view=view)


@router.post("/shortlists/{shortlist_id:int}/note", response_class=HTMLResponse)
def note(
    request: Request,
    shortlist_id: int,
    ctx: Annotated[Ctx, Depends(member)],
    creator: Name = "",
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    with ctx.workspace(write=True, what="a shortlist note") as ws:
        ws.shortlist_add(shortlist_id, [creator], note)
    return RedirectResponse(f"/shortlists/{shortlist_id:int}", status_code=303)


@router.post("/shortlists/{shortlist_id:int}/remove", response_class=HTMLResponse)
def remove(
    request: Request, shortlist_id: int, ctx: Annotated[Ctx, Depends(member)], creator: Name = ""
) -> Response:
    with ctx.workspace(write=True, what="a shortlist change") as ws:
        ws.shortlist_remove(shortlist_id, creator)
    return RedirectResponse(f"/shortlists/{shortlist_id:int}", status_code=303)
