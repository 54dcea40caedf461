"""The creators a plan may choose from, as aligned numpy arrays (one row per creator account)."""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from creatormix.domain.benchmarks import er_basis

# Columns the workspace provides (``store.planning.candidate_table``); missing ones read as empty.
COLUMNS = (
    "platform",
    "handle",
    "tier",
    "followers",
    "country",
    "language",
    "audience_country",
    "categories",
    "bio",
    "price_per_post",
    "currency",
    "er_alpha",
    "er_beta",
    "er_shrunk",
    "er_followers_mean",
    "er_followers_var",
    "er_views_mean",
    "er_views_var",
    "er_source",
    "posts_measured",
    "avg_views",
    "views_median",
    "views_logsd",
    "views_posts",
    "posts_per_week",
    "sponsored_share",
)


@dataclass(frozen=True)
class Candidates:
    platform: np.ndarray  # object (str)
    handle: np.ndarray
    tier: np.ndarray  # object (str or None)
    followers: np.ndarray  # float, NaN when unknown
    country: np.ndarray
    language: np.ndarray
    audience_country: np.ndarray
    categories: np.ndarray  # object: tuple[str, ...]
    bio: np.ndarray
    price: np.ndarray  # quoted price per post, NaN when unknown
    currency: np.ndarray
    er_alpha: np.ndarray
    er_beta: np.ndarray
    er_shrunk: np.ndarray
    er_mean: np.ndarray  # observed mean ER per follower of the creator's recent posts
    er_var: np.ndarray  # variance of ER per follower between those posts
    er_views_mean: np.ndarray  # the same per view (posts with views)
    er_views_var: np.ndarray
    er_source: np.ndarray
    posts_measured: np.ndarray
    avg_views: np.ndarray  # from the export, NaN when absent
    views_median: np.ndarray  # median views of recent video posts, NaN when absent
    views_logsd: np.ndarray  # sd of log views between those posts
    views_posts: np.ndarray  # how many posts with views
    posts_per_week: np.ndarray
    sponsored_share: np.ndarray

    def __len__(self) -> int:
        return int(self.platform.shape[0])

    @property
    def keys(self) -> list[str]:
        return [f"{p}:{h}" for p, h in zip(self.platform, self.handle, strict=True)]

    @property
    def per_view(self) -> np.ndarray:
        """True where the platform reads engagement per view (``domain.benchmarks.er_basis``)."""
        return np.array([er_basis(str(p)) == "views" for p in self.platform], dtype=bool)

    @property
    def er_raw(self) -> np.ndarray:
        """The observed mean engagement rate of the recent posts in the platform's definition
        (per view or per follower, the basis of ``er_shrunk``); NaN when none was measured."""
        return np.where(self.per_view, self.er_views_mean, self.er_mean)

    def take(self, index: np.ndarray) -> Candidates:
        """The candidates at ``index`` (a boolean mask or integer positions), in that order."""
        return Candidates(**{f.name: getattr(self, f.name)[index] for f in fields(self)})

    @classmethod
    def from_columns(cls, **columns: object) -> Candidates:
        """Build from sequences or arrays named as ``COLUMNS``; missing columns read as empty.

        Numeric columns become float arrays (None -> NaN); text columns object arrays; categories
        tuples of strings.
        """
        n = len(columns["platform"])  # type: ignore[arg-type]

        def text(name: str) -> np.ndarray:
            out = np.empty(n, dtype=object)
            values = columns.get(name)
            out[:] = list(values) if values is not None else [None] * n  # type: ignore[call-overload]
            return out

        def num(name: str) -> np.ndarray:
            values = columns.get(name)
            if values is None:
                return np.full(n, np.nan)
            if isinstance(values, np.ndarray) and values.dtype.kind in "fiu":
                return values.astype(float)
            return np.array([np.nan if v is None else float(v) for v in values], dtype=float)  # type: ignore[attr-defined]

        cats = np.empty(n, dtype=object)
        raw = columns.get("categories")
        cats[:] = [
            tuple(v) if isinstance(v, (list, tuple, np.ndarray)) else ()
            for v in (raw if raw is not None else [None] * n)  # type: ignore[attr-defined]
        ]
        return cls(
            platform=text("platform"),
            handle=text("handle"),
            tier=text("tier"),
            followers=num("followers"),
            country=text("country"),
            language=text("language"),
            audience_country=text("audience_country"),
            categories=cats,
            bio=text("bio"),
            price=num("price_per_post"),
            currency=text("currency"),
            er_alpha=num("er_alpha"),
            er_beta=num("er_beta"),
            er_shrunk=num("er_shrunk"),
            er_mean=num("er_followers_mean"),
            er_var=num("er_followers_var"),
            er_views_mean=num("er_views_mean"),
            er_views_var=num("er_views_var"),
            er_source=text("er_source"),
            posts_measured=np.nan_to_num(num("posts_measured")).astype(np.int64),
            avg_views=num("avg_views"),
            views_median=num("views_median"),
            views_logsd=num("views_logsd"),
            views_posts=np.nan_to_num(num("views_posts")).astype(np.int64),
            posts_per_week=num("posts_per_week"),
            sponsored_share=num("sponsored_share"),
        )
