"""Results and ROI with bootstrap intervals, per creator, per tier and per campaign.

Uncertainty comes from two places and the bootstrap resamples both (docs/attribution.md):

* which creators a tier happened to get: creators are resampled with replacement within the group;
* count noise inside each creator: reach, engagements and clicks are redrawn as Poisson counts
  around what was measured, orders as a Poisson number of draws from the creator's own order values
  (the compound-Poisson bootstrap).

Spend is known exactly and is not resampled. Intervals are percentile intervals; a cost per unit
whose denominator is zero in too many resamples has no upper bound (``high`` None).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from creatormix.domain.campaigns import Estimate, Outcome

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

SPEND_PARTS = ("fees", "products", "shipping", "outreach", "commission")
TIER_ORDER = ("nano", "micro", "mid", "macro", "mega")
RATIOS = ("cpe", "cpm", "cpc", "cpa", "roas")


@dataclass(frozen=True)
class DealResult:
    """What one deal cost and delivered, in the campaign currency (the input to every outcome)."""

    deal_id: int
    handle: str
    platform: str
    tier: str | None
    followers: int | None
    spend_parts: Mapping[str, float]
    reach: float | None
    engagements: float | None
    clicks: int
    order_values: tuple[float, ...]  # net revenue of each counted order
    live: bool = True  # content went live (reach/engagement figures are meaningful)
    sessions: float | None = None
    analytics_conversions: float | None = None

    @property
    def spend(self) -> float:
        return float(sum(self.spend_parts.get(p, 0.0) for p in SPEND_PARTS))


@dataclass
class Draws:
    """Bootstrap draws of one group's five ratios (kept for comparisons between tiers)."""

    values: dict[str, npt.NDArray[np.float64]] = field(default_factory=dict)


def _ratio(num: float, den: float | None, scale: float = 1.0) -> float | None:
    if den is None or den <= 0:
        return None
    return num / den * scale


def outcome(
    key: str,
    deals: Sequence[DealResult],
    *,
    draws: int = 2000,
    level: float = 0.95,
    seed: int = 0,
    tier: str | None = None,
    platform: str | None = None,
) -> tuple[Outcome, Draws]:
    """The group's totals, its five ratios with percentile intervals, and the draws behind them."""
    import numpy as np

    spend = float(sum(d.spend for d in deals))
    parts = {p: float(sum(d.spend_parts.get(p, 0.0) for d in deals)) for p in SPEND_PARTS}
    reach = _sum_known([d.reach for d in deals])
    eng = _sum_known([d.engagements for d in deals])
    clicks = sum(d.clicks for d in deals)
    orders = sum(len(d.order_values) for d in deals)
    revenue = float(sum(sum(d.order_values) for d in deals))
    point = {
        "cpe": _ratio(spend, eng),
        "cpm": _ratio(spend, reach, 1000.0),
        "cpc": _ratio(spend, clicks),
        "cpa": _ratio(spend, orders),
        "roas": _ratio(revenue, spend),
    }
    sampled = _bootstrap(deals, draws, np.random.default_rng(seed)) if deals else None
    estimates: dict[str, Estimate] = {}
    kept = Draws()
    for name in RATIOS:
        if point[name] is None or sampled is None:
            estimates[name] = Estimate(point[name])
            continue
        arr = sampled[name]
        kept.values[name] = arr
        estimates[name] = _interval(point[name], arr, level)
    sessions = _sum_known([d.sessions for d in deals])
    conversions = _sum_known([d.analytics_conversions for d in deals])
    return (
        Outcome(
            key=key,
            creators=len(deals),
            spend=spend,
            spend_parts=parts,
            reach=reach,
            engagements=eng,
            clicks=clicks,
            orders=orders,
            revenue=revenue,
            cpe=estimates["cpe"],
            cpm=estimates["cpm"],
            cpc=estimates["cpc"],
            cpa=estimates["cpa"],
            roas=estimates["roas"],
            tier=tier,
            platform=platform,
            sessions=sessions,
            analytics_conversions=conversions,
        ),
        kept,
    )


def _sum_known(values: Sequence[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return float(sum(known)) if known else None


def _interval(value: float | None, arr: npt.NDArray[np.float64], level: float) -> Estimate:
    import numpy as np

    tail = (1 - level) / 2
    finite = np.where(np.isfinite(arr), arr, np.inf)
    low = float(np.quantile(finite, tail, method="lower"))
    high = float(np.quantile(finite, 1 - tail, method="higher"))
    return Estimate(
        value,
        low if np.isfinite(low) else None,
        high if np.isfinite(high) else None,
    )


def _bootstrap(
    deals: Sequence[DealResult], b: int, rng: np.random.Generator
) -> dict[str, npt.NDArray[np.float64]]:
    import numpy as np

    n = len(deals)
    idx = rng.integers(0, n, size=(b, n)) if n > 1 else np.zeros((b, 1), dtype=np.int64)
    spend = np.array([d.spend for d in deals])[idx].sum(axis=1)

    def counts(values: list[float | None]) -> npt.NDArray[np.float64] | None:
        if all(v is None for v in values):
            return None
        lam = np.array([v or 0.0 for v in values])[idx]
        drawn: npt.NDArray[np.float64] = rng.poisson(lam).sum(axis=1).astype(float)
        return drawn

    reach = counts([d.reach for d in deals])
    eng = counts([d.engagements for d in deals])
    clicks = counts([float(d.clicks) for d in deals])
    k = np.array([len(d.order_values) for d in deals])
    orders_per_slot = rng.poisson(k[idx])  # (b, n)
    flat_creator = np.repeat(idx.ravel(), orders_per_slot.ravel())
    slot_of_draw = np.repeat(np.arange(b * n), orders_per_slot.ravel())
    offsets = np.concatenate([[0], np.cumsum(k)[:-1]])
    values = np.array([v for d in deals for v in d.order_values], dtype=float)
    per_slot: npt.NDArray[np.float64]
    if flat_creator.size:
        pick = offsets[flat_creator] + np.floor(
            rng.random(flat_creator.size) * k[flat_creator]
        ).astype(np.int64)
        per_slot = np.bincount(slot_of_draw, weights=values[pick], minlength=b * n).astype(float)
    else:
        per_slot = np.zeros(b * n)
    revenue = per_slot.reshape(b, n).sum(axis=1)
    orders = orders_per_slot.sum(axis=1).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return {
            "cpe": spend / eng if eng is not None else np.full(b, np.inf),
            "cpm": spend / reach * 1000 if reach is not None else np.full(b, np.inf),
            "cpc": spend / clicks if clicks is not None else np.full(b, np.inf),
            "cpa": spend / orders,
            "roas": revenue / spend,
        }


def tier_key(tier: str | None) -> tuple[int, str]:
    name = tier or "unknown"
    return (TIER_ORDER.index(name) if name in TIER_ORDER else len(TIER_ORDER), name)


_PHRASES = {
    "cpe": ("delivered engagements at", "per engagement", "cheaper"),
    "cpm": ("reached people at", "per thousand reached", "cheaper"),
    "cpc": ("delivered clicks at", "per click", "cheaper"),
    "cpa": ("delivered orders at", "per order", "cheaper"),
    "roas": ("returned", "in revenue per unit of spend (ROAS)", "more profitable"),
}


def number(x: float) -> str:
    """Two significant digits below 0.1 (a cost per click can be $0.0016), two decimals below
    100, none above."""
    if x != 0 and abs(x) < 0.1:
        return f"{x:.2g}"
    return f"{x:,.2f}" if abs(x) < 100 else f"{x:,.0f}"


def money(x: float, currency: str) -> str:
    symbol = {"USD": "$", "EUR": "€", "GBP": "£"}.get(currency.upper())
    text = number(x)
    return f"{symbol}{text}" if symbol else f"{text} {currency.upper()}"


def _fmt(metric: str, x: float | None, currency: str, with_unit: bool) -> str:
    if x is None:
        return "unbounded"
    if metric == "roas":
        return f"{x:.2f}"
    return money(x, currency) if with_unit else number(x)


def _ci(metric: str, e: Estimate, currency: str, level: float, label: bool) -> str:
    lo = _fmt(metric, e.low, currency, False)
    hi = _fmt(metric, e.high, currency, False)
    return f"({level:.0%} CI {lo}-{hi})" if label else f"({lo}-{hi})"


def compare(
    a: Outcome,
    a_draws: Draws,
    b: Outcome,
    b_draws: Draws,
    currency: str,
    level: float = 0.95,
) -> list[str]:
    """Plain sentences comparing two tiers on every ratio both could measure."""
    import numpy as np

    out = []
    for metric in RATIOS:
        ea, eb = getattr(a, metric), getattr(b, metric)
        if ea.value is None or eb.value is None:
            continue
        verb, unit, better = _PHRASES[metric]
        sentence = (
            f"{a.key} creators {verb} {_fmt(metric, ea.value, currency, True)} {unit} "
            f"{_ci(metric, ea, currency, level, True)} against {_fmt(metric, eb.value, currency, True)} "
            f"{_ci(metric, eb, currency, level, False)} for {b.key}"
        )
        da, db = a_draws.values.get(metric), b_draws.values.get(metric)
        if da is not None and db is not None:
            with np.errstate(invalid="ignore"):
                a_wins = float(np.mean(da > db if metric == "roas" else da < db))
                b_wins = float(np.mean(db > da if metric == "roas" else db < da))
            leader, p = (a.key, a_wins) if a_wins >= b_wins else (b.key, b_wins)
            if p == 0:
                sentence += "; no difference in any bootstrap resample"
            elif p < 0.9:
                sentence += (
                    f"; no clear difference ({leader} {better} in {p:.0%} of bootstrap resamples)"
                )
            else:
                sentence += f"; {leader} was {better} in {p:.0%} of bootstrap resamples"
        if min(a.creators, b.creators) < 3:
            sentence += f" (only {a.creators} and {b.creators} creator(s): the intervals mostly reflect count noise)"
        out.append(sentence + ".")
    return out
