"""Campaigns: the list and a new campaign (from a saved plan or by hand), the board of deals by
stage (drag a card or use its move form: each move is an appended event with time, user and note),
links and codes with copy buttons and CSV, and the results."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from creatormix.domain.campaigns import Stage, Terms
from creatormix.domain.requests import ReportRequest
from creatormix.errors import InvalidOption
from creatormix.views.board import board_view, campaigns_view
from creatormix.views.campaigns import report_view
from creatormix.web.auth import Ctx, member, viewer
from creatormix.web.render import page

router = APIRouter()

Text = Annotated[str, Form(max_length=2000)]


@router.get("/campaigns", response_class=HTMLResponse)
def campaigns(request: Request, ctx: Annotated[Ctx, Depends(viewer)]) -> HTMLResponse:
    with ctx.workspace() as ws:
        view = campaigns_view(ws.list_campaigns())
    return page(
        request, "campaigns.html", ctx, section="campaigns", view=view, error=None, values={}
    )


@router.post("/campaigns", response_class=HTMLResponse)
def create(
    request: Request,
    ctx: Annotated[Ctx, Depends(member)],
    name: Text = "",
    destination: Text = "",
    plan_id: Annotated[str, Form(max_length=20)] = "",
    creators: Text = "",
    currency: Annotated[str, Form(max_length=3)] = "USD",
    link_base: Text = "",
) -> Response:
    """A campaign whose deals are a saved plan's picks, or the creators listed (comma-separated)."""
    base = link_base.strip() or str(request.base_url).rstrip("/")
    with ctx.workspace(write=True, what="a new campaign") as ws:
        if plan_id.strip():
            if not plan_id.strip().isdigit():
                raise InvalidOption(f"plan {plan_id!r}: give the plan's number", field="plan_id")
            made = ws.create_campaign_from_plan_id(name, int(plan_id), destination, link_base=base)
        else:
            refs = [c.strip() for c in creators.replace("\n", ",").split(",") if c.strip()]
            made = ws.create_campaign(
                name, destination, refs, currency=currency or "USD", link_base=base
            )
    return RedirectResponse(f"/campaigns/{made.slug}", status_code=303)


def _board(request: Request, ctx: Ctx, ref: str, *, warning: str | None = None) -> HTMLResponse:
    with ctx.workspace() as ws:
        view = board_view(ws.campaign_board(ref))
    template = "board_fragment.html" if request.headers.get("hx-request") else "board.html"
    return page(
        request,
        template,
        ctx,
        section="campaigns",
        view=view,
        warning=warning,
        stages=[s.value for s in Stage],
    )


@router.get("/campaigns/{ref}", response_class=HTMLResponse)
def board(request: Request, ref: str, ctx: Annotated[Ctx, Depends(viewer)]) -> HTMLResponse:
    return _board(request, ctx, ref)


@router.post("/campaigns/{ref}/move", response_class=HTMLResponse)
def move(
    request: Request,
    ref: str,
    ctx: Annotated[Ctx, Depends(member)],
    creator: Annotated[str, Form(max_length=200)] = "",
    stage: Annotated[str, Form(max_length=40)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
    fee: Annotated[str, Form(max_length=40)] = "",
    due: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    """Append one event to a deal: its new stage, a note, the fee and the due date; the board
    comes back."""
    try:
        to = Stage.parse(stage) if stage.strip() else None
    except ValueError as exc:
        raise InvalidOption(str(exc), field="stage") from None
    terms = deal_terms(fee, due)
    with ctx.workspace(write=True, what="a deal move") as ws:
        _, warning = ws.move_deal(ref, creator, to, terms=terms, note=note.strip() or None)
    if request.headers.get("hx-request"):
        return _board(request, ctx, ref, warning=warning)
    return RedirectResponse(f"/campaigns/{ref}", status_code=303)


def deal_terms(fee: str | None, due: str | None) -> Terms:
    """The fee (a number, "400" or "1.2k") and due date (YYYY-MM-DD) of a move, when given."""
    from datetime import datetime

    from creatormix.web.params import blank

    amount = None
    if not blank(fee):
        assert fee is not None
        text = fee.strip().lower().replace(",", "").lstrip("$€£")
        try:
            amount = float(text[:-1]) * 1000 if text.endswith("k") else float(text)
        except ValueError:
            raise InvalidOption(
                f"fee {fee!r}: expected an amount such as 400 or 1.2k", field="fee"
            ) from None
        if amount < 0:
            raise InvalidOption(f"fee {fee!r}: an amount is 0 or more", field="fee")
    when = None
    if not blank(due):
        assert due is not None
        try:
            when = datetime.fromisoformat(due.strip())
        except ValueError:
            raise InvalidOption(
                f"due {due!r}: expected a date such as 2026-05-01", field="due"
            ) from None
    return Terms(fee=amount, due_at=when)


@router.get("/campaigns/{ref}/links.csv")
def links_csv(ref: str, ctx: Annotated[Ctx, Depends(viewer)]) -> Response:
    with ctx.workspace() as ws:
        text = ws.links_csv(ref)
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{ref}-links.csv"'},
    )


@router.get("/campaigns/{ref}/results", response_class=HTMLResponse)
def results(request: Request, ref: str, ctx: Annotated[Ctx, Depends(viewer)]) -> HTMLResponse:
    """The report: reading it records nothing (learn=False); `creatormix report` teaches the
    planner the measured rates."""
    with ctx.workspace(what="a campaign report") as ws:
        shown = ws.report_page(ReportRequest(ref, learn=False))
    return page(
        request,
        "results.html",
        ctx,
        section="campaigns",
        view=report_view(shown.report),
        charts=shown.charts,
        ref=ref,
    )
