"""Planning commands: plan, plans list/show/priors/set-prior/set-rate/learned, import followers."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from creatormix.cli.brief_options import (
    BRIEF_KEYS,
    LIST_FLAGS,
    BriefOpt,
    BudgetOpt,
    CurrencyOpt,
    DecimalOpt,
    FormatOpt,
    FxOpt,
    LanguageOpt,
    MaxFollowersOpt,
    MinFollowersOpt,
    NicheOpt,
    OutreachCostOpt,
    OutreachHoursOpt,
    PlatformOpt,
    ScenariosOpt,
    ShipToOpt,
    TimeLimitOpt,
)
from creatormix.cli.common import JsonTablesOpt, import_app, open_workspace
from creatormix.cli.options import comma_list
from creatormix.cli.render import (
    console,
    error_console,
    fmt_count,
    print_json,
    progress_bar,
)
from creatormix.domain.requests import PlanRequest
from creatormix.errors import InvalidOption
from creatormix.views import format as vf
from creatormix.views.planning import (
    FrontierView,
    PlanView,
    plan_json,
    plan_view,
    plans_view,
)

if TYPE_CHECKING:
    from creatormix.domain.followers import FollowerImportReport
    from creatormix.domain.plan_result import Plan, PlanSummary
    from creatormix.workspace import Workspace

JsonOpt = JsonTablesOpt

plans_app = typer.Typer(
    help="Saved plans, and the priors and rate card the planner uses.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.command("plan")(plan)
    app.add_typer(plans_app, name="plans")
    import_app.command("followers")(import_followers)


def _open() -> Workspace:
    return open_workspace()


def _pairs(values: list[str] | None, flag: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for v in values or []:
        for part in v.split(","):
            if not part.strip():
                continue
            key, sep, val = part.partition("=")
            if not sep or not key.strip() or not val.strip():
                raise InvalidOption(f"{flag} {part!r}: expected KEY=VALUE (e.g. FR=5)")
            out[key.strip()] = val.strip()
    return out


def _tier_shares(values: list[str] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for v in values or []:
        for part in v.split(","):
            text = part.strip().replace(" ", "")
            if not text:
                continue
            for op in (">=", "<="):
                if op in text:
                    tier, _, value = text.partition(op)
                    out[tier.lower()] = op + value
                    break
            else:
                tier, sep, value = text.partition("=") if "=" in text else text.partition(":")
                if not sep:
                    raise InvalidOption(
                        f"--tier-share {part!r}: expected micro>=30%, macro<=40%, mid=20%-50% "
                        "or nano+micro>=50%"
                    )
                out[tier.lower()] = value
    return out


# The brief key each of `plan`'s flags sets (planning/brief.py validates the values): the flags
# it shares with `backtest` (cli/brief_options.py), then its own; the flags handled in
# ``_brief_overrides`` set keys of their own.
_BRIEF_KEYS = BRIEF_KEYS | {
    "goal": "goal",
    "reach": "reach",
    "name": "name",
    "age": "target.ages",
    "gender": "target.genders",
    "niche": "niche",
    "min_fit": "min_fit",
    "min_authenticity": "min_authenticity",
    "deal_types": "deals.types",
    "months": "deals.months",
    "product_cost": "deals.product_cost",
    "shipping_cost": "deals.shipping_cost",
    "aov": "sales.aov",
    "margin": "sales.margin",
    "objective": "sales.objective",
    "min_roas": "sales.min_roas",
    "min_creators": "constraints.min_creators",
    "budget_margin": "constraints.budget_margin",
    "target": "uncertainty.target",
    "quantile": "uncertainty.quantile",
    "budgets": "frontier.budgets",
    "seed": "seed",
}


def _brief_overrides(flags: dict[str, Any]) -> dict[str, Any]:
    """`plan`'s flags (its parameters by name) as the brief's dotted keys."""
    overrides: dict[str, Any] = {
        key: comma_list(flags[name]) if name in LIST_FLAGS else flags[name]
        for name, key in _BRIEF_KEYS.items()
    }
    overrides["niche"] = flags["niche"] or None
    if flags["risk_averse"]:
        overrides["uncertainty.risk_averse"] = True
    if flags["no_frontier"]:
        overrides["frontier.enabled"] = False
    for tier_name, spec in _tier_shares(flags["tier_share"]).items():
        overrides[f"constraints.tier_share.{tier_name}"] = spec
    for key, spec in _pairs(flags["country_cap"], "--country-cap").items():
        overrides[f"constraints.country_caps.{key}"] = spec
    for key, spec in _pairs(flags["niche_cap"], "--niche-cap").items():
        overrides[f"constraints.niche_caps.{key}"] = spec
    for key, spec in _pairs(flags["weights"], "--weights").items():
        overrides[f"weights.{key}"] = spec
    for key, spec in _pairs(flags["fx"], "--fx").items():
        overrides[f"fx.{key}"] = spec
    return overrides


def plan(
    goal: Annotated[
        str | None,
        typer.Option(
            "--goal", "-g", help="awareness, engagement, sales, content, giveaway or mix."
        ),
    ] = None,
    budget: BudgetOpt = None,
    reach: Annotated[
        str | None,
        typer.Option(
            "--reach",
            help="What unique reach counts: audience (distinct followers, each once) or views "
            "(distinct people expected to see a post; the default).",
        ),
    ] = None,
    currency: CurrencyOpt = None,
    decimal: DecimalOpt = None,
    brief: BriefOpt = None,
    name: Annotated[str | None, typer.Option("--name", help="A name for the saved plan.")] = None,
    ship_to: ShipToOpt = None,
    age: Annotated[str | None, typer.Option("--age", help="Target age range, e.g. 18-34.")] = None,
    gender: Annotated[
        list[str] | None, typer.Option("--gender", help="Target genders: female, male, other.")
    ] = None,
    language: LanguageOpt = None,
    niche: NicheOpt = None,
    platform: PlatformOpt = None,
    tier: Annotated[
        list[str] | None, typer.Option("--tier", "-t", help="Only these tiers.")
    ] = None,
    min_followers: MinFollowersOpt = None,
    max_followers: MaxFollowersOpt = None,
    min_fit: Annotated[
        str | None,
        typer.Option(
            "--min-fit", help="Drop creators whose audience fit is below this (e.g. 30%)."
        ),
    ] = None,
    min_authenticity: Annotated[
        str | None,
        typer.Option(
            "--min-authenticity",
            help="Drop creators whose authenticity (audit score / 100) is below this.",
        ),
    ] = None,
    deal_types: Annotated[
        str | None,
        typer.Option(
            "--deal-types", help="paid,gifted,product-for-post (the planner picks per creator)."
        ),
    ] = None,
    deliverables: Annotated[
        str | None, typer.Option("--deliverables", help="Pieces of content per creator per month.")
    ] = None,
    months: Annotated[
        str | None, typer.Option("--months", help="1 = one-off; more = long-term.")
    ] = None,
    fmt: FormatOpt = None,
    product_cost: Annotated[
        str | None, typer.Option("--product-cost", help="Value of the product sent (gifting).")
    ] = None,
    shipping_cost: Annotated[str | None, typer.Option("--shipping-cost")] = None,
    outreach_hours: OutreachHoursOpt = None,
    outreach_cost: OutreachCostOpt = None,
    aov: Annotated[
        str | None, typer.Option("--aov", help="Average order value (sales goals).")
    ] = None,
    margin: Annotated[
        str | None, typer.Option("--margin", help="Gross margin, e.g. 60% (profit objective).")
    ] = None,
    objective: Annotated[
        str | None, typer.Option("--objective", help="Sales: revenue or profit.")
    ] = None,
    min_roas: Annotated[
        str | None, typer.Option("--min-roas", help="Expected revenue / cost the plan must reach.")
    ] = None,
    min_creators: Annotated[str | None, typer.Option("--min-creators")] = None,
    max_creators: Annotated[str | None, typer.Option("--max-creators")] = None,
    tier_share: Annotated[
        list[str] | None,
        typer.Option(
            "--tier-share",
            help="micro>=30%, macro<=40%, mid=20%-50% or nano+micro>=50% (of spend).",
        ),
    ] = None,
    must_include: Annotated[
        list[str] | None, typer.Option("--must-include", help="Creators the plan must take.")
    ] = None,
    exclude: Annotated[
        list[str] | None, typer.Option("--exclude", help="Creators the plan must not take.")
    ] = None,
    country_cap: Annotated[
        list[str] | None,
        typer.Option("--country-cap", help="FR=5 (creators) or FR=40% (of spend)."),
    ] = None,
    niche_cap: Annotated[
        list[str] | None, typer.Option("--niche-cap", help="skincare=3 or skincare=50%.")
    ] = None,
    budget_margin: Annotated[
        str | None,
        typer.Option("--budget-margin", help="Share of the budget held back (risk margin)."),
    ] = None,
    target: Annotated[
        str | None, typer.Option("--target", help="Report the chance of reaching this goal value.")
    ] = None,
    risk_averse: Annotated[
        bool,
        typer.Option("--risk-averse", help="Maximise a low quantile (P10) instead of the mean."),
    ] = False,
    quantile: Annotated[
        str | None,
        typer.Option("--quantile", help="The quantile --risk-averse maximises (default 10%)."),
    ] = None,
    weights: Annotated[
        list[str] | None, typer.Option("--weights", help="goal=mix: engagement=0.6,reach=0.4.")
    ] = None,
    fx: FxOpt = None,
    budgets: Annotated[
        str | None, typer.Option("--budgets", help="Frontier budgets, e.g. 5k,10k,20k,40k.")
    ] = None,
    no_frontier: Annotated[
        bool, typer.Option("--no-frontier", help="Skip the frontier (faster).")
    ] = False,
    scenarios: ScenariosOpt = None,
    seed: Annotated[str | None, typer.Option("--seed")] = None,
    frontier_html: Annotated[
        Path | None,
        typer.Option("--frontier", help="Write the frontier chart here (self-contained HTML)."),
    ] = None,
    export: Annotated[
        Path | None, typer.Option("--export", help="Write the chosen creators as CSV here.")
    ] = None,
    no_save: Annotated[
        bool, typer.Option("--no-save", help="Do not save the plan in the workspace.")
    ] = False,
    time_limit: TimeLimitOpt = 20.0,
    as_json: JsonOpt = False,
) -> None:
    """Plan the best mix of creators for a goal and a budget: picks, P10/P50/P90, frontier, explanations."""
    overrides = _brief_overrides(dict(locals()))
    request = PlanRequest(
        brief_file=brief,
        overrides=overrides,
        save=not no_save,
        time_limit=time_limit,
        frontier_html=frontier_html,
        export_csv=export,
    )
    with _open() as ws, progress_bar(not as_json) as progress:
        result = ws.plan(request, progress=progress)
    if as_json:
        print_json(plan_json(result))
        return
    render_plan(result)
    for label, path in (("frontier chart", frontier_html), ("plan CSV", export)):
        if path is not None:
            console().print(f"Wrote the {label} to [bold]{path}[/]")


def render_plan(p: Plan) -> None:
    render_plan_view(plan_view(p))


def render_plan_view(v: PlanView) -> None:
    from rich.markup import escape
    from rich.table import Table

    out = console()
    out.print(f"[bold]{v.title}[/]: {v.summary}")
    if v.reach_objective is not None:
        out.print(f"Reach objective: {v.reach_objective}")
    for warning in v.warnings:  # a likely loss or long-shot gifts come before any figure
        out.print(f"[bold yellow]warning[/]: {escape(warning)}", soft_wrap=True)
    table = Table(title=v.picks_title, title_justify="left")
    for col, justify in v.pick_columns:
        table.add_column(col, justify=justify, no_wrap=True)  # type: ignore[arg-type]
    for row in v.picks:
        table.add_row(*row)
    out.print(table)
    out.print("[bold]Why these creators[/]")
    for handle, reasons in v.reasons:
        out.print(f"  @{handle}: " + reasons, soft_wrap=True)
    if v.more_reasons:
        out.print(f"  {v.more_reasons}")
    if v.overlap:
        out.print("[bold]Overlap measured from[/]")
        for handle, source in v.overlap:
            out.print(f"  @{handle}: {source}", soft_wrap=True)
    out.print(f"[bold]Totals[/] {v.totals_note}")
    for label, value in v.totals:
        out.print(f"  {label:<{v.label_width}} {value}")
    if v.chance is not None:
        out.print(f"  chance of reaching {v.chance[0]}: [bold]{v.chance[1]}[/]")
    out.print(f"[bold]Budget by tier[/]: {v.tier_shares}")
    if v.optimality is not None:
        out.print(f"[bold]Optimality[/]: {v.optimality}")
    if v.frontier is not None:
        render_frontier(v.frontier)
    if v.left_out:
        lt = Table(title="Strong creators left out", title_justify="left")
        for col in ("creator", "tier", "why", "detail"):
            lt.add_column(col, overflow="fold")
        for row in v.left_out:
            lt.add_row(*row)
        out.print(lt)
    # the priors learned from the brand's campaigns are named, with their evidence, in the notes
    for note in v.notes:
        out.print(f"[dim]note: {note}[/]")


def render_frontier(f: FrontierView) -> None:
    from rich.table import Table

    table = Table(
        title=f.title,
        title_justify="left",
        caption=f.caption,
        caption_justify="left",
    )
    for col, justify in f.columns:
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for row in f.rows:
        table.add_row(*row)
    console().print(table)
    console().print(f"[bold]Micro or macro?[/] {f.answer}")


@plans_app.command("list")
def plans_list(as_json: JsonOpt = False) -> None:
    """List saved plans: goal, budget, creators, expected value."""

    with _open() as ws:
        rows = ws.plans()
    if as_json:
        print_json({"plans": rows})
        return
    render_plans(rows)


def render_plans(rows: list[PlanSummary]) -> None:
    from rich.table import Table

    v = plans_view(rows)
    table = Table(title=v.title, title_justify="left")
    for col, justify in v.columns:
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for row in v.rows:
        table.add_row(*row)
    console().print(table)


@plans_app.command("show")
def plans_show(
    plan_id: Annotated[int, typer.Argument(help="The plan number (see `plans list`).")],
    frontier_html: Annotated[
        Path | None, typer.Option("--frontier", help="Write its frontier chart here.")
    ] = None,
    export: Annotated[
        Path | None, typer.Option("--export", help="Write its creators as CSV here.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Show a saved plan exactly as it was made."""
    with _open() as ws:
        p = ws.get_plan(plan_id)
        if frontier_html is not None:
            ws.write_frontier_html(p, frontier_html)
        if export is not None:
            ws.export_plan_csv(p, export)
    if as_json:
        print_json(plan_json(p))
        return
    render_plan(p)


@plans_app.command("priors")
def plans_priors(
    platform: Annotated[
        str, typer.Option("--platform", "-p", help="Platform to show.")
    ] = "instagram",
    as_json: JsonOpt = False,
) -> None:
    """Show the rate priors the planner uses for a platform, and where each comes from."""
    from creatormix.domain.plan_benchmarks import TIERS

    with _open() as ws:
        table_ = ws.planning_priors()
        rows = [
            table_.get(platform, t, m)
            for t in TIERS
            for m in (
                "reach_rate",
                "engagement_rate",
                "click_rate",
                "conversion_rate",
                "follow_rate",
            )
        ]
        card = ws.rate_card()
    if as_json:
        print_json(
            {
                "priors": rows,
                "rate_card": {
                    "currency": card.currency,
                    "ranges": card.ranges,
                    "format_ranges": card.format_ranges,
                    "format_multipliers": card.format_price,
                    "source": card.source,
                },
            }
        )
        return
    from rich.table import Table

    t = Table(title=f"Priors for {platform}", title_justify="left")
    for col in ("tier", "metric", "mean", "strength", "origin", "source"):
        t.add_column(col, overflow="fold")
    for r in rows:
        t.add_row(r.tier, r.metric, f"{r.mean:.2%}", fmt_count(r.strength), r.origin, r.source)
    console().print(t)
    formats = ("post", "carousel", "video", "story")
    own = card.format_ranges.get(platform, {})
    rc = Table(
        title=f"Rate card for {platform} ({card.currency} per piece, low-high by format)",
        title_justify="left",
        caption="x: the format's price relative to the usual piece; *: a range set with "
        "`plans set-rate --format`",
        caption_justify="left",
    )
    rc.add_column("tier")
    for f_name in formats:
        rc.add_column(f"{f_name} x{card.multiplier(platform, f_name):g}", justify="right")
    for tier_name in TIERS:
        cells = []
        for f_name in formats:
            low, high = card.format_range(platform, tier_name, f_name)
            mark = "*" if tier_name in own.get(f_name, {}) else ""
            cells.append(f"{low:,.0f}-{high:,.0f}{mark}")
        rc.add_row(tier_name, *cells)
    console().print(rc)
    console().print(f"[dim]{card.source}[/]")


@plans_app.command("set-prior")
def plans_set_prior(
    metric: Annotated[
        str,
        typer.Argument(
            help="reach_rate, engagement_rate, click_rate, conversion_rate or follow_rate."
        ),
    ],
    mean: Annotated[str, typer.Argument(help="The rate, e.g. 2% or 0.02.")],
    platform: Annotated[
        str, typer.Option("--platform", "-p", help="Platform, or * for all.")
    ] = "*",
    tier: Annotated[str, typer.Option("--tier", "-t", help="Tier, or * for all.")] = "*",
    strength: Annotated[
        float, typer.Option("--strength", help="How many observations the value is worth.")
    ] = 50.0,
    note: Annotated[str, typer.Option("--note", help="Where the number comes from.")] = "",
) -> None:
    """Override a published prior in this workspace."""
    from creatormix.cli import options as opt

    value = opt.rate(mean, "MEAN")
    with _open() as ws:
        o = ws.set_prior(
            metric, value or 0.0, platform=platform, tier=tier, strength=strength, note=note
        )
    console().print(
        f"prior {o.platform}/{o.tier}/{o.metric} = {o.mean:.2%} (strength {fmt_count(o.strength)})"
    )


@plans_app.command("set-rate")
def plans_set_rate(
    platform: Annotated[str, typer.Argument()],
    tier: Annotated[str, typer.Argument()],
    low: Annotated[float, typer.Argument(help="Fee at the bottom of the tier (USD).")],
    high: Annotated[float, typer.Argument(help="Fee at the top of the tier (USD).")],
    note: Annotated[str, typer.Option("--note")] = "",
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="Only for this format (post, carousel, video/reel, story); "
            "default: the platform's usual piece, which other formats scale.",
        ),
    ] = None,
) -> None:
    """Override the rate card for one platform x tier (x format)."""
    with _open() as ws:
        card = ws.set_rate(platform, tier, low, high, note=note, fmt=fmt)
    what = f"{platform}/{tier}" + (f"/{fmt}" if fmt else "")
    console().print(f"rate card {what}: {vf.exact(low)}-{vf.exact(high)} {card.currency}")


@plans_app.command("learned")
def plans_learned(as_json: JsonOpt = False) -> None:
    """List the rates learned from the brand's campaigns (they update the priors)."""
    from rich.table import Table

    with _open() as ws:
        rates = ws.learned_rates()
    if as_json:
        print_json({"learned_rates": rates})
        return
    t = Table(title=f"{len(rates)} learned rate(s)", title_justify="left")
    for col in ("platform", "tier", "metric", "successes", "trials", "rate", "source"):
        t.add_column(col)
    for r in rates:
        t.add_row(
            r.platform,
            r.tier,
            r.metric,
            vf.exact(r.successes),
            vf.exact(r.trials),
            vf.rate(r.successes / r.trials) if r.trials else "—",
            r.source,
        )
    console().print(t)


def import_followers(
    file: Annotated[
        Path, typer.Argument(help="CSV/JSON/Parquet with a creator and a follower column.")
    ],
    platform: Annotated[
        str | None, typer.Option("--platform", "-p", help="Platform of creators named without one.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Import follower lists (creator, follower id): unique reach then uses measured overlap."""
    with _open() as ws, progress_bar(not as_json) as progress:
        report = ws.import_followers(file, platform=platform, progress=progress)
    if as_json:
        print_json(report)
        return
    render_followers(report)


def render_followers(r: FollowerImportReport) -> None:
    out = console()
    if r.skipped:
        out.print(f"{r.file}: already imported as import #{r.already_imported_as}; nothing changed")
        return
    out.print(
        f"[bold]Import #{r.import_id}[/] followers from {r.file}: [green]{r.links:,} links[/] "
        f"for {r.creators:,} creator(s) from {r.rows_read:,} rows ({r.seconds:.1f} s)"
    )
    for w in r.warnings:
        error_console().print(f"  [yellow]warning:[/] {w}")
