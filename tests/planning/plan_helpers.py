"""Small random problems and catalogs for the planner's tests (seeded, so failures reproduce)."""

from __future__ import annotations

import itertools

import numpy as np
import scipy.sparse as sp

from creatormix.planning.candidates import Candidates
from creatormix.planning.problem import Problem, Rows

TIERS = ("nano", "micro", "mid", "macro", "mega")
FOLLOWERS = {
    "nano": (2e3, 9e3),
    "micro": (1.2e4, 9e4),
    "mid": (1.2e5, 4.5e5),
    "macro": (5.5e5, 9e5),
    "mega": (1.2e6, 8e6),
}


def random_problem(
    rng: np.random.Generator,
    n: int,
    *,
    options: int = 1,
    shares: bool = True,
    counts: bool = True,
    must: int = 0,
    budget_share: float = 0.35,
) -> tuple[Problem, np.ndarray]:
    """A small additive problem with budget, tier shares, count bounds and must-include creators."""
    tier = rng.integers(0, 5, n)
    creator = np.repeat(np.arange(n), options)
    m = n * options
    value = rng.lognormal(0, 1, n)[creator] * rng.uniform(0.4, 1.0, m)
    cost = rng.lognormal(0, 0.7, n)[creator] * rng.uniform(0.5, 1.0, m) + 0.1
    t = tier[creator]
    budget = cost.sum() / options * budget_share
    rows = [cost]
    lo, hi = [-np.inf], [budget]
    names, groups = ["budget"], ["budget"]
    if shares:
        rows.append(np.where(t == 1, cost, 0) - 0.6 * cost)
        lo.append(-np.inf), hi.append(0.0), names.append("micro <= 60%"), groups.append("s1")
        rows.append(0.15 * cost - np.where(t == 0, cost, 0))
        lo.append(-np.inf), hi.append(0.0), names.append("nano >= 15%"), groups.append("s2")
    if counts:
        rows.append(np.ones(m))
        lo.append(1.0), hi.append(max(2.0, n / 3)), names.append("count"), groups.append("count")
    A = sp.csr_matrix(np.vstack(rows))
    must_mask = np.zeros(n, dtype=bool)
    if must:
        must_mask[rng.choice(n, must, replace=False)] = True
    p = Problem(
        n,
        creator,
        cost,
        value,
        Rows(A, np.array(lo), np.array(hi), tuple(names), tuple(groups)),
        must_mask,
    )
    return p, tier


def brute_force(p: Problem) -> float:
    """The exact optimum by enumerating every choice (none or one option) per creator."""
    best = -np.inf
    choices = [[-1, *range(p.starts[i], p.starts[i + 1])] for i in range(p.n_creators)]
    for pick in itertools.product(*choices):
        if any(p.must[i] and c < 0 for i, c in enumerate(pick)):
            continue
        x = np.zeros(p.m, dtype=bool)
        for c in pick:
            if c >= 0:
                x[c] = True
        if not p.rows.violations(x):
            best = max(best, float(p.value[x].sum()))
    return best


def catalog(
    rng: np.random.Generator,
    n: int,
    *,
    countries: tuple[str, ...] = ("FR", "BE", "US"),
    niches: tuple[str, ...] = ("beauty", "food", "fitness"),
    price_share: float = 0.5,
) -> Candidates:
    """A synthetic catalog with every column the planner reads."""
    tier = rng.choice(TIERS, n, p=[0.3, 0.35, 0.15, 0.1, 0.1])
    lo = np.array([FOLLOWERS[t][0] for t in tier])
    hi = np.array([FOLLOWERS[t][1] for t in tier])
    followers = np.round(np.exp(rng.uniform(np.log(lo), np.log(hi))))
    platform = rng.choice(["instagram", "tiktok", "youtube"], n)
    er = np.clip(
        np.array(
            [
                {"nano": 0.05, "micro": 0.03, "mid": 0.02, "macro": 0.015, "mega": 0.012}[t]
                for t in tier
            ]
        )
        * rng.lognormal(0, 0.4, n),
        0.001,
        0.3,
    )
    posts = rng.integers(0, 13, n)
    alpha = 50 * er + posts * 100 * er
    beta = 50 * (1 - er) + posts * 100 * (1 - er)
    price = np.where(rng.random(n) < price_share, followers * rng.uniform(0.002, 0.02, n), np.nan)
    views = np.where(rng.random(n) < 0.5, followers * rng.uniform(0.1, 0.6, n), np.nan)
    country = rng.choice(countries, n)
    return Candidates.from_columns(
        platform=platform.tolist(),
        handle=[f"c{i:05d}" for i in range(n)],
        tier=tier.tolist(),
        followers=followers,
        country=country.tolist(),
        language=["fr" if c in {"FR", "BE"} else "en" for c in country],
        audience_country=country.tolist(),
        categories=[[rng.choice(niches)] for _ in range(n)],
        bio=["creator" for _ in range(n)],
        price_per_post=price,
        currency=["USD"] * n,
        er_alpha=alpha,
        er_beta=beta,
        er_shrunk=alpha / (alpha + beta),
        er_followers_mean=er,
        er_followers_var=(er * 0.5) ** 2,
        er_source=["posts" if k else "prior" for k in posts],
        posts_measured=posts.astype(float),
        views_median=views,
        views_logsd=np.full(n, 0.5),
        views_posts=np.where(np.isfinite(views), 6.0, 0.0),
    )
