"""The engine seam of the store: what a workspace database does that Ibis has no verb for.

Every query of ``store/`` is an Ibis expression and runs on both engines unchanged. The few things
that differ are here, one class per engine, named and tested on both (``tests/store/``):

=====================  ===================================  =====================================
seam                   DuckDBDialect (here)                 PostgresDialect (``store/postgres.py``)
=====================  ===================================  =====================================
connect                the file; waits while another        a libpq URL (``.pgpass``, services);
                       process holds it                     creates the database on ``init``
write transaction      BEGIN … COMMIT (one writing          BEGIN, then the workspace's advisory
                       process per file)                    transaction lock: writers queue, each
                                                            for one transaction; readers never wait
read snapshot          a transaction                        REPEATABLE READ, READ ONLY
bulk append            an Arrow stream, one row group       COPY … FROM STDIN (CSV written by Arrow)
                       per thread
replace a derived      CREATE OR REPLACE                    DELETE + INSERT … SELECT in the
table                                                       transaction: MVCC-safe, so a snapshot
                                                            opened before still reads the old rows
replace rows by key    delete + append                      COPY to a temporary table, DELETE
                                                            USING, INSERT
a table of keys        ``ibis.memtable``                    a temporary table loaded with COPY
=====================  ===================================  =====================================

Capability flags (``Store.top_n_aggregate``, ``Store.reads_arrow_streams``,
``Store.concurrent_writers``) come from the dialect; callers test a flag, never an engine's name.
Migrations run in a write transaction, so on PostgreSQL the advisory lock also makes two servers
that start at once migrate once: the second waits, then finds nothing left to apply.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from abc import ABC, abstractmethod
from collections.abc import Hashable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from creatormix.errors import InvalidOption, WorkspaceProblem
from creatormix.store.targets import DUCKDB, Target

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pyarrow as pa


class Store(Protocol):
    """What a dialect uses of the open store (``store.core.Store`` has all of it; typed here so
    the store and its dialects import in one direction only)."""

    target: Target
    raw: Any  # what the dialect connected

    @property
    def con(self) -> Any: ...  # the Ibis backend

    streams: int
    scratch: list[str]
    namespace: str

    def table(self, name: str) -> ir.Table: ...

    def has_table(self, name: str) -> bool: ...

    def fetch(self, expr: ir.Expr) -> pa.Table: ...

    def append(self, name: str, data: pa.Table) -> None: ...

    def forget_schema(self, name: str) -> None: ...


# DuckDB's own default is 80 % of the machine's memory, and it uses what it may: a 10-million-post
# import then peaks near 5 GB. With a cap it spills to a temporary folder beside the workspace
# instead (measured: no slower for the benchmark catalog, peak 3 GB). CREATORMIX_MEMORY_LIMIT
# overrides it ("4GB", "500MB").
DEFAULT_MEMORY_LIMIT = "2GB"
ENV_MEMORY_LIMIT = "CREATORMIX_MEMORY_LIMIT"
ENV_LOCK_WAIT = "CREATORMIX_LOCK_WAIT"

# DuckDB's row-group size: the unit its parallel insert works in.
_INSERT_CHUNK_ROWS = 122_880


def lock_wait_seconds(lock_wait: float | None) -> float:
    """``lock_wait``, else ``$CREATORMIX_LOCK_WAIT``, else 10 seconds."""
    if lock_wait is not None:
        return lock_wait
    raw = os.environ.get(ENV_LOCK_WAIT, "10")
    try:
        return float(raw)
    except ValueError:
        raise InvalidOption(f"{ENV_LOCK_WAIT}={raw!r} is not a number of seconds") from None


def quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def literal(value: str | int) -> str:
    """``value`` as a SQL literal every engine reads the same (a string quoted, an int as is)."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise TypeError(f"no portable literal for {value!r}")
    if isinstance(value, int):
        return str(value)
    return "'" + value.replace("'", "''") + "'"


def literals(values: Iterable[str | int]) -> str:
    """The values as a comma-separated list of literals (for ``IN (…)``)."""
    return ", ".join(literal(v) for v in values)


# The Ibis column types of the workspace's tables, as DuckDB names them (what Ibis creates: a
# test compares the two, tests/store/test_light_reads.py).
_DUCKDB_TYPES = {
    "string": "VARCHAR",
    "int64": "BIGINT",
    "float64": "DOUBLE",
    "boolean": "BOOLEAN",
    "timestamp": "TIMESTAMP",
    "binary": "BLOB",
    "array<string>": "VARCHAR[]",
}


class Busy(WorkspaceProblem):
    """Another process holds the workspace (the DuckDB file, or PostgreSQL's write lock)."""


class Dialect(ABC):
    """One engine's side of the store. Stateless: the connection is the ``Store``'s."""

    name: ClassVar[str]
    top_n_aggregate: ClassVar[bool]
    """The engine has a top-N aggregate (DuckDB's ``arg_max(value, key, n)``); the metrics keep a
    portable window form for the others."""
    reads_arrow_streams: ClassVar[bool]
    """Appends can hand the engine an Arrow stream directly."""
    concurrent_writers: ClassVar[bool]
    """Several processes may hold the workspace open for writing at once (a server may stay
    connected); without it one process at a time opens the file."""

    @abstractmethod
    def connect(
        self, target: Target, *, create: bool, read_only: bool, lock_wait: float | None
    ) -> Any:
        """A connection to the target (``Store.raw``): the driver's own where reads of a few
        rows can skip Ibis, else an Ibis backend; WorkspaceProblem (one line, no password) when
        it cannot."""

    def data_version(self, store: Store) -> Hashable:
        """What changes whenever another connection commits a change (engines with
        ``concurrent_writers``); equal versions read the same data."""
        return None

    def backend(self, raw: Any) -> Any:
        """The Ibis backend over what ``connect`` returned (made on the store's first use)."""
        return raw

    def disconnect(self, raw: Any) -> None:
        """Close what ``connect`` returned when no Ibis backend was ever made over it."""
        raw.disconnect()

    def records(self, store: Store, sql: str) -> list[dict[str, Any]]:
        """The rows of a small portable query as dicts."""
        return store.con.sql(sql).to_pyarrow().to_pylist()  # type: ignore[no-any-return]

    def list_tables(self, store: Store) -> list[str]:
        return list(store.con.list_tables())

    def create_table(self, store: Store, name: str, columns: dict[str, str]) -> None:
        """An empty table of these Ibis column types."""
        import ibis

        store.con.create_table(name, schema=ibis.schema(columns))

    @abstractmethod
    def local_dir(self, target: Target) -> Path:
        """The folder for this workspace's files on this machine (click journal, rejects)."""

    @abstractmethod
    @contextlib.contextmanager
    def write_transaction(self, store: Store, lock_wait: float | None) -> Iterator[None]:
        """The outermost write transaction: commit on success, roll back on any exception."""

    @abstractmethod
    @contextlib.contextmanager
    def snapshot(self, store: Store) -> Iterator[None]:
        """A read-only view of one committed state for the whole block."""

    @abstractmethod
    def append(self, store: Store, name: str, data: pa.Table) -> None:
        """Append rows (columns by name) in bulk."""

    @abstractmethod
    def replace_table(self, store: Store, name: str, expr: ir.Table) -> None:
        """Materialise a derived table from an expression, replacing what it held."""

    @abstractmethod
    def replace_rows(self, store: Store, name: str, data: pa.Table, key: list[str]) -> None:
        """Replace the rows whose ``key`` columns match a row of ``data`` by ``data``'s rows."""

    @abstractmethod
    def keys_table(self, store: Store, data: pa.Table) -> ir.Table:
        """``data`` as a table the engine can join against (valid until the store closes)."""

    @abstractmethod
    def execute(self, store: Store, sql: str) -> None:
        """Run one statement that returns nothing (inside the caller's transaction, if any)."""

    def describe_error(self, exc: BaseException, target: Target) -> WorkspaceProblem | None:
        """The error as one line for the user when it is the database's (a lost connection …)."""
        return None

    def release(self, store: Store) -> None:  # noqa: B027 (most engines make nothing to let go)
        """Let go of what the dialect made for the connection (before it closes)."""


class DuckDBDialect(Dialect):
    name = DUCKDB
    top_n_aggregate = True
    reads_arrow_streams = True
    concurrent_writers = False

    def connect(
        self, target: Target, *, create: bool, read_only: bool, lock_wait: float | None
    ) -> Any:
        path = target.path
        if not create and not path.exists():
            raise WorkspaceProblem(
                f"no workspace at {path}; create one with `creatormix init {path}` or point --db/CREATORMIX_DB at one"
            )
        if path.exists() and not _is_duckdb(path):
            raise WorkspaceProblem(
                f"{path} is not a creatormix workspace (not a DuckDB database file); "
                "nothing was changed. Point --db at a workspace, or at a new file to create one"
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        return _connect(path, read_only=read_only and path.exists(), lock_wait=lock_wait)

    def backend(self, raw: Any) -> Any:
        return _duckdb_backend_class().from_connection(raw)

    def disconnect(self, raw: Any) -> None:
        raw.close()

    def records(self, store: Store, sql: str) -> list[dict[str, Any]]:
        cursor = store.raw.execute(sql)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def list_tables(self, store: Store) -> list[str]:
        rows = store.raw.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = "
            "current_database() AND table_schema = current_schema() ORDER BY table_name"
        ).fetchall()
        return [r[0] for r in rows]

    def create_table(self, store: Store, name: str, columns: dict[str, str]) -> None:
        ddl = ", ".join(f"{quoted(c)} {_DUCKDB_TYPES[t]}" for c, t in columns.items())
        store.raw.execute(f"CREATE TABLE {quoted(name)} ({ddl})")

    def local_dir(self, target: Target) -> Path:
        return target.path.parent

    @contextlib.contextmanager
    def write_transaction(self, store: Store, lock_wait: float | None) -> Iterator[None]:
        # The file is this process's alone while it is open: nothing to wait for here.
        store.raw.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            store.raw.execute("ROLLBACK")
            raise
        store.raw.execute("COMMIT")

    @contextlib.contextmanager
    def snapshot(self, store: Store) -> Iterator[None]:
        with self.write_transaction(store, None):
            yield

    def append(self, store: Store, name: str, data: pa.Table) -> None:
        """Hand the rows to the engine as an Arrow stream, then forget the stream.

        Ibis's in-memory tables stay registered with DuckDB for the life of the connection, and
        DuckDB keeps a registered table alive until the transaction ends: a 10-million-post import
        would hold every batch (2.5 GB) until it commits. A stream is read and let go.
        """
        import pyarrow as pa

        store.streams += 1
        source = f"_creatormix_append_{store.streams}"
        raw = store.raw
        # DuckDB scans an Arrow stream one record batch per thread: a million-row batch is
        # inserted by one thread. Batches of a row group each let every thread insert (a
        # 10M-post import: 19 s of inserting on one core became 10 s on two).
        chunks = [
            batch.slice(start, _INSERT_CHUNK_ROWS)
            for batch in data.to_batches()
            for start in range(0, batch.num_rows, _INSERT_CHUNK_ROWS)
        ]
        raw.register(source, pa.RecordBatchReader.from_batches(data.schema, chunks))
        try:
            columns = ", ".join(quoted(c) for c in data.column_names)
            raw.execute(
                f"INSERT INTO {quoted(name)} ({columns}) SELECT {columns} FROM {quoted(source)}"
            )
        finally:
            raw.unregister(source)

    def execute(self, store: Store, sql: str) -> None:
        store.raw.execute(sql)

    def replace_table(self, store: Store, name: str, expr: ir.Table) -> None:
        store.con.create_table(name, expr, overwrite=True)

    def replace_rows(self, store: Store, name: str, data: pa.Table, key: list[str]) -> None:
        import ibis

        t = store.table(name)
        keep = t.anti_join(ibis.memtable(data.select(key)), key)
        kept = store.fetch(keep.select(*data.column_names)).cast(data.schema)
        store.con.truncate_table(name)
        store.append(name, kept)
        store.append(name, data)

    def keys_table(self, store: Store, data: pa.Table) -> ir.Table:
        import ibis

        return ibis.memtable(data)


_DUCKDB_BACKEND: Any = None


def _duckdb_backend_class() -> Any:
    """Ibis's DuckDB backend, remembering the SQL it compiled (``sqlcache.RemembersSQL``)."""
    global _DUCKDB_BACKEND
    if _DUCKDB_BACKEND is None:
        import ibis.backends.duckdb as ibis_duckdb

        from creatormix.store.sqlcache import RemembersSQL

        class RememberingBackend(RemembersSQL, ibis_duckdb.Backend):  # type: ignore[misc]
            pass

        _DUCKDB_BACKEND = RememberingBackend
    return _DUCKDB_BACKEND


def _is_duckdb(path: Path) -> bool:
    """Whether the file is a DuckDB database, or empty (a file made to hold a new workspace)."""
    if path.is_dir():
        return False
    with path.open("rb") as fh:
        head = fh.read(16)
    return len(head) == 0 or head[8:12] == b"DUCK"


def check_memory_limit(text: str, what: str) -> str:
    """``text`` when it is a memory size DuckDB reads ("4GB", "500MB"); else one clear error."""
    if not re.fullmatch(r"\s*\d+(\.\d+)?\s*[KMGT]i?B\s*", text, flags=re.IGNORECASE):
        raise InvalidOption(f"{what}={text!r} is not a memory size (write it like 4GB or 500MB)")
    return text.strip()


def _connect(path: Path, *, read_only: bool, lock_wait: float | None = None) -> Any:
    """Connect, waiting up to ``lock_wait`` seconds ($CREATORMIX_LOCK_WAIT, default 10) while
    another process holds the file."""
    wait = lock_wait_seconds(lock_wait)
    deadline = time.monotonic() + wait
    delay = 0.02
    marker: Path | None = None
    try:
        while True:
            try:
                return _connect_once(path, read_only=read_only)
            except Busy:
                if time.monotonic() + delay > deadline:
                    raise
                if marker is None and wait > 0:
                    marker = _announce_wait(path)
            time.sleep(delay)  # waiting for another process to release the file, not our own work
            delay = min(delay * 2, 0.25)
    finally:
        if marker is not None:
            marker.unlink(missing_ok=True)


WAITING = ".waiting."  # <workspace>.waiting.<pid>: a process waits for the file


def _announce_wait(path: Path) -> Path:
    """Say that this process waits for the file: `creatormix serve` lets go of it after the
    request it is answering and lets the waiter in first (docs/architecture.md, "The web app and
    the single writer")."""
    marker = path.with_name(f"{path.name}{WAITING}{os.getpid()}")
    try:
        marker.touch()
    except OSError:
        return marker  # a read-only folder: the wait still works, only slower under load
    return marker


def waiting_processes(path: Path) -> list[int]:
    """Live processes announcing that they wait for the workspace file (stale markers removed)."""
    pids = []
    for marker in path.parent.glob(f"{path.name}{WAITING}*"):
        try:
            pid = int(marker.name.rsplit(".", 1)[1])
            os.kill(pid, 0)
        except (ValueError, ProcessLookupError):
            marker.unlink(missing_ok=True)
            continue
        except PermissionError:
            pass  # alive, another user's
        if pid != os.getpid():
            pids.append(pid)
    return pids


def _connect_once(path: Path, *, read_only: bool) -> Any:
    """DuckDB's own connection, set up as Ibis sets up its own (UTC, no replacement scans), so
    the backend made over it later reads the same."""
    import duckdb

    memory_limit = check_memory_limit(
        os.environ.get(ENV_MEMORY_LIMIT) or DEFAULT_MEMORY_LIMIT, ENV_MEMORY_LIMIT
    )
    try:
        con = duckdb.connect(str(path), read_only=read_only, config={"memory_limit": memory_limit})
    except duckdb.IOException as exc:
        text = str(exc)
        if "lock" in text.lower():
            raise Busy(
                f"{path} is open in another creatormix process (a command, or `creatormix serve` "
                "answering a request); wait for it to finish"
            ) from None
        raise WorkspaceProblem(f"cannot open workspace {path}: {text.splitlines()[0]}") from None
    except duckdb.Error as exc:
        raise WorkspaceProblem(
            f"{path} is not a readable workspace: {str(exc).splitlines()[0]}"
        ) from None
    # DuckDB draws a progress bar on stdout during long queries; that would corrupt --json output.
    con.execute("SET enable_progress_bar = false")
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET python_enable_replacements = false")
    return con
