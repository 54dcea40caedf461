"""Follower growth from the append-only follower snapshots."""

from __future__ import annotations

from typing import TYPE_CHECKING

from creatormix.metrics.params import MetricParams

if TYPE_CHECKING:
    import ibis.expr.types as ir

KEY = ["platform", "handle"]
_DAY = 86_400.0


def follower_growth(snapshots: ir.Table, params: MetricParams) -> ir.Table:
    """Per creator: relative follower growth per 30 days over the recent window.

    growth_30d = (last - first) / first * 30 / days, from the first and last snapshot within
    ``growth_window_days`` of the latest one; null unless two snapshots lie at least a day apart.
    """
    import ibis

    s = snapshots.filter(snapshots.followers.notnull())
    latest = s.group_by(KEY).agg(latest_at=s.observed_at.max(), snapshots=s.observed_at.nunique())
    s = s.join(latest, KEY)
    recent = s.filter(s.observed_at >= s.latest_at - ibis.interval(days=params.growth_window_days))
    g = recent.group_by(KEY).agg(
        snapshots=recent.snapshots.max(),
        first_at=recent.observed_at.min(),
        last_at=recent.observed_at.max(),
        first_followers=recent.followers.argmin(recent.observed_at),
        last_followers=recent.followers.argmax(recent.observed_at),
    )
    days = (g.last_at.epoch_seconds() - g.first_at.epoch_seconds()) / _DAY
    growth = ibis.ifelse(
        (days >= 1) & (g.first_followers > 0),
        (g.last_followers - g.first_followers).cast("float64") / g.first_followers * 30.0 / days,
        ibis.null("float64"),
    )
    return g.mutate(growth_30d=growth, growth_days=days).select(
        *KEY, "snapshots", "growth_30d", "growth_days"
    )
