"""What a backtest says: what was compared on which data, the table of selections with their
realised value per dollar and intervals, the plan's creators predicted against realised, the
calibration, the targets measured, and the notes; ``to_json()`` is ``backtest --json``."""

from __future__ import annotations

import math
from dataclasses import dataclass

from creatormix.domain import backtest as bt
from creatormix.domain.backtest import BacktestResult, Comparison, Interval, TargetCheck
from creatormix.views._json import jsonable
from creatormix.views.format import fmt_count, fmt_followers, fmt_money

Column = tuple[str, str]  # (label, "left" or "right")
PER = 1000.0  # value per this many units of the currency
PICKS_SHOWN = 20


@dataclass(frozen=True)
class BacktestView:
    title: str
    summary: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    random: str  # the random selections' spread in words
    views: str  # realised views per dollar, where the platform reports views
    posted_title: str
    posted_columns: tuple[Column, ...]
    posted_rows: tuple[tuple[str, ...], ...]  # only the creators who posted, at their cost
    picks_title: str
    pick_columns: tuple[Column, ...]
    picks: tuple[tuple[str, ...], ...]
    calibration: tuple[str, ...]
    targets: tuple[tuple[str, str, str], ...]  # (target, measured, verdict)
    notes: tuple[str, ...]
    data: dict[str, object]

    def to_json(self) -> dict[str, object]:
        return jsonable(self.data)  # type: ignore[no-any-return]


def _per(x: float) -> str:
    return fmt_count(x * PER) if math.isfinite(x) else "—"


def _interval(iv: Interval, scale: float = PER, digits: int | None = None) -> str:
    if math.isnan(iv.low) or math.isnan(iv.high):
        return "—"

    def one(x: float) -> str:
        if math.isinf(x):
            return "∞"
        return f"{x:.{digits}f}" if digits is not None else fmt_count(x * scale)

    return f"{one(iv.low)}–{one(iv.high)}"


def _ratio(cmp: Comparison | None) -> tuple[str, str]:
    if cmp is None:
        return "", ""
    r = cmp.ratio
    if math.isinf(r.value):
        return "∞ (this realised 0)", cmp.verdict
    if not math.isfinite(r.value):
        return "—", "neither realised anything"
    return f"{r.value:.2f}x ({_interval(r, digits=2)})", cmp.verdict


def _posted_rows(r: BacktestResult) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    for s in r.selections:
        p = s.posted_only
        if p is None:
            out.append((s.label, f"0 of {s.creators:,}", "—", "—", "", "nobody posted"))
            continue
        ratio, verdict = _ratio(p.versus_plan)
        out.append(
            (
                s.label,
                f"{p.creators:,} of {s.creators:,}",
                fmt_money(p.cost, r.currency),
                f"{_per(p.per_dollar.value)} ({_interval(p.per_dollar)})",
                ratio,
                verdict,
            )
        )
    return out


def backtest_view(r: BacktestResult) -> BacktestView:
    cur = r.currency
    c = r.catalog
    summary = (
        f"{r.brief.goal.value}, budget {fmt_money(r.budget, cur)}, {r.pieces} piece(s) per creator; "
        f"{c.get('creators_known', 0):,} creators known on the date, {c.get('eligible', 0):,} "
        f"eligible; {c.get('posts_before', 0):,} posts before it, {c.get('posts_in_horizon', 0):,} "
        f"in the horizon ({c.get('posted_in_horizon', 0):,} eligible creators posted)"
    )
    columns: tuple[Column, ...] = (
        ("selection", "left"),
        ("creators", "right"),
        ("cost (of budget)", "right"),
        ("realised", "right"),
        (f"per {fmt_money(PER, cur)} ({r.level:.0%})", "right"),
        ("posted", "right"),
        (f"plan ÷ this ({r.level:.0%})", "right"),
        ("verdict", "left"),
    )
    rows = []
    for s in r.selections:
        ratio, verdict = _ratio(s.versus_plan)
        rows.append(
            (
                s.label,
                f"{s.creators:,}",
                f"{fmt_money(s.cost, cur)} ({s.budget_used:.0%})",
                fmt_count(s.realised),
                f"{_per(s.per_dollar.value)} ({_interval(s.per_dollar)})",
                f"{s.posted:,}",
                ratio,
                verdict,
            )
        )
    plan = r.selection(bt.PLAN)
    return BacktestView(
        title=f"Backtest: chosen on {r.as_of:%Y-%m-%d}, scored on the {r.horizon_days} days after",
        summary=summary,
        columns=columns,
        rows=tuple(rows),
        random=_random_line(r),
        views=_views_line(r),
        posted_title=(
            "Only the creators who posted in the horizon, at their cost (a diagnostic: "
            "no choice could know who would post)"
        ),
        posted_columns=(
            ("selection", "left"),
            ("posted", "right"),
            ("their cost", "right"),
            (f"per {fmt_money(PER, cur)} ({r.level:.0%})", "right"),
            (f"plan ÷ this ({r.level:.0%})", "right"),
            ("verdict", "left"),
        ),
        posted_rows=tuple(_posted_rows(r)),
        picks_title=f"The plan's {plan.creators if plan else 0} creators: predicted against realised",
        pick_columns=(
            ("creator", "left"),
            ("tier", "left"),
            ("followers", "right"),
            ("cost", "right"),
            ("predicted P50 (P10–P90)", "right"),
            ("realised", "right"),
            ("posts after", "right"),
            ("", "left"),
        ),
        picks=tuple(_pick_rows(r)),
        calibration=_calibration(r),
        targets=tuple(_target_row(t, r) for t in r.targets),
        notes=tuple(dict.fromkeys((*r.notes, *r.plan_notes))),
        data=jsonable(r),
    )


def _random_line(r: BacktestResult) -> str:
    s = r.selection(bt.RANDOM)
    if s is None or s.spread is None:
        return ""
    q = s.spread
    sd = f", sd {_per(s.sd)}" if s.sd is not None else ""
    beats = f"; the plan beats {s.beats_share:.0%} of them" if s.beats_share is not None else ""
    return (
        f"random within budget, {s.draws} draws: mean {_per(q.mean)} engagements per "
        f"{fmt_money(PER, r.currency)}{sd}, P10 {_per(q.p10)} · P50 {_per(q.p50)} · P90 "
        f"{_per(q.p90)}{beats}"
    )


def _views_line(r: BacktestResult) -> str:
    parts = [
        f"{s.label} {_per(s.views_per_dollar.value)}"
        for s in r.selections
        if s.views_per_dollar is not None
    ]
    if not parts:
        return ""
    return f"views per {fmt_money(PER, r.currency)} (posts without views count 0): " + " · ".join(
        parts
    )


def _pick_rows(r: BacktestResult) -> list[tuple[str, ...]]:
    picks = [c for c in r.creators if bt.PLAN in c.selections]
    picks.sort(key=lambda c: -c.predicted.mean)
    out: list[tuple[str, ...]] = []
    for c in picks[:PICKS_SHOWN]:
        q = c.predicted
        out.append(
            (
                f"@{c.handle}",
                c.tier or "—",
                fmt_followers(c.followers),
                fmt_money(c.cost, r.currency),
                f"{fmt_count(q.p50)} ({fmt_count(q.p10)}–{fmt_count(q.p90)})",
                fmt_count(c.realised),
                f"{c.posts_after:,}",
                "inside" if c.inside_band else ("below" if c.realised < q.p10 else "above"),
            )
        )
    return out


def _calibration(r: BacktestResult) -> tuple[str, ...]:
    cal = r.calibration
    lines = []
    share = cal.share_inside
    if share is not None:
        lines.append(
            f"80% bands: {cal.creators_inside:,} of {cal.creators:,} eligible creators ({share:.1%}) "
            f"realised a value inside their P10–P90 ({cal.below:,} below, {cal.above:,} above); "
            f"{cal.posted_inside:,} of the {cal.posted:,} who published every piece "
            f"({_share(cal.posted_inside, cal.posted)}); {cal.picks_inside} of the plan's {cal.picks}"
        )
    if cal.plan_total is not None:
        q = cal.plan_total
        inside = "inside" if q.p10 <= cal.plan_realised <= q.p90 else "outside"
        lines.append(
            f"the plan's total: predicted {fmt_count(q.mean)} (P10 {fmt_count(q.p10)} · P50 "
            f"{fmt_count(q.p50)} · P90 {fmt_count(q.p90)}), realised {fmt_count(cal.plan_realised)}: "
            f"{inside} its band"
        )
    if cal.mae_shrunk is not None and cal.mae_raw is not None:
        d = cal.mae_difference
        diff = (
            f"; shrunk − raw {d.value * 100:+.2f} points ({r.level:.0%} interval "
            f"{d.low * 100:+.2f} to {d.high * 100:+.2f})"
            if d is not None and math.isfinite(d.low)
            else ""
        )
        lines.append(
            f"engagement rate on the later posts: mean absolute error {cal.mae_shrunk * 100:.2f} "
            f"points shrunk, {cal.mae_raw * 100:.2f} raw, same {cal.mae_creators:,} creators{diff}"
        )
    else:
        lines.append("no creator has measured posts both before the date and in the horizon")
    return tuple(lines)


def _share(a: int, b: int) -> str:
    return f"{a / b:.1%}" if b else "—"


def _target_row(t: TargetCheck, r: BacktestResult) -> tuple[str, str, str]:
    verdict = {True: "met", False: "not met", None: "not measured"}[t.met]
    iv = t.interval
    if t.name.startswith("plan vs"):
        if iv is not None and math.isinf(iv.value):
            measured = "∞ (that selection realised nothing)"
        elif iv is not None and math.isfinite(iv.value):
            measured = f"{iv.value:.2f}x ({r.level:.0%} interval {_interval(iv, digits=2)})"
        else:
            measured = "—"
        if iv is not None and not math.isnan(iv.low):
            verdict += "; the difference is " + (
                "real" if iv.low > 1 or iv.high < 1 else "not distinguishable from none"
            )
    elif t.name == "shrunk vs raw MAE":
        cal = r.calibration
        measured = (
            f"{cal.mae_shrunk * 100:.2f} vs {cal.mae_raw * 100:.2f} points"
            if cal.mae_shrunk is not None and cal.mae_raw is not None
            else "—"
        )
        if iv is not None and math.isfinite(iv.low):
            verdict += "; the difference is " + (
                "real" if iv.high < 0 or iv.low > 0 else "not distinguishable from none"
            )
    else:
        measured = f"{iv.value:.1%}" if iv is not None else "—"
    return t.target, measured, verdict
