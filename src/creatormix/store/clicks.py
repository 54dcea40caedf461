"""The click journal: durable, append-only files the redirect server writes, folded into the store.

The redirect server must answer thousands of clicks a second while DuckDB allows one writing
process. So the server does not write the database on the request path: it appends each batch of
clicks to its own journal segment and ``fdatasync``s it (group commit) before answering any
redirect in the batch. ``fold`` copies complete lines past the last folded offset into ``clicks``
and records the new offset, in one transaction, so a fold is idempotent and a crash at any point
loses nothing and duplicates nothing. See docs/architecture.md, "Click recording".

Segments are pre-zeroed ahead of the write position (as database WAL segments are): overwriting
blocks that already exist lets ``fdatasync`` flush data alone, without a file-size change to
journal, which cut its tail latency several-fold on this project's ext4 disks. The data therefore
ends at the first NUL byte.

Line format (tab-separated, one click per line, ``\\n``-terminated, never a NUL)::

    clicked_at_us  link_code  visitor_hash  ua_family  referrer
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from creatormix.store.core import dialect_for, utcnow
from creatormix.store.migrations.m004_campaigns import CLICKS
from creatormix.store.targets import Target

if TYPE_CHECKING:
    import pyarrow as pa

    from creatormix.store.core import Store

SEGMENT_GLOB = "clicks-*.log"
CHUNK = 8 << 20  # bytes of zeros allocated at a time (~110,000 clicks)
_COLUMNS = ["us", "link_code", "visitor", "ua_family", "referrer"]


def journal_dir(workspace: Target | str | os.PathLike[str]) -> Path:
    """``shop.duckdb`` -> ``shop.duckdb.clicks/`` beside it; a workspace on a server keeps its
    journal in this machine's state folder for it (``…/<host>-<port>-<database>/clicks``)."""
    target = Target.parse(workspace)
    if target.is_file:
        return Path(str(target.path) + ".clicks")
    return dialect_for(target).local_dir(target) / "clicks"


class JournalWriter:
    """One server's segment. ``write`` returns only once the bytes are on stable storage.

    Calls to ``write`` must not overlap (the server makes them from one thread). The segment is
    locked (``flock``) while open, which tells ``fold`` that it is still being written; a segment
    whose writer died is unlocked and is deleted once folded.
    """

    def __init__(self, folder: Path, *, chunk: int = CHUNK) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        self.path = folder / f"clicks-{stamp}-{os.getpid()}.log"
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o640)
        fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        self.chunk = chunk
        self.offset = 0
        self.allocated = 0
        self._extending: threading.Thread | None = None
        self._alloc_lock = threading.Lock()
        self._extend_to(chunk)
        _fsync_dir(folder)  # the new file's directory entry is durable too

    def _extend_to(self, size: int) -> None:
        with self._alloc_lock:
            start = self.allocated
            if size <= start:
                return
            zeros = bytes(min(size - start, 1 << 20))
            pos = start
            while pos < size:
                pos += os.pwrite(self.fd, zeros[: size - pos], pos)
            os.fdatasync(self.fd)
            self.allocated = size

    def write(self, data: bytes) -> None:
        end = self.offset + len(data)
        if end > self.allocated:  # the background extension fell behind: extend inline
            self._extend_to(end + self.chunk)
        view = memoryview(data)
        pos = self.offset
        while view:
            n = os.pwrite(self.fd, view, pos)
            view, pos = view[n:], pos + n
        os.fdatasync(self.fd)
        self.offset = end
        if self.allocated - end < self.chunk // 2 and not (
            self._extending and self._extending.is_alive()
        ):
            target = self.allocated + self.chunk
            self._extending = threading.Thread(
                target=self._extend_to, args=(target,), name="journal-extend", daemon=True
            )
            self._extending.start()

    def close(self) -> None:
        if self._extending is not None:
            self._extending.join()
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


def _folded(store: Store) -> dict[str, tuple[int, int]]:
    t = store.table("click_folds")
    rows = (
        t.group_by("segment")
        .agg(done=t.folded_bytes.max(), lines=t.folded_lines.max())
        .to_pyarrow()
        .to_pylist()
    )
    return {r["segment"]: (int(r["done"]), int(r["lines"])) for r in rows}


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


def complete_lines(data: bytes) -> bytes:
    """The complete lines of ``data``: up to the last newline before the zeroed tail."""
    nul = data.find(b"\0")
    if nul >= 0:
        data = data[:nul]
    return data[: data.rfind(b"\n") + 1]


def fold(store: Store, folder: Path) -> int:
    """Copy every complete journal line not yet folded into ``clicks``; returns clicks added.

    A torn last line (a writer killed mid-write) was never acknowledged and stays out. Segments of
    dead writers with nothing left to fold are deleted (after the fold that completed them
    committed, so a rolled-back fold never loses a file).
    """
    import pyarrow as pa

    if not folder.is_dir():
        return 0
    added = 0
    with store.transaction():
        done = _folded(store)
        for path in sorted(folder.glob(SEGMENT_GLOB)):
            alive = _writer_alive(path)
            start, lines = done.get(path.name, (0, 0))
            with path.open("rb") as fh:
                fh.seek(start)
                data = complete_lines(fh.read())
            if not data:
                if not alive:
                    path.unlink(missing_ok=True)
                continue
            table = parse(data, path.name, lines)
            store.append("clicks", table)
            store.append(
                "click_folds",
                pa.table(
                    {
                        "segment": [path.name],
                        "folded_bytes": [start + len(data)],
                        "folded_lines": [lines + table.num_rows],
                        "folded_at": [utcnow()],
                    }
                ),
            )
            added += table.num_rows
    return added


def parse(data: bytes, segment: str, first_line: int) -> pa.Table:
    """Journal lines to a ``clicks`` table, in Arrow (no per-line Python: folds run beside the server)."""
    import ibis
    import pyarrow as pa
    import pyarrow.csv as pacsv

    table = pacsv.read_csv(
        pa.py_buffer(data),
        read_options=pacsv.ReadOptions(column_names=_COLUMNS),
        parse_options=pacsv.ParseOptions(delimiter="\t", quote_char=False, escape_char=False),
        convert_options=pacsv.ConvertOptions(
            column_types={c: (pa.int64() if c == "us" else pa.string()) for c in _COLUMNS},
            null_values=[""],
            strings_can_be_null=True,
        ),
    )
    n = table.num_rows
    out = {
        "segment": pa.array([segment] * n, pa.string()),
        "line": pa.array(range(first_line, first_line + n), pa.int64()),
        "link_code": table["link_code"],
        "clicked_at": table["us"].cast(pa.timestamp("us")),
        "visitor": table["visitor"],
        "ua_family": table["ua_family"],
        "referrer": table["referrer"],
    }
    schema = ibis.schema(CLICKS).to_pyarrow()
    return pa.table(out).cast(schema)
