"""The workspace database: connection, transactions, schema version, settings and the import log.

The only code that talks to a database lives in ``store/``. Everything goes through an Ibis
backend (DuckDB by default) so the same expressions run on PostgreSQL or Spark later; the few
statements Ibis has no verb for (BEGIN/COMMIT) are standard SQL that every engine accepts.
"""

from __future__ import annotations

import getpass
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from creatormix.domain.imports import ImportKind, ImportRecord
from creatormix.errors import InvalidOption, NotFound, SchemaVersionError, WorkspaceProblem
from creatormix.store.clock import utcnow

__all__ = ["Store", "current_user", "utcnow"]

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pyarrow as pa
    from ibis.backends.duckdb import Backend


# DuckDB's row-group size: the unit its parallel insert works in.
_INSERT_CHUNK_ROWS = 122_880


class Store:
    """An open workspace file. Use as a context manager; writes go inside ``transaction()``."""

    def __init__(self, path: Path, con: Backend) -> None:
        self.path = path
        self.con = con
        self._depth = 0
        self._streams = 0

    # --- lifecycle -------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        create: bool = False,
        read_only: bool = False,
        lock_wait: float | None = None,
    ) -> Store:
        """Open (and with ``create``, make) a workspace file and bring its schema up to date.

        While another process holds the file, retry for ``lock_wait`` seconds (default
        ``$CREATORMIX_LOCK_WAIT`` or 10): the redirect server folds clicks in briefly.
        """
        from creatormix.store.migrations import CURRENT_VERSION, migrate, pending

        path = Path(path)
        if not create and not path.exists():
            raise WorkspaceProblem(
                f"no workspace at {path}; create one with `creatormix init {path}` or point --db/CREATORMIX_DB at one"
            )
        if create and path.exists() and not _is_duckdb(path):
            raise WorkspaceProblem(f"{path} exists and is not a creatormix workspace")
        path.parent.mkdir(parents=True, exist_ok=True)
        con = _connect(path, read_only=read_only and path.exists(), lock_wait=lock_wait)
        store = cls(path, con)
        version = store.schema_version()
        if version > CURRENT_VERSION:
            con.disconnect()
            raise SchemaVersionError(
                f"{path} was written by a newer creatormix (schema {version}, this one knows {CURRENT_VERSION}); upgrade creatormix"
            )
        if version < CURRENT_VERSION or pending(store):
            if read_only:
                con.disconnect()
                return cls.open(path, create=create, read_only=False, lock_wait=lock_wait)
            migrate(store)
        return store

    def close(self) -> None:
        self.con.disconnect()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All-or-nothing: everything written inside commits together or not at all (nestable)."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self.con.raw_sql("BEGIN TRANSACTION")
        self._depth = 1
        try:
            yield
        except BaseException:
            self._depth = 0
            self.con.raw_sql("ROLLBACK")
            raise
        self._depth = 0
        self.con.raw_sql("COMMIT")

    # --- engine capabilities ---------------------------------------------------------------

    @property
    def reads_arrow_streams(self) -> bool:
        """Whether appends can hand the engine an Arrow stream directly (DuckDB can)."""
        return bool(self.con.name == "duckdb")

    @property
    def top_n_aggregate(self) -> bool:
        """Whether the engine has a top-N aggregate (DuckDB's ``arg_max(value, key, n)``).

        The one place an engine's extra abilities are decided; the metrics take the flag and keep
        a portable form for engines without it.
        """
        return bool(self.con.name == "duckdb")

    # --- schema ----------------------------------------------------------------------------

    def has_table(self, name: str) -> bool:
        return name in self.con.list_tables()

    def schema_version(self) -> int:
        if not self.has_table("schema_migrations"):
            return 0
        t = self.con.table("schema_migrations")
        value = t.version.max().to_pyarrow().as_py()
        return int(value or 0)

    def table(self, name: str) -> ir.Table:
        return self.con.table(name)

    def append(self, name: str, data: pa.Table) -> None:
        """Append rows (columns matched by name) to a fact table."""
        if not data.num_rows:
            return
        if self.reads_arrow_streams:
            self._append_stream(name, data)
        else:
            self.con.insert(name, data)

    def _append_stream(self, name: str, data: pa.Table) -> None:
        """Hand the rows to the engine as an Arrow stream, then forget the stream.

        Ibis's in-memory tables stay registered with DuckDB for the life of the connection, and
        DuckDB keeps a registered table alive until the transaction ends: a 10-million-post import
        would hold every batch (2.5 GB) until it commits. A stream is read and let go.
        """
        import pyarrow as pa

        self._streams += 1
        source = f"_creatormix_append_{self._streams}"
        raw = self.con.con
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
            columns = ", ".join(_quoted(c) for c in data.column_names)
            raw.execute(
                f"INSERT INTO {_quoted(name)} ({columns}) SELECT {columns} FROM {_quoted(source)}"
            )
        finally:
            raw.unregister(source)

    def fetch(self, expr: ir.Expr) -> pa.Table:
        return expr.to_pyarrow()

    def replace_table(self, name: str, expr: ir.Table | pa.Table) -> None:
        """Materialise a derived table (never a fact table)."""
        self.con.create_table(name, expr, overwrite=True)

    # --- settings: append-only, the latest value wins ----------------------------------------

    def get_setting(self, key: str, default: Any = None) -> Any:
        t = self.table("settings")
        rows = (
            t.filter(t.key == key)
            .order_by(t.set_at.desc(), t.seq.desc())
            .limit(1)
            .to_pyarrow()
            .to_pylist()
        )
        return json.loads(rows[0]["value"]) if rows else default

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
        t = self.table("imports")
        return [_import_record(r) for r in t.order_by(t.import_id).to_pyarrow().to_pylist()]

    def get_import(self, import_id: int) -> ImportRecord:
        t = self.table("imports")
        rows = t.filter(t.import_id == import_id).to_pyarrow().to_pylist()
        if not rows:
            raise NotFound(f"no import #{import_id}")
        return _import_record(rows[0])


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def current_user() -> str:
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


def _is_duckdb(path: Path) -> bool:
    with path.open("rb") as fh:
        head = fh.read(16)
    return len(head) == 0 or head[8:12] == b"DUCK"


# DuckDB's own default is 80 % of the machine's memory, and it uses what it may: a 10-million-post
# import then peaks near 5 GB. With a cap it spills to a temporary folder beside the workspace
# instead (measured: no slower for the benchmark catalog, peak 3 GB). CREATORMIX_MEMORY_LIMIT
# overrides it ("4GB", "500MB").
DEFAULT_MEMORY_LIMIT = "2GB"
ENV_MEMORY_LIMIT = "CREATORMIX_MEMORY_LIMIT"


class _Busy(WorkspaceProblem):
    """Another process holds the workspace file."""


def _connect(path: Path, *, read_only: bool, lock_wait: float | None = None) -> Backend:
    """Connect, waiting up to ``lock_wait`` seconds ($CREATORMIX_LOCK_WAIT, default 10) while
    another process holds the file."""
    import os
    import time

    if lock_wait is None:
        lock_wait = float(os.environ.get("CREATORMIX_LOCK_WAIT", "10"))
    deadline = time.monotonic() + lock_wait
    delay = 0.02
    while True:
        try:
            return _connect_once(path, read_only=read_only)
        except _Busy:
            if time.monotonic() + delay > deadline:
                raise
        time.sleep(delay)  # waiting for another process to release the file, not for our own work
        delay = min(delay * 2, 0.25)


def _connect_once(path: Path, *, read_only: bool) -> Backend:
    import os

    import duckdb
    import ibis

    memory_limit = os.environ.get(ENV_MEMORY_LIMIT) or DEFAULT_MEMORY_LIMIT
    if not re.fullmatch(r"\s*\d+(\.\d+)?\s*[KMGT]i?B\s*", memory_limit, flags=re.IGNORECASE):
        raise InvalidOption(
            f"{ENV_MEMORY_LIMIT}={memory_limit!r} is not a memory size (write it like 4GB or 500MB)"
        )
    try:
        con = ibis.duckdb.connect(str(path), read_only=read_only, memory_limit=memory_limit)
    except duckdb.IOException as exc:
        text = str(exc)
        if "lock" in text.lower():
            raise _Busy(
                f"{path} is open in another creatormix process; wait for it to finish"
            ) from None
        raise WorkspaceProblem(f"cannot open workspace {path}: {text.splitlines()[0]}") from None
    except duckdb.Error as exc:
        raise WorkspaceProblem(
            f"{path} is not a readable workspace: {str(exc).splitlines()[0]}"
        ) from None
    # DuckDB draws a progress bar on stdout during long queries; that would corrupt --json output.
    con.raw_sql("SET enable_progress_bar = false")
    return con
