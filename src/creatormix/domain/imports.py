"""What an import did: accepted counts, merges, warnings and every rejected value."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from creatormix.domain.identity import LikelyDuplicate
from creatormix.domain.platform import Platform


class ImportKind(StrEnum):
    CREATORS = "creators"
    POSTS = "posts"
    SNAPSHOTS = "snapshots"
    FOLLOWERS_SAMPLE = "followers-sample"  # profiles of a sample of a creator's followers
    AUDIENCE = "audience"  # audience shares by country, age band, gender, language
    COMMENTS = "comments"  # comment texts on creators' posts
    ORDERS = "orders"  # store orders (Shopify export or generic), one row per order or line item
    ANALYTICS = "analytics"  # sessions and conversions by UTM parameters
    FOLLOWERS = "followers"  # follower lists (creator, follower id) for measured audience overlap
    PROFILES = "profiles"  # creator profiles computed elsewhere (`creatormix profiles build`)


# Why a post without a platform is rejected: the importer's words, also said in SQL by the catalog
# pipeline (store/pipeline.py), which resolves platforms across every file at once.
PLATFORM_REASON = "cannot tell the platform: @{handle} {why}; pass --platform"
PLATFORM_SEVERAL = "is on several platforms"
PLATFORM_UNKNOWN = "is not in the catalog"


@dataclass(frozen=True)
class Reject:
    """One value that could not be loaded: where it was, what it was and why.

    ``line`` is the 1-based physical line where the record starts (a quoted multi-line cell makes
    records span lines); ``record`` is the 1-based data record number.
    """

    file: str
    line: int | None
    record: int | None
    column: str | None
    value: str | None
    reason: str


@dataclass(frozen=True)
class ImportWarning:
    """Something loaded, but not as the file literally said (a column remapped, a value decoded)."""

    message: str
    column: str | None = None


@dataclass(frozen=True)
class Inference:
    """One thing the importer decided from the values, in one line: a change to what the
    header says, or a check that confirmed it (``changed`` False).

    ``topic`` is one of: pair, identity, name-key, remap, left-out, decorative, identical,
    profile, reused; ``accept`` is the ``--map`` that states a change explicitly (what --strict
    asks for; None when nothing changed).
    """

    topic: str
    message: str
    columns: tuple[str, ...] = ()
    field: str | None = None
    accept: str | None = None
    changed: bool = True


@dataclass(frozen=True)
class ColumnReading:
    """How one column of a file is read (``import --explain``)."""

    index: int  # 1-based, as --map '#5=...' counts
    header: str
    field: str | None
    rule: str  # alias, --map, inferred, paired, decorative, unknown, ignored, …
    examples: tuple[str, ...] = ()
    confidence: float | None = None  # share of the sampled values that read as the field
    note: str = ""


@dataclass(frozen=True)
class ImportExplanation:
    """What an import of a file would do, column by column, before anything is written."""

    file: str
    kind: ImportKind
    columns: tuple[ColumnReading, ...]
    inferences: tuple[Inference, ...] = ()
    warnings: tuple[ImportWarning, ...] = ()
    problems: tuple[str, ...] = ()  # what would stop the import


@dataclass(frozen=True)
class Merge:
    """Duplicate records of one creator in a file, merged into one (see docs/importing.md)."""

    key: str
    records: tuple[int, ...]
    conflicts: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportReport:
    """The outcome of one import; ``import_id`` is None when nothing was written.

    Every record read is accepted (stored), merged into another record of the same creator
    (``rows_merged``; the stored row holds both), rejected, or skipped as blank
    (``rows_skipped``): the four add up to ``rows_read``.
    """

    file: str
    kind: ImportKind
    file_hash: str
    rows_read: int
    rows_accepted: int
    rows_rejected: int
    import_id: int | None = None
    already_imported_as: int | None = None
    encoding: str = "utf-8"
    column_map: dict[str, str] = field(default_factory=dict)
    rejects: tuple[Reject, ...] = ()
    warnings: tuple[ImportWarning, ...] = ()
    merges: tuple[Merge, ...] = ()
    rejects_file: str | None = None
    imported_at: datetime | None = None
    rows_merged: int = 0
    inferences: tuple[Inference, ...] = ()
    rows_skipped: int = 0  # blank records, skipped and counted, never rejected
    cleared: tuple[Reject, ...] = ()  # unreadable optional values left empty (record kept)
    identity_merges: tuple[LikelyDuplicate, ...] = ()  # name-keyed creators given a handle

    @property
    def skipped(self) -> bool:
        return self.already_imported_as is not None


@dataclass(frozen=True)
class ImportRecord:
    """A row of the import log."""

    import_id: int
    kind: ImportKind
    file_name: str
    file_hash: str
    rows_read: int
    rows_accepted: int
    rows_rejected: int
    imported_at: datetime
    imported_by: str
    rows_merged: int = 0  # records merged into another record of the same creator
    rows_skipped: int = 0  # blank records, skipped


@dataclass(frozen=True)
class ImportOptions:
    """How to read one file. ``mapping`` keys are header names, ``name#2`` for the second column
    of that name, or ``#5`` for the fifth column; values are field names or ``ignore``."""

    platform: Platform | None = None
    mapping: Mapping[str, str] = field(default_factory=dict)
    decimal: str | None = None
    dayfirst: bool = False
    encoding: str | None = None
    delimiter: str | None = None
    format: str | None = None
    strict: bool = False
    lenient: bool = False
    sheet: str | None = None  # a workbook's sheet (the first when None)

    def fingerprint(self) -> str:
        """Options that change what is loaded; part of the idempotency key of an import."""
        parts = [
            f"platform={self.platform or ''}",
            "map=" + ",".join(f"{k}={v}" for k, v in sorted(self.mapping.items())),
            f"decimal={self.decimal or ''}",
            f"dayfirst={self.dayfirst}",
            f"encoding={self.encoding or ''}",
            f"lenient={self.lenient}",
        ]
        if self.sheet is not None:  # only when set: earlier imports keep their fingerprint
            parts.append(f"sheet={self.sheet}")
        return ";".join(parts)


def parse_mapping(pairs: list[str]) -> dict[str, str]:
    """``["Subs=followers", "views=ignore"]`` -> dict; ValueError on a malformed pair."""
    out: dict[str, str] = {}
    for pair in pairs:
        column, sep, target = pair.rpartition("=")
        if not sep or not column.strip() or not target.strip():
            raise ValueError(f"--map {pair!r}: expected COLUMN=FIELD (or COLUMN=ignore)")
        out[column.strip()] = target.strip()
    return out


@dataclass(frozen=True)
class ImportRequest:
    """One file to import (``Workspace.import_file``): what it holds, where, and how to read it.

    ``rejects_path`` is where the reject CSV goes (default: ``rejects/`` next to the workspace);
    ``refresh=False`` defers rebuilding the catalog metrics to the next read, for a batch.
    """

    kind: ImportKind
    path: Path
    options: ImportOptions = field(default_factory=ImportOptions)
    rejects_path: Path | None = None
    refresh: bool = True


@dataclass(frozen=True)
class ImportOutcome:
    """What one kind's importer wrote, inside the import's transaction: records accepted, its
    own rejects (beside the tabulator's), notes, and records merged into another (duplicates of
    a creator, listed in ``merges``; the line items of an order), so that accepted + merged +
    rejected add up to the records read."""

    accepted: int
    rejects: tuple[Reject, ...] = ()
    notes: tuple[ImportWarning, ...] = ()
    merged: int = 0
    merges: tuple[Merge, ...] = ()
    identity_merges: tuple[LikelyDuplicate, ...] = ()  # name-keyed creators this file identified
