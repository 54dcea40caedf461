"""Schema 5: how each import read its columns, and merges of one creator's two identities.

``import_shapes`` records, per import, the file's header and the decision taken for each column
(a field, ``ignore``, ``name-key`` or ``pair:#N``), so the next export of the same shape is read
the same way. ``creator_merges`` is an event log: a ``merge`` makes one (platform, handle) read
as another everywhere the catalog is read; an ``undo`` of that merge id takes it back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from creatormix.store.migrations._schema import SchemaStore

IMPORT_SHAPES = {
    "import_id": "int64",
    "kind": "string",
    "shape": "string",  # SHA-256 of the kind and the header names
    "header": "string",  # JSON list
    "decisions": "string",  # JSON object: "#1" -> field, "ignore", "name-key", "pair:#3"
    "inferences": "string",  # JSON list of {topic, message}
    "rows_skipped": "int64",
}

CREATOR_MERGES = {
    "event_id": "int64",
    "merge_id": "int64",
    "event": "string",  # "merge" or "undo"
    "platform": "string",
    "from_handle": "string",
    "into_handle": "string",
    "reason": "string",  # "confirmed" (creators merge) or "name-key" (an import found the handle)
    "evidence": "string",
    "import_id": "int64",  # the import that merged a name-keyed creator; null for a user's merge
    "at": "timestamp",
    "by": "string",
}


TABLES = {"import_shapes": IMPORT_SHAPES, "creator_merges": CREATOR_MERGES}


def apply(store: SchemaStore) -> None:
    for name, columns in TABLES.items():
        if not store.has_table(name):
            store.create_table(name, columns)
