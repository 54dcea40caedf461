"""Logging in and out, and changing one's password."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from creatormix.errors import InvalidOption
from creatormix.web.auth import (
    SESSION_COOKIE,
    Ctx,
    any_user,
    client_address,
    cookie_options,
    credentials,
    safe_next,
)
from creatormix.web.render import page

router = APIRouter()


@router.get("/", response_class=RedirectResponse)
def home(ctx: Annotated[Ctx, Depends(any_user)]) -> RedirectResponse:
    return RedirectResponse("/catalog", status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/") -> HTMLResponse:
    return page(request, "login.html", None, next=safe_next(next), error=None)


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Log in; after 5 failures for one email (20 for one address) in 5 minutes, wait."""
    limiter = request.app.state.limiter
    address = client_address(request)
    target = safe_next(next)
    wait = limiter.retry_after(email, address)
    if wait:
        return page(
            request,
            "login.html",
            None,
            status=429,
            next=target,
            error=f"too many failed logins: try again in {wait} seconds",
            email=email,
        )
    with request.app.state.holder.use(what="a login") as ws:
        session = ws.login(email, password)
    if session is None:
        limiter.failed(email, address)
        return page(
            request,
            "login.html",
            None,
            status=401,
            next=target,
            error="wrong email or password",
            email=email,
        )
    limiter.succeeded(email)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE, session.secret, max_age=7 * 86400, **cookie_options(request)
    )
    return response


@router.post("/logout")
def logout(request: Request, ctx: Annotated[Ctx, Depends(any_user)]) -> RedirectResponse:
    secret, via = credentials(request)
    if secret and via == "session":
        with ctx.workspace() as ws:
            ws.logout(secret)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/account/password", response_class=HTMLResponse)
def password_form(request: Request, ctx: Annotated[Ctx, Depends(any_user)]) -> HTMLResponse:
    return page(request, "password.html", ctx, section="account", error=None, field=None)


@router.post("/account/password", response_class=HTMLResponse)
def change_password(
    request: Request,
    ctx: Annotated[Ctx, Depends(any_user)],
    current: Annotated[str, Form(max_length=1000)] = "",
    new: Annotated[str, Form(max_length=1000)] = "",
    again: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    try:
        if new != again:
            raise InvalidOption("the two new passwords differ", field="again")
        with ctx.workspace(what="a password change") as ws:
            session = ws.change_own_password(ctx.email, current, new)
    except InvalidOption as exc:
        return page(
            request,
            "password.html",
            ctx,
            status=400,
            section="account",
            error=str(exc),
            field=exc.field,
        )
    response = RedirectResponse("/catalog?password=changed", status_code=303)
    response.set_cookie(
        SESSION_COOKIE, session.secret, max_age=7 * 86400, **cookie_options(request)
    )
    return response
