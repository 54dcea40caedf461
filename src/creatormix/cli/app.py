"""The root ``creatormix`` command: global options, error translation, sub-command registration.

Commands parse their arguments, make one call on the Workspace facade and render the result. Heavy
modules load inside the commands, so ``creatormix --help`` stays instant.
"""

from __future__ import annotations

import json
import os
import sys
from types import SimpleNamespace
from typing import Annotated, Any

import typer
from typer._click.exceptions import UsageError  # typer vendors click: its errors live here
from typer.core import TyperGroup

from creatormix.cli.common import state
from creatormix.errors import CreatormixError


class ErrorTranslatingGroup(TyperGroup):
    """Our errors become one red line on stderr and their exit code (under ``--json``, a JSON
    object on stdout); tracebacks only with --debug."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _no_flag_placeholders(self)

    def invoke(self, ctx: Any) -> Any:  # typer vendors click; its Context type is private
        as_json = _wants_json([*ctx._protected_args, *ctx.args])  # before click consumes them
        try:
            return super().invoke(ctx)
        except CreatormixError as exc:
            if state.debug or os.environ.get("CREATORMIX_DEBUG"):
                raise
            if as_json:
                _error_json(_error_code(exc), str(exc))
            else:
                _error_line(str(exc))
            raise typer.Exit(exc.exit_code) from None
        except UsageError as exc:
            if not as_json:
                raise  # click prints the usage and the message itself
            _error_json("usage", exc.format_message())
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
        except Exception as exc:
            # the database server's own errors (a lost connection, a missing grant): one line
            # with the password masked, not a driver's traceback
            from creatormix.workspace import explain_error

            problem = explain_error(exc, state.db)
            if problem is None or state.debug or os.environ.get("CREATORMIX_DEBUG"):
                raise
            _error_line(str(problem))
            raise typer.Exit(getattr(problem, "exit_code", 1)) from None


def _wants_json(args: list[str]) -> bool:
    """``--json`` among the command line's options (not after ``--``, where it is a value)."""
    for arg in args:
        if arg == "--":
            return False
        if arg == "--json":
            return True
    return False


def _error_code(exc: CreatormixError) -> str:
    """The error's kind for machines (``invalid_option``, ``not_found``, ``rows_rejected`` …):
    the same ``code`` the REST API answers with."""
    return exc.code


def _error_json(code: str, message: str) -> None:
    """``{"error": {"code", "message"}}`` on stdout, where the command's JSON would have been."""
    typer.echo(json.dumps({"error": {"code": code, "message": message}}, ensure_ascii=False))


def _no_flag_placeholders(group: Any) -> None:
    """``--json`` in ``--help``, not ``--json <bool>``: a flag takes no value, so it shows none
    (Typer's help prints a type for every option; an empty metavar hides it for flags)."""
    # --help too: made on first use and kept, so make it now (the default name, as no command
    # renames it) and hide its placeholder as well
    help_option = group.get_help_option(SimpleNamespace(help_option_names=["--help"]))
    for param in [*group.params, *([help_option] if help_option is not None else [])]:
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""
    for command in getattr(group, "commands", {}).values():
        _no_flag_placeholders(command)


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
            help="Workspace: a DuckDB file (default ./creatormix.duckdb) or a postgresql:// URL "
            "(a password may stay in ~/.pgpass; postgresql:///?service=NAME names a service).",
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
    from creatormix.cli import (
        accounts,
        backtest,
        campaigns,
        catalog,
        demo,
        identity,
        planning,
        profiles,
        vetting,
        workspaces,
    )

    catalog.register(app)
    identity.register(app)
    demo.register(app)
    vetting.register(app)
    campaigns.register(app)
    planning.register(app)
    backtest.register(app)
    workspaces.register(app)
    profiles.register(app)
    accounts.register(app)


register()


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except BrokenPipeError:  # `creatormix creators list | head`, outside any command
        _silence_stdout()
        sys.exit(1)
