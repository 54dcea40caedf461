"""What a creator listing and a creator's page say; ``to_json()`` is ``creators list --json``
and ``creators show --json``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from creatormix.domain.catalog import CreatorProfile, Post
from creatormix.domain.query import CreatorPage
from creatormix.domain.requests import CreatorOverview
from creatormix.views._json import jsonable
from creatormix.views.format import (
    fmt_count,
    fmt_followers,
    fmt_interval,
    fmt_money,
    fmt_pct,
)
from creatormix.views.vetting import VettingSectionView, vetting_json, vetting_section_view

Column = tuple[str, str]  # (label, "left" or "right")
CAPTION_SHOWN = 60  # characters of a post's caption on the page


def profile_json(p: object) -> dict[str, object]:
    assert isinstance(p, CreatorProfile)
    c = p.creator
    return {
        "handle": c.handle,
        "platform": c.platform.value,
        "name": c.name,
        "tier": p.tier,
        "followers": c.followers,
        "following": c.following,
        "post_count": c.post_count,
        "country": c.country,
        "language": c.language,
        "categories": list(c.categories),
        "price_per_post": c.price_per_post,
        "currency": c.currency,
        "engagement_rate": {
            "shrunk": p.er_shrunk,
            "interval": [p.er_interval.low, p.er_interval.high] if p.er_interval else None,
            "interval_level": p.er_interval.level if p.er_interval else None,
            "basis": p.extras.get("er_basis"),
            "observed": p.extras.get("er_observed"),
            "source": p.er_source,
            "implausible": p.extras.get("er_implausible"),
            "implausible_source": p.extras.get("er_implausible_source"),
            "followers_mean": p.er_followers_mean,
            "followers_median": p.er_followers_median,
            "views_mean": p.er_views_mean,
            "views_median": p.er_views_median,
            "posts_measured": p.posts_measured,
        },
        "posts_per_week": p.posts_per_week,
        "median_gap_days": p.median_gap_days,
        "last_post_at": p.last_post_at.isoformat() if p.last_post_at else None,
        "sponsored_share": p.sponsored_share,
        "growth_30d": p.growth_30d,
        "snapshots": p.snapshots,
    }


@dataclass(frozen=True)
class CreatorListView:
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    synthetic: str | None  # the demo's label: invented creators are never taken as real
    notes: tuple[str, ...]
    left_out: str | None  # creators an ER filter or sort left out, and how to list them
    basis_note: str | None  # which denominator each platform's ER has, when one is per view
    data: dict[str, object]

    def to_json(self) -> dict[str, object]:
        return jsonable(self.data)  # type: ignore[no-any-return]


def creator_list_view(page: CreatorPage) -> CreatorListView:
    shown = len(page.creators)
    title = f"{page.total:,} creator(s)" + (
        f", showing {page.query.offset + 1}-{page.query.offset + shown}"
        if shown < page.total
        else ""
    )
    columns: tuple[Column, ...] = (
        ("handle", "left"),
        ("platform", "left"),
        ("tier", "left"),
        ("followers", "right"),
        ("ER (shrunk)", "right"),
        ("90% interval", "right"),
        ("posts", "right"),
        ("/week", "right"),
        ("sponsored", "right"),
        ("country", "left"),
        ("niche", "left"),
        ("price", "right"),
    )
    left_out = None
    if page.left_out_prior_only:
        left_out = (
            f"{page.left_out_prior_only:,} matching creator(s) without measured engagement (ER from "
            "the tier prior alone) left out of this ER filter/sort; --include-prior lists them"
        )
    return CreatorListView(
        title=title,
        columns=columns,
        rows=tuple(_list_row(p) for p in page.creators),
        synthetic=page.synthetic,
        notes=tuple(page.notes),
        left_out=left_out,
        basis_note=er_basis_note({p.creator.platform.value for p in page.creators}) or None,
        data={
            "total": page.total,
            "offset": page.query.offset,
            "left_out_prior_only": page.left_out_prior_only,
            "notes": list(page.notes),
            "synthetic": page.synthetic,
            "creators": [profile_json(p) for p in page.creators],
        },
    )


def er_basis_note(platforms: set[str]) -> str:
    """Which denominator each platform's ER has, when a table shows a per-view one ("" if none)."""
    from creatormix.domain.benchmarks import er_basis

    by: dict[str, list[str]] = {}
    for platform in sorted(platforms):
        by.setdefault(er_basis(platform), []).append(platform)
    if "views" not in by:
        return ""
    parts = [f"per {basis[:-1]} on {', '.join(names)}" for basis, names in sorted(by.items())]
    return "ER: " + "; ".join(parts) + " (each platform's own definition, docs/metrics.md)"


def _list_row(p: CreatorProfile) -> tuple[str, ...]:
    c = p.creator
    return (
        "@" + c.handle,
        c.platform.value,
        p.tier or "—",
        fmt_followers(c.followers),
        fmt_pct(p.er_shrunk),
        fmt_interval(p.er_interval.low, p.er_interval.high) if p.er_interval else "",
        str(p.posts_measured) if p.posts_measured else "—",
        f"{p.posts_per_week:.1f}" if p.posts_per_week is not None else "—",
        fmt_pct(p.sponsored_share, 0),
        c.country or "—",
        ", ".join(c.categories[:2]) or "—",
        fmt_money(c.price_per_post, c.currency),
    )


@dataclass(frozen=True)
class CreatorPageView:
    synthetic: str | None
    handle: str  # "@kim"
    where: str  # "on instagram — Kim Lee"
    facts: tuple[tuple[str, str], ...]  # tier, followers, following, posts, country, …
    bio: str | None
    er_label: str  # "engagement rate per view (shrunk)": each platform's own denominator
    er: str  # the shrunk engagement rate …
    er_interval: str | None  # … and its interval
    er_lines: tuple[str, ...]  # observed and prior, the variants
    cadence: str
    sponsored: str
    growth: str
    post_columns: tuple[Column, ...]
    posts: tuple[tuple[str, ...], ...]
    sources: str | None
    vetting: VettingSectionView
    data: dict[str, object]

    def to_json(self) -> dict[str, object]:
        return jsonable(self.data)  # type: ignore[no-any-return]


def creator_page_view(o: CreatorOverview) -> CreatorPageView:
    d = o.detail
    p, c = d.profile, d.profile.creator
    er_interval = None
    if p.er_interval:
        er_interval = f"{p.er_interval.level:.0%} interval {fmt_interval(p.er_interval.low, p.er_interval.high)}"
    basis = str(p.extras.get("er_basis") or "followers")
    cadence = f"{p.posts_per_week:.1f} posts/week" if p.posts_per_week is not None else "—"
    gap = f", median gap {p.median_gap_days:.1f} days" if p.median_gap_days is not None else ""
    total = p.extras.get("posts_total", 0)
    growth = (
        f"{p.growth_30d * 100:+.2f}% per 30 days"
        if p.growth_30d is not None
        else "needs two snapshots a day apart"
    )
    return CreatorPageView(
        synthetic=d.synthetic,
        handle="@" + c.handle,
        where=f"on {c.platform.value}" + (f" — {c.name}" if c.name else ""),
        facts=(
            ("tier", p.tier or "—"),
            ("followers", fmt_followers(c.followers)),
            ("following", fmt_followers(c.following)),
            ("posts (profile)", fmt_count(c.post_count)),
            ("country", c.country or "—"),
            ("language", c.language or "—"),
            ("niche", ", ".join(c.categories) or "—"),
            ("quoted price", fmt_money(c.price_per_post, c.currency)),
        ),
        bio=c.bio or None,
        er_label=f"engagement rate per {basis[:-1]} (shrunk)",
        er=fmt_pct(p.er_shrunk),
        er_interval=er_interval,
        er_lines=_er_lines(o, basis),
        cadence=f"{cadence}{gap}; last post {p.last_post_at:%Y-%m-%d}"
        if p.last_post_at
        else f"{cadence}{gap}",
        sponsored=f"{fmt_pct(p.sponsored_share, 0)} ({p.extras.get('sponsored_posts', 0)} of {total})",
        growth=f"{growth} ({p.snapshots} snapshot(s))",
        post_columns=tuple(
            (col, "right" if col in {"likes", "comments", "views"} else "left")
            for col in ("date", "type", "likes", "comments", "views", "sponsored", "caption")
        ),
        posts=tuple(_post_row(post) for post in d.recent_posts),
        sources="; ".join(
            f"#{s.import_id} {s.file_name} ({s.imported_at:%Y-%m-%d})" for s in d.sources
        )
        or None,
        vetting=vetting_section_view(o.vetting),
        data=_page_json(o),
    )


def _er_lines(o: CreatorOverview, basis: str) -> tuple[str, ...]:
    """Observed rate and the prior it is shrunk toward (and how many creators that rests on), an
    implausible rate kept aside, then the variants."""
    d = o.detail
    p, c = d.profile, d.profile.creator
    weight = f"{d.data_weight:.0%}" if d.data_weight is not None else "—"
    observed = p.extras.get("er_observed")
    prior_n = p.extras.get("prior_n")
    prior = (
        f"{d.prior_source}, {prior_n} creators" if d.prior_source == "workspace" else d.prior_source
    )
    lines = [
        f"observed {fmt_pct(observed if isinstance(observed, float) else None)} from {p.er_source}"
        f" ({p.posts_measured} post(s)); tier prior {fmt_pct(d.prior_er)} ({prior}); weight on the creator's own data {weight}"
    ]
    wild = p.extras.get("er_implausible")
    if isinstance(wild, float):
        lines.append(
            f"implausible: {fmt_pct(wild)} per {basis[:-1]} from "
            f"{p.extras.get('er_implausible_source')} is above 100% (more likes and comments than "
            f"{basis}): kept as data, not used for the rate, the tier norm or the audit"
        )
    elif basis == "views" and p.er_source == "prior" and p.er_followers_mean is not None:
        lines.append(
            f"{c.platform.value}'s engagement rate is per view and no post or average of this "
            "creator has views: the tier prior stands in (per follower below, for reference)"
        )
    lines.append(
        f"by followers: mean {fmt_pct(p.er_followers_mean)}, median {fmt_pct(p.er_followers_median)};"
        f" by views: mean {fmt_pct(p.er_views_mean)}, median {fmt_pct(p.er_views_median)}"
    )
    return tuple(lines)


def _post_row(post: Post) -> tuple[str, ...]:
    caption = (post.caption or "").replace("\n", " ")
    return (
        f"{post.posted_at:%Y-%m-%d}" if post.posted_at else "—",
        post.post_type.value if post.post_type else "—",
        fmt_count(post.likes),
        fmt_count(post.comments),
        fmt_count(post.views),
        _sponsored_cell(post),
        caption[:CAPTION_SHOWN] + ("…" if len(caption) > CAPTION_SHOWN else ""),
    )


def _sponsored_cell(post: Post) -> str:
    """The sponsored column, by the sponsored-post share's rule; says when a marker decided it."""
    if post.sponsored:
        return "yes"
    if post.sponsored is None and post.disclosed:
        return "yes (marker)"
    return ""


def _page_json(o: CreatorOverview) -> dict[str, Any]:
    d = o.detail
    return {
        "vetting": vetting_json(o.vetting),
        "synthetic": d.synthetic,
        "profile": profile_json(d.profile),
        "prior": {
            "engagement_rate": d.prior_er,
            "source": d.prior_source,
            "data_weight": d.data_weight,
        },
        "recent_posts": d.recent_posts,
        "snapshots": d.snapshots,
        "sources": d.sources,
    }
