"""The same catalog on PostgreSQL and on DuckDB, in one run: import of 100,000 creators and
1,000,000 posts (Parquet) and the metrics over them, through ``Workspace.import_file`` and
``refresh_metrics``. The PostgreSQL import loads with COPY; target: within 3x of DuckDB.

A throwaway PostgreSQL server is started for the run (``tests/postgres_server.py``: ``initdb``
in a temporary folder, 127.0.0.1, durable settings: fsync on, as a real server), stopped after.
Runs alternate PostgreSQL/DuckDB so both see the same machine load; figures are medians.
``CREATORMIX_BENCH_REPEAT`` sets the runs per figure (default 3, 1 with ``--quick``).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys

from _catalog_data import OUT, catalog_files
from _harness import ROOT, Result, run_child

FULL = {"creators": 100_000, "posts": 1_000_000}
QUICK = {"creators": 2_000, "posts": 20_000}
SEED = 1
TARGET_RATIO = 3.0

IMPORT = """
import json, sys, time
from pathlib import Path
from creatormix.workspace import Workspace

folder, db = Path(sys.argv[1]), sys.argv[2]
phases = {}
ws = Workspace.create(db)
for kind in ("creators", "snapshots", "posts"):
    start = time.perf_counter()
    ws.import_file(kind, folder / f"{kind}.parquet", refresh=False)
    phases[kind] = time.perf_counter() - start
start = time.perf_counter()
with ws.store.transaction():
    ws.refresh_metrics()
phases["metrics"] = time.perf_counter() - start
counts = ws.catalog_counts()
ws.close()
print(json.dumps({"phases": phases, "counts": counts}))
"""


def run(quick: bool) -> list[Result]:
    sys.path.insert(0, str(ROOT))
    from tests.postgres_server import PostgresServer

    size = QUICK if quick else FULL
    files = catalog_files(size["creators"], size["posts"], SEED)
    repeat = int(os.environ.get("CREATORMIX_BENCH_REPEAT", "1" if quick else "3"))
    scratch = OUT / f"scratch-pg-{os.getpid()}"
    scratch.mkdir(parents=True, exist_ok=True)
    label = f"{size['creators']:,} creators, {size['posts']:,} posts"
    load = os.getloadavg()[0]
    runs: dict[str, list[dict[str, dict[str, float]]]] = {"postgres": [], "duckdb": []}
    env = dict(os.environ, CREATORMIX_STATE_DIR=str(scratch / "state"))
    try:
        with PostgresServer(durable=True) as server:
            for i in range(repeat):
                url = server.create_database(f"bench{i}")
                _, _, out = run_child(IMPORT, str(files.folder), url, env=env)
                runs["postgres"].append(json.loads(out.strip().splitlines()[-1]))
                server.drop_database(f"bench{i}")
                db = scratch / f"bench{i}.duckdb"
                _, _, out = run_child(IMPORT, str(files.folder), str(db), env=env)
                runs["duckdb"].append(json.loads(out.strip().splitlines()[-1]))
                db.unlink(missing_ok=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if runs["postgres"][0]["counts"] != runs["duckdb"][0]["counts"]:
        raise RuntimeError(f"the engines disagree: {runs}")
    results = []
    for what, phases in (
        ("import", ("creators", "snapshots", "posts")),
        ("metrics", ("metrics",)),
    ):
        pg = _median(runs["postgres"], phases)
        duck = _median(runs["duckdb"], phases)
        results.append(
            Result(
                suite="postgres",
                name=f"{what} on PostgreSQL ({label})",
                value=pg,
                unit="s",
                baseline=duck,
                baseline_name="DuckDB, same files",
                target=f"<= {TARGET_RATIO:g}x DuckDB" if what == "import" else "",
                ok=(pg <= TARGET_RATIO * duck) if what == "import" else None,
                note=f"median of {repeat}; load average {load:.2f}"
                + (" (quick sizes)" if quick else ""),
            )
        )
    return results


def _median(runs: list[dict[str, dict[str, float]]], phases: tuple[str, ...]) -> float:
    return statistics.median(sum(r["phases"][p] for p in phases) for r in runs)
