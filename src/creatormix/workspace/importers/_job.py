"""The contract between the import pipeline (``Workspace.import_file``) and one kind's importer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from creatormix.domain.imports import ImportOutcome
from creatormix.domain.query import Progress

if TYPE_CHECKING:
    from creatormix.ingest.readers import Source
    from creatormix.ingest.tabulate import Tabulator
    from creatormix.store.core import Store


@dataclass(frozen=True)
class ImportJob:
    """What an importer works with, inside the import's transaction: the store, the file's
    tabulated records (``tab.chunks()``), the source it reads (for line numbers), the import's id
    and time, the file as messages name it, and the progress callback."""

    store: Store
    tab: Tabulator
    source: Source
    import_id: int
    display: str
    now: datetime
    progress: Progress


@dataclass(frozen=True)
class Importer:
    """One kind's writer, and whether the catalog metrics are computed from what it writes
    (then the pipeline rebuilds them in the same transaction)."""

    write: Callable[[ImportJob], ImportOutcome]
    feeds_metrics: bool = False
