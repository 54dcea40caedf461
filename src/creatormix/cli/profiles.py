"""Catalog pipeline commands: ``profiles build`` (DuckDB or Spark) and ``import profiles``."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from creatormix.cli import options as opt
from creatormix.cli.common import JsonTablesOpt, import_app, open_workspace
from creatormix.cli.render import console, error_console, print_json, progress_bar
from creatormix.errors import InvalidOption
from creatormix.views.profiles import INPUT_COLUMNS

if TYPE_CHECKING:
    from creatormix.views.profiles import BuildView, ImportView

profiles_app = typer.Typer(
    help="Compute creator profiles from Parquet files, on DuckDB or Apache Spark (a laptop or a cluster).",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(profiles_app, name="profiles")
    import_app.command("profiles")(import_profiles)


@profiles_app.command("build")
def build(
    creators: Annotated[
        str,
        typer.Option(
            "--creators", help="Creators: a Parquet file, folder or glob (any URL Spark reads)."
        ),
    ],
    out: Annotated[
        str, typer.Option("--out", help="Output folder (replaced whole when the build is done).")
    ],
    posts: Annotated[
        str | None, typer.Option("--posts", help="Posts: file, folder or glob.")
    ] = None,
    snapshots: Annotated[
        str | None, typer.Option("--snapshots", help="Follower snapshots: file, folder or glob.")
    ] = None,
    follower_samples: Annotated[
        str | None,
        typer.Option("--follower-samples", help="Follower samples to audit: file, folder or glob."),
    ] = None,
    engine: Annotated[
        str, typer.Option("--engine", help="duckdb (in process) or spark.")
    ] = "duckdb",
    master: Annotated[
        str | None,
        typer.Option(
            "--master", help="Spark master (spark://host:7077, yarn, k8s://…); default local[*]."
        ),
    ] = None,
    memory: Annotated[
        str | None,
        typer.Option(
            "--memory", help="DuckDB's memory cap, or Spark's driver memory (4GB, 500MB)."
        ),
    ] = None,
    executor_memory: Annotated[
        str | None, typer.Option("--executor-memory", help="Memory per Spark executor (8GB).")
    ] = None,
    partitions: Annotated[
        int | None,
        typer.Option("--partitions", min=1, help="Spark shuffle partitions, or DuckDB threads."),
    ] = None,
    conf: Annotated[
        list[str] | None,
        typer.Option("--conf", help="A Spark setting KEY=VALUE (repeatable)."),
    ] = None,
    tiers: Annotated[
        str, typer.Option("--tiers", help="Tier scheme by name (see `creatormix tiers`).")
    ] = "default",
    platform: Annotated[
        str | None,
        typer.Option("--platform", "-p", help="Platform of rows whose files do not say."),
    ] = None,
    mapping: Annotated[
        list[str] | None,
        typer.Option("--map", help="COLUMN=FIELD or COLUMN=ignore, for every input (repeatable)."),
    ] = None,
    decimal: Annotated[
        str | None, typer.Option("--decimal", help="Decimal separator of text numbers: . or ,")
    ] = None,
    dayfirst: Annotated[
        bool, typer.Option("--dayfirst", help="Read 03/04/2025 as 3 April.")
    ] = False,
    lenient: Annotated[
        bool,
        typer.Option(
            "--lenient",
            help="Ignore a column that contradicts its name (else the file is rejected).",
        ),
    ] = False,
    observed_at: Annotated[
        str | None,
        typer.Option(
            "--observed-at",
            help="When creator rows without a time were observed (default: their file's time).",
        ),
    ] = None,
    rebuild: Annotated[
        bool,
        typer.Option("--rebuild", help="Compute again even if OUT holds profiles of these inputs."),
    ] = False,
    as_json: JsonTablesOpt = False,
) -> None:
    """Build creator profiles: import, every metric, tiers, follower audits, planner candidates.

    Bad rows never fail the job: they go to OUT/rejects with the importer's reasons, counted by
    reason in OUT/rejects_summary. `creatormix import profiles OUT` loads the result.
    """
    from creatormix.domain.imports import ImportOptions, parse_mapping
    from creatormix.domain.profiles import ENGINES, EngineSettings, ProfilesBuildRequest
    from creatormix.views.profiles import build_view, engine_line
    from creatormix.workspace import Workspace

    if engine not in ENGINES:
        raise InvalidOption(f"--engine {engine!r}: choose {' or '.join(ENGINES)}")
    try:
        options = ImportOptions(
            platform=opt.platform(platform, "--platform") if platform else None,
            mapping=parse_mapping(mapping or []),
            decimal=decimal,
            dayfirst=dayfirst,
            lenient=lenient,
        )
    except ValueError as exc:
        raise InvalidOption(str(exc)) from None
    request = ProfilesBuildRequest(
        creators=creators,
        out=out,
        posts=posts,
        snapshots=snapshots,
        follower_samples=follower_samples,
        engine=EngineSettings(
            engine=engine,
            master=master,
            memory=memory,
            executor_memory=executor_memory,
            partitions=partitions,
            conf=tuple(_conf(conf or [])),
        ),
        tier_scheme=tiers,
        options=options,
        observed_at=_when(observed_at),
        rebuild=rebuild,
    )

    def announce(description: str, ui_url: str | None) -> None:
        error_console().print(engine_line(description, ui_url), markup=False, highlight=False)

    with progress_bar(not as_json) as progress:
        report = Workspace.build_profiles(request, progress=progress, announce=announce)
    view = build_view(report)
    if as_json:
        print_json(view.to_json())
        return
    render_build(view)


def _conf(pairs: list[str]) -> list[tuple[str, str]]:
    out = []
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise InvalidOption(
                f"--conf {pair!r}: expected KEY=VALUE (e.g. spark.executor.cores=4)"
            )
        out.append((key.strip(), value.strip()))
    return out


def _when(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidOption(
            f"--observed-at {text!r}: expected a date or time such as 2026-10-01 or 2026-10-01T12:00"
        ) from None


def render_build(v: BuildView) -> None:
    from rich.table import Table

    out = console()
    if v.unchanged is not None:
        out.print(v.unchanged, markup=False)
        return
    t = Table(title=v.title)
    for col in INPUT_COLUMNS:
        t.add_column(col, justify="left" if col == INPUT_COLUMNS[0] else "right")
    for row in v.rows:
        t.add_row(*row)
    out.print(t)
    for line in (v.tiers, v.audited):
        if line:
            out.print(f"  {line}", markup=False)
    for w in v.warnings:
        out.print(f"  [yellow]warning:[/] {escape(w)}", highlight=False)
    if v.rejects_title:
        out.print(f"  {v.rejects_title}", markup=False)
        for line in v.rejects:
            out.print(f"    {line}", markup=False)
    out.print(f"  {v.next_step}", markup=False)


def import_profiles(
    folder: Annotated[
        Path, typer.Argument(help="A folder written by `creatormix profiles build --out`.")
    ],
    as_json: JsonTablesOpt = False,
) -> None:
    """Load profiles built by `profiles build` (on any engine) so plan, vetting and listings use them.

    The imported catalog replaces the one imported before; creators that this workspace's own
    imports describe are computed from those, which win.
    """
    from creatormix.domain.profiles import ProfilesImportRequest
    from creatormix.views.profiles import import_view

    with open_workspace(create=True) as ws, progress_bar(not as_json) as progress:
        view = import_view(ws.import_profiles(ProfilesImportRequest(folder), progress=progress))
    if as_json:
        print_json(view.to_json())
        return
    render_import(view)


def render_import(v: ImportView) -> None:
    out = console()
    out.print(v.summary, markup=False, highlight=False)
    for note in v.notes:
        out.print(f"  [yellow]note:[/] {escape(note)}", highlight=False)
