"""plotly.js, served from the plotly wheel (no CDN): the same file ``fig.to_html`` embeds."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

router = APIRouter()


@cache
def plotly_js() -> Path:
    import plotly

    return Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"


@router.get("/static/plotly.min.js")
def plotly_file() -> FileResponse:
    return FileResponse(
        plotly_js(),
        media_type="text/javascript",
        headers={"cache-control": "public, max-age=86400"},
    )
