"""Everything one brief needs, computed once: candidates, signals, costs, outcomes, the objective.

``Context.solve`` answers "the best plan at this budget, for these options, under these rules",
which the main plan, the frontier and the explanations all ask.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from creatormix.domain.brief import Brief, ReachObjective, SalesObjective
from creatormix.domain.plan import Goal
from creatormix.planning import additive, constraints, coverage, overlap
from creatormix.planning.candidates import Candidates
from creatormix.planning.costs import Fees, Options
from creatormix.planning.outcomes import Outcomes
from creatormix.planning.problem import Problem
from creatormix.planning.seams import Signals

GOAL_METRIC = {
    Goal.AWARENESS: ("reach", "people reached (unique, in the target)"),
    Goal.ENGAGEMENT: ("engagements", "engagements"),
    Goal.SALES: ("revenue", "revenue"),
    Goal.CONTENT: ("content", "pieces of content"),
    Goal.GIVEAWAY: ("followers_gained", "followers gained"),
}


@dataclass(frozen=True)
class Result:
    x: np.ndarray  # (m,) bool over the context's options
    value: float  # objective value (expected)
    bound: float
    gap: float
    method: str
    feasible: bool = True


class Context:
    """A brief applied to a candidate set."""

    def __init__(
        self,
        brief: Brief,
        cands: Candidates,
        signals: Signals,
        fees: Fees,
        options: Options,
        outcomes: dict[int, Outcomes],
        must: np.ndarray,
        *,
        sketch_blobs: Sequence[bytes | None] | None = None,
        sample_blobs: Sequence[bytes | None] | None = None,
        sample_sizes: np.ndarray | None = None,
        duplication: float = overlap.DEFAULT_DUPLICATION,
    ) -> None:
        self.brief = brief
        # what "unique reach" counts: distinct followers (audience) or distinct viewers (reach)
        self.reach_metric = "audience" if brief.reach is ReachObjective.AUDIENCE else "reach"
        self.cands = cands
        self.signals = signals
        self.fees = fees
        self.options = options
        self.outcomes = outcomes
        self.must = must
        self.metric, self.unit = self._metric()
        self.option_mean = {m: self._per_option(m) for m in next(iter(outcomes.values())).mean}
        self.uses_coverage = brief.goal is Goal.AWARENESS or (
            brief.goal is Goal.MIX and brief.weights.get("reach", 0) > 0
        )
        self.value = self._values()
        self.model: coverage.CoverageModel | None = (
            None  # what the optimiser maximises, if coverage
        )
        self.scale = np.ones(len(options.creator))
        self.private = np.zeros(len(options.creator))
        self.views_scale = self.scale
        self.audience: overlap.Overlap | None = None  # the audience objective's model
        self.views = self._build_coverage(sketch_blobs, sample_blobs, sample_sizes, duplication)
        self.reach_model = self.views.model

    # --- objective -----------------------------------------------------------------------

    def _metric(self) -> tuple[str, str]:
        b = self.brief
        if b.goal is Goal.MIX:
            return "score", "weighted score (1.0 = the best of each metric alone)"
        metric, unit = GOAL_METRIC[b.goal]
        if b.goal is Goal.AWARENESS and self.reach_metric == "audience":
            if not b.target.restricts:
                return "audience", "followers (unique audience)"
            return "audience", "followers in the target (unique audience)"
        if b.goal is Goal.AWARENESS and not b.target.restricts:
            return metric, "people reached (unique)"
        if b.goal is Goal.SALES:
            if b.sales_objective is SalesObjective.PROFIT:
                return "profit", f"{b.currency} of profit"
            return "revenue", f"{b.currency} of revenue"
        return metric, unit

    def _per_option(self, metric: str) -> np.ndarray:
        """Expected value of ``metric`` for every option (delivery probability included)."""
        o = self.options
        out = np.zeros(len(o.creator))
        for k, res in self.outcomes.items():
            sel = o.pieces == k
            out[sel] = res.mean[metric][o.creator[sel]] * o.probability[sel]
        return out

    def _values(self) -> np.ndarray:
        b = self.brief
        if b.goal is Goal.MIX:
            return self._mix_additive()
        if self.metric == "profit":
            return np.asarray(
                (b.margin or 0.0) * self.option_mean["revenue"] - self.options.expected_cost
            )
        return np.asarray(self.option_mean[self.metric])

    def normaliser(self, metric: str) -> float:
        """The most the budget could buy of one metric alone (a fractional-knapsack bound)."""
        v = self.option_mean[metric]
        c = np.maximum(self.options.committed, 1e-9)
        order = np.argsort(-v / c)
        spent = np.cumsum(c[order])
        take = spent <= self.brief.spendable
        total = float(v[order][take].sum())
        nxt = int(take.sum())
        if nxt < len(order):
            room = self.brief.spendable - (spent[nxt - 1] if nxt else 0.0)
            total += float(v[order][nxt]) * max(0.0, room) / c[order][nxt]
        return max(total, 1e-9)

    def _mix_additive(self) -> np.ndarray:
        value = np.zeros(len(self.options.creator))
        for metric, w in self.brief.weights.items():
            if metric == "reach" or w <= 0:
                continue
            value += w * self.option_mean[metric] / self.normaliser(metric)
        return value

    def _build_coverage(
        self,
        sketch_blobs: Sequence[bytes | None] | None,
        sample_blobs: Sequence[bytes | None] | None,
        sample_sizes: np.ndarray | None,
        duplication: float,
    ) -> overlap.Overlap:
        """The unique-reach models (always: reach totals are never sums), and the objective's."""
        o = self.options
        ref_k = max(self.outcomes)
        ref = self.outcomes[ref_k]
        followers = np.nan_to_num(self.cands.followers)
        people = followers * self.signals.audience  # real followers
        reach_ref = ref.mean["reach"]
        prob_ref = np.where(followers > 0, reach_ref / np.maximum(followers, 1e-9), 0.0)
        views = overlap.build_overlap(
            self.cands,
            people,
            reach_ref,
            sketch_blobs=sketch_blobs,
            sample_blobs=sample_blobs,
            sample_sizes=sample_sizes,
            reach_prob=prob_ref,
            duplication=duplication,
        )
        # option scale: delivery probability x (its reach / the reference reach)
        own = np.zeros(len(o.creator))
        for k, res in self.outcomes.items():
            sel = o.pieces == k
            own[sel] = res.mean["reach"][o.creator[sel]]
        base = reach_ref[o.creator]
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(base > 0, own / base, 0.0)
        self.views_scale = np.clip(o.probability * ratio, 0.0, 1.0)
        model = views.model
        self.scale = self.views_scale
        if self.reach_metric == "audience":
            # every real follower in the target once, however many posts: delivery is all that varies
            self.audience = overlap.build_overlap(
                self.cands,
                people,
                ref.mean["audience"],
                sketch_blobs=sketch_blobs,
                sample_blobs=sample_blobs,
                sample_sizes=sample_sizes,
                audience_value=self.signals.audience * self.signals.fit,
                duplication=duplication,
            )
            model = self.audience.model
            self.scale = np.clip(o.probability, 0.0, 1.0)
        if self.brief.goal is Goal.MIX and self.uses_coverage:
            w = self.brief.weights["reach"] / self.normaliser(self.reach_metric)
            self.model = coverage.CoverageModel(
                model.indptr, model.elem, model.weight * w, model.q, model.source, model.size_sd
            )
            self.private = self.value
        elif self.uses_coverage:
            self.model = model
        return views

    # --- solving ---------------------------------------------------------------------------

    def problem(
        self,
        budget: float,
        *,
        option_mask: np.ndarray | None = None,
        tier_shares: bool = True,
        must: bool = True,
        min_one: bool = False,
    ) -> tuple[Problem, np.ndarray]:
        """The optimisation problem over the allowed options, and their indices in the context."""
        idx = (
            np.arange(len(self.options.creator))
            if option_mask is None
            else np.flatnonzero(option_mask)
        )
        o = self.options
        sub_opts = Options(
            o.creator[idx],
            o.deal[idx],
            o.committed[idx],
            o.expected_cost[idx],
            o.fee[idx],
            o.probability[idx],
            o.pieces[idx],
        )
        rows = constraints.build_rows(
            self.cands,
            sub_opts,
            self.brief,
            budget=budget,
            revenue=self.option_mean["revenue"][idx],
            tier_shares=tier_shares,
            min_one=min_one,
        )
        creators = o.creator[idx]
        n = len(self.cands)
        must_mask = self.must.copy() if must else np.zeros(n, dtype=bool)
        p = Problem(n, creators, o.committed[idx], self.value[idx], rows, must_mask)
        return p, idx

    def solve(
        self,
        budget: float,
        *,
        option_mask: np.ndarray | None = None,
        tier_shares: bool = True,
        must: bool = True,
        rel_gap: float = 1e-4,
        time_limit: float = 20.0,
        quick: bool = False,
        values: np.ndarray | None = None,
        min_one: bool = False,
    ) -> Result:
        p, idx = self.problem(
            budget, option_mask=option_mask, tier_shares=tier_shares, must=must, min_one=min_one
        )
        if values is not None:
            p = p.with_value(values[idx])
        m = len(self.options.creator)
        full = np.zeros(m, dtype=bool)
        try:
            if self.uses_coverage and self.model is not None:
                sol = coverage.solve(
                    self.model,
                    p,
                    self.scale[idx],
                    self.private[idx],
                    seeds=2 if quick else 8,
                    swaps=5 if quick else 25,
                    time_limit=time_limit,
                )
                full[idx[sol.x]] = True
                return Result(full, sol.value, sol.bound, sol.gap, sol.method)
            sol_a = additive.solve(p, rel_gap=rel_gap, time_limit=time_limit)
        except additive.Infeasible:
            return Result(full, float("-inf"), float("-inf"), 0.0, "infeasible", feasible=False)
        full[idx[sol_a.x]] = True
        return Result(full, sol_a.value, sol_a.bound, sol_a.gap, sol_a.method)

    def _bare(self) -> Problem:
        """The options without rules: enough to evaluate a plan."""
        import scipy.sparse as sp

        from creatormix.planning.problem import Rows

        m = len(self.options.creator)
        rows = Rows(sp.csr_matrix((0, m)), np.zeros(0), np.zeros(0), (), ())
        return Problem(
            len(self.cands),
            self.options.creator,
            self.options.committed,
            self.value,
            rows,
            np.zeros(len(self.cands), dtype=bool),
        )

    def objective(self, x: np.ndarray) -> float:
        """The objective value of a plan (over the context's options)."""
        if self.uses_coverage and self.model is not None:
            return coverage.value_of(self.model, self._bare(), self.scale, self.private, x)
        return float(self.value[x].sum())

    def unique_reach(self, x: np.ndarray) -> float:
        """Expected unique relevant reach of a plan: overlapping audiences counted once."""
        return coverage.value_of(
            self.reach_model, self._bare(), self.views_scale, np.zeros(len(self.scale)), x
        )

    def unique_audience(self, x: np.ndarray) -> float:
        """Expected distinct real followers in the target of a plan (the audience objective)."""
        if self.audience is None:
            raise ValueError("the brief does not count the audience (--reach audience)")
        delivery = np.clip(self.options.probability, 0.0, 1.0)
        return coverage.value_of(
            self.audience.model, self._bare(), delivery, np.zeros(len(self.scale)), x
        )

    def unique(self, metric: str, x: np.ndarray) -> float:
        """The plan's unique reach ("reach") or unique audience ("audience")."""
        return self.unique_audience(x) if metric == "audience" else self.unique_reach(x)

    @property
    def overlap_sources(self) -> tuple[str, ...]:
        """Per creator: what its overlap with other creators was measured from."""
        return (self.audience or self.views).sources
