"""``creatormix demo``: build the synthetic demo workspace and show it by tier."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from creatormix.cli.render import console, print_json, progress_bar

DEMO_DB = "creatormix-demo.duckdb"


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


def demo(
    path: Annotated[
        str | None,
        typer.Argument(
            help=f"Where to build it, a file or a postgresql:// URL (default: --db if given, else ./{DEMO_DB})."
        ),
    ] = None,
    seed: Annotated[
        int, typer.Option("--seed", help="Random seed; the same seed gives the same catalog.")
    ] = 7,
    creators: Annotated[
        int, typer.Option("--creators", min=50, max=200_000, help="Number of synthetic creators.")
    ] = 3000,
    export_dir: Annotated[
        Path | None,
        typer.Option("--export-dir", help="Also keep the generated CSV/Parquet files here."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the tier summary as JSON.")
    ] = False,
) -> None:
    """Build a demo workspace of SYNTHETIC creators and posts (calibrated to published benchmarks) and print it by tier."""
    from creatormix.cli.catalog import render_tier_summary
    from creatormix.cli.common import state
    from creatormix.domain.labels import SYNTHETIC_LABEL as LABEL
    from creatormix.workspace import Workspace, default_db_path

    target = default_db_path(path or state.db or DEMO_DB)
    with (
        progress_bar(not as_json) as progress,
        Workspace.build_demo(
            target, seed=seed, creators=creators, export_dir=export_dir, progress=progress
        ) as ws,
    ):
        summary = ws.tier_summary()
        counts = ws.catalog_counts()
    if as_json:
        print_json({"label": LABEL, "workspace": str(target), "counts": counts, "summary": summary})
        return
    out = console()
    out.print(f"[bold yellow]{LABEL}[/]")
    out.print(
        f"Built [bold]{target}[/]: {counts['creators']:,} creators, {counts['posts']:,} posts."
    )
    render_tier_summary(summary, title="Demo catalog by tier")
    out.print(
        f"\nNext: creatormix --db {target} creators list --tier micro --country FR --min-er 3% --sort er"
    )
    out.print(f"      creatormix --db {target} audit --all --sampled --limit 10")
