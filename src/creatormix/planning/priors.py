"""Rate priors by platform x tier, and how published figures, overrides and the brand's data combine.

Every rate the outcome model needs (reach per follower, engagements per follower, clicks per person
reached, orders per click, brand followers per person reached, code-only orders per person
reached) has a Beta prior per platform x
tier: a mean and a *strength* (how many observations it is worth). The rule, in order:

1. **Published** figures (``domain.plan_benchmarks``, ``domain.benchmarks``), each with its source;
   a rate no publication gives (the follow rate) is an *assumption* and labelled so.
2. **Workspace overrides** replace the published prior for a platform x tier x metric (the user's
   own knowledge: "our micro creators click at 2 %").
3. **Learned rates** from the brand's campaigns (``domain.plan.LearnedRate``, one row per
   creator and campaign: successes out of trials) update the prior by the conjugate
   Beta-Binomial rule with each creator's evidence capped (see ``update``): the number of
   creators, not their impressions, sets how far the brand's results move the prior. One
   creator's 3 million followers describe that creator well and the next creator hardly at all.

A plan lists every prior it used with its origin, so a reader sees which came from the brand's own
results.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from creatormix.domain import benchmarks
from creatormix.domain import plan_benchmarks as pb
from creatormix.domain.numbers import quantity
from creatormix.domain.plan import LearnedRate

METRICS = (
    "reach_rate",
    "engagement_rate",
    "click_rate",
    "conversion_rate",
    "follow_rate",
    "code_rate",
)
LEARNABLE = ("reach_rate", "engagement_rate", "click_rate", "conversion_rate", "code_rate")
DEFAULT_LEARNED_CAP = 1000.0  # at most this many trials per creator (setting planning.learned_cap)
PRIOR_CREATORS = 10.0  # a prior weighs as much as the results of this many creators


@dataclass(frozen=True)
class RatePrior:
    """A Beta prior on one rate for one platform x tier."""

    platform: str
    tier: str
    metric: str
    mean: float
    strength: float
    origin: str  # "published", "assumption" (no published figure), "workspace", "learned"
    source: str

    @property
    def alpha(self) -> float:
        return self.mean * self.strength

    @property
    def beta(self) -> float:
        return (1.0 - self.mean) * self.strength

    @property
    def cv(self) -> float:
        """Coefficient of variation of the Beta: how unsure the prior is about the rate's level."""
        m = self.mean
        if m <= 0:
            return 0.0
        var = m * (1 - m) / (self.strength + 1.0)
        return math.sqrt(var) / m


@dataclass(frozen=True)
class PriorOverride:
    """A workspace setting that replaces the published prior (tier or platform may be "*")."""

    platform: str
    tier: str
    metric: str
    mean: float
    strength: float = 50.0
    note: str = ""

    def matches(self, platform: str, tier: str, metric: str) -> bool:
        return (
            self.metric == metric and self.platform in {platform, "*"} and self.tier in {tier, "*"}
        )

    def to_json(self) -> dict[str, object]:
        return {
            "platform": self.platform,
            "tier": self.tier,
            "metric": self.metric,
            "mean": self.mean,
            "strength": self.strength,
            "note": self.note,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> PriorOverride:
        return cls(
            platform=str(data["platform"]),
            tier=str(data["tier"]),
            metric=str(data["metric"]),
            mean=float(data["mean"]),  # type: ignore[arg-type]
            strength=float(data.get("strength", 50.0)),  # type: ignore[arg-type]
            note=str(data.get("note", "")),
        )


def count(x: float) -> str:
    """A count as people read it in full: 12,000 (never 1.2e+04), 12.5 when it is fractional."""
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}".rstrip("0")


def validate_override(o: PriorOverride) -> str | None:
    """A reason the override is unusable, or None."""
    if o.metric not in METRICS:
        return f"unknown metric {o.metric!r} (known: {', '.join(METRICS)})"
    if o.tier != "*" and o.tier not in pb.TIERS:
        return f"unknown tier {o.tier!r} (known: {', '.join(pb.TIERS)} or *)"
    if not 0 < o.mean < 1:
        return f"a rate lies strictly between 0 and 1, got {o.mean}"
    if o.strength <= 0:
        return f"strength must be positive, got {o.strength}"
    return None


def strength_for(mean: float, cv: float) -> float:
    """The Beta strength (alpha + beta) whose coefficient of variation is ``cv`` at ``mean``."""
    return max(2.0, (1.0 - mean) / (mean * cv * cv) - 1.0)


def published(platform: str, tier: str, metric: str) -> RatePrior:
    """The published prior for one platform x tier x metric (platforms without data borrow Instagram's)."""
    if metric == "reach_rate":
        table = pb.REACH_RATE.get(platform, pb.REACH_RATE["instagram"])
        mean, source = table[tier], pb.REACH_RATE_SOURCE
        strength = strength_for(mean, pb.REACH_RATE_CV)
    elif metric == "engagement_rate":
        mean = benchmarks.published_er(platform, tier)
        strength, source = benchmarks.DEFAULT_KAPPA, benchmarks.ENGAGEMENT_RATE_SOURCE
    elif metric == "click_rate":
        mean = pb.CLICK_RATE.get(platform, pb.CLICK_RATE["instagram"])
        strength, source = strength_for(mean, pb.CLICK_RATE_CV), pb.CLICK_RATE_SOURCE
    elif metric == "conversion_rate":
        mean = pb.CONVERSION_RATE.get(platform, pb.CONVERSION_RATE_DEFAULT)
        strength, source = strength_for(mean, pb.CONVERSION_RATE_CV), pb.CONVERSION_RATE_SOURCE
    elif metric == "follow_rate":
        mean, source = pb.FOLLOW_RATE, pb.FOLLOW_RATE_SOURCE
        strength = strength_for(mean, pb.FOLLOW_RATE_CV)
    elif metric == "code_rate":
        mean, source = pb.CODE_RATE, pb.CODE_RATE_SOURCE
        strength = strength_for(mean, pb.CODE_RATE_CV)
    else:
        raise KeyError(metric)
    if platform not in pb.REACH_RATE and metric in {"reach_rate", "engagement_rate"}:
        source += f" (no {platform} figure: Instagram's)"
    origin = "assumption" if metric in pb.ASSUMED_RATES else "published"
    return RatePrior(platform, tier, metric, mean, strength, origin, source)


@dataclass
class PriorTable:
    """Priors on demand, with overrides and learned rates applied; remembers which were used."""

    overrides: Sequence[PriorOverride] = ()
    learned: Sequence[LearnedRate] = ()
    learned_cap: float = DEFAULT_LEARNED_CAP
    _cache: dict[tuple[str, str, str], RatePrior] = field(default_factory=dict)
    _used: dict[tuple[str, str, str], RatePrior] = field(default_factory=dict)

    def base(self, platform: str, tier: str, metric: str) -> RatePrior:
        """The prior before the brand's own results: an override if there is one, else published."""
        chosen = None
        for o in self.overrides:  # the most specific override wins
            if o.matches(platform, tier, metric):
                rank = (o.platform != "*") + (o.tier != "*")
                if chosen is None or rank >= chosen[0]:
                    chosen = (rank, o)
        if chosen is None:
            return published(platform, tier, metric)
        o = chosen[1]
        source = f"workspace override{': ' + o.note if o.note else ''}"
        return RatePrior(platform, tier, metric, o.mean, o.strength, "workspace", source)

    def get(self, platform: str, tier: str, metric: str, *, record: bool = True) -> RatePrior:
        key = (platform, tier, metric)
        if key not in self._cache:
            prior = self.base(platform, tier, metric)
            rows = [
                r
                for r in self.learned
                if r.platform == platform and r.tier == tier and r.metric == metric
            ]
            if rows:
                prior = update(prior, rows, cap=self.learned_cap)
            self._cache[key] = prior
        if record:
            self._used[key] = self._cache[key]
        return self._cache[key]

    def used(self) -> list[RatePrior]:
        return [self._used[k] for k in sorted(self._used)]


def update(prior: RatePrior, evidence: Iterable[LearnedRate], *, cap: float) -> RatePrior:
    """Conjugate Beta-Binomial update in which each creator's evidence is capped.

    Each row is one creator's counts on one campaign. Its weight is
    ``w_i = min(1, c / trials_i)`` with ``c = min(cap, strength / PRIOR_CREATORS)``, and
    ``alpha' = alpha + sum(w_i * successes_i)``, ``beta' = beta + sum(w_i * (trials_i -
    successes_i))``: a creator counts as at most ``c`` trials, a tenth of the prior's strength,
    so ten creators' results weigh as much as the published prior and a hundred outweigh it ten
    to one, however many followers each had. A creator with fewer trials than ``c`` counts in
    full (its own count noise is then the larger uncertainty).
    """
    per_creator = min(cap, prior.strength / PRIOR_CREATORS)
    alpha, beta = prior.alpha, prior.beta
    successes = trials = weighed = 0.0
    sources: list[str] = []
    creators = 0
    for r in evidence:
        t = max(0.0, r.trials)
        if t <= 0:
            continue
        s = min(max(0.0, r.successes), t)
        w = min(1.0, per_creator / t)
        alpha += w * s
        beta += w * (t - s)
        successes, trials, weighed = successes + s, trials + t, weighed + w * t
        creators += 1
        if r.source not in sources:
            sources.append(r.source)
    if creators == 0:
        return prior
    named = "; ".join(sources[:3]) + (f" and {len(sources) - 3} more" if len(sources) > 3 else "")
    return RatePrior(
        prior.platform,
        prior.tier,
        prior.metric,
        alpha / (alpha + beta),
        alpha + beta,
        "learned",
        f"{named} ({creators} creator(s): {count(successes)} of {count(trials)}, weighed as "
        f"{quantity(weighed)} trials against the prior's {quantity(prior.strength)}) over "
        f"{prior.origin} prior",
    )
