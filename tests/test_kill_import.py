"""A process killed in the middle of an import leaves the workspace exactly as it was."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from creatormix.domain.imports import ImportOptions
from creatormix.domain.platform import Platform
from creatormix.workspace import Workspace

from .conftest import subprocess_env

CHILD = """
import sys
from creatormix.domain.imports import ImportOptions
from creatormix.domain.platform import Platform
from creatormix.workspace import Workspace

def progress(stage, done, total):
    print(stage, done, total, flush=True)

with Workspace.open(sys.argv[1]) as ws:
    ws.import_file("posts", sys.argv[2], ImportOptions(platform=Platform.INSTAGRAM), progress=progress)
print("committed", flush=True)
"""


def _big_posts(path: Path, rows: int) -> None:
    rng = np.random.default_rng(1)
    handles = np.array([f"c{i}" for i in range(1000)])
    pq.write_table(
        pa.table(
            {
                "handle": handles[rng.integers(0, 1000, rows)],
                "post_id": [f"p{i}" for i in range(rows)],
                "likes": rng.integers(0, 5000, rows),
                "comments": rng.integers(0, 100, rows),
            }
        ),
        path,
    )


def _state(db: Path) -> tuple[int, int, int, list[int]]:
    with Workspace.open(db) as ws:
        facts = ws.store.table("post_facts").count().to_pyarrow().as_py()
        creators = ws.store.table("creator_facts").count().to_pyarrow().as_py()
        return facts, creators, len(ws.imports()), [r.import_id for r in ws.imports()]


@pytest.mark.slow
def test_killing_an_import_midway_leaves_the_workspace_as_it_was(tmp_path: Path) -> None:
    db = tmp_path / "ws.duckdb"
    with Workspace.create(db) as ws:
        (tmp_path / "c.csv").write_text(
            "handle,followers\n" + "".join(f"c{i},{1000 + i}\n" for i in range(1000))
        )
        ws.import_file("creators", tmp_path / "c.csv", ImportOptions(platform=Platform.INSTAGRAM))
    before = _state(db)
    posts = tmp_path / "posts.parquet"
    _big_posts(posts, 2_500_000)  # three batches: the kill lands after the first is written

    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db), str(posts)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=subprocess_env(),
    )
    assert child.stdout is not None
    seen = []
    for line in child.stdout:
        seen.append(line.strip())
        parts = line.split()
        if len(parts) == 3 and parts[0] == "writing" and int(parts[1]) > 0:
            child.send_signal(signal.SIGKILL)
            break
    child.wait(timeout=120)
    assert child.returncode == -signal.SIGKILL, (seen, child.stderr.read() if child.stderr else "")
    assert any(line.startswith("writing") for line in seen)
    assert "committed" not in seen

    assert _state(db) == before
    # The workspace is healthy: the same import now runs to the end.
    with Workspace.open(db) as ws:
        report = ws.import_file("posts", posts, ImportOptions(platform=Platform.INSTAGRAM))
        assert report.rows_accepted == 2_500_000
        assert ws.catalog_counts()["posts"] == 2_500_000
