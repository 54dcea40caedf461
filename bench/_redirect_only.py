"""For suite_redirect: our redirect served alone (RedirectService + RedirectEndpoint, the journal
and the folder child, without the web app): ``CREATORMIX_DB=... uvicorn _redirect_only:app``."""

from __future__ import annotations

import os
from typing import Any

from creatormix.web.redirect import NOT_FOUND_PAGE, RedirectEndpoint
from creatormix.workspace.redirects import RedirectService

service = RedirectService(os.environ["CREATORMIX_DB"], fold_interval=5.0)
endpoint = RedirectEndpoint(service)


async def app(scope: Any, receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                service.start()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                endpoint.close()
                service.stop()
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["path"].startswith("/r/"):
        await endpoint(scope, receive, send)
        return
    await send({"type": "http.response.start", "status": 404, "headers": []})
    await send({"type": "http.response.body", "body": NOT_FOUND_PAGE})
