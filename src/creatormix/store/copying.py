"""Moving a workspace between engines, table by table, and proving the copy equal.

Every table the migrations make is copied (``schema_migrations`` excepted: the destination ran
the same migrations); derived tables are rebuilt from the copied facts by the caller. The
checksum of a table is engine-independent: each value in a canonical text form (timestamps as
microseconds, lists element by element, bytes in hex, NULL distinct from every value), a row as
those values joined, the rows sorted, SHA-256 over the result. Equal tables give equal checksums
whatever order or Arrow types an engine returns them in.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from creatormix.domain.copying import TableCheck
from creatormix.domain.query import Progress, no_progress
from creatormix.store.migrations import workspace_tables

if TYPE_CHECKING:
    import pyarrow as pa

    from creatormix.store.core import Store

__all__ = ["checksum", "copied_tables", "copy_tables", "tables_holding_rows"]

_NULL = "\x00"  # never in a value's canonical form (text from either engine holds no NUL)
_FIELD = "\x1f"
_ITEM = "\x1e"


def copied_tables() -> list[str]:
    """The tables ``copy`` moves, in migration order."""
    return [name for name in workspace_tables() if name != "schema_migrations"]


def tables_holding_rows(store: Store) -> list[str]:
    """The copied tables of ``store`` that hold at least one row."""
    present = set(store.con.list_tables())
    return [
        name
        for name in copied_tables()
        if name in present and int(store.table(name).count().to_pyarrow().as_py()) > 0
    ]


def copy_tables(
    source: Store, target: Store, *, progress: Progress = no_progress
) -> list[TableCheck]:
    """Copy every table's rows from ``source`` into ``target`` (inside the caller's write
    transaction on ``target`` and read snapshot on ``source``) and check each one."""
    names = copied_tables()
    checks: list[TableCheck] = []
    for done, name in enumerate(names):
        progress("copying", done, len(names))
        data = source.fetch(source.table(name))
        target.append(name, data)
        copied = target.fetch(target.table(name))
        checks.append(
            TableCheck(
                table=name,
                source_rows=data.num_rows,
                target_rows=copied.num_rows,
                source_checksum=checksum(data),
                target_checksum=checksum(copied),
            )
        )
    progress("copying", len(names), len(names))
    return checks


def checksum(data: pa.Table) -> str:
    """SHA-256 of the table's rows in canonical form and order (columns taken by name, sorted)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    digest = hashlib.sha256()
    names = sorted(data.column_names)
    digest.update(_FIELD.join(names).encode())
    if data.num_rows == 0:
        return digest.hexdigest()
    fields = [_canonical(data.column(name).combine_chunks()) for name in names]
    rows = pc.binary_join_element_wise(*fields, _FIELD).cast(pa.large_string())
    ordered = pc.take(rows, pc.sort_indices(rows))
    # the sorted rows' lengths, then their bytes one after another: unambiguous, and no Python
    # loop over millions of rows
    digest.update(pc.binary_length(ordered).to_numpy(zero_copy_only=False).tobytes())
    import numpy as np

    _, offset_buffer, values = ordered.buffers()
    offsets = np.frombuffer(offset_buffer, dtype=np.int64)[ordered.offset :][: len(ordered) + 1]
    if values is not None:
        digest.update(memoryview(values)[int(offsets[0]) : int(offsets[-1])])
    return digest.hexdigest()


def _canonical(column: pa.Array) -> pa.Array:
    """The column as text, one canonical form per value, NULL as a NUL character."""
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = column.type
    if pa.types.is_large_list(kind):
        column, kind = column.cast(pa.list_(kind.value_type)), pa.list_(kind.value_type)
    if pa.types.is_timestamp(kind):
        text = column.cast(pa.timestamp("us", tz=kind.tz)).cast(pa.int64()).cast(pa.string())
    elif pa.types.is_date(kind):
        text = column.cast(pa.date32()).cast(pa.int32()).cast(pa.string())
    elif pa.types.is_list(kind):
        items = _canonical(column.values)
        lists = pa.ListArray.from_arrays(column.offsets, items, mask=column.is_null())
        lengths = pc.list_value_length(column).cast(pa.string())
        text = pc.binary_join_element_wise(lengths, pc.binary_join(lists, _ITEM), ":")
    elif pa.types.is_binary(kind) or pa.types.is_large_binary(kind):
        text = pa.array([None if v is None else v.hex() for v in column.to_pylist()], pa.string())
    elif pa.types.is_floating(kind):
        text = column.cast(pa.float64()).cast(pa.string())
    elif pa.types.is_integer(kind) or pa.types.is_decimal(kind):
        text = column.cast(pa.int64()).cast(pa.string())
    else:
        text = column.cast(pa.string())
    return pc.fill_null(text, _NULL)
