"""Vetting use cases: import follower samples, audience shares and comments; audit creators;
audience fit, niche relevance, search; and the per-creator factors the planner consumes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from creatormix.domain.catalog import CreatorRef
from creatormix.domain.query import Progress, no_progress
from creatormix.domain.requests import AuditPage, AuditQuery
from creatormix.domain.vetting import (
    AudienceFit,
    AuthenticityReport,
    CreatorMatch,
    CreatorVetting,
    Relevance,
    Target,
    VettingFactors,
)
from creatormix.store import profiles as imported
from creatormix.store import vetting as vstore
from creatormix.vetting.authenticity import FakePrior
from creatormix.vetting.search import checked_target, score_documents
from creatormix.workspace.catalog import CatalogOps
from creatormix.workspace.fake_prior import compute_fake_prior, samples_state, stored_fake_prior

if TYPE_CHECKING:
    pass

Key = tuple[str, str]

TARGET_SETTING = "vetting.target"


class VettingOps(CatalogOps):
    """Vetting reads creators as the catalog knows them (``CatalogOps``: metrics, references)."""

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
        return self.audit_creators(vstore.catalog_keys(self.store), progress=progress)

    def audit_page(
        self, query: AuditQuery | None = None, *, progress: Progress = no_progress
    ) -> AuditPage:
        """Every creator's authenticity, lowest score first, as ``query`` selects and limits it."""
        from creatormix.vetting.audit import select_reports

        query = query or AuditQuery()
        shown, total = select_reports(
            self.audit_all(progress=progress),
            sampled=query.sampled,
            max_score=query.max_score,
            limit=query.limit,
        )
        return AuditPage(tuple(shown), total, query)

    def audit_creators(
        self, keys: Sequence[Key], *, progress: Progress = no_progress
    ) -> list[AuthenticityReport]:
        """Authenticity reports in the order of ``keys`` (creators not in the catalog included)."""
        from creatormix.vetting.audit import creator_report, sample_audit

        keys = [(str(p), str(h)) for p, h in keys]
        metrics = self._metric_rows(keys)
        samples = vstore.samples(self.store, keys)
        # follower audits of creators built elsewhere (`import profiles`), scored there
        built = imported.audits(self.store, [k for k in keys if k not in samples])
        evidence = self._evidence(keys, metrics)
        prior = (
            self.fake_prior() if any(k not in samples and k not in built for k in keys) else None
        )
        out = []
        for i, key in enumerate(keys):
            audit, problem = sample_audit(samples.get(key))
            audit = audit or built.get(key)
            if problem is not None:
                prior = prior or self.fake_prior()
            row, ev = metrics.get(key, {}), evidence[key]
            out.append(creator_report(key, row, audit, problem, ev, prior))
            if i % 200 == 0:
                progress("auditing", i, len(keys))
        progress("auditing", len(keys), len(keys))
        return out

    def fake_prior(self) -> FakePrior:
        """The expected fake share of creators without a follower sample: the sampled creators'
        mean shrunk toward the model's base rate (docs/vetting.md, "Authenticity score")."""
        state = samples_state(self.store)
        kept = stored_fake_prior(self.store, state)
        if kept is not None:
            return kept
        memo = self.__dict__.get("_fake_prior_memo")
        if memo is not None and memo[0] == state:
            return memo[1]  # type: ignore[no-any-return]
        prior = compute_fake_prior(self.store)
        self.__dict__["_fake_prior_memo"] = (state, prior)
        return prior

    # --- audience fit and relevance ---------------------------------------------------------

    def audience_shares(self, ref: str | CreatorRef) -> dict[str, dict[str, float]]:
        """A creator's imported audience shares by dimension (country, age, gender, language)."""
        key = self.resolve_creator(ref)
        return vstore.shares(self.store, [key]).get(key, {})

    def audience_fits(self, keys: Sequence[Key], target: Target) -> list[AudienceFit]:
        """Audience fit of each (platform, handle) to the target, measured or assumed, in order."""
        from creatormix.vetting.fit import audience_fit

        keys = [(str(p), str(h)) for p, h in keys]
        target = checked_target(target)
        shares = vstore.shares(self.store, keys)
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
        scores = score_documents(keywords, docs, method)
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
        from creatormix.vetting import search

        target = checked_target(target or Target())
        search.check_keywords(keywords)
        all_keys, docs = self._documents()
        scores = score_documents(keywords, docs, method)
        found = search.candidates(
            all_keys, scores, min_relevance=min_relevance, platforms=platforms
        )
        fits = self.audience_fits([k for k, _ in found], target) if found else []
        metrics = self._metric_rows([k for k, _ in found])
        hits = search.rank_matches(found, fits, metrics, min_fit=min_fit)
        return (hits[:limit] if limit else hits), len(hits)

    def creator_vetting(
        self, ref: str | CreatorRef, target: Target | None = None
    ) -> CreatorVetting:
        """Authenticity, audience shares and, with a target (given or stored), fit and relevance."""
        key = self.resolve_creator(ref)
        target = target or self.vetting_target()
        report = self.audit_creators([key])[0]
        shares = vstore.shares(self.store, [key]).get(key, {})
        if target is None:
            return CreatorVetting(report, shares)
        fit = self.audience_fits([key], target)[0]
        rel = self.relevances([key], target.keywords)[0] if target.keywords.strip() else None
        return CreatorVetting(report, shares, target, fit, rel)

    # --- data gathering ---------------------------------------------------------------------

    def _evidence(self, keys: Sequence[Key], metrics: dict[Key, dict[str, Any]]) -> dict[Key, Any]:
        from creatormix.metrics.intervals import beta_interval
        from creatormix.vetting.evidence import engagement_evidence

        found = vstore.evidence_rows(self.store, keys)
        rows = [metrics.get(k, {}) for k in keys]
        lows, highs = beta_interval(
            [_nan(r.get("er_alpha")) for r in rows],
            [_nan(r.get("er_beta")) for r in rows],
            0.9,
        )
        return engagement_evidence(
            keys,
            metrics,
            found.engagement,
            found.snapshots,
            found.texts,
            (lows.tolist(), highs.tolist()),
        )

    def _metric_rows(self, keys: Sequence[Key]) -> dict[Key, dict[str, Any]]:
        self._ensure_metrics()
        return vstore.metric_rows(self.store, keys)

    def _documents(self) -> tuple[list[Key], list[Any]]:
        from creatormix.vetting.search import documents

        self._ensure_metrics()
        return documents(*vstore.creator_texts(self.store))


def _nan(value: Any) -> float:
    return float("nan") if value is None else float(value)
