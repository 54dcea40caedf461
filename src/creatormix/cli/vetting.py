"""Vetting commands: import follower samples, audience shares and comments; audit; search; target.

Also adds the vetting section of ``creators show``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from creatormix.cli import options as opt
from creatormix.cli.catalog import DETAIL_SECTIONS, DetailSection
from creatormix.cli.common import JsonOpt, creators_app, open_workspace
from creatormix.cli.imports import import_command
from creatormix.cli.render import console, fmt_followers, print_json, progress_bar
from creatormix.domain.vetting import NO_TARGET
from creatormix.errors import InvalidOption

if TYPE_CHECKING:
    from creatormix.domain.query import CreatorDetail
    from creatormix.domain.vetting import (
        AudienceFit,
        AuthenticityReport,
        CreatorMatch,
        CreatorVetting,
        Target,
    )
    from creatormix.workspace import Workspace

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
    DETAIL_SECTIONS.append(
        DetailSection("vetting", _compute_section, render_creator_vetting, vetting_json)
    )


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
            report = ws.audit(handle)
            if as_json:
                print_json(report_json(report))
                return
            render_report(report)
            return
        with progress_bar(not as_json) as progress:
            reports = ws.audit_all(progress=progress)
    if sampled:
        reports = [r for r in reports if r.audit is not None]
    if max_score is not None:
        reports = [r for r in reports if r.score <= max_score]
    reports.sort(key=lambda r: (r.score, r.platform, r.handle))
    total = len(reports)
    shown = reports[:limit] if limit else reports
    if as_json:
        print_json({"total": total, "creators": [report_json(r) for r in shown]})
        return
    if not total:
        asked = [
            *(["with a follower sample"] if sampled else []),
            *([f"scoring at most {max_score}"] if max_score is not None else []),
        ]
        console().print(
            "no creator " + " and ".join(asked) if asked else "no creator in the workspace"
        )
        return
    render_reports(shown, total)


def report_json(r: AuthenticityReport) -> dict[str, Any]:
    a = r.audit
    return {
        "platform": r.platform,
        "handle": r.handle,
        "tier": r.tier,
        "followers": r.followers,
        "score": r.score,
        "factor": r.factor,
        "confidence": r.confidence,
        "not_enough_data": r.not_enough_data,
        "posts": r.coverage.posts if r.coverage else None,
        "engagement_measured": r.coverage.engagement_measured if r.coverage else None,
        "follower_snapshots": r.coverage.snapshots if r.coverage else None,
        "comments_with_text": r.coverage.comments if r.coverage else None,
        "fake_share": a.fake_share if a else None,
        "fake_interval": [a.fake_interval.low, a.fake_interval.high] if a else None,
        "real_share": a.real_share if a else None,
        "real_interval": [a.real_interval.low, a.real_interval.high] if a else None,
        "interval_level": a.fake_interval.level if a else None,
        "fake_measured": a is not None,
        "assumed_fake_share": r.assumed_fake_share,
        "audience_factor": r.factor if r.audience_factor is None else r.audience_factor,
        "engagement_factor": r.engagement_factor,
        "sample_size": a.sample_size if a else 0,
        "effective_sample_size": a.information if a else 0.0,
        "low_confidence": a.low_confidence if a else True,
        "audience_split": dict(a.split) if a else None,
        "missing_fields": dict(a.missing_fields) if a else None,
        "model": a.model if a else None,
        "flags": [
            {"code": f.code, "message": f.message, "weight": f.weight, "evidence": dict(f.evidence)}
            for f in r.flags
        ],
        "reasons": list(r.reasons),
    }


def _score_style(score: int) -> str:
    return "green" if score >= 80 else "yellow" if score >= 60 else "red"


def render_report(r: AuthenticityReport) -> None:
    out = console()
    style = _score_style(r.score)
    out.print(
        f"[bold]@{r.handle}[/] on {r.platform} ({r.tier or '—'}, {fmt_followers(r.followers)} followers): "
        f"authenticity [bold {style}]{r.score}/100[/] ({r.confidence} confidence)"
    )
    a = r.audit
    if a is not None:
        i, real = a.fake_interval, a.real_interval
        weighs = (
            f", weighing as {a.information:.0f} complete"
            if a.information < a.sample_size - 0.5
            else ""
        )
        out.print(
            f"  real followers [bold]{a.real_share:.1%}[/] ({real.level:.0%} interval "
            f"{real.low:.1%}–{real.high:.1%}), fake followers {a.fake_share:.1%} "
            f"({i.low:.1%}–{i.high:.1%}), from {a.sample_size} sampled followers{weighs}"
            + (" [yellow](low confidence)[/]" if a.low_confidence else "")
        )
        out.print(
            "  audience: "
            + ", ".join(f"{k.replace('_', ' ')} {v:.0%}" for k, v in a.split.items())
            + f"  [dim]({a.model}; suspicious = the fake share, the rest = the real share)[/]"
        )
    elif r.assumed_fake_share is not None:
        out.print(
            f"  fake followers: not measured: assumed {r.assumed_fake_share:.0%} "
            "(import a follower sample to measure it)"
        )
    out.print("  reasons:")
    for reason in r.reasons:
        out.print(f"    • {reason}")
    for f in r.flags:
        evidence = ", ".join(f"{k}={_short(v)}" for k, v in f.evidence.items())
        out.print(f"  [dim]flag {f.code} (−{f.weight:.0%}): {evidence}[/]")


def _short(v: object) -> str:
    if isinstance(v, float):
        return f"{v:.4g}"
    if isinstance(v, list):
        return "[" + ", ".join(_short(x) for x in v) + "]"
    return str(v)


def _no_engagement(r: AuthenticityReport) -> bool:
    return r.coverage is not None and not r.coverage.engagement_measured


def render_reports(reports: list[AuthenticityReport], total: int) -> None:
    from rich.table import Table

    title = f"{total:,} creator(s), lowest authenticity first" + (
        f", showing {len(reports)}" if len(reports) < total else ""
    )
    table = Table(title=title, title_justify="left")
    columns = (
        "handle",
        "platform",
        "tier",
        "followers",
        "score",
        "confidence",
        "fake",
        "90% interval",
        "sample",
    )
    for col in (*columns, "flags"):
        right = col in {"followers", "score", "fake", "sample"}
        table.add_column(col, justify="right" if right else "left", no_wrap=col == "handle")
    for r in reports:
        a = r.audit
        table.add_row(
            "@" + r.handle,
            r.platform,
            r.tier or "—",
            fmt_followers(r.followers),
            f"[{_score_style(r.score)}]{r.score}[/]",
            r.confidence + ("†" if _no_engagement(r) else ""),
            f"{a.fake_share:.0%}" if a else f"~{r.expected_fake_share:.0%}",
            f"{a.fake_interval.low:.0%}–{a.fake_interval.high:.0%}" if a else "",
            (str(a.sample_size) + ("*" if a.low_confidence else "")) if a else "—",
            ", ".join(f.code for f in r.flags) or "",
        )
    console().print(table)
    if any(r.audit is not None and r.audit.low_confidence for r in reports):
        console().print("* low confidence: under 30 followers' worth of information sampled")
    if any(_no_engagement(r) for r in reports):
        console().print(
            "† not enough data: no post and no imported engagement rate, engagement anomalies "
            "not checked"
        )
    if any(r.audit is None for r in reports):
        console().print(
            "~ fake share not measured (no follower sample): the workspace's expected share "
            "is assumed"
        )


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


def fit_json(f: AudienceFit) -> dict[str, Any]:
    return {
        "fit": f.fit,
        "parts": dict(f.parts),
        "sources": dict(f.sources),
        "confidence": f.confidence,
        "confidence_weight": f.confidence_weight,
        "reasons": list(f.reasons),
    }


def match_json(h: CreatorMatch) -> dict[str, Any]:
    return {
        "platform": h.platform,
        "handle": h.handle,
        "name": h.name,
        "tier": h.tier,
        "followers": h.followers,
        "country": h.country,
        "relevance": {
            "score": h.relevance.score,
            "matched": list(h.relevance.matched),
            "method": h.relevance.method,
        },
        "fit": fit_json(h.fit),
    }


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
    console().print(_describe(target))


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
    console().print(_describe(target))


@target_app.command("clear")
def target_clear() -> None:
    """Forget the stored target."""
    with open_workspace() as ws:
        ws.set_vetting_target(None)
    console().print("target cleared")


def _describe(t: Target | None) -> str:
    if t is None:
        return "no target set (creatormix target set --ship-to FR,BE --age 18-34 --keywords 'vegan skincare')"
    parts = [
        ("ship to", ", ".join(t.countries)),
        ("ages", ", ".join(t.ages)),
        ("genders", ", ".join(t.genders)),
        ("languages", ", ".join(t.languages)),
        ("keywords", t.keywords),
    ]
    return "target: " + "; ".join(f"{k} {v}" for k, v in parts if v)


# --- the creator page section ------------------------------------------------------------


def _compute_section(ws: Workspace, detail: CreatorDetail) -> CreatorVetting:
    c = detail.profile.creator
    return ws.creator_vetting(f"{c.platform.value}:{c.handle}")


def vetting_json(v: CreatorVetting) -> dict[str, Any]:
    return {
        "authenticity": report_json(v.authenticity),
        "audience": {k: dict(s) for k, s in v.audience.items()},
        "target": v.target,
        "fit": fit_json(v.fit) if v.fit else None,
        "relevance": {"score": v.relevance.score, "matched": list(v.relevance.matched)}
        if v.relevance
        else None,
    }


def render_creator_vetting(v: CreatorVetting) -> None:
    out = console()
    r = v.authenticity
    out.print(
        f"  [bold]authenticity[/]: [bold {_score_style(r.score)}]{r.score}/100[/] ({r.confidence} confidence)"
    )
    for reason in r.reasons[:4]:
        out.print(f"    • {reason}")
    if v.audience:
        for dimension, shares in v.audience.items():
            top = sorted(shares.items(), key=lambda kv: -kv[1])[:5]
            out.print(f"  audience by {dimension}: " + ", ".join(f"{k} {s:.0%}" for k, s in top))
    else:
        out.print("  audience: no shares imported (creatormix import audience FILE)")
    if v.target is None:
        out.print(
            "  fit and relevance: set a target with `creatormix target set --ship-to FR,BE --keywords …`"
        )
        return
    out.print(f"  [dim]{_describe(v.target)}[/]")
    if v.fit is not None and v.fit.confidence == NO_TARGET:
        out.print("  [bold]audience fit[/]: — (the target does not restrict the audience)")
    elif v.fit is not None:
        out.print(f"  [bold]audience fit[/]: {v.fit.fit:.0%} ({v.fit.confidence})")
        for reason in v.fit.reasons:
            out.print(f"    • {reason}")
    if v.relevance is not None:
        matched = ", ".join(v.relevance.matched) or "no keyword"
        out.print(f"  [bold]niche relevance[/]: {v.relevance.score:.0%} (matched: {matched})")
