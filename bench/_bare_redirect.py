"""Baseline for suite_redirect: the least an ASGI redirect can do (no lookup, no recording)."""


async def app(scope, receive, send):  # type: ignore[no-untyped-def]
    if scope["type"] != "http":
        return
    await send(
        {
            "type": "http.response.start",
            "status": 302,
            "headers": [(b"location", b"https://shop.example/spring"), (b"content-length", b"0")],
        }
    )
    await send({"type": "http.response.body", "body": b""})
