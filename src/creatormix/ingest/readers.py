"""Readers: a CSV/TSV, JSON, JSONL or Parquet file in, its header and a stream of Arrow batches out.

Cells stay as the file wrote them (strings for text formats, native types for Parquet); parsing is
``ingest.tabulate``'s job. Columns are named ``c0``, ``c1`` … inside the batches so that duplicated
header names survive until they can be reported. Record numbers are 0-based and count every data
record, the ones the reader could not split included (``Source.record_numbers`` gives the numbers
of a batch's rows); ``locate`` turns them into physical line numbers, lazily, because only
rejected records need one.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from creatormix.domain.imports import ImportWarning
from creatormix.errors import FileFormatProblem, InvalidOption
from creatormix.ingest.encoding import FileFacts, inspect_file

BATCH_ROWS = 1 << 20
CSV_BLOCK_BYTES = 16 << 20  # what the CSV reader parses at a time; batches gather several
_SAMPLE_BYTES = 256 << 10
_DELIMITERS = (",", "\t", ";", "|")
_RULE_LINE = re.compile(r"^[\s=\-_*#~+]+$")


@dataclass
class BadRecord:
    """A record the reader could not split into the header's columns.

    ``record`` is its 0-based data record number (None when the reader cannot tell) and
    ``fields`` how many fields it had.
    """

    record: int | None
    line: int | None
    text: str
    reason: str
    fields: int | None = None


@dataclass
class Source:
    """An opened input file."""

    path: Path
    format: str
    facts: FileFacts
    header: list[str]
    batches: Callable[[], Iterator[pa.RecordBatch]]
    rows_estimate: int | None
    locate: Callable[[int], int | None]
    warnings: list[ImportWarning] = field(default_factory=list)
    bad_records: list[BadRecord] = field(default_factory=list)
    line_based: bool = True  # False for Parquet: rejects name rows, not lines
    locate_bad: Callable[[BadRecord], int | None] = field(default=lambda bad: None)
    # Set just before the last batch is handed out when the file ends inside a quoted cell: the
    # last row of that batch swallowed every line after its opening quote.
    ends_in_open_quote: bool = False

    @property
    def column_ids(self) -> list[str]:
        return [f"c{i}" for i in range(len(self.header))]

    def record_numbers(self, first: int, n: int) -> np.ndarray:
        """Data record numbers of the ``n`` rows the batches give from row ``first`` on.

        Batches leave out the records the reader could not split; every such record met before
        a row shifts that row's number by one. Reading is serial, so when a batch is handed out
        every bad record before its last row is already known.
        """
        rows = np.arange(first, first + n, dtype=np.int64)
        bad = sorted(b.record for b in self.bad_records if b.record is not None)
        if not bad:
            return rows
        good_before = np.asarray(bad, dtype=np.int64) - np.arange(len(bad), dtype=np.int64)
        return rows + np.searchsorted(good_before, rows, side="right")


_FORMATS = {"csv", "tsv", "txt", "json", "jsonl", "ndjson", "parquet", "xlsx", "xlsm"}


def detect_format(path: Path, forced: str | None = None) -> str:
    if forced:
        fmt = forced.lower().lstrip(".")
        if fmt in _FORMATS:
            return {"tsv": "csv", "txt": "csv", "ndjson": "jsonl", "xlsm": "xlsx"}.get(fmt, fmt)
        raise FileFormatProblem(
            f"unknown format {forced!r} (expected csv, tsv, json, jsonl, parquet or xlsx)"
        )
    with path.open("rb") as fh:
        head = fh.read(_MAGIC_BYTES)
    if head.startswith(b"PAR1"):
        return "parquet"
    what = sniff_binary(path, head)
    if what == XLSX:
        return "xlsx"
    if what is not None:
        raise FileFormatProblem(f"{path}: this is {what}, not a table; {_advice(what)}")
    suffixes = [s.lower() for s in path.suffixes]
    last = suffixes[-1] if suffixes else ""
    if last in {".parquet", ".pq"}:
        return "parquet"
    if last in {".jsonl", ".ndjson"}:
        return "jsonl"
    if last == ".json":
        return "json"
    return "csv"


_MAGIC_BYTES = 8192
XLSX = "an Excel workbook (.xlsx)"
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "an old-style Excel workbook (.xls) or other Office file",
    ),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"SQLite format 3\x00", "a SQLite database"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
)


def sniff_binary(path: Path, head: bytes) -> str | None:
    """What a file that is no text table is ("a PDF document"), from its first bytes; None for
    text (and Parquet, which the caller recognises first)."""
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "a WebP image"
    if head[8:12] == b"DUCK":
        return "a DuckDB database (a creatormix workspace is opened with --db, not imported)"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(path)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    nul = head.find(b"\x00")
    if nul >= 0:
        return f"a binary file (a NUL byte at offset {nul}; text tables have none)"
    return None


def _zip_kind(path: Path) -> str:
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            mimetype = (
                archive.read("mimetype")[:100].decode("ascii", "replace")
                if "mimetype" in names
                else ""
            )
    except (zipfile.BadZipFile, OSError):
        return "a damaged ZIP archive"
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        return XLSX if "xl/workbook.xml" in names else "an Excel binary workbook (.xlsb)"
    if "spreadsheet" in mimetype:
        return "an OpenDocument spreadsheet (.ods)"
    if "word/document.xml" in names:
        return "a Word document (.docx)"
    tables = [n for n in names if n.lower().endswith((".csv", ".tsv", ".json", ".jsonl", ".xlsx"))]
    inside = f" holding {', '.join(tables[:3])}" if tables else ""
    return f"a ZIP archive{inside}"


def _advice(what: str) -> str:
    if "workbook" in what or "spreadsheet" in what:
        return "save it as .xlsx or CSV and import that"
    if "ZIP" in what or "7-Zip" in what or "RAR" in what or "gzip" in what:
        return "unpack it and import the table inside"
    if "DuckDB" in what:
        return "import the export files instead"
    return "import the CSV, JSON, Parquet or Excel export of the table instead"


def open_source(
    path: Path,
    *,
    fmt: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
) -> Source:
    if not path.exists():
        raise FileFormatProblem(f"{path}: no such file")
    if path.is_dir():
        raise FileFormatProblem(f"{path}: is a directory, not a file")
    kind = detect_format(path, fmt)
    if sheet is not None and kind != "xlsx":
        raise InvalidOption(f"--sheet {sheet!r}: {path} is no Excel workbook (it reads as {kind})")
    if kind == "parquet":
        return _open_parquet(path)
    if kind == "xlsx":
        return _open_xlsx(path, sheet)
    facts = inspect_file(path, text=True, encoding=encoding)
    warnings = [ImportWarning(facts.note)] if facts.note else []
    if facts.size == 0:
        raise FileFormatProblem(f"{path}: the file is empty")
    if kind == "csv":
        source = _open_csv(path, facts, delimiter)
    else:
        source = _open_json(path, facts, lines=(kind == "jsonl"))
    source.warnings[:0] = warnings
    return source


# --- CSV -------------------------------------------------------------------------------------


def _read_sample(path: Path, encoding: str) -> str:
    with path.open("r", encoding=encoding, newline="") as fh:
        return fh.read(_SAMPLE_BYTES)


def _records(text: str, delimiter: str) -> list[list[str]]:
    reader = csv.reader(
        io.StringIO(text), delimiter=delimiter, quotechar='"', doublequote=True, strict=False
    )
    out = []
    try:
        for row in reader:
            out.append(row)
    except csv.Error:
        pass
    return out


def sniff_delimiter(sample: str, suffix: str) -> str:
    """The delimiter that splits the sample's records most consistently into the most fields."""
    if suffix in {".tsv", ".tab"}:
        return "\t"
    complete = sample[: sample.rfind("\n")] if "\n" in sample else sample
    best, best_score = ",", (-1.0, 0)
    for delim in _DELIMITERS:
        rows = [r for r in _records(complete, delim)[:200] if r]
        if not rows:
            continue
        widths = Counter(len(r) for r in rows)
        width, count = widths.most_common(1)[0]
        if width < 2:
            continue
        score = (count / len(rows), width)
        if score > best_score:
            best, best_score = delim, score
    return best


def _open_csv(path: Path, facts: FileFacts, delimiter: str | None) -> Source:
    import pyarrow.csv as pacsv

    sample = _read_sample(path, facts.encoding)
    delim = delimiter or sniff_delimiter(sample, path.suffix.lower())
    records = _records(
        sample if len(sample) < _SAMPLE_BYTES else sample[: sample.rfind("\n")], delim
    )
    records = [r for r in records if any(c.strip() for c in r)]
    header_raw, header, skip, warnings = table_start(path, records)
    data = records[skip:]
    _refuse_split_names(path, header_raw, data)
    if data and any(not c.strip() for c in header_raw) and len(data[0]) < len(header_raw):
        raise FileFormatProblem(
            f"{path}: the header ends with empty column names and the next line has only "
            f"{len(data[0])} field(s) ({', '.join(data[0])}). Is the header split across lines? "
            "Put every column name on the first line."
        )
    if data:
        widths = Counter(len(r) for r in data[:500])
        width = widths.most_common(1)[0][0]
        if width > len(header):
            raise FileFormatProblem(
                f"{path}: the header has {len(header)} columns but most records have {width} "
                f"(header: {', '.join(header)}). Is the header split across lines? "
                "Put every column name on the first line."
            )
    # Arrow skips physical lines, not records: skipping the header's lines (blank lines before
    # it and a header cell that wraps inside quotes included) starts it at the first data record.
    header_lines = _physical_lines(sample, delim, skip)
    column_ids = [f"c{i}" for i in range(len(header))]
    bad: list[BadRecord] = []

    def on_invalid(row: Any) -> str:
        # Arrow numbers rows from the top of the file, skipped lines included, and leaves
        # empty lines out after them (as _LineIndex does); None would mean a parallel read.
        number = None if row.number is None else row.number - header_lines - 1
        bad.append(
            BadRecord(
                record=number,
                line=None,
                text=str(row.text),
                reason=f"record has {row.actual_columns} fields but the header has {row.expected_columns}",
                fields=row.actual_columns,
            )
        )
        return "skip"

    def batches() -> Iterator[pa.RecordBatch]:
        bad.clear()
        source.ends_in_open_quote = False
        if not data and len(sample) < _SAMPLE_BYTES:
            # The whole file is the header (Arrow cannot skip a last line without a newline).
            return
        reader = pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(
                column_names=column_ids,
                skip_rows=header_lines,
                encoding=_arrow_encoding(facts.encoding),
                block_size=CSV_BLOCK_BYTES,
                use_threads=False,  # serial: the bad-row handler is told each row's number
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=delim,
                quote_char='"',
                double_quote=True,
                newlines_in_values=True,
                invalid_row_handler=on_invalid,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in column_ids},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        # Batches of exactly BATCH_ROWS records (the last one shorter), as Parquet gives: a short
        # batch after every full one makes the workspace's store split its row groups, which the
        # next checkpoint then rewrites (17 s for 10M posts).
        # A full batch is handed out only once more rows follow it, so the last batch is known
        # to be the last (see ends_in_open_quote).
        pending: list[pa.RecordBatch] = []
        rows = given = 0
        source.ends_in_open_quote = False
        for batch in reader:
            pending.append(batch)
            rows += batch.num_rows
            while rows > BATCH_ROWS:
                table = pa.Table.from_batches(pending)
                yield _one_batch(table.slice(0, BATCH_ROWS))
                given += BATCH_ROWS
                rest = table.slice(BATCH_ROWS)
                pending, rows = rest.to_batches(), rest.num_rows
        if rows:
            last = _one_batch(pa.Table.from_batches(pending))
            last_record = int(source.record_numbers(given + rows - 1, 1)[0])
            source.ends_in_open_quote = not any(
                b.record is not None and b.record > last_record for b in bad
            ) and _ends_in_open_quote(path, facts.encoding, last)
            yield last

    lines = _LineIndex(path, facts.encoding, delim, header_lines)
    avg = max(
        1.0,
        len(sample.encode(facts.encoding if facts.encoding != "utf-8-sig" else "utf-8", "replace"))
        / max(1, len(records)),
    )
    source = Source(
        path=path,
        format="csv",
        facts=facts,
        header=header,
        batches=batches,
        rows_estimate=int(facts.size / avg),
        locate=lines.line_of,
        warnings=warnings,
        bad_records=bad,
        locate_bad=lines.locate_bad,
    )
    if delim != ",":
        warnings.append(ImportWarning(f"columns are separated by {_delimiter_name(delim)}"))
    return source


def table_start(
    path: Path, records: list[list[str]]
) -> tuple[list[str], list[str], int, list[ImportWarning]]:
    """(raw header cells, header names, records before the data, warnings) of a table's first
    non-blank records: a title line above the header and a rule line under it are skipped, a
    header cell that wraps inside quotes is read as one name."""
    if not records:
        raise FileFormatProblem(f"{path}: no header row found")
    warnings: list[ImportWarning] = []
    start = 0
    if _is_title(records):
        start = 1
        title = next(c for c in records[0] if c.strip()).strip()
        warnings.append(ImportWarning(f"skipped the title line above the header ({title[:60]!r})"))
    header_raw = records[start]
    header: list[str] = []
    wrapped: list[str] = []
    for i, cell in enumerate(header_raw):
        name = re.sub(r"\s+", " ", cell.replace("\ufeff", "")).strip()
        if "\n" in cell or "\r" in cell:
            glued = re.sub(r"\s*[\r\n]+\s*", "", cell).strip()
            if not _known_name(name) and _known_name(glued):
                name = glued  # "coun<newline>try" inside one quoted cell: a word wrapped
            wrapped.append(f"{i + 1} as {name!r}")
        header.append(name or f"column_{i + 1}")
    if wrapped:
        warnings.append(
            ImportWarning(
                f"{len(wrapped)} header cell(s) span lines; read cell {', '.join(wrapped)}"
            )
        )
    skip = start + 1
    if (
        len(records) > skip
        and all(_RULE_LINE.match(c or " ") for c in records[skip])
        and any(c.strip() for c in records[skip])
    ):
        skip += 1
        warnings.append(ImportWarning(f"skipped the rule line under the header (line {skip})"))
    return header_raw, header, skip, warnings


def _is_title(records: list[list[str]]) -> bool:
    """Whether the first record is a title over the table ("Top 100 creators, May"): one
    non-empty cell, over a header as wide as the records that follow it."""
    if len(records) < 3 or sum(bool(c.strip()) for c in records[0]) != 1:
        return False
    if _known_name(next(c for c in records[0] if c.strip())):
        return False  # a one-column header, not a title
    widths = Counter(sum(bool(c.strip()) for c in r) for r in records[2:200])
    width = widths.most_common(1)[0][0]
    header_width = sum(bool(c.strip()) for c in records[1])
    return width >= 2 and header_width >= 2 and header_width >= width


def _known_name(name: str) -> bool:
    """Whether a header names a field of some import kind (an alias or the field itself)."""
    from creatormix.ingest.fields import FIELDS, alias_index, header_key

    key = header_key(name)
    return bool(key) and any(key in alias_index(kind) for kind in FIELDS)


def _refuse_split_names(path: Path, header: list[str], data: list[list[str]]) -> None:
    """Refuse a header line broken inside a column name (it ends in "coun" and the next line
    is "try"): loading would drop that column. (A name wrapped inside one quoted cell is read
    glued back, by ``table_start``.)"""
    if not data or not header or len(data[0]) >= len(header):
        return
    rest = data[1:201]
    if rest and sum(len(r) == len(header) for r in rest) * 2 <= len(rest):
        return
    last, more = header[-1].strip(), data[0][0].strip()
    if not _known_name(last) and _known_name(last + more):
        raise FileFormatProblem(
            f"{path}: the header is split across lines: its last name {last!r} goes on as "
            f"{more!r} on the next line ({last + more!r}). Put every column name on the first line."
        )


def _ends_in_open_quote(path: Path, encoding: str, last: pa.RecordBatch) -> bool:
    """Whether the file ends inside a quoted cell, which then holds the rest of the file.

    Such a cell (of the last row) spans lines and is what the file ends with; a quoted cell that
    is closed is followed by its closing quote.
    """
    tail = [last.column(i)[last.num_rows - 1].as_py() for i in range(last.num_columns)]
    spanning = [c for c in tail if isinstance(c, str) and ("\n" in c or "\r" in c)]
    if not spanning:
        return False
    longest = max(len(c) for c in spanning)
    size = path.stat().st_size
    with path.open("rb") as fh:
        fh.seek(max(0, size - 4 * longest - 16))
        text = fh.read().decode(encoding, errors="ignore")
    return any(text.endswith(c) for c in spanning)


def _one_batch(table: pa.Table) -> pa.RecordBatch:
    return table.combine_chunks().to_batches()[0]


def _delimiter_name(delim: str) -> str:
    return {"\t": "tabs", ";": "semicolons", "|": "pipes"}.get(delim, repr(delim))


def _arrow_encoding(encoding: str) -> str:
    return "utf8" if encoding in {"utf-8", "utf-8-sig"} else encoding


def _physical_lines(sample: str, delim: str, records: int) -> int:
    """How many physical lines the first ``records`` records occupy."""
    reader = csv.reader(
        io.StringIO(sample), delimiter=delim, quotechar='"', doublequote=True, strict=False
    )
    seen = 0
    for row in reader:
        if any(c.strip() for c in row):
            seen += 1
        if seen == records:
            return reader.line_num
    return records


class _LineIndex:
    """Maps data record numbers to the physical line where each record starts (built on demand).

    Records are counted as Arrow's reader counts them: from the first line after the header's
    ``header_lines``, empty lines left out, malformed records included.
    """

    def __init__(self, path: Path, encoding: str, delim: str, header_lines: int) -> None:
        self.path, self.encoding, self.delim = path, encoding, delim
        self.header_lines = header_lines
        self._starts: list[int] | None = None
        self._widths: list[int] = []
        self._texts: dict[str, int] = {}

    def _build(self) -> list[int]:
        starts: list[int] = []
        with self.path.open("r", encoding=self.encoding, newline="") as fh:
            reader = csv.reader(
                fh, delimiter=self.delim, quotechar='"', doublequote=True, strict=False
            )
            previous_end = 0
            for row in reader:
                start = previous_end + 1
                previous_end = reader.line_num
                if start <= self.header_lines or not row:
                    continue
                starts.append(start)
                self._widths.append(len(row))
                self._texts.setdefault(self.delim.join(row), start)
        return starts

    def _index(self) -> list[int]:
        if self._starts is None:
            self._starts = self._build()
        return self._starts

    def line_of(self, record: int) -> int | None:
        starts = self._index()
        return starts[record] if 0 <= record < len(starts) else None

    def locate_bad(self, bad: BadRecord) -> int | None:
        """The line of a malformed record: by its number, or by its text if the two readers
        disagree about where records start (odd quoting)."""
        starts = self._index()
        record = bad.record
        if record is not None and 0 <= record < len(starts) and self._widths[record] == bad.fields:
            return starts[record]
        return self._texts.get(bad.text.rstrip("\r\n"))


# --- JSON ------------------------------------------------------------------------------------


def _flatten(obj: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in obj.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, name + "."))
        else:
            out[name] = value
    return out


def _cell(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(value, ensure_ascii=False)


def _open_json(path: Path, facts: FileFacts, *, lines: bool) -> Source:
    """A JSON array or JSON Lines file; a line or an array item that is no object is a bad record
    (rejected with its line and reason), never the end of the import."""
    text = path.read_text(encoding=facts.encoding)
    records: list[dict[str, Any]] = []
    record_lines: list[int] = []  # by data record number, bad records included
    bad: list[BadRecord] = []
    if lines:
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                reason: str | None = f"invalid JSON at column {exc.colno} ({exc.msg})"
            else:
                reason = None if isinstance(obj, dict) else _not_an_object(obj)
            if reason is None:
                records.append(_flatten(obj))
            else:
                bad.append(BadRecord(len(record_lines), number, line[:200], reason))
            record_lines.append(number)
    else:
        records, record_lines, bad = _json_document(path, text)
    if not records and bad:
        first = bad[0]
        raise FileFormatProblem(
            f"{path}: no record could be read (line {first.line}: {first.reason}); nothing was imported"
        )
    header: list[str] = list(dict.fromkeys(k for r in records for k in r))
    if not header:
        raise FileFormatProblem(f"{path}: no records found")
    ids = [f"c{i}" for i in range(len(header))]

    def batches() -> Iterator[pa.RecordBatch]:
        for start in range(0, len(records), BATCH_ROWS):
            chunk = records[start : start + BATCH_ROWS]
            arrays = [pa.array([_cell(r.get(name)) for r in chunk], pa.string()) for name in header]
            yield pa.RecordBatch.from_arrays(arrays, names=ids)

    return Source(
        path=path,
        format="jsonl" if lines else "json",
        facts=facts,
        header=header,
        batches=batches,
        rows_estimate=len(records),
        locate=lambda i: record_lines[i] if 0 <= i < len(record_lines) else None,
        bad_records=bad,
        locate_bad=lambda b: b.line,
    )


def _not_an_object(value: Any) -> str:
    kind = {list: "an array", str: "a string", bool: "true or false", type(None): "null"}
    return f"expected a JSON object, found {kind.get(type(value), 'a number')}"


def _json_document(
    path: Path, text: str
) -> tuple[list[dict[str, Any]], list[int], list[BadRecord]]:
    """Records of a JSON array (or of the first array under a top-level object), the line of
    every item, and the items that are no object."""
    decoder = json.JSONDecoder()
    stripped = text.lstrip()
    offset = len(text) - len(stripped)
    try:
        doc, _ = decoder.raw_decode(stripped)
    except json.JSONDecodeError as exc:
        line = text.count("\n", 0, offset + exc.pos) + 1
        raise FileFormatProblem(f"{path}: line {line}: invalid JSON ({exc.msg})") from None
    if isinstance(doc, dict):
        arrays = [k for k, val in doc.items() if isinstance(val, list)]
        if not arrays:
            raise FileFormatProblem(
                f"{path}: expected a JSON array of records (or an object holding one)"
            )
        key = arrays[0]
        start = text.find("[", text.find(json.dumps(key)))
        items = doc[key]
    elif isinstance(doc, list):
        start = text.find("[")
        items = doc
    else:
        raise FileFormatProblem(f"{path}: expected a JSON array of records")
    records: list[dict[str, Any]] = []
    lines: list[int] = []
    bad: list[BadRecord] = []
    pos = start + 1
    for number, item in enumerate(items):
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        lines.append(text.count("\n", 0, pos) + 1)
        _, end = decoder.raw_decode(text, pos)
        if isinstance(item, dict):
            records.append(_flatten(item))
        else:
            bad.append(BadRecord(number, lines[-1], text[pos:end][:200], _not_an_object(item)))
        pos = end
    return records, lines, bad


# --- Excel ---


def _open_xlsx(path: Path, sheet: str | None) -> Source:
    """The first sheet of a workbook (or ``sheet``), its cells as the text a CSV export of it
    would hold: whole numbers without ".0", dates in ISO form. Rows are numbered as the sheet
    numbers them, so a reject's "line" is the sheet's row."""
    import zipfile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    facts = inspect_file(path, text=False)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise FileFormatProblem(f"{path}: not a readable Excel workbook ({exc})") from None
    try:
        names = list(book.sheetnames)
        warnings: list[ImportWarning] = []
        if sheet is None:
            chosen = names[0]
            if len(names) > 1:
                warnings.append(
                    ImportWarning(
                        f"read sheet {chosen!r}, the first of {len(names)} ({', '.join(names)}); "
                        "choose another with --sheet"
                    )
                )
        else:
            matches = [n for n in names if n == sheet] or [
                n for n in names if n.strip().lower() == sheet.strip().lower()
            ]
            if not matches:
                raise InvalidOption(
                    f"--sheet {sheet!r}: {path} has no such sheet (sheets: {', '.join(names)})"
                )
            chosen = matches[0]
        rows = [[_sheet_cell(c) for c in row] for row in book[chosen].iter_rows(values_only=True)]
    finally:
        book.close()
    first = next((i for i, r in enumerate(rows) if any(c.strip() for c in r)), None)
    if first is None:
        raise FileFormatProblem(f"{path}: sheet {chosen!r} is empty")
    records = [r for r in rows[first:] if any(c.strip() for c in r)]
    _raw, header, skip, more = table_start(path, records[:200])
    warnings += more
    # records are the non-blank rows after the header's, numbered with their sheet rows
    seen, data_start = 0, first
    for i in range(first, len(rows)):
        if any(c.strip() for c in rows[i]):
            seen += 1
        if seen == skip:
            data_start = i + 1
            break
    width = len(header)
    bad: list[BadRecord] = []
    kept: list[list[str]] = []
    lines: list[int] = []
    for i in range(data_start, len(rows)):
        row = rows[i]
        if not any(c.strip() for c in row):
            continue
        lines.append(i + 1)
        filled = len(row) - next((k for k, c in enumerate(reversed(row)) if c.strip()), 0)
        if filled > width:
            reason = f"record has {filled} fields but the header has {width}"
            bad.append(
                BadRecord(len(lines) - 1, i + 1, ",".join(row[:filled])[:200], reason, filled)
            )
            continue
        kept.append((row + [""] * width)[:width])
    ids = [f"c{i}" for i in range(width)]

    def batches() -> Iterator[pa.RecordBatch]:
        for start in range(0, len(kept), BATCH_ROWS):
            chunk = kept[start : start + BATCH_ROWS]
            arrays = [pa.array([r[j] for r in chunk], pa.string()) for j in range(width)]
            yield pa.RecordBatch.from_arrays(arrays, names=ids)

    return Source(
        path=path,
        format="xlsx",
        facts=facts,
        header=header,
        batches=batches,
        rows_estimate=len(kept),
        locate=lambda i: lines[i] if 0 <= i < len(lines) else None,
        warnings=warnings,
        bad_records=bad,
        locate_bad=lambda b: b.line,
    )


def _sheet_cell(value: Any) -> str:
    """A cell as text, the way a CSV export writes it."""
    from datetime import date, datetime, time

    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)


# --- Parquet ---------------------------------------------------------------------------------


def _open_parquet(path: Path) -> Source:
    import pyarrow.parquet as pq

    facts = inspect_file(path, text=False)
    try:
        pf = pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise FileFormatProblem(f"{path}: not a readable Parquet file ({exc})") from None
    header = list(pf.schema_arrow.names)
    ids = [f"c{i}" for i in range(len(header))]

    def batches() -> Iterator[pa.RecordBatch]:
        # One thread: the batch is parsed and written on other cores meanwhile, and Arrow's
        # decoding threads would only add their overhead (half the CPU for the same wall time).
        for batch in pf.iter_batches(batch_size=BATCH_ROWS, use_threads=False):
            yield pa.RecordBatch.from_arrays(list(batch.columns), names=ids)

    return Source(
        path=path,
        format="parquet",
        facts=facts,
        header=header,
        batches=batches,
        rows_estimate=pf.metadata.num_rows,
        locate=lambda i: None,
        line_based=False,
    )
