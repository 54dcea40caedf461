"""The cost model: what each way of working with a creator costs, and what it commits.

* **Fee** for a paid post: the creator's quoted price where the catalog has one (converted with a
  rate the user gives when it is in another currency, never guessed), else the rate card for the
  creator's platform x tier, read at the creator's place in the tier's follower band (see
  ``RateCard.point``). The card is tier x platform x format: a format's own range where the
  workspace set one (``plans set-rate --format``), else the platform's usual piece scaled by the
  format's multiplier (``domain.plan_benchmarks.FORMAT_PRICE_BY_PLATFORM``: published for
  Instagram; TikTok and YouTube cards are per video already). Quoted prices are per post and are
  scaled by the same multiplier.
* **Gifting** and **product-for-post** cost the product plus shipping; the creator posts with a
  probability that falls with tier (``GIFT_POST_PROBABILITY``, ``PRODUCT_FOR_POST_PROBABILITY``).
  A gift is sent whether or not the creator posts; a product-for-post product is sent only once
  the creator agrees, so its *expected* cost is lower than what it *commits*.
* **Outreach** (hours per creator x hourly cost) is paid for every creator contacted.

The budget constraint uses the committed cost (what could be spent if every creator says yes), so
no plan can overrun its budget; the plan also reports the expected cost.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from creatormix.domain import benchmarks
from creatormix.domain import plan_benchmarks as pb
from creatormix.domain.brief import Brief
from creatormix.domain.plan import DealType
from creatormix.planning.candidates import Candidates

PLANNABLE_DEALS = (DealType.PAID, DealType.GIFTED, DealType.PRODUCT_FOR_POST)
# Follower bands the published rate-card ranges refer to (the default tier scheme; mega read to 10M).
TIER_BANDS = {
    "nano": (1_000.0, 10_000.0),
    "micro": (10_000.0, 100_000.0),
    "mid": (100_000.0, 500_000.0),
    "macro": (500_000.0, 1_000_000.0),
    "mega": (1_000_000.0, 10_000_000.0),
}


class CostError(ValueError):
    """The brief's money settings cannot price the candidates (e.g. a missing exchange rate)."""


@dataclass(frozen=True)
class RateCard:
    """Fee ranges by platform x tier (the platform's usual piece) and format, in one currency."""

    currency: str = "USD"
    ranges: Mapping[str, Mapping[str, tuple[float, float]]] = field(
        default_factory=lambda: benchmarks.PRICE_PER_POST_USD
    )
    source: str = benchmarks.PRICE_SOURCE
    # platform -> format -> tier -> (low, high): a format's own range, replacing the multiplier
    format_ranges: Mapping[str, Mapping[str, Mapping[str, tuple[float, float]]]] = field(
        default_factory=dict
    )
    format_price: Mapping[str, Mapping[str, float]] = field(
        default_factory=lambda: pb.FORMAT_PRICE_BY_PLATFORM
    )

    def multiplier(self, platform: str, fmt: str) -> float:
        """Price of ``fmt`` relative to the platform's usual piece."""
        return float(self.format_price.get(platform, {}).get(fmt, 1.0))

    def format_range(self, platform: str, tier: str, fmt: str) -> tuple[float, float]:
        """The fee range for one format: its own where set, else the card's range x multiplier."""
        own = self.format_ranges.get(platform, {}).get(fmt, {}).get(tier)
        if own is not None:
            return own
        low, high = self.range_for(platform, tier)
        k = self.multiplier(platform, fmt)
        return low * k, high * k

    def fee(self, platform: str, tier: str, fmt: str, followers: float | None = None) -> float:
        """The fee for one piece of ``fmt`` by a creator (see ``point``)."""
        if self.format_ranges.get(platform, {}).get(fmt, {}).get(tier) is not None:
            card = RateCard(
                self.currency, {platform: {tier: self.format_range(platform, tier, fmt)}}
            )
            return card.point(platform, tier, followers)
        return self.point(platform, tier, followers) * self.multiplier(platform, fmt)

    def range_for(self, platform: str, tier: str) -> tuple[float, float]:
        table = self.ranges.get(platform) or self.ranges.get("instagram") or {}
        if tier in table:
            return table[tier]
        default = benchmarks.PRICE_PER_POST_USD.get(
            platform, benchmarks.PRICE_PER_POST_USD["instagram"]
        )
        return default[tier]

    def point(self, platform: str, tier: str, followers: float | None = None) -> float:
        """The fee for a creator: its place in the tier's follower band, read on the tier's range.

        Published ranges are contiguous across tiers (Instagram micro ends at $500 where mid
        starts), so each range is read as the price at the bottom and the top of the tier's
        follower band (the default bands: 1k-10k-100k-500k-1M-10M), interpolated in log-log space.
        Above 10M followers the price grows in proportion to followers; without a follower count
        it is the geometric mid-point of the range.
        """
        low, high = self.range_for(platform, tier)
        band = TIER_BANDS.get(tier)
        if followers is None or not np.isfinite(followers) or followers <= 0 or band is None:
            return float(np.sqrt(low * high))
        lo_f, hi_f = band
        if followers > hi_f and tier == "mega":
            return float(high * followers / hi_f)
        pos = float(np.clip(np.log(followers / lo_f) / np.log(hi_f / lo_f), 0.0, 1.0))
        return float(low * (high / low) ** pos)

    def with_overrides(
        self,
        overrides: Mapping[str, Mapping[str, tuple[float, float]]],
        note: str = "",
        formats: Mapping[str, Mapping[str, Mapping[str, tuple[float, float]]]] | None = None,
    ) -> RateCard:
        """The card with the workspace's ranges: per platform x tier, and per format."""
        merged = {p: dict(t) for p, t in self.ranges.items()}
        for platform, tiers in overrides.items():
            merged.setdefault(platform, {}).update(tiers)
        by_format = {p: {f: dict(t) for f, t in fm.items()} for p, fm in self.format_ranges.items()}
        for platform, fmts in (formats or {}).items():
            for fmt, tiers in fmts.items():
                by_format.setdefault(platform, {}).setdefault(fmt, {}).update(tiers)
        source = self.source + ("; workspace overrides" + (f" ({note})" if note else ""))
        return RateCard(self.currency, merged, source, by_format, self.format_price)


def fx_rate(brief: Brief, code: str | None) -> float | None:
    """Units of the brief's currency per unit of ``code``; None when the user gave no rate."""
    if not code or code.upper() == brief.currency.upper():
        return 1.0
    return brief.fx.get(code.upper())


@dataclass(frozen=True)
class Fees:
    fee: np.ndarray  # per piece of content, brief currency
    source: np.ndarray  # object: "quoted", "quoted (EUR at 1.08)", "rate card"
    card_low: np.ndarray
    card_high: np.ndarray
    notes: tuple[str, ...] = ()


def fees(cands: Candidates, brief: Brief, card: RateCard) -> Fees:
    """Fee per piece of content in the brief's currency, and where it came from."""
    n = len(cands)
    card_fx = fx_rate(brief, card.currency)
    fee = np.full(n, np.nan)
    source = np.full(n, "rate card", dtype=object)
    low = np.full(n, np.nan)
    high = np.full(n, np.nan)
    ignored: dict[str, int] = {}
    fmt = str(brief.format.value)
    for i in range(n):
        tier = cands.tier[i]
        platform = cands.platform[i]
        if tier is not None and card_fx is not None:
            lo, hi = card.format_range(platform, tier, fmt)
            low[i], high[i] = lo * card_fx, hi * card_fx
        price = cands.price[i]
        if np.isfinite(price) and price > 0:
            code = (cands.currency[i] or brief.currency).upper()
            rate = fx_rate(brief, code)
            if rate is not None:  # a quote is per post: other formats scale it
                fee[i] = price * rate * card.multiplier(platform, fmt)
                source[i] = "quoted" if rate == 1.0 else f"quoted ({code} at {rate:g})"
                continue
            ignored[code] = ignored.get(code, 0) + 1
        if tier is not None and card_fx is not None:
            fee[i] = card.fee(platform, tier, fmt, cands.followers[i]) * card_fx
    notes = []
    for code, count in sorted(ignored.items()):
        notes.append(
            f"{count} quoted price(s) in {code} were replaced by the rate card: give an exchange "
            f"rate (--fx {code}=<{brief.currency} per {code}>) to use them"
        )
    missing = ~np.isfinite(fee)
    if missing.any() and card_fx is None:
        raise CostError(
            f"the plan is in {brief.currency} but the rate card is in {card.currency} and "
            f"{int(missing.sum())} creator(s) have no usable quoted price: give an exchange rate "
            f"(--fx {card.currency}=<{brief.currency} per {card.currency}>, or [fx] in the brief)"
        )
    return Fees(fee, source, low, high, tuple(notes))


@dataclass(frozen=True)
class Options:
    """Every way to work with every candidate, sorted by creator."""

    creator: np.ndarray  # int
    deal: np.ndarray  # object: DealType
    committed: np.ndarray  # the most it can cost (the budget reserves this)
    expected_cost: np.ndarray
    fee: np.ndarray
    probability: np.ndarray  # chance the creator delivers
    pieces: np.ndarray  # content pieces delivered when it does


def outreach_cost(brief: Brief) -> float:
    return brief.outreach_hours * brief.hourly_cost


def build_options(cands: Candidates, brief: Brief, fee: Fees) -> Options:
    """One option per creator and allowed deal type, with its costs and delivery probability."""
    n = len(cands)
    outreach = outreach_cost(brief)
    product = (brief.product_cost or 0.0) + brief.shipping_cost
    k = brief.deliverables_total
    rows: dict[str, list[np.ndarray]] = {
        "creator": [],
        "deal": [],
        "committed": [],
        "expected": [],
        "fee": [],
        "prob": [],
        "pieces": [],
    }
    tiers = cands.tier
    for deal in brief.deal_types:
        idx = np.arange(n)
        if deal is DealType.PAID:
            ok = np.isfinite(fee.fee)
            idx = idx[ok]
            f = fee.fee[idx] * k
            committed = f + outreach
            expected = committed
            prob = np.ones(len(idx))
            pieces = np.full(len(idx), float(k))
            fees_ = f
        elif deal is DealType.GIFTED:
            prob = np.array([pb.GIFT_POST_PROBABILITY.get(t, 0.0) for t in tiers[idx]])
            committed = np.full(len(idx), product + outreach)
            expected = committed
            pieces = np.ones(len(idx))
            fees_ = np.zeros(len(idx))
        elif deal is DealType.PRODUCT_FOR_POST:
            prob = np.array([pb.PRODUCT_FOR_POST_PROBABILITY.get(t, 0.0) for t in tiers[idx]])
            committed = np.full(len(idx), product + outreach)
            expected = outreach + prob * product
            pieces = np.full(len(idx), float(k))
            fees_ = np.zeros(len(idx))
        else:  # validated away in planning.brief
            continue
        rows["creator"].append(idx)
        deals = np.empty(len(idx), dtype=object)
        deals[:] = [deal] * len(idx)  # np.full would turn the enum into a plain str
        rows["deal"].append(deals)
        rows["committed"].append(committed)
        rows["expected"].append(expected)
        rows["fee"].append(fees_)
        rows["prob"].append(prob)
        rows["pieces"].append(pieces)
    creator = np.concatenate(rows["creator"]) if rows["creator"] else np.zeros(0, dtype=np.int64)
    order = np.argsort(creator, kind="stable")

    def cat(key: str, dtype: type = float) -> np.ndarray:
        if not rows[key]:
            return np.zeros(0, dtype=dtype)
        out: np.ndarray = np.concatenate(rows[key])[order]
        return out

    return Options(
        creator=creator[order].astype(np.int64),
        deal=cat("deal", object),
        committed=cat("committed"),
        expected_cost=cat("expected"),
        fee=cat("fee"),
        probability=cat("prob"),
        pieces=cat("pieces"),
    )
