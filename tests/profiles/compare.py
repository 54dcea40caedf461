"""Comparing two profile folders: exact for counts, text, times and tiers, 1e-9 relative for rates."""

from __future__ import annotations

import math
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds

REL = 1e-9
KEY = ["platform", "handle"]


def read_output(folder: Path, table: str) -> pa.Table:
    """One table of a profiles folder, partition columns as text, sorted by creator."""
    data = ds.dataset(
        folder / table, format="parquet", partitioning=ds.partitioning(flavor="hive")
    ).to_table()
    for name in ("platform", "kind"):
        if name in data.column_names:
            i = data.column_names.index(name)
            data = data.set_column(i, name, data[name].cast(pa.string()))
    keys = [k for k in KEY if k in data.column_names]
    return data.sort_by([(k, "ascending") for k in keys]) if keys else data


def differences(left: pa.Table, right: pa.Table, *, limit: int = 10) -> list[str]:
    """What differs between two tables of one schema, row by row (empty when they agree)."""
    out: list[str] = []
    if sorted(left.column_names) != sorted(right.column_names):
        return [f"columns differ: {sorted(set(left.column_names) ^ set(right.column_names))}"]
    if left.num_rows != right.num_rows:
        return [f"{left.num_rows} rows against {right.num_rows}"]
    keys = [k for k in KEY if k in left.column_names]
    for name in left.column_names:
        a, b = left[name].to_pylist(), right[name].to_pylist()
        floating = pa.types.is_floating(left.schema.field(name).type)
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            if _same(x, y, floating):
                continue
            who = ":".join(str(left[k][i].as_py()) for k in keys) or f"row {i}"
            out.append(f"{name} of {who}: {x!r} against {y!r}")
            if len(out) >= limit:
                return out
    return out


def _same(x: object, y: object, floating: bool) -> bool:
    if x is None or y is None:
        return x is None and y is None
    if floating:
        fx, fy = float(x), float(y)  # type: ignore[arg-type]
        if math.isnan(fx) or math.isnan(fy):
            return math.isnan(fx) and math.isnan(fy)
        return math.isclose(fx, fy, rel_tol=REL, abs_tol=1e-300)
    return x == y
