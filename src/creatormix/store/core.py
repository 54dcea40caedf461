"""The workspace database: connection, transactions, schema version, settings and the import log.

The only code that talks to a database lives in ``store/``. Everything goes through an Ibis
backend, DuckDB (a file) or PostgreSQL (a server), so the same expressions run on both; what an
engine does its own way (transactions and locks, bulk loads, replacing a derived table) is behind
the dialect seam of ``store/dialects.py``.
"""

from __future__ import annotations

import getpass
import json
import os
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Any

from creatormix.domain.imports import ImportKind, ImportRecord
from creatormix.errors import InvalidOption, NotFound, SchemaVersionError, WorkspaceProblem
from creatormix.store.clock import utcnow
from creatormix.store.dialects import (
    DEFAULT_MEMORY_LIMIT,
    ENV_MEMORY_LIMIT,
    Dialect,
    DuckDBDialect,
    check_memory_limit,
    waiting_processes,
)
from creatormix.store.targets import DUCKDB, POSTGRES, Target

__all__ = [
    "DEFAULT_MEMORY_LIMIT",
    "ENV_MEMORY_LIMIT",
    "Store",
    "acting_as",
    "check_memory_limit",
    "current_user",
    "describe_error",
    "dialect_for",
    "utcnow",
    "waiting_processes",
]

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pyarrow as pa


def dialect_for(target: Target) -> Dialect:
    if target.engine == DUCKDB:
        return DuckDBDialect()
    if target.engine == POSTGRES:
        from creatormix.store.postgres import PostgresDialect

        return PostgresDialect()
    raise InvalidOption(f"unknown engine {target.engine!r}")


def describe_error(exc: BaseException, target: Target) -> WorkspaceProblem | None:
    """A database error of ``target``'s engine as one line of ours (None for anything else).

    Looks only at drivers already imported: an error cannot come from one that never loaded.
    """
    import sys

    if target.engine == POSTGRES and "psycopg" not in sys.modules:
        return None
    return dialect_for(target).describe_error(exc, target)


class Store:
    """An open workspace. Use as a context manager; writes go inside ``transaction()``, reads that
    must agree with each other inside ``snapshot()``."""

    def __init__(
        self, target: Target | str | os.PathLike[str], con: Any, dialect: Dialect | None = None
    ) -> None:
        self.target = Target.parse(target)
        self.dialect = dialect or dialect_for(self.target)
        self.raw = con  # what the dialect connected: the driver's connection, or an Ibis backend
        self._con: Any = None
        self._depth = 0
        self._snapshot = False
        self._schemas: dict[str, ir.Table] = {}
        self._memo: dict[Hashable, Any] = {}  # reads remembered until the next write
        self._memo_version: Hashable = None  # the data version they were read at (servers)
        self.streams = 0  # names handed out for scratch tables and streams
        self.scratch: list[str] = []  # the dialect's temporary tables, dropped on close
        self.namespace = self._namespace()
        self.found_version = 0  # the schema version the workspace had when it was opened

    @property
    def con(self) -> Any:
        """The Ibis backend, made on first use.

        A command that touches no large data (``init``, ``campaign list``) reads through
        ``records`` on the driver's connection and never pays for importing Ibis, pyarrow and
        pandas (most of its start-up time, issue 12).
        """
        if self._con is None:
            self._con = self.dialect.backend(self.raw)
        return self._con

    def records(self, sql: str) -> list[dict[str, Any]]:
        """The rows of one small query as dicts (Python values, as ``to_pylist`` gives them).

        For reads of a few rows written in portable SQL (plain identifiers, literals from
        ``dialects.literal``); anything over the catalog's facts is an Ibis expression.
        """
        return self.dialect.records(self, sql)

    def execute(self, sql: str) -> None:
        """Run one statement that returns nothing, inside the caller's transaction (portable
        SQL only: DDL and small inserts of the migrations)."""
        self.dialect.execute(self, sql)
        self._memo.clear()

    def tables(self) -> list[str]:
        """The tables of the workspace (remembered until the next write)."""
        return list(self.memo(("tables",), lambda: self.dialect.list_tables(self)))

    # --- lifecycle -------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        target: Target | str | os.PathLike[str],
        *,
        create: bool = False,
        read_only: bool = False,
        lock_wait: float | None = None,
        migrate_to: int | None = None,
    ) -> Store:
        """Open (and with ``create``, make) a workspace and bring its schema up to date.

        DuckDB: while another process holds the file, retry for ``lock_wait`` seconds (default
        ``$CREATORMIX_LOCK_WAIT`` or 10): the redirect server folds clicks in briefly.
        PostgreSQL: ``create`` makes the database when the role may. ``migrate_to`` stops the
        schema at that version (for tests of upgrades).
        """
        from creatormix.store.migrations import CURRENT_VERSION, migrate, pending

        target = Target.parse(target)
        dialect = dialect_for(target)
        con = dialect.connect(target, create=create, read_only=read_only, lock_wait=lock_wait)
        store = cls(target, con, dialect)
        version = store.found_version = store.schema_version()
        if version == 0 and target.is_file and (foreign := store.tables()):
            store.close()
            raise WorkspaceProblem(
                f"{target} is a DuckDB database but not a creatormix workspace (it has tables "
                f"{', '.join(foreign[:5])} and no schema history); nothing was changed"
            )
        if version > CURRENT_VERSION:
            store.close()
            raise SchemaVersionError(
                f"{target} was written by a newer creatormix (schema {version}, this one knows {CURRENT_VERSION}); upgrade creatormix"
            )
        goal = CURRENT_VERSION if migrate_to is None else migrate_to
        if version < goal or pending(store, goal):
            if read_only and not dialect.concurrent_writers:
                store.close()
                return cls.open(target, create=create, read_only=False, lock_wait=lock_wait)
            migrate(store, target=goal)
        return store

    @property
    def path(self) -> Path:
        """The DuckDB file (a workspace on a server has none: see ``target``)."""
        return self.target.path

    @property
    def local_dir(self) -> Path:
        """This workspace's folder on this machine: beside the file, or a state folder per
        database (the click journal, reject files)."""
        return self.dialect.local_dir(self.target)

    @property
    def files_dir(self) -> Path:
        """Where files the user will look for go by default (reject CSVs): beside the workspace
        file, or the current folder for a workspace on a server."""
        return self.target.path.parent if self.target.is_file else Path.cwd()

    def close(self) -> None:
        try:
            self.dialect.release(self)
        finally:
            if self._con is not None:
                self._con.disconnect()
            else:
                self.dialect.disconnect(self.raw)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self, *, lock_wait: float | None = None) -> Iterator[None]:
        """All-or-nothing: everything written inside commits together or not at all (nestable).

        On an engine with concurrent writers the outermost transaction first waits for the
        workspace's write lock, so what it reads before writing is what the writer before it
        committed.
        """
        if self._snapshot:
            raise RuntimeError("a write inside a read snapshot: open the snapshot after writing")
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._memo.clear()
        self._depth = 1
        try:
            with self.dialect.write_transaction(self, lock_wait):
                yield
        finally:
            self._depth = 0
            self._memo.clear()

    # --- reads remembered until the next write ---------------------------------------------

    def forget(self) -> None:
        """Drop every remembered read (after a write that bypassed ``append``/``transaction``)."""
        self._memo.clear()

    def memo(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """``compute()``, remembered under ``key`` until the next transaction or append.

        A long-lived holder of the workspace (``creatormix serve``) reads the table list, settings,
        sessions and the tier summary on every request; each is a round trip, the tier summary a
        scan of every creator. Inside a transaction nothing is remembered (the transaction may be
        changing what is read).

        On a server other connections write at any time: what is remembered is valid while the
        engine's data version (``Dialect.data_version``: on PostgreSQL the current snapshot,
        ``xmin:xmax:in-progress``) is the one it was read at. Two equal snapshots see the same
        committed transactions, so the same data; any commit since, in any database of the
        server, changes it and everything is read again.
        """
        if self._depth:
            return compute()
        if self.dialect.concurrent_writers:
            seen = self.dialect.data_version(self)
            if seen != self._memo_version:  # another connection committed since: forget all
                self._memo.clear()
                self._memo_version = seen
        try:
            return self._memo[key]
        except KeyError:
            value = self._memo[key] = compute()
            return value

    def remember(
        self,
        key: Hashable,
        compute: Callable[[], Any],
        *,
        stamp: str | None,
        weigh: Callable[[Any], int] = lambda _: 1024,
    ) -> Any:
        """``compute()``, remembered by the process while ``stamp`` is unchanged, across commits
        and connections (``store/stamped.py``); ``stamp`` is the derived data's own stamp, read
        before computing (``store.catalog.metrics_stamp``).

        Without a stamp (a workspace whose metrics predate stamps) this is ``memo``; inside a
        transaction nothing is remembered.
        """
        from creatormix.store import stamped

        if self._depth:
            return compute()
        if stamp is None:
            return self.memo(key, compute)
        return stamped.remembered((self.target, stamp, key), compute, weigh)

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Every read inside sees one committed state of the workspace (the planner's inputs).

        Inside a write transaction the transaction already is that state.
        """
        if self._depth or self._snapshot:
            yield
            return
        self._snapshot = True
        try:
            with self.dialect.snapshot(self):
                yield
        finally:
            self._snapshot = False

    # --- engine capabilities ---------------------------------------------------------------

    @property
    def engine(self) -> str:
        return self.dialect.name

    @property
    def reads_arrow_streams(self) -> bool:
        """Whether appends can hand the engine an Arrow stream directly (DuckDB can)."""
        return self.dialect.reads_arrow_streams

    @property
    def top_n_aggregate(self) -> bool:
        """Whether the engine has a top-N aggregate (DuckDB's ``arg_max(value, key, n)``).

        The one place an engine's extra abilities are decided; the metrics take the flag and keep
        a portable form for engines without it.
        """
        return self.dialect.top_n_aggregate

    @property
    def concurrent_writers(self) -> bool:
        """Whether other processes may write while this one holds the workspace open."""
        return self.dialect.concurrent_writers

    # --- schema ----------------------------------------------------------------------------

    def _namespace(self) -> str:
        """The database and schema the workspace lives in (the file, for DuckDB)."""
        if self.target.is_file:
            return str(self.target.path.resolve())
        return f"{self.con.current_catalog}.{self.con.current_database}"

    def has_table(self, name: str) -> bool:
        return name in self.tables()

    def schema_version(self) -> int:
        if not self.has_table("schema_migrations"):
            return 0
        rows = self.records("SELECT max(version) AS version FROM schema_migrations")
        return int(rows[0]["version"] or 0)

    def table(self, name: str) -> ir.Table:
        """The table ``name``; its schema is looked up once per open store (tables of a
        workspace only change shape in migrations and when a derived table is replaced)."""
        cached = self._schemas.get(name)
        if cached is None:
            cached = self._schemas[name] = self.con.table(name)
        return cached

    def forget_schema(self, name: str) -> None:
        self._schemas.pop(name, None)
        self._memo.clear()

    def create_table(self, name: str, columns: dict[str, str]) -> None:
        """Create an empty table of these Ibis column types (migrations)."""
        self.dialect.create_table(self, name, columns)
        self.forget_schema(name)

    def append(self, name: str, data: pa.Table) -> None:
        """Append rows (columns matched by name) to a fact table."""
        if not data.num_rows:
            return
        self._memo.clear()
        self.dialect.append(self, name, data)

    def fetch(self, expr: ir.Expr) -> pa.Table:
        return expr.to_pyarrow()

    def replace_table(self, name: str, expr: ir.Table | pa.Table) -> None:
        """Materialise a derived table (never a fact table)."""
        import ibis

        table = expr if not _is_arrow(expr) else ibis.memtable(expr)
        self.dialect.replace_table(self, name, table)
        self.forget_schema(name)

    def replace_rows(self, name: str, data: pa.Table, key: list[str]) -> None:
        """Replace the rows of a derived table whose ``key`` matches a row of ``data``."""
        self.dialect.replace_rows(self, name, data, key)

    def keys_table(self, data: pa.Table) -> ir.Table:
        """A small Arrow table (keys to join against) as a table of this engine."""
        return self.dialect.keys_table(self, data)

    def clear(self, *, keep: frozenset[str] = frozenset({"schema_migrations"})) -> None:
        """Delete every row of the workspace's fact tables (the demo's rebuild of a workspace on
        a server, inside the caller's transaction; derived tables are the caller's)."""
        from creatormix.store.dialects import quoted
        from creatormix.store.migrations import workspace_tables

        present = set(self.tables())
        for name in workspace_tables():
            if name in present and name not in keep:
                self.dialect.execute(self, f"DELETE FROM {quoted(name)}")

    def drop_table(self, name: str) -> None:
        self.con.drop_table(name)
        self.forget_schema(name)

    # --- settings: append-only, the latest value wins ----------------------------------------

    def get_setting(self, key: str, default: Any = None) -> Any:
        raw = self.memo(("setting", key), lambda: self._setting_text(key))
        return json.loads(raw) if raw is not None else default

    def _setting_text(self, key: str) -> str | None:
        from creatormix.store.dialects import literal

        rows = self.records(
            f"SELECT value FROM settings WHERE key = {literal(key)} "
            "ORDER BY set_at DESC, seq DESC LIMIT 1"
        )
        return str(rows[0]["value"]) if rows else None

    def set_setting(self, key: str, value: Any) -> None:
        import pyarrow as pa

        t = self.table("settings")
        seq = int(t.seq.max().to_pyarrow().as_py() or 0) + 1
        self.append(
            "settings",
            pa.table(
                {"seq": [seq], "key": [key], "value": [json.dumps(value)], "set_at": [utcnow()]}
            ),
        )

    # --- import log ------------------------------------------------------------------------

    def next_id(self, table: str, column: str) -> int:
        t = self.table(table)
        return int(t[column].max().to_pyarrow().as_py() or 0) + 1

    def find_import(
        self, kind: ImportKind, file_hash: str, fingerprint: str
    ) -> ImportRecord | None:
        t = self.table("imports")
        rows = (
            t.filter(
                (t.kind == kind.value) & (t.file_hash == file_hash) & (t.options == fingerprint)
            )
            .order_by(t.import_id)
            .limit(1)
            .to_pyarrow()
            .to_pylist()
        )
        return _import_record(rows[0]) if rows else None

    def log_import(
        self, record: ImportRecord, *, fingerprint: str, file_path: str, rows_merged: int
    ) -> None:
        import pyarrow as pa

        row = {
            "import_id": record.import_id,
            "kind": record.kind.value,
            "file_name": record.file_name,
            "file_path": file_path,
            "file_hash": record.file_hash,
            "options": fingerprint,
            "rows_read": record.rows_read,
            "rows_accepted": record.rows_accepted,
            "rows_rejected": record.rows_rejected,
            "rows_merged": rows_merged,
            "imported_at": record.imported_at,
            "imported_by": record.imported_by,
        }
        self.append("imports", pa.Table.from_pylist([row]))

    def imports(self) -> list[ImportRecord]:
        return [_import_record(r) for r in self.records("SELECT * FROM imports ORDER BY import_id")]

    def get_import(self, import_id: int) -> ImportRecord:
        rows = self.records(f"SELECT * FROM imports WHERE import_id = {int(import_id)}")
        if not rows:
            raise NotFound(f"no import #{import_id}")
        return _import_record(rows[0])


_ACTOR: ContextVar[str | None] = ContextVar("creatormix_actor", default=None)


@contextmanager
def acting_as(user: str) -> Iterator[None]:
    """Record ``user`` (a web account's email) as who makes the changes inside the block."""
    token = _ACTOR.set(user)
    try:
        yield
    finally:
        _ACTOR.reset(token)


def current_user() -> str:
    """Who a change is recorded under: the web account acting (``acting_as``), else the OS user."""
    actor = _ACTOR.get()
    if actor:
        return actor
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _import_record(row: dict[str, Any]) -> ImportRecord:
    return ImportRecord(
        import_id=int(row["import_id"]),
        kind=ImportKind(row["kind"]),
        file_name=row["file_name"],
        file_hash=row["file_hash"],
        rows_read=int(row["rows_read"]),
        rows_accepted=int(row["rows_accepted"]),
        rows_rejected=int(row["rows_rejected"]),
        imported_at=row["imported_at"],
        imported_by=row["imported_by"],
    )


def _is_arrow(value: object) -> bool:
    return type(value).__module__.startswith("pyarrow")
