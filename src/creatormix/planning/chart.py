"""The frontier as a self-contained Plotly chart (plotly.js is embedded: no CDN, works offline)."""

from __future__ import annotations

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
    """A complete HTML page: goal value against budget per tier and for the best mix."""
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
    title = f"Micro or macro? Expected {f.unit} by budget"
    if plan.name:
        title += f" - {plan.name}"
    fig.update_layout(
        title={"text": title},
        xaxis={"title": f"budget ({plan.currency})", "tickformat": ",.0f"},
        yaxis={"title": f.unit, "tickformat": ",.0f"},
        template="plotly_white",
        legend={"orientation": "h", "y": -0.2},
        margin={"b": 140},
        annotations=[
            {
                "text": _wrap(f.answer, 120),
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": -0.42,
                "showarrow": False,
                "align": "left",
                "font": {"size": 12},
            }
        ],
        height=640,
    )
    html: str = fig.to_html(full_html=True, include_plotlyjs=True)
    return html


def _wrap(text: str, width: int) -> str:
    words, lines, line = text.split(), [], ""
    for w in words:
        if len(line) + len(w) + 1 > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    if line:
        lines.append(line)
    return "<br>".join(lines)
