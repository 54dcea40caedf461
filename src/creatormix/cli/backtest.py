"""The backtest command: would the plan have beaten the rules of thumb on the brand's own history?"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

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
    ShipToOpt,
    TimeLimitOpt,
)
from creatormix.cli.common import JsonTablesOpt, open_workspace
from creatormix.cli.options import comma_list
from creatormix.cli.render import console, print_json, progress_bar
from creatormix.domain.backtest import BacktestRequest
from creatormix.views.backtest import BacktestView, backtest_view


def register(app: typer.Typer) -> None:
    app.command("backtest")(backtest)


# The brief key each flag sets: the flags `plan` has too (cli/brief_options.py), and the goal.
_BRIEF_KEYS = BRIEF_KEYS | {"goal": "goal"}


def _overrides(flags: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        key: comma_list(flags[name]) if name in LIST_FLAGS else flags[name]
        for name, key in _BRIEF_KEYS.items()
    }
    out["niche"] = flags["niche"] or None
    for pair in comma_list(flags["fx"]) or []:
        code, _, rate = pair.partition("=")
        out[f"fx.{code.strip()}"] = rate.strip() or None
    return out


def backtest(
    as_of: Annotated[
        str,
        typer.Option(
            "--as-of",
            help="The date the choice is made on (2019-06-01): it sees only data dated before it.",
        ),
    ],
    horizon: Annotated[
        str,
        typer.Option("--horizon", help="How long after --as-of the posts are scored: 90d, 6w, 3m."),
    ] = "90d",
    goal: Annotated[
        str, typer.Option("--goal", "-g", help="The plan's goal (a backtest scores engagement).")
    ] = "engagement",
    budget: BudgetOpt = None,
    currency: CurrencyOpt = None,
    decimal: DecimalOpt = None,
    brief: BriefOpt = None,
    ship_to: ShipToOpt = None,
    language: LanguageOpt = None,
    niche: NicheOpt = None,
    platform: PlatformOpt = None,
    tier: Annotated[
        list[str] | None, typer.Option("--tier", "-t", help="Only these tiers (as of the date).")
    ] = None,
    min_followers: MinFollowersOpt = None,
    max_followers: MaxFollowersOpt = None,
    deliverables: Annotated[
        str | None,
        typer.Option("--deliverables", help="Pieces of content per creator (default 1)."),
    ] = None,
    fmt: FormatOpt = None,
    outreach_hours: OutreachHoursOpt = None,
    outreach_cost: OutreachCostOpt = None,
    max_creators: Annotated[
        str | None,
        typer.Option("--max-creators", help="At most this many creators, every selection."),
    ] = None,
    must_include: Annotated[
        list[str] | None, typer.Option("--must-include", help="Creators every selection takes.")
    ] = None,
    exclude: Annotated[
        list[str] | None, typer.Option("--exclude", help="Creators no selection takes.")
    ] = None,
    fx: FxOpt = None,
    campaign: Annotated[
        list[str] | None,
        typer.Option(
            "--campaign",
            help="Score this campaign's creators as the brand's own selection (default: every campaign).",
        ),
    ] = None,
    draws: Annotated[
        int, typer.Option("--draws", help="Random selections within the budget.")
    ] = 200,
    bootstrap: Annotated[
        int, typer.Option("--bootstrap", help="Bootstrap resamples of each selection's creators.")
    ] = 2000,
    level: Annotated[
        float, typer.Option("--level", help="Central interval of the bootstraps (0.95).")
    ] = 0.95,
    scenarios: Annotated[
        str | None,
        typer.Option("--scenarios", help="The plan's Monte Carlo scenarios (default 4000)."),
    ] = None,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    time_limit: TimeLimitOpt = 20.0,
    html: Annotated[
        Path | None,
        typer.Option(
            "--html", help="Write the report here: one self-contained HTML page (charts)."
        ),
    ] = None,
    as_json: JsonTablesOpt = False,
) -> None:
    """Prove it on your history: plan on what was known before --as-of, pick by the rules of thumb
    (most followers, highest raw or shrunk engagement rate, random) with the same budget and costs,
    and score every selection on the posts its creators published in the horizon."""
    request = BacktestRequest(
        as_of=as_of,
        horizon=horizon,
        brief_file=brief,
        overrides=_overrides(dict(locals())),
        campaigns=tuple(campaign) if campaign else None,
        random_draws=draws,
        bootstrap=bootstrap,
        level=level,
        seed=seed,
        time_limit=time_limit,
        html=html,
    )
    with open_workspace() as ws, progress_bar(not as_json) as progress:
        result = ws.backtest(request, progress=progress)
    view = backtest_view(result)
    if as_json:
        print_json(view.to_json())
        return
    render_backtest_view(view)
    if html is not None:
        console().print(f"Wrote the backtest page to [bold]{html}[/]")


def render_backtest_view(v: BacktestView) -> None:
    from rich.table import Table

    out = console()
    out.print(f"[bold]{v.title}[/]: {v.summary}")
    table = Table(title="What each selection delivered", title_justify="left")
    for col, justify in v.columns:
        table.add_column(col, justify=justify, no_wrap=True)  # type: ignore[arg-type]
    for row in v.rows:
        table.add_row(*row)
    out.print(table)
    for line in (v.random, v.views):
        if line:
            out.print(line, soft_wrap=True)
    posted = Table(title=v.posted_title, title_justify="left")
    for col, justify in v.posted_columns:
        posted.add_column(col, justify=justify, no_wrap=True)  # type: ignore[arg-type]
    for row in v.posted_rows:
        posted.add_row(*row)
    out.print(posted)
    picks = Table(title=v.picks_title, title_justify="left")
    for col, justify in v.pick_columns:
        picks.add_column(col, justify=justify, no_wrap=True)  # type: ignore[arg-type]
    for row in v.picks:
        picks.add_row(*row)
    out.print(picks)
    out.print("[bold]Calibration[/]")
    for line in v.calibration:
        out.print(f"  {line}", soft_wrap=True)
    out.print("[bold]Targets[/] (reported, not tuned for)")
    for target, measured, verdict in v.targets:
        out.print(f"  {target}: {measured}: [bold]{verdict}[/]", soft_wrap=True)
    for note in v.notes:
        out.print(f"[dim]note: {note}[/]", soft_wrap=True)
