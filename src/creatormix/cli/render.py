"""Rendering for the terminal: consoles, number formats, JSON output and progress bars.

The only module of the package that prints. Data goes to stdout, progress and errors to stderr, so
``--json`` output can be piped.
"""

from __future__ import annotations

import dataclasses
import json
import math
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import Any

from rich.console import Console

from creatormix.domain.query import Progress


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


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def print_json(value: Any) -> None:
    """Write ``value`` (dataclasses, enums, dates allowed) as JSON to stdout."""
    sys.stdout.write(json.dumps(_jsonable(value), indent=2, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def fmt_count(n: float | None) -> str:
    """A quantity in short form, rounded as every sentence rounds it (``domain.numbers``)."""
    from creatormix.domain.numbers import quantity

    return quantity(n)


def fmt_followers(n: float | None) -> str:
    """A follower count in short form, truncated: 9,999 shows as "9.9k", never "10.0k"."""
    from creatormix.domain.numbers import followers

    return followers(n)


def fmt_pct(x: float | None, digits: int = 2) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    return f"{x * 100:.{digits}f}%"


def fmt_money(x: float | None, currency: str | None = None) -> str:
    if x is None:
        return "—"
    symbol = {"USD": "$", "EUR": "€", "GBP": "£"}.get(currency or "USD", "")
    text = f"{x:,.0f}"
    return f"{symbol}{text}" if symbol else f"{text} {currency}"


def fmt_interval(low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return ""
    return f"{low * 100:.1f}–{high * 100:.1f}%"


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
