"""Reads of derived data remembered by the process while the data's stamp is unchanged.

The catalog's listings and its tier summary read only the derived creator-metrics table, which
changes only when it is rebuilt (``refresh_metrics``) or dropped, and each of those writes a new
stamp in the same transaction (``store.catalog.METRICS_STAMP_TABLE``). A value computed from the table
is therefore valid for as long as the stamp read before computing it is the current one, however
many other commits (deal moves, notes, sessions, clicks) land meanwhile, on any connection.

``Store.memo`` forgets everything at any commit on a server, which on a team server with people
moving deals all day means that every catalog search scans every creator again; this remembers
across commits and across the connections of one process (``creatormix serve`` holds several on
PostgreSQL), keyed by the database, the stamp and the question. Bounded by the bytes of the
values (Arrow tables weigh their buffers): the least recently used go first, and a value larger
than a quarter of the bound is never kept (it is computed each time, as without this).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

LIMIT_BYTES = 256 * 1024 * 1024

_lock = threading.Lock()
_values: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
_held = [0]  # bytes of the values held


def remembered(key: Hashable, compute: Callable[[], Any], weigh: Callable[[Any], int]) -> Any:
    """The value kept under ``key`` (which includes the stamp), else ``compute()``, kept when
    it weighs at most a quarter of ``LIMIT_BYTES``."""
    with _lock:
        hit = _values.get(key)
        if hit is not None:
            _values.move_to_end(key)
            return hit[0]
    value = compute()  # outside the lock: two requests may compute the same value once each
    weight = max(1, int(weigh(value)))
    if weight > LIMIT_BYTES // 4:
        return value
    with _lock:
        if key not in _values:
            _values[key] = (value, weight)
            _held[0] += weight
        while _held[0] > LIMIT_BYTES and _values:
            _, (_, dropped) = _values.popitem(last=False)
            _held[0] -= dropped
    return value


def forget_all() -> None:
    """Drop every value (tests that measure a cold read)."""
    with _lock:
        _values.clear()
        _held[0] = 0


def held_bytes() -> int:
    """Bytes of the values kept now."""
    with _lock:
        return _held[0]
