"""The root ``creatormix`` command: global options, error translation, sub-command registration.

Commands parse their arguments, make one call on the Workspace facade and render the result. Heavy
modules load inside the commands, so ``creatormix --help`` stays instant.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from creatormix.cli.common import state
from creatormix.errors import CreatormixError


class ErrorTranslatingGroup(TyperGroup):
    """Our errors become one red line on stderr and their exit code; tracebacks only with --debug."""

    def invoke(self, ctx: Any) -> Any:  # typer vendors click; its Context type is private
        try:
            return super().invoke(ctx)
        except CreatormixError as exc:
            if state.debug or os.environ.get("CREATORMIX_DEBUG"):
                raise
            _error_line(str(exc))
            raise typer.Exit(exc.exit_code) from None
        except BrokenPipeError:
            # the reader went away (`creatormix creators list --json | head -1`): nothing to say
            _silence_stdout()
            raise typer.Exit(1) from None
        except OSError as exc:
            # a file the user named cannot be read or written (missing folder, permissions, disk
            # full): the system's own words and the path, not a traceback
            if state.debug or os.environ.get("CREATORMIX_DEBUG"):
                raise
            where = f"{exc.filename}: " if exc.filename else ""
            _error_line(f"{where}{exc.strerror or exc}")
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            from creatormix.cli.render import error_console

            error_console().print("[red]interrupted; nothing half-written was kept[/]")
            raise typer.Exit(130) from None


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's last flush has nowhere to fail."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is no file (a test runner's buffer)
        pass
    finally:
        os.close(devnull)


def _error_line(message: str) -> None:
    """One red line on stderr; the message is text, never Rich markup (``[deals]`` stays)."""
    from rich.markup import escape

    from creatormix.cli.render import error_console

    error_console().print(
        f"[bold red]error:[/] {escape(message)}", markup=True, highlight=False, soft_wrap=True
    )


app = typer.Typer(
    name="creatormix",
    cls=ErrorTranslatingGroup,
    help="Micro or macro? Import creator catalogs, vet them, plan the best mix for a budget, measure what it returned.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode="rich",
)


def _version(value: bool) -> None:
    if value:
        from creatormix import __version__

        typer.echo(f"creatormix {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="CREATORMIX_DB",
            help="Workspace file (default ./creatormix.duckdb).",
            show_envvar=True,
        ),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    state.db = db
    state.debug = debug


def register() -> None:
    from creatormix.cli import campaigns, catalog, demo, planning, vetting

    catalog.register(app)
    demo.register(app)
    vetting.register(app)
    campaigns.register(app)
    planning.register(app)


register()


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except BrokenPipeError:  # `creatormix creators list | head`, outside any command
        _silence_stdout()
        sys.exit(1)
