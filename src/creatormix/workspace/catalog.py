"""Catalog use cases: import files, rebuild metrics, list and show creators, summarise tiers."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from creatormix.domain.catalog import CreatorProfile, CreatorRef
from creatormix.domain.imports import (
    ImportRecord,
)
from creatormix.domain.query import (
    CreatorDetail,
    CreatorPage,
    CreatorQuery,
    Progress,
    TierSummary,
    TierSummaryRow,
    no_progress,
)
from creatormix.errors import InvalidOption, NotFound
from creatormix.store import catalog as facts
from creatormix.store import imports as shapes
from creatormix.store import mappers
from creatormix.store import profiles as imported
from creatormix.store.core import Store

if TYPE_CHECKING:
    import pyarrow as pa

    from creatormix.domain.tiers import TierScheme
    from creatormix.metrics.params import MetricParams

SYNTHETIC_SETTING = "workspace.synthetic"  # the label of a workspace of invented data (the demo)
METRICS_VERSION_SETTING = "metrics.version"  # the definition the metrics table was built with


class CatalogOps:
    store: Store
    _metrics_checked: bool = False  # the metrics table was checked against this version

    # --- configuration -----------------------------------------------------------------------

    def tier_scheme(self) -> TierScheme:
        """The workspace's tier scheme (``default`` until one is set)."""
        from creatormix.domain.tiers import DEFAULT_SCHEME, TierScheme

        raw = self.store.get_setting("tiers.scheme")
        return TierScheme.from_json(raw) if raw else DEFAULT_SCHEME

    def set_tier_scheme(
        self, scheme: str | TierScheme, *, progress: Progress = no_progress
    ) -> TierScheme:
        """Select a named scheme or store a custom one; tiers and priors are recomputed."""
        from creatormix.domain.tiers import NAMED_SCHEMES

        if isinstance(scheme, str):
            if scheme not in NAMED_SCHEMES:
                raise InvalidOption(
                    f"unknown tier scheme {scheme!r} (named schemes: {', '.join(NAMED_SCHEMES)})"
                )
            scheme = NAMED_SCHEMES[scheme]
        with self.store.transaction():
            self.store.set_setting("tiers.scheme", scheme.to_json())
            self.refresh_metrics(progress=progress)
        return scheme

    def metric_params(self) -> MetricParams:
        """The workspace's metric parameters (defaults where never set)."""
        from creatormix.metrics.params import MetricParams

        return MetricParams.from_json(self.store.get_setting("metrics.params"))

    def set_metric_params(self, progress: Progress = no_progress, **changes: Any) -> MetricParams:
        """Change metric parameters (see ``MetricParams``) and recompute the metrics."""
        from creatormix.metrics.params import MetricParams

        current = self.metric_params().to_json()
        unknown = set(changes) - set(current)
        if unknown:
            raise InvalidOption(
                f"unknown metric parameter(s): {', '.join(sorted(unknown))} (known: {', '.join(current)})"
            )
        try:
            params = MetricParams.from_json(current | changes)
        except ValueError as exc:
            raise InvalidOption(str(exc)) from None
        with self.store.transaction():
            self.store.set_setting("metrics.params", params.to_json())
            self.refresh_metrics(progress=progress)
        return params

    def mark_synthetic(self, label: str | None = None) -> None:
        """Record that the workspace holds invented data (the demo): listings then say so."""
        from creatormix.domain.labels import SYNTHETIC_LABEL

        with self.store.transaction():
            self.store.set_setting(SYNTHETIC_SETTING, label or SYNTHETIC_LABEL)

    def synthetic_label(self) -> str | None:
        """The synthetic-data label when the workspace is a demo, else None."""
        label = self.store.get_setting(SYNTHETIC_SETTING)
        return str(label) if label else None

    def _with_merged(self, records: list[ImportRecord]) -> list[ImportRecord]:
        """The records with their ``rows_merged`` and ``rows_skipped`` from the log (the store's
        mapper leaves them out)."""
        if not records:
            return records
        ids = [r.import_id for r in records]
        merged = facts.merged_counts(self.store, ids)
        skipped = shapes.skipped_rows(self.store, ids)
        return [
            replace(
                r, rows_merged=merged.get(r.import_id, 0), rows_skipped=skipped.get(r.import_id, 0)
            )
            for r in records
        ]

    # --- metrics ---------------------------------------------------------------------------

    def refresh_metrics(self, *, progress: Progress = no_progress) -> None:
        """Rebuild the derived creator-metrics table from the facts (inside the caller's transaction)."""
        from creatormix.metrics.profile import METRICS_VERSION, creator_profiles

        progress("metrics", 0, 1)
        expr = creator_profiles(
            facts.creators_current(self.store),
            facts.posts_current(self.store),
            facts.snapshots(self.store),
            self.tier_scheme(),
            self.metric_params(),
            top_n_aggregate=self.store.top_n_aggregate,
        )
        # creators built elsewhere (`import profiles`) where the workspace's own facts have none
        expr = imported.with_imported(self.store, expr)
        with self.store.transaction():
            self.store.replace_table(facts.METRICS_TABLE, expr)
            facts.stamp_metrics(self.store)
            if self.store.get_setting(METRICS_VERSION_SETTING) != METRICS_VERSION:
                self.store.set_setting(METRICS_VERSION_SETTING, METRICS_VERSION)
        self._metrics_checked = True
        progress("metrics", 1, 1)

    def _ensure_metrics(self) -> None:
        """Rebuild the metrics table when an import deferred it (``refresh=False``), or when an
        earlier definition built it (checked once per open workspace): a workspace never shows
        metrics of a superseded definition (per-follower TikTok rates of thousands of percent)."""
        from creatormix.metrics.profile import METRICS_VERSION

        stale = not self.store.has_table(facts.METRICS_TABLE) or (
            not self._metrics_checked
            and self.store.get_setting(METRICS_VERSION_SETTING) != METRICS_VERSION
        )
        if stale:
            with self.store.transaction():
                self.refresh_metrics()
        self._metrics_checked = True

    # --- queries ---------------------------------------------------------------------------

    def list_creators(self, query: CreatorQuery | None = None) -> CreatorPage:
        """Creators matching every filter, sorted; ``total`` counts all matches before the limit.

        An ER filter or sort leaves out creators without measured engagement unless the query
        includes them (``include_prior_only``); the page says how many it left out.
        """
        query = query or CreatorQuery()
        if query.limit is not None and query.limit < 0:
            raise InvalidOption(f"limit must be 0 or more, not {query.limit}")
        if query.offset < 0:
            raise InvalidOption(f"offset must be 0 or more, not {query.offset}")
        self._ensure_metrics()
        found = facts.query_creators(self.store, query)
        return CreatorPage(
            creators=tuple(self._profiles(found.rows)),
            total=found.total,
            query=query,
            left_out_prior_only=found.left_out_prior_only,
            synthetic=self.synthetic_label(),
            notes=found.notes,
        )

    def _profiles(self, rows: pa.Table) -> list[CreatorProfile]:
        from creatormix.metrics.intervals import beta_interval

        level = self.metric_params().interval
        lows, highs = beta_interval(
            rows["er_alpha"].to_numpy(zero_copy_only=False),
            rows["er_beta"].to_numpy(zero_copy_only=False),
            level,
        )
        return [
            mappers.profile_from_row(row, low, high, level)
            for row, low, high in zip(rows.to_pylist(), lows.tolist(), highs.tolist(), strict=True)
        ]

    def resolve_creator(self, ref: str | CreatorRef) -> tuple[str, str]:
        """(platform, handle) for ``@handle`` or ``platform:handle``; any case, '@' optional."""
        if isinstance(ref, str):
            try:
                ref = CreatorRef.parse(ref)
            except ValueError as exc:  # an unknown platform prefix ("myspace:@x")
                raise InvalidOption(f"{ref!r}: {exc}") from None
        self._ensure_metrics()
        rows = facts.find_creators(
            self.store, ref.handle, ref.platform.value if ref.platform else None
        )
        if not rows:
            near = facts.similar_handles(self.store, ref.handle)
            hint = f"; did you mean {', '.join('@' + h for h in near)}?" if near else ""
            raise NotFound(
                f"no creator @{ref.handle}{' on ' + ref.platform.value if ref.platform else ''}{hint}"
            )
        if len(rows) > 1:
            options = ", ".join(f"{r['platform']}:{r['handle']}" for r in rows)
            raise InvalidOption(f"@{ref.handle} is on several platforms; say which: {options}")
        return rows[0]["platform"], rows[0]["handle"]

    def get_creator(self, ref: str | CreatorRef, *, posts: int = 12) -> CreatorDetail:
        """A creator's profile with recent posts, follower snapshots, sources and prior evidence."""
        from creatormix.metrics.activity import sponsored_flag

        if posts < 0:
            raise InvalidOption(f"posts must be 0 or more, not {posts}")
        platform, handle = self.resolve_creator(ref)
        rows = facts.creator_row(self.store, platform, handle)
        profile = self._profiles(rows)[0]
        row = rows.to_pylist()[0]
        recent = facts.recent_posts(self.store, platform, handle, posts, sponsored_flag)
        snaps = facts.creator_snapshots(self.store, platform, handle)
        import_ids = facts.creator_import_ids(self.store, platform, handle)
        sources = tuple(
            self._with_merged([self.store.get_import(i) for i in sorted(set(import_ids))])
        )
        return CreatorDetail(
            profile=profile,
            recent_posts=tuple(
                replace(mappers.post_from_row(r), disclosed=r["disclosed"]) for r in recent
            ),
            snapshots=tuple(mappers.snapshot_from_row(r) for r in snaps),
            sources=sources,
            prior_er=row.get("prior_er"),
            prior_source=row.get("prior_source") or "none",
            data_weight=row.get("data_weight"),
            synthetic=self.synthetic_label(),
        )

    def tier_summary(self, *, by_platform: bool = True) -> TierSummary:
        """Creators, median followers, median shrunk and observed ER, posts and price per tier."""
        self._ensure_metrics()
        agg = self.store.remember(  # valid until the metrics table is rebuilt
            ("tier summary", by_platform),
            lambda: facts.tier_summary_rows(self.store, by_platform=by_platform),
            stamp=facts.metrics_stamp(self.store),
        )
        scheme = self.tier_scheme()
        order = {tier: i for i, tier in enumerate(["nano", "micro", "mid", "macro", "mega"])}
        rows = []
        for r in agg:
            rows.append(
                TierSummaryRow(
                    platform=r.get("platform", "all"),
                    tier=r["tier"],
                    creators=int(r["creators"]),
                    median_followers=r["median_followers"],
                    median_er=r["median_er"],
                    median_er_observed=r["median_er_observed"],
                    creators_with_posts=int(r["creators_with_posts"] or 0),
                    posts=int(r["posts"] or 0),
                    median_price=r["median_price"],
                )
            )
        rows.sort(key=lambda r: (r.platform, order.get(r.tier, 9)))
        return TierSummary(scheme=scheme.name, rows=tuple(rows))

    def catalog_counts(self) -> dict[str, int]:
        """Creators, current posts and imports in the workspace."""
        self._ensure_metrics()
        return {**facts.counts(self.store), "imports": len(self.store.imports())}
