"""Results and ROI with bootstrap intervals, per creator, per tier and per campaign.

Uncertainty comes from two places and the bootstrap resamples both (docs/attribution.md):

* which creators a tier happened to get: creators are resampled with replacement within the group;
* count noise inside each creator: reach, engagements and clicks are redrawn as Poisson counts
  around what was measured, orders as a Poisson number of draws from the creator's own order values
  (the compound-Poisson bootstrap).

Spend is known exactly and is not resampled. Intervals are percentile intervals; a cost per unit
whose denominator is zero in too many resamples has no upper bound (``unbounded``).

A ratio is computed over the creators it can be measured on: those with recorded spend whose
denominator is measured (reach for CPM, engagements for CPE; clicks, orders and revenue are counted
for every deal). Spend of the others is left out of that ratio, never divided by someone else's
reach, and ``Estimate.measured_on`` says how many creators the ratio rests on.
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
_SIGNIFICANT = 8  # ratios are kept to 8 significant digits: no float noise in JSON and CSV


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
    pending_values: tuple[float, ...] = ()  # attributed orders not paid yet: not revenue
    bot_clicks: int = 0  # left out of ``clicks``
    click_orders: int = 0  # counted orders that came through the deal's link (the rest: code only)

    @property
    def spend(self) -> float:
        return float(sum(self.spend_parts.get(p, 0.0) for p in SPEND_PARTS))


@dataclass
class Draws:
    """Bootstrap draws of one group's five ratios (kept for comparisons between tiers)."""

    values: dict[str, npt.NDArray[np.float64]] = field(default_factory=dict)


def measured(d: DealResult, metric: str) -> bool:
    """Whether ``d`` takes part in ``metric``: recorded spend and a measured denominator."""
    if d.spend <= 0:
        return False
    if metric == "cpe":
        return d.engagements is not None
    if metric == "cpm":
        return d.reach is not None
    return True


def _unmeasured_reason(deals: Sequence[DealResult], metric: str) -> str:
    if metric in ("cpe", "cpm"):
        unit = "engagements" if metric == "cpe" else "reach"
        if all(getattr(d, unit) is None for d in deals):
            return f"{unit} not measured"
    return "no spend recorded"


_UNITS = {"cpe": "engagements", "cpm": "reach", "cpc": "clicks", "cpa": "orders"}


def _sums(deals: Sequence[DealResult]) -> dict[str, float]:
    return {
        "spend": float(sum(d.spend for d in deals)),
        "engagements": float(sum(d.engagements or 0.0 for d in deals)),
        "reach": float(sum(d.reach or 0.0 for d in deals)),
        "clicks": float(sum(d.clicks for d in deals)),
        "orders": float(sum(len(d.order_values) for d in deals)),
        "revenue": float(sum(sum(d.order_values) for d in deals)),
    }


def _point(metric: str, s: Mapping[str, float]) -> float | None:
    if metric == "roas":
        return s["revenue"] / s["spend"] if s["spend"] > 0 else None
    den = s[_UNITS[metric]]
    if den <= 0:
        return None
    return s["spend"] / den * (1000.0 if metric == "cpm" else 1.0)


def _sig(x: float) -> float:
    return float(f"{x:.{_SIGNIFICANT}g}")


def cents(x: float) -> float:
    """Money as reported: rounded to cents (sums of floats carry noise such as 495.00000000000006)."""
    return round(x, 2) + 0.0  # + 0.0 turns -0.0 into 0.0


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

    rng = np.random.default_rng(seed)
    parts = {p: cents(sum(d.spend_parts.get(p, 0.0) for d in deals)) for p in SPEND_PARTS}
    total = _sums(deals)
    estimates: dict[str, Estimate] = {}
    kept = Draws()
    sampled: dict[tuple[int, ...], dict[str, npt.NDArray[np.float64]]] = {}
    for name in RATIOS:
        basis = [d for d in deals if measured(d, name)]
        if not basis:
            estimates[name] = Estimate(None, reason=_unmeasured_reason(deals, name))
            continue
        value = _point(name, _sums(basis))
        if value is None:
            unit = _UNITS.get(name, "revenue")
            estimates[name] = Estimate(None, measured_on=len(basis), reason=f"no {unit}")
            continue
        ids = tuple(d.deal_id for d in basis)
        if ids not in sampled:
            sampled[ids] = _bootstrap(basis, draws, rng)
        arr = sampled[ids][name]
        kept.values[name] = arr
        estimates[name] = _interval(value, arr, level, len(basis))
    return (
        Outcome(
            key=key,
            creators=len(deals),
            spend=cents(total["spend"]),
            spend_parts=parts,
            reach=_sum_known([d.reach for d in deals]),
            engagements=_sum_known([d.engagements for d in deals]),
            clicks=int(total["clicks"]),
            orders=int(total["orders"]),
            revenue=cents(total["revenue"]),
            cpe=estimates["cpe"],
            cpm=estimates["cpm"],
            cpc=estimates["cpc"],
            cpa=estimates["cpa"],
            roas=estimates["roas"],
            tier=tier,
            platform=platform,
            sessions=_sum_known([d.sessions for d in deals]),
            analytics_conversions=_sum_known([d.analytics_conversions for d in deals]),
            pending_orders=sum(len(d.pending_values) for d in deals),
            pending_revenue=cents(sum(sum(d.pending_values) for d in deals)),
            bot_clicks=sum(d.bot_clicks for d in deals),
        ),
        kept,
    )


def _sum_known(values: Sequence[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return float(sum(known)) if known else None


def _interval(value: float, arr: npt.NDArray[np.float64], level: float, n: int) -> Estimate:
    import numpy as np

    tail = (1 - level) / 2
    finite = np.where(np.isfinite(arr), arr, np.inf)
    low = float(np.quantile(finite, tail, method="lower"))
    high = float(np.quantile(finite, 1 - tail, method="higher"))
    return Estimate(
        _sig(value),
        _sig(low) if np.isfinite(low) else None,
        _sig(high) if np.isfinite(high) else None,
        unbounded=not np.isfinite(high),
        measured_on=n,
    )


def _bootstrap(
    deals: Sequence[DealResult], b: int, rng: np.random.Generator
) -> dict[str, npt.NDArray[np.float64]]:
    """``b`` resamples of the five ratios over ``deals`` (all of which have recorded spend)."""
    import numpy as np

    n = len(deals)
    idx = rng.integers(0, n, size=(b, n)) if n > 1 else np.zeros((b, 1), dtype=np.int64)
    spend = np.array([d.spend for d in deals])[idx].sum(axis=1)

    def counts(values: list[float]) -> npt.NDArray[np.float64]:
        lam = np.array(values)[idx]
        drawn: npt.NDArray[np.float64] = rng.poisson(lam).sum(axis=1).astype(float)
        return drawn

    reach = counts([d.reach or 0.0 for d in deals])
    eng = counts([d.engagements or 0.0 for d in deals])
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
            "cpe": spend / eng,
            "cpm": spend / reach * 1000,
            "cpc": spend / clicks,
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


def _ci(metric: str, e: Estimate, of: int, currency: str, level: float, label: bool) -> str:
    lo = _fmt(metric, e.low, currency, False)
    hi = _fmt(metric, e.high, currency, False)
    basis = f"; measured on {e.measured_on} of {of} creators" if e.measured_on < of else ""
    return f"({level:.0%} CI {lo}-{hi}{basis})" if label else f"({lo}-{hi}{basis})"


def basis_note(e: Estimate, of: int) -> str:
    """ "measured on 1 of 3 creators", "not measured" or "" (every creator counted)."""
    if e.value is None:
        return e.reason or "not measured"
    return f"measured on {e.measured_on} of {of} creators" if e.measured_on < of else ""


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
            f"{_ci(metric, ea, a.creators, currency, level, True)} against "
            f"{_fmt(metric, eb.value, currency, True)} "
            f"{_ci(metric, eb, b.creators, currency, level, False)} for {b.key}"
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
        if min(ea.measured_on, eb.measured_on) < 3:
            sentence += (
                f" (only {ea.measured_on} and {eb.measured_on} creator(s) measured: "
                "the intervals mostly reflect count noise)"
            )
        out.append(sentence + ".")
    return out
