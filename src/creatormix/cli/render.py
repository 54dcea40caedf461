"""Rendering for the terminal: consoles, number formats, JSON output and progress bars.

The only module of the package that prints. Data goes to stdout, progress and errors to stderr, so
``--json`` output can be piped.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

from rich.console import Console

from creatormix.domain.query import Progress
from creatormix.views._json import jsonable
from creatormix.views.format import fmt_count, fmt_followers, fmt_interval, fmt_money, fmt_pct

__all__ = [
    "console",
    "error_console",
    "fmt_count",
    "fmt_followers",
    "fmt_interval",
    "fmt_money",
    "fmt_pct",
    "print_json",
    "progress_bar",
    "score_style",
]


def console() -> Console:
    """Stdout console. Piped output gets a wide page (or $COLUMNS) instead of Rich's 80 columns,
    so tables stay readable in files and pagers. One per $COLUMNS and terminal-ness: Rich reads
    the width once, so a process that changes $COLUMNS (a test runner) gets a console that fits."""
    import os

    return _console(os.environ.get("COLUMNS"), sys.stdout.isatty())


@cache
def _console(columns: str | None, tty: bool) -> Console:
    width = None if tty or columns else 160
    return Console(highlight=False, soft_wrap=False, width=width)


@cache
def error_console() -> Console:
    return Console(stderr=True, highlight=False)


def print_json(value: Any) -> None:
    """Write ``value`` (dataclasses, enums, dates allowed) as JSON to stdout."""
    sys.stdout.write(json.dumps(jsonable(value), indent=2, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def score_style(level: str) -> str:
    """The colour of a view's level: good (green), fair (yellow), poor (red)."""
    return {"good": "green", "fair": "yellow"}.get(level, "red")


@contextmanager
def progress_bar(enabled: bool = True) -> Iterator[Progress]:
    """A Rich progress bar on stderr, one task per stage; a no-op callback when disabled or not a TTY."""
    if not enabled or not sys.stderr.isatty():
        yield lambda stage, done, total: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    labels = {
        "reading": "Reading",
        "writing": "Writing",
        "metrics": "Computing metrics",
        "generating": "Generating",
    }
    with Progress(
        TextColumn("{task.description:<18}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=error_console(),
        transient=True,
    ) as bar:
        tasks: dict[str, Any] = {}

        def update(stage: str, done: int, total: int | None) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(labels.get(stage, stage.capitalize()), total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update
