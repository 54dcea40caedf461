"""The pages: server-rendered with Jinja2, htmx for partial updates. Each route parses its input,
builds the facade's request, makes one facade call and renders one view (docs/architecture.md,
"Adding a web page"). Every route needs a login but ``/login``."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:
    from fastapi import FastAPI, Request
    from fastapi.responses import Response


def mount(app: FastAPI) -> None:
    from fastapi.staticfiles import StaticFiles

    from creatormix.web.pages import (
        account,
        admin,
        campaigns,
        catalog,
        imports,
        plans,
        shortlists,
        static,
    )
    from creatormix.web.render import STATIC

    for module in (account, catalog, shortlists, imports, plans, campaigns, admin, static):
        app.include_router(module.router, include_in_schema=False)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")


def to_login(request: Request) -> Response:
    from fastapi.responses import RedirectResponse

    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if request.headers.get("hx-request"):  # htmx: a whole-page redirect, not a swapped fragment
        from fastapi.responses import Response as Plain

        return Plain(status_code=401, headers={"HX-Redirect": "/login?next=" + quote(target)})
    if request.method != "GET":  # a form posted without a session: nothing to come back to
        target = "/"
    return RedirectResponse("/login?next=" + quote(target, safe="/"), status_code=303)


def to_password_page(request: Request) -> Response:
    from fastapi.responses import RedirectResponse

    return RedirectResponse("/account/password", status_code=303)


def error_page(
    request: Request, status: int, message: str, *, headers: dict[str, str] | None = None
) -> Response:
    from creatormix.web.render import page

    titles = {400: "That did not work", 403: "Not allowed", 404: "Not found", 409: "Conflict"}
    response = page(
        request,
        "error.html",
        None,
        status=status,
        title=titles.get(status, "Something went wrong"),
        message=message,
    )
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response
