"""What a campaign report says: its period and totals, outcomes by creator and by tier with their
intervals, the tier comparison, planned against delivered, and the notes; ``to_json()`` is
``report --json``."""

from __future__ import annotations

from dataclasses import dataclass

from creatormix.domain.campaigns import CampaignReport, Estimate, Outcome
from creatormix.views._json import jsonable
from creatormix.views.format import fmt_count, money

BASIS_NOTE = (
    "A ratio uses only creators with recorded spend whose denominator is measured "
    '("1 of 3": measured on 1 of the 3 creators; the others\' spend is left out of it).'
)
SESSIONS_NOTE = (
    "sessions: from imported analytics (by utm_content), a cross-check; not part of orders or ROAS"
)


@dataclass(frozen=True)
class OutcomeTable:
    title: str
    columns: tuple[str, ...]  # the first (the row's name) is text, the others figures
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class ReportView:
    name: str  # the campaign's
    summary: str  # period, spend, revenue, orders, clicks, interval level
    tables: tuple[OutcomeTable, ...]  # by creator, by tier (with the total)
    basis_note: str
    comparisons: tuple[str, ...]
    planned_vs_delivered: OutcomeTable | None
    sessions_note: str | None
    notes: tuple[str, ...]
    data: dict[str, object]

    def to_json(self) -> dict[str, object]:
        return jsonable(self.data)  # type: ignore[no-any-return]


def estimate(e: Estimate, fmt: str, currency: str, of: int) -> str:
    """ "$0.28 ($0.27–$0.30)", with ", 1 of 3" when measured on some creators only; a reason
    ("no spend", "not measured") when there is no value."""
    if e.value is None:
        reason = e.reason or "—"
        return (
            "no spend"
            if reason == "no spend recorded"
            else "—"
            if "not measured" in reason
            else reason
        )

    def one(x: float) -> str:
        return f"{x:.2f}" if fmt == "x" else money(x, currency)

    lo = one(e.low) if e.low is not None else "?"
    hi = one(e.high) if e.high is not None else ("∞" if e.unbounded else "?")
    basis = f", {e.measured_on} of {of}" if e.measured_on < of else ""
    return f"{one(e.value)} ({lo}–{hi}{basis})"


def report_view(rep: CampaignReport) -> ReportView:
    c, cur = rep.campaign, rep.campaign.currency
    still_open = " (attribution window still open)" if rep.period[1] > rep.generated_at else ""
    summary = (
        f"from {rep.period[0]:%Y-%m-%d} to {rep.period[1]:%Y-%m-%d}"
        f"{still_open}: spend {money(rep.total.spend, cur)}, revenue "
        f"{money(rep.total.revenue, cur)}, {rep.total.orders} order(s), "
        f"{rep.total.clicks} click(s); intervals are {rep.level:.0%} bootstrap intervals"
    )
    sessions = rep.total.sessions is not None  # analytics imported: the cross-check column
    return ReportView(
        name=c.name,
        summary=summary,
        tables=(
            _outcomes("By creator", rep.creators, cur, sessions),
            _outcomes("By tier", (*rep.tiers, rep.total), cur, sessions),
        ),
        basis_note=BASIS_NOTE,
        comparisons=tuple(rep.comparisons),
        planned_vs_delivered=_planned(rep),
        sessions_note=SESSIONS_NOTE if sessions else None,
        notes=tuple(rep.notes),
        data=jsonable(rep),
    )


def _outcomes(title: str, rows: tuple[Outcome, ...], cur: str, sessions: bool) -> OutcomeTable:
    columns = ["", "n", "spend", "reach", "eng.", "clicks", "orders", "revenue"]
    columns += ["sessions"] if sessions else []
    out = []
    for o in rows:
        cells = [
            o.key,
            str(o.creators),
            money(o.spend, cur),
            fmt_count(o.reach),
            fmt_count(o.engagements),
            f"{o.clicks:,}",
            f"{o.orders:,}",
            money(o.revenue, cur),
        ]
        cells += [fmt_count(o.sessions)] if sessions else []
        cells += [
            estimate(o.cpe, "$", cur, o.creators),
            estimate(o.cpm, "$", cur, o.creators),
            estimate(o.cpc, "$", cur, o.creators),
            estimate(o.cpa, "$", cur, o.creators),
            estimate(o.roas, "x", cur, o.creators),
        ]
        out.append(tuple(cells))
    return OutcomeTable(title, (*columns, "CPE", "CPM", "CPC", "CPA", "ROAS"), tuple(out))


def _planned(rep: CampaignReport) -> OutcomeTable | None:
    if not rep.planned_vs_delivered:
        return None
    rows = tuple(
        (
            p.handle,
            p.metric,
            p.planned_range(),
            fmt_count(p.due.p50),
            fmt_count(p.delivered),
            p.verdict,
        )
        for p in rep.planned_vs_delivered
    )
    columns = ("creator", "metric", "planned P10–P90", "planned P50", "delivered", "verdict")
    return OutcomeTable("Planned vs delivered", columns, rows)
