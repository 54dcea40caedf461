"""Numbered schema migrations; a workspace records each one it has applied.

A migration is a function of the open store that creates or alters tables through Ibis. They run in
order, inside one transaction, when a workspace from an older version is opened. Versions are
never reused; a test opens a workspace made at every earlier version and migrates it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from creatormix.store.migrations import m001_catalog, m002_planning

if TYPE_CHECKING:
    from creatormix.store.core import Store


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    apply: Callable[[Store], None]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "catalog: imports, creator and post facts, follower snapshots, settings",
        m001_catalog.apply,
    ),
    Migration(
        2,
        "planning: saved plans and picks, follower lists and sketches, learned rates",
        m002_planning.apply,
    ),
)

CURRENT_VERSION = max(m.version for m in MIGRATIONS)


def migrate(store: Store, *, target: int | None = None) -> list[int]:
    """Apply every migration above the workspace's version (up to ``target``); returns versions applied."""
    import pyarrow as pa

    from creatormix.store.core import utcnow

    applied: list[int] = []
    target = CURRENT_VERSION if target is None else target
    with store.transaction():
        version = store.schema_version()
        for m in sorted(MIGRATIONS, key=lambda m: m.version):
            if version < m.version <= target:
                m.apply(store)
                store.append(
                    "schema_migrations",
                    pa.table({"version": [m.version], "name": [m.name], "applied_at": [utcnow()]}),
                )
                applied.append(m.version)
    return applied
