"""The redirect endpoint, ``GET /r/<code>``: a raw ASGI handler with group commit.

The request path does no routing, no validation framework and no database: a dict lookup, one
journal line, then the response. Lines from all requests that arrive while a write is in flight
wait for the next write, so one ``fdatasync`` acknowledges a whole batch (group commit). Writes go
to ``lanes`` segments at once (one file each, so each stays gap-free), so a batch can start while
another's ``fdatasync`` is still in flight. A redirect is sent only after the write that holds its
click returned; a failed write answers 503.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

from creatormix.workspace.redirects import RedirectService

Scope = dict[str, Any]

NOT_FOUND_PAGE = (
    b"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Link not found</title></head>"
    b"<body style='font-family:system-ui,sans-serif;margin:3rem'><h1>This link does not exist</h1>"
    b"<p>The tracking link you followed is unknown or was mistyped.</p></body></html>"
)
_404_HEADERS = [
    (b"content-type", b"text/html; charset=utf-8"),
    (b"content-length", str(len(NOT_FOUND_PAGE)).encode()),
    (b"cache-control", b"no-store"),
]


class RedirectEndpoint:
    def __init__(self, service: RedirectService) -> None:
        self.service = service
        self._lines: list[bytes] = []
        self._waiters: list[asyncio.Future[None]] = []
        self._free = list(range(service.lanes))
        self.batches = 0  # journal writes, and the clicks they held (mean batch = clicks / batches)
        self.clicks = 0
        self.write_seconds = 0.0
        self._executor = ThreadPoolExecutor(
            max_workers=service.lanes, thread_name_prefix="click-journal"
        )

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        code = scope["path"][3:]
        target = self.service.targets.get(code)
        method = scope["method"]
        if target is None or method not in ("GET", "HEAD"):
            status = 404 if target is None else 405
            await send({"type": "http.response.start", "status": status, "headers": _404_HEADERS})
            await send({"type": "http.response.body", "body": NOT_FOUND_PAGE})
            return
        if method == "GET":  # HEAD (link previews) is answered but is no click
            ua = referrer = b""
            for key, value in scope["headers"]:
                if key == b"user-agent":
                    ua = value
                elif key == b"referer":
                    referrer = value
            client = scope.get("client")
            line = self.service.click_line(
                code, client[0] if client else "", ua.decode("latin-1"), referrer.decode("latin-1")
            )
            try:
                await self._commit(line)
            except OSError:
                await send(
                    {
                        "type": "http.response.start",
                        "status": 503,
                        "headers": [(b"content-length", b"0"), (b"retry-after", b"1")],
                    }
                )
                await send({"type": "http.response.body", "body": b""})
                return
        await send(
            {
                "type": "http.response.start",
                "status": 302,
                "headers": [
                    (b"location", target),
                    (b"cache-control", b"no-store"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"content-length", b"0"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": b""})

    async def _commit(self, line: bytes) -> None:
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._lines.append(line)
        self._waiters.append(fut)
        self._dispatch()
        await fut

    def _dispatch(self) -> None:
        """Hand everything pending to a free journal lane; with none free, the lines wait and
        join the batch of the next lane that frees (that wait is what makes batches grow)."""
        loop = asyncio.get_running_loop()
        while self._lines and self._free:
            lane = self._free.pop()
            lines, waiters = self._lines, self._waiters
            self._lines, self._waiters = [], []
            self.batches += 1
            self.clicks += len(lines)
            started = loop.time()
            done = loop.run_in_executor(self._executor, self.service.write, b"".join(lines), lane)
            done.add_done_callback(partial(self._written, lane, waiters, started))

    def _written(
        self,
        lane: int,
        waiters: list[asyncio.Future[None]],
        started: float,
        done: asyncio.Future[None],
    ) -> None:
        self.write_seconds += asyncio.get_running_loop().time() - started
        self._free.append(lane)
        exc = done.exception()
        for w in waiters:
            if w.done():
                continue
            if exc is None:
                w.set_result(None)
            else:
                w.set_exception(exc)
        self._dispatch()

    def close(self) -> None:
        self._executor.shutdown(wait=True)
