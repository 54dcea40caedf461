"""What ``creatormix copy`` did: each table's rows and checksum on both sides."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TableCheck:
    """One table after a copy: rows and content checksum (SHA-256 over its rows in a canonical
    form and order, the same on every engine) in the source and in the destination."""

    table: str
    source_rows: int
    target_rows: int
    source_checksum: str
    target_checksum: str

    @property
    def matches(self) -> bool:
        return self.source_rows == self.target_rows and self.source_checksum == self.target_checksum


@dataclass(frozen=True)
class CopyReport:
    """A verified copy: ``tables`` in the order copied; ``derived`` tables rebuilt, not copied."""

    source: str
    target: str
    schema_version: int
    tables: tuple[TableCheck, ...]
    derived: tuple[str, ...]

    @property
    def rows(self) -> int:
        return sum(t.target_rows for t in self.tables)

    @property
    def verified(self) -> bool:
        return all(t.matches for t in self.tables)
