"""Synthetic follower graphs with the properties of a real one, for the unique-reach benchmark and tests.

The graph issue 13 was measured on (4,039 creators, 176,468 follower links with complete lists)
is not shipped, so ``social_graph`` makes one like it: every person is both a creator and a
follower (a link is mutual, as on a friends network), degrees are heavy-tailed (Pareto
propensities, degree-corrected), and communities are strong and nested (most links fall inside
a small circle, then inside its community, few across): creators of one circle share most of
their audience, which is what makes overlap matter. Prices are quoted per creator, roughly
proportional to audience (a CPM) with the scatter of real quotes.

``big_lists`` makes the 20,000-creator x 20,000,000-link instance: audiences drawn from 200
communities of a 2,000,000-person population (80 % inside the creator's community).

Everything is seeded: the same arguments give the same graph.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Graph:
    """Follower lists as CSR by creator, plus each creator's quoted price and reach rate."""

    indptr: np.ndarray  # (n + 1,)
    follower: np.ndarray  # (links,) follower ids, 0 .. people - 1
    people: int
    price: np.ndarray  # (n,) quoted price per post
    reach_rate: np.ndarray  # (n,) share of followers a post reaches (the views objective)
    community: np.ndarray  # (n,) the creator's community

    @property
    def n(self) -> int:
        return len(self.indptr) - 1

    @property
    def links(self) -> int:
        return int(self.indptr[-1])

    @property
    def followers(self) -> np.ndarray:
        return np.diff(self.indptr)

    def pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """(creator, follower) arrays, one row per link."""
        return np.repeat(np.arange(self.n), self.followers), self.follower


def _prices(rng: np.random.Generator, followers: np.ndarray) -> np.ndarray:
    raw = (20.0 + 4.0 * np.power(followers, 0.9)) * rng.lognormal(0.0, 0.35, len(followers))
    return np.maximum(5.0, np.round(raw / 5.0) * 5.0)


def _reach_rates(rng: np.random.Generator, n: int) -> np.ndarray:
    return np.clip(rng.lognormal(np.log(0.3), 0.5, n), 0.03, 0.95)


def social_graph(
    n: int = 4_000,
    links: int = 180_000,
    *,
    communities: int = 12,
    circles: int = 6,
    inside_circle: float = 0.6,
    inside_community: float = 0.3,
    ego_share: float = 0.95,
    seed: int = 0,
) -> Graph:
    """A mutual-follow graph of ``n`` people with about ``links`` directed follower links.

    Link ends are drawn in proportion to Pareto(1.3) propensities (capped at 150x the smallest),
    ``inside_circle`` of the links within one of ``circles`` circles of a community,
    ``inside_community`` within the community, the rest anywhere; duplicate and self links are
    dropped and more are drawn until the count is reached.
    """
    rng = np.random.default_rng(seed)
    sizes = rng.lognormal(0.0, 0.8, communities)
    sizes = np.maximum(30, np.round(sizes / sizes.sum() * n)).astype(np.int64)
    sizes[-1] += n - sizes.sum()
    if sizes[-1] < 30:  # small graphs: 30 people per community, the rest by the same shares
        extra = rng.multinomial(n - 30 * communities, rng.dirichlet(np.ones(communities)))
        sizes = 30 + extra
    community = np.repeat(np.arange(communities), sizes)
    circle = community * circles + rng.integers(0, circles, n)
    theta = np.minimum(rng.pareto(1.3, n) + 1.0, 150.0)
    edges = n * 0 + links // 2
    found: set[int] = set()
    keys = np.zeros(0, dtype=np.int64)

    def ends(groups: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
        """``count`` pairs with both ends in one group (chosen by its squared propensity mass)."""
        order = np.argsort(groups, kind="stable")
        g_sorted = groups[order]
        ids, starts = np.unique(g_sorted, return_index=True)
        bounds = np.append(starts, len(order))
        mass = np.add.reduceat(theta[order], starts)
        which = rng.choice(len(ids), count, p=mass**2 / (mass**2).sum())
        out = []
        for _ in range(2):
            u = rng.random(count)
            pick = np.empty(count, dtype=np.int64)
            for k in np.unique(which):
                sel = which == k
                members = order[bounds[k] : bounds[k + 1]]
                cdf = np.cumsum(theta[members])
                pick[sel] = members[np.searchsorted(cdf, u[sel] * cdf[-1], side="right")]
            out.append(pick)
        return out[0], out[1]

    # ego networks: each community is one person's friends, who follows (and is followed by)
    # nearly all of them
    for c in range(communities):
        members = np.flatnonzero(community == c)
        ego = members[np.argmax(theta[members])]
        for m in members[rng.random(len(members)) < ego_share].tolist():
            if m != ego:
                found.add(min(ego, m) * n + max(ego, m))
    while len(found) < edges:
        need = int((edges - len(found)) * 1.3) + 16
        k_circle = int(need * inside_circle)
        k_comm = int(need * inside_community)
        a1, b1 = ends(circle, k_circle)
        a2, b2 = ends(community, k_comm)
        a3, b3 = ends(np.zeros(n, dtype=np.int64), need - k_circle - k_comm)
        a = np.concatenate([a1, a2, a3])
        b = np.concatenate([b1, b2, b3])
        keep = a != b
        lo, hi = np.minimum(a, b)[keep], np.maximum(a, b)[keep]
        for key in (lo * n + hi).tolist():
            if len(found) >= edges:
                break
            found.add(key)
    keys = np.fromiter(found, dtype=np.int64, count=len(found))
    lo, hi = keys // n, keys % n
    creator = np.concatenate([lo, hi])
    follower = np.concatenate([hi, lo])
    order = np.lexsort((follower, creator))
    creator, follower = creator[order], follower[order]
    indptr = np.concatenate([[0], np.cumsum(np.bincount(creator, minlength=n))])
    followers = np.diff(indptr)
    return Graph(indptr, follower, n, _prices(rng, followers), _reach_rates(rng, n), community)


def big_lists(n: int = 20_000, links: int = 20_000_000, *, seed: int = 1) -> Graph:
    """Heavy-tailed follower lists drawn from 200 communities of a 2,000,000-person population."""
    rng = np.random.default_rng(seed)
    per = rng.lognormal(np.log(links / n) - 0.5, 1.0, n)
    per = np.maximum(20, np.round(per * links / per.sum())).astype(np.int64)
    community = rng.integers(0, 200, n)
    people = 2_000_000
    creator = np.repeat(np.arange(n), per)
    local = rng.random(len(creator)) < 0.8
    follower = np.where(
        local,
        community[creator] * (people // 200) + rng.integers(0, people // 200, len(creator)),
        rng.integers(0, people, len(creator)),
    )
    # one link per (creator, follower): drop repeats
    key = creator.astype(np.int64) * people + follower
    key = np.unique(key)
    creator, follower = key // people, key % people
    indptr = np.concatenate([[0], np.cumsum(np.bincount(creator, minlength=n))])
    followers = np.diff(indptr)
    cost = 72 + followers * rng.uniform(0.01, 0.03, n)
    return Graph(indptr, follower, people, np.round(cost, 2), _reach_rates(rng, n), community)
