"""The backtest use case: the catalog as it was on a date, a plan and the rules of thumb chosen
on it, all scored on the posts published after it (docs/planning.md, "Backtest")."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from creatormix.domain.backtest import BacktestRequest, BacktestResult
from creatormix.domain.query import Progress, no_progress
from creatormix.errors import InvalidOption
from creatormix.store import backtest as bstore
from creatormix.store import campaigns as cstore
from creatormix.store import planning as plans_store
from creatormix.workspace.planning import PlanningOps, candidates_from_table

if TYPE_CHECKING:
    from creatormix.planning.backtest import BrandSelection, HorizonPosts, Window
    from creatormix.planning.candidates import Candidates
    from creatormix.planning.priors import PriorTable


class BacktestOps(PlanningOps):
    """Backtests read the catalog through as-of store readers; the brand's own selections come
    from campaigns through ``backtest_campaigns`` (``Workspace`` joins the two capabilities)."""

    def backtest(
        self, request: BacktestRequest, *, progress: Progress = no_progress
    ) -> BacktestResult:
        """Plan on what was known before ``as_of``, select by the rules of thumb with the same
        budget, costs and filters, and score every selection on the posts of the horizon.

        Nothing is saved; the HTML page is written when asked (checked before any work)."""
        from creatormix.planning import backtest as bt
        from creatormix.planning.planner import PlanInputs

        win = bt.window(request.as_of, request.horizon)
        brief = bt.check_brief(request.brief or self.brief(request.brief_file, request.overrides))
        settings = bt.Settings(
            request.random_draws, request.bootstrap, request.level, request.seed, request.time_limit
        )
        if request.html is not None:
            self.check_output(request.html, "backtest page")
        self._check_window(win)
        progress("catalog as of", 0, 1)
        cands = self.candidates_as_of(win.start)
        inputs = PlanInputs(
            candidates=cands,
            priors=self.priors_as_of(win.start),
            rate_card=self.rate_card(),
            info={"as_of": win.start.isoformat(), **self._catalog_info()},
        )
        facts = {
            "creators_known": len(cands),
            "posts_before": bstore.count_posts_before(self.store, win.start),
            "undated_posts": bstore.undated_posts(self.store),
        }
        posts = self._horizon_posts(win)
        brand = self.backtest_campaigns(request.campaigns)
        progress("catalog as of", 1, 1)
        result = bt.run(brief, inputs, posts, win, brand, settings, progress=progress, facts=facts)
        if request.html is not None:
            self.write_backtest_html(result, request.html)
        return result

    def _check_window(self, win: Window) -> None:
        """A window with posts on both sides, or one line saying which dates would have them."""
        first, last = bstore.post_dates(self.store)
        if first is None or last is None:
            raise InvalidOption("no dated post in the workspace: a backtest needs posts with dates")
        span = f"the posts run from {first:%Y-%m-%d} to {last:%Y-%m-%d}"
        if first >= win.start:
            raise InvalidOption(
                f"--as-of {win.start:%Y-%m-%d}: no post was published before it ({span})"
            )
        if last < win.start:
            raise InvalidOption(
                f"--as-of {win.start:%Y-%m-%d}: no post was published after it ({span}); "
                "choose an earlier date"
            )

    def candidates_as_of(self, as_of: datetime) -> Candidates:
        """The planner's candidates as the catalog was before ``as_of``: the same metric
        expressions over the posts, snapshots and facts dated before it (``store.backtest``)."""
        from creatormix.metrics.profile import creator_profiles
        from creatormix.metrics.reach import views_stats

        params = self.metric_params()
        posts = bstore.posts_before(self.store, as_of)
        profiles = creator_profiles(
            bstore.creators_as_of(self.store, as_of),
            posts,
            bstore.snapshots_before(self.store, as_of),
            self.tier_scheme(),
            params,
            top_n_aggregate=self.store.top_n_aggregate,
        )
        views = views_stats(posts, params)
        return candidates_from_table(plans_store.candidate_table(self.store, views, profiles))

    def priors_as_of(self, as_of: datetime) -> PriorTable:
        """The priors a plan made on ``as_of`` would have used: published, the overrides as they
        stood then, and the rates learned from campaigns before it."""
        from creatormix.planning.priors import DEFAULT_LEARNED_CAP, PriorOverride, PriorTable

        raw = bstore.setting_as_of(self.store, "planning.priors", as_of, [])
        cap = float(self.store.get_setting("planning.learned_cap", DEFAULT_LEARNED_CAP))
        learned = cstore.latest_learned_rates(self.store, before=as_of)
        return PriorTable([PriorOverride.from_json(r) for r in raw], learned, cap)

    def backtest_campaigns(self, refs: tuple[str, ...] | None) -> list[BrandSelection]:
        """The brand's own selections to score: none here; ``Workspace``, which has campaigns,
        returns their creators (``Workspace.backtest_campaigns``)."""
        return []

    def write_backtest_html(self, result: BacktestResult, path: str | Path) -> Path:
        """Write the backtest as one self-contained HTML page (plotly.js inside, no CDN)."""
        from creatormix.planning.backtest_chart import backtest_html

        target = Path(path)
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_text(backtest_html(result), encoding="utf-8")
        tmp.replace(target)
        return target

    def _horizon_posts(self, win: Window) -> HorizonPosts:
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        from creatormix.planning.backtest import HorizonPosts

        t = bstore.horizon_posts(self.store, win.start, win.end)

        def floats(name: str, fill: Any = None) -> Any:
            col = t[name].cast(pa.float64())
            col = pc.fill_null(col, fill) if fill is not None else col
            return col.to_numpy(zero_copy_only=False)

        keys = np.array(
            [
                f"{p}:{h}"
                for p, h in zip(t["platform"].to_pylist(), t["handle"].to_pylist(), strict=True)
            ],
            dtype=object,
        )
        return HorizonPosts(
            key=keys,
            engagements=floats("likes") + floats("comments", 0.0),
            views=floats("views"),
        )
