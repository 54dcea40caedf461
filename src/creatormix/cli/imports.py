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
from creatormix.views.imports import explanation_view, import_summary_view

if TYPE_CHECKING:
    from creatormix.views.imports import ExplanationView, ImportSummaryView, Line


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
    sheet: str | None,
    explain: bool,
) -> None:
    from creatormix.domain.imports import ImportKind, ImportOptions, ImportRequest, parse_mapping

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
            sheet=sheet,
        )
    except ValueError as exc:
        raise InvalidOption(str(exc)) from None
    request = ImportRequest(ImportKind(kind), file, options, rejects)
    if explain:
        with open_workspace(create=True) as ws:
            explained = explanation_view(ws.explain_import(request))
        render_explanation(explained, as_json=as_json)
        return
    with open_workspace(create=True) as ws, progress_bar(not as_json and not quiet) as progress:
        report = ws.import_file(request, progress=progress)
    view = import_summary_view(report, quiet=quiet)
    if as_json:
        print_json(view.to_json())
        return
    render_import(view)


_HEADLINE_STYLES = {"bold": "bold", "good": "green", "bad": "red", "": ""}
_LABELS = {
    "inferred": "[cyan]inferred:[/] ",
    "checked": "[dim]checked:[/] ",
    "warning": "[yellow]warning:[/] ",
}


def render_lines(lines: tuple[Line, ...]) -> None:
    """Each line of a view, indented, its label styled; the text itself is never markup."""
    from rich.markup import escape

    out = console()
    for line in lines:
        label = _LABELS.get(line.label or "", "")
        out.print("  " * line.depth + label + escape(line.text), soft_wrap=True)


def render_import(view: ImportSummaryView) -> None:
    from rich.markup import escape

    console().print(
        "".join(
            f"[{_HEADLINE_STYLES[style]}]{escape(text)}[/]" if style else escape(text)
            for text, style in view.headline
        )
    )
    render_lines(view.lines)


def render_explanation(view: ExplanationView, *, as_json: bool) -> None:
    """``import … --explain``: the column table, then what would be inferred or refused."""
    from rich.table import Table

    if as_json:
        print_json(view.to_json())
        return
    table = Table(title=view.title, title_justify="left")
    for label, justify in view.columns:
        table.add_column(label, justify="right" if justify == "right" else "left")
    for row in view.rows:
        table.add_row(*row)
    out = console()
    out.print(table)
    render_lines(view.lines)
    if view.problems:
        out.print("  the import would stop:", markup=False)
        for problem in view.problems:
            out.print(f"    {problem}", markup=False)
    out.print("nothing was imported (--explain)")


def import_command(kind: str, doc: str) -> None:
    """Add ``creatormix import <kind>`` (every kind has the same options), documented by ``doc``."""

    def command(
        file: Annotated[
            Path,
            typer.Argument(help="CSV/TSV, JSON, JSONL, Parquet or Excel file.", exists=False),
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
                help="csv, tsv, json, jsonl, parquet or xlsx (from the content when omitted).",
            ),
        ] = None,
        strict: Annotated[
            bool,
            typer.Option(
                "--strict",
                help="Import nothing if any record is rejected, and refuse every inference "
                "(each refusal names the --map that accepts it).",
            ),
        ] = False,
        lenient: Annotated[
            bool,
            typer.Option(
                "--lenient",
                help="Leave out columns whose content contradicts their name (never load them as "
                "another field), also with --strict.",
            ),
        ] = False,
        rejects: Annotated[
            Path | None,
            typer.Option(
                "--rejects",
                help="Where to write the reject CSV (default: rejects/ next to the workspace).",
            ),
        ] = None,
        sheet: Annotated[
            str | None,
            typer.Option(
                "--sheet", help="Excel workbooks: the sheet to read (default: the first)."
            ),
        ] = None,
        explain: Annotated[
            bool,
            typer.Option(
                "--explain",
                help="Print how each column will be read (field, rule, what the values look "
                "like, examples, confidence) and exit without importing.",
            ),
        ] = False,
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
            sheet,
            explain,
        )

    command.__doc__ = doc
    import_app.command(kind)(command)
