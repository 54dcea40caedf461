"""``create_app()``: the whole web app in one process.

``GET /r/<code>`` is answered by the raw ASGI redirect handler before any routing (a FastAPI
route measured about 5x slower on this project's 2-core target: docs/architecture.md). Then a
body-size guard, then FastAPI: the pages (``web/pages/``, Jinja2 + htmx), the REST API under
``/api/v1`` (``web/api.py``, OpenAPI at ``/api/v1/openapi.json``), static files (htmx vendored,
plotly.js from the plotly wheel) and ``/api/health``.
"""

from __future__ import annotations

import os
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from creatormix.errors import CreatormixError
from creatormix.web.auth import Forbidden, MustChangePassword, NotLoggedIn
from creatormix.workspace import default_db_path
from creatormix.workspace.redirects import LinkTargets, RedirectService

if TYPE_CHECKING:
    from fastapi import FastAPI, Request
    from fastapi.responses import Response

    from creatormix.workspace import Workspace

REDIRECT_PREFIX = "/r/"
API_PREFIX = "/api/v1"
BODY_LIMIT = 1 << 20  # any request body: 1 MiB …
UPLOAD_PATHS = ("/imports", API_PREFIX + "/imports")  # … except an upload's
ENV_UPLOAD_LIMIT = "CREATORMIX_UPLOAD_LIMIT_MB"
DEFAULT_UPLOAD_MB = 200

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        b"img-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
    ),
]


class BodyTooLarge(Exception):
    pass


def upload_limit() -> int:
    raw = os.environ.get(ENV_UPLOAD_LIMIT)
    try:
        mb = float(raw) if raw else DEFAULT_UPLOAD_MB
    except ValueError:
        mb = DEFAULT_UPLOAD_MB
    return int(mb * (1 << 20))


def create_app(
    db: str | os.PathLike[str] | None = None, *, fold_interval: float | None = None
) -> FastAPI:
    """The web app for the workspace at ``db`` (default ``$CREATORMIX_DB``)."""
    from fastapi import FastAPI
    from fastapi.exceptions import RequestValidationError
    from starlette.exceptions import HTTPException

    from creatormix.web import api, pages
    from creatormix.web.auth import LoginLimiter
    from creatormix.web.holder import hold
    from creatormix.web.jobs import Jobs
    from creatormix.web.redirect import RedirectEndpoint

    if fold_interval is None:
        fold_interval = float(os.environ.get("CREATORMIX_FOLD_INTERVAL", "5"))
    path = default_db_path(db)
    service = RedirectService(path, fold_interval=fold_interval)
    endpoint = RedirectEndpoint(service)

    def reload_links(ws: Workspace) -> None:
        """After a change made here, serve new or changed tracking links at once (the folder
        child sends them too, but only every fold interval and only while the file is free)."""
        service.targets = LinkTargets({c: u.encode() for c, u in ws.redirect_targets().items()})

    holder = hold(path, on_write=reload_links)
    limit = upload_limit()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        service.start()
        try:
            yield
        finally:
            endpoint.close()
            holder.close()
            service.stop()

    class CreatormixApp(FastAPI):
        async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
            if scope["type"] != "http":
                await super().__call__(scope, receive, send)
                return
            if scope["path"].startswith(REDIRECT_PREFIX):
                await endpoint(scope, receive, send)
                return
            await guarded(scope, receive, send)

    async def with_headers(scope: Any, receive: Any, send: Any) -> None:
        started = time.perf_counter()

        async def send_with(message: Any) -> None:
            if message["type"] == "http.response.start":
                took = f"app;dur={(time.perf_counter() - started) * 1000:.1f}".encode()
                message = {
                    **message,
                    "headers": [
                        *message.get("headers", []),
                        *SECURITY_HEADERS,
                        (b"server-timing", took),
                    ],
                }
            await send(message)

        await FastAPI.__call__(app, scope, receive, send_with)

    async def guarded(scope: Any, receive: Any, send: Any) -> None:
        """Refuse a body over the limit before reading it (Content-Length) or while reading it."""
        allowed = limit if scope["path"] in UPLOAD_PATHS else BODY_LIMIT
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > allowed:
            await too_large(scope, send, allowed)
            return
        seen = 0
        started = False

        async def counting() -> Any:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > allowed:
                    raise BodyTooLarge()
            return message

        async def tracking(message: Any) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await with_headers(scope, counting, tracking)
        except BodyTooLarge:
            if not started:
                await too_large(scope, send, allowed)

    async def too_large(scope: Any, send: Any, allowed: int) -> None:
        import json

        mb = allowed / (1 << 20)
        message = (
            f"the upload is larger than {mb:g} MB (the server's limit, ${ENV_UPLOAD_LIMIT})"
            if allowed > BODY_LIMIT
            else f"the request body is larger than {mb:g} MB"
        )
        body = json.dumps(
            {"error": {"code": "too_large", "message": message, "field": None}}
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                    *SECURITY_HEADERS,
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    app = CreatormixApp(
        title="creatormix",
        version="1",
        summary="Plan, vet and measure influencer campaigns: the REST API of the web app.",
        lifespan=lifespan,
        docs_url=None,  # FastAPI's Swagger page loads its code from a CDN; ours is a template
        redoc_url=None,
        openapi_url=None,  # served below, behind a login like every other route
    )
    app.state.holder = holder
    app.state.service = service
    app.state.endpoint = endpoint
    app.state.limiter = LoginLimiter()
    app.state.jobs = Jobs()
    app.state.upload_limit = limit

    pages.mount(app)
    api.mount(app)

    @app.exception_handler(NotLoggedIn)
    def not_logged_in(request: Request, exc: NotLoggedIn) -> Response:
        if _is_api(request):
            return _error(
                401,
                "unauthenticated",
                "log in, or send Authorization: Bearer <token>",
                headers={"www-authenticate": "Bearer"},
            )
        return pages.to_login(request)

    @app.exception_handler(MustChangePassword)
    def must_change(request: Request, exc: MustChangePassword) -> Response:
        if _is_api(request):
            return _error(
                403, "password_change", "change your one-time password first (in the web app)"
            )
        return pages.to_password_page(request)

    @app.exception_handler(Forbidden)
    def forbidden(request: Request, exc: Forbidden) -> Response:
        if _is_api(request):
            return _error(403, "forbidden", str(exc))
        return pages.error_page(request, 403, str(exc))

    @app.exception_handler(CreatormixError)
    def known_error(request: Request, exc: CreatormixError) -> Response:
        status = exc.http_status if 400 <= exc.http_status < 600 else 500
        headers = {"retry-after": "2"} if status == 503 else None
        if _is_api(request):
            return _error(status, exc.code, str(exc), exc.field, headers=headers)
        return pages.error_page(request, status, str(exc), headers=headers)

    @app.exception_handler(RequestValidationError)
    def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        loc = [str(x) for x in first.get("loc", ()) if x not in ("body", "query", "path", "header")]
        field = ".".join(loc) or None
        message = (
            f"{field}: {first.get('msg', 'invalid')}"
            if field
            else str(first.get("msg", "invalid request"))
        )
        if _is_api(request):
            return _error(422, "invalid_request", message, field)
        return pages.error_page(request, 400, message)

    @app.exception_handler(HTTPException)
    def http_error(request: Request, exc: HTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        if _is_api(request):
            return _error(exc.status_code, code, str(exc.detail), headers=dict(exc.headers or {}))
        return pages.error_page(
            request, exc.status_code, str(exc.detail), headers=dict(exc.headers or {})
        )

    @app.get("/api/health", tags=["health"], include_in_schema=False)
    def health() -> dict[str, Any]:
        return {
            "status": "ok",
            "links": len(service.targets),
            "folds": service.folds,
            "fold_skips": service.fold_skips,
            "journal_writes": endpoint.batches,
            "clicks_recorded": endpoint.clicks,
            "journal_write_seconds": round(endpoint.write_seconds, 3),
            "workspace_opens": holder.opens,
        }

    return app


def _is_api(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX)


def _error(
    status: int,
    code: str,
    message: str,
    field: str | None = None,
    *,
    headers: dict[str, str] | None = None,
) -> Response:
    from fastapi.responses import JSONResponse

    return JSONResponse(
        {"error": {"code": code, "message": message, "field": field}}, status, headers=headers
    )
