"""The engine seam: where the catalog pipeline runs, DuckDB in this process or Apache Spark.

The pipeline (``workspace/profiles.py``) is one sequence of Ibis expressions plus two kinds of
Python map that run the pure cores unchanged: per batch (the importer's parsing) and per group
(each file's reading conventions, each creator's follower audit). What differs between engines
is behind this interface, one implementation per engine, both tested by
``tests/store/test_engines.py``:

=================  ==================================  ==========================================
seam               DuckDBEngine (here)                 SparkEngine (``store/spark.py``)
=================  ==================================  ==========================================
connect            in process, memory cap, spill dir   a SparkSession (``local[*]`` or --master)
list / read        local files, ``read_parquet``       any Hadoop filesystem, ``_metadata``
map_batches        Arrow batches in this process       ``mapInArrow`` on the executors
map_groups         sorted stream, split by key         ``groupBy().applyInArrow``
write Parquet      ``COPY … PARTITION_BY``             ``partitionBy`` after a range shuffle
top-N per group    ``arg_max(value, key, n)``          the portable window form (``metrics``)
median             ``quantile_cont``                   ``percentile`` (exact, interpolated)
files              ``os``                              Hadoop ``FileSystem`` (s3a://, hdfs://…)
=================  ==================================  ==========================================

Every map writes its output as Parquet under the caller's work folder and reads it back, so a
long job never holds a step's whole output in memory and later steps read it once.
"""

from __future__ import annotations

import itertools
import shutil
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from creatormix.domain.profiles import EngineSettings, InputFile
from creatormix.domain.query import Progress
from creatormix.errors import FileFormatProblem, InvalidOption

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pyarrow as pa

BatchFn = Callable[["pa.RecordBatch"], "pa.Table"]
"""A map over rows: one input batch in, any number of output rows (of the declared schema)."""
GroupFn = Callable[["pa.Table"], "pa.Table"]
"""A map over groups: all rows of one key in, any number of output rows."""

FILE = "_file"  # the column read_parquet adds: the engine's name of the row's file
ROW = "_row"  # and the row's 0-based position in that file


class Engine(ABC):
    """A connected engine. Use as a context manager."""

    name: ClassVar[str]
    top_n_aggregate: ClassVar[bool]  # the ``metrics`` flag: a top-N aggregate exists

    def __init__(self, settings: EngineSettings, progress: Progress) -> None:
        self.settings = settings
        self.progress = progress
        self.con: Any = None
        self.ui_url: str | None = None  # where to watch the job (Spark's UI)
        self.description = self.name

    # --- files ----------------------------------------------------------------------------

    @abstractmethod
    def list_files(self, pattern: str) -> list[InputFile]:
        """The Parquet files a path, folder or glob names, sorted by ``display``; at least one."""

    @abstractmethod
    def read_parquet(self, files: Sequence[InputFile]) -> ir.Table:
        """Every row of ``files`` (their columns by name) with ``_file`` and ``_row`` added."""

    @abstractmethod
    def exists(self, path: str) -> bool: ...

    @abstractmethod
    def remove(self, path: str) -> None:
        """Delete a file or folder (nothing when absent)."""

    @abstractmethod
    def rename(self, source: str, target: str) -> None: ...

    @abstractmethod
    def write_text(self, path: str, text: str) -> None: ...

    @abstractmethod
    def read_text(self, path: str) -> str: ...

    # --- computing ------------------------------------------------------------------------

    @abstractmethod
    def map_batches(
        self, table: ir.Table, fn: BatchFn, schema: pa.Schema, path: str, *, step: str
    ) -> ir.Table:
        """``fn`` over every batch of ``table``, written to ``path`` and read back."""

    @abstractmethod
    def map_groups(
        self,
        table: ir.Table,
        keys: Sequence[str],
        fn: GroupFn,
        schema: pa.Schema,
        path: str,
        *,
        step: str,
    ) -> ir.Table:
        """``fn`` over all rows of each distinct ``keys``, written to ``path`` and read back."""

    @abstractmethod
    def write_parquet(
        self,
        table: ir.Table,
        path: str,
        *,
        partition_by: Sequence[str] = (),
        order_by: Sequence[str] = (),
        step: str = "writing",
    ) -> None:
        """Write ``table`` as a Parquet folder (hive partitions ``col=value/``), rows ordered."""

    def spill_to(self, folder: str) -> None:
        """Where the engine may spill what exceeds its memory (the job's work folder).

        Spark's executors spill to their own ``spark.local.dir``: nothing to set by default.
        """
        return

    def materialize(self, table: ir.Table, path: str, *, step: str) -> ir.Table:
        """Compute ``table`` once into ``path`` and read it back (for results used twice)."""
        self.write_parquet(table, path, step=step)
        return self.read_dataset(path)

    def checkpoint(self, table: ir.Table, path: str, *, step: str) -> ir.Table:
        """A table read more than once downstream: DuckDB plans a shared subquery once and keeps
        ``table`` as it is; Spark computes it into ``path`` (``materialize``)."""
        return table

    @abstractmethod
    def read_dataset(self, path: str) -> ir.Table:
        """A Parquet folder this engine wrote (partition columns restored as strings)."""

    def fetch(self, expr: ir.Expr) -> pa.Table:
        """A small result as Arrow (counts, summaries; never a whole catalog)."""
        return self.con.to_pyarrow(expr)

    def memtable(self, data: pa.Table) -> ir.Table:
        import ibis

        return ibis.memtable(data)

    def close(self) -> None:
        if self.con is not None:
            self.con.disconnect()
            self.con = None

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --- DuckDB -------------------------------------------------------------------------------------

_BATCH_ROWS = 1 << 20  # rows per map batch: the embedded importer's batch


class DuckDBEngine(Engine):
    """An in-process DuckDB: the embedded engine, for catalogs that fit one machine's disk."""

    name = "duckdb"
    top_n_aggregate = True

    def __init__(self, settings: EngineSettings, progress: Progress) -> None:
        import ibis

        from creatormix.store.core import DEFAULT_MEMORY_LIMIT, check_memory_limit

        super().__init__(settings, progress)
        if settings.master:
            raise InvalidOption("--master is a Spark option; the duckdb engine runs in process")
        memory = check_memory_limit(settings.memory or DEFAULT_MEMORY_LIMIT, "--memory")
        self.con = ibis.duckdb.connect(memory_limit=memory)
        threads = settings.partitions  # for DuckDB, parallelism is its thread count
        if threads:
            self.con.raw_sql(f"SET threads = {int(threads)}")
        self.con.raw_sql("SET enable_progress_bar = false")
        self._spill: str | None = None
        self.description = f"duckdb (in process, memory {memory})"

    def spill_to(self, folder: str) -> None:
        """Where DuckDB may spill what exceeds its memory cap (inside the job's work folder)."""
        Path(folder).mkdir(parents=True, exist_ok=True)
        self.con.raw_sql(f"SET temp_directory = '{_sql_text(folder)}'")
        self._spill = folder

    # files

    def list_files(self, pattern: str) -> list[InputFile]:
        import glob

        if "://" in pattern:
            raise InvalidOption(
                f"{pattern}: the duckdb engine reads local files; use --engine spark for "
                "object storage and other Hadoop file systems"
            )
        path = Path(pattern).expanduser()
        if path.is_dir():
            names = [str(p) for p in path.rglob("*") if p.is_file() and _is_data_file(p)]
        elif path.is_file():
            names = [str(path)]
        else:
            # an absolute pattern with ** anywhere: Path.glob only globs below a folder
            matches = glob.glob(str(path), recursive=True)  # noqa: PTH207
            names = [n for n in matches if Path(n).is_file()]
        files = []
        for name in names:
            full = Path(name).resolve()
            st = full.stat()
            stamp = datetime.fromtimestamp(int(st.st_mtime), UTC).replace(tzinfo=None)
            files.append(
                InputFile(uri=str(full), display=str(full), modified=stamp, size=st.st_size)
            )
        return numbered(pattern, files)

    def read_parquet(self, files: Sequence[InputFile]) -> ir.Table:
        t = self.con.read_parquet(
            [f.uri for f in files], filename=True, file_row_number=True, union_by_name=True
        )
        return t.rename({FILE: "filename", ROW: "file_row_number"})

    def exists(self, path: str) -> bool:
        return Path(path).exists()

    def remove(self, path: str) -> None:
        p = Path(path)
        if p.is_dir():
            shutil.rmtree(p)
        else:
            p.unlink(missing_ok=True)

    def rename(self, source: str, target: str) -> None:
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        Path(source).replace(target)

    def write_text(self, path: str, text: str) -> None:
        p = Path(path)
        p.parent.mkdir(parents=True, exist_ok=True)
        tmp = p.with_name(p.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(p)

    def read_text(self, path: str) -> str:
        return Path(path).read_text(encoding="utf-8")

    # computing

    def map_batches(
        self, table: ir.Table, fn: BatchFn, schema: pa.Schema, path: str, *, step: str
    ) -> ir.Table:
        total = int(self.fetch(table.count()).as_py())
        done = 0
        self.progress(step, 0, total)
        with _PartWriter(path, schema) as out:
            for batch in self.con.to_pyarrow_batches(table, chunk_size=_BATCH_ROWS):
                out.write(fn(batch))
                done += batch.num_rows
                self.progress(step, done, total)
        self.progress(step, total, total)
        return self.read_dataset(path)

    def map_groups(
        self,
        table: ir.Table,
        keys: Sequence[str],
        fn: GroupFn,
        schema: pa.Schema,
        path: str,
        *,
        step: str,
    ) -> ir.Table:
        total = int(self.fetch(table.count()).as_py())
        done = 0
        self.progress(step, 0, total)
        ordered = table.order_by(list(keys))
        with _PartWriter(path, schema) as out:
            batches = self.con.to_pyarrow_batches(ordered, chunk_size=_BATCH_ROWS)
            for group in split_groups(batches, keys):
                out.write(fn(group))
                done += group.num_rows
                self.progress(step, done, total)
        self.progress(step, total, total)
        return self.read_dataset(path)

    def write_parquet(
        self,
        table: ir.Table,
        path: str,
        *,
        partition_by: Sequence[str] = (),
        order_by: Sequence[str] = (),
        step: str = "writing",
    ) -> None:
        self.progress(step, 0, 1)
        self.remove(path)
        if order_by:
            table = table.order_by(list(order_by))
        if partition_by:
            # Ibis writes a 1-tuple as ('platform',), which DuckDB cannot parse: a name alone
            cols: str | tuple[str, ...] = (
                partition_by[0] if len(partition_by) == 1 else tuple(partition_by)
            )
            self.con.to_parquet(table, path, partition_by=cols)
        else:
            Path(path).mkdir(parents=True, exist_ok=True)
            self.con.to_parquet(table, str(Path(path) / "part-0.parquet"))
        self.progress(step, 1, 1)

    def read_dataset(self, path: str) -> ir.Table:
        files = [p for p in Path(path).rglob("*.parquet") if p.is_file()]
        if not files:  # a step with no output rows still has its schema
            files = [Path(path) / "part-0.parquet"]
        partitioned = any("=" in p.parent.name for p in files)
        return self.con.read_parquet(
            [str(p) for p in sorted(files)], hive_partitioning=partitioned, union_by_name=True
        )


def numbered(pattern: str, files: Sequence[InputFile]) -> list[InputFile]:
    """The files sorted by name and numbered from 1; at least one, or one clear error."""
    if not files:
        raise FileFormatProblem(f"{pattern}: no Parquet file matches")
    ordered = sorted(files, key=lambda f: f.display)
    return [replace(f, number=i + 1) for i, f in enumerate(ordered)]


def split_groups(batches: Iterator[pa.RecordBatch], keys: Sequence[str]) -> Iterator[pa.Table]:
    """The rows of each key from a stream sorted by ``keys``, one table per key (nulls equal)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    carry: pa.Table | None = None
    for batch in batches:
        table = pa.Table.from_batches([batch])
        if carry is not None:
            table = pa.concat_tables([carry, table])
        if not table.num_rows:
            continue
        same = None  # row i has the keys of row i - 1
        for k in keys:
            col = table[k].combine_chunks()
            now, before = col.slice(1), col.slice(0, len(col) - 1)
            equal = pc.or_(
                pc.fill_null(pc.equal(now, before), False),
                pc.and_(pc.is_null(now), pc.is_null(before)),
            )
            same = equal if same is None else pc.and_(same, equal)
        starts = [0]
        if same is not None:
            starts += [i + 1 for i in pc.indices_nonzero(pc.invert(same)).to_pylist()]
        for lo, hi in itertools.pairwise(starts):
            yield table.slice(lo, hi - lo)
        carry = table.slice(starts[-1])  # the last group may go on in the next batch
    if carry is not None and carry.num_rows:
        yield carry


class _PartWriter:
    """Parquet part files of one step: batches appended to ``part-0.parquet`` in order."""

    def __init__(self, folder: str, schema: pa.Schema) -> None:
        import pyarrow.parquet as pq

        Path(folder).mkdir(parents=True, exist_ok=True)
        self.schema = schema
        self._writer = pq.ParquetWriter(str(Path(folder) / "part-0.parquet"), schema)

    def write(self, table: pa.Table) -> None:
        if table.num_rows:
            self._writer.write_table(table.select(self.schema.names).cast(self.schema))

    def __enter__(self) -> _PartWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self._writer.close()


def _is_data_file(path: Path) -> bool:
    """Data files of a folder: not Spark's markers (``_SUCCESS``) or hidden files."""
    return not path.name.startswith(("_", ".")) and path.suffix.lower() in {".parquet", ".pq"}


def _sql_text(text: str) -> str:
    return text.replace("'", "''")
