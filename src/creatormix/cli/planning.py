"""Planning commands: plan, plans list/show/priors/set-prior/set-rate/learned, import followers."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from creatormix.cli.common import JsonTablesOpt, import_app, open_workspace
from creatormix.cli.render import (
    console,
    error_console,
    fmt_count,
    fmt_followers,
    fmt_money,
    print_json,
    progress_bar,
)
from creatormix.domain.plan import amount
from creatormix.errors import InvalidOption

if TYPE_CHECKING:
    from creatormix.domain.followers import FollowerImportReport
    from creatormix.domain.plan import Quantiles
    from creatormix.domain.plan_result import Frontier, Plan, PlanSummary
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
                        f"--tier-share {part!r}: expected micro>=30%, macro<=40% or mid=20%-50%"
                    )
                out[tier.lower()] = value
    return out


def _many(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    out = [p.strip() for v in values for p in v.split(",") if p.strip()]
    return out or None


def plan(
    goal: Annotated[
        str | None,
        typer.Option(
            "--goal", "-g", help="awareness, engagement, sales, content, giveaway or mix."
        ),
    ] = None,
    budget: Annotated[
        str | None, typer.Option("--budget", "-b", help="Total budget, e.g. 20000 or 20k.")
    ] = None,
    currency: Annotated[
        str | None, typer.Option("--currency", help="ISO code of the budget (default USD).")
    ] = None,
    brief: Annotated[
        Path | None, typer.Option("--brief", help="A brief TOML file (flags override it).")
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="A name for the saved plan.")] = None,
    ship_to: Annotated[
        list[str] | None, typer.Option("--ship-to", help="Countries the brand ships to (FR,BE).")
    ] = None,
    age: Annotated[str | None, typer.Option("--age", help="Target age range, e.g. 18-34.")] = None,
    gender: Annotated[
        list[str] | None, typer.Option("--gender", help="Target genders: female, male, other.")
    ] = None,
    language: Annotated[
        list[str] | None, typer.Option("--language", help="Target languages (fr, de …).")
    ] = None,
    niche: Annotated[
        list[str] | None, typer.Option("--niche", "-n", help="Niche keywords (repeatable).")
    ] = None,
    platform: Annotated[
        list[str] | None, typer.Option("--platform", "-p", help="Only these platforms.")
    ] = None,
    tier: Annotated[
        list[str] | None, typer.Option("--tier", "-t", help="Only these tiers.")
    ] = None,
    min_followers: Annotated[str | None, typer.Option("--min-followers")] = None,
    max_followers: Annotated[str | None, typer.Option("--max-followers")] = None,
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
    fmt: Annotated[
        str | None, typer.Option("--format", help="post, carousel, video (reel) or story.")
    ] = None,
    product_cost: Annotated[
        str | None, typer.Option("--product-cost", help="Value of the product sent (gifting).")
    ] = None,
    shipping_cost: Annotated[str | None, typer.Option("--shipping-cost")] = None,
    outreach_hours: Annotated[
        str | None, typer.Option("--outreach-hours", help="Hours of work per creator (default 2).")
    ] = None,
    outreach_cost: Annotated[
        str | None,
        typer.Option("--outreach-cost", help="Cost of one hour of outreach work (default 36)."),
    ] = None,
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
        typer.Option("--tier-share", help="micro>=30%, macro<=40% or mid=20%-50% (of spend)."),
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
    fx: Annotated[
        list[str] | None,
        typer.Option("--fx", help="Exchange rates into the plan's currency: EUR=1.08."),
    ] = None,
    budgets: Annotated[
        str | None, typer.Option("--budgets", help="Frontier budgets, e.g. 5k,10k,20k,40k.")
    ] = None,
    no_frontier: Annotated[
        bool, typer.Option("--no-frontier", help="Skip the frontier (faster).")
    ] = False,
    scenarios: Annotated[
        str | None, typer.Option("--scenarios", help="Monte Carlo scenarios (default 4000).")
    ] = None,
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
    time_limit: Annotated[
        float, typer.Option("--time-limit", help="Seconds the optimiser may take.")
    ] = 20.0,
    as_json: JsonOpt = False,
) -> None:
    """Plan the best mix of creators for a goal and a budget: picks, P10/P50/P90, frontier, explanations."""
    overrides: dict[str, Any] = {
        "goal": goal,
        "budget": budget,
        "currency": currency,
        "name": name,
        "target.ship_to": _many(ship_to),
        "target.ages": age,
        "target.genders": _many(gender),
        "target.languages": _many(language),
        "niche": niche or None,
        "platforms": _many(platform),
        "tiers": _many(tier),
        "min_followers": min_followers,
        "max_followers": max_followers,
        "min_fit": min_fit,
        "min_authenticity": min_authenticity,
        "deals.types": deal_types,
        "deals.deliverables": deliverables,
        "deals.months": months,
        "deals.format": fmt,
        "deals.product_cost": product_cost,
        "deals.shipping_cost": shipping_cost,
        "deals.outreach_hours": outreach_hours,
        "deals.hourly_cost": outreach_cost,
        "sales.aov": aov,
        "sales.margin": margin,
        "sales.objective": objective,
        "sales.min_roas": min_roas,
        "constraints.min_creators": min_creators,
        "constraints.max_creators": max_creators,
        "constraints.must_include": _many(must_include),
        "constraints.exclude": _many(exclude),
        "constraints.budget_margin": budget_margin,
        "uncertainty.target": target,
        "uncertainty.quantile": quantile,
        "frontier.budgets": budgets,
        "scenarios": scenarios,
        "seed": seed,
    }
    if risk_averse:
        overrides["uncertainty.risk_averse"] = True
    if no_frontier:
        overrides["frontier.enabled"] = False
    for tier_name, spec in _tier_shares(tier_share).items():
        overrides[f"constraints.tier_share.{tier_name}"] = spec
    for key, spec in _pairs(country_cap, "--country-cap").items():
        overrides[f"constraints.country_caps.{key}"] = spec
    for key, spec in _pairs(niche_cap, "--niche-cap").items():
        overrides[f"constraints.niche_caps.{key}"] = spec
    for key, spec in _pairs(weights, "--weights").items():
        overrides[f"weights.{key}"] = spec
    for key, spec in _pairs(fx, "--fx").items():
        overrides[f"fx.{key}"] = spec
    with _open() as ws:
        parsed = ws.brief(brief, overrides)
        if frontier_html is not None and not parsed.frontier:
            raise InvalidOption(
                "--frontier needs the frontier: drop --no-frontier (or [frontier] enabled = false)"
            )
        # outputs are checked before planning: nothing is saved when one cannot be written
        if frontier_html is not None:
            ws.check_output(frontier_html, "frontier chart")
        if export is not None:
            ws.check_output(export, "plan CSV")
        with progress_bar(not as_json) as progress:
            result = ws.plan(parsed, save=not no_save, progress=progress, time_limit=time_limit)
        if frontier_html is not None:
            ws.write_frontier_html(result, frontier_html)
        if export is not None:
            ws.export_plan_csv(result, export)
    if as_json:
        print_json(plan_json(result))
        return
    render_plan(result)
    for label, path in (("frontier chart", frontier_html), ("plan CSV", export)):
        if path is not None:
            console().print(f"Wrote the {label} to [bold]{path}[/]")


def plan_json(p: Plan) -> dict[str, object]:
    """The plan as JSON: the record fields campaigns read, then everything else."""
    from creatormix.cli.render import _jsonable

    data: dict[str, object] = _jsonable(p)
    if not p.plan_id:  # not saved (--no-save): it has no number
        data["plan_id"] = None
    data["optimality"] = (
        {**_jsonable(p.optimality), "ratio": p.optimality.ratio} if p.optimality else None
    )
    data["priors_from_brand_data"] = [
        f"{x.platform}/{x.tier}/{x.metric}" for x in p.priors if x.from_brand_data
    ]
    return data


def _rate(x: float) -> str:
    """A rate with three significant digits, however small (4 / 120,000 is 0.00333%, not 0.00%)."""
    return f"{x * 100:.3g}%"


def _exact(x: float) -> str:
    """A count in full: 12,000 (never 1.2e+04), 12.5 when it is fractional."""
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}".rstrip("0")


def _share(x: float) -> str:
    """A share for people: "<1%" for a small one that is not zero, never a misleading "0%"."""
    return "<1%" if 0 < x < 0.005 else f"{x:.0%}"


def _gap(gap: float) -> str:
    """A proven gap: "optimal", "<0.1%" or "0.4%"."""
    if gap <= 1e-9:
        return "optimal"
    return "<0.1%" if gap < 0.001 else f"{gap:.1%}"


def _q(q: Quantiles | None, money: str | None = None) -> str:
    if q is None:
        return "—"
    f = (lambda v: fmt_money(v, money)) if money else fmt_count
    return f"{f(q.mean)}  (P10 {f(q.p10)} · P50 {f(q.p50)} · P90 {f(q.p90)})"


def render_plan(p: Plan) -> None:
    from rich.table import Table

    out = console()
    title = f"Plan #{p.plan_id}" if p.plan_id else "Plan (not saved)"
    if p.name:
        title += f" — {p.name}"
    b = p.brief
    out.print(
        f"[bold]{title}[/]: {p.goal.value}, budget {fmt_money(p.budget, p.currency)}"
        + (f" (risk margin {b.budget_margin:.0%})" if b.budget_margin else "")
        + f"; {p.candidates:,} candidate creators"
    )
    table = Table(title=f"{len(p.selections)} creators chosen", title_justify="left")
    unit = {
        "engagements": "engagements",
        "reach": "reach",
        "revenue": "revenue",
        "profit": "profit",
        "content": "pieces",
        "followers_gained": "followers",
        "score": "score",
    }.get(p.metric, p.metric)
    for col, justify in (
        ("creator", "left"),
        ("tier", "left"),
        ("platform", "left"),
        ("followers", "right"),
        ("deal", "left"),
        ("cost", "right"),
        (unit, "right"),
        ("P10–P90", "right"),
        (f"/1k {p.currency}", "right"),
    ):
        table.add_column(col, justify=justify, no_wrap=True)  # type: ignore[arg-type]
    money_metric = p.metric in {"revenue", "profit"}
    own = (lambda v: fmt_money(v, p.currency)) if money_metric else fmt_count
    for s in p.picks:
        # the pick's own outcome in the goal's unit; plans saved before picks kept it show none
        q = s.goal or s.expected.get(p.metric)
        table.add_row(
            "@" + s.handle,
            s.tier or "—",
            s.platform,
            fmt_followers(s.followers),
            s.deal_type.value + (f" {s.probability:.0%}" if s.probability < 1 else ""),
            fmt_money(s.committed_cost, p.currency),
            fmt_count(s.marginal_value)
            if not money_metric
            else fmt_money(s.marginal_value, p.currency),
            f"{own(q.p10)}–{own(q.p90)}" if q else "—",
            fmt_count(s.value_per_cost * 1000),
        )
    out.print(table)
    out.print("[bold]Why these creators[/]")
    for s in p.picks[:12]:
        out.print(f"  @{s.handle}: " + "; ".join(s.reasons[:3]), soft_wrap=True)
    if len(p.picks) > 12:
        out.print(f"  … and {len(p.picks) - 12} more (--json or --export for all)")
    out.print(
        "[bold]Totals[/] (expected value, then P10 · P50 · P90 from a Monte Carlo of "
        f"{b.scenarios:,} scenarios; P10 = 9 in 10 plans do at least this well)"
    )
    assumed = {x.metric for x in p.priors if x.origin == "assumption"}
    labels = {
        "reach": "unique reach (target)" if b.target.restricts else "unique reach",
        "engagements": "engagements",
        "clicks": "clicks",
        "conversions": "orders",
        "revenue": "revenue",
        "content": "content pieces",
        "followers_gained": "followers gained"
        + (" (assumed rate)" if "follow_rate" in assumed else ""),
        "profit": "profit",
        "score": "mix score",
    }
    w = max([24, *(len(labels.get(m, m)) + 1 for m in p.totals)])
    for metric, q in p.totals.items():
        money = p.currency if metric in {"revenue", "profit"} else None
        mark = "  ← goal" if metric == p.metric else ""
        out.print(f"  {labels.get(metric, metric):<{w}} {_q(q, money)}{mark}")
    out.print(
        f"  {'cost':<{w}} {fmt_money(p.expected_cost, p.currency)} expected, "
        f"{fmt_money(p.committed_cost, p.currency)} committed"
    )
    if "revenue" in p.totals and p.expected_cost > 0 and p.totals["revenue"].mean > 0:
        out.print(f"  {'ROAS':<{w}} {p.totals['revenue'].mean / p.expected_cost:.2f} expected")
    if p.target_probability is not None and b.target_value is not None:
        out.print(
            f"  chance of reaching {amount(p.metric, b.target_value, p.currency)}: "
            f"[bold]{p.target_probability:.0%}[/]"
        )
    shares = ", ".join(f"{t} {_share(v)}" for t, v in p.tier_shares.items())
    out.print(f"[bold]Budget by tier[/]: {shares or '—'}")
    o = p.optimality
    if o is not None:
        if o.gap is None:
            out.print(f"[bold]Optimality[/]: {o.note}")
        else:
            proof = "proven optimal" if o.gap <= 1e-9 else f"within {o.gap:.3%} of the proven bound"
            out.print(f"[bold]Optimality[/]: {proof} ({o.method})")
    if p.frontier is not None:
        render_frontier(p.frontier, p.currency)
    if p.left_out:
        lt = Table(title="Strong creators left out", title_justify="left")
        for col in ("creator", "tier", "why", "detail"):
            lt.add_column(col, overflow="fold")
        for x in p.left_out:
            lt.add_row("@" + x.handle, x.tier or "—", x.reason, x.detail)
        out.print(lt)
    # the priors learned from the brand's campaigns are named, with their evidence, in the notes
    for note in p.notes:
        out.print(f"[dim]note: {note}[/]")


_NO_TIER = "no candidates in this tier"


def render_frontier(f: Frontier, currency: str) -> None:
    from rich.table import Table

    missing = {p.note for p in f.points if p.value is None and p.note}
    notes = (
        [
            f"The frontier ignores your {', '.join(f.dropped)} (a single tier could not keep them)"
            + (
                f"; they cost {fmt_count(f.rules_cost)} against the unconstrained mix"
                if f.rules_cost is not None
                else ""
            )
        ]
        if f.dropped
        else []
    )
    if any(p.value is None and p.policy != "mix" for p in f.points if p.note != _NO_TIER):
        notes.append("—: " + " / ".join(sorted(missing - {_NO_TIER})) + " for that tier alone")
    table = Table(
        title=f"Frontier: expected {f.unit} by budget (exact expected values)",
        title_justify="left",
        caption="; ".join(notes) or None,
        caption_justify="left",
    )
    table.add_column("budget", justify="right")
    tiers = ["nano", "micro", "mid", "macro", "mega"]
    present = [pol for pol in tiers if any(p.value is not None for p in f.series(pol))] + ["mix"]
    for pol in present:
        table.add_column("best mix" if pol == "mix" else f"{pol} only", justify="right")
    table.add_column("mix within", justify="right")
    for b in f.budgets:
        row = [fmt_money(b, currency)]
        mix = None
        for pol in present:
            pt = next((p for p in f.points if p.policy == pol and p.budget == b), None)
            row.append(fmt_count(pt.objective) if pt and pt.value else "—")
            if pol == "mix" and pt and pt.value:
                mix = pt
        if mix is None:  # say why the row is empty rather than leave it blank
            none = next((p for p in f.points if p.policy == "mix" and p.budget == b), None)
            row[-1] = none.note if none is not None and none.note else "—"
        row.append(_gap(mix.gap) if mix else "—")
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

    table = Table(title=f"{len(rows)} saved plan(s)", title_justify="left")
    for col in (
        "#",
        "created",
        "name",
        "goal",
        "budget",
        "creators",
        "committed",
        "expected (P10-P90)",
    ):
        table.add_column(
            col, justify="right" if col in {"#", "budget", "creators", "committed"} else "left"
        )
    for r in rows:
        q = r.value
        table.add_row(
            str(r.plan_id),
            r.created_at.strftime("%Y-%m-%d %H:%M"),
            r.name or "—",
            r.goal,
            fmt_money(r.budget, r.currency),
            str(r.creators),
            fmt_money(r.committed_cost, r.currency),
            f"{amount(r.metric, q.mean, r.currency)} ({fmt_count(q.p10)}-{fmt_count(q.p90)})"
            if q
            else "—",
        )
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
    console().print(f"rate card {what}: {_exact(low)}-{_exact(high)} {card.currency}")


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
            _exact(r.successes),
            _exact(r.trials),
            _rate(r.successes / r.trials) if r.trials else "—",
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
