"""The planner benchmark suite runs (quick sizes), so it cannot rot."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import subprocess_env

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_planner_benchmark_runs_quick() -> None:
    proc = subprocess.run(
        [sys.executable, "bench/run.py", "plan", "--quick"],
        cwd=ROOT,
        env=subprocess_env(),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    for name in ("additive", "coverage", "monte carlo"):
        assert name in proc.stdout
