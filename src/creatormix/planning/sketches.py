"""Follower lists as Apache DataSketches theta sketches: built once on import, merged at plan time.

A theta sketch keeps the smallest hashes of a set (at most ``2^lg_k`` of them) and a threshold
theta; below ``2^lg_k`` followers it is exact. Sketches of different creators share one hash
function, so the same follower gives the same hash everywhere and unions and intersections are
estimated from the retained hashes. Here the sketches serve twice: ``estimate_union`` reports a
plan's unique audience with DataSketches' own error bounds, and ``hash_sets`` unpacks the retained
hashes so the coverage optimiser can work on them directly (every retained hash below the common
theta stands for 1/theta followers).
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

DEFAULT_LG_K = 14  # 16,384 retained hashes: exact below that, about 0.8 % error above
SEED = 9001  # DataSketches' default update seed


def build(ids: Iterable[int], lg_k: int = DEFAULT_LG_K) -> bytes:
    """The serialized compact theta sketch of one creator's follower ids (64-bit integers)."""
    import datasketches

    sk = datasketches.update_theta_sketch(lg_k, 1.0, SEED)
    update = sk.update
    for v in ids:
        update(v)
    return bytes(sk.compact().serialize())


def build_many(
    creator: np.ndarray,
    follower: np.ndarray,
    n_creators: int,
    lg_k: int = DEFAULT_LG_K,
    *,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[bytes]:
    """Sketches for every creator from parallel arrays (creator index, follower id).

    Follower ids are 64-bit integers, or any objects (strings hash as their UTF-8 text); the same
    id always gives the same hash. Large inputs are split across processes (``workers``, default
    the CPU count for more than two million links): DataSketches' update is one Python call per
    link, so this is the slow part of an import.
    """
    import os

    order = np.argsort(creator, kind="stable")
    bounds = np.searchsorted(creator[order], np.arange(n_creators + 1))
    if workers is None:
        workers = min(os.cpu_count() or 1, 4) if len(creator) > 2_000_000 else 1
    if workers <= 1 or n_creators < 2:
        return _build_range(follower, order, bounds, 0, n_creators, lg_k, progress)
    import multiprocessing as mp

    # split creators into contiguous ranges holding about the same number of links
    cuts = np.searchsorted(bounds, np.linspace(0, len(creator), workers + 1))
    cuts = np.unique(np.concatenate([[0], np.clip(cuts, 0, n_creators), [n_creators]]))
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    procs = []
    for k in range(len(cuts) - 1):
        lo, hi = int(cuts[k]), int(cuts[k + 1])

        def work(q: mp.Queue, lo: int = lo, hi: int = hi, k: int = k) -> None:  # type: ignore[type-arg]
            q.put((k, _build_range(follower, order, bounds, lo, hi, lg_k, None)))

        proc = ctx.Process(target=work, args=(queue,))
        proc.start()
        procs.append(proc)
    parts: dict[int, list[bytes]] = {}
    for _ in procs:
        k, blobs = queue.get()
        parts[k] = blobs
        if progress is not None:
            progress(sum(len(v) for v in parts.values()), n_creators)
    for proc in procs:
        proc.join()
    out: list[bytes] = []
    for k in sorted(parts):
        out.extend(parts[k])
    if len(out) != n_creators:
        raise RuntimeError("sketch workers returned an unexpected number of sketches")
    return out


def _build_range(
    follower: np.ndarray,
    order: np.ndarray,
    bounds: np.ndarray,
    lo: int,
    hi: int,
    lg_k: int,
    progress: Callable[[int, int], None] | None,
) -> list[bytes]:
    out = []
    for i in range(lo, hi):
        ids = follower[order[bounds[i] : bounds[i + 1]]]
        out.append(build(ids.tolist() if isinstance(ids, np.ndarray) else list(ids), lg_k))
        if progress is not None and (i - lo) % 256 == 0:
            progress(i - lo, hi - lo)
    return out


@dataclass(frozen=True)
class Unpacked:
    hashes: np.ndarray  # uint64, retained hashes
    theta: float  # sampling threshold in (0, 1]


def unpack(blob: bytes) -> Unpacked:
    """Retained hashes and theta of a serialized compact theta sketch.

    Reads the documented serialization (preamble longs, then the hash array) directly so that
    millions of hashes are not iterated one by one in Python; falls back to iterating the
    deserialized sketch for any layout it does not recognise.
    """
    import datasketches

    b = bytes(blob)
    if len(b) >= 8 and b[1] == 3 and b[2] == 3:  # serial version 3, family 3 (compact theta)
        pre = b[0] & 0x3F
        flags = b[5]
        empty = bool(flags & 0x04)
        if pre == 1:
            if empty or len(b) < 16:
                return Unpacked(np.zeros(0, dtype=np.uint64), 1.0)
            return Unpacked(np.frombuffer(b, dtype="<u8", count=1, offset=8).copy(), 1.0)
        count = struct.unpack_from("<I", b, 8)[0]
        theta64 = (1 << 63) - 1
        if pre >= 3:
            theta64 = struct.unpack_from("<Q", b, 16)[0]
        offset = 8 * pre
        if len(b) >= offset + 8 * count:
            hashes = np.frombuffer(b, dtype="<u8", count=count, offset=offset).copy()
            return Unpacked(hashes, theta64 / float((1 << 63) - 1))
    sk = datasketches.compact_theta_sketch.deserialize(b, SEED)
    hashes = np.fromiter(iter(sk), dtype=np.uint64, count=sk.num_retained)
    return Unpacked(hashes, float(sk.theta))


def estimate_union(blobs: Sequence[bytes], lg_k: int = DEFAULT_LG_K) -> tuple[float, float, float]:
    """DataSketches' estimate of the union's size with its 95 % bounds (2 standard deviations)."""
    import datasketches

    u = datasketches.theta_union(lg_k, 1.0, SEED)
    for blob in blobs:
        u.update(datasketches.compact_theta_sketch.deserialize(bytes(blob), SEED))
    r = u.get_result()
    return float(r.get_estimate()), float(r.get_lower_bound(2)), float(r.get_upper_bound(2))


MAX_ENTRIES = 4_000_000  # retained hashes the coverage optimiser works on at most


def hash_sets(
    blobs: Sequence[bytes | None], max_entries: int = MAX_ENTRIES
) -> tuple[np.ndarray, np.ndarray, float]:
    """The creators' retained hashes as CSR, truncated to a common theta.

    The common theta is the smallest of the sketches' (as in a DataSketches union), lowered
    further when the sketches hold more than ``max_entries`` hashes in all: hashes are uniform, so
    keeping those below theta is a uniform sample of every creator's followers, coordinated across
    creators (a shared follower is kept for all or for none). Returns the pointer per creator (an
    empty range for ``None``), dense element ids (0..E-1) and the weight of one element (1 /
    theta: the followers each kept hash stands for).
    """
    parts = [unpack(b) if b is not None else None for b in blobs]
    thetas = [p.theta for p in parts if p is not None]
    theta = min(thetas) if thetas else 1.0
    total = sum(
        int(np.count_nonzero(p.hashes < np.uint64(theta * ((1 << 63) - 1))))
        if theta < 1
        else len(p.hashes)
        for p in parts
        if p is not None
    )
    if total > max_entries:
        theta *= max_entries / total
    limit = np.uint64(min((1 << 63) - 1, int(theta * ((1 << 63) - 1))))
    kept = []
    for p in parts:
        if p is None:
            kept.append(np.zeros(0, dtype=np.uint64))
        elif theta < 1.0:
            kept.append(p.hashes[p.hashes < limit])
        else:
            kept.append(p.hashes)
    sizes = np.array([len(k) for k in kept], dtype=np.int64)
    indptr = np.concatenate([[0], np.cumsum(sizes)])
    allh = np.concatenate(kept) if kept else np.zeros(0, dtype=np.uint64)
    if not len(allh):
        return indptr, np.zeros(0, dtype=np.int64), 1.0 / theta
    _, elem = np.unique(allh, return_inverse=True)
    return indptr, elem.astype(np.int64), 1.0 / theta
