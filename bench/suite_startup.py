"""Start-up time of commands that touch no large data, against ``creatormix --version``.

Each command runs as a user runs it: a fresh ``python -m creatormix`` process, so the time is
what the user waits for, interpreter start and imports included. The baseline is ``--version``,
timed in the same run (the floor every command pays: Python, the CLI's own modules). The
target (issue 12): under 0.6 s for every such command on this machine.

The workspace is a new DuckDB file with one campaign of three deals, built once before timing.
Python's bytecode is written (to a cache folder of this run) and warmed by those set-up commands,
as an installed package has it: compiling ~100 modules from source on every start would add
~0.2 s that no installed user pays.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

from _harness import Result  # noqa: E402

SUITE = "startup"
TARGET_S = 0.6


def _env(db: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(db.parent / "pycache")
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    env["CREATORMIX_DB"] = str(db)
    env["NO_COLOR"] = "1"
    return env


def _cli(env: dict[str, str], *args: str) -> float:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "creatormix", *args], env=env, capture_output=True, text=True
    )
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"creatormix {' '.join(args)} failed: {proc.stderr or proc.stdout}")
    return wall


def _workspace(folder: Path) -> Path:
    """A small workspace: three creators, one campaign with their deals."""
    db = folder / "ws.duckdb"
    env = _env(db)
    creators = folder / "creators.csv"
    creators.write_text(
        "platform,handle,followers,country\n"
        "instagram,anna,12000,FR\ninstagram,bob,45000,DE\ntiktok,cleo,230000,US\n"
    )
    _cli(env, "init", str(db))
    _cli(env, "import", "creators", str(creators))
    _cli(env, "campaign", "create", "Spring", "-d", "https://shop.example/spring")
    _cli(env, "campaign", "add", "Spring", "instagram:anna", "instagram:bob")
    return db


def _median(fn: object, repeat: int) -> tuple[float, list[float]]:
    times = [fn() for _ in range(repeat)]  # type: ignore[operator]
    return statistics.median(times), times


def run(quick: bool = False) -> list[Result]:
    repeat = 3 if quick else 9
    with tempfile.TemporaryDirectory(prefix="creatormix-startup-") as tmp:
        folder = Path(tmp)
        db = _workspace(folder)
        env = _env(db)
        base, base_times = _median(lambda: _cli(env, "--version"), repeat)
        fresh = iter(range(10_000))
        commands: dict[str, object] = {
            "init (new file)": lambda: _cli(env, "init", str(folder / f"new-{next(fresh)}.duckdb")),
            "imports": lambda: _cli(env, "imports"),
            "campaign list": lambda: _cli(env, "campaign", "list"),
            "campaign deals": lambda: _cli(env, "campaign", "deals", "Spring"),
        }
        # `tiers show` prints the tier summary: medians over every creator's metrics (data work on
        # a real catalog, through Ibis); timed beside the others, without the 0.6 s target
        data_commands: dict[str, object] = {
            "tiers show (reads the metrics)": lambda: _cli(env, "tiers", "show"),
        }
        results = [
            Result(
                SUITE,
                "--version",
                base,
                "s",
                target=f"baseline (floor of every command); runs {', '.join(f'{t:.2f}' for t in base_times)}",
            )
        ]
        timed = [(commands, f"< {TARGET_S} s"), (data_commands, None)]
        for group, target in timed:
            for name, fn in group.items():
                wall, times = _median(fn, repeat)
                results.append(
                    Result(
                        SUITE,
                        name,
                        wall,
                        "s",
                        baseline=base,
                        baseline_name="--version",
                        target=target or "no target: touches the catalog's metrics",
                        ok=wall < TARGET_S if target else None,
                        note=f"median of {repeat}: {', '.join(f'{t:.2f}' for t in times)}",
                    )
                )
    return results
