"""A campaign report as a self-contained HTML page (Plotly's JavaScript embedded, no CDN) and as CSV."""

from __future__ import annotations

import csv
import html
import io
from typing import Any

from creatormix.campaigns.roi import RATIOS, money
from creatormix.domain.campaigns import CampaignReport, Estimate, Outcome
from creatormix.domain.numbers import quantity

_COLUMNS = (
    "level",
    "key",
    "tier",
    "platform",
    "creators",
    "spend",
    "fees",
    "products",
    "shipping",
    "outreach",
    "commission",
    "reach",
    "engagements",
    "clicks",
    "orders",
    "revenue",
    "pending_orders",
    "pending_revenue",
    "bot_clicks",
    "sessions",
    "analytics_conversions",
    *[f"{m}{s}" for m in RATIOS for s in ("", "_low", "_high", "_measured_on", "_note")],
)


def _rows(rep: CampaignReport) -> list[dict[str, Any]]:
    out = []
    for level, items in (
        ("creator", rep.creators),
        ("tier", rep.tiers),
        ("campaign", (rep.total,)),
    ):
        for o in items:
            row: dict[str, Any] = {
                "level": level,
                "key": o.key,
                "tier": o.tier,
                "platform": o.platform,
                "creators": o.creators,
                "spend": o.spend,
                **o.spend_parts,
                "reach": o.reach,
                "engagements": o.engagements,
                "clicks": o.clicks,
                "orders": o.orders,
                "revenue": o.revenue,
                "pending_orders": o.pending_orders,
                "pending_revenue": o.pending_revenue,
                "bot_clicks": o.bot_clicks,
                "sessions": o.sessions,
                "analytics_conversions": o.analytics_conversions,
            }
            for m in RATIOS:
                e: Estimate = getattr(o, m)
                row |= {
                    m: e.value,
                    f"{m}_low": e.low,
                    # "inf": no finite upper end; empty: not measurable (see the note column)
                    f"{m}_high": "inf" if e.unbounded else e.high,
                    f"{m}_measured_on": e.measured_on,
                    f"{m}_note": "" if e.value is not None else (e.reason or ""),
                }
            out.append(row)
    return out


def report_csv(rep: CampaignReport) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(_COLUMNS), extrasaction="ignore")
    w.writeheader()
    for row in _rows(rep):
        w.writerow({k: ("" if v is None else v) for k, v in row.items()})
    return buf.getvalue()


def figures(rep: CampaignReport) -> list[Any]:
    """The report's Plotly figures (the HTML file and the web page draw the same ones)."""
    import plotly.graph_objects as go

    cur = rep.campaign.currency
    figs = []
    c = rep.creators
    figs.append(
        go.Figure(
            [
                go.Bar(name="spend", x=[o.key for o in c], y=[o.spend for o in c]),
                go.Bar(name="revenue", x=[o.key for o in c], y=[o.revenue for o in c]),
            ],
            layout={
                "title": f"Spend and attributed revenue per creator ({cur})",
                "barmode": "group",
            },
        )
    )
    for metric, title in (
        ("cpe", "Cost per engagement"),
        ("cpa", "Cost per order"),
        ("roas", "ROAS"),
    ):
        tiers = [o for o in rep.tiers if getattr(o, metric).value is not None]
        if not tiers:
            continue
        vals = [getattr(o, metric) for o in tiers]
        figs.append(
            go.Figure(
                go.Bar(
                    x=[o.key for o in tiers],
                    y=[e.value for e in vals],
                    error_y={
                        "type": "data",
                        "symmetric": False,
                        "array": [(e.high - e.value) if e.high is not None else 0 for e in vals],
                        "arrayminus": [(e.value - e.low) if e.low is not None else 0 for e in vals],
                    },
                ),
                layout={"title": f"{title} by tier, with {rep.level:.0%} bootstrap intervals"},
            )
        )
    # only rows judged against a range (pro-rated to the time live): NaN bars, or a post an hour
    # old against a whole campaign's range, would draw nothing honest
    pvd = [p for p in rep.planned_vs_delivered if p.delivered is not None and p.judged]
    if pvd:
        labels = [f"{p.handle} {p.metric}" for p in pvd]
        figs.append(
            go.Figure(
                [
                    go.Scatter(
                        name="planned P50 (bars: P10-P90)",
                        x=labels,
                        y=[p.due.p50 for p in pvd],
                        mode="markers",
                        error_y={
                            "type": "data",
                            "symmetric": False,
                            "array": [p.due.p90 - p.due.p50 for p in pvd],
                            "arrayminus": [p.due.p50 - p.due.p10 for p in pvd],
                        },
                    ),
                    go.Scatter(
                        name="delivered",
                        x=labels,
                        y=[p.delivered for p in pvd],
                        mode="markers",
                        marker={"symbol": "x", "size": 12},
                    ),
                ],
                layout={"title": "Planned vs delivered", "yaxis": {"type": "log"}},
            )
        )
    return figs


def _cell(e: Estimate, cur: str, ratio: bool, of: int) -> str:
    if e.value is None:
        return f"— <small>{html.escape(e.reason or '')}</small>"

    def fmt(x: float) -> str:
        return f"{x:.2f}" if ratio else money(x, cur)

    lo = fmt(e.low) if e.low is not None else "?"
    hi = fmt(e.high) if e.high is not None else ("∞" if e.unbounded else "?")
    basis = f", measured on {e.measured_on} of {of}" if e.measured_on < of else ""
    return f"{fmt(e.value)} <small>({lo}–{hi}{basis})</small>"


def _table(rows: tuple[Outcome, ...], cur: str, sessions: bool) -> str:
    """One row per outcome; a sessions column (analytics, a cross-check) when any were imported."""
    names = ["", "n", "spend", "reach", "engagements", "clicks", "orders", "revenue"]
    names += ["sessions"] if sessions else []
    head = "".join(f"<th>{h}</th>" for h in (*names, "CPE", "CPM", "CPC", "CPA", "ROAS"))
    body = []
    for o in rows:
        cells = [
            html.escape(o.key),
            str(o.creators),
            money(o.spend, cur),
            quantity(o.reach),  # as the terminal writes them (domain/numbers.py)
            quantity(o.engagements),
            f"{o.clicks:,}",
            f"{o.orders:,}",
            money(o.revenue, cur),
        ]
        if sessions:
            cells.append(quantity(o.sessions))
        cells += [_cell(getattr(o, m), cur, m == "roas", o.creators) for m in RATIOS]
        body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def report_html(rep: CampaignReport) -> str:
    """One HTML file that opens offline: plotly.js is embedded once, in the first chart."""
    c, cur = rep.campaign, rep.campaign.currency
    charts = [
        fig.to_html(full_html=False, include_plotlyjs=(i == 0), default_width="100%")
        for i, fig in enumerate(figures(rep))
    ]
    sentences = (
        "".join(f"<li>{html.escape(s)}</li>" for s in rep.comparisons)
        or "<li>only one tier measured</li>"
    )
    pvd = "".join(
        f"<tr><td>{html.escape(p.handle)}</td><td>{p.metric}</td><td>{html.escape(p.planned_range())}</td>"
        f"<td>{quantity(p.due.p50)}</td><td>{quantity(p.delivered)}</td><td>{html.escape(p.verdict)}</td></tr>"
        for p in rep.planned_vs_delivered
    )
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in rep.notes)
    rates = ", ".join(f"1 {k} = {v} {cur}" for k, v in rep.rates_used.items()) or "none needed"
    sessions = rep.total.sessions is not None
    still_open = " (attribution window still open)" if rep.period[1] > rep.generated_at else ""
    cross_check = (
        "<p><small>sessions: from imported analytics (by utm_content), a cross-check; not part "
        "of orders or ROAS.</small></p>"
        if sessions
        else ""
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(c.name)}: campaign report</title>
<style>body{{font-family:system-ui,sans-serif;margin:2rem;max-width:1200px}}table{{border-collapse:collapse;margin:1rem 0}}
td,th{{border-bottom:1px solid #ddd;padding:.3rem .6rem;text-align:right}}td:first-child,th:first-child{{text-align:left}}small{{color:#666}}</style>
</head><body>
<h1>{html.escape(c.name)}</h1>
<p>From {rep.period[0]:%Y-%m-%d} to {rep.period[1]:%Y-%m-%d}{still_open}. Spend {money(rep.total.spend, cur)}, attributed revenue
{money(rep.total.revenue, cur)}, {rep.total.orders} order(s), {rep.total.clicks} click(s). Intervals are {rep.level:.0%}
bootstrap intervals (creators resampled, counts redrawn). Attribution: discount code first, else the last click within
{c.window_days} days; refunds and cancellations subtract. Exchange rates: {rates}.</p>
<h2>Micro or macro? What this campaign says</h2><ul>{sentences}</ul>
<h2>By tier</h2>{_table((*rep.tiers, rep.total), cur, sessions)}
<h2>By creator</h2>{_table(rep.creators, cur, sessions)}
<p><small>A ratio uses only creators with recorded spend whose denominator is measured; "measured
on 1 of 3" means the others' spend is left out of it.</small></p>{cross_check}
<h2>Planned vs delivered</h2><table><thead><tr><th>creator</th><th>metric</th><th>planned P10–P90</th><th>P50</th><th>delivered</th><th>verdict</th></tr></thead><tbody>{pvd}</tbody></table>
<h2>Notes</h2><ul>{notes or "<li>none</li>"}</ul>
{"".join(f"<div>{ch}</div>" for ch in charts)}
</body></html>
"""
