"""Templates (Jinja2, autoescaped) and the page context every template gets."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import Request
    from fastapi.responses import HTMLResponse
    from fastapi.templating import Jinja2Templates

    from creatormix.web.auth import Ctx

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

NAV = (
    ("catalog", "/catalog", "Catalog", "viewer"),
    ("shortlists", "/shortlists", "Shortlists", "viewer"),
    ("plans", "/plans", "Plans", "viewer"),
    ("campaigns", "/campaigns", "Campaigns", "viewer"),
    ("imports", "/imports", "Imports", "viewer"),
    ("admin", "/admin/users", "Admin", "admin"),
)


@cache
def templates() -> Jinja2Templates:
    from fastapi.templating import Jinja2Templates

    t = Jinja2Templates(directory=str(TEMPLATES))
    t.env.globals["nav"] = NAV
    t.env.trim_blocks = True
    t.env.lstrip_blocks = True
    return t


def page(
    request: Request,
    name: str,
    ctx: Ctx | None,
    *,
    status: int = 200,
    section: str = "",
    **data: Any,
) -> HTMLResponse:
    """Render template ``name`` for the caller (None on the login page)."""
    return templates().TemplateResponse(
        request,
        name,
        {"ctx": ctx, "section": section, "csrf": ctx.csrf if ctx else "", **data},
        status_code=status,
    )
