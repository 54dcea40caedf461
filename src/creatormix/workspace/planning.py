"""Planning use cases: make and save plans, show them again, import follower lists, manage priors."""

from __future__ import annotations

import csv
import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from creatormix.domain.brief import Brief
from creatormix.domain.followers import FollowerImportReport, FollowerListStat
from creatormix.domain.imports import ImportKind, ImportRecord
from creatormix.domain.plan_result import Plan, PlanSummary
from creatormix.domain.query import Progress, no_progress
from creatormix.errors import ColumnProblem, InvalidOption, RowsRejected
from creatormix.store import campaigns as cstore
from creatormix.store import catalog as facts
from creatormix.store import planning as plans_store
from creatormix.store.core import current_user, utcnow
from creatormix.workspace.catalog import CatalogOps

if TYPE_CHECKING:
    from creatormix.planning.candidates import Candidates
    from creatormix.planning.costs import RateCard
    from creatormix.planning.priors import PriorOverride, PriorTable
    from creatormix.planning.seams import SignalSource

_CREATOR_COLUMNS = ("creator", "handle", "influencer", "account", "creator_handle", "profile")
_FOLLOWER_COLUMNS = (
    "follower",
    "follower_id",
    "follower id",
    "follower_username",
    "follower_handle",
    "followerid",
    "user_id",
    "username",
    "user",
)
_PLATFORM_COLUMNS = ("platform", "network", "channel")


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
        brief: Brief,
        *,
        save: bool = True,
        progress: Progress = no_progress,
        time_limit: float = 20.0,
    ) -> Plan:
        """The best plan for ``brief`` from this workspace's catalog; saved unless ``save=False``."""
        from creatormix.planning.planner import PlanInputs, make_plan

        if not time_limit > 0:  # also NaN
            raise InvalidOption(
                f"time limit {time_limit:g}: the optimiser needs more than 0 seconds"
            )

        cands = self.planning_candidates()
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
        if not save:
            return plan
        with self.store.transaction():
            plan_id = plans_store.next_plan_id(self.store)
            plan = replace(plan, plan_id=plan_id)
            plans_store.save_plan(self.store, plan, current_user())
        return plan

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
        import pyarrow as pa

        from creatormix.metrics.reach import views_stats
        from creatormix.planning.candidates import COLUMNS, Candidates

        self._ensure_metrics()
        views = views_stats(facts.posts_current(self.store), self.metric_params())
        table = plans_store.candidate_table(self.store, views)
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
        from creatormix.domain.imports import ImportOptions
        from creatormix.ingest.readers import open_source
        from creatormix.planning import sketches
        from creatormix.planning.planner import MIN_LIST_SHARE

        t0 = time.perf_counter()
        path = Path(path)
        display = str(path)
        source = open_source(path)
        fingerprint = ImportOptions().fingerprint() + f";followers;platform={platform or ''}"
        earlier = self.store.find_import(ImportKind.FOLLOWERS, source.facts.sha256, fingerprint)
        if earlier is not None:
            return FollowerImportReport(
                display,
                source.facts.sha256,
                earlier.rows_read,
                earlier.rows_accepted,
                0,
                already_imported_as=earlier.import_id,
            )
        table = _read_links(source, display, progress)
        keys, unknown = self._resolve_creators(table, platform)
        if unknown:
            listed = ", ".join(f"{u} ({n:,} row{'' if n == 1 else 's'})" for u, n in unknown[:10])
            more = f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""
            raise RowsRejected(
                f"{display}: {len(unknown)} creator(s) are not in the catalog: {listed}{more}; "
                "nothing was imported (import those creators first, or remove their rows)"
            )
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        followers = table["follower"]
        creator_codes, creator_keys = keys
        # distinct (creator, follower) pairs
        pairs = pa.table({"c": creator_codes, "f": followers}).group_by(["c", "f"]).aggregate([])
        codes = pairs["c"].to_numpy()
        fids = pairs["f"]
        lg = int(lg_k or self.store.get_setting("planning.sketch_lg_k", sketches.DEFAULT_LG_K))
        progress("sketching", 0, len(creator_keys))
        blobs = _sketch_groups(codes, fids, len(creator_keys), lg, progress)
        now = utcnow()
        catalog = {
            (r["platform"], r["handle"]): r["followers"]
            for r in plans_store.creator_keys(self.store).to_pylist()
        }
        counts = np.bincount(codes, minlength=len(creator_keys))
        stats = []
        warnings = []
        for k, (plat, handle) in enumerate(creator_keys):
            f = catalog.get((plat, handle))
            stats.append(
                FollowerListStat(plat, handle, int(counts[k]), int(f) if f is not None else None)
            )
            if f and counts[k] < MIN_LIST_SHARE * f:
                warnings.append(
                    f"@{handle}: the list names {counts[k]:,} of {int(f):,} followers; plans use a "
                    f"list for overlap once it names at least {MIN_LIST_SHARE:.0%} of them"
                )
        with self.store.transaction():
            import_id = self.store.next_id("imports", "import_id")
            links = pa.table(
                {
                    "import_id": pa.array(np.full(len(codes), import_id, dtype=np.int64)),
                    "platform": pc.take(
                        pa.array([p for p, _ in creator_keys], pa.string()), pa.array(codes)
                    ),
                    "handle": pc.take(
                        pa.array([h for _, h in creator_keys], pa.string()), pa.array(codes)
                    ),
                    "follower_id": fids.cast(pa.string()),
                }
            )
            plans_store.append_links(self.store, links)
            plans_store.replace_sketches(
                self.store,
                [
                    {
                        "platform": p,
                        "handle": h,
                        "import_id": import_id,
                        "followers_listed": int(counts[k]),
                        "lg_k": lg,
                        "sketch": blobs[k],
                    }
                    for k, (p, h) in enumerate(creator_keys)
                ],
            )
            self.store.log_import(
                ImportRecord(
                    import_id,
                    ImportKind.FOLLOWERS,
                    path.name,
                    source.facts.sha256,
                    table.num_rows,
                    len(codes),
                    0,
                    now,
                    current_user(),
                ),
                fingerprint=fingerprint,
                file_path=str(path.resolve()),
                rows_merged=table.num_rows - len(codes),
            )
        return FollowerImportReport(
            file=display,
            file_hash=source.facts.sha256,
            rows_read=table.num_rows,
            links=len(codes),
            creators=len(creator_keys),
            import_id=import_id,
            lists=tuple(stats),
            warnings=tuple(warnings[:20])
            + ((f"... and {len(warnings) - 20} more",) if len(warnings) > 20 else ()),
            seconds=time.perf_counter() - t0,
        )

    def _resolve_creators(
        self, table: Any, platform: str | None
    ) -> tuple[tuple[Any, list[tuple[str, str]]], list[tuple[str, int]]]:
        """Catalog keys for the file's creator column; unknown or ambiguous creators with row counts."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        from creatormix.domain.platform import Platform

        default_platform = None
        if platform:
            try:
                default_platform = Platform.parse(platform).value
            except ValueError as exc:
                raise InvalidOption(str(exc)) from None
        self._ensure_metrics()
        known = plans_store.creator_keys(self.store)
        by_handle: dict[str, list[str]] = {}
        for p, h in zip(known["platform"].to_pylist(), known["handle"].to_pylist(), strict=True):
            by_handle.setdefault(h, []).append(p)
        raw = table["creator"]
        plat_col = table["platform"] if "platform" in table.column_names else None
        combo = (
            raw
            if plat_col is None
            else pc.binary_join_element_wise(pc.fill_null(plat_col, ""), raw, "\x1f")
        )
        uniq = pc.unique(combo).to_pylist()
        dict_index = pc.index_in(combo, value_set=pa.array(uniq))
        resolved: list[tuple[str, str] | None] = []
        for value in uniq:
            plat_given, _, ref_text = (
                value.rpartition("\x1f") if plat_col is not None else ("", "", value)
            )
            parsed = _parse_follower_creator(ref_text, plat_given)
            if parsed is None:
                resolved.append(None)
                continue
            plat, handle, _ = parsed
            plat = plat or default_platform
            options = by_handle.get(handle, [])
            if plat is not None:
                resolved.append((plat, handle) if plat in options else None)
            elif len(options) == 1:
                resolved.append((options[0], handle))
            else:
                resolved.append(None)
        idx = dict_index.to_numpy(zero_copy_only=False)
        row_counts = np.bincount(idx, minlength=len(uniq))
        unknown = [
            (_label(v, plat_col is not None, default_platform), int(row_counts[k]))
            for k, v in enumerate(uniq)
            if resolved[k] is None
        ]
        keys = sorted({r for r in resolved if r is not None})
        pos = {k: i for i, k in enumerate(keys)}
        map_arr = np.array([pos[r] if r is not None else -1 for r in resolved], dtype=np.int64)
        codes = map_arr[idx] if len(idx) else np.zeros(0, dtype=np.int64)
        return (pa.array(codes), keys), sorted(unknown, key=lambda u: -u[1])


def _parse_follower_creator(text: str, plat_given: str) -> tuple[str | None, str, bool] | None:
    """A follower file's creator cell: (platform, handle, whether the platform column's value
    named no platform), or None when the cell names no one. The platform is the cell's own
    (``tiktok:@ann``), else the file's platform column; None leaves it to ``--platform``."""
    from creatormix.domain.catalog import CreatorRef
    from creatormix.domain.platform import Platform

    try:
        ref = CreatorRef.parse(text)
    except ValueError:
        return None
    if ref.platform:
        return (ref.platform.value, ref.handle, False)
    if not plat_given:
        return (None, ref.handle, False)
    try:
        return (Platform.parse(plat_given).value, ref.handle, False)
    except ValueError:
        return (None, ref.handle, True)


def _label(value: str, with_platform_column: bool, default_platform: str | None) -> str:
    """A creator of a follower file as the catalog names one: ``platform:@handle`` or ``@handle``."""
    plat_given, _, text = value.rpartition("\x1f") if with_platform_column else ("", "", value)
    parsed = _parse_follower_creator(text, plat_given)
    if parsed is None:
        return text
    plat, handle, unknown_platform = parsed
    # a platform the file names but we do not know is shown as the file wrote it
    plat = plat or (plat_given if unknown_platform else None) or default_platform
    return f"{plat}:@{handle}" if plat else f"@{handle}"


def _scheme_name(raw: object) -> str:
    return str(raw.get("name", "default")) if isinstance(raw, dict) else "default"


def _find(header: list[str], names: Sequence[str]) -> int | None:
    norm = [h.strip().lower().replace("-", "_") for h in header]
    for name in names:
        key = name.replace(" ", "_")
        if key in norm:
            return norm.index(key)
    return None


def _read_links(source: Any, display: str, progress: Progress) -> Any:
    """The file as a table (creator, follower[, platform]) of cleaned strings."""
    import pyarrow as pa
    import pyarrow.compute as pc

    header = source.header
    ci = _find(header, _CREATOR_COLUMNS)
    fi = _find(header, _FOLLOWER_COLUMNS)
    pi = _find(header, _PLATFORM_COLUMNS)
    if ci is None or fi is None:
        raise ColumnProblem(
            f"{display}: a follower list needs a creator column ({', '.join(_CREATOR_COLUMNS[:3])}) "
            f"and a follower column ({', '.join(_FOLLOWER_COLUMNS[:4])}); the header is: {', '.join(header)}"
        )
    if fi == ci:
        raise ColumnProblem(
            f"{display}: the creator and follower columns must differ (header: {', '.join(header)})"
        )
    parts: dict[str, list[Any]] = {"creator": [], "follower": [], "platform": []}
    read = 0
    for batch in source.batches():
        cols = {name: batch.column(i) for i, name in ((ci, "creator"), (fi, "follower"))}
        if pi is not None:
            cols["platform"] = batch.column(pi)
        for name, col in cols.items():
            col = col.cast(pa.string()) if col.type != pa.string() else col
            col = pc.utf8_trim_whitespace(col)
            if name == "follower":
                col = pc.utf8_lower(pc.utf8_ltrim(col, characters="@"))
            parts[name].append(col)
        read += batch.num_rows
        progress("reading", read, source.rows_estimate)
    data = {k: pa.chunked_array(v, type=pa.string()) for k, v in parts.items() if v}
    table = pa.table(data)
    blank = pc.or_(pc.equal(table["creator"], ""), pc.equal(table["follower"], ""))
    blank = pc.or_(blank, pc.or_(pc.is_null(table["creator"]), pc.is_null(table["follower"])))
    n_blank = int(pc.sum(blank.cast(pa.int64())).as_py() or 0)
    if n_blank:
        import numpy as np

        rows = np.flatnonzero(np.asarray(blank.to_numpy(zero_copy_only=False), dtype=bool))
        records = source.record_numbers(0, table.num_rows)[rows[:10]]
        if source.line_based:
            where = "line(s) " + ", ".join(
                str(line) if (line := source.locate(int(r))) is not None else f"record {r + 1}"
                for r in records
            )
        else:
            where = "row(s) " + ", ".join(str(int(r) + 1) for r in records)
        more = f" and {n_blank - 10:,} more" if n_blank > 10 else ""
        raise RowsRejected(
            f"{display}: {n_blank:,} row(s) have an empty creator or follower ({where}{more}); "
            "nothing was imported"
        )
    if table.num_rows == 0:
        raise RowsRejected(f"{display}: no follower rows")
    return table


def _sketch_groups(
    codes: Any, followers: Any, n: int, lg_k: int, progress: Progress
) -> list[bytes]:
    """One theta sketch per creator code. Numeric ids hash as integers, others as text, so the same
    follower gets the same hash in every list (``planning.sketches``)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from creatormix.planning import sketches

    numeric = pc.match_substring_regex(followers, r"^[0-9]{1,18}$")
    is_num = np.asarray(numeric.to_numpy(zero_copy_only=False), dtype=bool)
    if is_num.all():
        ids: Any = pc.cast(followers, pa.int64()).to_numpy()
    else:
        ids = np.empty(len(codes), dtype=object)
        ids[:] = followers.to_pylist()
        if is_num.any():
            ids[is_num] = pc.cast(pc.filter(followers, numeric), pa.int64()).to_numpy().tolist()
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
