"""Whose audiences overlap: measured from follower-list sketches, or the documented pool model.

**With follower lists** (``creatormix import followers``) each creator's audience is its theta
sketch; the elements are the retained follower hashes, each standing for 1/theta followers, and a
post reaches each of them with the creator's reach probability x fit x authenticity.

**Without them**, the *pool model*: creators who share a niche (their first category) and a
country draw their audiences from one pool of people. The pool holds
``max(largest audience, sum of the pool's audiences / DUPLICATION)`` people, where DUPLICATION
(default 2, a setting) is how many of the catalog's creators in that pool an average member
follows. A creator reaching R people reaches each pool member with probability R / pool size,
independently of the others (the Sainsbury formula of media planning), so two creators in the
same pool overlap and creators in different pools do not. It is a model, stated as such in every
plan; follower lists replace it wherever they exist. Creators with and without lists are treated
as disjoint audiences.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from creatormix.planning.candidates import Candidates
from creatormix.planning.coverage import CoverageModel

DEFAULT_DUPLICATION = 2.0


def pool_keys(cands: Candidates) -> np.ndarray:
    return np.array(
        [
            f"{(cats[0] if cats else '-').lower()}|{country or '-'}"
            for cats, country in zip(cands.categories, cands.country, strict=True)
        ],
        dtype=object,
    )


def build(
    cands: Candidates,
    people: np.ndarray,
    reach: np.ndarray,
    *,
    sketch_blobs: Sequence[bytes | None] | None = None,
    reach_prob: np.ndarray | None = None,
    duplication: float = DEFAULT_DUPLICATION,
) -> CoverageModel:
    """The coverage model for the candidates.

    ``people``: each creator's audience size (followers x authenticity); ``reach``: the people it
    reaches in the target if it posts (the outcome model's relevant reach); ``reach_prob``: the
    chance a post reaches one given follower in the target (used with sketches).
    """
    n = len(cands)
    has_list = np.zeros(n, dtype=bool)
    if sketch_blobs is not None:
        has_list = np.array([b is not None for b in sketch_blobs], dtype=bool)
    pool_idx = np.flatnonzero(~has_list)
    # pool model for creators without follower lists
    keys = pool_keys(cands)[pool_idx]
    uniq, pool_of = (
        np.unique(keys, return_inverse=True)
        if len(keys)
        else (np.zeros(0), np.zeros(0, dtype=np.int64))
    )
    n_pools = len(uniq)
    aud = np.nan_to_num(people[pool_idx])
    total = np.bincount(pool_of, weights=aud, minlength=n_pools)
    largest = np.zeros(n_pools)
    np.maximum.at(largest, pool_of, aud)
    size = np.maximum(largest, total / max(duplication, 1.0))
    size = np.maximum(size, 1.0)
    q = np.zeros(n)
    q[pool_idx] = np.minimum(1.0, np.nan_to_num(reach[pool_idx]) / size[pool_of])
    # elements: pools first, then sketch hashes
    counts = np.zeros(n, dtype=np.int64)
    counts[pool_idx] = 1
    elem_parts: list[np.ndarray] = []
    weight = size
    source = "pool model"
    if has_list.any() and sketch_blobs is not None:
        from creatormix.planning import sketches

        listed = [sketch_blobs[i] if has_list[i] else None for i in range(n)]
        s_indptr, s_elem, w = sketches.hash_sets(listed)
        counts[has_list] = np.diff(s_indptr)[has_list]
        n_hash = int(s_elem.max()) + 1 if len(s_elem) else 0
        weight = np.concatenate([size, np.full(n_hash, w)])
        prob = reach_prob if reach_prob is not None else np.ones(n)
        q[has_list] = np.clip(np.nan_to_num(prob[has_list]), 0.0, 1.0)
        source = (
            "follower-list sketches" if not len(pool_idx) else "follower-list sketches + pool model"
        )
    indptr = np.concatenate([[0], np.cumsum(counts)])
    elem = np.zeros(int(indptr[-1]), dtype=np.int64)
    if len(pool_idx):
        elem[indptr[pool_idx]] = pool_of
    if has_list.any() and sketch_blobs is not None:
        for i in np.flatnonzero(has_list):
            lo, hi = s_indptr[i], s_indptr[i + 1]
            elem[indptr[i] : indptr[i + 1]] = s_elem[lo:hi] + n_pools
        del elem_parts
    return CoverageModel(indptr.astype(np.int64), elem, weight.astype(float), q, source)
