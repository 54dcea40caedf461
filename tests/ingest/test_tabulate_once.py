"""The first batch is parsed once: its warnings still appear, and post ids are filled as before."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

import pyarrow as pa

from creatormix.domain.imports import ImportKind, ImportOptions
from creatormix.domain.platform import Platform
from creatormix.ingest.readers import open_source
from creatormix.ingest.tabulate import Tabulator, fill_post_ids


def test_notes_of_the_first_batch_are_reported_once_the_batch_is_reused(tmp_path: Path) -> None:
    f = tmp_path / "c.csv"
    f.write_text("handle,category,followers\nalice,fasion,12k\nbob,Beauty 0.5,900\n")
    tab = Tabulator(
        open_source(f), ImportKind.CREATORS, ImportOptions(platform=Platform.TIKTOK), str(f)
    )
    table = pa.concat_tables([c.table for c in tab.chunks()])
    assert table["categories"].to_pylist() == [["fashion"], ["beauty"]]
    assert table["followers"].to_pylist() == [12000, 900]
    messages = [w.message for w in tab.warnings]
    assert messages.count("category 'fasion' read as 'fashion'") == 1
    assert messages.count("category 'Beauty 0.5' read as 'beauty'") == 1


def test_missing_post_ids_get_the_documented_hash_and_present_ones_stay() -> None:
    at = datetime(2026, 1, 2, 3, 4, 5)
    table = pa.table(
        {
            "platform": ["instagram", "instagram", "tiktok"],
            "handle": ["a", "a", "b"],
            "post_id": ["p1", None, None],
            "posted_at": pa.array([at, at, None], pa.timestamp("us")),
            "caption": ["x", "hello " * 100, None],
        }
    )

    def expected(platform: str, handle: str, posted: object, caption: str | None) -> str:
        key = f"{platform}|{handle}|{posted}|{(caption or '')[:500]}"
        return "h:" + hashlib.sha1(key.encode()).hexdigest()[:20]

    got = fill_post_ids(table)["post_id"].to_pylist()
    assert got == [
        "p1",
        expected("instagram", "a", at, "hello " * 100),
        expected("tiktok", "b", None, None),
    ]
