"""The catalog pipeline's contracts: what ``profiles build`` is asked and what it reports.

``profiles build`` computes creator profiles from Parquet files on an engine (DuckDB in process,
or Apache Spark from a laptop to a cluster) into a Parquet folder; ``import profiles`` loads such
a folder into a workspace. docs/scale-out.md describes both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from creatormix.domain.imports import ImportOptions

ENGINES = ("duckdb", "spark")
PROFILES_FORMAT = "creatormix-profiles/1"  # the output folder's layout (its _manifest.json)

# Parsed rows (``ingest.batches``) carry what they are in this column: a canonical row, a reject
# or a warning; ``store.pipeline`` reads them back by it.
KIND_COLUMN = "_kind"
ROW_KIND, REJECT_KIND, WARNING_KIND = "row", "reject", "warning"

# The output folder's follower audits (``OUT/audits``), one row per sampled creator: the fields of
# ``FollowerAudit`` (``split``, ``split_counts`` and ``missing_fields`` as JSON objects), or only
# ``problem`` when the sample could not be scored.
AUDIT_COLUMNS = {
    "platform": "string",
    "handle": "string",
    "sample_size": "int64",
    "fake_share": "float64",
    "fake_low": "float64",
    "fake_high": "float64",
    "level": "float64",
    "effective_size": "float64",
    "raw_share": "float64",
    "base_rate": "float64",
    "low_confidence": "bool",
    "imputed_followers": "int64",
    "model": "string",
    "split": "string",
    "split_counts": "string",
    "missing_fields": "string",
    "problem": "string",
}


@dataclass(frozen=True)
class InputFile:
    """One input file: ``uri`` as the engine names it, ``display`` for messages, ``number`` its
    1-based place among its input's files by name (files count in that order, as if imported one
    after the other)."""

    uri: str
    display: str
    modified: datetime  # naive UTC, whole seconds (what every engine's file system can tell)
    size: int = 0  # bytes
    number: int = 0


@dataclass(frozen=True)
class EngineSettings:
    """Where the pipeline runs. ``memory`` and ``partitions`` mean the nearest thing per engine:
    the memory cap and thread count of DuckDB, the driver memory and shuffle partitions of Spark.
    """

    engine: str = "duckdb"
    master: str | None = None  # Spark master URL; None: local[*], or the session spark-submit made
    memory: str | None = None  # "4GB", "500MB"
    executor_memory: str | None = None  # Spark executors (a cluster); "8GB"
    partitions: int | None = None
    conf: tuple[tuple[str, str], ...] = ()  # further Spark settings, --conf key=value


@dataclass(frozen=True)
class ProfilesBuildRequest:
    """Inputs are a path, a folder or a glob of Parquet files each (any URL Spark reads)."""

    creators: str
    out: str
    posts: str | None = None
    snapshots: str | None = None
    follower_samples: str | None = None
    engine: EngineSettings = field(default_factory=EngineSettings)
    tier_scheme: str = "default"
    metric_params: Mapping[str, Any] = field(default_factory=dict)
    options: ImportOptions = field(default_factory=ImportOptions)
    # when a creator row states no observation time; None: its file's modification time
    observed_at: datetime | None = None
    rebuild: bool = False  # recompute even when the output was built from these very inputs


@dataclass(frozen=True)
class InputSummary:
    """One input of the pipeline: how many files and records, and what became of them."""

    kind: str
    pattern: str
    files: int
    records: int
    accepted: int
    rejected: int


@dataclass(frozen=True)
class RejectCount:
    """Rejected records of one kind for one reason (the rejects Parquet has each record)."""

    kind: str
    column: str | None
    reason: str
    records: int
    first_file: str
    first_record: int | None  # 1-based, as the embedded importer numbers records


@dataclass(frozen=True)
class ProfilesBuildReport:
    out: str
    engine: str
    engine_description: str
    ui_url: str | None
    inputs: tuple[InputSummary, ...]
    creators: int
    tiers: Mapping[str, int]
    audited: int  # creators whose follower sample was scored
    rejected: int
    reject_summary: tuple[RejectCount, ...]
    warnings: tuple[str, ...]
    outputs: Mapping[str, str]
    seconds: float
    fingerprint: str
    unchanged: bool = False  # the folder already held profiles of exactly these inputs


@dataclass(frozen=True)
class ProfilesImportRequest:
    """A folder ``profiles build --out`` wrote, on this machine (``Workspace.import_profiles``)."""

    folder: Path


@dataclass(frozen=True)
class ProfilesImportReport:
    source: str
    creators: int
    audits: int
    import_id: int | None
    replaced: int  # profiles of an earlier `import profiles` that this one replaced
    overridden: int  # imported creators the workspace's own imports describe (those win)
    engine: str
    built_at: datetime | None
    tier_scheme: str  # the scheme the profiles' tiers were built with
    workspace_tier_scheme: str  # the workspace's (imported creators keep the tiers they have)
    already_imported_as: int | None = None  # the workspace holds these profiles already
    seconds: float = 0.0

    @property
    def skipped(self) -> bool:
        return self.already_imported_as is not None
