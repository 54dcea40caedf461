"""The creator page's charts as Plotly figures in plain JSON (drawn in the browser by plotly.js):
engagement per post over time and followers over time."""

from __future__ import annotations

from typing import Any

from creatormix.domain.requests import CreatorOverview

_LAYOUT = {
    "template": "plotly_white",
    "height": 320,
    "margin": {"l": 60, "r": 20, "t": 50, "b": 50},
    "hovermode": "x unified",
}


def engagement_chart(o: CreatorOverview) -> dict[str, Any] | None:
    """Likes + comments of each post, and that as a share of the current followers (the
    engagement rate by followers of docs/metrics.md, per post); None without dated posts."""
    posts = [p for p in o.history if p.posted_at is not None]
    if not posts:
        return None
    followers = o.detail.profile.creator.followers
    x = [p.posted_at.isoformat() for p in posts if p.posted_at]
    eng = [(p.likes or 0) + (p.comments or 0) for p in posts]
    data: list[dict[str, Any]] = [
        {
            "type": "bar",
            "x": x,
            "y": eng,
            "name": "likes + comments",
            "marker": {"color": "#4292c6"},
        }
    ]
    layout: dict[str, Any] = {
        **_LAYOUT,
        "title": {"text": f"Engagement of the last {len(posts)} posts"},
        "yaxis": {"title": "likes + comments"},
    }
    if followers:
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "x": x,
                "y": [e / followers for e in eng],
                "name": "per follower",
                "yaxis": "y2",
                "line": {"color": "#d94801"},
            }
        )
        layout["yaxis2"] = {
            "title": "engagement rate",
            "overlaying": "y",
            "side": "right",
            "tickformat": ".1%",
        }
    return {"data": data, "layout": layout}


def growth_chart(o: CreatorOverview) -> dict[str, Any] | None:
    """Followers at each snapshot; None with fewer than two."""
    snaps = [s for s in o.detail.snapshots if s.followers is not None]
    if len(snaps) < 2:
        return None
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "lines+markers",
                "x": [s.observed_at.isoformat() for s in snaps],
                "y": [s.followers for s in snaps],
                "name": "followers",
                "line": {"color": "#41ab5d"},
            }
        ],
        "layout": {
            **_LAYOUT,
            "title": {"text": f"Followers over {len(snaps)} snapshots"},
            "yaxis": {"title": "followers", "tickformat": ",d"},
        },
    }
