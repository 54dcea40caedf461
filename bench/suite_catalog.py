"""Catalog import + metrics at scale: 100,000 creators and 10,000,000 posts, Parquet and CSV.

Each run is a fresh child process (so its peak memory is its own): ours creates a new workspace,
imports the creators, follower snapshots and posts through ``Workspace.import_file`` and computes
every metric with ``refresh_metrics``; the baseline reads the same files with pandas and computes
the same metrics the straightforward way (``_pandas_baseline.py``; a test holds the two to the
same numbers). Runs alternate ours/baseline so both see the same machine load; figures are
medians. The generated files are cached under ``bench/out/`` (see ``_catalog_data.py``).

``CREATORMIX_BENCH_REPEAT`` sets the runs per figure (default 3, 1 with ``--quick``).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
from pathlib import Path

from _catalog_data import OUT, catalog_files
from _harness import ROOT, Result, run_child

FULL = {"creators": 100_000, "posts": 10_000_000}
QUICK = {"creators": 300, "posts": 6_000}
SEED = 1
TARGET_SECONDS = 60.0
TARGET_SPEEDUP = 5.0
TARGET_MIB = 4096.0

OURS = """
import json, sys, time
from pathlib import Path
from creatormix.workspace import Workspace

folder, fmt, db = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
phases, rows = {}, {}
ws = Workspace.create(db)
for kind in ("creators", "snapshots", "posts"):
    start = time.perf_counter()
    report = ws.import_file(kind, folder / f"{kind}.{fmt}", refresh=False)
    phases[kind] = time.perf_counter() - start
    rows[kind] = report.rows_accepted
start = time.perf_counter()
with ws.store.transaction():
    ws.refresh_metrics()
phases["metrics"] = time.perf_counter() - start
rows["profiles"] = ws.catalog_counts()["creators"]
ws.close()
print(json.dumps({"phases": phases, "rows": rows}))
"""

# The floor of any import that keeps the posts: DuckDB copying the Parquet posts file into a
# table of a new workspace file on its own (no parsing, no validation, every thread), at the
# workspace's memory limit.
FLOOR = """
import sys, duckdb
con = duckdb.connect(sys.argv[2])
con.execute("SET memory_limit='2GB'")
con.execute("CREATE TABLE posts AS SELECT * FROM read_parquet(?)", [sys.argv[1]])
con.execute("CHECKPOINT")
con.close()
"""

BASELINE = """
import json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[3])
import _pandas_baseline
from creatormix.metrics.disclosure import marker_regex

start = time.perf_counter()
tables = _pandas_baseline.load(Path(sys.argv[1]), sys.argv[2])
loaded = time.perf_counter()
profiles = _pandas_baseline.metrics(*tables, marker_regex=marker_regex())
phases = {"load": loaded - start, "metrics": time.perf_counter() - loaded}
print(json.dumps({"phases": phases, "rows": {"profiles": len(profiles)}}))
"""


def _repeat(quick: bool) -> int:
    return int(os.environ.get("CREATORMIX_BENCH_REPEAT", "1" if quick else "3"))


def _ours(
    folder: Path, fmt: str, scratch: Path
) -> tuple[float, float, dict[str, dict[str, float]]]:
    db = scratch / f"bench-{fmt}.duckdb"
    for leftover in (db, db.with_name(db.name + ".wal")):
        leftover.unlink(missing_ok=True)
    try:
        wall, peak, out = run_child(OURS, str(folder), fmt, str(db))
    finally:
        for leftover in (db, db.with_name(db.name + ".wal")):
            leftover.unlink(missing_ok=True)
    return wall, peak, json.loads(out.strip().splitlines()[-1])


def _baseline(folder: Path, fmt: str) -> tuple[float, float, dict[str, dict[str, float]]]:
    wall, peak, out = run_child(BASELINE, str(folder), fmt, str(ROOT / "bench"))
    return wall, peak, json.loads(out.strip().splitlines()[-1])


def _median_phases(who: str, runs: list[dict[str, dict[str, float]]]) -> str:
    parts = [f"{k} {_phase(runs, k):.1f}s" for k in runs[0]["phases"]]
    return f"{who} by phase (median): " + ", ".join(parts)


def _phase(runs: list[dict[str, dict[str, float]]], name: str) -> float:
    return statistics.median(r["phases"][name] for r in runs)


def run(quick: bool) -> list[Result]:
    size = QUICK if quick else FULL
    files = catalog_files(size["creators"], size["posts"], SEED)
    scratch = OUT / f"scratch-{os.getpid()}"
    scratch.mkdir(parents=True, exist_ok=True)
    label = f"{size['creators']:,} creators, {size['posts']:,} posts"
    load = os.getloadavg()[0]
    results: list[Result] = []
    try:
        for fmt in ("parquet", "csv"):
            ours, base, details, b_details = [], [], [], []
            for _ in range(_repeat(quick)):
                wall, peak, info = _ours(files.folder, fmt, scratch)
                ours.append((wall, peak))
                details.append(info)
                b_wall, b_peak, b_info = _baseline(files.folder, fmt)
                base.append((b_wall, b_peak))
                b_details.append(b_info)
                if info["rows"]["profiles"] != b_info["rows"]["profiles"]:
                    raise RuntimeError(
                        f"{fmt}: ours and the baseline disagree on creators: {info}, {b_info}"
                    )
            results += _results(fmt, label, ours, base, (details, b_details), quick, load)
            if fmt == "parquet":
                results.append(_floor(files.folder, scratch, quick, base))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return results


def _floor(folder: Path, scratch: Path, quick: bool, base: list[tuple[float, float]]) -> Result:
    """DuckDB's own copy of the Parquet posts into a table: what keeping the posts costs."""
    db = scratch / "floor.duckdb"
    walls = []
    for _ in range(_repeat(quick)):
        for leftover in (db, db.with_name(db.name + ".wal")):
            leftover.unlink(missing_ok=True)
        wall, _, _ = run_child(FLOOR, str(folder / "posts.parquet"), str(db))
        walls.append(wall)
    db.unlink(missing_ok=True)
    floor = statistics.median(walls)
    b_wall = statistics.median(w for w, _ in base)
    return Result(
        "catalog",
        "parquet: floor, DuckDB copying the posts file alone",
        floor,
        "s",
        baseline=b_wall,
        baseline_name="pandas",
        note=(
            "no parsing, no validation, no metrics, every thread: the least an import that keeps "
            f"the posts can take; 5x the pandas baseline would be {b_wall / TARGET_SPEEDUP:.1f} s"
        ),
    )


def _results(
    fmt: str,
    label: str,
    ours: list[tuple[float, float]],
    base: list[tuple[float, float]],
    details: tuple[list[dict[str, dict[str, float]]], list[dict[str, dict[str, float]]]],
    quick: bool,
    load: float,
) -> list[Result]:
    wall = statistics.median(w for w, _ in ours)
    peak = statistics.median(p for _, p in ours)
    b_wall = statistics.median(w for w, _ in base)
    b_peak = statistics.median(p for _, p in base)
    speedup = b_wall / wall
    targeted = fmt == "parquet" and not quick
    mine, theirs = details
    note = (
        f"{_median_phases('ours', mine)}; {_median_phases('pandas', theirs)}; "
        f"{len(ours)} run(s) each; load average at start {load:.1f}"
    )
    return [
        Result(
            "catalog",
            f"{fmt}: import + metrics ({label})",
            wall,
            "s",
            baseline=b_wall,
            baseline_name="pandas",
            target=f"< {TARGET_SECONDS:.0f} s" if targeted else "",
            ok=wall < TARGET_SECONDS if targeted else None,
            note=note,
        ),
        Result(
            "catalog",
            f"{fmt}: speed-up over pandas, end to end",
            speedup,
            "x",
            target=f">= {TARGET_SPEEDUP:.0f}x" if targeted else "",
            ok=speedup >= TARGET_SPEEDUP if targeted else None,
        ),
        Result(
            "catalog",
            f"{fmt}: metrics alone (data already loaded)",
            _phase(mine, "metrics"),
            "s",
            baseline=_phase(theirs, "metrics"),
            baseline_name="pandas",
        ),
        Result(
            "catalog",
            f"{fmt}: peak memory (child process)",
            peak,
            "MiB",
            baseline=b_peak,
            baseline_name="pandas",
            target=f"< {TARGET_MIB:.0f} MiB" if targeted else "",
            ok=peak < TARGET_MIB if targeted else None,
        ),
    ]
