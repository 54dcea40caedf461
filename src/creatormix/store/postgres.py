"""The PostgreSQL side of the engine seam (``store/dialects.py``): a team's workspace on a server.

Connections go through libpq (psycopg 3), so a URL may leave its password to ``~/.pgpass`` or name
a service (``postgresql:///?service=brand``); Ibis runs on that connection. What PostgreSQL needs
of its own:

* **Writers queue, readers never wait.** A write transaction starts by taking the workspace's
  advisory transaction lock (``pg_advisory_xact_lock``), released when it commits or rolls back:
  ids drawn as ``max + 1``, a deal's move checked against its current stage, a fold's offset, all
  see the writer before them. ``$CREATORMIX_LOCK_WAIT`` seconds (default 10) is how long a writer
  waits for the lock before it says who holds it. Readers are MVCC snapshots and take no lock.
* **Bulk loads are COPY.** Arrow writes each batch as CSV (array columns as PostgreSQL array
  literals, bytes as ``\\x`` hex) and ``COPY … FROM STDIN`` reads it: no row passes through Python.
* **Derived tables are replaced MVCC-safely**: ``DELETE`` and ``INSERT … SELECT`` inside the
  writer's transaction, so a planner reading a snapshot taken before still sees every old row
  (``DROP``/``TRUNCATE`` would show it an empty table).
* **Snapshots** are ``REPEATABLE READ, READ ONLY`` transactions.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from collections.abc import Hashable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from creatormix.errors import WorkspaceProblem
from creatormix.store.dialects import Busy, Dialect, Store, lock_wait_seconds, quoted
from creatormix.store.sqlcache import RemembersSQL
from creatormix.store.targets import POSTGRES, Target

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pyarrow as pa

ENV_STATE_DIR = "CREATORMIX_STATE_DIR"
_COPY_ROWS = 65_536  # rows per CSV chunk handed to COPY


class PostgresDialect(Dialect):
    name = POSTGRES
    top_n_aggregate = False
    reads_arrow_streams = False
    concurrent_writers = True

    # --- connecting -----------------------------------------------------------------------------

    def connect(
        self, target: Target, *, create: bool, read_only: bool, lock_wait: float | None
    ) -> Any:
        import psycopg

        try:
            raw = _connect(target)
        except psycopg.OperationalError as exc:
            text = _first_line(exc, target)
            if create and _missing_database(text):
                _create_database(target)
                raw = _connect(target)
            elif _missing_database(text):
                raise WorkspaceProblem(
                    f"no workspace at {target}: {text}; create it with `creatormix init {target}` "
                    "(or ask the database administrator: docs/team-server.md)"
                ) from None
            else:
                raise WorkspaceProblem(f"cannot connect to {target}: {text}") from None
        _load_numeric_as_numbers(raw)
        con = _backend_class().from_connection(raw)
        if not create and "schema_migrations" not in con.list_tables():
            raw.close()
            raise WorkspaceProblem(
                f"no workspace at {target} (the database has no creatormix tables); create one "
                f"with `creatormix init {target}`"
            )
        return con

    def local_dir(self, target: Target) -> Path:
        """``$CREATORMIX_STATE_DIR`` (or the XDG state folder) / ``<host>-<port>-<database>``,
        from the URL's own words (a service entry is named by the service)."""
        from psycopg.conninfo import conninfo_to_dict

        base = os.environ.get(ENV_STATE_DIR)
        if not base:
            xdg = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
            base = str(Path(xdg) / "creatormix")
        params = conninfo_to_dict(target.location)
        if params.get("service"):
            words = ["service", str(params["service"]), str(params.get("dbname", ""))]
        else:
            words = [
                str(params.get("host") or "local"),
                str(params.get("port") or "5432"),
                str(params.get("dbname") or params.get("user") or ""),
            ]
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", "-".join(w for w in words if w))
        return Path(base) / name

    # --- transactions ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def write_transaction(self, store: Store, lock_wait: float | None) -> Iterator[None]:
        import psycopg

        raw = store.con.con
        wait_ms = max(1, int(lock_wait_seconds(lock_wait) * 1000))
        with raw.transaction():
            raw.execute("SELECT set_config('lock_timeout', %s, true)", (f"{wait_ms}ms",))
            try:
                with raw.transaction():  # a savepoint: the transaction stays usable after a timeout
                    raw.execute("SELECT pg_advisory_xact_lock(%s)", (_lock_key(store, "write"),))
            except psycopg.errors.LockNotAvailable:
                raise Busy(
                    f"{store.target} is being written by another creatormix process "
                    f"(waited {wait_ms / 1000:g} s for it; {_holder(store)}); try again when it "
                    "is done, or raise CREATORMIX_LOCK_WAIT"
                ) from None
            raw.execute("SELECT set_config('lock_timeout', '0', true)")
            yield

    @contextlib.contextmanager
    def snapshot(self, store: Store) -> Iterator[None]:
        raw = store.con.con
        with raw.transaction():
            raw.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield

    # --- bulk writes ----------------------------------------------------------------------------

    def append(self, store: Store, name: str, data: pa.Table) -> None:
        copy_in(store.con.con, name, data)

    def execute(self, store: Store, sql: str) -> None:
        store.con.con.execute(sql)

    def data_version(self, store: Store) -> Hashable:
        # the snapshot a statement would read now: its text changes with every commit since
        row = store.con.con.execute("SELECT pg_current_snapshot()::text").fetchone()
        return str(row[0]) if row else None

    def records(self, store: Store, sql: str) -> list[dict[str, Any]]:
        cursor = store.con.con.execute(sql)
        names = [d.name for d in cursor.description or ()]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def replace_table(self, store: Store, name: str, expr: ir.Table) -> None:
        if store.has_table(name) and _same_columns(store.table(name), expr):
            self.execute(store, f"DELETE FROM {quoted(name)}")
            store.con.insert(name, expr)
        else:
            store.con.create_table(name, expr, overwrite=True)
        store.forget_schema(name)

    def replace_rows(self, store: Store, name: str, data: pa.Table, key: list[str]) -> None:
        raw = store.con.con
        scratch = self._scratch(store, data)
        match = " AND ".join(f"t.{quoted(k)} = s.{quoted(k)}" for k in key)
        cols = ", ".join(quoted(c) for c in data.column_names)
        raw.execute(f"DELETE FROM {quoted(name)} AS t USING {quoted(scratch)} AS s WHERE {match}")
        raw.execute(f"INSERT INTO {quoted(name)} ({cols}) SELECT {cols} FROM {quoted(scratch)}")

    def keys_table(self, store: Store, data: pa.Table) -> ir.Table:
        return store.con.table(self._scratch(store, data))

    def _scratch(self, store: Store, data: pa.Table) -> str:
        """A temporary table of ``data`` (loaded with COPY), dropped when the store closes."""
        import ibis

        store.streams += 1
        name = f"_creatormix_scratch_{store.streams}"
        defs = ibis.Schema.from_pyarrow(data.schema).to_sqlglot_column_defs("postgres")
        columns = ", ".join(d.sql("postgres") for d in defs)
        store.con.con.execute(f"CREATE TEMPORARY TABLE {quoted(name)} ({columns})")
        store.scratch.append(name)
        copy_in(store.con.con, name, data)
        return name

    def release(self, store: Store) -> None:
        raw = store.con.con
        if raw.closed or raw.broken:
            return
        for name in store.scratch:
            with contextlib.suppress(Exception):
                raw.execute(f"DROP TABLE IF EXISTS {quoted(name)}")
        store.scratch.clear()

    # --- errors ---------------------------------------------------------------------------------

    def describe_error(self, exc: BaseException, target: Target) -> WorkspaceProblem | None:
        import psycopg

        if not isinstance(exc, psycopg.Error):
            return None
        text = _first_line(exc, target)
        if isinstance(exc, psycopg.errors.InsufficientPrivilege):
            return WorkspaceProblem(
                f"{target}: {text}; the role needs the grants in docs/team-server.md"
            )
        if isinstance(exc, psycopg.errors.ReadOnlySqlTransaction):
            return WorkspaceProblem(f"{target} is read-only here (a standby?): {text}")
        if isinstance(exc, psycopg.errors.LockNotAvailable):
            return Busy(f"{target} is busy: {text}")
        if isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError):
            return WorkspaceProblem(
                f"lost the connection to {target}: {text}; nothing of the interrupted write was "
                "kept, run the command again"
            )
        return None


# --- helpers --------------------------------------------------------------------------------------


def _connect(target: Target) -> Any:
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    given = conninfo_to_dict(target.location)
    extra: dict[str, Any] = {}
    if "connect_timeout" not in given:
        extra["connect_timeout"] = 10
    if "application_name" not in given:
        extra["application_name"] = "creatormix"
    return psycopg.connect(target.location, autocommit=True, **extra)


def _load_numeric_as_numbers(raw: Any) -> None:
    """Read ``numeric`` results as int or float, never ``Decimal``.

    No workspace column is ``numeric``, but PostgreSQL returns it for ``avg`` and ``sum`` of
    integers, where Ibis (and DuckDB) give float64 and int64; Arrow refuses a ``Decimal`` for
    either.
    """
    from psycopg.adapt import Loader

    class NumericLoader(Loader):
        def load(self, data: Any) -> int | float:
            text = bytes(data)
            if text.lstrip(b"-").isdigit():
                return int(text)
            return float(text)

    raw.adapters.register_loader("numeric", NumericLoader)


def _first_line(exc: BaseException, target: Target) -> str:
    lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip()]
    # libpq puts "connection to server at … failed:" before the reason: keep the reason
    text = lines[-1] if lines else type(exc).__name__
    text = re.sub(r"^(FATAL|ERROR):\s+", "", text)
    return target.scrub(text)


def _missing_database(text: str) -> bool:
    return bool(re.search(r'database ".*" does not exist', text))


def _create_database(target: Target) -> None:
    """``CREATE DATABASE`` for ``init`` when the role may; one clear line when it may not."""
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    params = conninfo_to_dict(target.location)
    name = params.get("dbname") or params.get("user") or os.environ.get("PGDATABASE", "")
    maintenance = make_conninfo(target.location, dbname="postgres")
    try:
        with psycopg.connect(maintenance, autocommit=True, connect_timeout=10) as con:
            con.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(str(name))))
    except (psycopg.errors.DuplicateDatabase, psycopg.errors.UniqueViolation):
        # another init made it a moment ago (UniqueViolation: both passed the existence check
        # and the other's row reached the catalog's index first)
        return
    except psycopg.Error as exc:
        text = _first_line(exc, target)
        raise WorkspaceProblem(
            f"database {name!r} does not exist on the server of {target} and cannot be created "
            f"here ({text}); ask the administrator to run `createdb --owner=<role> {name}` "
            "(docs/team-server.md)"
        ) from None


def _lock_key(store: Store, purpose: str) -> int:
    """A signed 64-bit advisory lock key for this workspace (its schema) and purpose."""
    digest = hashlib.blake2b(f"creatormix:{purpose}:{store.namespace}".encode(), digest_size=8)
    return int.from_bytes(digest.digest(), "big", signed=True)


def _holder(store: Store) -> str:
    """Who holds the write lock: the holder's application, user and what it runs."""
    try:
        row = store.con.con.execute(
            "SELECT a.application_name, a.usename, a.client_addr, a.state, "
            "now() - a.xact_start FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted AND l.database = "
            "(SELECT oid FROM pg_database WHERE datname = current_database()) "
            "AND l.classid::bigint = ((%(k)s::bigint >> 32) & 4294967295) "
            "AND l.objid::bigint = (%(k)s::bigint & 4294967295) LIMIT 1",
            {"k": _lock_key(store, "write")},
        ).fetchone()
    except Exception:  # the transaction is aborted: say nothing more rather than fail again
        return "holder unknown"
    if row is None:
        return "it has just finished"
    app, user, addr, _state, running = row
    return f"held by {app or 'a client'} of {user} from {addr or 'this machine'} for {running}"


def _same_columns(table: ir.Table, expr: ir.Table) -> bool:
    ours = {n: t.copy(nullable=True) for n, t in table.schema().items()}
    theirs = {n: t.copy(nullable=True) for n, t in expr.schema().items()}
    return ours == theirs


# --- COPY -----------------------------------------------------------------------------------------


def copy_in(raw: Any, name: str, data: pa.Table) -> None:
    """``COPY name (columns) FROM STDIN`` with ``data`` written as CSV by Arrow."""
    if not data.num_rows:
        return
    cols = ", ".join(quoted(c) for c in data.column_names)
    statement = f"COPY {quoted(name)} ({cols}) FROM STDIN (FORMAT csv)"
    text = _csv_ready(data)
    with raw.cursor() as cur, cur.copy(statement) as copy:
        for start in range(0, text.num_rows, _COPY_ROWS):
            copy.write(_csv(text.slice(start, _COPY_ROWS)))


def _csv(table: pa.Table) -> bytes:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    sink = pa.BufferOutputStream()
    # Strings are always quoted and nulls never are: PostgreSQL's CSV reads "" as an empty
    # string and an empty field as NULL, the same distinction.
    pacsv.write_csv(table, sink, pacsv.WriteOptions(include_header=False))
    return bytes(sink.getvalue())


def _csv_ready(data: pa.Table) -> pa.Table:
    """Columns CSV cannot carry as they are, as PostgreSQL's text input: arrays as ``{"a","b"}``,
    bytes as ``\\x…`` hex."""
    import pyarrow as pa

    out = data
    for i, f in enumerate(data.schema):
        if pa.types.is_list(f.type) or pa.types.is_large_list(f.type):
            out = out.set_column(i, f.name, _array_literals(data.column(i)))
        elif pa.types.is_binary(f.type) or pa.types.is_large_binary(f.type):
            values = [None if v is None else "\\x" + v.hex() for v in data.column(i).to_pylist()]
            out = out.set_column(i, f.name, pa.array(values, pa.string()))
    return out


def _array_literals(column: pa.ChunkedArray) -> pa.Array:
    """A list-of-strings column as PostgreSQL array literals, element by element quoted."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = column.combine_chunks()
    values = arr.values.cast(pa.string())
    escaped = pc.replace_substring(pc.replace_substring(values, "\\", "\\\\"), '"', '\\"')
    elements = pc.fill_null(pc.binary_join_element_wise('"', escaped, '"', ""), "NULL")
    lists = pa.ListArray.from_arrays(arr.offsets, elements, mask=arr.is_null())
    joined = pc.binary_join(lists, ",")
    return pc.binary_join_element_wise("{", joined, "}", "")


# --- reading: COPY … TO STDOUT, parsed by Arrow ------------------------------------------------------


_BACKEND: type | None = None


def _backend_class() -> Any:
    """Ibis's PostgreSQL backend, reading results with COPY instead of row by row.

    It also remembers the SQL it compiled (``sqlcache.RemembersSQL``).

    Ibis fetches rows as Python tuples and builds Arrow arrays from them: about 2.3x slower than
    ``COPY (query) TO STDOUT`` in CSV parsed by Arrow's reader (200,000 rows of five columns,
    measured on this project's 2-core machine). Types the CSV cannot carry plainly come out
    converted (arrays as JSON, bytes as hex) and are turned back here; a result with any other
    type takes Ibis's own path.
    """
    global _BACKEND
    if _BACKEND is None:
        import ibis.backends.postgres as ibis_postgres

        class CopyReadingBackend(RemembersSQL, ibis_postgres.Backend):  # type: ignore[misc]
            def to_pyarrow_batches(
                self,
                expr: Any,
                /,
                *,
                params: Any = None,
                limit: int | str | None = None,
                chunk_size: int = 1_000_000,
                **kwargs: Any,
            ) -> Any:
                import pyarrow as pa

                table_expr = expr.as_table()
                schema = table_expr.schema()
                if not all(_copyable(t) for t in schema.types):
                    return super().to_pyarrow_batches(
                        expr, params=params, limit=limit, chunk_size=chunk_size, **kwargs
                    )
                self._run_pre_execute_hooks(expr)
                sql = self.compile(table_expr, params=params, limit=limit)
                table = copy_out(self.con, sql, schema)
                return pa.RecordBatchReader.from_batches(
                    table.schema, table.to_batches(max_chunksize=chunk_size)
                )

        _BACKEND = CopyReadingBackend
    return _BACKEND


def _copyable(t: Any) -> bool:
    if t.is_array():
        return _copyable(t.value_type) and not t.value_type.is_array()
    if t.is_timestamp():
        return t.timezone is None
    return bool(
        t.is_integer()
        or t.is_floating()
        or t.is_string()
        or t.is_boolean()
        or t.is_date()
        or t.is_binary()
    )


def copy_out(raw: Any, sql: str, schema: Any) -> pa.Table:
    """The rows of ``sql`` (columns and Ibis ``schema`` as compiled) as an Arrow table."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    arrow = schema.to_pyarrow()
    names = [f"c{i}" for i in range(len(schema))]
    cells = []
    for (name, t), alias in zip(schema.items(), names, strict=True):
        col = f"q.{quoted(name)}"
        if t.is_array():
            col = f"json_build_object('v', {col})::text"
        elif t.is_binary():
            col = f"encode({col}, 'hex')"
        cells.append(f"{col} AS {alias}")
    statement = f"COPY (SELECT {', '.join(cells)} FROM ({sql}) AS q) TO STDOUT (FORMAT csv)"
    sink = bytearray()
    with raw.transaction(), raw.cursor() as cur, cur.copy(statement) as copy:
        for chunk in copy:
            sink += chunk
    if not sink:
        return arrow.empty_table()
    types = {
        alias: (pa.string() if t.is_array() or t.is_binary() else f.type)
        for (alias, t, f) in zip(names, schema.types, arrow, strict=True)
    }
    parsed = pacsv.read_csv(
        pa.py_buffer(bytes(sink)),
        read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 26),
        # one column of NULLs is a blank line per row: a row, not a line to skip
        parse_options=pacsv.ParseOptions(ignore_empty_lines=False),
        convert_options=pacsv.ConvertOptions(
            column_types=types,
            null_values=[""],
            true_values=["t"],
            false_values=["f"],
            strings_can_be_null=True,
            quoted_strings_can_be_null=False,
        ),
    )
    columns = []
    for alias, t, f in zip(names, schema.types, arrow, strict=True):
        column = parsed[alias]
        if t.is_array():
            column = _from_json_arrays(column, f.type)
        elif t.is_binary():
            column = pa.array(
                [None if v is None else bytes.fromhex(v) for v in column.to_pylist()], f.type
            )
        columns.append(column)
    return pa.Table.from_arrays(columns, schema=arrow)


def _from_json_arrays(column: pa.ChunkedArray, arrow_type: pa.DataType) -> pa.ChunkedArray:
    """``{"v" : [...]}`` texts (one per row, never null) to an Arrow list column."""
    import pyarrow as pa
    import pyarrow.json as pajson

    lines = "\n".join(column.to_pylist()).encode()
    table = pajson.read_json(
        pa.py_buffer(lines),
        read_options=pajson.ReadOptions(block_size=max(1 << 20, len(lines) + 1)),
        parse_options=pajson.ParseOptions(explicit_schema=pa.schema([("v", arrow_type)])),
    )
    return table.column("v")
