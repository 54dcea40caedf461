"""The catalog (search, filters, sort, pages, tier summary, CSV) and the creator page."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from creatormix.domain.query import CreatorQuery, SortKey
from creatormix.domain.requests import CatalogQuery
from creatormix.errors import InvalidOption
from creatormix.views.browse import catalog_csv_rows, catalog_view
from creatormix.views.catalog import creator_page_view
from creatormix.views.charts import engagement_chart, growth_chart
from creatormix.web import params
from creatormix.web.auth import Ctx, viewer
from creatormix.web.render import page

router = APIRouter()

PLATFORMS = ("instagram", "tiktok", "youtube", "twitter", "twitch", "facebook")
TIERS = ("nano", "micro", "mid", "macro", "mega")
PER_PAGE = (25, 50, 100)
SORTS = tuple(k.value for k in SortKey)
HISTORY_POSTS = 60  # posts in the engagement chart


Many = Annotated[list[str] | None, Query(max_length=200)]
Text = Annotated[str | None, Query(max_length=200)]


@dataclass(frozen=True)
class CatalogFilters:
    """The catalog's filters as the URL carries them (raw text, read by ``catalog_query``): one
    definition for the catalog page, its CSV export and ``GET /api/v1/catalog``."""

    q: str | None = None
    search: str | None = None
    platform: list[str] | None = None
    tier: list[str] | None = None
    country: list[str] | None = None
    niche: list[str] | None = None
    min_followers: str | None = None
    max_followers: str | None = None
    min_er: str | None = None
    max_er: str | None = None
    min_fit: str | None = None
    min_auth: str | None = None
    sort: str | None = None
    order: str | None = None


def catalog_filters(
    q: Text = None,
    search: Text = None,
    platform: Many = None,
    tier: Many = None,
    country: Many = None,
    niche: Many = None,
    min_followers: Text = None,
    max_followers: Text = None,
    min_er: Text = None,
    max_er: Text = None,
    min_fit: Text = None,
    min_auth: Text = None,
    sort: Text = None,
    order: Annotated[str | None, Query(max_length=4, description="asc or desc")] = None,
) -> CatalogFilters:
    """The filters of a catalog request (a FastAPI dependency)."""
    return CatalogFilters(
        q, search, platform, tier, country, niche, min_followers, max_followers,
        min_er, max_er, min_fit, min_auth, sort, order,
    )  # fmt: skip


Filters = Annotated[CatalogFilters, Depends(catalog_filters)]


def catalog_query(
    f: CatalogFilters, page_no: int, per_page: int, *, everything: bool = False
) -> CatalogQuery:
    """The facade's request from the URL's parameters (the filters live in the URL)."""
    tiers = tuple(t.lower() for t in params.many(f.tier))
    bad = [t for t in tiers if t not in TIERS]
    if bad:
        raise InvalidOption(
            f"tier {bad[0]!r}: choose nano, micro, mid, macro or mega", field="tier"
        )
    plats = tuple(p.lower() for p in params.many(f.platform))
    chosen = (f.sort or "").strip()
    if chosen and chosen not in SORTS:
        raise InvalidOption(f"sort {chosen!r}: choose one of {', '.join(SORTS)}", field="sort")
    order = (f.order or "desc").strip().lower() or "desc"
    if order not in ("asc", "desc"):
        raise InvalidOption(f"order {f.order!r}: choose asc or desc", field="order")
    if per_page not in PER_PAGE:
        raise InvalidOption(f"per_page {per_page}: choose 25, 50 or 100", field="per_page")
    if page_no < 1:
        raise InvalidOption("page numbers start at 1", field="page")
    filters = CreatorQuery(
        platforms=plats,
        tiers=tiers,
        countries=params.many(f.country),
        niches=params.many(f.niche),
        text=(f.search or "").strip() or None,
        min_followers=params.count(f.min_followers, "min_followers"),
        max_followers=params.count(f.max_followers, "max_followers"),
        min_er=params.rate(f.min_er, "min_er"),
        max_er=params.rate(f.max_er, "max_er"),
        sort=SortKey(chosen) if chosen else SortKey.FOLLOWERS,
        descending=order != "asc",
        limit=None if everything else per_page,
        offset=0 if everything else (page_no - 1) * per_page,
    )
    return CatalogQuery(
        filters,
        keywords=(f.q or "").strip() or None,
        min_fit=params.rate(f.min_fit, "min_fit"),
        min_authenticity=params.score(f.min_auth, "min_auth"),
        by_relevance=not chosen,
    )


@router.get("/catalog", response_class=HTMLResponse)
def catalog(
    request: Request,
    ctx: Annotated[Ctx, Depends(viewer)],
    f: Filters,
    page_no: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 50,
) -> HTMLResponse:
    args = dict(request.query_params.multi_items())
    error = field = None
    try:
        query = catalog_query(f, page_no, per_page)
        with ctx.workspace(what="a catalog search") as ws:
            view = catalog_view(ws.browse(query))
    except InvalidOption as exc:
        error, field, view = str(exc), exc.field, None
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != "page" and v]

    def page_url(n: int) -> str:
        return "/catalog?" + urlencode([*kept, ("page", str(n))])

    def sort_url(key: str) -> str:
        current = (f.sort or "") == key and (f.order or "desc") == "desc"
        rest = [(k, v) for k, v in kept if k not in ("sort", "order")]
        return "/catalog?" + urlencode(
            [*rest, ("sort", key), ("order", "asc" if current else "desc")]
        )

    template = "catalog_results.html" if request.headers.get("hx-request") else "catalog.html"
    return page(
        request,
        template,
        ctx,
        status=400 if error else 200,
        section="catalog",
        view=view,
        error=error,
        field=field,
        args=args,
        selected={"platform": params.many(f.platform), "tier": params.many(f.tier)},
        platforms=PLATFORMS,
        tiers=TIERS,
        sorts=SORTS,
        per_pages=PER_PAGE,
        page_url=page_url,
        sort_url=sort_url,
        csv_url="/catalog.csv?" + urlencode([(k, v) for k, v in kept if k not in ("per_page",)]),
        sort_keys=_SORTABLE,
    )


# table column -> the sort key it orders by
_SORTABLE = {
    "handle": "handle",
    "followers": "followers",
    "ER (shrunk)": "er",
    "/week": "cadence",
    "sponsored": "sponsored",
    "price": "price",
}


@router.get("/catalog.csv")
def catalog_csv(ctx: Annotated[Ctx, Depends(viewer)], f: Filters) -> Response:
    """Every creator the current view matches (not only the page), as CSV."""
    query = catalog_query(f, 1, 50, everything=True)
    with ctx.workspace(what="a catalog export") as ws:
        view = catalog_view(ws.browse(query))
    out = io.StringIO()
    csv.writer(out).writerows(catalog_csv_rows(view))
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="creators.csv"'},
    )


@router.get("/creators/{ref}", response_class=HTMLResponse)
def creator_page(
    request: Request,
    ref: str,
    ctx: Annotated[Ctx, Depends(viewer)],
    posts: Annotated[int, Query(ge=0, le=200)] = 12,
) -> HTMLResponse:
    with ctx.workspace(what="a creator page") as ws:
        overview = ws.creator_overview(ref, posts=posts, history=HISTORY_POSTS)
    view = creator_page_view(overview)
    charts = [c for c in (engagement_chart(overview), growth_chart(overview)) if c]
    return page(
        request,
        "creator.html",
        ctx,
        section="catalog",
        view=view,
        ref=ref,
        charts=charts,
        canonical=f"{overview.detail.profile.creator.platform.value}:{overview.detail.profile.creator.handle}",
    )


@router.get("/creators/{ref}/deals", response_class=HTMLResponse)
def creator_deals(request: Request, ref: str, ctx: Annotated[Ctx, Depends(viewer)]) -> HTMLResponse:
    """The creator's deals with the brand (a fragment of the creator page)."""
    from creatormix.views.board import creator_deals_view

    with ctx.workspace() as ws:
        view = creator_deals_view(ws.creator_deals(ref))
    return page(request, "creator_deals.html", ctx, view=view)
