"""Whose audiences overlap: measured from follower lists or samples, or the documented pool model.

**With complete follower lists** (``creatormix import followers``, a list naming at least 80 % of
the creator's followers) each creator's audience is its theta sketch; the elements are the
retained follower hashes, each standing for 1/theta followers.

**Without them**, the *pool model*: creators who share a niche (their first category) and a
country draw their audiences from one pool of people. The pool holds
``max(largest audience, sum of the pool's audiences / DUPLICATION)`` people, where DUPLICATION
(default 2, a setting) is how many of the catalog's creators in that pool an average member
follows. A creator reaching R people reaches each pool member with probability R / pool size,
independently of the others (the Sainsbury formula of media planning), so two creators in the
same pool overlap and creators in different pools do not.

**Follower samples** (a list naming less of the audience) measure the pool instead of assuming
it: where at least two of a pool's creators have samples, the pool's size is their
capture-recapture estimate (``planning.samples``), with its error, and replaces the duplication
setting for every creator of that pool. Creators with and without complete lists are treated as
disjoint audiences.

The two reach objectives read the same structure differently:

* ``views``: a post reaches each follower with the creator's reach rate x fit x authenticity
  (``q`` per creator), so two creators' posts may both reach a shared follower, counted once;
* ``audience``: every real follower in the target counts once. On lists, an element is a
  follower, worth its weight x the mean fit x authenticity of the creators listing it (one person
  is in the target or not, whoever they follow), and each creator reaches its elements for sure;
  in a pool, a creator holds audience x fit x authenticity of the pool's people.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from creatormix.planning.candidates import Candidates
from creatormix.planning.coverage import CoverageModel
from creatormix.planning.samples import PoolMeasure, measure

DEFAULT_DUPLICATION = 2.0


@dataclass(frozen=True)
class Overlap:
    """The coverage model and what each creator's overlap was measured from."""

    model: CoverageModel
    sources: tuple[str, ...]  # per creator, in words
    pools: dict[str, PoolMeasure] = field(default_factory=dict)  # pools measured from samples


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
    """The views coverage model (see ``build_overlap``)."""
    return build_overlap(
        cands,
        people,
        reach,
        sketch_blobs=sketch_blobs,
        reach_prob=reach_prob,
        duplication=duplication,
    ).model


def build_overlap(
    cands: Candidates,
    people: np.ndarray,
    reach: np.ndarray,
    *,
    sketch_blobs: Sequence[bytes | None] | None = None,
    sample_blobs: Sequence[bytes | None] | None = None,
    sample_sizes: np.ndarray | None = None,
    reach_prob: np.ndarray | None = None,
    audience_value: np.ndarray | None = None,
    duplication: float = DEFAULT_DUPLICATION,
) -> Overlap:
    """The coverage model for the candidates.

    ``people``: each creator's audience size (followers x authenticity); ``reach``: the people it
    reaches in the target if it posts (the views objective's relevant reach, or the audience
    objective's people x fit); ``reach_prob``: the chance a post reaches one given follower in
    the target (views, with lists); ``audience_value``: per creator, the share of its followers
    that are real and in the target (fit x authenticity; given for the audience objective, whose
    list elements are then worth that share and reached for sure). ``sample_blobs`` /
    ``sample_sizes``: theta sketches of follower samples and how many followers each names.
    """
    n = len(cands)
    has_list = np.zeros(n, dtype=bool)
    if sketch_blobs is not None:
        has_list = np.array([b is not None for b in sketch_blobs], dtype=bool)
    pool_idx = np.flatnonzero(~has_list)
    all_keys = pool_keys(cands)
    keys = all_keys[pool_idx]
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
    pool_sd = np.zeros(n_pools)
    measured: dict[str, PoolMeasure] = {}
    sampled = np.zeros(n, dtype=bool)
    if sample_blobs is not None and len(pool_idx):
        blobs = [sample_blobs[i] if not has_list[i] else None for i in range(n)]
        sampled = np.array([b is not None for b in blobs], dtype=bool)
        measured = measure(list(all_keys), blobs, np.nan_to_num(cands.followers.astype(float)))
        auth_share = np.divide(
            np.nan_to_num(people),
            np.maximum(np.nan_to_num(cands.followers.astype(float)), 1e-9),
        )
        for g, key in enumerate(uniq):
            m = measured.get(str(key))
            if m is None:
                continue
            members = pool_idx[pool_of == g]
            share = float(np.mean(auth_share[members])) if len(members) else 1.0
            size[g] = max(largest[g], m.size * min(1.0, share))
            pool_sd[g] = m.log_sd
    size = np.maximum(size, 1.0)
    q = np.zeros(n)
    q[pool_idx] = np.minimum(1.0, np.nan_to_num(reach[pool_idx]) / size[pool_of])
    counts = np.zeros(n, dtype=np.int64)
    counts[pool_idx] = 1
    weight = size
    size_sd = pool_sd
    source = "pool model"
    if has_list.any() and sketch_blobs is not None:
        from creatormix.planning import sketches

        listed = [sketch_blobs[i] if has_list[i] else None for i in range(n)]
        s_indptr, s_elem, w = sketches.hash_sets(listed)
        counts[has_list] = np.diff(s_indptr)[has_list]
        n_hash = int(s_elem.max()) + 1 if len(s_elem) else 0
        hash_weight = np.full(n_hash, w)
        if audience_value is not None:
            # a follower is one person: worth the mean in-target real share of those listing it
            owner = np.repeat(np.arange(n), np.diff(s_indptr))
            value = np.clip(np.nan_to_num(audience_value), 0.0, 1.0)[owner]
            hits = np.bincount(s_elem, minlength=n_hash)
            hash_weight = (
                w * np.bincount(s_elem, weights=value, minlength=n_hash) / np.maximum(hits, 1)
            )
            q[has_list] = 1.0
        else:
            prob = reach_prob if reach_prob is not None else np.ones(n)
            q[has_list] = np.clip(np.nan_to_num(prob[has_list]), 0.0, 1.0)
        weight = np.concatenate([size, hash_weight])
        size_sd = np.concatenate([pool_sd, np.zeros(n_hash)])
        source = (
            "follower-list sketches" if not len(pool_idx) else "follower-list sketches + pool model"
        )
    if measured and "pool model" in source:
        source = source.replace("pool model", "pool model (measured from follower samples)")
    indptr = np.concatenate([[0], np.cumsum(counts)])
    elem = np.zeros(int(indptr[-1]), dtype=np.int64)
    if len(pool_idx):
        elem[indptr[pool_idx]] = pool_of
    if has_list.any() and sketch_blobs is not None:
        for i in np.flatnonzero(has_list):
            lo, hi = s_indptr[i], s_indptr[i + 1]
            elem[indptr[i] : indptr[i + 1]] = s_elem[lo:hi] + n_pools
    model = CoverageModel(
        indptr.astype(np.int64),
        elem,
        weight.astype(float),
        q,
        source,
        size_sd if (size_sd > 0).any() else None,
    )
    return Overlap(
        model, _sources(cands, has_list, sampled, sample_sizes, all_keys, measured), measured
    )


def _sources(
    cands: Candidates,
    has_list: np.ndarray,
    sampled: np.ndarray,
    sample_sizes: np.ndarray | None,
    keys: np.ndarray,
    measured: dict[str, PoolMeasure],
) -> tuple[str, ...]:
    """What each creator's overlap rests on, in words (the plan states it per pick)."""
    out = []
    for i in range(len(cands)):
        if has_list[i]:
            out.append("its follower list")
            continue
        m = measured.get(str(keys[i]))
        own = ""
        if sampled[i] and sample_sizes is not None:
            own = f"its sample of {int(sample_sizes[i]):,} followers; "
        if m is not None:
            out.append(f"{own}pool {keys[i]} measured from {m.words()}")
        elif sampled[i]:
            out.append(
                f"{own}no other sample in its pool ({keys[i]}): the overlap model's assumed "
                "duplication"
            )
        else:
            out.append(f"the overlap model (pool {keys[i]}, assumed duplication; no follower data)")
    return tuple(out)
