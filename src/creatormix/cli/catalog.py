"""Catalog commands: init, import, imports, creators list/show, tiers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from creatormix.cli import options as opt
from creatormix.cli.common import JsonOpt, creators_app, import_app, open_workspace, state
from creatormix.cli.imports import import_command
from creatormix.cli.render import (
    console,
    error_console,
    fmt_followers,
    fmt_money,
    fmt_pct,
    print_json,
    progress_bar,
    score_style,
)
from creatormix.errors import InvalidOption
from creatormix.views.catalog import (
    CreatorListView,
    CreatorPageView,
    creator_list_view,
    creator_page_view,
    er_basis_note,
)
from creatormix.views.vetting import VettingSectionView

if TYPE_CHECKING:
    from creatormix.domain.query import TierSummary
    from creatormix.domain.tiers import TierScheme

tiers_app = typer.Typer(
    help="Show or change the tier scheme (nano/micro/mid/macro/mega bounds).",
    invoke_without_command=True,
)


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.add_typer(import_app, name="import")
    app.command("imports")(imports)
    app.add_typer(creators_app, name="creators")
    app.add_typer(tiers_app, name="tiers")


def init(
    path: Annotated[
        str | None,
        typer.Argument(
            help="Workspace to create: a file, or a postgresql:// URL of a team database "
            "(default: --db, $CREATORMIX_DB or ./creatormix.duckdb).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Create an empty workspace (or bring an existing one up to date): a DuckDB file, or the
    tables of a PostgreSQL database (created too when the role may)."""
    from creatormix.workspace import Workspace, default_db_path

    target = default_db_path(path or state.db)
    with Workspace.create(target) as ws:
        created, version = ws.schema_created, ws.schema_version
    verb = "Created" if created else "Up to date"
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
    counts = {"#", "read", "accepted", "merged", "rejected", "skipped"}
    for col in (
        "#",
        "kind",
        "file",
        "read",
        "accepted",
        "merged",
        "rejected",
        "skipped",
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
            f"{r.rows_skipped:,}",
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
    view = creator_list_view(page)
    if as_json:
        print_json(view.to_json())
        return
    render_creator_page(view)


def render_creator_page(v: CreatorListView) -> None:
    from rich.table import Table

    table = Table(title=v.title, title_justify="left")
    for col, justify in v.columns:
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for row in v.rows:
        table.add_row(*row)
    console().print(table)
    if v.basis_note:
        console().print(v.basis_note)
    _synthetic_note(v.synthetic)
    for note in v.notes:
        console().print(f"note: {note}", markup=False)
    if v.left_out:
        console().print(v.left_out)


@creators_app.command("show")
def creators_show(
    handle: Annotated[str, typer.Argument(help="@handle, handle, or platform:handle (any case).")],
    posts: Annotated[int, typer.Option("--posts", min=0, help="Recent posts to show.")] = 8,
    as_json: JsonOpt = False,
) -> None:
    """Everything about one creator: profile, engagement with its interval, cadence, growth, posts, sources."""
    with open_workspace() as ws:
        view = creator_page_view(ws.creator_overview(handle, posts=posts))
    if as_json:
        print_json(view.to_json())
        return
    render_creator_detail(view)
    render_vetting_section(view.vetting)


def render_creator_detail(v: CreatorPageView) -> None:
    from rich.table import Table

    out = console()
    _synthetic_note(v.synthetic)
    out.print(f"[bold]{v.handle}[/] {v.where}")
    out.print("  " + "   ".join(f"{k}: [bold]{value}[/]" for k, value in v.facts))
    if v.bio:
        out.print(f"  bio: {v.bio}")
    er_line = f"  {v.er_label}: [bold]{v.er}[/]"
    if v.er_interval:
        er_line += f"  {v.er_interval}"
    out.print(er_line)
    for line in v.er_lines:
        out.print(f"    {line}")
    out.print(f"  cadence: {v.cadence}")
    out.print(f"  sponsored posts: {v.sponsored}")
    out.print(f"  follower growth: {v.growth}")
    if v.posts:
        table = Table(title="Recent posts", title_justify="left")
        for col, justify in v.post_columns:
            table.add_column(col, justify=justify)  # type: ignore[arg-type]
        for row in v.posts:
            table.add_row(*row)
        out.print(table)
    if v.sources:
        out.print("  sources: " + v.sources)


def render_vetting_section(v: VettingSectionView) -> None:
    out = console()
    out.print(
        f"  [bold]authenticity[/]: [bold {score_style(v.level)}]{v.score}[/] ({v.confidence} confidence)"
    )
    for reason in v.reasons:
        out.print(f"    • {reason}")
    for line in v.audience:
        out.print(f"  {line}")
    if v.target is None:
        out.print(f"  {v.no_target_hint}")
        return
    out.print(f"  [dim]{v.target}[/]")
    if v.fit is not None:
        out.print(f"  [bold]audience fit[/]: {v.fit}")
        for reason in v.fit_reasons:
            out.print(f"    • {reason}")
    if v.relevance is not None:
        out.print(f"  [bold]niche relevance[/]: {v.relevance}")


def _synthetic_note(label: str | None) -> None:
    """One line on listings of a demo workspace, so invented creators are never taken as real."""
    from rich.markup import escape

    if label:
        console().print(f"[yellow]note:[/] a synthetic demo catalog ({escape(label)})")


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
    note = er_basis_note({r.platform for r in summary.rows})
    if note:
        console().print(note)


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
