"""The click journal: durable, append-only files the redirect server writes, folded into the store.

The redirect server must answer thousands of clicks a second while DuckDB allows one writing
process. So the server does not write the database on the request path: it appends each batch of
clicks to its own journal segment and ``fdatasync``s it (group commit) before answering any
redirect in the batch. ``fold`` copies complete lines past the last folded offset into ``clicks``
and records the new offset, in one transaction, so a fold is idempotent and a crash at any point
loses nothing and duplicates nothing. See docs/architecture.md, "Click recording".

Line format (tab-separated, one click per line, ``\n``-terminated)::

    clicked_at_us  link_code  visitor_hash  ua_family  referrer
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from creatormix.store.core import utcnow
from creatormix.store.migrations.m004_campaigns import CLICKS

if TYPE_CHECKING:
    from creatormix.store.core import Store

SEGMENT_GLOB = "clicks-*.log"
_EPOCH = datetime(1970, 1, 1)


def journal_dir(db_path: Path) -> Path:
    """``shop.duckdb`` -> ``shop.duckdb.clicks/`` beside it."""
    return Path(str(db_path) + ".clicks")


class JournalWriter:
    """One server's segment. ``write`` returns only once the bytes are on stable storage.

    The segment is locked (``flock``) while open, which tells ``fold`` that it is still being
    written; a segment whose writer died is unlocked and can be removed once folded.
    """

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        self.path = folder / f"clicks-{stamp}-{os.getpid()}.log"
        self.fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_EXCL, 0o640)
        fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        _fsync_dir(folder)  # the new file's directory entry is durable too

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            n = os.write(self.fd, view)
            view = view[n:]
        os.fdatasync(self.fd)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self.fd)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def encode(clicked_at_us: int, code: str, visitor: str, ua_family: str, referrer: str) -> bytes:
    return f"{clicked_at_us}\t{code}\t{visitor}\t{ua_family}\t{referrer}\n".encode()


def _folded(store: Store) -> dict[str, int]:
    t = store.table("click_folds")
    rows = t.group_by("segment").agg(done=t.folded_bytes.max()).to_pyarrow().to_pylist()
    return {r["segment"]: int(r["done"]) for r in rows}


def _writer_alive(path: Path) -> bool:
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def fold(store: Store, folder: Path) -> int:
    """Copy every complete journal line not yet folded into ``clicks``; returns clicks added.

    A torn last line (a writer killed mid-write) is never acknowledged and stays out: only bytes up
    to the last newline are read. Segments of dead writers are deleted by the fold after the one that
    completed them (so a rolled-back fold never loses a file).
    """
    import pyarrow as pa

    if not folder.is_dir():
        return 0
    added = 0
    with store.transaction():
        done = _folded(store)
        for path in sorted(folder.glob(SEGMENT_GLOB)):
            alive = _writer_alive(path)
            start = done.get(path.name, 0)
            with path.open("rb") as fh:
                fh.seek(start)
                data = fh.read()
            if not data and not alive:
                # Every byte was folded by an earlier, committed fold and no one writes here.
                path.unlink(missing_ok=True)
                continue
            end = data.rfind(b"\n") + 1
            if end:
                rows = _parse(data[:end], path.name, start)
                store.append("clicks", pa.Table.from_pylist(rows, schema=_schema()))
                store.append(
                    "click_folds",
                    pa.table(
                        {
                            "segment": [path.name],
                            "folded_bytes": [start + end],
                            "folded_at": [utcnow()],
                        }
                    ),
                )
                added += len(rows)
    return added


def _schema() -> object:
    import ibis

    return ibis.schema(CLICKS).to_pyarrow()


def _parse(data: bytes, segment: str, start: int) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    offset = start
    for line in data.split(b"\n")[:-1]:
        parts = line.decode(errors="replace").split("\t")
        if len(parts) == 5:
            us, code, visitor, family, referrer = parts
            rows.append(
                {
                    "segment": segment,
                    "offset": offset,
                    "link_code": code,
                    "clicked_at": _EPOCH + timedelta(microseconds=int(us)),
                    "visitor": visitor,
                    "ua_family": family,
                    "referrer": referrer or None,
                }
            )
        offset += len(line) + 1
    return rows
