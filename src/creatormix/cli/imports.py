"""``creatormix import <kind>``: one command per import kind, all with the same options, and the
summary an import prints."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from creatormix.cli import options as opt
from creatormix.cli.common import JsonOpt, import_app, open_workspace
from creatormix.cli.render import console, print_json, progress_bar
from creatormix.errors import InvalidOption

if TYPE_CHECKING:
    from creatormix.domain.imports import ImportReport


def _import(
    kind: str,
    file: Path,
    platform: str | None,
    mapping: list[str] | None,
    decimal: str | None,
    dayfirst: bool,
    encoding: str | None,
    delimiter: str | None,
    fmt: str | None,
    strict: bool,
    lenient: bool,
    rejects: Path | None,
    as_json: bool,
    quiet: bool,
) -> None:
    from creatormix.domain.imports import ImportOptions, parse_mapping

    try:
        options = ImportOptions(
            platform=opt.platform(platform, "--platform") if platform else None,
            mapping=parse_mapping(mapping or []),
            decimal=decimal,
            dayfirst=dayfirst,
            encoding=encoding,
            delimiter=opt.delimiter(delimiter),
            format=fmt,
            strict=strict,
            lenient=lenient,
        )
    except ValueError as exc:
        raise InvalidOption(str(exc)) from None
    with open_workspace(create=True) as ws, progress_bar(not as_json and not quiet) as progress:
        report = ws.import_file(kind, file, options, progress=progress, rejects_path=rejects)
    if as_json:
        print_json(report)
        return
    render_import(report, quiet=quiet)


def render_import(report: ImportReport, *, quiet: bool = False) -> None:
    from rich.markup import escape

    out = console()
    if report.skipped:
        then = (
            f" (it rejected {report.rows_rejected:,} record(s) then)"
            if report.rows_rejected
            else ""
        )
        out.print(
            f"{report.file}: already imported as import #{report.already_imported_as}{then}; "
            "nothing changed",
            markup=False,
        )
        return
    out.print(
        f"[bold]Import #{report.import_id}[/] {report.kind.value} from {report.file}: "
        f"[green]{report.rows_accepted:,} accepted[/], "
        + (f"{report.rows_merged:,} merged into duplicates, " if report.rows_merged else "")
        + (f"[red]{report.rows_rejected:,} rejected[/]" if report.rows_rejected else "0 rejected")
        + f" of {report.rows_read:,} records"
    )
    if quiet:
        return
    if report.column_map:
        out.print("  columns: " + ", ".join(f"{k} → {v}" for k, v in report.column_map.items()))
    for w in report.warnings:
        out.print(f"  [yellow]warning:[/] {w.message}")
    if report.merges:
        out.print(
            f"  merged {len(report.merges)} duplicated creator(s) (latest non-empty value wins):"
        )
        for m in report.merges[:5]:
            conflicts = f"; differing: {', '.join(m.conflicts)}" if m.conflicts else ""
            out.print(f"    {m.key} from records {', '.join(map(str, m.records))}{conflicts}")
        if len(report.merges) > 5:
            out.print(f"    … and {len(report.merges) - 5} more")
    if report.rejects:
        reasons: dict[str, int] = {}
        for r in report.rejects:
            reasons[r.reason] = reasons.get(r.reason, 0) + 1
        out.print("  rejected values by reason:")
        ranked = sorted(reasons.items(), key=lambda kv: -kv[1])
        for reason, n in ranked[:8]:
            out.print(f"    {n:>6,} × {reason}", markup=False)
        if len(ranked) > 8:
            rest = sum(n for _, n in ranked[8:])
            out.print(f"    {rest:>6,} × {len(ranked) - 8} other reason(s)")
        for r in report.rejects[:_REJECTS_SHOWN]:
            where = f"line {r.line}" if r.line else (f"row {r.record}" if r.record else "?")
            col = f", column {r.column}" if r.column else ""
            value = f" {r.value!r}:" if r.value is not None else ""
            out.print(f"    {where}{col}:{value} {r.reason}", markup=False)
        more = len(report.rejects) - _REJECTS_SHOWN
        if more > 0:
            out.print(f"    … and {more:,} more (all in {report.rejects_file})", markup=False)
        else:
            out.print(f"  every reject is listed in [bold]{escape(str(report.rejects_file))}[/]")


_REJECTS_SHOWN = 5  # rejected values listed on screen; the reject CSV holds every one


def import_command(kind: str, doc: str) -> None:
    """Add ``creatormix import <kind>`` (every kind has the same options), documented by ``doc``."""

    def command(
        file: Annotated[
            Path, typer.Argument(help="CSV/TSV, JSON, JSONL or Parquet file.", exists=False)
        ],
        platform: Annotated[
            str | None,
            typer.Option(
                "--platform",
                "-p",
                help="Platform of rows without a platform column (instagram, tiktok, youtube, …).",
            ),
        ] = None,
        mapping: Annotated[
            list[str] | None,
            typer.Option(
                "--map",
                "-m",
                help="COLUMN=FIELD (or COLUMN=ignore); COLUMN#2 for the second column of that name.",
            ),
        ] = None,
        decimal: Annotated[
            str | None,
            typer.Option(
                "--decimal",
                help="Decimal separator: '.' (1,234.5) or ',' (1.234,5). Detected when omitted.",
            ),
        ] = None,
        dayfirst: Annotated[
            bool, typer.Option("--dayfirst", help="Read 01/02/2024 as 1 February.")
        ] = False,
        encoding: Annotated[
            str | None,
            typer.Option(
                "--encoding",
                help="Text encoding (detected when omitted: UTF-8, UTF-16 with BOM, Windows-1252).",
            ),
        ] = None,
        delimiter: Annotated[
            str | None,
            typer.Option(
                "--delimiter", help="CSV delimiter (detected when omitted); 'tab' for tabs."
            ),
        ] = None,
        fmt: Annotated[
            str | None,
            typer.Option(
                "--format",
                help="csv, tsv, json, jsonl or parquet (from the extension when omitted).",
            ),
        ] = None,
        strict: Annotated[
            bool, typer.Option("--strict", help="Import nothing if any record is rejected.")
        ] = False,
        lenient: Annotated[
            bool,
            typer.Option(
                "--lenient",
                help="Ignore columns whose content contradicts their name instead of stopping.",
            ),
        ] = False,
        rejects: Annotated[
            Path | None,
            typer.Option(
                "--rejects",
                help="Where to write the reject CSV (default: rejects/ next to the workspace).",
            ),
        ] = None,
        as_json: JsonOpt = False,
        quiet: Annotated[
            bool, typer.Option("--quiet", "-q", help="Only the summary line.")
        ] = False,
    ) -> None:
        _import(
            kind,
            file,
            platform,
            mapping,
            decimal,
            dayfirst,
            encoding,
            delimiter,
            fmt,
            strict,
            lenient,
            rejects,
            as_json,
            quiet,
        )

    command.__doc__ = doc
    import_app.command(kind)(command)
