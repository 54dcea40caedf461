"""Monte Carlo over the per-creator distributions: plan totals as P10/P50/P90 and target odds.

Each scenario draws, for every chosen creator,

* whether it delivers (Bernoulli with the deal's probability: gifts are not always posted);
* one *performance* shock shared by its reach and its engagements (a post that travels further
  also collects more engagements): lognormal with the creator's log-sd;
* one *response* shock shared by its click, conversion and follow rates (an audience that clicks
  also buys): lognormal with ``sigma_response``;

and, once per scenario for each platform x tier, the level of every rate that comes from a prior
(reach per follower where views are not measured, click, conversion and follow rates): the
uncertainty of a published benchmark is shared by every creator it prices, which is why plans of
many similar creators are not as certain as independent draws would suggest. Every factor has
mean 1, so the scenario mean matches the analytic expectation.

Everything is vectorised over (scenarios x creators) in float32, in chunks of scenarios.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from creatormix.domain.plan import Quantiles
from creatormix.planning.outcomes import ALL_METRICS, AUDIENCE, METRICS, Outcomes

_CHUNK_CELLS = 8_000_000


@dataclass(frozen=True)
class Draws:
    """The chosen creators' distributions, gathered into flat arrays (one entry per creator)."""

    mean: dict[str, np.ndarray]
    probability: np.ndarray
    pieces: np.ndarray
    sigma_reach: np.ndarray
    sigma_eng: np.ndarray
    sigma_response: float
    reach_prior: np.ndarray  # bool: reach rate from the prior (shares the group shock)
    group: np.ndarray
    group_sigma: dict[str, np.ndarray]

    @property
    def n(self) -> int:
        return len(self.probability)


def gather(
    outcomes: dict[int, Outcomes],
    creator: np.ndarray,
    pieces: np.ndarray,
    probability: np.ndarray,
) -> Draws:
    """Pick each chosen creator's distributions from the outcome set for its number of pieces."""
    n = len(creator)
    first = next(iter(outcomes.values()))
    mean = {m: np.zeros(n) for m in ALL_METRICS}
    sr = np.zeros(n)
    se = np.zeros(n)
    prior = np.zeros(n, dtype=bool)
    for k, out in outcomes.items():
        sel = pieces == k
        if not sel.any():
            continue
        c = creator[sel]
        for m in ALL_METRICS:
            mean[m][sel] = out.mean[m][c]
        sr[sel] = out.sigma_reach[c]
        se[sel] = out.sigma_eng[c]
        prior[sel] = ~out.reach_measured[c]
    return Draws(
        mean=mean,
        probability=np.asarray(probability, dtype=float),
        pieces=np.asarray(pieces, dtype=float),
        sigma_reach=sr,
        sigma_eng=se,
        sigma_response=first.sigma_response,
        reach_prior=prior,
        group=first.group[creator],
        group_sigma=first.group_sigma,
    )


@dataclass(frozen=True)
class Simulation:
    totals: dict[str, np.ndarray]  # metric -> (S,) plan total per scenario
    per_creator: dict[str, np.ndarray]  # metric -> (S, n), only for metrics asked to keep

    def quantiles(self, metric: str) -> Quantiles:
        return summarize(self.totals[metric])

    def creator_quantiles(self, metric: str, i: int) -> Quantiles:
        return summarize(self.per_creator[metric][:, i])

    def probability_at_least(self, metric: str, target: float) -> float:
        return float(np.mean(self.totals[metric] >= target))


def summarize(values: np.ndarray) -> Quantiles:
    v = np.asarray(values, dtype=float)
    if not len(v):
        return Quantiles(0.0, 0.0, 0.0, 0.0)
    p10, p50, p90 = np.quantile(v, [0.1, 0.5, 0.9])
    return Quantiles(float(v.mean()), float(p10), float(p50), float(p90))


def _unit_lognormal(z: np.ndarray, sigma: np.ndarray | float | np.floating[Any]) -> np.ndarray:
    """exp(sigma z - sigma^2 / 2), mean 1, computed in place on a new array."""
    s = np.asarray(sigma, dtype=np.float32)
    out = z * s
    out -= np.float32(0.5) * s * s
    np.exp(out, out=out)
    return out


def simulate(
    d: Draws,
    *,
    scenarios: int = 4000,
    seed: int = 0,
    metrics: Sequence[str] = METRICS,
    keep: Sequence[str] = (),
    reach_scale: float | np.ndarray = 1.0,
    audience_scale: float | np.ndarray = 1.0,
    aov: float = 0.0,
) -> Simulation:
    """Draw ``scenarios`` plans. ``reach_scale`` turns summed reach into unique reach (overlap),
    ``audience_scale`` summed audiences into the unique audience: a number, or one per scenario
    when the overlap itself is an estimate with an error (follower samples).

    The audience of a creator that delivers is its real followers in the target, known from its
    follower count, fake share and fit: only delivery and the overlap vary between scenarios.
    """
    rng = np.random.default_rng(seed)
    n = d.n
    want = set(metrics) | set(keep)
    totals = {m: np.zeros(scenarios) for m in want}
    kept = {m: np.zeros((scenarios, n), dtype=np.float32) for m in keep}
    if n == 0:
        return Simulation(totals, kept)
    chunk = max(1, _CHUNK_CELLS // max(n, 1))
    mean = {m: d.mean[m].astype(np.float32) for m in ALL_METRICS if m in d.mean}
    uncertain = np.flatnonzero(d.probability < 1.0)
    prior = d.reach_prior
    with np.errstate(divide="ignore", invalid="ignore"):
        ctr = np.where(mean["reach"] > 0, mean["clicks"] / mean["reach"], 0).astype(np.float32)
        cvr = np.where(mean["clicks"] > 0, mean["conversions"] / mean["clicks"], 0).astype(
            np.float32
        )
        fol = np.where(mean["reach"] > 0, mean["followers_gained"] / mean["reach"], 0).astype(
            np.float32
        )
    sig = np.float32(d.sigma_response)
    # the conversion shock is the click shock doubled (one audience response): e^(2sz - 2s^2) =
    # (e^(sz - s^2/2))^2 * e^(-s^2), so it costs a multiplication, not another exponential
    conv_fix = np.float32(np.exp(-(float(sig) ** 2)))
    for start in range(0, scenarios, chunk):
        s = min(chunk, scenarios - start)
        rows = slice(start, start + s)

        def group_factor(name: str, s: int = s) -> np.ndarray:
            g_sig = d.group_sigma[name].astype(np.float32)
            z = rng.standard_normal((s, len(g_sig)), dtype=np.float32)
            return _unit_lognormal(z, g_sig)[:, d.group]

        deliver = None
        if len(uncertain):
            deliver = np.ones((s, n), dtype=np.float32)
            u = rng.random((s, len(uncertain)), dtype=np.float32)
            deliver[:, uncertain] = u < d.probability[uncertain].astype(np.float32)
        z1 = rng.standard_normal((s, n), dtype=np.float32)
        reach = None
        if want & {"reach", "clicks", "conversions", "revenue", "followers_gained"}:
            reach = _unit_lognormal(z1, d.sigma_reach)
            reach *= mean["reach"]
            if prior.any():
                g = group_factor("reach_rate")
                reach *= np.where(prior, g, np.float32(1.0))
            if deliver is not None:
                reach *= deliver
            if "reach" in want:
                _store(totals, kept, "reach", rows, reach, _rows_of(reach_scale, rows))
        if "engagements" in want:
            eng = _unit_lognormal(z1, d.sigma_eng)
            eng *= mean["engagements"]
            if deliver is not None:
                eng *= deliver
            _store(totals, kept, "engagements", rows, eng)
        if want & {"clicks", "conversions", "revenue", "followers_gained"} and reach is not None:
            z2 = rng.standard_normal((s, n), dtype=np.float32)
            shock = _unit_lognormal(z2, sig)
            del z2
            if want & {"clicks", "conversions", "revenue"}:
                clicks = reach * shock
                clicks *= ctr
                clicks *= group_factor("click_rate")
                if "clicks" in want:
                    _store(totals, kept, "clicks", rows, clicks)
                if want & {"conversions", "revenue"}:
                    conv = clicks * shock
                    conv *= cvr * conv_fix
                    conv *= group_factor("conversion_rate")
                    if "conversions" in want:
                        _store(totals, kept, "conversions", rows, conv)
                    if "revenue" in want:
                        conv *= np.float32(aov)
                        _store(totals, kept, "revenue", rows, conv)
            if "followers_gained" in want:
                f = reach * shock
                f *= fol
                f *= group_factor("follow_rate")
                _store(totals, kept, "followers_gained", rows, f)
        if AUDIENCE in want and AUDIENCE in mean:
            aud = np.broadcast_to(mean[AUDIENCE], (s, n))
            aud = aud * deliver if deliver is not None else np.array(aud)
            _store(totals, kept, AUDIENCE, rows, aud, _rows_of(audience_scale, rows))
        if "content" in want:
            content = np.broadcast_to(d.pieces.astype(np.float32), (s, n))
            if deliver is not None:
                content = content * deliver
            _store(totals, kept, "content", rows, np.asarray(content))
    return Simulation(totals, kept)


def _rows_of(scale: float | np.ndarray, rows: slice) -> float | np.ndarray:
    """The scale of the scenarios in ``rows`` (a number applies to all)."""
    return scale[rows] if isinstance(scale, np.ndarray) else scale


def _store(
    totals: dict[str, np.ndarray],
    kept: dict[str, np.ndarray],
    metric: str,
    rows: slice,
    values: np.ndarray,
    scale: float | np.ndarray = 1.0,
) -> None:
    if metric in totals:
        totals[metric][rows] = values.sum(axis=1, dtype=np.float64) * scale
    if metric in kept:
        kept[metric][rows] = values
