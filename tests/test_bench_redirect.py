import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import subprocess_env

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_the_redirect_benchmark_runs_quick() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "redirect", "--quick"],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "recorded redirects per second" in proc.stdout
    assert "none lost" in proc.stdout or "not measured" in proc.stdout
