"""The embedded importer's parsing for files that several workers read in pieces.

``creatormix import`` reads a file from start to end in one process: it settles the file's
conventions (decimal comma, day-first dates, rates in % points, columns that contradict their
name) on its first batch, then parses every batch with them. A distributed engine hands each
worker a piece of some files instead. ``PieceParser`` splits that work in two:

1. ``decide``: per file, on the file's first ``BATCH_ROWS`` rows (what ``import`` sees first), the
   ``Tabulator`` settles the conventions; the decided tabulator travels to the workers pickled.
   A file whose columns cannot be read (a column that contradicts its name) is refused: every
   one of its records is rejected with that reason, and the other files go on.
2. ``parse``: each piece is parsed by its file's tabulator with the records' own numbers, giving
   the same rows, the same rejects (file, record, column, value, reason) and the same warnings.

Both return plain Arrow tables of one schema, so an engine can run them as a map over batches
and over groups. Nothing here knows which engine runs it.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

import pyarrow as pa
import pyarrow.compute as pc

from creatormix.domain.imports import ImportKind, ImportOptions, ImportWarning, Reject
from creatormix.domain.profiles import KIND_COLUMN, REJECT_KIND, ROW_KIND, WARNING_KIND, InputFile
from creatormix.errors import InputError
from creatormix.ingest.encoding import FileFacts
from creatormix.ingest.readers import BATCH_ROWS, Source
from creatormix.ingest.tabulate import Tabulator

__all__ = ["BATCH_ROWS", "DECISIONS", "PieceParser", "piece_parser"]

KIND, ROW, REJECT, WARNING = KIND_COLUMN, ROW_KIND, REJECT_KIND, WARNING_KIND
# Columns every output row has besides the canonical fields (``_record`` is one of those: the
# 0-based data record number, as in ``import``).
META = {
    KIND: pa.string(),
    "_file": pa.string(),  # the file's display name
    "_file_no": pa.int64(),  # 1-based position of the file among the input's files, by name
    "_modified": pa.timestamp("us"),  # the file's modification time (naive UTC)
    "_column": pa.string(),  # rejects and warnings: the column they concern
    "_value": pa.string(),  # rejects: the cell
    "_reason": pa.string(),  # rejects: why; warnings: the message
}
DECISIONS = pa.schema(
    [
        ("_file", pa.string()),
        ("decision", pa.binary()),  # the decided Tabulator, pickled (None when refused)
        ("refusal", pa.string()),  # why the whole file cannot be read
    ]
)

# A step after parsing, per piece: (canonical rows, file display) -> (rows kept, more rejects).
Finish = Callable[[pa.Table, str], tuple[pa.Table, list[Reject]]]


def _no_batches() -> list[pa.RecordBatch]:
    return []


def _no_line(record: int) -> int | None:
    return None


def _no_bad_line(bad: object) -> int | None:
    return None


def _detached(header: list[str], display: str) -> Source:
    """A Source for a tabulator that is handed its batches (Parquet: rows, not lines)."""
    return Source(
        path=Path(display),
        format="parquet",
        facts=FileFacts(sha256="", size=0, encoding="binary"),
        header=header,
        batches=_no_batches,  # type: ignore[arg-type]
        rows_estimate=None,
        locate=_no_line,
        line_based=False,
        locate_bad=_no_bad_line,  # module functions, not lambdas: the tabulator is pickled
    )


@dataclass
class PieceParser:
    """Parses pieces of the files of one input exactly as ``import`` parses each whole file.

    ``header`` is the input's columns in order (the engine's ``_file`` and ``_row`` aside);
    ``finish`` runs on each piece's rows after parsing (post ids, a sample's blank rows).
    Column problems of the whole input (no handle column, an ambiguous --map) raise at once.
    """

    kind: ImportKind
    options: ImportOptions
    header: list[str]
    files: Sequence[InputFile]  # numbered (``InputFile.number``)
    pattern: str
    finish: Finish | None = None
    file_col: str = "_file"
    row_col: str = "_row"
    _decisions: dict[str, tuple[bytes | None, str | None]] = field(default_factory=dict)
    _tabs: dict[str, Tabulator] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        template = Tabulator(
            _detached(self.header, self.pattern), self.kind, self.options, self.pattern
        )
        self.template = template
        self.canonical = template.empty_table().schema
        self.input_warnings = [w.message for w in template.warnings]
        self.loaded_columns = template.loaded_columns
        self._by_uri = {f.uri: f for f in self.files} | {unquote(f.uri): f for f in self.files}

    def file_of(self, uri: str) -> InputFile:
        found = self._by_uri.get(uri) or self._by_uri.get(unquote(uri))
        if found is None:
            raise KeyError(f"{uri} is not one of the input's files")
        return found

    # --- 1. per file: the conventions ----------------------------------------------------------

    sample_rows = BATCH_ROWS  # a file's conventions are decided on its first rows
    decision_schema = DECISIONS

    def decide(self, sample: pa.Table) -> pa.Table:
        """One file's decision from its first rows (a group of ``_file``; any order)."""
        sample = sample.sort_by(self.row_col).slice(0, BATCH_ROWS)
        f = self.file_of(str(sample[self.file_col][0].as_py()))
        tab = Tabulator(_detached(self.header, f.display), self.kind, self.options, f.display)
        decision: bytes | None = None
        refusal: str | None = None
        try:
            tab.decide(self._data(sample.combine_chunks().to_batches()[0]))
            for ctx in tab.contexts.values():  # decided notes become the file's warnings
                tab.warnings += [_warning(n) for n in ctx.notes]
                ctx.notes.clear()
            decision = pickle.dumps(tab)
        except InputError as exc:
            refusal = str(exc)
        return pa.table(
            {"_file": [f.uri], "decision": [decision], "refusal": [refusal]}, schema=DECISIONS
        )

    def use(self, decisions: pa.Table) -> None:
        """Take every file's decision (the rows ``decide`` returned, collected)."""
        for row in decisions.to_pylist():
            self._decisions[self.file_of(row["_file"]).uri] = (row["decision"], row["refusal"])
        self._tabs.clear()

    def refusals(self) -> dict[str, str]:
        """Display name -> why, for the files that cannot be read at all."""
        out = {}
        for uri, (_, refusal) in self._decisions.items():
            if refusal:
                out[self.file_of(uri).display] = refusal
        return out

    def messages(self) -> list[str]:
        """The input's own warnings and each refused file's reason, as the build reports them."""
        name = self.kind.value
        out = [f"{name}: {w}" for w in self.input_warnings]
        out += [
            f"{name}: {display}: {why} (every record of it rejected)"
            for display, why in self.refusals().items()
        ]
        return out

    # --- 2. per piece: rows, rejects, warnings --------------------------------------------

    @property
    def schema(self) -> pa.Schema:
        """The output of ``parse``: the canonical fields, ``_record`` and ``META``."""
        return pa.schema(list(self.canonical) + [pa.field(k, t) for k, t in META.items()])

    def parse(self, batch: pa.RecordBatch) -> pa.Table:
        """Rows, rejects and warnings of a batch of raw rows (of any files, in any order)."""
        parts = []
        files = batch.column(batch.schema.get_field_index(self.file_col))
        for uri in pc.unique(files).to_pylist():
            piece = batch.filter(pc.equal(files, uri))
            parts += self._parse_file(self.file_of(str(uri)), piece)
        if not parts:
            return self.schema.empty_table()
        return pa.concat_tables([p.select(self.schema.names).cast(self.schema) for p in parts])

    def _parse_file(self, f: InputFile, piece: pa.RecordBatch) -> list[pa.Table]:
        records = piece.column(piece.schema.get_field_index(self.row_col))
        records = pc.cast(records, pa.int64()).to_numpy(zero_copy_only=False)
        decision, refusal = self._decisions.get(f.uri, (None, "no decision for this file"))
        if refusal is not None:
            rejects = [Reject(f.display, None, int(r) + 1, None, None, refusal) for r in records]
            return [self._rejects(f, rejects)]
        tab = self._tabs.get(f.uri)
        if tab is None:
            assert decision is not None
            tab = self._tabs[f.uri] = pickle.loads(decision)
        rows = tab.parse_rows(self._data(piece), records)
        more: list[Reject] = []
        if self.finish is not None:
            rows, more = self.finish(rows, f.display)
        out = [self._rows(f, rows), self._rejects(f, tab.rejects + more)]
        out.append(self._warnings(f, tab.warnings))
        out.append(self._cleared(f, tab.cleared))
        tab.cleared.clear()
        tab.rejects.clear()
        tab.rejected_records.clear()
        tab.warnings.clear()
        return out

    def _data(self, batch: pa.RecordBatch) -> pa.RecordBatch:
        """The header's columns in order, named as a Source names them (``c0``, ``c1`` …)."""
        arrays = []
        for name in self.header:
            i = batch.schema.get_field_index(name)
            arrays.append(batch.column(i) if i >= 0 else pa.nulls(batch.num_rows))
        return pa.RecordBatch.from_arrays(arrays, names=[f"c{i}" for i in range(len(arrays))])

    def _meta(self, f: InputFile, kind: str, n: int) -> dict[str, pa.Array]:
        return {
            KIND: pa.repeat(pa.scalar(kind, pa.string()), n),
            "_file": pa.repeat(pa.scalar(f.display, pa.string()), n),
            "_file_no": pa.repeat(pa.scalar(f.number, pa.int64()), n),
            "_modified": pa.repeat(pa.scalar(f.modified, pa.timestamp("us")), n),
        }

    def _rows(self, f: InputFile, rows: pa.Table) -> pa.Table:
        n = rows.num_rows
        for name, col in self._meta(f, ROW, n).items():
            rows = rows.append_column(name, col)
        for name in ("_column", "_value", "_reason"):
            rows = rows.append_column(name, pa.nulls(n, pa.string()))
        return rows

    def _others(self, f: InputFile, kind: str, values: dict[str, list[object]]) -> pa.Table:
        n = len(values["_reason"])
        columns: dict[str, pa.Array] = {}
        for fld in self.canonical:
            if fld.name == "_record":
                columns["_record"] = pa.array(values["_record"], pa.int64())
            else:
                columns[fld.name] = pa.nulls(n, fld.type)
        columns |= self._meta(f, kind, n)
        for name in ("_column", "_value", "_reason"):
            columns[name] = pa.array(values[name], pa.string())
        return pa.table(columns)

    def _rejects(self, f: InputFile, rejects: list[Reject]) -> pa.Table:
        return self._others(
            f,
            REJECT,
            {
                "_record": [None if r.record is None else r.record - 1 for r in rejects],
                "_column": [r.column for r in rejects],
                "_value": [r.value for r in rejects],
                "_reason": [r.reason for r in rejects],
            },
        )

    def _warnings(self, f: InputFile, warnings: Sequence[object]) -> pa.Table:
        return self._others(
            f,
            WARNING,
            {
                "_record": [None] * len(warnings),
                "_column": [getattr(w, "column", None) for w in warnings],
                "_value": [None] * len(warnings),
                "_reason": [getattr(w, "message", str(w)) for w in warnings],
            },
        )

    def _cleared(self, f: InputFile, cleared: Sequence[Reject]) -> pa.Table:
        """Unreadable optional values left empty, their records kept (as ``import`` lists them
        beside its rejects): a warning each, with its record, column and value."""
        return self._others(
            f,
            WARNING,
            {
                "_record": [None if r.record is None else r.record - 1 for r in cleared],
                "_column": [r.column for r in cleared],
                "_value": [r.value for r in cleared],
                "_reason": [
                    f"record {r.record}, column {r.column!r}: {r.value!r} left empty, its record "
                    f"kept ({r.reason})"
                    for r in cleared
                ],
            },
        )


def _warning(text: str) -> ImportWarning:
    return ImportWarning(text)


def piece_parser(
    kind: ImportKind,
    options: ImportOptions,
    header: list[str],
    files: Sequence[InputFile],
    pattern: str,
) -> PieceParser:
    """The parser of one input of the catalog pipeline, with what ``import`` does after parsing
    that kind: posts without an id get the stable one, a follower sample's ``platform:@handle``
    cells are split and its blank rows rejected (and a sample needs a profile column)."""
    parser = PieceParser(kind, options, header, files, pattern, finish=_FINISH.get(kind))
    if kind is ImportKind.FOLLOWERS_SAMPLE:
        from creatormix.ingest.samples import require_profile_column

        require_profile_column(parser.template, pattern, header)
    return parser


def _finish_posts(rows: pa.Table, display: str) -> tuple[pa.Table, list[Reject]]:
    from creatormix.ingest.tabulate import fill_post_ids

    return fill_post_ids(rows), []


def _finish_samples(rows: pa.Table, display: str) -> tuple[pa.Table, list[Reject]]:
    from creatormix.ingest.samples import split_platform_prefix, without_blank_followers

    source = _detached([], display)  # a Parquet file: rejects name records, not lines
    rows, bad = split_platform_prefix(rows, display, source)
    rows, blank = without_blank_followers(rows, display, source)
    return rows, bad + blank


_FINISH: dict[ImportKind, Finish] = {
    ImportKind.POSTS: _finish_posts,
    ImportKind.FOLLOWERS_SAMPLE: _finish_samples,
}
