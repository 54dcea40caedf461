"""What a migration may use of the open store: ``store.core.Store`` has all of it.

Migrations type their argument with this protocol, never with ``store.core.Store``: the store
runs the migrations when it opens a file, so an import back to it would be an import circle.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pyarrow as pa


class SchemaStore(Protocol):
    def has_table(self, name: str) -> bool: ...

    def records(self, sql: str) -> list[dict[str, Any]]: ...

    def create_table(self, name: str, columns: dict[str, str]) -> None: ...

    def execute(self, sql: str) -> None: ...

    def table(self, name: str) -> ir.Table: ...

    def append(self, name: str, data: pa.Table) -> None: ...

    def transaction(self) -> AbstractContextManager[None]: ...
