"""Campaign commands: campaign create/list/add/deals/move/history/due/links/destination, report,
serve, and the ``import orders`` / ``import analytics`` kinds."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from creatormix.cli import options as opt
from creatormix.cli.common import JsonOpt, open_workspace, state
from creatormix.cli.imports import import_command
from creatormix.cli.render import console, error_console, print_json, progress_bar
from creatormix.domain.requests import ReportRequest
from creatormix.errors import InvalidOption
from creatormix.views.campaigns import report_view
from creatormix.views.format import money

if TYPE_CHECKING:
    from creatormix.domain.campaigns import CampaignReport, Deal
    from creatormix.workspace import Workspace

CampaignArg = Annotated[str, typer.Argument(help="Campaign name, slug or id.")]
CreatorArg = Annotated[str, typer.Argument(help="@handle or platform:handle.")]

campaign_app = typer.Typer(
    help="Run a campaign: deals through stages, tracking links, discount codes, reminders.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(campaign_app, name="campaign")
    app.command("report")(report)
    app.command("serve")(serve)
    import_command(
        "orders",
        "Import store orders: a Shopify order export (one row per line item, grouped by Name) or any "
        "orders CSV with --map (order_id, ordered_at, total, currency, discount_code, refunded, utm_*).",
    )
    import_command(
        "analytics",
        "Import an analytics export of sessions and conversions by UTM parameters (GA4, Plausible …).",
    )


def _ws() -> Workspace:
    return open_workspace()


# --- campaign ----------------------------------------------------------------------------------


@campaign_app.command("create")
def create(
    name: Annotated[str, typer.Argument(help="Campaign name, e.g. 'Spring launch'.")],
    destination: Annotated[
        str,
        typer.Option(
            "--destination",
            "-d",
            help="Where the tracking links lead (registered: the only URL they may redirect to).",
        ),
    ],
    from_plan: Annotated[
        int | None, typer.Option("--from-plan", help="Make one deal per creator of saved plan N.")
    ] = None,
    creator: Annotated[
        list[str] | None,
        typer.Option("--creator", "-c", help="@handle or platform:handle (repeatable)."),
    ] = None,
    currency: Annotated[
        str, typer.Option("--currency", help="Campaign currency (a plan's own wins).")
    ] = "USD",
    link_base: Annotated[
        str,
        typer.Option(
            "--link-base",
            help="Public address of `creatormix serve`, e.g. https://go.brand.example.",
        ),
    ] = "http://localhost:8080",
    window: Annotated[
        int, typer.Option("--window", help="Attribution window in days for link clicks.")
    ] = 30,
    outreach_rate: Annotated[
        float | None,
        typer.Option(
            "--outreach-rate",
            help="Cost of one hour of outreach work (default: the plan's hourly cost with "
            "--from-plan, else 0).",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Create a campaign from a saved plan (--from-plan) or by hand (--creator …)."""
    common: dict[str, object] = {
        "link_base": link_base,
        "window_days": window,
        "outreach_rate": outreach_rate,
    }
    with _ws() as ws:
        if from_plan is not None:
            if creator:
                raise InvalidOption(
                    "use --from-plan or --creator, not both (add creators later with `campaign add`)"
                )
            c = ws.create_campaign_from_plan_id(name, from_plan, destination, **common)
        else:
            c = ws.create_campaign(
                name,
                destination,
                creator or [],
                currency=currency,
                link_base=link_base,
                window_days=window,
                outreach_rate=outreach_rate or 0.0,
            )
        deals = ws.campaign_deals(c.campaign_id)
    if as_json:
        print_json({"campaign": c, "deals": deals})
        return
    console().print(
        f"Created campaign [bold]{c.name}[/] (#{c.campaign_id}, utm_campaign={c.slug}) with {len(deals)} deal(s)"
    )
    console().print(f"Next: creatormix campaign links {c.slug!r} --export links.csv")


@campaign_app.command("list")
def list_campaigns(as_json: JsonOpt = False) -> None:
    """List campaigns."""
    from rich.table import Table

    with _ws() as ws:
        found = [(c, len(ws.campaign_deals(c.campaign_id))) for c in ws.list_campaigns()]
    if as_json:
        print_json({"campaigns": [{"campaign": c, "deals": n} for c, n in found]})
        return
    table = Table(title="Campaigns", title_justify="left")
    for col in ("#", "name", "slug", "deals", "currency", "plan", "created", "destination"):
        table.add_column(col)
    for c, n in found:
        table.add_row(
            str(c.campaign_id),
            c.name,
            c.slug,
            str(n),
            c.currency,
            str(c.plan_id or "—"),
            f"{c.created_at:%Y-%m-%d}",
            c.destinations[0],
        )
    console().print(table)


@campaign_app.command("add")
def add(
    campaign: CampaignArg,
    creators: Annotated[list[str], typer.Argument(help="@handle or platform:handle …")],
    as_json: JsonOpt = False,
) -> None:
    """Shortlist more creators on a campaign."""
    with _ws() as ws:
        deals = ws.add_creators(campaign, creators)
    if as_json:
        print_json({"deals": deals})
        return
    console().print(f"Added {len(deals)} deal(s): " + ", ".join("@" + d.handle for d in deals))


@campaign_app.command("destination")
def destination(
    campaign: CampaignArg,
    url: Annotated[str, typer.Argument(help="Another URL its links may redirect to.")],
) -> None:
    """Register another destination on a campaign (links never redirect anywhere unregistered)."""
    with _ws() as ws:
        c = ws.add_destination(campaign, url)
    console().print(f"{c.name}: destinations " + ", ".join(c.destinations))


@campaign_app.command("deals")
def deals_cmd(campaign: CampaignArg, as_json: JsonOpt = False) -> None:
    """The pipeline: every deal by stage, with its terms, codes and last note."""
    from rich.table import Table

    from creatormix.domain.campaigns import Stage

    with _ws() as ws:
        c = ws.get_campaign(campaign)
        deals = ws.campaign_deals(c.campaign_id)
    if as_json:
        print_json({"campaign": c.name, "deals": deals})
        return
    table = Table(title=f"{c.name}: {len(deals)} deal(s)", title_justify="left")
    for col in (
        "stage",
        "creator",
        "platform",
        "tier",
        "type",
        "fee",
        "product",
        "due",
        "code",
        "since",
        "note",
    ):
        table.add_column(col, justify="right" if col in {"fee", "product"} else "left")
    for stage in Stage:
        for d in (d for d in deals if d.stage is stage):
            table.add_row(*_deal_row(d, c.currency))
    console().print(table)
    counts = {s.value: sum(1 for d in deals if d.stage is s) for s in Stage}
    console().print("  " + "  ".join(f"{k}: {v}" for k, v in counts.items() if v))


def _deal_row(d: Deal, currency: str) -> list[str]:
    t = d.terms
    fee_cur = d.currencies.get("fee", currency)
    product_cur = d.currencies.get("product_value", currency)
    return [
        d.stage.value,
        "@" + d.handle,
        d.platform,
        d.tier or "—",
        t.deal_type.value if t.deal_type else "—",
        money(t.fee, fee_cur) if t.fee is not None else "—",
        money(t.product_value, product_cur) if t.product_value is not None else "—",
        f"{t.due_at:%Y-%m-%d}" if t.due_at else "—",
        d.discount_code,
        f"{d.stage_at:%Y-%m-%d}",
        (d.last_note or "")[:40],
    ]


def _when(text: str | None, flag: str) -> datetime | None:
    if text is None:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise InvalidOption(f"{flag} {text!r}: expected a date such as 2025-04-30") from None


@campaign_app.command("move")
def move(
    campaign: CampaignArg,
    creator: CreatorArg,
    stage: Annotated[
        str | None,
        typer.Argument(
            help="shortlisted, contacted, negotiating, agreed, product-sent, content-live, paid, declined (omit to only record terms or a note)."
        ),
    ] = None,
    deal_type: Annotated[
        str | None,
        typer.Option(
            "--type", help="paid, gifted, product-for-post, product-for-content, affiliate, mixed."
        ),
    ] = None,
    fee: Annotated[float | None, typer.Option("--fee", help="Fee agreed.")] = None,
    product_value: Annotated[
        float | None, typer.Option("--product-value", help="Retail value of products given.")
    ] = None,
    shipping: Annotated[float | None, typer.Option("--shipping", help="Shipping cost.")] = None,
    commission: Annotated[
        str | None, typer.Option("--commission", help="Affiliate commission, e.g. 10%.")
    ] = None,
    currency: Annotated[
        str | None,
        typer.Option("--currency", help="Currency of these amounts (default: the campaign's)."),
    ] = None,
    hours: Annotated[
        float | None,
        typer.Option("--hours", help="Outreach hours spent on this deal so far (cumulative)."),
    ] = None,
    deliverables: Annotated[
        str | None, typer.Option("--deliverables", help="e.g. '1 reel + 3 stories'.")
    ] = None,
    due: Annotated[
        str | None, typer.Option("--due", help="Due date of the deliverables, e.g. 2025-04-30.")
    ] = None,
    reach: Annotated[
        float | None,
        typer.Option("--reach", help="Delivered reach, typed in when content goes live."),
    ] = None,
    engagements: Annotated[
        float | None,
        typer.Option("--engagements", help="Delivered engagements (likes+comments+shares+saves)."),
    ] = None,
    post: Annotated[
        list[str] | None,
        typer.Option("--post", help="Catalog post id that delivered this deal (repeatable)."),
    ] = None,
    to: Annotated[
        str | None,
        typer.Option(
            "--destination", help="Send this deal's link to another registered destination."
        ),
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", "-n", help="A note kept in the history.")
    ] = None,
    at: Annotated[str | None, typer.Option("--at", help="When it happened (default now).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Move a deal to a stage and/or record its terms, delivered figures or a note (appended, never overwritten)."""
    from creatormix.domain.campaigns import Stage, Terms, parse_deal_type

    try:
        parsed_stage = Stage.parse(stage) if stage else None
        parsed_type = parse_deal_type(deal_type) if deal_type else None
    except ValueError as exc:
        raise InvalidOption(str(exc)) from None
    terms = Terms(
        deal_type=parsed_type,
        fee=fee,
        product_value=product_value,
        shipping=shipping,
        commission_rate=opt.rate(commission, "--commission"),
        currency=currency,
        outreach_hours=hours,
        deliverables=deliverables,
        due_at=_when(due, "--due"),
        reach=reach,
        engagements=engagements,
        post_ids=tuple(post or ()),
        destination=to,
    )
    with _ws() as ws:
        c = ws.get_campaign(campaign)
        deal, warning = ws.move_deal(
            c.campaign_id, creator, parsed_stage, terms=terms, note=note, at=_when(at, "--at")
        )
    if as_json:
        print_json({"deal": deal, "warning": warning})
        return
    if warning:
        error_console().print(f"[yellow]note:[/] {warning}")
    console().print(
        f"@{deal.handle} on {c.name}: [bold]{deal.stage.value}[/] since {deal.stage_at:%Y-%m-%d %H:%M}"
    )


@campaign_app.command("history")
def history(campaign: CampaignArg, creator: CreatorArg, as_json: JsonOpt = False) -> None:
    """Every event of one deal, oldest first: stages, terms, notes, who and when."""
    from dataclasses import fields

    from rich.table import Table

    with _ws() as ws:
        deal, events = ws.deal_history(campaign, creator)
    if as_json:
        print_json({"deal": deal, "events": events})
        return
    table = Table(
        title=f"@{deal.handle} ({deal.platform}): {deal.stage.value}", title_justify="left"
    )
    for col in ("#", "when", "stage", "changes", "note", "by"):
        table.add_column(col)
    for ev in events:
        changes = []
        for f in fields(ev.terms):
            v = getattr(ev.terms, f.name)
            if v not in (None, ()):
                changes.append(f"{f.name}={v.value if hasattr(v, 'value') else v}")
        table.add_row(
            str(ev.event_id),
            f"{ev.at:%Y-%m-%d %H:%M}",
            ev.stage.value if ev.stage else "",
            ", ".join(changes),
            ev.note or "",
            ev.by,
        )
    console().print(table)


@campaign_app.command("due")
def due_cmd(
    campaign: Annotated[str | None, typer.Argument(help="Campaign (default: all).")] = None,
    after: Annotated[
        float,
        typer.Option(
            "--after",
            help="Days without a new event (stage, terms or note) before a reminder.",
        ),
    ] = 5,
    as_json: JsonOpt = False,
) -> None:
    """Follow-ups: deals contacted or negotiating without a new event for --after days (a note
    such as 'they replied' counts), deliverables past their due date."""
    from rich.table import Table

    with _ws() as ws:
        reminders = ws.due(campaign, after_days=after)
    if as_json:
        print_json({"due": reminders})
        return
    if not reminders:
        console().print(
            f"Nothing due: no deal has waited {after:g} day(s) without a new event, no deliverable is late."
        )
        return
    table = Table(title=f"{len(reminders)} follow-up(s)", title_justify="left")
    for col in ("creator", "platform", "stage", "since", "days", "why"):
        table.add_column(col, justify="right" if col == "days" else "left")
    for r in reminders:
        table.add_row(
            "@" + r.handle, r.platform, r.stage.value, f"{r.since:%Y-%m-%d}", str(r.days), r.reason
        )
    console().print(table)


@campaign_app.command("links")
def links_cmd(
    campaign: CampaignArg,
    export: Annotated[
        Path | None,
        typer.Option(
            "--export", help="Write the CSV (creator, tracking_url, discount_code …) here."
        ),
    ] = None,
    link_base: Annotated[
        str | None,
        typer.Option("--link-base", help="Override the public address of the redirect service."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Tracking link and discount code per deal; --export writes the CSV to create codes in the store."""
    from rich.table import Table

    with _ws() as ws:
        rows = (
            ws.export_links(campaign, export, link_base=link_base)
            if export
            else ws.campaign_links(campaign, link_base=link_base)
        )
    if as_json:
        print_json({"links": rows})
        return
    table = Table(title=f"{len(rows)} link(s)", title_justify="left")
    for col in ("creator", "platform", "tier", "tracking_url", "discount_code"):
        table.add_column(col)
    for r in rows:
        table.add_row(r.creator, r.platform, r.tier or "—", r.tracking_url, r.discount_code)
    console().print(table)
    if export:
        error_console().print(f"wrote {export}")


# --- report ------------------------------------------------------------------------------------


def report(
    campaign: CampaignArg,
    html: Annotated[
        Path | None, typer.Option("--html", help="Write a self-contained HTML report with charts.")
    ] = None,
    csv_path: Annotated[
        Path | None, typer.Option("--csv", help="Write per-creator and per-tier rows as CSV.")
    ] = None,
    rate: Annotated[
        list[str] | None,
        typer.Option(
            "--rate",
            help="Exchange rate CUR=VALUE: 1 CUR is VALUE of the campaign currency (repeatable).",
        ),
    ] = None,
    draws: Annotated[int, typer.Option("--draws", min=200, help="Bootstrap resamples.")] = 2000,
    seed: Annotated[
        int, typer.Option("--seed", help="Bootstrap seed (same seed, same intervals).")
    ] = 0,
    learn: Annotated[
        bool,
        typer.Option(
            "--learn/--no-learn", help="Record the measured rates for the planner's priors."
        ),
    ] = True,
    include_bots: Annotated[
        bool,
        typer.Option(
            "--include-bots",
            help="Count clicks from bots (crawlers, link previews, curl); left out by default.",
        ),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """ROI of a campaign per creator, tier and overall, with bootstrap intervals and a tier comparison."""
    rates: dict[str, float] = {}
    for pair in rate or []:
        cur, sep, value = pair.partition("=")
        try:
            rates[cur.strip().upper()] = float(value)
        except ValueError:
            sep = ""
        if not sep or len(cur.strip()) != 3:
            raise InvalidOption(f"--rate {pair!r}: expected CUR=VALUE such as EUR=1.08")
    request = ReportRequest(
        campaign,
        rates=rates,
        draws=draws,
        seed=seed,
        learn=learn,
        bots=include_bots,
        html=html,
        csv=csv_path,
    )
    with _ws() as ws, progress_bar(not as_json) as progress:
        rep = ws.campaign_report(request, progress=progress)
    if as_json:
        print_json(rep)
        return
    render_report(rep)
    for path in (html, csv_path):
        if path:
            error_console().print(f"wrote {path}")


def render_report(rep: CampaignReport) -> None:
    from rich.markup import escape
    from rich.table import Table

    v = report_view(rep)
    out = console()
    out.print(f"[bold]{escape(v.name)}[/] {v.summary}")
    for part in v.tables:
        t = Table(title=part.title, title_justify="left")
        for col in part.columns:
            t.add_column(col, justify="left" if not col else "right")
        for row in part.rows:
            t.add_row(*row)
        out.print(t)
    out.print(f"  {v.basis_note}")
    for sentence in v.comparisons:
        out.print(f"  • {escape(sentence)}")
    if v.planned_vs_delivered is not None:
        t = Table(title=v.planned_vs_delivered.title, title_justify="left")
        for col in v.planned_vs_delivered.columns:
            t.add_column(col)
        for row in v.planned_vs_delivered.rows:
            t.add_row(*row)
        out.print(t)
    if v.sessions_note:
        out.print(f"  {v.sessions_note}")
    for note in v.notes:
        out.print(f"  [yellow]note:[/] {escape(note)}")


# --- serve -------------------------------------------------------------------------------------

FIRST_ADMIN = "admin@localhost"  # made by the first `serve` of a workspace without accounts


def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8080,
    fold_interval: Annotated[
        float,
        typer.Option(
            "--fold-interval", help="Seconds between folds of the click journal into the workspace."
        ),
    ] = 5.0,
) -> None:
    """Run the web app, the REST API (/api/v1) and the tracking-link redirect (/r/<code>) in one process.

    On a workspace without accounts it first adds admin@localhost and prints its one-time password.
    """
    import os

    import uvicorn

    from creatormix.workspace import Workspace, default_db_path

    db = default_db_path(state.db)
    if db.is_file and not db.path.exists():
        raise InvalidOption(f"no workspace at {db}; create one with `creatormix init`")
    with Workspace.open(db) as ws:
        first = None if ws.users() else ws.add_user(FIRST_ADMIN, "admin")
    os.environ["CREATORMIX_DB"] = str(db.path.resolve()) if db.is_file else db.location
    os.environ["CREATORMIX_FOLD_INTERVAL"] = str(fold_interval)
    err = error_console()
    err.print(f"creatormix serving {db} on http://{host}:{port} (redirects under /r/<code>)")
    if first is not None:
        err.print(
            f"no accounts yet: added [bold]{first.user.email}[/] (admin), one-time password "
            f"[bold]{first.password}[/] (change it at the first login; add others with "
            "`creatormix users add`)",
            highlight=False,
        )
    # An import string, not an import: the CLI and the web app never import each other.
    uvicorn.run(
        "creatormix.web:create_app",
        factory=True,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        loop="auto",
        http="auto",
        lifespan="on",
    )
