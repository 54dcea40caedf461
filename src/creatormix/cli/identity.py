"""Identity commands: creators duplicates, creators merge, creators merges, creators unmerge."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from creatormix.cli.common import JsonOpt, creators_app, open_workspace
from creatormix.cli.render import console, print_json
from creatormix.views.identity import (
    duplicates_view,
    merge_view,
    merges_view,
)

if TYPE_CHECKING:
    from creatormix.views.identity import IdentityTableView, MergeView


def register(app: typer.Typer) -> None:
    creators_app.command("duplicates")(duplicates)
    creators_app.command("merge")(merge)
    creators_app.command("unmerge")(unmerge)
    creators_app.command("merges")(merges)


def duplicates(as_json: JsonOpt = False) -> None:
    """List pairs of creators that are likely one account, with the evidence.

    A pair has alike handles or names and follower counts within 10%; merge one with
    `creators merge`.
    """
    with open_workspace() as ws:
        view = duplicates_view(ws.likely_duplicates())
    _table(view, as_json)


def merge(
    source: Annotated[str, typer.Argument(help="The entry to merge (platform:handle).")],
    target: Annotated[str, typer.Argument(help="The entry it is (platform:handle).")],
    force: Annotated[
        bool,
        typer.Option("--force", help="Merge a pair that does not look alike (checked by hand)."),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Merge two entries of one creator: SOURCE is read as TARGET everywhere (undo: unmerge).

    Its creator facts, posts and follower snapshots count as TARGET's.
    """
    with open_workspace() as ws:
        view = merge_view(ws.merge_creators(source, target, force=force))
    _sentence(view, as_json)


def unmerge(
    merge_id: Annotated[int, typer.Argument(help="The merge number (`creators merges`).")],
    as_json: JsonOpt = False,
) -> None:
    """Undo a merge: both entries are read as they were before it."""
    with open_workspace() as ws:
        view = merge_view(ws.undo_merge(merge_id))
    _sentence(view, as_json)


def merges(as_json: JsonOpt = False) -> None:
    """List every merge of two entries, by you or by an import, and whether it was undone."""
    with open_workspace() as ws:
        view = merges_view(ws.merges())
    _table(view, as_json)


def _sentence(view: MergeView, as_json: bool) -> None:
    if as_json:
        print_json(view.to_json())
        return
    console().print(view.sentence, markup=False)


def _table(view: IdentityTableView, as_json: bool) -> None:
    from rich.table import Table

    if as_json:
        print_json(view.to_json())
        return
    if not view.rows:
        console().print(view.empty)
        return
    table = Table(title=view.title, title_justify="left")
    for col in view.columns:
        table.add_column(col)
    for row in view.rows:
        table.add_row(*row)
    console().print(table)
    if view.hint:
        console().print(view.hint, markup=False)
