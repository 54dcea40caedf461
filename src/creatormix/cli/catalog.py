"""Catalog commands: init, import, imports, creators list/show, tiers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from creatormix.cli import options as opt
from creatormix.cli.common import JsonOpt, creators_app, import_app, open_workspace, state
from creatormix.cli.imports import import_command
from creatormix.cli.render import (
    console,
    error_console,
    fmt_count,
    fmt_followers,
    fmt_interval,
    fmt_money,
    fmt_pct,
    print_json,
    progress_bar,
)
from creatormix.errors import InvalidOption

if TYPE_CHECKING:
    from creatormix.domain.catalog import Post
    from creatormix.domain.query import CreatorDetail, CreatorPage, TierSummary
    from creatormix.domain.tiers import TierScheme
    from creatormix.workspace import Workspace

tiers_app = typer.Typer(
    help="Show or change the tier scheme (nano/micro/mid/macro/mega bounds).",
    invoke_without_command=True,
)


@dataclass(frozen=True)
class DetailSection:
    """An extra section of ``creators show``, contributed by another command module."""

    name: str
    compute: Callable[[Workspace, CreatorDetail], Any]
    render: Callable[[Any], None]
    to_json: Callable[[Any], Any]


DETAIL_SECTIONS: list[DetailSection] = []


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.add_typer(import_app, name="import")
    app.command("imports")(imports)
    app.add_typer(creators_app, name="creators")
    app.add_typer(tiers_app, name="tiers")


def init(
    path: Annotated[
        Path | None,
        typer.Argument(
            help="Workspace file to create (default: --db, $CREATORMIX_DB or ./creatormix.duckdb)."
        ),
    ] = None,
) -> None:
    """Create an empty workspace file (or bring an existing one up to date)."""
    from creatormix.workspace import Workspace, default_db_path

    target = default_db_path(path or state.db)
    existed = target.exists()
    with Workspace.create(target) as ws:
        version = ws.store.schema_version()
    verb = "Up to date" if existed else "Created"
    console().print(f"{verb}: workspace [bold]{target}[/] (schema {version})")
    if not path and not state.db:
        return
    console().print(f"Use it with --db {target} or export CREATORMIX_DB={target}")


import_command("creators", "Import a creator catalog (one row per creator account).")
import_command("posts", "Import posts (one row per post: likes, comments, views, caption, time …).")
import_command(
    "snapshots", "Import follower counts over time (handle, date, followers) for growth metrics."
)


def imports(as_json: JsonOpt = False) -> None:
    """List every import into the workspace: file, hash, rows accepted and rejected, when, by whom."""
    from rich.table import Table

    with open_workspace() as ws:
        records = ws.imports()
    if as_json:
        print_json({"imports": records})
        return
    table = Table(title="Imports", title_justify="left")
    counts = {"#", "read", "accepted", "merged", "rejected"}
    for col in (
        "#",
        "kind",
        "file",
        "read",
        "accepted",
        "merged",
        "rejected",
        "when",
        "by",
        "sha256",
    ):
        table.add_column(col, justify="right" if col in counts else "left")
    for r in records:
        table.add_row(
            str(r.import_id),
            r.kind.value,
            r.file_name,
            f"{r.rows_read:,}",
            f"{r.rows_accepted:,}",
            f"{r.rows_merged:,}",
            f"{r.rows_rejected:,}",
            r.imported_at.strftime("%Y-%m-%d %H:%M"),
            r.imported_by,
            r.file_hash[:12],
        )
    console().print(table)


# --- creators ------------------------------------------------------------------------------


@creators_app.command("list")
def creators_list(
    platform: Annotated[
        list[str] | None,
        typer.Option("--platform", "-p", help="Only these platforms (repeatable)."),
    ] = None,
    tier: Annotated[
        list[str] | None,
        typer.Option(
            "--tier",
            "-t",
            help="Only these tiers: nano, micro, mid, macro, mega (repeatable or comma-separated).",
        ),
    ] = None,
    country: Annotated[
        list[str] | None,
        typer.Option(
            "--country",
            "-c",
            help="Creator country, ISO code or name (repeatable or comma-separated).",
        ),
    ] = None,
    niche: Annotated[
        list[str] | None,
        typer.Option("--niche", "-n", help="Niche/category or a word of the bio (repeatable)."),
    ] = None,
    search: Annotated[
        str | None, typer.Option("--search", "-s", help="Text in handle, name or bio.")
    ] = None,
    min_followers: Annotated[str | None, typer.Option("--min-followers", help="e.g. 10k")] = None,
    max_followers: Annotated[str | None, typer.Option("--max-followers", help="e.g. 1.5m")] = None,
    min_er: Annotated[
        str | None,
        typer.Option("--min-er", help="Minimum shrunk engagement rate, e.g. 3% or 0.03."),
    ] = None,
    max_er: Annotated[
        str | None, typer.Option("--max-er", help="Maximum shrunk engagement rate.")
    ] = None,
    sort: Annotated[
        str,
        typer.Option(
            "--sort",
            help="followers, er, er-raw, er-views, engagements, growth, cadence, sponsored, price, handle.",
        ),
    ] = "followers",
    ascending: Annotated[
        bool, typer.Option("--asc", help="Sort ascending (default descending).")
    ] = False,
    include_prior: Annotated[
        bool,
        typer.Option(
            "--include-prior",
            help="With --min-er/--max-er or --sort er/er-raw, also list creators without measured "
            "engagement (their ER is the tier prior alone); left out by default.",
        ),
    ] = False,
    limit: Annotated[
        int, typer.Option("--limit", "-l", min=0, help="Rows to show (0 = all).")
    ] = 50,
    offset: Annotated[int, typer.Option("--offset", min=0, help="Skip this many rows.")] = 0,
    as_json: JsonOpt = False,
) -> None:
    """List creators with tier, followers, engagement rate (shrunk, with its interval) and activity."""
    from creatormix.domain.query import CreatorQuery, SortKey

    try:
        sort_key = SortKey(sort)
    except ValueError:
        raise InvalidOption(
            f"--sort {sort!r}: choose one of {', '.join(k.value for k in SortKey)}"
        ) from None
    tiers = opt.split_many(tier)
    bad_tiers = [t for t in tiers if t not in {"nano", "micro", "mid", "macro", "mega"}]
    if bad_tiers:
        raise InvalidOption(f"--tier {bad_tiers[0]!r}: choose nano, micro, mid, macro or mega")
    query = CreatorQuery(
        platforms=tuple(opt.platforms(platform)),
        tiers=tuple(tiers),
        countries=tuple(opt.split_many(country)),
        niches=tuple(opt.split_many(niche)),
        text=search,
        min_followers=opt.count(min_followers, "--min-followers"),
        max_followers=opt.count(max_followers, "--max-followers"),
        min_er=opt.rate(min_er, "--min-er"),
        max_er=opt.rate(max_er, "--max-er"),
        sort=sort_key,
        descending=not ascending,
        limit=limit or None,
        offset=offset,
        include_prior_only=include_prior,
    )
    with open_workspace() as ws:
        page = ws.list_creators(query)
    if as_json:
        print_json(
            {
                "total": page.total,
                "offset": offset,
                "left_out_prior_only": page.left_out_prior_only,
                "notes": list(page.notes),
                "synthetic": page.synthetic,
                "creators": [profile_json(p) for p in page.creators],
            }
        )
        return
    render_creator_page(page)


def profile_json(p: object) -> dict[str, object]:
    from creatormix.domain.catalog import CreatorProfile

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
            "observed": p.extras.get("er_observed"),
            "source": p.er_source,
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


def render_creator_page(page: CreatorPage) -> None:
    from rich.table import Table

    shown = len(page.creators)
    title = f"{page.total:,} creator(s)" + (
        f", showing {page.query.offset + 1}-{page.query.offset + shown}"
        if shown < page.total
        else ""
    )
    table = Table(title=title, title_justify="left")
    for col, justify in (
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
    ):
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for p in page.creators:
        c = p.creator
        table.add_row(
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
    console().print(table)
    _synthetic_note(page.synthetic)
    for note in page.notes:
        console().print(f"note: {note}", markup=False)
    if page.left_out_prior_only:
        console().print(
            f"{page.left_out_prior_only:,} matching creator(s) without measured engagement (ER from "
            "the tier prior alone) left out of this ER filter/sort; --include-prior lists them"
        )


@creators_app.command("show")
def creators_show(
    handle: Annotated[str, typer.Argument(help="@handle, handle, or platform:handle (any case).")],
    posts: Annotated[int, typer.Option("--posts", min=0, help="Recent posts to show.")] = 8,
    as_json: JsonOpt = False,
) -> None:
    """Everything about one creator: profile, engagement with its interval, cadence, growth, posts, sources."""
    with open_workspace() as ws:
        detail = ws.get_creator(handle, posts=posts)
        extras = [(s, s.compute(ws, detail)) for s in DETAIL_SECTIONS]
    if as_json:
        print_json(
            {
                **{s.name: s.to_json(data) for s, data in extras},
                "synthetic": detail.synthetic,
                "profile": profile_json(detail.profile),
                "prior": {
                    "engagement_rate": detail.prior_er,
                    "source": detail.prior_source,
                    "data_weight": detail.data_weight,
                },
                "recent_posts": detail.recent_posts,
                "snapshots": detail.snapshots,
                "sources": detail.sources,
            }
        )
        return
    render_creator_detail(detail)
    for section, data in extras:
        section.render(data)


def render_creator_detail(d: CreatorDetail) -> None:
    from rich.table import Table

    out = console()
    p, c = d.profile, d.profile.creator
    _synthetic_note(d.synthetic)
    out.print(f"[bold]@{c.handle}[/] on {c.platform.value}" + (f" — {c.name}" if c.name else ""))
    facts = [
        ("tier", p.tier or "—"),
        ("followers", fmt_followers(c.followers)),
        ("following", fmt_followers(c.following)),
        ("posts (profile)", fmt_count(c.post_count)),
        ("country", c.country or "—"),
        ("language", c.language or "—"),
        ("niche", ", ".join(c.categories) or "—"),
        ("quoted price", fmt_money(c.price_per_post, c.currency)),
    ]
    out.print("  " + "   ".join(f"{k}: [bold]{v}[/]" for k, v in facts))
    if c.bio:
        out.print(f"  bio: {c.bio}")
    er_line = f"  engagement rate (shrunk): [bold]{fmt_pct(p.er_shrunk)}[/]"
    if p.er_interval:
        er_line += f"  {p.er_interval.level:.0%} interval {fmt_interval(p.er_interval.low, p.er_interval.high)}"
    out.print(er_line)
    weight = f"{d.data_weight:.0%}" if d.data_weight is not None else "—"
    observed = p.extras.get("er_observed")
    out.print(
        f"    observed {fmt_pct(observed if isinstance(observed, float) else None)} from {p.er_source}"
        f" ({p.posts_measured} post(s)); tier prior {fmt_pct(d.prior_er)} ({d.prior_source}); weight on the creator's own data {weight}"
    )
    out.print(
        f"    by followers: mean {fmt_pct(p.er_followers_mean)}, median {fmt_pct(p.er_followers_median)};"
        f" by views: mean {fmt_pct(p.er_views_mean)}, median {fmt_pct(p.er_views_median)}"
    )
    cadence = f"{p.posts_per_week:.1f} posts/week" if p.posts_per_week is not None else "—"
    gap = f", median gap {p.median_gap_days:.1f} days" if p.median_gap_days is not None else ""
    out.print(
        f"  cadence: {cadence}{gap}; last post {p.last_post_at:%Y-%m-%d}"
        if p.last_post_at
        else f"  cadence: {cadence}{gap}"
    )
    total = p.extras.get("posts_total", 0)
    out.print(
        f"  sponsored posts: {fmt_pct(p.sponsored_share, 0)} ({p.extras.get('sponsored_posts', 0)} of {total})"
    )
    growth = (
        f"{p.growth_30d * 100:+.2f}% per 30 days"
        if p.growth_30d is not None
        else "needs two snapshots a day apart"
    )
    out.print(f"  follower growth: {growth} ({p.snapshots} snapshot(s))")
    if d.recent_posts:
        table = Table(title="Recent posts", title_justify="left")
        for col in ("date", "type", "likes", "comments", "views", "sponsored", "caption"):
            table.add_column(
                col, justify="right" if col in {"likes", "comments", "views"} else "left"
            )
        for post in d.recent_posts:
            caption = (post.caption or "").replace("\n", " ")
            table.add_row(
                f"{post.posted_at:%Y-%m-%d}" if post.posted_at else "—",
                post.post_type.value if post.post_type else "—",
                fmt_count(post.likes),
                fmt_count(post.comments),
                fmt_count(post.views),
                _sponsored_cell(post),
                caption[:60] + ("…" if len(caption) > 60 else ""),
            )
        out.print(table)
    if d.sources:
        out.print(
            "  sources: "
            + "; ".join(
                f"#{s.import_id} {s.file_name} ({s.imported_at:%Y-%m-%d})" for s in d.sources
            )
        )


def _synthetic_note(label: str | None) -> None:
    """One line on listings of a demo workspace, so invented creators are never taken as real."""
    from rich.markup import escape

    if label:
        console().print(f"[yellow]note:[/] a synthetic demo catalog ({escape(label)})")


def _sponsored_cell(post: Post) -> str:
    """The sponsored column, by the sponsored-post share's rule; says when a marker decided it."""
    if post.sponsored:
        return "yes"
    if post.sponsored is None and post.disclosed:
        return "yes (marker)"
    return ""


# --- tiers ---------------------------------------------------------------------------------


@tiers_app.callback()
def tiers_default(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Show the tier scheme and the catalog summarised by tier."""
    if ctx.invoked_subcommand is not None:
        return
    tiers_show(as_json=as_json)


@tiers_app.command("show")
def tiers_show(as_json: JsonOpt = False) -> None:
    """Show the tier scheme and the catalog summarised by platform and tier."""
    from creatormix.domain.tiers import NAMED_SCHEMES

    with open_workspace() as ws:
        scheme = ws.tier_scheme()
        summary = ws.tier_summary()
    if as_json:
        print_json(
            {
                "scheme": scheme.to_json(),
                "named_schemes": {n: s.to_json() for n, s in NAMED_SCHEMES.items()},
                "summary": summary,
            }
        )
        return
    render_scheme(scheme)
    render_tier_summary(summary)


def render_scheme(scheme: TierScheme) -> None:
    out = console()
    out.print(
        f"Tier scheme [bold]{scheme.name}[/]: "
        + ", ".join(f"{t} {r}" for t, r in scheme.bands.describe().items())
    )
    for platform, bands in scheme.per_platform.items():
        out.print(
            f"  {platform.value}: " + ", ".join(f"{t} {r}" for t, r in bands.describe().items())
        )


def render_tier_summary(summary: TierSummary, title: str = "Catalog by tier") -> None:
    from rich.table import Table

    table = Table(title=f"{title} (scheme {summary.scheme})", title_justify="left")
    for col in (
        "platform",
        "tier",
        "creators",
        "median followers",
        "median ER*",
        "median observed ER",
        "with posts",
        "posts",
        "median price",
    ):
        table.add_column(col, justify="left" if col in {"platform", "tier"} else "right")
    for r in summary.rows:
        table.add_row(
            r.platform,
            r.tier,
            f"{r.creators:,}",
            fmt_followers(r.median_followers),
            fmt_pct(r.median_er),
            fmt_pct(r.median_er_observed),
            f"{r.creators_with_posts:,}",
            f"{r.posts:,}",
            fmt_money(r.median_price),
        )
    console().print(table)
    console().print(
        "* shrunk toward the platform x tier prior, over creators with measured engagement"
    )


@tiers_app.command("set")
def tiers_set(
    scheme: Annotated[
        str | None,
        typer.Argument(help="A named scheme: default, micro-50k, micro-30k, two-tier-100k."),
    ] = None,
    platform: Annotated[
        str | None,
        typer.Option("--platform", "-p", help="Set custom bounds for this platform only."),
    ] = None,
    micro: Annotated[
        str | None, typer.Option("--micro", help="Lower bound of micro, e.g. 10k.")
    ] = None,
    mid: Annotated[
        str | None, typer.Option("--mid", help="Lower bound of mid ('none' to drop the tier).")
    ] = None,
    macro: Annotated[str | None, typer.Option("--macro", help="Lower bound of macro.")] = None,
    mega: Annotated[
        str | None, typer.Option("--mega", help="Lower bound of mega ('none' to drop the tier).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Choose a named tier scheme, or set custom bounds (for one platform with --platform)."""
    from creatormix.domain.tiers import NAMED_SCHEMES, TierBands, TierScheme

    custom = any(v is not None for v in (micro, mid, macro, mega))
    if scheme is None and not custom:
        raise InvalidOption(
            "name a scheme ("
            + ", ".join(NAMED_SCHEMES)
            + ") or give bounds with --micro/--mid/--macro/--mega"
        )
    with open_workspace() as ws:
        if scheme is not None and scheme not in NAMED_SCHEMES:
            raise InvalidOption(
                f"unknown tier scheme {scheme!r} (named schemes: {', '.join(NAMED_SCHEMES)})"
            )
        base = NAMED_SCHEMES[scheme] if scheme else ws.tier_scheme()
        if custom:
            current = (
                base.bands_for(opt.platform(platform, "--platform")) if platform else base.bands
            )
            values = {
                name: opt.bound(raw, getattr(current, name), f"--{name}")
                for name, raw in (("micro", micro), ("mid", mid), ("macro", macro), ("mega", mega))
            }
            try:
                bands = TierBands(**values)
            except ValueError as exc:
                raise InvalidOption(str(exc)) from None
            base = (
                base.with_platform(opt.platform(platform, "--platform"), bands)
                if platform
                else TierScheme(base.custom_name, bands, base.per_platform, "custom bounds")
            )
        with progress_bar(not as_json) as progress:
            chosen = ws.set_tier_scheme(base, progress=progress)
        summary = ws.tier_summary()
    if as_json:
        print_json({"scheme": chosen.to_json(), "summary": summary})
        return
    render_scheme(chosen)
    render_tier_summary(summary)
    error_console().print("tiers and tier priors recomputed")
