"""The Spark side of the engine seam (``store/engines.py``): a SparkSession behind Ibis.

Runs on a laptop's ``local[*]`` or any cluster (``--master spark://…``, YARN, Kubernetes, or the
session ``spark-submit`` made). Files go through Hadoop's file systems, so inputs and outputs may
be ``s3a://``, ``hdfs://``, ``abfss://`` … wherever the cluster has the connector.

Ibis 12's pyspark compiler makes three slips that change numbers or fail, corrected in
``_Compiler`` (``tests/store/test_engines.py`` holds each one):

* a float literal such as ``86400.0`` is a DECIMAL(6,1) to Spark, so ``seconds / 86400.0`` is
  computed in decimal and keeps 7 digits after the point: literals are cast to DOUBLE;
* ``epoch_seconds()`` became ``unix_timestamp``, whole seconds, where DuckDB keeps microseconds
  (cadence and growth differed in the 7th digit): it is ``unix_micros / 1e6``;
* ``median(where=…)`` wrapped the filter around the 0.5 as well, which Spark refuses ("the
  percentage should be foldable"): the filter applies to the value only.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from creatormix.domain.profiles import EngineSettings, InputFile
from creatormix.domain.query import Progress
from creatormix.errors import EngineProblem, InvalidOption
from creatormix.store.engines import (
    FILE,
    ROW,
    BatchFn,
    Engine,
    GroupFn,
    numbered,
)

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pyarrow as pa

# Spark settings every session of ours gets (a user's --conf may override the last two).
_FIXED_CONF = {
    "spark.sql.session.timeZone": "UTC",  # timestamps are naive UTC everywhere in creatormix
    "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",  # not INT96: Arrow reads it
    "spark.ui.showConsoleProgress": "false",  # the CLI draws its own bars
    # pandas and pyarrow write nanosecond timestamps, which Spark refuses to read as timestamps:
    # read them as numbers, and read_parquet makes them microsecond timestamps again
    "spark.sql.legacy.parquet.nanosAsLong": "true",
}
_DEFAULT_CONF = {
    # the importer parses batches of this many rows; Spark's default 10,000 pays the per-batch
    # overhead ten times as often
    "spark.sql.execution.arrow.maxRecordsPerBatch": "100000",
}
_POLL_SECONDS = 0.5  # how often the progress bar asks Spark's status tracker (display only)


def _compiler() -> Any:
    """Ibis's pyspark compiler with the three corrections in the module docstring."""
    import ibis.expr.datatypes as dt
    import sqlglot.expressions as sge
    from ibis.backends.sql.compilers.pyspark import PySparkCompiler

    class _Compiler(PySparkCompiler):  # type: ignore[misc]
        def visit_NonNullLiteral(self, op: Any, *, value: Any, dtype: Any) -> Any:
            out = super().visit_NonNullLiteral(op, value=value, dtype=dtype)
            if dtype.is_floating() and isinstance(out, sge.Literal):
                return self.cast(out, dtype)
            return out

        def visit_ExtractEpochSeconds(self, op: Any, *, arg: Any) -> Any:
            micros = self.f.unix_micros(self.cast(arg, dt.timestamp))
            return micros / self.cast(sge.convert(1_000_000), dt.float64)

        def visit_Median(self, op: Any, *, arg: Any, where: Any) -> Any:
            if where is not None:
                arg = self.if_(where, arg, sge.Null())
            return self.f.percentile(arg, 0.5)

    return _Compiler()


def spark_memory(text: str, flag: str) -> str:
    """ "4GB" -> "4096m", the JVM's notation (Spark reads "4g", "500m")."""
    import re

    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMGT])i?B\s*", text, flags=re.IGNORECASE)
    if not m:
        raise InvalidOption(f"{flag} {text!r} is not a memory size (write it like 4GB or 500MB)")
    scale = {"K": 1 / 1024, "M": 1, "G": 1024, "T": 1024 * 1024}[m[2].upper()]
    mib = int(float(m[1]) * scale)
    if mib < 1:
        raise InvalidOption(f"{flag} {text!r} is less than a megabyte")
    return f"{mib}m"


class SparkEngine(Engine):
    """Apache Spark through Ibis's pyspark backend."""

    name = "spark"
    top_n_aggregate = False  # Spark's max_by has no n: the metrics use the window form

    def __init__(self, settings: EngineSettings, progress: Progress) -> None:
        super().__init__(settings, progress)
        try:
            import ibis
            from pyspark.sql import SparkSession
        except ImportError:
            raise EngineProblem(
                "--engine spark needs pyspark: python -m pip install 'creatormix[spark]'"
            ) from None
        submitted = "PYSPARK_GATEWAY_PORT" in os.environ  # spark-submit started this process
        existing = SparkSession.getActiveSession()
        self._owned = existing is None and not submitted
        if self._owned and not (os.environ.get("JAVA_HOME") or shutil.which("java")):
            raise EngineProblem(
                "Spark needs Java 17 or later and no `java` is on PATH (Debian: apt-get install "
                "openjdk-17-jre-headless; or set JAVA_HOME)"
            )
        builder = SparkSession.builder.appName("creatormix profiles")
        if settings.master:
            builder = builder.master(settings.master)
        elif self._owned:
            builder = builder.master("local[*]")
        conf = dict(_DEFAULT_CONF)
        if settings.memory:
            conf["spark.driver.memory"] = spark_memory(settings.memory, "--memory")
        if settings.executor_memory:
            conf["spark.executor.memory"] = spark_memory(
                settings.executor_memory, "--executor-memory"
            )
        if settings.partitions:
            conf["spark.sql.shuffle.partitions"] = str(int(settings.partitions))
        conf |= dict(settings.conf)
        conf |= _FIXED_CONF
        for key, value in conf.items():
            builder = builder.config(key, value)
        try:
            self.session = existing or builder.getOrCreate()
        except Exception as exc:  # Java missing or too old, a master that cannot be reached
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise EngineProblem(f"cannot start Spark: {first}") from None
        if existing is not None:
            # a session made before (a notebook's, the tests'): the settings that may change at
            # runtime are set on it; the others (memory, the UI) are the session's own
            runtime = {k: v for k, v in conf.items() if k.startswith("spark.sql.")}
            for key, value in (runtime | _FIXED_CONF).items():
                if self.session.conf.isModifiable(key):
                    self.session.conf.set(key, value)
        sc = self.session.sparkContext
        sc.setLogLevel("ERROR")
        self.con = ibis.pyspark.connect(self.session)
        self.con.compiler = _compiler()
        self.ui_url = sc.uiWebUrl
        self.description = (
            f"spark {self.session.version} ({sc.master}, {sc.defaultParallelism} cores)"
        )
        self._jvm: Any = sc._jvm
        self._hadoop = sc._jsc.hadoopConfiguration()

    # --- files ----------------------------------------------------------------------------

    def _path(self, path: str) -> Any:
        return self._jvm.org.apache.hadoop.fs.Path(path)

    def _fs(self, path: Any) -> Any:
        return path.getFileSystem(self._hadoop)

    def list_files(self, pattern: str) -> list[InputFile]:
        path = self._path(_qualified(pattern))
        fs = self._fs(path)
        statuses = list(fs.globStatus(path) or [])
        found = []
        for status in statuses:
            if status.isDirectory():
                it = fs.listFiles(status.getPath(), True)
                while it.hasNext():
                    found.append(it.next())
            else:
                found.append(status)
        files = []
        for st in found:
            p = st.getPath()
            name = p.getName()
            if name.startswith(("_", ".")) or not name.lower().endswith((".parquet", ".pq")):
                continue
            uri = p.toString()
            stamp = datetime.fromtimestamp(st.getModificationTime() // 1000, UTC)
            files.append(
                InputFile(
                    uri=uri,
                    display=display_name(uri),
                    modified=stamp.replace(tzinfo=None),
                    size=int(st.getLen()),
                )
            )
        return numbered(pattern, files)

    def read_parquet(self, files: Sequence[InputFile]) -> ir.Table:
        df = self.session.read.option("mergeSchema", "true").parquet(*[f.uri for f in files])
        nanos = self._nanosecond_columns(files[0].uri)
        columns = [
            f"CAST(TIMESTAMP_MICROS({_q(c)} DIV 1000) AS TIMESTAMP_NTZ) AS {_q(c)}"
            if c in nanos
            else _q(c)
            for c in df.columns
        ]
        df = df.selectExpr(
            *columns, f"_metadata.file_path AS {FILE}", f"_metadata.row_index AS {ROW}"
        )
        return self._as_table(df)

    def _nanosecond_columns(self, uri: str) -> set[str]:
        """Top-level columns the file's footer says are nanosecond timestamps (the first file
        stands for all: one input is one dataset)."""
        jvm = self._jvm
        path = self._path(uri)
        source = jvm.org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(path, self._hadoop)
        reader = jvm.org.apache.parquet.hadoop.ParquetFileReader.open(source)
        try:
            fields = reader.getFooter().getFileMetaData().getSchema().getFields()
            return {
                str(f.getName())
                for f in fields
                if str(f.getLogicalTypeAnnotation()).startswith("TIMESTAMP(NANOS")
            }
        finally:
            reader.close()

    def exists(self, path: str) -> bool:
        p = self._path(_qualified(path))
        return bool(self._fs(p).exists(p))

    def remove(self, path: str) -> None:
        p = self._path(_qualified(path))
        fs = self._fs(p)
        if fs.exists(p):
            fs.delete(p, True)

    def rename(self, source: str, target: str) -> None:
        src, dst = self._path(_qualified(source)), self._path(_qualified(target))
        fs = self._fs(src)
        fs.mkdirs(dst.getParent())
        if not fs.rename(src, dst):
            raise EngineProblem(f"cannot move {source} to {target}")

    def write_text(self, path: str, text: str) -> None:
        tmp = self._path(_qualified(path + ".tmp"))
        fs = self._fs(tmp)
        out = fs.create(tmp, True)
        try:
            out.write(bytearray(text.encode("utf-8")))
        finally:
            out.close()
        final = self._path(_qualified(path))
        if fs.exists(final):
            fs.delete(final, False)
        fs.rename(tmp, final)

    def read_text(self, path: str) -> str:
        # through the file system, not spark.read.text: Spark's readers skip names starting
        # with "_", such as _manifest.json
        p = self._path(_qualified(path))
        stream = self._fs(p).open(p)
        try:
            return str(self._jvm.org.apache.commons.io.IOUtils.toString(stream, "UTF-8"))
        finally:
            stream.close()

    # --- computing ------------------------------------------------------------------------

    def _as_table(self, df: Any) -> ir.Table:
        from ibis import util

        name = util.gen_name("creatormix")
        df.createOrReplaceTempView(name)
        return self.con.table(name)

    def _df(self, table: ir.Table) -> Any:
        self.con._run_pre_execute_hooks(table)  # registers in-memory tables (published priors)
        return self.session.sql(self.con.compile(table))

    def map_batches(
        self, table: ir.Table, fn: BatchFn, schema: pa.Schema, path: str, *, step: str
    ) -> ir.Table:
        from pyspark.sql.pandas.types import from_arrow_schema

        def each(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
            for batch in batches:
                yield from fn(batch).cast(schema).to_batches()

        out = self._df(table).mapInArrow(each, from_arrow_schema(schema, prefer_timestamp_ntz=True))
        with self._watch(step):
            out.write.mode("overwrite").parquet(_qualified(path))
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
        from pyspark.sql.pandas.types import from_arrow_schema

        def each(group: pa.Table) -> pa.Table:
            return fn(group).cast(schema)

        grouped = self._df(table).groupBy(*keys)
        out = grouped.applyInArrow(each, from_arrow_schema(schema, prefer_timestamp_ntz=True))
        with self._watch(step):
            out.write.mode("overwrite").parquet(_qualified(path))
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
        df = self._df(table)
        keys = [*partition_by, *[c for c in order_by if c not in partition_by]]
        if keys:
            # ranges of the key, not one task per partition value: "instagram" alone may be
            # most of a 200-million-creator catalog
            df = df.repartitionByRange(*keys).sortWithinPartitions(*keys)
        writer = df.write.mode("overwrite")
        if partition_by:
            writer = writer.partitionBy(*partition_by)
        with self._watch(step):
            writer.parquet(_qualified(path))

    def checkpoint(self, table: ir.Table, path: str, *, step: str) -> ir.Table:
        # Spark analyses and runs a subquery once per reference: the metrics' plan was 41,000
        # characters of SQL and took longer to analyse than to run on the demo catalog
        return self.materialize(table, path, step=step)

    def read_dataset(self, path: str) -> ir.Table:
        return self._as_table(self.session.read.parquet(_qualified(path)))

    def fetch(self, expr: ir.Expr) -> pa.Table:
        with self._watch("computing"):
            return self.con.to_pyarrow(expr)

    def close(self) -> None:
        if self._owned and self.con is not None:
            self.session.stop()
        self.con = None

    @contextmanager
    def _watch(self, step: str) -> Iterator[None]:
        """Report the tasks of the Spark jobs run inside as ``step`` (done, total)."""
        sc = self.session.sparkContext
        group = f"creatormix-{step}-{id(self)}"
        sc.setJobGroup(group, step)
        stop = threading.Event()
        tracker = sc.statusTracker()

        def tasks() -> tuple[int, int]:
            done = total = 0
            for job in tracker.getJobIdsForGroup(group):
                info = tracker.getJobInfo(job)
                for stage in info.stageIds if info else ():
                    s = tracker.getStageInfo(stage)
                    if s is not None:
                        done += s.numCompletedTasks
                        total += s.numTasks
            return done, total

        def poll() -> None:
            while not stop.wait(_POLL_SECONDS):
                done, total = tasks()
                if total:
                    self.progress(step, done, total)

        watcher = threading.Thread(target=poll, name="creatormix-spark-progress", daemon=True)
        watcher.start()
        try:
            yield
        finally:
            stop.set()
            watcher.join()
            _done, total = tasks()
            self.progress(step, total, total)
            sc.setLocalProperty("spark.jobGroup.id", None)  # type: ignore[arg-type]  # None clears it


def _q(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _qualified(path: str) -> str:
    """A local path as Hadoop reads it; a URL unchanged."""
    if "://" in path or path.startswith("file:"):
        return path
    return "file:" + str(Path(path).expanduser().resolve())


def display_name(uri: str) -> str:
    """What messages call a file: the local path for ``file:`` URIs, else the URI."""
    parts = urlsplit(uri)
    if parts.scheme == "file":
        return unquote(parts.path)
    return uri
