"""The catalog benchmark runs, and its pandas baseline computes the very numbers we compute.

The benchmark's speed-up is only honest if the baseline does the same work: here both read the
same small generated catalog and every metric column must agree.
"""

from __future__ import annotations

import math
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from creatormix.metrics.disclosure import marker_regex
from creatormix.workspace import Workspace
from tests.conftest import ROOT, subprocess_env

sys.path.insert(0, str(ROOT / "bench"))

import _catalog_data
import _pandas_baseline

COLUMNS = [
    "followers",
    "tier",
    "posts_measured",
    "er_followers_mean",
    "er_followers_median",
    "er_followers_var",
    "er_views_mean",
    "er_views_median",
    "avg_engagements",
    "dated_posts",
    "last_post_at",
    "median_gap_days",
    "posts_per_week",
    "posts_total",
    "sponsored_posts",
    "sponsored_share",
    "snapshots",
    "growth_30d",
    "growth_days",
]


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tables = _catalog_data.generate(creators=250, posts=9_000, seed=5)
    return _catalog_data.write(tables, tmp_path_factory.mktemp("bench") / "catalog").folder


def _missing(x: Any) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or str(x) == "NaT"


def _same(a: Any, b: Any) -> bool:
    if _missing(a) or _missing(b):
        return _missing(a) and _missing(b)
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(float(a), float(b), rel_tol=1e-9)
    if hasattr(a, "to_pydatetime"):
        a = a.to_pydatetime()
    return bool(a == b)


def _ours(folder: Path, fmt: str, db: Path) -> Iterator[dict[str, Any]]:
    with Workspace.create(db) as ws:
        for kind in ("creators", "snapshots", "posts"):
            ws.import_file(kind, folder / f"{kind}.{fmt}", refresh=kind == "posts")
        yield from ws.store.table("creator_metrics").to_pyarrow().to_pylist()


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_the_pandas_baseline_computes_our_numbers(catalog: Path, fmt: str, tmp_path: Path) -> None:
    ours = {(r["platform"], r["handle"]): r for r in _ours(catalog, fmt, tmp_path / "ws.duckdb")}
    theirs = _pandas_baseline.run(catalog, fmt, marker_regex())
    assert len(theirs) == len(ours) == 250
    rows = theirs.to_dict("records")
    assert sum(r["posts_total"] for r in rows if not _missing(r["posts_total"])) == 9_000
    assert sum(r["sponsored_posts"] for r in rows if not _missing(r["sponsored_posts"])) > 0
    assert any(not _missing(r["growth_30d"]) for r in rows)
    for row in rows:
        mine = ours[(row["platform"], row["handle"])]
        differ = [c for c in COLUMNS if not _same(row[c], mine[c])]
        assert not differ, (row["handle"], {c: (row[c], mine[c]) for c in differ})


def test_the_generated_catalog_has_what_the_import_must_handle(catalog: Path) -> None:
    """Re-scraped duplicates (superseded on import) and disclosures in caption and hashtags."""
    with Workspace.create(catalog.parent / "probe.duckdb") as ws:
        ws.import_file("creators", catalog / "creators.csv", refresh=False)
        report = ws.import_file("posts", catalog / "posts.csv")
    assert report.rows_accepted > 9_000
    assert any("replaced by newer ones" in w.message for w in report.warnings)


@pytest.mark.slow
def test_the_catalog_benchmark_runs_quick() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "catalog", "--quick"],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    for name in ("parquet: import + metrics", "csv: speed-up over pandas", "peak memory"):
        assert name in proc.stdout, proc.stdout


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="VmHWM is Linux's")
def test_a_childs_peak_memory_is_its_own_not_the_parents() -> None:
    from _harness import run_child

    ballast = bytearray(600 << 20)  # the parent holds 600 MiB, touched
    for i in range(0, len(ballast), 4096):
        ballast[i] = 1
    _, peak, _ = run_child("x = bytearray(50 << 20)\nfor i in range(0, len(x), 4096): x[i] = 1")
    assert 50 <= peak < 300, peak
    del ballast
