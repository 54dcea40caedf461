"""Bad input at scale: a bad record never fails the build; it is counted and written to the
rejects with the embedded importer's file, record, column, value and reason."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from creatormix.workspace import Workspace
from tests.profiles.compare import read_output
from tests.profiles.conftest import build

Reject = tuple[str, int | None, str | None, str | None, str]
KEPT = ("platform", "handle", "followers", "country", "posts_total")


def _planted(folder: Path) -> dict[str, Path]:
    """Creators and posts as text exports with planted bad records among good ones."""
    folder.mkdir(parents=True, exist_ok=True)
    creators = pa.table(
        {
            "platform": ["instagram", "instagram", "tiktok", "myspace", "instagram", "youtube"]
            + ["instagram"] * 20,
            "handle": ["anna", "bob", "cleo", "dan", "", "eve"] + [f"c{i}" for i in range(20)],
            "followers": ["12.5k", "lots", "3,400", "900", "1000", "-5"]
            + [str(1000 + 37 * i) for i in range(20)],
            "country": ["FR", "DE", "Atlantis", "US", "US", "GB"] + ["FR"] * 20,
        }
    )
    posts = pa.table(
        {
            "platform": ["instagram", None, None, "instagram", "instagram", None, "tiktok"]
            + ["instagram"] * 20,
            "handle": ["anna", "anna", "ghost", "anna", "bob", "c1", "cleo"]
            + [f"c{i % 20}" for i in range(20)],
            "post_id": [f"p{i}" for i in range(27)],
            "posted_at": ["2026-03-01", "2026-03-02", "2026-03-03", "the day before", "2026-03-04"]
            + ["2026-03-05", "2026-03-06"]
            + [f"2026-02-{1 + i % 27:02d}" for i in range(20)],
            "likes": ["120", "80", "5", "7", "many", "40", "1.2k"]
            + [str(10 + i) for i in range(20)],
            "comments": ["3", "2", "1", "0", "1", "-4", "9"] + ["1"] * 20,
        }
    )
    paths = {"creators": folder / "creators.parquet", "posts": folder / "posts.parquet"}
    pq.write_table(creators, paths["creators"])
    pq.write_table(posts, paths["posts"])
    return paths


def _embedded(paths: dict[str, Path], db: Path) -> tuple[dict[str, set[Reject]], list[tuple]]:
    """What ``creatormix import`` rejects of the same files (creators first), and the creators
    and posts counted per creator it keeps."""
    out = {}
    with Workspace.create(db) as ws:
        for kind in ("creators", "posts"):
            report = ws.import_file(kind, paths[kind])
            out[kind] = {(r.file, r.record, r.column, r.value, r.reason) for r in report.rejects}
        metrics = ws.store.table("creator_metrics").to_pyarrow()
    kept = sorted(zip(*(metrics[c].to_pylist() for c in KEPT), strict=True))
    return out, kept


@pytest.mark.parametrize("engine", ["duckdb", pytest.param("spark", marks=pytest.mark.spark)])
def test_planted_bad_records_are_rejected_with_the_embedded_importers_reasons(
    engine: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    if engine == "spark":
        request.getfixturevalue("spark_session")
    paths = _planted(tmp_path / "in")
    want, kept = _embedded(paths, tmp_path / "ws.duckdb")
    # the planted ones; an unknown platform is one reason (not also "missing"), and the
    # unreadable country is left empty with its record kept, as ``import`` does
    assert sum(len(v) for v in want.values()) == 8
    out = build(paths, tmp_path / "out", engine)
    warnings = json.loads((out / "_manifest.json").read_text())["warnings"]
    assert any("'Atlantis' left empty, its record kept" in w for w in warnings), warnings
    rejects = read_output(out, "rejects").to_pylist()
    got: dict[str, set[Reject]] = {"creators": set(), "posts": set()}
    for r in rejects:
        got[r["kind"]].add((r["file"], r["record"], r["column"], r["value"], r["reason"]))
    assert got == want
    summary = read_output(out, "rejects_summary").to_pylist()
    by_reason = Counter((r["kind"], r["reason"]) for r in rejects)
    assert {(s["kind"], s["reason"]): s["records"] for s in summary} == dict(by_reason)
    profiles = read_output(out, "profiles")
    assert sorted(zip(*(profiles[c].to_pylist() for c in KEPT), strict=True)) == kept
    assert "ghost" not in profiles["handle"].to_pylist()  # its post had no platform to take
