"""What the catalog page says: the creator listing (``creators list``'s rows) with the vetting
columns that were asked for, pages, the tier summary, and the CSV of the current view."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from creatormix.domain.requests import CatalogPage
from creatormix.views._json import jsonable
from creatormix.views.catalog import CreatorListView, creator_list_view
from creatormix.views.format import fmt_followers, fmt_money, fmt_pct
from creatormix.views.vetting import describe_target

Column = tuple[str, str]


@dataclass(frozen=True)
class TierRow:
    platform: str
    tier: str
    cells: tuple[str, ...]


@dataclass(frozen=True)
class CatalogView:
    listing: CreatorListView
    columns: tuple[Column, ...]  # the listing's, then relevance / fit / authenticity if asked
    rows: tuple[tuple[str, ...], ...]
    refs: tuple[str, ...]  # platform:handle of each row (links to the creator page)
    total: int
    offset: int
    limit: int | None
    pages: int
    page: int  # 1-based
    tier_columns: tuple[str, ...]
    tier_rows: tuple[TierRow, ...]
    tier_scheme: str
    target: str | None  # the stored target, in words, when fit is measured against one
    data: dict[str, object]

    def to_json(self) -> dict[str, object]:
        return jsonable(self.data)  # type: ignore[no-any-return]


def catalog_view(c: CatalogPage) -> CatalogView:
    listing = creator_list_view(c.page)
    q = c.page.query
    extra: list[Column] = []
    asked = c.query
    if asked.keywords:
        extra.append(("relevance", "right"))
    if asked.min_fit is not None:
        extra.append(("fit", "right"))
    if asked.min_authenticity is not None:
        extra.append(("authenticity", "right"))
    refs = tuple(f"{p.creator.platform.value}:{p.creator.handle}" for p in c.page.creators)
    rows = []
    for ref, row in zip(refs, listing.rows, strict=True):
        cells = list(row)
        if asked.keywords:
            cells.append(f"{c.relevance.get(ref, 0.0):.0%}")
        if asked.min_fit is not None:
            cells.append(f"{c.fit[ref]:.0%}" if ref in c.fit else "—")
        if asked.min_authenticity is not None:
            cells.append(str(c.authenticity[ref]) if ref in c.authenticity else "—")
        rows.append(tuple(cells))
    limit = q.limit
    pages = max(1, -(-c.page.total // limit)) if limit else 1
    tiers = c.tiers
    tier_rows = tuple(
        TierRow(
            r.platform,
            r.tier,
            (
                f"{r.creators:,}",
                fmt_followers(r.median_followers),
                fmt_pct(r.median_er),
                f"{r.creators_with_posts:,}",
                fmt_money(r.median_price),
            ),
        )
        for r in (tiers.rows if tiers else ())
    )
    data: dict[str, Any] = dict(listing.data)
    data["limit"] = limit
    for name, values in (
        ("relevance", c.relevance),
        ("fit", c.fit),
        ("authenticity", c.authenticity),
    ):
        if values:
            for creator in data["creators"]:
                key = f"{creator['platform']}:{creator['handle']}"
                creator[name] = values.get(key)
    data["tiers"] = tiers
    return CatalogView(
        listing=listing,
        columns=(*listing.columns, *extra),
        rows=tuple(rows),
        refs=refs,
        total=c.page.total,
        offset=q.offset,
        limit=limit,
        pages=pages,
        page=(q.offset // limit + 1) if limit else 1,
        tier_columns=("creators", "median followers", "median ER*", "with posts", "median price"),
        tier_rows=tier_rows,
        tier_scheme=tiers.scheme if tiers else "",
        target=describe_target(c.target) if c.target else None,
        data=data,
    )


CSV_COLUMNS = (
    "platform",
    "handle",
    "name",
    "tier",
    "followers",
    "following",
    "post_count",
    "country",
    "language",
    "categories",
    "price_per_post",
    "currency",
    "er_shrunk",
    "er_low",
    "er_high",
    "er_observed",
    "er_source",
    "posts_measured",
    "posts_per_week",
    "sponsored_share",
    "growth_30d",
    "relevance",
    "fit",
    "authenticity",
)


def catalog_csv_rows(view: CatalogView) -> list[list[object]]:
    """The view's creators as CSV rows (header first), from its JSON: the same values."""
    out: list[list[object]] = [list(CSV_COLUMNS)]
    for c in view.to_json()["creators"]:  # type: ignore[attr-defined]
        er = c["engagement_rate"]
        interval = er["interval"] or [None, None]
        values = {
            **c,
            "categories": "|".join(c["categories"]),
            "er_shrunk": er["shrunk"],
            "er_low": interval[0],
            "er_high": interval[1],
            "er_observed": er["observed"],
            "er_source": er["source"],
            "posts_measured": er["posts_measured"],
        }
        out.append(["" if values.get(k) is None else values.get(k) for k in CSV_COLUMNS])
    return out
