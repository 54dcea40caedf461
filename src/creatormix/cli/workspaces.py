"""Workspace commands that name two workspaces: copy."""

from __future__ import annotations

from typing import Annotated

import typer

from creatormix.cli.common import JsonOpt
from creatormix.cli.render import console, print_json, progress_bar
from creatormix.errors import WorkspaceProblem


def register(app: typer.Typer) -> None:
    app.command("copy")(copy)


def copy(
    source: Annotated[
        str, typer.Argument(help="The workspace to copy: a DuckDB file or a postgresql:// URL.")
    ],
    target: Annotated[
        str,
        typer.Argument(
            help="Where to: a new (or empty) DuckDB file, or a postgresql:// URL of an empty "
            "database (created when the role may)."
        ),
    ],
    as_json: JsonOpt = False,
) -> None:
    """Copy a workspace between a file and a team database (either way), then verify it: the
    rows and a checksum of every table, on both sides. All or nothing: a copy that does not
    verify is not kept."""
    from rich.table import Table

    from creatormix.workspace import Workspace

    with progress_bar(not as_json) as progress:
        report = Workspace.copy_workspace(source, target, progress=progress)
    if not report.verified:  # copy_workspace raises first; never report an unverified copy
        raise WorkspaceProblem(f"the copy into {report.target} did not verify")
    if as_json:
        print_json(
            {
                "source": report.source,
                "target": report.target,
                "schema_version": report.schema_version,
                "verified": report.verified,
                "rows": report.rows,
                "tables": [
                    {
                        "table": t.table,
                        "source_rows": t.source_rows,
                        "target_rows": t.target_rows,
                        "source_checksum": t.source_checksum,
                        "target_checksum": t.target_checksum,
                        "matches": t.matches,
                    }
                    for t in report.tables
                ],
                "rebuilt": list(report.derived),
            }
        )
        return
    table = Table(title=f"{report.source} -> {report.target}", title_justify="left")
    for col, justify in (("table", "left"), ("rows", "right"), ("checksum (sha256)", "left")):
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    table.add_column("", justify="left")
    for t in report.tables:
        table.add_row(t.table, f"{t.target_rows:,}", t.target_checksum[:16], "same")
    console().print(table)
    rebuilt = f"; rebuilt {', '.join(report.derived)}" if report.derived else ""
    console().print(
        f"Copied and verified: {len(report.tables)} tables, {report.rows:,} rows, the same "
        f"counts and checksums on both sides (schema {report.schema_version}){rebuilt}"
    )
