"""A backtest as one self-contained HTML page: plotly.js embedded once, no CDN, opens offline.

Two charts: realised engagements per dollar of each selection with its bootstrap interval (the
random selections' spread as their band), and each eligible creator's predicted engagements
(P10-P90) against what its posts in the horizon delivered.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable
from typing import Any

from creatormix.domain import backtest as bt
from creatormix.domain.backtest import BacktestResult, Comparison, CreatorBacktest, SelectionScore
from creatormix.domain.numbers import quantity

PER = 1000.0  # value per this many units of the currency: "engagements per $1,000"
_COLOURS = {bt.PLAN: "#e7298a", bt.RANDOM: "#969696"}


def _per(x: float | None) -> float | None:
    return None if x is None or not math.isfinite(x) else x * PER


def selections_figure(r: BacktestResult) -> Any:
    """Realised value per 1,000 of the currency, per selection, with its interval."""
    import plotly.graph_objects as go

    rows = list(reversed(r.selections))  # the plan on top
    values = [_per(s.per_dollar.value) or 0.0 for s in rows]
    plus = [
        max(0.0, (_per(s.per_dollar.high) or 0.0) - v) for s, v in zip(rows, values, strict=True)
    ]
    minus = [
        max(0.0, v - (_per(s.per_dollar.low) or 0.0)) for s, v in zip(rows, values, strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            x=values,
            y=[s.label for s in rows],
            orientation="h",
            marker={"color": [_COLOURS.get(s.key, "#4292c6") for s in rows]},
            error_x={"type": "data", "symmetric": False, "array": plus, "arrayminus": minus},
            customdata=[[s.creators, s.cost, s.realised, _verdict(s)] for s in rows],
            hovertemplate=(
                "%{y}<br>%{x:,.1f} engagements per 1,000 " + r.currency + "<br>%{customdata[0]} "
                "creators, cost %{customdata[1]:,.0f}<br>realised %{customdata[2]:,.0f}"
                "<br>%{customdata[3]}<extra></extra>"
            ),
        )
    )
    fig.update_layout(
        title={
            "text": f"Realised engagements per 1,000 {r.currency}, {r.as_of:%Y-%m-%d} + "
            f"{r.horizon_days} days ({r.level:.0%} bootstrap intervals)"
        },
        xaxis={"title": f"engagements per 1,000 {r.currency}", "tickformat": ",.0f"},
        template="plotly_white",
        height=120 + 60 * len(rows),
        margin={"l": 260},
    )
    return fig


def creators_figure(r: BacktestResult) -> Any:
    """Predicted (P50, with P10-P90) against realised engagements per eligible creator."""
    import plotly.graph_objects as go

    positive = [c.realised for c in r.creators if c.realised > 0]
    floor = (min(positive) / 3) if positive else 1.0
    fig = go.Figure()

    def picked(c: CreatorBacktest) -> bool:
        return bt.PLAN in c.selections

    groups: tuple[tuple[str, Callable[[CreatorBacktest], bool], str, int], ...] = (
        ("inside its P10-P90", lambda c: c.inside_band and c.realised > 0, "#41ab5d", 5),
        ("outside its P10-P90", lambda c: not c.inside_band and c.realised > 0, "#fd8d3c", 5),
        (
            f"published nothing measured (shown at {quantity(floor)})",
            lambda c: c.realised <= 0,
            "#bdbdbd",
            5,
        ),
        ("the plan's creators", picked, _COLOURS[bt.PLAN], 11),
    )
    for name, keep, colour, size in groups:
        cs = [c for c in r.creators if keep(c) and (size > 5 or not picked(c))]
        if not cs:
            continue
        fig.add_trace(
            go.Scatter(
                x=[max(c.predicted.p50, 1e-9) for c in cs],
                y=[c.realised if c.realised > 0 else floor for c in cs],
                mode="markers",
                name=name,
                marker={"color": colour, "size": size},
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": [max(0.0, c.predicted.p90 - c.predicted.p50) for c in cs],
                    "arrayminus": [max(0.0, c.predicted.p50 - c.predicted.p10) for c in cs],
                    "thickness": 1.5 if size > 5 else 0.6,
                    "width": 0,
                },
                text=[f"@{c.handle} ({c.tier}), {c.posts_after} post(s) after" for c in cs],
                hovertemplate=(
                    "%{text}<br>predicted P50 %{x:,.0f}<br>realised %{y:,.0f}<extra></extra>"
                ),
            )
        )
    ends = [c.predicted.p50 for c in r.creators if c.predicted.p50 > 0] + positive
    if ends:
        lo, hi = min(ends), max(ends)
        fig.add_trace(
            go.Scatter(
                x=[lo, hi],
                y=[lo, hi],
                mode="lines",
                name="realised = predicted",
                line={"dash": "dot", "color": "#555"},
            )
        )
    fig.update_layout(
        title={"text": "Each creator: predicted engagements (P50, bar P10-P90) against realised"},
        xaxis={"title": "predicted", "type": "log"},
        yaxis={"title": "realised in the horizon", "type": "log"},
        template="plotly_white",
        height=640,
    )
    return fig


def _x(value: float) -> str:
    return "∞" if math.isinf(value) else ("—" if math.isnan(value) else f"{value:.2f}")


def _comparison(cmp: Comparison) -> str:
    r = cmp.ratio
    return f"plan / this: {_x(r.value)}x ({_x(r.low)}-{_x(r.high)}): {cmp.verdict}"


def _verdict(s: SelectionScore) -> str:
    return "the plan" if s.versus_plan is None else _comparison(s.versus_plan)


def _row(s: SelectionScore, r: BacktestResult) -> str:
    iv = s.per_dollar
    per = f"{quantity(_per(iv.value))} <small>({quantity(_per(iv.low))}–{quantity(_per(iv.high))})</small>"
    cells = [
        html.escape(s.label),
        str(s.creators),
        f"{quantity(s.cost)} ({s.budget_used:.0%})",
        quantity(s.realised),
        per,
        quantity(_per(s.views_per_dollar.value)) if s.views_per_dollar is not None else "—",
        f"{s.posted} of {s.creators}",
        html.escape(_verdict(s)),
    ]
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def _posted_row(s: SelectionScore) -> str:
    p = s.posted_only
    if p is None:
        cells = [html.escape(s.label), f"0 of {s.creators}", "—", "—", "nobody posted"]
    else:
        iv = p.per_dollar
        ratio = "the plan" if p.versus_plan is None else _comparison(p.versus_plan)
        cells = [
            html.escape(s.label),
            f"{p.creators} of {s.creators}",
            quantity(p.cost),
            f"{quantity(_per(iv.value))} <small>({quantity(_per(iv.low))}–{quantity(_per(iv.high))})</small>",
            html.escape(ratio),
        ]
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def backtest_html(r: BacktestResult) -> str:
    """The page: what was compared and how, the table of selections, the two charts, notes."""
    charts = [
        fig.to_html(full_html=False, include_plotlyjs=(i == 0), default_width="100%")
        for i, fig in enumerate((selections_figure(r), creators_figure(r)))
    ]
    head = "".join(
        f"<th>{h}</th>"
        for h in (
            "selection",
            "creators",
            f"cost {r.currency} (of budget)",
            "realised engagements",
            f"per 1,000 {r.currency} ({r.level:.0%} interval)",
            f"views per 1,000 {r.currency}",
            "posted in horizon",
            "against the plan",
        )
    )
    rows = "".join(_row(s, r) for s in r.selections)
    cal = r.calibration
    share = cal.share_inside
    mae = (
        f"engagement rate on the later posts: mean absolute error {cal.mae_shrunk * 100:.2f} points "
        f"shrunk, {cal.mae_raw * 100:.2f} raw, on the same {cal.mae_creators:,} creators (with "
        "posts before and after the date)"
        if cal.mae_shrunk is not None and cal.mae_raw is not None
        else "no creator has measured posts both before and after the date"
    )
    band = (
        f"{cal.creators_inside:,} of {cal.creators:,} eligible creators ({share:.1%}) realised a value inside "
        f"their P10-P90 ({cal.below:,} below, {cal.above:,} above); {cal.picks_inside} of the plan's "
        f"{cal.picks}; {cal.posted_inside:,} of the {cal.posted:,} who published every piece"
        if share is not None
        else "no eligible creator"
    )
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in dict.fromkeys((*r.notes, *r.plan_notes)))
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Backtest {r.as_of:%Y-%m-%d}</title>
<style>body{{font-family:system-ui,sans-serif;margin:2rem;max-width:1200px}}table{{border-collapse:collapse;margin:1rem 0}}
td,th{{border-bottom:1px solid #ddd;padding:.3rem .6rem;text-align:right}}td:first-child,th:first-child{{text-align:left}}small{{color:#666}}</style>
</head><body>
<h1>Backtest: chosen on {r.as_of:%Y-%m-%d}, scored over the next {r.horizon_days} days</h1>
<p>Budget {quantity(r.budget)} {r.currency}, {r.pieces} piece(s) per creator. Every selection chooses among the same
{r.catalog.get("eligible", 0):,} eligible creators at the same costs, knowing only what was dated before the date.
Intervals: {r.level:.0%}, {r.bootstrap:,} bootstrap resamples of each selection's creators (seed {r.seed}).</p>
<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>
<h2>Only the creators who posted in the horizon, at their cost</h2>
<p><small>A diagnostic, not a score: no choice could know who would post. It matters where a
missing post means the data did not collect it rather than that it was not published.</small></p>
<table><thead><tr><th>selection</th><th>posted</th><th>their cost {r.currency}</th>
<th>per 1,000 {r.currency} ({r.level:.0%} interval)</th><th>against the plan</th></tr></thead>
<tbody>{"".join(_posted_row(s) for s in r.selections)}</tbody></table>
<h2>Calibration</h2><ul><li>{html.escape(band)}</li><li>{html.escape(mae)}</li></ul>
<h2>Notes</h2><ul>{notes or "<li>none</li>"}</ul>
{"".join(f"<div>{ch}</div>" for ch in charts)}
</body></html>
"""
