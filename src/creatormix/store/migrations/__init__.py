"""Numbered schema migrations; a workspace records each one it has applied.

A migration is a function of the open store that creates tables of Ibis column types (the
store writes each engine's DDL). They run in order, inside one transaction, when a workspace
from an older version is opened. Versions are
never reused; a test opens a workspace made at every earlier version and migrates it.

Versions were handed out to parallel work before it merged, so a workspace can be at version 4
without version 2 (made before the planner merged). A migration runs when its version is not yet
recorded in ``schema_migrations``, not only when it is above the highest one recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from creatormix.store.migrations import (
    m001_catalog,
    m002_planning,
    m003_vetting,
    m004_campaigns,
    m005_identity,
    m006_accounts,
)

if TYPE_CHECKING:
    from creatormix.store.migrations._schema import SchemaStore


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    apply: Callable[[SchemaStore], None]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "catalog: imports, creator and post facts, follower snapshots, settings",
        m001_catalog.apply,
    ),
    Migration(
        2,
        "planning: saved plans and picks, follower lists and their sketches",
        m002_planning.apply,
    ),
    Migration(
        3,
        "vetting: follower samples, audience shares, comments",
        m003_vetting.apply,
    ),
    Migration(
        4,
        "campaigns: deals and events, clicks, orders, analytics, learned rates",
        m004_campaigns.apply,
    ),
    Migration(
        5,
        "identity: how imports read their columns, merges of a creator's identities",
        m005_identity.apply,
    ),
    Migration(
        6,
        "accounts: users, sessions, API tokens, the audit log, shortlists",
        m006_accounts.apply,
    ),
)

CURRENT_VERSION = max(m.version for m in MIGRATIONS)


def workspace_tables() -> dict[str, dict[str, str]]:
    """Every table the migrations make, with its Ibis column types (what ``copy`` moves and
    checks; derived tables such as ``creator_metrics`` are rebuilt, not copied)."""
    out: dict[str, dict[str, str]] = {}
    for module in (
        m001_catalog,
        m002_planning,
        m003_vetting,
        m004_campaigns,
        m005_identity,
        m006_accounts,
    ):
        out |= module.TABLES
    return out


def applied_versions(store: SchemaStore) -> set[int]:
    if not store.has_table("schema_migrations"):
        return set()
    rows = store.records("SELECT version FROM schema_migrations")
    return {int(r["version"]) for r in rows if r["version"] is not None}


def pending(store: SchemaStore, target: int | None = None) -> list[int]:
    """Versions (up to ``target``) this workspace has not recorded yet."""
    target = CURRENT_VERSION if target is None else target
    done = applied_versions(store)
    return [m.version for m in MIGRATIONS if m.version <= target and m.version not in done]


def migrate(store: SchemaStore, *, target: int | None = None) -> list[int]:
    """Apply every migration not yet recorded (up to ``target``), in order; returns versions applied."""
    from creatormix.store.clock import utcnow
    from creatormix.store.dialects import literal

    applied: list[int] = []
    target = CURRENT_VERSION if target is None else target
    with store.transaction():
        todo = set(pending(store, target))
        for m in sorted(MIGRATIONS, key=lambda m: m.version):
            if m.version in todo:
                m.apply(store)
                at = utcnow().isoformat(sep=" ")
                store.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES "
                    f"({literal(m.version)}, {literal(m.name)}, TIMESTAMP {literal(at)})"
                )
                applied.append(m.version)
    return applied
