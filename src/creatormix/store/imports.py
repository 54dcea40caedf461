"""How each import read its columns (``import_shapes``), to read the next export of the same
shape the same way."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from creatormix.store.migrations.m005_identity import IMPORT_SHAPES

if TYPE_CHECKING:
    from creatormix.domain.imports import ImportKind, Inference
    from creatormix.store.core import Store


def shape_of(kind: ImportKind, header: list[str]) -> str:
    """The key of a file's shape: its kind and its header names, in order."""
    return hashlib.sha256(json.dumps([kind.value, header]).encode()).hexdigest()


def record_shape(
    store: Store,
    import_id: int,
    kind: ImportKind,
    header: list[str],
    decisions: dict[str, str],
    inferences: list[Inference],
    rows_skipped: int,
) -> None:
    import pyarrow as pa

    row: dict[str, Any] = {
        "import_id": import_id,
        "kind": kind.value,
        "shape": shape_of(kind, header),
        "header": json.dumps(header),
        "decisions": json.dumps(decisions),
        "inferences": json.dumps([{"topic": i.topic, "message": i.message} for i in inferences]),
        "rows_skipped": rows_skipped,
    }
    store.append("import_shapes", pa.Table.from_pylist([row]).select(list(IMPORT_SHAPES)))


def latest_inferred(
    store: Store, kind: ImportKind, header: list[str]
) -> tuple[int, dict[str, str], list[str]] | None:
    """(import id, column decisions, inference topics) of the latest import of this shape
    whose columns were inferred (an import read by its header alone is nothing to reuse)."""
    t = store.table("import_shapes")
    rows = (
        t.filter((t.shape == shape_of(kind, header)) & (t.inferences != "[]"))
        .order_by(t.import_id.desc())
        .limit(1)
        .to_pyarrow()
        .to_pylist()
    )
    if not rows:
        return None
    topics = [i["topic"] for i in json.loads(rows[0]["inferences"])]
    return int(rows[0]["import_id"]), json.loads(rows[0]["decisions"]), topics


def skipped_rows(store: Store, import_ids: list[int]) -> dict[int, int]:
    from creatormix.store.dialects import literals

    if not import_ids:
        return {}
    rows = store.records(
        "SELECT import_id, rows_skipped FROM import_shapes "
        f"WHERE import_id IN ({literals(import_ids)})"
    )
    return {int(r["import_id"]): int(r["rows_skipped"] or 0) for r in rows}
