"""Backtests: the plan and the rules of thumb, chosen on the past and scored on what followed.

Pure, like the rest of the planner: the workspace hands over the catalog as it was on the date
(``PlanInputs`` of as-of candidates), the posts published in the horizon (``HorizonPosts``) and
the brand's own selections; ``run`` returns a ``BacktestResult``. docs/planning.md
("Backtest") has the method and the figures on public data.

* **One pool.** Every selection chooses among the creators the brief lets a plan choose from
  (``planner.eligible``), at the same committed cost (quote or rate card x pieces + outreach,
  ``costs``), within the same budget and creator cap.
* **The rules of thumb** fill the budget greedily in their own order: the most followers, the
  highest raw engagement rate (the mean of the creator's measured posts), the highest shrunk
  rate (the same creators, ranked by the shrunk rate); each takes the next creator that still
  fits. Random selections fill it in a random order, ``random_draws`` times.
* **Realised value.** The first ``pieces`` measured posts a creator published in the horizon
  stand for the pieces bought; a piece it did not publish counts zero, so a creator that did not
  post at all counts zero. A selection's value per dollar is its realised value over its cost.
* **Intervals.** Each selection's creators are resampled with replacement (``bootstrap`` times);
  the plan's value per dollar over another selection's is the ratio of two independent
  resamples, and the difference is real when its interval excludes 1.
* **Calibration.** Each creator's P10-P90 for the pieces bought (the outcome model's lognormal,
  the distribution the plan's Monte Carlo draws) against its realised value; and the shrunk
  engagement rate's mean absolute error on the later posts against the raw mean's.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

import numpy as np

from creatormix.domain import backtest as bt
from creatormix.domain.backtest import (
    BacktestResult,
    Calibration,
    Comparison,
    CreatorBacktest,
    Interval,
    PostedOnly,
    SelectionScore,
    TargetCheck,
)
from creatormix.domain.brief import Brief
from creatormix.domain.numbers import quantity
from creatormix.domain.plan import DealType, Goal, Quantiles
from creatormix.domain.plan_result import Plan
from creatormix.domain.query import Progress, no_progress
from creatormix.errors import InvalidOption
from creatormix.planning import costs
from creatormix.planning.candidates import Candidates
from creatormix.planning.outcomes import creator_outcomes
from creatormix.planning.planner import PlanInputs, eligible, make_plan

BACKTEST_VERSION = "backtest/1"
Z90 = 1.2815515655446004  # the standard normal's 90th percentile: P10-P90 is mean log +- Z90 sd
MAX_HORIZON_DAYS = 3660
_HORIZON = re.compile(r"^\s*(\d+)\s*([dwmy]?)\s*$", re.IGNORECASE)
_UNIT_DAYS = {"": 1, "d": 1, "w": 7, "m": 30, "y": 365}


@dataclass(frozen=True)
class Window:
    """The date the choice is made on and the horizon after it, [start, end)."""

    start: datetime
    end: datetime
    days: int


def window(as_of: str | datetime | date, horizon: str | int) -> Window:
    """The backtest's window from ``--as-of`` and ``--horizon`` (``90d``, ``6w``, ``3m``, ``1y``;
    a month is 30 days), in naive UTC as the store keeps times; a clear error otherwise."""
    start = _as_of(as_of)
    if isinstance(horizon, int):
        days = horizon
    else:
        m = _HORIZON.match(str(horizon))
        if not m:
            raise InvalidOption(
                f"--horizon {horizon!r}: expected days, weeks, months or years such as 90d, 6w, 3m"
            )
        days = int(m[1]) * _UNIT_DAYS[m[2].lower()]
    if not 1 <= days <= MAX_HORIZON_DAYS:
        raise InvalidOption(f"--horizon {horizon!r}: between 1 day and 10 years")
    return Window(start, start + timedelta(days=days), days)


def _as_of(value: str | datetime | date) -> datetime:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    else:
        text = str(value).strip()
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise InvalidOption(
                f"--as-of {value!r}: expected a date such as 2019-06-01 (or 2019-06-01T12:00)"
            ) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def check_brief(brief: Brief) -> Brief:
    """The brief a backtest can score: an engagement goal with paid deals; no frontier."""
    if brief.goal is not Goal.ENGAGEMENT:
        raise InvalidOption(
            f"a backtest scores engagement plans (--goal engagement), not {brief.goal.value}: "
            "posts show every platform's engagements, views only for video and no orders"
        )
    if tuple(brief.deal_types) != (DealType.PAID,):
        raise InvalidOption(
            "a backtest scores paid deals only (--deal-types paid): whether a gifted creator "
            "would have posted is not in the posts"
        )
    return replace(brief, frontier=False)


@dataclass(frozen=True)
class HorizonPosts:
    """The posts published in the horizon, ordered by creator then time (``key`` runs)."""

    key: np.ndarray  # object: "platform:handle"
    engagements: np.ndarray  # likes + comments; NaN where the likes are unknown (not measured)
    views: np.ndarray  # NaN where the platform reports none


@dataclass(frozen=True)
class BrandSelection:
    """A campaign's creators: the brand's own choice."""

    slug: str
    name: str
    created_at: datetime
    members: tuple[str, ...]  # "platform:handle"


@dataclass(frozen=True)
class Settings:
    random_draws: int = 200
    bootstrap: int = 2000
    level: float = 0.95
    seed: int = 0
    time_limit: float = 20.0

    def __post_init__(self) -> None:
        if self.random_draws < 1 or self.bootstrap < 100:
            raise InvalidOption("need at least 1 random draw and 100 bootstrap resamples")
        if not 0.5 <= self.level < 1:
            raise InvalidOption(f"interval level {self.level:g}: between 0.5 and 1")
        if not self.time_limit > 0:  # also NaN
            raise InvalidOption(
                f"time limit {self.time_limit:g}: the optimiser needs more than 0 seconds"
            )


@dataclass(frozen=True)
class Pool:
    """The creators every selection chooses from, with cost, prediction and what happened."""

    cands: Candidates
    keys: list[str]
    must: np.ndarray
    cost: np.ndarray  # committed cost of the pieces bought (the budget reserves this)
    predicted: np.ndarray  # the model's mean engagements on the pieces' posts
    sigma: np.ndarray  # their log-sd (creator level and post to post, over the pieces)
    realised: np.ndarray
    views: np.ndarray  # NaN where none of the counted posts reports views
    posts_after: np.ndarray
    er_realised: np.ndarray
    notes: tuple[str, ...]

    def band(self, z: float) -> np.ndarray:
        """The lognormal's quantile at standard normal ``z`` (its mean is ``predicted``)."""
        s = self.sigma
        return np.asarray(self.predicted * np.exp(-0.5 * s * s + z * s))


def run(
    brief: Brief,
    inputs: PlanInputs,
    posts: HorizonPosts,
    win: Window,
    brand: Sequence[BrandSelection] = (),
    settings: Settings | None = None,
    *,
    progress: Progress = no_progress,
    facts: dict[str, int] | None = None,
) -> BacktestResult:
    """Plan on the as-of catalog, select by each rule of thumb, score all on the horizon."""
    cfg = settings or Settings()
    brief = check_brief(brief)
    progress("planning", 0, 1)
    plan = make_plan(brief, inputs, now=win.start, time_limit=cfg.time_limit, left_out=False)
    progress("planning", 1, 1)
    pool = make_pool(brief, inputs, posts)
    progress("scoring", 0, 1)
    rng = np.random.default_rng(cfg.seed)
    chosen = _selections(pool, brief, plan, brand)
    scored, random_score = _score_all(pool, brief, chosen, cfg, rng)
    calibration = _calibration(pool, plan, chosen[bt.PLAN][1], cfg, rng)
    progress("scoring", 1, 1)
    members: dict[str, list[str]] = {}
    for key, (_, idx, _) in chosen.items():
        for i in idx:
            members.setdefault(pool.keys[int(i)], []).append(key)
    creators = tuple(_creator(pool, i, members.get(k, [])) for i, k in enumerate(pool.keys))
    selections = (*scored[:4], random_score, *scored[4:])
    catalog = dict(facts or {})
    catalog.update(
        {
            "eligible": len(pool.keys),
            "posted_in_horizon": int((pool.posts_after > 0).sum()),
            "posts_in_horizon": len(posts.key),
        }
    )
    return BacktestResult(
        as_of=win.start,
        horizon_end=win.end,
        horizon_days=win.days,
        brief=brief,
        metric="engagements",
        unit="engagements",
        pieces=brief.deliverables_total,
        budget=brief.budget,
        currency=brief.currency,
        catalog=catalog,
        selections=selections,
        creators=creators,
        calibration=calibration,
        targets=_targets(selections, calibration),
        notes=_notes(brief, pool, win, brand),
        level=cfg.level,
        bootstrap=cfg.bootstrap,
        seed=cfg.seed,
        plan_notes=plan.notes,
        model_versions={**plan.model_versions, "backtest": BACKTEST_VERSION},
    )


# --- the pool ------------------------------------------------------------------------------------


def make_pool(brief: Brief, inputs: PlanInputs, posts: HorizonPosts) -> Pool:
    """The brief's eligible creators with a price, their prediction and their horizon posts."""
    cands, signals, _, must = eligible(inputs.candidates, brief, inputs.signals)
    try:
        fees = costs.fees(cands, brief, inputs.rate_card)
    except costs.CostError as exc:
        raise InvalidOption(str(exc)) from None
    priced = np.isfinite(fees.fee)
    k = brief.deliverables_total
    cost = fees.fee * k + costs.outreach_cost(brief)
    out = creator_outcomes(cands, brief, inputs.priors, signals, k)
    # posts count every engagement: the prediction without the audience-fit weight
    # (authenticity is 1.0 here, the backtest takes no vetting signal)
    fit = np.where(signals.fit > 0, signals.fit, 1.0)
    predicted = out.mean["engagements"] / fit
    keys = cands.keys
    real = realised(keys, posts, k, cands.followers, cands.per_view)
    idx = np.flatnonzero(priced)
    take = [keys[i] for i in idx]
    return Pool(
        cands=cands.take(idx),
        keys=take,
        must=must[idx],
        cost=cost[idx],
        predicted=predicted[idx],
        sigma=out.sigma_eng[idx],
        realised=real[0][idx],
        views=real[1][idx],
        posts_after=real[2][idx],
        er_realised=real[3][idx],
        notes=tuple(fees.notes),
    )


def realised(
    keys: Sequence[str],
    posts: HorizonPosts,
    pieces: int,
    followers: np.ndarray,
    per_view: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per creator of ``keys``: engagements and views of its first ``pieces`` measured posts in
    the horizon (views NaN when none reports them), its measured posts there, and their mean
    engagement rate in the platform's definition, as the as-of rates are: per view (the mean of
    each post's engagements over its views, posts with views only) where ``per_view``, else per
    as-of follower (NaN without such posts or followers)."""
    n = len(keys)
    value = np.zeros(n)
    views = np.full(n, np.nan)
    count = np.zeros(n, dtype=np.int64)
    rate = np.full(n, np.nan)
    where = {k: i for i, k in enumerate(keys)}
    measured = np.isfinite(posts.engagements)
    key = posts.key[measured]
    eng = posts.engagements[measured]
    vws = posts.views[measured]
    if len(key) == 0:
        return value, views, count, rate
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    ends = np.r_[starts[1:], len(key)]
    for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
        i = where.get(str(key[s]))
        if i is None:
            continue
        first = slice(s, min(e, s + pieces))
        value[i] = float(eng[first].sum())
        seen = vws[first]
        if np.isfinite(seen).any():
            views[i] = float(np.nansum(seen))
        count[i] = e - s
        if per_view is not None and per_view[i]:
            v = vws[s:e]
            ok = np.isfinite(v) & (v > 0)
            if ok.any():
                rate[i] = float((eng[s:e][ok] / v[ok]).mean())
            continue
        f = followers[i]
        if np.isfinite(f) and f > 0:
            rate[i] = float(eng[s:e].mean() / f)
    return value, views, count, rate


# --- selections ----------------------------------------------------------------------------------

Chosen = dict[str, tuple[str, np.ndarray, str]]  # key -> (label, pool indices, rule)


def fill(
    order: np.ndarray, cost: np.ndarray, budget: float, cap: int | None, must: np.ndarray
) -> np.ndarray:
    """Greedy within budget: the required creators, then each next creator of ``order`` that still
    fits, until the cap on creators is reached."""
    taken = list(np.flatnonzero(must))
    left = budget - float(cost[taken].sum())
    limit = cap if cap is not None else len(cost)
    for i in order.tolist():
        if len(taken) >= limit:
            break
        if must[i]:
            continue
        c = float(cost[i])
        if c <= left + 1e-9:
            taken.append(i)
            left -= c
    return np.array(sorted(taken), dtype=np.int64)


def _descending(score: np.ndarray, keys: Sequence[str], ok: np.ndarray) -> np.ndarray:
    """Indices of ``ok`` by ``score``, highest first, ties by key (a stable, stated order)."""
    idx = np.flatnonzero(ok & np.isfinite(score))
    order = sorted(idx.tolist(), key=lambda i: (-float(score[i]), keys[i]))
    return np.array(order, dtype=np.int64)


def _selections(pool: Pool, brief: Brief, plan: Plan, brand: Sequence[BrandSelection]) -> Chosen:
    c, budget, cap = pool.cands, brief.spendable, brief.max_creators
    where = {k: i for i, k in enumerate(pool.keys)}
    plan_idx = np.array(
        sorted(where[f"{p.platform}:{p.handle}"] for p in plan.selections), dtype=np.int64
    )
    raw = c.er_raw
    measured = (c.posts_measured > 0) & np.isfinite(raw)
    everyone = np.ones(len(pool.keys), dtype=bool)
    out: Chosen = {
        bt.PLAN: ("the plan", plan_idx, "the planner's optimum on the as-of catalog"),
        bt.TOP_FOLLOWERS: (
            "top by followers",
            fill(_descending(c.followers, pool.keys, everyone), pool.cost, budget, cap, pool.must),
            "the most followers first, each next creator that still fits the budget",
        ),
        bt.TOP_RAW_ER: (
            "top by raw ER",
            fill(_descending(raw, pool.keys, measured), pool.cost, budget, cap, pool.must),
            "the highest mean engagement rate of the posts before the date first",
        ),
        bt.TOP_SHRUNK_ER: (
            "top by shrunk ER",
            fill(_descending(c.er_shrunk, pool.keys, measured), pool.cost, budget, cap, pool.must),
            "the same creators, the highest shrunk engagement rate first",
        ),
    }
    for b in brand:
        idx = np.array(sorted(where[m] for m in b.members if m in where), dtype=np.int64)
        out[f"{bt.CAMPAIGN}:{b.slug}"] = (
            f"your campaign {b.name!r}",
            idx,
            "the creators of the brand's own campaign",
        )
    return out


# --- scoring -------------------------------------------------------------------------------------


def _boot(
    values: np.ndarray, cost: np.ndarray, idx: np.ndarray, rng: np.random.Generator, n: int
) -> np.ndarray:
    """``n`` resamples of the selection's creators: value per dollar of each."""
    if len(idx) == 0:
        return np.full(n, np.nan)
    draw = idx[rng.integers(0, len(idx), size=(n, len(idx)))]
    spent = cost[draw].sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(values[draw].sum(axis=1) / spent)


def _interval(value: float, draws: np.ndarray, level: float) -> Interval:
    """``value`` with the central ``level`` of ``draws`` (an infinite draw, a ratio over a
    resample that realised nothing, counts as the largest; an undefined one, 0 / 0, not at all)."""
    ok = draws[~np.isnan(draws)]
    if not len(ok) or math.isnan(value):
        return Interval(value, math.nan, math.nan)
    tail = (1 - level) / 2
    # no interpolation between infinite draws (inf - inf is undefined)
    if np.isinf(ok).any():
        low, high = np.quantile(ok, [tail, 1 - tail], method="inverted_cdf")
    else:
        low, high = np.quantile(ok, [tail, 1 - tail])
    return Interval(float(value), float(low), float(high))


def _ratio(plan_boot: np.ndarray, other: np.ndarray, value: float, level: float) -> Comparison:
    with np.errstate(divide="ignore", invalid="ignore"):
        r = plan_boot / other[np.arange(len(plan_boot)) % len(other)]
    iv = _interval(value, r, level)
    if iv.low > 1:
        verdict = "plan better"
    elif iv.high < 1:
        verdict = "plan worse"
    else:
        verdict = "no clear difference"
    return Comparison(iv, verdict)


def _score_all(
    pool: Pool, brief: Brief, chosen: Chosen, cfg: Settings, rng: np.random.Generator
) -> tuple[list[SelectionScore], SelectionScore]:
    budget = brief.budget
    boots: dict[str, np.ndarray] = {}
    seen: dict[str, np.ndarray] = {}  # the bootstraps of the creators who posted
    out: list[SelectionScore] = []
    for key, (label, idx, rule) in chosen.items():
        boots[key] = _boot(pool.realised, pool.cost, idx, rng, cfg.bootstrap)
        score = _score(pool, key, label, rule, idx, budget, boots[key], cfg, rng)
        posted = idx[pool.posts_after[idx] > 0]
        seen[key] = _boot(pool.realised, pool.cost, posted, rng, cfg.bootstrap)
        out.append(replace(score, posted_only=_posted_only(pool, posted, seen[key], cfg)))
    plan = out[0]
    scored = [plan] + [_versus(plan, s, boots, seen, cfg) for s in out[1:]]
    return scored, _random(pool, brief, cfg, rng, boots[bt.PLAN], seen[bt.PLAN], plan)


def _posted_only(pool: Pool, idx: np.ndarray, boot: np.ndarray, cfg: Settings) -> PostedOnly | None:
    if not len(idx):
        return None
    cost = float(pool.cost[idx].sum())
    value = _div(float(pool.realised[idx].sum()), cost)
    return PostedOnly(len(idx), cost, _interval(value, boot, cfg.level))


def _versus(
    plan: SelectionScore,
    s: SelectionScore,
    boots: dict[str, np.ndarray],
    seen: dict[str, np.ndarray],
    cfg: Settings,
) -> SelectionScore:
    """``s`` with the plan's ratio to it, over every creator and over those who posted."""
    ratio = _div(plan.per_dollar.value, s.per_dollar.value)
    out = replace(s, versus_plan=_ratio(boots[bt.PLAN], boots[s.key], ratio, cfg.level))
    mine, theirs = plan.posted_only, s.posted_only
    if mine is None or theirs is None:
        return out
    ratio = _div(mine.per_dollar.value, theirs.per_dollar.value)
    cmp = _ratio(seen[bt.PLAN], seen[s.key], ratio, cfg.level)
    return replace(out, posted_only=replace(theirs, versus_plan=cmp))


def _div(a: float, b: float) -> float:
    return a / b if b > 0 else (math.inf if a > 0 else math.nan)


def _score(
    pool: Pool,
    key: str,
    label: str,
    rule: str,
    idx: np.ndarray,
    budget: float,
    boot: np.ndarray,
    cfg: Settings,
    rng: np.random.Generator,
) -> SelectionScore:
    cost = float(pool.cost[idx].sum())
    value = float(pool.realised[idx].sum())
    v_total = v_pd = None
    if np.isfinite(pool.views[idx]).any():  # creators whose posts report no views count zero
        views = np.where(np.isfinite(pool.views), pool.views, 0.0)
        v_total = float(views[idx].sum())
        boot_views = _boot(views, pool.cost, idx, rng, cfg.bootstrap)
        v_pd = _interval(_div(v_total, cost), boot_views, cfg.level)
    return SelectionScore(
        key=key,
        label=label,
        rule=rule,
        creators=len(idx),
        cost=cost,
        budget_used=cost / budget if budget > 0 else 0.0,
        predicted=float(pool.predicted[idx].sum()),
        realised=value,
        per_dollar=_interval(_div(value, cost), boot, cfg.level),
        posted=int((pool.posts_after[idx] > 0).sum()),
        views=v_total,
        views_per_dollar=v_pd,
        members=tuple(pool.keys[int(i)] for i in idx),
    )


def _random(
    pool: Pool,
    brief: Brief,
    cfg: Settings,
    rng: np.random.Generator,
    plan_boot: np.ndarray,
    plan_seen: np.ndarray,
    plan: SelectionScore,
) -> SelectionScore:
    """``random_draws`` random fills of the budget: the mean and spread of what they delivered."""
    n = len(pool.keys)
    per_dollar = np.zeros(cfg.random_draws)
    seen = np.full(cfg.random_draws, np.nan)  # per dollar of the creators who posted
    sizes, spend, value, posted, shown_cost = [], [], [], [], []
    for d in range(cfg.random_draws):
        idx = fill(rng.permutation(n), pool.cost, brief.spendable, brief.max_creators, pool.must)
        c, v = float(pool.cost[idx].sum()), float(pool.realised[idx].sum())
        per_dollar[d] = _div(v, c)
        shown = idx[pool.posts_after[idx] > 0]
        shown_cost.append(float(pool.cost[shown].sum()))
        if len(shown):
            seen[d] = _div(v, shown_cost[-1])
        sizes.append(len(idx))
        spend.append(c)
        value.append(v)
        posted.append(len(shown))
    ok = per_dollar[np.isfinite(per_dollar)]
    p10, p50, p90 = (
        (float(q) for q in np.quantile(ok, [0.1, 0.5, 0.9])) if len(ok) else (math.nan,) * 3
    )
    mean = float(ok.mean()) if len(ok) else math.nan
    cost = float(np.mean(spend))
    plan_pd = plan.per_dollar.value
    posted_only = None
    if np.isfinite(seen).any() and plan.posted_only is not None:
        s_mean = float(np.nanmean(seen))
        mine = plan.posted_only.per_dollar.value
        posted_only = PostedOnly(
            round(float(np.mean(posted))),
            float(np.mean(shown_cost)),
            _interval(s_mean, seen, cfg.level),
            _ratio(plan_seen, seen[np.isfinite(seen)], _div(mine, s_mean), cfg.level),
        )
    return SelectionScore(
        key=bt.RANDOM,
        label=f"random ({cfg.random_draws} draws)",
        rule="creators in a random order, each next one that still fits the budget",
        creators=round(float(np.mean(sizes))),
        cost=cost,
        budget_used=cost / brief.budget if brief.budget > 0 else 0.0,
        predicted=math.nan,
        realised=float(np.mean(value)),
        per_dollar=_interval(mean, per_dollar, cfg.level),
        posted=round(float(np.mean(posted))),
        versus_plan=_ratio(plan_boot, per_dollar, _div(plan_pd, mean), cfg.level),
        spread=Quantiles(mean, p10, p50, p90),
        sd=float(ok.std(ddof=1)) if len(ok) > 1 else None,
        draws=cfg.random_draws,
        beats_share=float(np.mean(plan_pd > per_dollar)),
        posted_only=posted_only,
    )


# --- calibration ---------------------------------------------------------------------------------


def _calibration(
    pool: Pool, plan: Plan, plan_idx: np.ndarray, cfg: Settings, rng: np.random.Generator
) -> Calibration:
    low, high = pool.band(-Z90), pool.band(Z90)
    inside = (pool.realised >= low) & (pool.realised <= high)
    k = plan.brief.deliverables_total
    posted = pool.posts_after >= k
    c = pool.cands
    raw = c.er_raw  # in the basis of er_shrunk and er_realised: per view or per follower
    measured = (c.posts_measured > 0) & np.isfinite(raw) & np.isfinite(pool.er_realised)
    m_idx = np.flatnonzero(measured)
    mae_s = mae_r = None
    diff = None
    if len(m_idx):
        real = pool.er_realised[m_idx]
        err_s = np.abs(c.er_shrunk[m_idx] - real)
        err_r = np.abs(raw[m_idx] - real)
        mae_s, mae_r = float(err_s.mean()), float(err_r.mean())
        draw = rng.integers(0, len(m_idx), size=(cfg.bootstrap, len(m_idx)))
        diff = _interval(mae_s - mae_r, (err_s[draw] - err_r[draw]).mean(axis=1), cfg.level)
    return Calibration(
        level=0.8,
        picks_inside=int(inside[plan_idx].sum()),
        picks=len(plan_idx),
        creators_inside=int(inside.sum()),
        creators=len(inside),
        posted_inside=int(inside[posted].sum()),
        posted=int(posted.sum()),
        below=int((pool.realised < low).sum()),
        above=int((pool.realised > high).sum()),
        plan_total=plan.totals.get("engagements"),
        plan_realised=float(pool.realised[plan_idx].sum()),
        mae_creators=len(m_idx),
        mae_shrunk=mae_s,
        mae_raw=mae_r,
        mae_difference=diff,
    )


def _creator(pool: Pool, i: int, chose: list[str]) -> CreatorBacktest:
    c = pool.cands
    q = Quantiles(
        float(pool.predicted[i]),
        float(pool.band(-Z90)[i]),
        float(pool.band(0.0)[i]),
        float(pool.band(Z90)[i]),
    )
    real = float(pool.realised[i])
    return CreatorBacktest(
        platform=str(c.platform[i]),
        handle=str(c.handle[i]),
        tier=c.tier[i],
        followers=_num(c.followers[i]),
        cost=float(pool.cost[i]),
        er_raw=_num(c.er_raw[i]) if c.posts_measured[i] > 0 else None,
        er_shrunk=_num(c.er_shrunk[i]),
        er_realised=_num(pool.er_realised[i]),
        predicted=q,
        realised=real,
        views=_num(pool.views[i]),
        posts_before=int(c.posts_measured[i]),
        posts_after=int(pool.posts_after[i]),
        inside_band=bool(q.p10 <= real <= q.p90),
        selections=tuple(chose),
    )


def _num(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None


# --- targets and notes ---------------------------------------------------------------------------


def _targets(selections: Sequence[SelectionScore], cal: Calibration) -> tuple[TargetCheck, ...]:
    """The issue's targets, measured here (reported, never tuned for)."""
    out = []
    for key, factor, label in (
        (bt.TOP_FOLLOWERS, 1.3, "top by followers"),
        (bt.TOP_RAW_ER, 1.1, "top by raw ER"),
    ):
        s = next((x for x in selections if x.key == key), None)
        cmp = s.versus_plan if s is not None else None
        ratio = cmp.ratio if cmp is not None else None
        met = None if ratio is None or math.isnan(ratio.value) else ratio.value >= factor
        target = f"the plan's realised engagements per dollar >= {factor:g}x {label}"
        out.append(TargetCheck(f"plan vs {key}", target, met, ratio))
    mae_met = None
    if cal.mae_shrunk is not None and cal.mae_raw is not None:
        mae_met = cal.mae_shrunk < cal.mae_raw
    out.append(
        TargetCheck(
            "shrunk vs raw MAE",
            "shrunk rate's MAE below the raw mean's",
            mae_met,
            cal.mae_difference,
        )
    )
    share = cal.share_inside
    out.append(
        TargetCheck(
            "band coverage",
            "70-90% of creators inside their P10-P90",
            None if share is None else 0.7 <= share <= 0.9,
            None if share is None else Interval(share, share, share),
        )
    )
    return tuple(out)


def _notes(
    brief: Brief, pool: Pool, win: Window, brand: Sequence[BrandSelection]
) -> tuple[str, ...]:
    k = brief.deliverables_total
    silent = int((pool.posts_after == 0).sum())
    notes = [
        f"realised value: the first {k} measured post(s) each creator published from "
        f"{win.start:%Y-%m-%d} to {win.end - timedelta(days=1):%Y-%m-%d} stand for the "
        f"{k} piece(s) bought; a piece not published counts zero ({silent:,} of "
        f"{len(pool.keys):,} eligible creators published nothing measured in the horizon)",
        "the same cost for every selection: the quoted price where known, else the rate card, "
        f"x {k} piece(s), plus outreach ({quantity(costs.outreach_cost(brief))} {brief.currency})",
        "no vetting signal is used (authenticity 1.0, audience fit from country and language): "
        "follower samples, audiences and comments carry no date of their own",
    ]
    by = pool.cands.per_view
    if by.any():
        views = sorted({str(p) for p in pool.cands.platform[by]})
        notes.append(
            "engagement rates (raw, shrunk and realised) are per view on "
            + ", ".join(views)
            + " (posts with views), per as-of follower elsewhere, as each platform reads them"
        )
    ignored = [
        name
        for name, present in (
            ("tier shares", brief.tier_shares),
            ("country caps", brief.country_caps),
            ("niche caps", brief.niche_caps),
            ("a minimum of creators", brief.min_creators),
        )
        if present
    ]
    if ignored:
        notes.append(
            "the rules of thumb keep the budget, the filters and the creator cap, not "
            + ", ".join(ignored)
            + " (the plan keeps them)"
        )
    if brief.target.restricts:
        notes.append(
            "the plan weighs engagements by audience fit; posts count every engagement, so "
            "realised values and bands are compared unweighted"
        )
    for b in brand:
        missing = [m for m in b.members if m not in set(pool.keys)]
        if missing:
            notes.append(
                f"campaign {b.name!r}: {len(missing)} of its {len(b.members)} creator(s) are not "
                "eligible on the date (unknown then, filtered out or unpriced) and are not scored"
            )
        if b.created_at >= win.start:
            notes.append(
                f"campaign {b.name!r} was created on {b.created_at:%Y-%m-%d}, after the date: "
                "its choice may have known what happened"
            )
    return (*notes, *pool.notes)
