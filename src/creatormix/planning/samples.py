"""Audience overlap measured from follower *samples*: pool sizes by capture-recapture.

Real users rarely have complete follower lists; they have samples (a few hundred to a few
thousand followers per creator). Samples of different creators are drawn independently, so a
follower two creators share shows up in both samples only with probability
``(n_i / F_i) (n_k / F_k)``: the samples' Jaccard similarity, scaled by the follower counts,
estimates the pair's overlap

    |A_i & A_k| ~ |s_i & s_k| x (F_i / n_i) x (F_k / n_k).

Multi-way overlap (a 20-creator union) needs a model, and the pool model of ``planning.overlap``
is that model: creators of one niche x country pool draw their audiences at random from the same
``N`` people, so ``E |s_i & s_k| = n_i n_k / N`` for every pair and the union of any set of them
is ``N (1 - prod_i (1 - F_i / N))`` (Sainsbury). The samples *measure* ``N`` for each pool where
the overlap model otherwise assumes it from a duplication setting: summing over the pool's pairs,
the Lincoln-Petersen (capture-recapture) estimate

    N = sum over pairs of n_i n_k / sum over pairs of |s_i & s_k|,

counted from the samples' theta sketches (exact below 16,384 followers) without comparing pairs:
a follower found in ``c`` samples is ``c (c - 1) / 2`` shared pairs. The count of shared pairs is
Poisson, so ``ln N`` has a standard error of ``1 / sqrt(shared pairs)``; the Monte Carlo draws
the pool size with that error, which widens the plan's P10-P90.

Precision: the error is that of a Poisson count, so it depends on how many shared pairs the
samples find, not on the method: for 20 creators with samples of 500, about 2 % on the union when
the summed audiences over-count it 1.2x, 3.5 % at 1.5x (``tests/planning/test_plan_samples.py``).

Known bias, stated in the docs: when some followers follow far more creators than others
(heavy users), pairs overlap more than random draws would, the measured pool is smaller than the
real one and the union is *under*-estimated (about 10 % when the number of creators a person
follows has a log-sd of 0.5, same test file): the plan is conservative. The estimate is never below the pool's largest audience and has no
upper limit: few shared pairs mean audiences that barely overlap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from creatormix.planning import sketches


@dataclass(frozen=True)
class PoolMeasure:
    """What the follower samples of one pool's creators say about its size."""

    key: str  # the pool ("niche|country")
    creators: int  # creators of the pool with a sample
    sample_min: int  # the smallest and largest sample (followers)
    sample_max: int
    shared: int  # pairs of samples sharing a follower, over every pair of the pool's samples
    size: float  # estimated people in the pool (followers), before the authenticity discount
    log_sd: float  # standard error of ln(size)

    def words(self) -> str:
        sizes = (
            f"{self.sample_min:,}"
            if self.sample_min == self.sample_max
            else f"{self.sample_min:,}-{self.sample_max:,}"
        )
        return (
            f"samples of {sizes} followers from {self.creators} creators, {self.shared:,} "
            f"shared follower pair(s): a pool of {self.size:,.0f} followers "
            f"(±{np.expm1(self.log_sd):.0%})"
        )


def measure(
    keys: Sequence[str],
    blobs: Sequence[bytes | None],
    followers: np.ndarray,
) -> dict[str, PoolMeasure]:
    """Pool sizes from the samples (creators with ``None`` have none); pools with fewer than two
    sampled creators are not measured (there is no pair to compare)."""
    by_pool: dict[str, list[int]] = {}
    for i, (key, blob) in enumerate(zip(keys, blobs, strict=True)):
        if blob is not None:
            by_pool.setdefault(key, []).append(i)
    out: dict[str, PoolMeasure] = {}
    for key, members in by_pool.items():
        if len(members) < 2:
            continue
        parts = [sketches.unpack(blobs[i]) for i in members]  # type: ignore[arg-type]
        theta = min(p.theta for p in parts)
        limit = np.uint64(min((1 << 63) - 1, int(theta * ((1 << 63) - 1))))
        kept = [p.hashes[p.hashes < limit] if theta < 1 else p.hashes for p in parts]
        n = np.array([len(k) for k in kept], dtype=float)
        if (n <= 0).any():
            continue
        _, counts = np.unique(np.concatenate(kept), return_counts=True)
        shared = float((counts * (counts - 1) / 2).sum())
        pairs = (n.sum() ** 2 - (n * n).sum()) / 2
        # a kept hash stands for 1/theta sampled followers: the pair counts scale alike
        size = pairs / max(shared, 0.5) / theta
        f = np.nan_to_num(followers[members])
        size = float(max(size, f.max()))
        listed = np.round(n / theta).astype(int)
        out[key] = PoolMeasure(
            key,
            len(members),
            int(listed.min()),
            int(listed.max()),
            round(shared),
            size,
            1.0 / np.sqrt(max(shared, 1.0)),
        )
    return out
