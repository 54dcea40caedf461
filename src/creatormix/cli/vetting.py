"""Vetting commands: import follower samples, audience shares and comments; audit; search; target.

Also adds the vetting section of ``creators show``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from creatormix.cli import options as opt
from creatormix.cli.common import JsonOpt, creators_app, open_workspace
from creatormix.cli.imports import import_command
from creatormix.cli.render import console, fmt_followers, print_json, progress_bar, score_style
from creatormix.domain.requests import AuditQuery
from creatormix.domain.vetting import NO_TARGET
from creatormix.errors import InvalidOption
from creatormix.views.vetting import (
    AuditListView,
    AuditView,
    audit_list_view,
    audit_view,
    describe_target,
    match_json,
)

if TYPE_CHECKING:
    from creatormix.domain.vetting import (
        AuthenticityReport,
        CreatorMatch,
        Target,
    )

target_app = typer.Typer(
    help="The audience your brand targets (ship-to countries, ages, genders, languages, keywords); "
    "the creator page shows fit and relevance against it.",
    invoke_without_command=True,
)

ShipTo = Annotated[
    list[str] | None,
    typer.Option("--ship-to", help="Countries you ship to, ISO codes or names (e.g. FR,BE)."),
]
Ages = Annotated[
    list[str] | None, typer.Option("--age", help="Target age bands, e.g. 18-24,25-34 or 18-34.")
]
Genders = Annotated[
    list[str] | None, typer.Option("--gender", help="Target genders: female, male, other.")
]
Languages = Annotated[
    list[str] | None, typer.Option("--language", help="Target languages, ISO codes or names.")
]
Keywords = Annotated[
    str | None, typer.Option("--keywords", "-k", help="Niche keywords, e.g. 'vegan skincare'.")
]


def register(app: typer.Typer) -> None:
    import_command(
        "followers-sample",
        "Import a sample of creators' followers (creator, username, posts, following, followers, "
        "has_profile_picture, is_private) for the fake-follower audit.",
    )
    import_command(
        "audience",
        "Import creators' audience shares (creator, dimension = country/age/gender/language, "
        "segment, share); each creator's dimension must sum to ~100%.",
    )
    import_command(
        "comments",
        "Import comment texts on creators' posts (creator, post_id, text) for the generic-comment check.",
    )
    app.command("audit")(audit)
    creators_app.command("search")(creators_search)
    app.add_typer(target_app, name="target")


def _target(
    ship_to: list[str] | None,
    age: list[str] | None,
    gender: list[str] | None,
    language: list[str] | None,
    keywords: str | None,
) -> Target:
    from creatormix.domain.vetting import Target

    return Target(
        countries=tuple(_split(ship_to)),
        ages=tuple(_split(age)),
        genders=tuple(_split(gender)),
        languages=tuple(_split(language)),
        keywords=keywords or "",
    )


def _split(values: list[str] | None) -> list[str]:
    return [p.strip() for v in values or [] for p in v.split(",") if p.strip()]


def _check_limit(limit: int) -> None:
    if limit < 0:
        raise InvalidOption(f"--limit {limit}: give a number of rows, or --limit 0 for all rows")


# --- audit ---------------------------------------------------------------------------------


def audit(
    handle: Annotated[
        str | None, typer.Argument(help="@handle or platform:handle (omit with --all).")
    ] = None,
    all_creators: Annotated[bool, typer.Option("--all", help="Audit every creator.")] = False,
    max_score: Annotated[
        int | None,
        typer.Option("--max-score", help="With --all: only creators scoring at most this."),
    ] = None,
    sampled: Annotated[
        bool, typer.Option("--sampled", help="With --all: only creators with a follower sample.")
    ] = False,
    limit: Annotated[int, typer.Option("--limit", "-l", help="Rows to show (0 = all).")] = 50,
    as_json: JsonOpt = False,
) -> None:
    """Authenticity report: fake-follower share with its interval, anomaly flags, score 0-100, reasons."""
    if (handle is None) == (not all_creators):
        raise InvalidOption("name one creator (creatormix audit @handle) or pass --all")
    _check_limit(limit)
    if max_score is not None and not 0 <= max_score <= 100:
        raise InvalidOption(f"--max-score {max_score}: scores run from 0 to 100")
    with open_workspace() as ws:
        if handle is not None:
            view = audit_view(ws.audit(handle))
            if as_json:
                print_json(view.to_json())
                return
            render_report(view)
            return
        with progress_bar(not as_json) as progress:
            query = AuditQuery(sampled=sampled, max_score=max_score, limit=limit or None)
            page = audit_list_view(ws.audit_page(query, progress=progress))
    if as_json:
        print_json(page.to_json())
        return
    if page.empty is not None:
        console().print(page.empty)
        return
    render_audit_list(page)


def render_report(v: AuditView) -> None:
    out = console()
    style = score_style(v.level)
    out.print(
        f"[bold]{v.handle}[/] {v.where}: "
        f"authenticity [bold {style}]{v.score}[/] ({v.confidence} confidence)"
    )
    if v.real_share is not None:
        out.print(
            f"  real followers [bold]{v.real_share}[/] {v.measured}"
            + (" [yellow](low confidence)[/]" if v.low_confidence else "")
        )
        out.print(f"  audience: {v.split}  [dim]{v.split_note}[/]")
    elif v.assumed is not None:
        out.print(f"  {v.assumed}")
    out.print("  reasons:")
    for reason in v.reasons:
        out.print(f"    • {reason}")
    for flag in v.flags:
        out.print(f"  [dim]{flag}[/]")


def render_reports(reports: list[AuthenticityReport], total: int) -> None:
    """The table of ``audit --all`` for these reports of ``total`` matches."""
    from creatormix.domain.requests import AuditPage, AuditQuery

    render_audit_list(audit_list_view(AuditPage(tuple(reports), total, AuditQuery())))


def render_audit_list(v: AuditListView) -> None:
    from rich.table import Table

    table = Table(title=v.title, title_justify="left")
    for col, justify in v.columns:
        table.add_column(col, justify=justify, no_wrap=col == "handle")  # type: ignore[arg-type]
    for row, level in zip(v.rows, v.levels, strict=True):
        cells = list(row)
        cells[4] = f"[{score_style(level)}]{cells[4]}[/]"  # the score
        table.add_row(*cells)
    console().print(table)
    for note in v.footnotes:
        console().print(note)


# --- search --------------------------------------------------------------------------------


def creators_search(
    keywords: Annotated[str, typer.Argument(help="Niche keywords, e.g. 'vegan skincare'.")],
    ship_to: ShipTo = None,
    age: Ages = None,
    gender: Genders = None,
    language: Languages = None,
    min_fit: Annotated[
        str | None, typer.Option("--min-fit", help="Minimum audience fit, e.g. 60% or 0.6.")
    ] = None,
    min_relevance: Annotated[
        str | None, typer.Option("--min-relevance", help="Minimum niche relevance, e.g. 20%.")
    ] = None,
    platform: Annotated[
        list[str] | None, typer.Option("--platform", "-p", help="Only these platforms.")
    ] = None,
    semantic: Annotated[
        bool,
        typer.Option(
            "--semantic", help="Rank by sentence embeddings (needs the 'semantic' extra)."
        ),
    ] = False,
    limit: Annotated[int, typer.Option("--limit", "-l", help="Rows to show (0 = all).")] = 30,
    as_json: JsonOpt = False,
) -> None:
    """Creators ranked by niche relevance x audience fit to your target, with the reasons."""
    _check_limit(limit)
    target = _target(ship_to, age, gender, language, keywords)
    with open_workspace() as ws:
        hits, total = ws.search_creators(
            keywords,
            target,
            min_fit=opt.rate(min_fit, "--min-fit"),
            min_relevance=opt.rate(min_relevance, "--min-relevance") or 0.0,
            platforms=tuple(opt.platforms(platform)),
            limit=limit or None,
            method="semantic" if semantic else "bm25",
        )
    if as_json:
        print_json({"total": total, "creators": [match_json(h) for h in hits]})
        return
    if not total:
        filters = [
            name
            for name, value in (
                ("--min-fit", min_fit),
                ("--min-relevance", min_relevance),
                ("--platform", platform),
            )
            if value
        ]
        console().print(
            f"no creator matches {keywords!r}"
            + (
                f" with {', '.join(filters)}; loosen them"
                if filters
                else " (relevance reads bios, categories, captions and hashtags)"
            )
        )
        return
    render_matches(hits, total, keywords)


def render_matches(hits: list[CreatorMatch], total: int, keywords: str) -> None:
    from rich.table import Table

    table = Table(
        title=f"{total:,} creator(s) for {keywords!r}"
        + (f", showing {len(hits)}" if len(hits) < total else ""),
        title_justify="left",
    )
    for col in (
        "handle",
        "platform",
        "tier",
        "followers",
        "country",
        "relevance",
        "fit",
        "fit from",
    ):
        right = col in {"followers", "relevance", "fit"}
        table.add_column(col, justify="right" if right else "left", no_wrap=col == "handle")
    for h in hits:
        table.add_row(
            "@" + h.handle,
            h.platform,
            h.tier or "—",
            fmt_followers(h.followers),
            h.country or "—",
            f"{h.relevance.score:.0%}",
            "—" if h.fit.confidence == NO_TARGET else f"{h.fit.fit:.0%}",
            h.fit.confidence,
        )
    console().print(table)
    if any(h.fit.confidence == NO_TARGET for h in hits):
        console().print(
            "fit —: no audience target (--ship-to, --age, --gender, --language); ranked by relevance"
        )


# --- target --------------------------------------------------------------------------------


@target_app.callback()
def target_default(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Show the stored target."""
    if ctx.invoked_subcommand is not None:
        return
    with open_workspace() as ws:
        target = ws.vetting_target()
    if as_json:
        print_json({"target": target})
        return
    console().print(describe_target(target))


@target_app.command("set")
def target_set(
    ship_to: ShipTo = None,
    age: Ages = None,
    gender: Genders = None,
    language: Languages = None,
    keywords: Keywords = None,
    as_json: JsonOpt = False,
) -> None:
    """Store the target the creator page measures fit and relevance against."""
    from creatormix.domain.vetting import Target

    target = _target(ship_to, age, gender, language, keywords)
    if target == Target():
        raise InvalidOption(
            "give at least one of --ship-to, --age, --gender, --language, --keywords"
        )
    with open_workspace() as ws:
        ws.audience_fits([], target)  # validates every value (raises InvalidOption)
        ws.set_vetting_target(target)
    if as_json:
        print_json({"target": target})
        return
    console().print(describe_target(target))


@target_app.command("clear")
def target_clear() -> None:
    """Forget the stored target."""
    with open_workspace() as ws:
        ws.set_vetting_target(None)
    console().print("target cleared")
