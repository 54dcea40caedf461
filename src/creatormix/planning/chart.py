"""The frontier as a self-contained page (plotly.js is embedded: no CDN, works offline): the
answer to "micro or macro?" in words at the top, the chart, then the table of budgets by tier and
mix, the same cells as the terminal's (``domain.frontier_table``)."""

from __future__ import annotations

import html
from typing import Any

from creatormix.domain.frontier_table import FrontierTable, frontier_table
from creatormix.domain.plan_result import Plan

COLOURS = {
    "nano": "#9ecae1",
    "micro": "#4292c6",
    "mid": "#41ab5d",
    "macro": "#fd8d3c",
    "mega": "#d94801",
    "mix": "#111111",
}


def frontier_html(plan: Plan) -> str:
    """A complete HTML page: the answer, goal value against budget per tier and for the best mix,
    and the frontier table."""
    fig = frontier_figure(plan)
    assert plan.frontier is not None  # frontier_figure refuses a plan without one
    chart: str = fig.to_html(
        full_html=False, include_plotlyjs=True, div_id="chart", config={"responsive": True}
    )
    return _page(_title(plan), frontier_table(plan.frontier, plan.currency), chart)


def _title(plan: Plan) -> str:
    unit = plan.frontier.unit if plan.frontier is not None else plan.metric
    return f"Micro or macro? Expected {unit} by budget" + (f" - {plan.name}" if plan.name else "")


def frontier_figure(plan: Plan) -> Any:
    """The frontier as a Plotly figure (the web page draws it with the plotly.js it serves)."""
    import plotly.graph_objects as go

    f = plan.frontier
    if f is None:
        raise ValueError("this plan has no frontier (it was made with the frontier turned off)")
    fig = go.Figure()
    mix = [p for p in f.series("mix") if p.value is not None]
    if mix:
        xs = [p.budget for p in mix]
        fig.add_trace(
            go.Scatter(
                x=xs + xs[::-1],
                y=[p.value.p90 for p in mix] + [p.value.p10 for p in mix][::-1],  # type: ignore[union-attr]
                fill="toself",
                fillcolor="rgba(17,17,17,0.12)",
                line={"width": 0},
                hoverinfo="skip",
                name="best mix, P10-P90 (Monte Carlo)",
            )
        )
    mix_label = "best mix" + (" (without your tier-share rules)" if f.dropped else "")
    for policy in ("nano", "micro", "mid", "macro", "mega", "mix"):
        pts = [p for p in f.series(policy) if p.value is not None]
        if not pts:
            continue
        label = mix_label if policy == "mix" else f"{policy} only"
        fig.add_trace(
            go.Scatter(
                x=[p.budget for p in pts],
                y=[p.objective for p in pts],  # exact expected values; the band is Monte Carlo
                mode="lines+markers",
                name=label,
                line={
                    "color": COLOURS[policy],
                    "width": 4 if policy == "mix" else 2,
                    "dash": "solid" if policy == "mix" else "dot",
                },
                customdata=[
                    [
                        p.creators,
                        p.spend,
                        ", ".join(f"{t} {s:.0%}" for t, s in p.tier_shares.items()),
                        "proven optimal" if p.gap <= 1e-9 else f"within {p.gap:.2%} of the bound",
                    ]
                    for p in pts
                ],
                hovertemplate=(
                    f"{label}<br>budget %{{x:,.0f}} {plan.currency}<br>expected {f.unit}: %{{y:,.0f}}"
                    "<br>%{customdata[0]} creators, spend %{customdata[1]:,.0f}<br>%{customdata[2]}"
                    "<br>%{customdata[3]}<extra></extra>"
                ),
            )
        )
    q = plan.totals.get(plan.metric)
    if q is not None:
        fig.add_trace(
            go.Scatter(
                x=[plan.budget],
                y=[q.mean],
                mode="markers",
                name="this plan (P10-P90 Monte Carlo)",
                marker={"symbol": "star", "size": 16, "color": "#e7298a"},
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": [max(0.0, q.p90 - q.mean)],
                    "arrayminus": [max(0.0, q.mean - q.p10)],
                },
            )
        )
    fig.update_layout(
        xaxis={"title": f"budget ({plan.currency})", "tickformat": ",.0f"},
        yaxis={"title": f.unit, "tickformat": ",.0f"},
        template="plotly_white",
        # the legend below the axes, never over the lines; the answer is text above the chart
        legend={"orientation": "h", "x": 0, "y": -0.18, "yanchor": "top"},
        margin={"t": 20, "b": 40, "l": 60, "r": 20},
        height=560,
        autosize=True,
    )
    return fig


_STYLE = """
body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 1100px; padding: 16px;
       color: #222; }
h1 { font-size: 1.4rem; margin: 0 0 8px; }
#answer { font-size: 1rem; line-height: 1.5; margin: 0 0 16px; padding: 12px 16px;
          background: #f4f6f8; border-left: 4px solid #111; }
#chart { width: 100%; }
.table-wrap { overflow-x: auto; margin-top: 16px; }
#frontier-table { border-collapse: collapse; font-size: 0.9rem; width: 100%; }
#frontier-table th, #frontier-table td { padding: 4px 8px; border-bottom: 1px solid #ddd; }
#frontier-table .right { text-align: right; } #frontier-table .left { text-align: left; }
caption { caption-side: bottom; text-align: left; color: #555; padding-top: 8px; }
"""


def _page(title: str, t: FrontierTable, chart: str) -> str:
    e = html.escape
    head = "".join(f'<th class="{align}">{e(label)}</th>' for label, align in t.columns)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="{align}">{e(cell)}</td>'
            for cell, (_, align) in zip(row, t.columns, strict=True)
        )
        + "</tr>"
        for row in t.rows
    )
    caption = f"<caption>{e(t.caption)}</caption>" if t.caption else ""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(title)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{e(title)}</h1>"
        f'<p id="answer">{e(t.answer)}</p>'
        f"{chart}"
        f'<h2 style="font-size:1.1rem">{e(t.title)}</h2>'
        f'<div class="table-wrap"><table id="frontier-table">{caption}'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
        "</body></html>\n"
    )
