"""What every command module shares: the global options' state, opening the workspace, the
``--json`` option and the command groups several modules add commands to.

Command modules import this module (and ``options``, ``render``, ``imports``), never each other,
and never ``app``: ``app`` imports them to register their commands.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from creatormix.workspace import Workspace


class _State:
    db: str | None = None
    debug: bool = False


state = _State()

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
JsonTablesOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]

import_app = typer.Typer(
    help="Import creators, posts or follower snapshots from CSV/TSV, JSON, JSONL, Parquet or Excel.",
    no_args_is_help=True,
)
creators_app = typer.Typer(help="List, filter and inspect creators.", no_args_is_help=True)


def open_workspace(*, create: bool = False) -> Workspace:
    """The workspace of ``--db`` (``$CREATORMIX_DB``, ``./creatormix.duckdb``); ``create`` makes it."""
    from creatormix.workspace import Workspace

    return Workspace.create(state.db) if create else Workspace.open(state.db)
