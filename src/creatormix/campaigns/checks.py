"""What a new campaign, its new deals and a deal's next event must satisfy, and the rows they
become. Pure: the facade reads what exists, calls these, and writes what they return; every
refusal is an InvalidOption naming the flag and the value."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from creatormix.campaigns import codes, links
from creatormix.domain.campaigns import (
    DELIVERY_PROBABILITY,
    MONEY_TERMS,
    Campaign,
    Deal,
    DealDraft,
    Terms,
)
from creatormix.domain.plan import Quantiles
from creatormix.errors import InvalidOption


def new_campaign(
    name: str, destination: str, link_base: str, window_days: int, existing: Sequence[Campaign]
) -> tuple[str, str, str, str]:
    """(name, destination, link base, slug) of a campaign to create among ``existing``: a name
    no other campaign has (any case), URLs we may redirect to, a slug not taken."""
    name = name.strip()
    if not name:
        raise InvalidOption("a campaign needs a name")
    try:
        destination = links.check_destination(destination)
        link_base = links.check_destination(link_base).rstrip("/")
    except ValueError as exc:
        raise InvalidOption(str(exc)) from None
    if window_days < 1:
        raise InvalidOption(f"--window {window_days}: the attribution window is at least 1 day")
    if any(c.name.lower() == name.lower() for c in existing):
        raise InvalidOption(f"a campaign named {name!r} exists already")
    slug = codes.slugify(name)
    taken = {c.slug for c in existing}
    base, n = slug, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return name, destination, link_base, slug


def deal_rows(
    campaign_id: int,
    drafts: Sequence[DealDraft],
    destination: str,
    now: datetime,
    first_id: int,
    taken: tuple[set[str], set[str]],
) -> tuple[list[dict[str, Any]], dict[int, dict[str, Quantiles]]]:
    """The deals' rows, each with a discount and a link code not in ``taken`` (discount codes,
    link codes; both sets grow), and their expected outcomes (a gift's chance of a post too)."""
    discount_taken, link_taken = taken
    rows: list[dict[str, Any]] = []
    expected: dict[int, dict[str, Quantiles]] = {}
    for i, d in enumerate(drafts):
        deal_id = first_id + i
        dc = codes.discount_code(d.handle, discount_taken)
        lc = codes.link_code(link_taken)
        discount_taken.add(dc)
        link_taken.add(lc)
        rows.append(
            {
                "deal_id": deal_id,
                "campaign_id": campaign_id,
                "platform": d.platform,
                "handle": d.handle,
                "tier": d.tier,
                "followers": d.followers,
                "link_code": lc,
                "discount_code": dc,
                "destination": destination,
                "source": d.source,
                "planned_cost": d.planned_cost,
                "planned_deal_type": d.deal_type.value if d.deal_type else None,
                "reasons": list(d.reasons),
                "created_at": now,
            }
        )
        if d.expected or d.probability < 1:
            expected[deal_id] = dict(d.expected)
        if d.probability < 1:
            p = d.probability
            expected[deal_id][DELIVERY_PROBABILITY] = Quantiles(p, p, p, p)
    return rows, expected


def event_terms(terms: Terms, c: Campaign) -> Terms:
    """A move's terms, checked: amounts in a stated currency, a registered destination, a
    commission between 0 and 100 %, no negative amount or figure."""
    terms = _with_currency(terms, c)
    if terms.destination is not None:
        try:
            url = links.check_destination(terms.destination)
        except ValueError as exc:
            raise InvalidOption(str(exc)) from None
        if url not in c.destinations:
            raise InvalidOption(
                f"{url} is not a destination of {c.name!r}; register it first with "
                f"`creatormix campaign destination {c.slug!r} {url}`"
            )
        terms = replace(terms, destination=url)
    if terms.commission_rate is not None and not 0 <= terms.commission_rate <= 1:
        raise InvalidOption("--commission is a share of revenue between 0% and 100%")
    for name in ("fee", "product_value", "shipping", "outreach_hours", "reach", "engagements"):
        value = getattr(terms, name)
        if value is not None and value < 0:
            raise InvalidOption(f"--{name.replace('_', '-')} cannot be negative ({value})")
    return terms


def event_time(deal: Deal, at: datetime | None, now: datetime) -> datetime:
    """When a move happened (``at``, else ``now``), in naive UTC; never before the deal."""
    when = _utc(at) if at is not None else now
    if when < deal.created_at:
        raise InvalidOption(
            f"@{deal.handle}: --at {when:%Y-%m-%d %H:%M} is before the deal was created "
            f"({deal.created_at:%Y-%m-%d %H:%M} UTC); its events happen after it, and a report "
            "counts only what happens after the campaign was created. Nothing was recorded"
        )
    return when


def _utc(at: datetime) -> datetime:
    """Naive UTC, as every timestamp is stored (an aware time is converted, a naive one is UTC)."""
    return at.astimezone(UTC).replace(tzinfo=None) if at.tzinfo is not None else at


def _with_currency(terms: Terms, c: Campaign) -> Terms:
    """The event's amounts with their currency stated: the one given, else the campaign's.

    A currency belongs to the amounts of its own event, so ``--currency`` without an amount
    would change nothing and is refused.
    """
    has_amount = any(getattr(terms, f) is not None for f in MONEY_TERMS)
    if terms.currency is None:
        return replace(terms, currency=c.currency) if has_amount else terms
    cur = terms.currency.strip().upper()
    if len(cur) != 3 or not cur.isalpha():
        raise InvalidOption(f"--currency {terms.currency!r}: expected a 3-letter code such as EUR")
    if not has_amount:
        raise InvalidOption(
            f"--currency {cur} applies to the amounts given with it: add --fee, --product-value "
            "or --shipping in the same move (each amount keeps the currency it was given in)"
        )
    return replace(terms, currency=cur)
