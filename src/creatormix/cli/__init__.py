"""The ``creatormix`` command line (Typer + Rich), a thin layer over the Workspace facade."""

from __future__ import annotations


def main() -> None:
    from creatormix.cli.app import main as run

    run()


__all__ = ["main"]
