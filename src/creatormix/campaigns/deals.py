"""Deals: drafts from a saved plan, the current state folded from events, follow-up reminders."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import fields, replace
from datetime import datetime

from creatormix.domain.campaigns import (
    MONEY_TERMS,
    Deal,
    DealDraft,
    DealEvent,
    DueReminder,
    Stage,
    Terms,
)
from creatormix.domain.plan import DealType, PlanRecord
from creatormix.domain.plan_result import Plan

AWAITING_REPLY = (Stage.CONTACTED, Stage.NEGOTIATING)


def drafts_from_plan(plan: PlanRecord) -> list[DealDraft]:
    """One shortlisted deal per planned creator, carrying the plan's cost, expectations, deal type
    and, for a paid pick, the fee the plan priced it at (the deal's proposed terms until others
    are agreed).

    The expectations are copied, so "planned vs delivered" never needs the planner again. A
    creator selected twice (same platform and handle) becomes one deal.
    """
    seen: set[tuple[str, str]] = set()
    drafts: list[DealDraft] = []
    for sel in plan.selections:
        key = (sel.platform, sel.handle.lower().lstrip("@"))
        if key in seen:
            continue
        seen.add(key)
        drafts.append(
            DealDraft(
                platform=sel.platform,
                handle=key[1],
                tier=sel.tier,
                deal_type=sel.deal_type,
                planned_cost=sel.cost,
                expected=dict(sel.expected),
                reasons=tuple(sel.reasons),
                source="plan",
                # PlanPick carries the chance a gift is posted; a bare PlannedCreator does not
                probability=float(getattr(sel, "probability", 1.0)),
                planned_fee=_planned_fee(sel),
            )
        )
    return drafts


def _planned_fee(sel: object) -> float | None:
    """The fee a plan priced a paid pick at (a PlanPick's ``fee``); None for gifts and bare picks."""
    fee = getattr(sel, "fee", None)
    if getattr(sel, "deal_type", None) is not DealType.PAID or not fee:
        return None
    return float(fee)


def plan_hourly_cost(plan: PlanRecord) -> float:
    """The cost of one hour of outreach the plan was priced with, in its currency; 0 for a bare
    ``PlanRecord`` (a saved ``Plan`` carries its brief, whose ``hourly_cost`` it is)."""
    return float(plan.brief.hourly_cost) if isinstance(plan, Plan) else 0.0


def merge_terms(old: Terms, new: Terms) -> Terms:
    """Field by field, a newer non-empty value replaces the older one; post ids accumulate.

    ``currency`` is not merged (it stays None): it belongs to the amounts of one event, and each
    amount's currency is kept beside the deal (``Deal.currencies``, see ``fold``).
    """
    changes: dict[str, object] = {}
    for f in fields(Terms):
        value = getattr(new, f.name)
        if f.name == "currency":
            continue
        if f.name == "post_ids":
            if value:
                changes[f.name] = tuple(dict.fromkeys((*old.post_ids, *value)))
        elif value is not None:
            changes[f.name] = value
    return replace(old, **changes)  # type: ignore[arg-type]


def fold(deal: Deal, events: Iterable[DealEvent]) -> Deal:
    """The deal as its events leave it, in the order they were recorded (a back-dated event still
    comes after what was recorded before it; its stage_at is the date it gives)."""
    for ev in sorted(events, key=lambda e: e.event_id):
        changes: dict[str, object] = {"terms": merge_terms(deal.terms, ev.terms)}
        if any(getattr(ev.terms, f) is not None for f in MONEY_TERMS):
            currencies = dict(deal.currencies)
            for f in MONEY_TERMS:
                if getattr(ev.terms, f) is None:
                    continue
                if ev.terms.currency:
                    currencies[f] = ev.terms.currency
                else:  # recorded without a currency: the campaign's (docs/campaigns.md)
                    currencies.pop(f, None)
            changes["currencies"] = currencies
        if ev.stage is not None or deal.last_event_at is None or ev.at > deal.last_event_at:
            changes["last_event_at"] = ev.at  # a stage restarts the count; later events extend it
        if ev.terms.destination:
            changes["destination"] = ev.terms.destination
        if ev.stage is not None:
            changes |= {"stage": ev.stage, "stage_at": ev.at}
        if ev.note:
            changes["last_note"] = ev.note
        deal = replace(deal, **changes)  # type: ignore[arg-type]
    return deal


def check_move(deal: Deal, stage: Stage) -> str | None:
    """A warning for an unusual move (backwards, out of declined), or None. Moves are never refused:
    real negotiations go back and forth, and the history keeps every step."""
    if deal.stage is Stage.DECLINED and stage is not Stage.DECLINED:
        return f"@{deal.handle} had declined; reopened at {stage.value}"
    if stage is not Stage.DECLINED and stage.rank < deal.stage.rank:
        return f"@{deal.handle} moved back from {deal.stage.value} to {stage.value}"
    return None


def due(deals: Sequence[Deal], now: datetime, after_days: float) -> list[DueReminder]:
    """Deals contacted or negotiating without a new event of any kind (a stage, terms or a note
    such as "they replied") for ``after_days`` or more, and deliverables past their due date.

    ``since`` is a date and ``days`` the calendar days from it to ``now``, the one count every
    reason uses (a deliverable due yesterday morning is "1 day(s) ago" all day, never "2");
    ``days_waiting`` keeps the exact fraction that ``after_days`` is compared with.
    """
    out: list[DueReminder] = []
    for d in deals:
        since = d.last_event_at or d.stage_at
        waited = (now - since).total_seconds() / 86400
        if d.stage in AWAITING_REPLY and waited >= after_days:
            last = "" if since == d.stage_at else f", last event on {since:%Y-%m-%d}"
            days = _calendar_days(since, now)
            out.append(
                DueReminder(
                    d.deal_id,
                    d.handle,
                    d.platform,
                    d.stage,
                    since,
                    waited,
                    f"no new event for {days} day(s): {d.stage.value} on "
                    f"{d.stage_at:%Y-%m-%d}{last}; follow up",
                    days,
                )
            )
        elif (
            d.terms.due_at is not None
            and d.terms.due_at <= now
            and d.stage.committed
            and d.stage.rank < Stage.CONTENT_LIVE.rank
        ):
            late = (now - d.terms.due_at).total_seconds() / 86400
            days = _calendar_days(d.terms.due_at, now)
            what = f" ({d.terms.deliverables})" if d.terms.deliverables else ""
            out.append(
                DueReminder(
                    d.deal_id,
                    d.handle,
                    d.platform,
                    d.stage,
                    d.terms.due_at,
                    late,
                    f"deliverable{what} due on {d.terms.due_at:%Y-%m-%d}, {days} day(s) ago",
                    days,
                )
            )
    out.sort(key=lambda r: -r.days_waiting)
    return out


def _calendar_days(since: datetime, now: datetime) -> int:
    return (now.date() - since.date()).days
