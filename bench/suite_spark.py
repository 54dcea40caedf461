"""The catalog pipeline (``profiles build``) on DuckDB and on a local Apache Spark.

* ``duckdb vs spark``: one generated catalog (100,000 creators, 10,000,000 posts from Parquet,
  the ``catalog`` suite's generator) built into profiles by each engine in a fresh process, in the
  same run. On this 2-core machine Spark is slower: the figure is its fixed overhead (a JVM, a
  scheduler, shuffles through local files) against an engine in process.
* ``spark growth``: Spark's time at 1M, 10M and 50M posts (100,000 creators), to tell the fixed
  cost from the cost per post. Its slope gives the posts per core-hour that docs/scale-out.md's
  sizing arithmetic starts from.

Spark runs ``local[2]`` (both cores) with 2 shuffle partitions per core; DuckDB uses both
threads. Times are medians of 3 runs (1 in ``--quick``); a child's peak memory is the Python
process's (Spark's JVM is a child of it and not counted), so only times are compared.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
from pathlib import Path

from _catalog_data import OUT, catalog_files
from _harness import Result, run_child

SEED = 16
FULL = {"creators": 100_000, "posts": 10_000_000, "growth": (1_000_000, 10_000_000, 50_000_000)}
QUICK = {"creators": 2_000, "posts": 100_000, "growth": (50_000, 100_000, 200_000)}
CORES = 2

BUILD = """
import json, sys
from creatormix.domain.profiles import EngineSettings, ProfilesBuildRequest
from creatormix.workspace import Workspace
folder, engine, out = sys.argv[1], sys.argv[2], sys.argv[3]
settings = (
    EngineSettings("spark", master="local[2]", memory="3GB", partitions=4)
    if engine == "spark" else EngineSettings("duckdb", partitions=2)
)
report = Workspace.build_profiles(ProfilesBuildRequest(
    creators=folder + "/creators.parquet", posts=folder + "/posts.parquet",
    snapshots=folder + "/snapshots.parquet", out=out, engine=settings, rebuild=True,
))
print(json.dumps({"creators": report.creators, "rejected": report.rejected}))
"""


def _build(folder: Path, engine: str, out: Path, repeat: int) -> tuple[float, dict[str, int]]:
    """Median wall seconds of ``repeat`` fresh-process builds, and what the last one said."""
    walls, said = [], {}
    for _ in range(repeat):
        shutil.rmtree(out, ignore_errors=True)
        wall, _peak, stdout = run_child(BUILD, str(folder), engine, str(out))
        walls.append(wall)
        said = json.loads(stdout.strip().splitlines()[-1])
    shutil.rmtree(out, ignore_errors=True)
    return statistics.median(walls), said


def run(quick: bool) -> list[Result]:
    size = QUICK if quick else FULL
    repeat = 1 if quick else 3
    creators = int(size["creators"])  # type: ignore[call-overload]
    scratch = OUT / f"spark-scratch-{os.getpid()}"
    load = os.getloadavg()[0]
    results: list[Result] = []
    try:
        main = catalog_files(creators, int(size["posts"]), SEED)  # type: ignore[call-overload]
        duck, duck_said = _build(main.folder, "duckdb", scratch / "duckdb", repeat)
        spark, spark_said = _build(main.folder, "spark", scratch / "spark", repeat)
        if duck_said != spark_said:
            raise RuntimeError(f"the engines disagree: DuckDB {duck_said}, Spark {spark_said}")
        label = f"{creators:,} creators / {int(size['posts']):,} posts"  # type: ignore[call-overload]
        results.append(
            Result(
                "spark",
                f"profiles build, {label}: local Spark (DuckDB the baseline)",
                spark,
                "s",
                baseline=duck,
                baseline_name="DuckDB in process",
                note=f"median of {repeat}; load average {load:.1f} at the start",
            )
        )
        growth: list[tuple[int, float]] = []
        for posts in size["growth"]:  # type: ignore[attr-defined]
            if posts == size["posts"]:
                growth.append((posts, spark))
                continue
            files = catalog_files(creators, posts, SEED)
            wall, _ = _build(files.folder, "spark", scratch / "spark", repeat)
            growth.append((posts, wall))
        for posts, wall in growth:
            results.append(
                Result("spark", f"Spark growth: {creators:,} creators / {posts:,} posts", wall, "s")
            )
        (p0, t0), (p1, t1) = growth[0], growth[-1]
        if t1 > t0:
            per_core_hour = (p1 - p0) / ((t1 - t0) * CORES / 3600)
            results.append(
                Result(
                    "spark",
                    "Spark: posts per core-hour (slope between the smallest and largest run)",
                    per_core_hour,
                    "posts/core-h",
                    note=f"fixed cost about {t0 - (t1 - t0) / (p1 - p0) * p0:.0f} s per build",
                )
            )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return results
