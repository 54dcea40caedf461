"""Planning use cases: make and save plans, show them again, import follower lists, manage priors."""

from __future__ import annotations

import csv
import os
import time
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from creatormix.domain.brief import Brief
from creatormix.domain.followers import FollowerImportReport
from creatormix.domain.imports import ImportKind, ImportRecord
from creatormix.domain.plan_result import Plan, PlanSummary
from creatormix.domain.query import Progress, no_progress
from creatormix.domain.requests import PlanRequest
from creatormix.errors import InvalidOption
from creatormix.store import campaigns as cstore
from creatormix.store import catalog as facts
from creatormix.store import planning as plans_store
from creatormix.store import profiles as imported
from creatormix.store.core import current_user, utcnow
from creatormix.workspace.catalog import CatalogOps

if TYPE_CHECKING:
    from creatormix.ingest.followers import FollowerLists
    from creatormix.planning.candidates import Candidates
    from creatormix.planning.costs import RateCard
    from creatormix.planning.priors import PriorOverride, PriorTable
    from creatormix.planning.seams import SignalSource


class PlanningOps(CatalogOps):
    """Plans read the catalog (``CatalogOps``); vetting's factors come through ``planning_signals``."""

    # --- briefs and plans ----------------------------------------------------------------------

    def brief(
        self, path: str | Path | None = None, overrides: Mapping[str, Any] | None = None
    ) -> Brief:
        """A validated brief from a TOML file and/or flag overrides (dotted keys, raw strings ok)."""
        from creatormix.planning.brief import load_toml, merge, parse_brief

        base = load_toml(str(path)) if path else {}
        data = merge(base, overrides or {})
        return parse_brief(data, source=str(path) if path else "brief")

    def plan(
        self,
        request: PlanRequest | Brief,
        *,
        save: bool = True,
        progress: Progress = no_progress,
        time_limit: float = 20.0,
    ) -> Plan:
        """The best plan for a ``PlanRequest`` (or a brief, with ``save`` and ``time_limit``)
        from this workspace's catalog; saved unless not asked to, its outputs written."""
        req = (
            request
            if isinstance(request, PlanRequest)
            else PlanRequest(brief=request, save=save, time_limit=time_limit)
        )
        brief = req.brief or self.brief(req.brief_file, req.overrides)
        self._check_plan_outputs(req, brief)
        only = None if req.shortlist is None else self._shortlist_refs(req.shortlist, brief)
        plan = self._make_plan(brief, progress, req.time_limit, only)
        if req.save:
            with self.store.transaction():
                plan_id = plans_store.next_plan_id(self.store)
                plan = replace(plan, plan_id=plan_id)
                plans_store.save_plan(self.store, plan, current_user())
        if req.frontier_html is not None:
            self.write_frontier_html(plan, req.frontier_html)
        if req.export_csv is not None:
            self.export_plan_csv(plan, req.export_csv)
        return plan

    def _check_plan_outputs(self, req: PlanRequest, brief: Brief) -> None:
        """Before planning: nothing is saved when an output cannot be written."""
        if req.frontier_html is not None and not brief.frontier:
            raise InvalidOption(
                "--frontier needs the frontier: drop --no-frontier (or [frontier] enabled = false)"
            )
        if req.frontier_html is not None:
            self.check_output(req.frontier_html, "frontier chart")
        if req.export_csv is not None:
            self.check_output(req.export_csv, "plan CSV")

    def _shortlist_refs(self, ref: str | int, brief: Brief) -> tuple[str, list[str]]:
        """(the shortlist's name, its creators as ``platform:handle``); its must_include
        creators must be on it."""
        from creatormix.store.shortlists import find

        s = find(self.store, ref)
        if not s.entries:
            raise InvalidOption(f"shortlist {s.name!r} is empty: add creators to it first")
        on = {e.handle for e in s.entries} | {f"{e.platform}:{e.handle}" for e in s.entries}
        missing = [m for m in brief.must_include if m.lower().lstrip("@") not in on]
        if missing:
            raise InvalidOption(
                f"must_include {', '.join(missing)} not on shortlist {s.name!r}",
                field="constraints.must_include",
            )
        return s.name, [f"{e.platform}:{e.handle}" for e in s.entries]

    def _make_plan(
        self,
        brief: Brief,
        progress: Progress,
        time_limit: float,
        only: tuple[str, list[str]] | None = None,
    ) -> Plan:
        from creatormix.planning.planner import PlanInputs, make_plan, resolve_refs

        if not time_limit > 0:  # also NaN
            raise InvalidOption(
                f"time limit {time_limit:g}: the optimiser needs more than 0 seconds"
            )

        cands = self.planning_candidates()
        if only is not None:
            import numpy as np

            cands = cands.take(
                np.array(sorted(resolve_refs(cands, only[1], "shortlist")), dtype=np.int64)
            )
        sketches = plans_store.sketches(self.store)
        inputs = PlanInputs(
            candidates=cands,
            priors=self.planning_priors(),
            rate_card=self.rate_card(),
            signals=self.planning_signals(),
            sketches=sketches or None,
            duplication=float(self.store.get_setting("planning.duplication", 2.0)),
            info=self._catalog_info(),
        )
        plan = make_plan(brief, inputs, now=utcnow(), progress=progress, time_limit=time_limit)
        if only is None:
            return plan
        note = f"candidates: the {len(only[1])} creators of shortlist {only[0]!r}"
        return replace(plan, notes=(note, *plan.notes))

    def get_plan(self, plan_id: int) -> Plan:
        """A saved plan, exactly as it was made (a ``PlanRecord`` for campaigns)."""
        return plans_store.load_plan(self.store, int(plan_id))

    def plans(self) -> list[PlanSummary]:
        """Every saved plan, oldest first: goal, budget, creators, expected goal value."""
        return plans_store.list_plans(self.store)

    def check_output(self, path: str | Path, what: str) -> Path:
        """Fail now, with one line, if ``what`` could not be written to ``path`` later.

        Called before planning, so that a plan is never saved when one of its outputs cannot be
        written: the check creates and removes the temporary file the writer would use.
        """
        target = Path(path)
        if target.is_dir():
            raise InvalidOption(f"cannot write the {what} to {target}: it is a directory")
        if not target.parent.is_dir():
            raise InvalidOption(
                f"cannot write the {what} to {target}: no such directory {target.parent}"
            )
        tmp = target.with_name(target.name + ".tmp")
        try:
            with tmp.open("a", encoding="utf-8"):
                pass
            tmp.unlink()
            if target.exists() and not os.access(target, os.W_OK):
                raise PermissionError("the file is read-only")
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise InvalidOption(f"cannot write the {what} to {target}: {reason}") from None
        return target

    def export_plan_csv(self, plan: Plan, path: str | Path) -> Path:
        """Write the plan's picks as CSV (atomically: a temporary file renamed into place)."""
        from creatormix.planning.export import rows

        target = Path(path)
        header, data = rows(plan)
        tmp = target.with_name(target.name + ".tmp")
        with tmp.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows(data)
        tmp.replace(target)
        return target

    def write_frontier_html(self, plan: Plan, path: str | Path) -> Path:
        """Write the frontier chart as one self-contained HTML file (plotly.js inside)."""
        from creatormix.planning.chart import frontier_html

        if plan.frontier is None:
            raise InvalidOption(
                "this plan has no frontier (made with --no-frontier); plan again without it"
            )
        target = Path(path)
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_text(frontier_html(plan), encoding="utf-8")
        tmp.replace(target)
        return target

    # --- inputs --------------------------------------------------------------------------------

    def planning_candidates(self) -> Candidates:
        """Every creator's planning columns (metrics joined to measured views)."""
        from creatormix.metrics.reach import views_stats

        self._ensure_metrics()
        views = views_stats(facts.posts_current(self.store), self.metric_params())
        views = imported.with_imported_views(self.store, views)
        return candidates_from_table(plans_store.candidate_table(self.store, views))

    def planning_signals(self) -> SignalSource | None:
        """The vetting signals plans weigh creators by: none here; ``Workspace``, which has
        vetting, returns vetting's (``Workspace.planning_signals``)."""
        return None

    def _catalog_info(self) -> dict[str, object]:
        imports = self.store.imports()
        listed, links = plans_store.sketch_summary(self.store)
        return {
            "imports": [i.import_id for i in imports],
            "last_import_at": imports[-1].imported_at.isoformat() if imports else None,
            "tier_scheme": _scheme_name(self.store.get_setting("tiers.scheme", None)),
            "metric_params": self.metric_params().to_json(),
            "follower_lists": {"creators": listed, "links": links},
            "schema_version": self.store.schema_version(),
        }

    # --- priors, rate card, learned rates ------------------------------------------------------

    def prior_overrides(self) -> list[PriorOverride]:
        """The workspace's overrides of published priors (``set_prior``), in the order set."""
        from creatormix.planning.priors import PriorOverride

        raw = self.store.get_setting("planning.priors", [])
        return [PriorOverride.from_json(r) for r in raw]

    def set_prior(
        self,
        metric: str,
        mean: float,
        *,
        platform: str = "*",
        tier: str = "*",
        strength: float = 50.0,
        note: str = "",
    ) -> PriorOverride:
        """Override a published prior in this workspace (replaces an earlier override of the same key)."""
        from creatormix.planning.priors import PriorOverride, validate_override

        o = PriorOverride(platform, tier, metric, float(mean), float(strength), note)
        problem = validate_override(o)
        if problem:
            raise InvalidOption(f"prior {platform}/{tier}/{metric}: {problem}")
        kept = [
            x.to_json()
            for x in self.prior_overrides()
            if (x.platform, x.tier, x.metric) != (platform, tier, metric)
        ]
        with self.store.transaction():
            self.store.set_setting("planning.priors", [*kept, o.to_json()])
        return o

    def clear_priors(self) -> None:
        """Drop every prior override: plans use the published priors (and learned rates) again."""
        with self.store.transaction():
            self.store.set_setting("planning.priors", [])

    def planning_priors(self) -> PriorTable:
        """The priors the next plan uses: published, then overrides, then learned rates."""
        from creatormix.planning.priors import DEFAULT_LEARNED_CAP, PriorTable

        cap = float(self.store.get_setting("planning.learned_cap", DEFAULT_LEARNED_CAP))
        return PriorTable(self.prior_overrides(), cstore.latest_learned_rates(self.store), cap)

    def rate_card(self) -> RateCard:
        """The rate card (published ranges with this workspace's overrides)."""
        from creatormix.planning.costs import RateCard

        raw = self.store.get_setting("planning.rate_card", None)
        card = RateCard()
        if raw:
            ranges = {
                p: {t: (float(v[0]), float(v[1])) for t, v in tiers.items()}
                for p, tiers in raw.get("ranges", {}).items()
            }
            formats = {
                p: {
                    f: {t: (float(v[0]), float(v[1])) for t, v in tiers.items()}
                    for f, tiers in fmts.items()
                }
                for p, fmts in raw.get("formats", {}).items()
            }
            card = card.with_overrides(ranges, raw.get("note", ""), formats)
        return card

    def set_rate(
        self,
        platform: str,
        tier: str,
        low: float,
        high: float,
        *,
        note: str = "",
        fmt: str | None = None,
    ) -> RateCard:
        """Override the rate card for one platform x tier, or for one format of it (``fmt``:
        post, carousel, video/reel, story), in the card's currency (USD).

        A format's range replaces the platform's multiplier for that format and tier; without a
        format the range is for the platform's usual piece (an Instagram post, a TikTok or YouTube
        video), which other formats scale.
        """
        platform, fmt_value = _rate_key(platform, tier, low, high, fmt)
        raw = self.store.get_setting("planning.rate_card", None) or {"ranges": {}}
        if fmt_value is None:
            raw.setdefault("ranges", {}).setdefault(platform, {})[tier] = [low, high]
        else:
            formats = raw.setdefault("formats", {}).setdefault(platform, {})
            formats.setdefault(fmt_value, {})[tier] = [low, high]
        if note:
            raw["note"] = note
        with self.store.transaction():
            self.store.set_setting("planning.rate_card", raw)
        return self.rate_card()

    # --- follower lists ------------------------------------------------------------------------

    def import_followers(
        self,
        path: str | Path,
        *,
        platform: str | None = None,
        progress: Progress = no_progress,
        lg_k: int | None = None,
    ) -> FollowerImportReport:
        """Import a follower list (creator, follower id) and rebuild those creators' sketches.

        Every creator must be in the catalog: if any is not, the file is rejected whole and the
        message lists them. A creator's list replaces its earlier one. Re-importing the same file
        changes nothing.
        """
        import numpy as np

        from creatormix.ingest.followers import read_follower_lists
        from creatormix.ingest.readers import open_source
        from creatormix.planning import sketches
        from creatormix.planning.follower_lists import list_stats

        t0 = time.perf_counter()
        path = Path(path)
        source = open_source(path)
        fingerprint = _followers_fingerprint(platform)
        earlier = self.store.find_import(ImportKind.FOLLOWERS, source.facts.sha256, fingerprint)
        if earlier is not None:
            return _already_imported(str(path), source.facts.sha256, earlier)
        self._ensure_metrics()
        known = plans_store.creator_keys(self.store)
        lists = read_follower_lists(source, str(path), known, platform, progress)
        lg = int(lg_k or self.store.get_setting("planning.sketch_lg_k", sketches.DEFAULT_LG_K))
        progress("sketching", 0, len(lists.keys))
        blobs = _sketch_groups(lists.codes, lists.followers, len(lists.keys), lg, progress)
        counts = np.bincount(lists.codes, minlength=len(lists.keys))
        stats, warnings = list_stats(lists.keys, counts, _followers_by_key(known))
        import_id = self._save_follower_lists(path, source, fingerprint, lists, counts, blobs, lg)
        return FollowerImportReport(
            file=str(path),
            file_hash=source.facts.sha256,
            rows_read=lists.rows_read,
            links=len(lists.codes),
            creators=len(lists.keys),
            import_id=import_id,
            lists=tuple(stats),
            warnings=warnings,
            seconds=time.perf_counter() - t0,
        )

    def _save_follower_lists(
        self,
        path: Path,
        source: Any,
        fingerprint: str,
        lists: FollowerLists,
        counts: Any,
        blobs: list[bytes],
        lg: int,
    ) -> int:
        """Append the links, replace the creators' sketches and log the import; its id."""
        now = utcnow()
        with self.store.transaction():
            import_id = self.store.next_id("imports", "import_id")
            plans_store.append_follower_links(
                self.store, import_id, lists.keys, lists.codes, lists.followers
            )
            plans_store.replace_list_sketches(self.store, import_id, lists.keys, counts, lg, blobs)
            self.store.log_import(
                ImportRecord(
                    import_id,
                    ImportKind.FOLLOWERS,
                    path.name,
                    source.facts.sha256,
                    lists.rows_read,
                    len(lists.codes),
                    0,
                    now,
                    current_user(),
                ),
                fingerprint=fingerprint,
                file_path=str(path.resolve()),
                rows_merged=lists.rows_read - len(lists.codes),
            )
        return import_id


def candidates_from_table(table: Any) -> Candidates:
    """The planner's arrays from the store's candidate table (``store.planning.candidate_table``)."""
    import pyarrow as pa

    from creatormix.planning.candidates import COLUMNS, Candidates

    columns: dict[str, object] = {}
    for name in COLUMNS:
        if name not in table.column_names:
            continue
        col = table[name]
        if pa.types.is_integer(col.type) or pa.types.is_floating(col.type):
            columns[name] = col.cast(pa.float64()).to_numpy(zero_copy_only=False)
        else:
            columns[name] = col.to_pylist()
    return Candidates.from_columns(**columns)


def _rate_key(
    platform: str, tier: str, low: float, high: float, fmt: str | None
) -> tuple[str, str | None]:
    """(platform, format) of a rate-card override, checked; InvalidOption naming a bad value."""
    from creatormix.domain.platform import Platform
    from creatormix.planning.brief import TIERS, parse_format

    try:
        platform = Platform.parse(platform).value
    except ValueError as exc:
        raise InvalidOption(str(exc)) from None
    if tier not in TIERS:
        raise InvalidOption(f"unknown tier {tier!r} (choose {', '.join(TIERS)})")
    fmt_value = None
    if fmt is not None:
        parsed = parse_format(fmt)
        if parsed is None:
            raise InvalidOption(
                f"unknown format {fmt!r} (choose post, carousel, video (reel) or story)"
            )
        fmt_value = parsed.value
    if not 0 < low <= high:
        raise InvalidOption(f"rate {low:,.2f}-{high:,.2f}: need 0 < low <= high")
    return platform, fmt_value


def _followers_by_key(known: Any) -> dict[tuple[str, str], Any]:
    return {(r["platform"], r["handle"]): r["followers"] for r in known.to_pylist()}


def _followers_fingerprint(platform: str | None) -> str:
    from creatormix.domain.imports import ImportOptions

    return ImportOptions().fingerprint() + f";followers;platform={platform or ''}"


def _already_imported(display: str, sha256: str, earlier: ImportRecord) -> FollowerImportReport:
    return FollowerImportReport(
        display,
        sha256,
        earlier.rows_read,
        earlier.rows_accepted,
        0,
        already_imported_as=earlier.import_id,
    )


def _scheme_name(raw: object) -> str:
    return str(raw.get("name", "default")) if isinstance(raw, dict) else "default"


def _sketch_groups(
    codes: Any, followers: Any, n: int, lg_k: int, progress: Progress
) -> list[bytes]:
    """One theta sketch per creator code, over the followers' ids (``ingest.followers.sketch_ids``)."""
    import numpy as np

    from creatormix.ingest.followers import sketch_ids
    from creatormix.planning import sketches

    ids = sketch_ids(followers)
    progress("sketching", 0, n)
    blobs = sketches.build_many(
        np.asarray(codes, dtype=np.int64),
        ids,
        n,
        lg_k,
        progress=lambda done, total: progress("sketching", done, total),
    )
    progress("sketching", n, n)
    return blobs
