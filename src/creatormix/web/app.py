"""``create_app()``: the FastAPI application, with the redirect answered before any routing."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from creatormix.workspace import default_db_path
from creatormix.workspace.redirects import RedirectService

if TYPE_CHECKING:
    from fastapi import FastAPI

REDIRECT_PREFIX = "/r/"


def create_app(
    db: str | os.PathLike[str] | None = None, *, fold_interval: float | None = None
) -> FastAPI:
    """The web app for the workspace at ``db`` (default ``$CREATORMIX_DB``).

    ``GET /r/<code>`` goes straight to the raw ASGI redirect handler: a bare FastAPI route measured
    about 5x slower on this project's 2-core target (docs/architecture.md). Everything else is
    ordinary FastAPI.
    """
    from fastapi import FastAPI
    from fastapi.responses import HTMLResponse

    from creatormix.web.redirect import RedirectEndpoint

    if fold_interval is None:
        fold_interval = float(os.environ.get("CREATORMIX_FOLD_INTERVAL", "5"))
    service = RedirectService(default_db_path(db), fold_interval=fold_interval)
    endpoint = RedirectEndpoint(service)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        service.start()
        try:
            yield
        finally:
            endpoint.close()
            service.stop()

    class CreatormixApp(FastAPI):
        async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
            if scope["type"] == "http" and scope["path"].startswith(REDIRECT_PREFIX):
                await endpoint(scope, receive, send)
                return
            await super().__call__(scope, receive, send)

    app = CreatormixApp(
        title="creatormix", lifespan=lifespan, docs_url="/api/docs", openapi_url="/api/openapi.json"
    )

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index() -> str:
        return "<!doctype html><title>creatormix</title><h1>creatormix</h1><p>Tracking links live under /r/&lt;code&gt;.</p>"

    @app.get("/api/health")
    def health() -> dict[str, Any]:
        return {
            "status": "ok",
            "links": len(service.targets),
            "folds": service.folds,
            "fold_skips": service.fold_skips,
            "journal_writes": endpoint.batches,
            "clicks_recorded": endpoint.clicks,
            "journal_write_seconds": round(endpoint.write_seconds, 3),
        }

    return app
