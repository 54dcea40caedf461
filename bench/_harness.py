"""Benchmark harness: timing with medians, peak memory of child processes, one results table.

Each suite is a module ``bench/suite_<name>.py`` with ``run(quick: bool) -> list[Result]``. A
result compares our figure with a baseline measured in the same run (a ratio), and states the
target the issue sets. This machine is noisy: every timed figure is a median of several runs.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Result:
    suite: str
    name: str
    value: float
    unit: str
    baseline: float | None = None  # same quantity for the baseline, measured in this run
    baseline_name: str = ""
    target: str = ""  # human-readable target, e.g. "< 60 s"
    ok: bool | None = None  # whether the target is met
    note: str = ""

    @property
    def ratio(self) -> float | None:
        """Baseline / ours for times (how many times faster we are)."""
        if self.baseline is None or not self.value:
            return None
        return self.baseline / self.value


def median_time(fn: Callable[[], object], repeat: int = 3) -> tuple[float, list[float]]:
    """Median wall time of ``repeat`` calls (seconds) and the individual times."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def run_child(code: str, *args: str, env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Run ``python -c code args`` in a fresh process: (wall seconds, peak RSS MiB, stdout).

    Peak memory is the child's own high-water mark, ``VmHWM`` in ``/proc/self/status`` on Linux.
    Not ``ru_maxrss``: Linux carries the parent's high-water mark into the child across
    ``execve`` (and Python starts children with vfork, so the parent's whole footprint counts):
    a bench process that had just generated the 10M-post catalog reported its own 6.1 GB as the
    peak of every child it started.
    """
    wrapper = (
        "import resource, sys, time\n"
        "t0 = time.perf_counter()\n"
        f"exec(compile({code!r}, '<bench>', 'exec'))\n"
        "wall = time.perf_counter() - t0\n"
        "try:\n"
        "    with open('/proc/self/status') as status:\n"
        "        hwm = [ln for ln in status if ln.startswith('VmHWM:')][0]\n"
        "    peak = int(hwm.split()[1]) / 1024\n"
        "except (OSError, IndexError):\n"
        "    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "print(f'__BENCH__ {wall} {peak}', file=sys.stderr)\n"
    )
    child_env = dict(os.environ)
    child_env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + child_env.get("PYTHONPATH", "")
    child_env.update(env or {})
    proc = subprocess.run(
        [sys.executable, "-c", wrapper, *args],
        capture_output=True,
        text=True,
        env=child_env,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark child failed:\n{proc.stderr[-4000:]}")
    line = next(ln for ln in proc.stderr.splitlines() if ln.startswith("__BENCH__"))
    _, wall, peak = line.split()
    return float(wall), float(peak), proc.stdout


def print_results(results: list[Result]) -> None:
    header = f"{'suite':<10} {'benchmark':<46} {'ours':>12} {'baseline':>12} {'ratio':>8}  {'target':<16} ok"
    print(header)
    print("-" * len(header))
    for r in results:
        base = f"{r.baseline:.3g} {r.unit}" if r.baseline is not None else ""
        ratio = f"{r.ratio:.2f}x" if r.ratio is not None else ""
        ok = {True: "yes", False: "NO", None: ""}[r.ok]
        print(
            f"{r.suite:<10} {r.name:<46} {r.value:>9.3g} {r.unit:<2} {base:>12} {ratio:>8}  {r.target:<16} {ok}"
        )
        if r.note:
            print(f"{'':<10}   {r.note}")


def write_json(results: list[Result], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [asdict(r) | {"ratio": r.ratio} for r in results]
    path.write_text(json.dumps(rows, indent=2))
