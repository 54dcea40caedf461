"""A backtest: choose on what was known before a date, score on what happened after it.

``BacktestRequest`` is what every interface builds (``Workspace.backtest``); ``BacktestResult`` is
what the facade returns: the selections (the plan and the rules of thumb) with their realised
value per dollar and bootstrap intervals, every scored creator, and the calibration of the
plan's model. Money is in the brief's currency; rates are fractions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from creatormix.domain.brief import Brief
from creatormix.domain.plan import Quantiles

# The selections a backtest compares, in the order they are shown.
PLAN = "plan"
TOP_FOLLOWERS = "top-followers"
TOP_RAW_ER = "top-raw-er"
TOP_SHRUNK_ER = "top-shrunk-er"
RANDOM = "random"
CAMPAIGN = "campaign"  # the brand's own selection: one per campaign, ``campaign:<slug>``


@dataclass(frozen=True)
class BacktestRequest:
    """A backtest to run (``Workspace.backtest``).

    The brief is built as ``PlanRequest``'s is (``brief`` or ``brief_file`` with ``overrides``,
    dotted keys with raw values). ``as_of`` is a date (``2017-10-01``) or a datetime; the choice
    sees only data dated before it. ``horizon`` is how long after it the posts are scored
    (``90d``, ``6w``, ``3m`` = 90 days, or days as a number). ``campaigns`` names the brand's
    own selections to score (ids, names or slugs); None scores every campaign of the workspace.
    """

    as_of: str | datetime
    horizon: str | int = "90d"
    brief: Brief | None = None
    brief_file: Path | None = None
    overrides: Mapping[str, Any] = field(default_factory=dict)
    campaigns: tuple[str, ...] | None = None
    random_draws: int = 200  # random selections within the budget
    bootstrap: int = 2000  # resamples of the creators of each selection
    level: float = 0.95  # central interval of the bootstraps
    seed: int = 0
    time_limit: float = 20.0  # seconds the optimiser may take
    html: Path | None = None  # the report as one self-contained HTML page


@dataclass(frozen=True)
class Interval:
    """A bootstrap estimate: the value on the data and its central interval at ``level``."""

    value: float
    low: float
    high: float


@dataclass(frozen=True)
class Comparison:
    """The plan's realised value per dollar over a selection's, with its bootstrap interval.

    ``verdict``: "plan better" when the whole interval is above 1, "plan worse" when below,
    "no clear difference" when it contains 1.
    """

    ratio: Interval
    verdict: str


@dataclass(frozen=True)
class PostedOnly:
    """A selection scored on its creators that published in the horizon only, at their cost.

    A diagnostic, never the headline: it knows who posted, which no choice could have. It answers
    "when a chosen creator's posts are seen, how much did they bring per dollar", the question
    that matters where the data lacks posts that were published (a sample, a trending list)."""

    creators: int
    cost: float
    per_dollar: Interval
    versus_plan: Comparison | None = None


@dataclass(frozen=True)
class SelectionScore:
    """One selection (the plan, a rule of thumb, the brand's own) and what it delivered."""

    key: str  # PLAN, TOP_FOLLOWERS, ... or "campaign:<slug>"
    label: str  # in words: "top by followers within budget"
    rule: str  # how it chooses, one sentence
    creators: int
    cost: float  # committed cost, by the same cost model for every selection
    budget_used: float  # cost / budget
    predicted: float  # the model's expected value of the selection (the plan's goal metric)
    realised: float  # what the chosen creators' posts in the horizon delivered
    per_dollar: Interval  # realised / cost, bootstrap over the selection's creators
    posted: int  # creators with at least one measured post in the horizon
    views: float | None = None  # realised views (where the platform reports them)
    views_per_dollar: Interval | None = None
    versus_plan: Comparison | None = None  # None for the plan itself
    members: tuple[str, ...] = ()  # "platform:handle" of the creators chosen
    # random selections: the spread of value per dollar over the draws
    spread: Quantiles | None = None  # mean, P10, P50, P90 of per-dollar over the draws
    sd: float | None = None
    draws: int = 0
    beats_share: float | None = None  # share of random draws the plan's per-dollar beats
    posted_only: PostedOnly | None = None  # None when none of its creators posted


@dataclass(frozen=True)
class CreatorBacktest:
    """One eligible creator: its as-of facts, the model's prediction and what happened."""

    platform: str
    handle: str
    tier: str | None
    followers: float | None  # as of the date
    cost: float
    er_raw: float | None  # mean ER of its posts before the date, in its platform's basis (None: no
    # measured post)
    er_shrunk: float | None
    er_realised: float | None  # the same in the horizon (per view, or per as-of follower)
    predicted: Quantiles  # the model's distribution of the goal metric for the pieces bought
    realised: float  # the first pieces' value in the horizon (missing pieces count zero)
    views: float | None
    posts_before: int  # measured posts before the date
    posts_after: int  # measured posts in the horizon
    inside_band: bool  # realised within P10-P90
    selections: tuple[str, ...] = ()  # the selection keys that chose it


@dataclass(frozen=True)
class Calibration:
    """How well the model's bands and the shrunk engagement rate held on the later posts."""

    level: float  # nominal coverage of the band: 0.8 for P10-P90
    picks_inside: int
    picks: int
    creators_inside: int  # every eligible creator
    creators: int
    posted_inside: int  # eligible creators who posted every piece in the horizon
    posted: int
    below: int  # eligible creators below P10 (above P90 is the rest)
    above: int
    plan_total: Quantiles | None  # the plan's total by its own Monte Carlo
    plan_realised: float = 0.0
    mae_creators: int = 0  # creators with measured posts before and after the date
    mae_shrunk: float | None = None
    mae_raw: float | None = None
    mae_difference: Interval | None = None  # shrunk - raw, paired bootstrap over creators

    @property
    def share_inside(self) -> float | None:
        return self.creators_inside / self.creators if self.creators else None


@dataclass(frozen=True)
class TargetCheck:
    """A target the method is held to, measured: met, missed or not measurable here."""

    name: str
    target: str
    met: bool | None  # None: could not be measured (no such selection, no creators)
    interval: Interval | None  # the measured value with its interval (a share has none)


@dataclass(frozen=True)
class BacktestResult:
    """Everything a backtest found (``Workspace.backtest``)."""

    as_of: datetime
    horizon_end: datetime
    horizon_days: int
    brief: Brief
    metric: str  # "engagements" or "views": what realised value counts
    unit: str
    pieces: int  # pieces of content bought per creator
    budget: float
    currency: str
    catalog: Mapping[str, int]  # creators known at the date, eligible, posts before, posts after
    selections: tuple[SelectionScore, ...]
    creators: tuple[CreatorBacktest, ...]
    calibration: Calibration
    targets: tuple[TargetCheck, ...]
    notes: tuple[str, ...]
    level: float
    bootstrap: int
    seed: int
    plan_notes: tuple[str, ...] = ()
    model_versions: Mapping[str, str] = field(default_factory=dict)

    def selection(self, key: str) -> SelectionScore | None:
        return next((s for s in self.selections if s.key == key), None)
