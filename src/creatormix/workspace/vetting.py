"""Vetting use cases: import follower samples, audience shares and comments; audit creators;
audience fit, niche relevance, search; and the per-creator factors the planner consumes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict
from datetime import datetime
from typing import TYPE_CHECKING, Any

from creatormix.domain.catalog import CreatorRef
from creatormix.domain.imports import ImportWarning, Reject
from creatormix.domain.query import Progress, no_progress
from creatormix.domain.vetting import (
    AudienceFit,
    AuditCoverage,
    AuthenticityReport,
    CreatorMatch,
    CreatorVetting,
    Relevance,
    Target,
    VettingFactors,
)
from creatormix.errors import InvalidOption
from creatormix.store import catalog as facts
from creatormix.store import vetting as vstore
from creatormix.store.core import Store
from creatormix.vetting.authenticity import FakePrior

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pyarrow as pa

    from creatormix.ingest.readers import Source
    from creatormix.ingest.tabulate import Tabulator

Key = tuple[str, str]
ImportResult = tuple[int, list[Reject], list[ImportWarning]]

TARGET_SETTING = "vetting.target"
FAKE_PRIOR_SETTING = "vetting.fake_prior"  # {"state": [last sample import, model], "prior": ...}
SAMPLE_COLUMNS = (
    "username",
    "posts",
    "following",
    "followers",
    "has_profile_picture",
    "is_private",
    "username_length",
    "username_digits",
    "username_ends_with_digit",
    "username_non_alpha",
)
_METRIC_COLUMNS = (
    "platform",
    "handle",
    "name",
    "tier",
    "followers",
    "country",
    "language",
    "audience_country",
    "er_shrunk",
    "er_alpha",
    "er_beta",
    "er_source",
    "prior_er",
    "posts_measured",
    "posts_total",
    "sponsored_posts",
    "bio",
    "categories",
)


class VettingOps:
    store: Store

    if TYPE_CHECKING:  # provided by CatalogOps, which precedes this mixin in Workspace's bases

        def _ensure_metrics(self) -> None: ...

        def resolve_creator(self, ref: str | CreatorRef) -> tuple[str, str]: ...

    # --- imports (called by CatalogOps.import_file inside its transaction) -------------------

    def _import_followers_sample(
        self,
        tab: Tabulator,
        source: Source,
        import_id: int,
        display: str,
        now: datetime,
        progress: Progress,
    ) -> ImportResult:
        _require_profile_column(tab, display, source.header)
        accepted, rejects = 0, []
        for chunk in tab.chunks():
            table, rejected = self._with_platforms(chunk.table, display, source)
            table, blank = _without_blank_followers(table, display, source)
            rejects += rejected + blank
            accepted += vstore.append_follower_samples(self.store, table, import_id, now)
            progress("writing", chunk.records_read, source.rows_estimate)
        if accepted:
            self._store_fake_prior()
        return accepted, rejects, self._orphans_note("follower_samples", import_id)

    def _import_audience(
        self,
        tab: Tabulator,
        source: Source,
        import_id: int,
        display: str,
        now: datetime,
        progress: Progress,
    ) -> ImportResult:
        import pyarrow as pa

        from creatormix.ingest.audience import check_shares

        rejects: list[Reject] = []
        tables = []
        share = next(p for p in tab.plans if p.field is not None and p.field.name == "share")
        cells: list[object] = []
        read = source.batches

        def batches() -> Iterator[pa.RecordBatch]:  # keep the share cells as written
            for batch in read():
                cells.extend(batch.column(share.index).to_pylist())
                yield batch

        source.batches = batches
        try:
            for chunk in tab.chunks():
                table, rejected = self._with_platforms(chunk.table, display, source)
                rejects += rejected
                tables.append(table)
                progress("reading", chunk.records_read, source.rows_estimate)
        finally:
            source.batches = read
        # the unit of bare numbers is decided per creator and dimension, not for the file
        note = f"column {share.header!r}: numbers without % are read as"
        tab.warnings[:] = [w for w in tab.warnings if not w.message.startswith(note)]
        table = pa.concat_tables(tables) if len(tables) != 1 else tables[0]
        ctx = tab.contexts.get(share.index)
        table, rejected, warnings = check_shares(
            table,
            display,
            source.locate,
            cells=cells,
            **({"locale": ctx.locale} if ctx is not None else {}),
        )
        accepted = vstore.append_audience_shares(self.store, table, import_id, now)
        return (
            accepted,
            rejects + rejected,
            warnings + self._orphans_note("audience_shares", import_id),
        )

    def _import_comments(
        self,
        tab: Tabulator,
        source: Source,
        import_id: int,
        display: str,
        now: datetime,
        progress: Progress,
    ) -> ImportResult:
        accepted, rejects = 0, []
        for chunk in tab.chunks():
            table, rejected = self._with_platforms(chunk.table, display, source)
            rejects += rejected
            accepted += vstore.append_comments(self.store, table, import_id)
            progress("writing", chunk.records_read, source.rows_estimate)
        return accepted, rejects, self._orphans_note("comment_facts", import_id)

    def _with_platforms(
        self, table: pa.Table, display: str, source: Source
    ) -> tuple[pa.Table, list[Reject]]:
        from creatormix.ingest.tabulate import resolve_platforms

        table, bad = _split_platform_prefix(table, display, source)
        if not table["platform"].null_count:
            return table, bad
        known = facts.known_platforms(self.store, table["handle"].to_pylist())
        table, rejects = resolve_platforms(table, known, display, source.locate)
        return table, bad + rejects

    def _orphans_note(self, table_name: str, import_id: int) -> list[ImportWarning]:
        t = self.store.table(table_name)
        new = t.filter(t.import_id == import_id).select("platform", "handle").distinct()
        orphans = new.anti_join(self.store.table("creator_facts"), ["platform", "handle"])
        rows = orphans.limit(3).to_pyarrow().to_pylist()
        if not rows:
            return []
        n = int(orphans.count().to_pyarrow().as_py())
        sample = ", ".join("@" + r["handle"] for r in rows)
        return [
            ImportWarning(f"rows of {n} creator(s) not in the catalog (e.g. {sample}) were kept")
        ]

    # --- the brand's target -----------------------------------------------------------------

    def vetting_target(self) -> Target | None:
        """The target stored with ``set_vetting_target`` (used by the creator page), if any."""
        raw = self.store.get_setting(TARGET_SETTING)
        if not raw:
            return None
        return Target(
            countries=tuple(raw.get("countries", ())),
            ages=tuple(raw.get("ages", ())),
            genders=tuple(raw.get("genders", ())),
            languages=tuple(raw.get("languages", ())),
            keywords=str(raw.get("keywords", "")),
        )

    def set_vetting_target(self, target: Target | None) -> None:
        """Store (or clear, with None) the brand target that fit and relevance are measured against."""
        with self.store.transaction():
            self.store.set_setting(TARGET_SETTING, asdict(target) if target else None)

    # --- authenticity -----------------------------------------------------------------------

    def audit(self, ref: str | CreatorRef) -> AuthenticityReport:
        """Authenticity of one creator: follower audit, anomaly flags, score and reasons."""
        return self.audit_creators([self.resolve_creator(ref)])[0]

    def audit_all(self, *, progress: Progress = no_progress) -> list[AuthenticityReport]:
        """Every creator of the catalog, by platform and handle."""
        self._ensure_metrics()
        t = facts.metrics(self.store)
        keys = [
            (r["platform"], r["handle"])
            for r in t.select("platform", "handle")
            .order_by(["platform", "handle"])
            .to_pyarrow()
            .to_pylist()
        ]
        return self.audit_creators(keys, progress=progress)

    def audit_creators(
        self, keys: Sequence[Key], *, progress: Progress = no_progress
    ) -> list[AuthenticityReport]:
        """Authenticity reports in the order of ``keys`` (creators not in the catalog included)."""
        from creatormix.vetting.audience import audit_sample
        from creatormix.vetting.authenticity import authenticity
        from creatormix.vetting.flags import engagement_flags

        keys = [(str(p), str(h)) for p, h in keys]
        metrics = self._metric_rows(keys)
        samples = self._samples(keys)
        evidence = self._evidence(keys, metrics)
        prior = self.fake_prior() if any(k not in samples for k in keys) else None
        out = []
        for i, key in enumerate(keys):
            row = metrics.get(key, {})
            sample = samples.get(key)
            audit, problem = None, None
            if sample:
                try:
                    audit = audit_sample(sample)
                except (ValueError, ArithmeticError) as exc:  # one creator's odd data never
                    problem = str(exc)  # stops a workspace-wide command
                    prior = prior or self.fake_prior()
            ev = evidence[key]
            coverage = AuditCoverage(
                posts=ev.posts_total,
                er_source=ev.er_source,
                snapshots=len(ev.snapshots),
                comments=ev.comments_with_text,
            )
            out.append(
                authenticity(
                    key[0],
                    key[1],
                    audit,
                    engagement_flags(ev),
                    tier=row.get("tier"),
                    followers=row.get("followers"),
                    coverage=coverage,
                    prior=prior,
                    sample_problem=problem,
                )
            )
            if i % 200 == 0:
                progress("auditing", i, len(keys))
        progress("auditing", len(keys), len(keys))
        return out

    def fake_prior(self) -> FakePrior:
        """The expected fake share of creators without a follower sample: the sampled creators'
        mean shrunk toward the model's base rate (docs/vetting.md, "Authenticity score")."""
        state = self._samples_state()
        raw = self.store.get_setting(FAKE_PRIOR_SETTING)
        if raw and raw.get("state") == state:
            return FakePrior(**raw["prior"])
        memo = self.__dict__.get("_fake_prior_memo")
        if memo is not None and memo[0] == state:
            return memo[1]  # type: ignore[no-any-return]
        prior = self._compute_fake_prior()
        self.__dict__["_fake_prior_memo"] = (state, prior)
        return prior

    def _store_fake_prior(self) -> None:
        """Compute the prior once per follower-sample import (inside its transaction)."""
        prior = self._compute_fake_prior()
        self.store.set_setting(
            FAKE_PRIOR_SETTING, {"state": self._samples_state(), "prior": asdict(prior)}
        )

    def _samples_state(self) -> list[Any]:
        from creatormix.vetting.model import load_default

        t = self.store.table("follower_samples")
        model = load_default()
        return [t.import_id.max().to_pyarrow().as_py(), f"{model.name} v{model.version}"]

    def _compute_fake_prior(self) -> FakePrior:
        from creatormix.vetting.audience import audit_sample
        from creatormix.vetting.authenticity import fake_prior
        from creatormix.vetting.model import load_default

        shares = []
        for sample in self._samples(None).values():
            try:
                shares.append(audit_sample(sample).fake_share)
            except (ValueError, ArithmeticError):
                continue
        return fake_prior(shares, float(load_default().meta["training"]["base_rate"]))

    # --- audience fit and relevance ---------------------------------------------------------

    def audience_shares(self, ref: str | CreatorRef) -> dict[str, dict[str, float]]:
        """A creator's imported audience shares by dimension (country, age, gender, language)."""
        key = self.resolve_creator(ref)
        return self._shares([key]).get(key, {})

    def audience_fits(self, keys: Sequence[Key], target: Target) -> list[AudienceFit]:
        """Audience fit of each (platform, handle) to the target, measured or assumed, in order."""
        from creatormix.vetting.fit import audience_fit

        keys = [(str(p), str(h)) for p, h in keys]
        target = _checked(target)
        shares = self._shares(keys)
        metrics = self._metric_rows(keys)
        return [
            audience_fit(
                target,
                shares.get(k),
                country=metrics.get(k, {}).get("country"),
                audience_country=metrics.get(k, {}).get("audience_country"),
                language=metrics.get(k, {}).get("language"),
            )
            for k in keys
        ]

    def relevances(
        self, keys: Sequence[Key], keywords: str, *, method: str = "bm25"
    ) -> list[Relevance]:
        """Niche relevance of ``keys`` to ``keywords``, scored against the whole workspace."""
        all_keys, docs = self._documents()
        scores = _score_docs(keywords, docs, method)
        index = dict(zip(all_keys, scores, strict=True))
        none = Relevance(0.0, (), method)
        return [index.get((str(p), str(h)), none) for p, h in keys]

    def vetting_factors(
        self, creators: Iterable[Key], target: Target | None = None, *, method: str = "bm25"
    ) -> VettingFactors:
        """The planner seam: authenticity, audience fit (with confidence) and niche relevance per
        creator, aligned with ``creators`` (see docs/vetting.md, "Planner contract")."""
        keys = [(str(p), str(h)) for p, h in creators]
        target = target or Target()
        reports = self.audit_creators(keys)
        fits = self.audience_fits(keys, target)
        rel = (
            self.relevances(keys, target.keywords, method=method)
            if target.keywords.strip()
            else [Relevance(1.0, (), "none")] * len(keys)
        )
        return VettingFactors(
            keys=tuple(keys),
            authenticity=tuple(r.factor for r in reports),
            authenticity_score=tuple(r.score for r in reports),
            fake_share=tuple(r.fake_share for r in reports),
            fit=tuple(f.fit for f in fits),
            fit_confidence=tuple(f.confidence_weight for f in fits),
            relevance=tuple(r.score for r in rel),
            reasons=tuple((*r.reasons[:2], *f.reasons) for r, f in zip(reports, fits, strict=True)),
            audience_authenticity=tuple(
                r.factor if r.audience_factor is None else r.audience_factor for r in reports
            ),
            engagement_authenticity=tuple(r.engagement_factor for r in reports),
            expected_fake_share=tuple(r.expected_fake_share for r in reports),
            fake_measured=tuple(r.audit is not None for r in reports),
        )

    def search_creators(
        self,
        keywords: str,
        target: Target | None = None,
        *,
        min_fit: float | None = None,
        min_relevance: float = 0.0,
        platforms: Sequence[str] = (),
        limit: int | None = 50,
        method: str = "bm25",
    ) -> tuple[list[CreatorMatch], int]:
        """Creators ranked by relevance x fit; (page, total matches). A creator matches when it
        holds a keyword (relevance above 0) and meets ``min_relevance`` and ``min_fit``."""
        from creatormix.vetting.relevance import tokens

        target = _checked(target or Target())
        if not tokens(keywords):  # every creator would match "nothing" equally, at 100 %
            raise InvalidOption(
                f"keywords {keywords!r} hold no word to search for (stop words and single "
                "letters are ignored); give niche words, e.g. 'vegan skincare'"
            )
        all_keys, docs = self._documents()
        scores = _score_docs(keywords, docs, method)
        candidates = [
            (k, r)
            for k, r in zip(all_keys, scores, strict=True)
            if r.score > 0 and r.score >= min_relevance and (not platforms or k[0] in platforms)
        ]
        fits = self.audience_fits([k for k, _ in candidates], target) if candidates else []
        metrics = self._metric_rows([k for k, _ in candidates])
        hits = []
        for (key, rel), fit in zip(candidates, fits, strict=True):
            if min_fit is not None and fit.fit < min_fit:
                continue
            m = metrics.get(key, {})
            hits.append(
                CreatorMatch(
                    key[0],
                    key[1],
                    m.get("name"),
                    m.get("tier"),
                    m.get("followers"),
                    m.get("country"),
                    rel,
                    fit,
                )
            )
        hits.sort(key=lambda h: (-(h.relevance.score * h.fit.fit), -h.relevance.score, h.handle))
        return (hits[:limit] if limit else hits), len(hits)

    def creator_vetting(
        self, ref: str | CreatorRef, target: Target | None = None
    ) -> CreatorVetting:
        """Authenticity, audience shares and, with a target (given or stored), fit and relevance."""
        key = self.resolve_creator(ref)
        target = target or self.vetting_target()
        report = self.audit_creators([key])[0]
        shares = self._shares([key]).get(key, {})
        if target is None:
            return CreatorVetting(report, shares)
        fit = self.audience_fits([key], target)[0]
        rel = self.relevances([key], target.keywords)[0] if target.keywords.strip() else None
        return CreatorVetting(report, shares, target, fit, rel)

    # --- data gathering ---------------------------------------------------------------------

    def _keys_table(self, keys: Sequence[Key]) -> ir.Table:
        import ibis

        return ibis.memtable(
            {"platform": [k[0] for k in keys], "handle": [k[1] for k in keys]},
            schema={"platform": "string", "handle": "string"},
        )

    def _for_keys(self, t: ir.Table, keys: Sequence[Key]) -> ir.Table:
        return (
            t.semi_join(self._keys_table(keys), ["platform", "handle"]) if len(keys) < 5000 else t
        )

    def _metric_rows(self, keys: Sequence[Key]) -> dict[Key, dict[str, Any]]:
        if not keys:
            return {}
        self._ensure_metrics()
        t = self._for_keys(facts.metrics(self.store), keys)
        rows = t.select(*_METRIC_COLUMNS).to_pyarrow().to_pylist()
        return {(r["platform"], r["handle"]): r for r in rows}

    def _samples(self, keys: Sequence[Key] | None) -> dict[Key, dict[str, list[Any]]]:
        """Current follower samples of ``keys`` (every sampled creator with None), by column."""
        t = vstore.follower_samples_current(self.store)
        if keys is not None:
            t = self._for_keys(t, keys)
        table = t.select("platform", "handle", *SAMPLE_COLUMNS).to_pyarrow()
        out: dict[Key, dict[str, list[Any]]] = {}
        if not table.num_rows:
            return out
        cols = {c: table[c].to_pylist() for c in table.column_names}
        for i, (p, h) in enumerate(zip(cols["platform"], cols["handle"], strict=True)):
            sample = out.setdefault((p, h), {c: [] for c in SAMPLE_COLUMNS})
            for c in SAMPLE_COLUMNS:
                value = cols[c][i]
                sample[c].append(float(value) if isinstance(value, bool) else value)
        for sample in out.values():
            if all(v is None for v in sample["username"]):
                sample["username"] = None  # type: ignore[assignment]
            for c in SAMPLE_COLUMNS[1:]:
                if all(v is None for v in sample[c]):
                    sample[c] = None  # type: ignore[assignment]
        return out

    def _shares(self, keys: Sequence[Key]) -> dict[Key, dict[str, dict[str, float]]]:
        if not keys:
            return {}
        t = self._for_keys(vstore.audience_shares_current(self.store), keys)
        out: dict[Key, dict[str, dict[str, float]]] = {}
        for r in (
            t.select("platform", "handle", "dimension", "segment", "share").to_pyarrow().to_pylist()
        ):
            dim = out.setdefault((r["platform"], r["handle"]), {}).setdefault(r["dimension"], {})
            dim[r["segment"]] = dim.get(r["segment"], 0.0) + float(r["share"])
        return out

    def _evidence(self, keys: Sequence[Key], metrics: dict[Key, dict[str, Any]]) -> dict[Key, Any]:
        from creatormix.metrics.intervals import beta_interval
        from creatormix.vetting.comments import generic_share
        from creatormix.vetting.flags import EngagementEvidence

        posts = facts.posts_current(self.store)
        valid = posts.filter(posts.likes.notnull() & posts.comments.notnull())
        per = valid.group_by(["platform", "handle"]).agg(
            likes=valid.likes.sum(), comments=valid.comments.sum()
        )
        per_rows = per.to_pyarrow().to_pylist()
        ratios: dict[str, list[float]] = defaultdict(list)
        engagement: dict[Key, tuple[int, int]] = {}
        for r in per_rows:
            engagement[(r["platform"], r["handle"])] = (
                int(r["likes"] or 0),
                int(r["comments"] or 0),
            )
            if r["likes"]:
                ratios[r["platform"]].append(r["comments"] / r["likes"])
        medians = {p: sorted(v)[len(v) // 2] for p, v in ratios.items() if v}
        snaps: dict[Key, list[tuple[datetime, int]]] = defaultdict(list)
        s = self._for_keys(facts.snapshots(self.store), keys)
        for r in (
            s.select("platform", "handle", "observed_at", "followers").to_pyarrow().to_pylist()
        ):
            snaps[(r["platform"], r["handle"])].append((r["observed_at"], r["followers"]))
        texts: dict[Key, list[str | None]] = defaultdict(list)
        c = self._for_keys(vstore.comments(self.store), keys)
        for r in c.select("platform", "handle", "text").to_pyarrow().to_pylist():
            texts[(r["platform"], r["handle"])].append(r["text"])
        rows = [metrics.get(k, {}) for k in keys]
        lows, highs = beta_interval(
            [_nan(r.get("er_alpha")) for r in rows],
            [_nan(r.get("er_beta")) for r in rows],
            0.9,
        )
        out = {}
        for k, r, lo, hi in zip(keys, rows, lows.tolist(), highs.tolist(), strict=True):
            generic, seen = generic_share(texts.get(k, []))
            likes, comments = engagement.get(k, (0, 0))
            out[k] = EngagementEvidence(
                platform=k[0],
                tier=r.get("tier"),
                er_shrunk=r.get("er_shrunk"),
                er_low=None if lo != lo else lo,
                er_high=None if hi != hi else hi,
                er_source=r.get("er_source") or "none",
                prior_er=r.get("prior_er"),
                posts_measured=int(r.get("posts_measured") or 0),
                likes=likes,
                comments=comments,
                platform_comments_per_like=medians.get(k[0]),
                posts_total=int(r.get("posts_total") or 0),
                sponsored_posts=int(r.get("sponsored_posts") or 0),
                snapshots=tuple(snaps.get(k, [])),
                comments_with_text=seen,
                generic_comments=generic,
            )
        return out

    def _documents(self) -> tuple[list[Key], list[Any]]:
        from creatormix.vetting.relevance import CreatorText

        self._ensure_metrics()
        t = (
            facts.metrics(self.store)
            .select("platform", "handle", "bio", "categories")
            .order_by(["platform", "handle"])
        )
        creators = t.to_pyarrow().to_pylist()
        posts = facts.posts_current(self.store).select("platform", "handle", "caption", "hashtags")
        captions: dict[Key, list[str]] = defaultdict(list)
        tags: dict[Key, list[str]] = defaultdict(list)
        for r in posts.to_pyarrow().to_pylist():
            k = (r["platform"], r["handle"])
            if r["caption"]:
                captions[k].append(r["caption"])
            tags[k].extend(r["hashtags"] or ())
        keys = [(r["platform"], r["handle"]) for r in creators]
        docs = [
            CreatorText(
                bio=r["bio"],
                categories=tuple(r["categories"] or ()),
                captions=captions.get(k, []),
                hashtags=tags.get(k, []),
            )
            for r, k in zip(creators, keys, strict=True)
        ]
        return keys, docs


class VettingSignalSource:
    """Vetting's per-creator factors as the planner's ``SignalSource`` (planning/seams.py), asked
    once per plan: what ``Workspace.planning_signals`` returns (docs/vetting.md, "Planner
    contract")."""

    name = "vetting"
    relevance_threshold = 0.1  # BM25 scaled to the best match: a tenth of it still names the niche

    def __init__(self, ws: Any) -> None:  # the Workspace (a VettingOps)
        self.ws = ws

    def factors(self, platform: Any, handle: Any, target: Any, keywords: Sequence[str]) -> Any:
        import numpy as np

        from creatormix.planning.seams import SourceFactors

        vt = _vetting_target(target, keywords)
        keys = list(zip(platform.tolist(), handle.tolist(), strict=True))
        n = len(keys)
        relevance = None
        ask = np.arange(n)
        if keywords:  # score the niche first: creators it filters out need no audit
            scores = self.ws.relevances(keys, vt.keywords)
            relevance = np.array([r.score for r in scores], dtype=float)
            ask = np.flatnonzero(relevance >= self.relevance_threshold)
        f = self.ws.vetting_factors([keys[i] for i in ask], vt)

        def column(values: Sequence[float]) -> Any:
            out = np.full(n, np.nan)
            out[ask] = np.asarray(values, dtype=float)
            return out

        def labels(values: Sequence[str]) -> Any:
            out = np.full(n, "", dtype=object)
            out[ask] = np.array(list(values), dtype=object)
            return out

        auth_labels = [
            f"vetting score {s}/100"
            + ("" if measured else f" (fake followers not measured: assumed {fake:.0%})")
            for s, measured, fake in zip(
                f.authenticity_score, f.fake_measured, f.expected_fake_share, strict=True
            )
        ]
        fit_labels = [
            "measured audience (vetting)"
            if c >= 0.999
            else "partly measured audience (vetting)"
            if c > 0.3
            else "assumed from country/language (vetting, low confidence)"
            for c in f.fit_confidence
        ]
        return SourceFactors(
            authenticity=column(f.authenticity),
            authenticity_labels=labels(auth_labels),
            fit=column(f.fit),
            fit_labels=labels(fit_labels),
            relevance=relevance,
            audience_authenticity=column(f.audience_authenticity),
            engagement_authenticity=column(f.engagement_authenticity),
        )


def _vetting_target(target: Any, keywords: Sequence[str]) -> Target:
    """The planner's brief target as vetting's (an age range becomes one band)."""
    ages: tuple[str, ...] = ()
    if target.ages:
        lo, hi = target.ages
        ages = (f"{lo}+",) if hi >= 99 else (f"{lo}-{hi}",)
    return Target(
        countries=tuple(target.ship_to),
        ages=ages,
        genders=tuple(target.genders),
        languages=tuple(target.languages),
        keywords=" ".join(keywords),
    )


def _require_profile_column(tab: Tabulator, display: str, header: Sequence[str]) -> None:
    """A follower sample must name at least one profile field; a creator column alone is no sample."""
    from creatormix.errors import ColumnProblem

    loaded = set(tab.loaded_columns.values())
    if not loaded & set(SAMPLE_COLUMNS):
        raise ColumnProblem(
            f"{display}: no follower profile column (need at least one of "
            f"{', '.join(SAMPLE_COLUMNS[:6])}); columns are: {', '.join(header)}"
        )


def _without_blank_followers(
    table: pa.Table, display: str, source: Source
) -> tuple[pa.Table, list[Reject]]:
    """Drop rows that carry no profile field (nothing to score), each with a reject naming its line."""
    import pyarrow.compute as pc

    blank = None
    for name in SAMPLE_COLUMNS:
        col = table[name]
        if name == "username":
            missing = pc.fill_null(pc.equal(pc.utf8_trim_whitespace(col), ""), True)
        else:
            missing = pc.is_null(col)
        blank = missing if blank is None else pc.and_(blank, missing)
    if blank is None or not pc.any(blank).as_py():
        return table, []
    records = pc.filter(table["_record"], blank).to_pylist()
    rejects = [
        Reject(
            display,
            source.locate(int(r)),
            int(r) + 1,
            None,
            None,
            "a follower row needs at least one profile field (username, posts, following, "
            "followers, has_profile_picture, is_private); this one has none",
        )
        for r in records
    ]
    return table.filter(pc.invert(blank)), rejects


def _split_platform_prefix(
    table: pa.Table, display: str, source: Source
) -> tuple[pa.Table, list[Reject]]:
    """Creator cells written ``platform:@handle`` (``instagram:@kim``), as on the command line and
    in the planner's follower lists: the handle alone, and the cell's platform wins over the file's
    platform column or ``--platform``. An unknown prefix rejects its row, naming it."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from creatormix.domain.catalog import CreatorRef

    prefixed = pc.fill_null(pc.match_substring(table["handle"], ":"), False)
    if not pc.any(prefixed).as_py():
        return table, []
    handles = table["handle"].to_pylist()
    platforms = table["platform"].to_pylist()
    keep = [True] * len(handles)
    rejects = []
    for i in pc.indices_nonzero(prefixed).to_pylist():
        cell = handles[i]
        try:
            ref = CreatorRef.parse(cell)
        except ValueError as exc:
            record = int(table["_record"][i].as_py())
            reason = f"not @handle or platform:@handle: {exc}"
            rejects.append(
                Reject(display, source.locate(record), record + 1, "handle", cell, reason)
            )
            keep[i] = False
            continue
        handles[i] = ref.handle
        platforms[i] = ref.platform.value if ref.platform else platforms[i]
    table = table.set_column(
        table.column_names.index("handle"), "handle", pa.array(handles, pa.string())
    ).set_column(table.column_names.index("platform"), "platform", pa.array(platforms, pa.string()))
    return (table.filter(pa.array(keep)) if rejects else table), rejects


def _nan(value: Any) -> float:
    return float("nan") if value is None else float(value)


def _score_docs(keywords: str, docs: Sequence[Any], method: str) -> list[Relevance]:
    if method == "semantic":
        from creatormix.vetting import semantic

        if not semantic.available():
            raise InvalidOption(
                "semantic relevance needs the 'semantic' extra: pip install 'creatormix[semantic]'"
            )
        return semantic.semantic_relevance(keywords, docs)
    if method != "bm25":
        raise InvalidOption(f"unknown relevance method {method!r} (bm25 or semantic)")
    from creatormix.vetting.relevance import bm25_relevance

    return bm25_relevance(keywords, docs)


def _checked(target: Target) -> Target:
    """Target values in canonical form; InvalidOption naming the bad value."""
    from creatormix.domain.audience import age_band, gender
    from creatormix.domain.geo import country_code, language_code

    def each(values: Sequence[str], fn: Any, what: str) -> tuple[str, ...]:
        out = []
        for v in values:
            try:
                code = fn(v)
            except ValueError as exc:
                raise InvalidOption(f"{what} {v!r}: {exc}") from None
            if code is None:
                raise InvalidOption(f"unknown {what} {v!r}")
            out.append(code)
        return tuple(out)

    return Target(
        countries=each(target.countries, country_code, "country"),
        ages=each(target.ages, age_band, "age band"),
        genders=each(target.genders, gender, "gender"),
        languages=each(target.languages, language_code, "language"),
        keywords=target.keywords,
    )
