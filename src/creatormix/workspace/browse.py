"""The catalog page's use case: the listing's filters with vetting's (relevance, fit,
authenticity) on top, and the tier summary, in one call."""

from __future__ import annotations

from dataclasses import replace

from creatormix.domain.query import CreatorPage, CreatorQuery
from creatormix.domain.requests import CatalogPage, CatalogQuery
from creatormix.domain.vetting import Target
from creatormix.errors import InvalidOption
from creatormix.store import catalog as facts
from creatormix.workspace.vetting import Key, VettingOps


class BrowseOps(VettingOps):
    """Browsing joins the catalog's listing and vetting's figures (``VettingOps``)."""

    def set_target(self, target: Target | None) -> Target | None:
        """Store the brand's target audience after checking every value (None clears it); the
        change goes to the audit log."""
        from creatormix.store.accounts import log_change
        from creatormix.store.core import current_user, utcnow
        from creatormix.vetting.search import checked_target

        if target is not None:
            target = checked_target(target)  # InvalidOption names the bad country, age band …
        with self.store.transaction():
            self.set_vetting_target(target)
            detail = (
                "cleared"
                if target is None
                else ", ".join(
                    f"{k} {', '.join(v) if isinstance(v, tuple) else v}"
                    for k, v in vars(target).items()
                    if v
                )
            )
            log_change(
                self.store, utcnow(), current_user(), "settings changed", "target audience", detail
            )
        return target

    def browse(self, query: CatalogQuery | None = None) -> CatalogPage:
        """One page of creators matching every filter, with the tier summary.

        Without vetting filters this is ``list_creators``. With them, the listing's filters run
        first (in the database), then relevance (BM25 over bios, categories, captions and
        hashtags), audience fit to the stored target and the authenticity score narrow the
        matches; ``total`` counts what is left.
        """
        q = query or CatalogQuery()
        f = q.filters
        _check_query(q)
        keywords = (q.keywords or "").strip()
        target = self.vetting_target()
        tiers = self.tier_summary()
        if not keywords and q.min_fit is None and q.min_authenticity is None:
            return CatalogPage(self.list_creators(f), q, tiers=tiers, target=target)
        self._ensure_metrics()
        keys, left_out, notes = facts.query_keys(self.store, f)
        keys, relevance = self._by_relevance(keys, keywords, by_relevance=q.by_relevance)
        keys, fit = self._by_fit(keys, q.min_fit, target)
        keys, auth = self._by_authenticity(keys, q.min_authenticity)
        shown = keys[f.offset : f.offset + f.limit] if f.limit else keys[f.offset :]
        rows = facts.rows_for_keys(self.store, shown)
        page = CreatorPage(
            creators=tuple(self._profiles(rows)),
            total=len(keys),
            query=f,
            left_out_prior_only=left_out,
            synthetic=self.synthetic_label(),
            notes=(*notes, *_order_note(q, keywords)),
        )

        def pick(values: dict[Key, float] | dict[Key, int]) -> dict[str, float]:
            return {f"{p}:{h}": values[(p, h)] for p, h in shown if (p, h) in values}

        return CatalogPage(
            page,
            q,
            relevance=pick(relevance),
            fit=pick(fit),
            authenticity={k: int(v) for k, v in pick(auth).items()},
            tiers=tiers,
            target=target,
        )

    def _by_relevance(
        self, keys: list[Key], keywords: str, *, by_relevance: bool
    ) -> tuple[list[Key], dict[Key, float]]:
        """The creators relevant to ``keywords`` (BM25 above 0), ranked when asked, and their
        scores; every creator when there are no keywords."""
        if not keywords:
            return keys, {}
        from creatormix.vetting.search import check_keywords, score_documents

        check_keywords(keywords)
        all_keys, docs = self.store.memo(("documents",), self._documents)
        scores = score_documents(keywords, docs, "bm25")
        relevance = {k: r.score for k, r in zip(all_keys, scores, strict=True) if r.score > 0}
        keys = [k for k in keys if k in relevance]
        if by_relevance:
            keys.sort(key=lambda k: -relevance[k])  # stable: the listing's order breaks ties
        return keys, relevance

    def _by_fit(
        self, keys: list[Key], min_fit: float | None, target: Target | None
    ) -> tuple[list[Key], dict[Key, float]]:
        """The creators whose audience fits the stored target at least ``min_fit``."""
        if min_fit is None:
            return keys, {}
        if target is None:
            raise InvalidOption(
                "a minimum fit needs the brand's target audience: set it in Settings "
                "(or with `creatormix target set`)",
                field="min_fit",
            )
        fits = self.audience_fits(keys, target)
        fit = {k: x.fit for k, x in zip(keys, fits, strict=True)}
        return [k for k in keys if fit[k] >= min_fit], fit

    def _by_authenticity(
        self, keys: list[Key], min_score: int | float | None
    ) -> tuple[list[Key], dict[Key, int]]:
        """The creators whose authenticity score is at least ``min_score``."""
        if min_score is None:
            return keys, {}
        reports = self.audit_creators(keys)
        auth = {k: r.score for k, r in zip(keys, reports, strict=True)}
        return [k for k in keys if auth[k] >= min_score], auth


def _check_query(q: CatalogQuery) -> None:
    """One clear error for a value no page can have, naming its field."""
    f = q.filters
    if f.limit is not None and f.limit < 0:
        raise InvalidOption(f"limit must be 0 or more, not {f.limit}", field="limit")
    if f.offset < 0:
        raise InvalidOption(f"offset must be 0 or more, not {f.offset}", field="offset")
    if q.min_fit is not None and not 0 <= q.min_fit <= 1:
        raise InvalidOption("min fit is a share from 0% to 100%", field="min_fit")
    if q.min_authenticity is not None and not 0 <= q.min_authenticity <= 100:
        raise InvalidOption("authenticity scores run from 0 to 100", field="min_authenticity")


def _order_note(q: CatalogQuery, keywords: str) -> tuple[str, ...]:
    if keywords and q.by_relevance:
        return (f"ranked by relevance to {keywords!r}; ties in the chosen order",)
    return ()


def listing_only(query: CatalogQuery) -> CreatorQuery:
    """The listing part of a catalog query with no page cut (for an export of every match)."""
    return replace(query.filters, limit=None, offset=0)
