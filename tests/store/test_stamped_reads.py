"""The catalog's listings and tier summary are read once per stamp of the metrics table
(``Store.remember``): other commits (deal moves) keep them, a rebuild of the table on any
connection replaces them, and what is kept stays within its bound."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from creatormix.domain.imports import ImportOptions
from creatormix.domain.platform import Platform
from creatormix.domain.query import CreatorQuery, SortKey
from creatormix.store import catalog as facts
from creatormix.store import stamped
from creatormix.workspace import Workspace

BY_ER = CreatorQuery(sort=SortKey.FOLLOWERS, limit=2)


def _creators(path: Path, rows: list[tuple[str, int]]) -> Path:
    path.write_text("handle,followers\n" + "".join(f"{h},{n}\n" for h, n in rows))
    return path


def _import(ws: Workspace, path: Path) -> None:
    ws.import_file("creators", path, ImportOptions(platform=Platform.INSTAGRAM))


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How many times the listing and the tier summary were read from the database."""
    stamped.forget_all()
    calls = {"listing": 0, "tiers": 0}
    listing, tiers = facts._listing, facts.tier_summary_rows

    def count_listing(*a: Any, **k: Any) -> Any:
        calls["listing"] += 1
        return listing(*a, **k)

    def count_tiers(*a: Any, **k: Any) -> Any:
        calls["tiers"] += 1
        return tiers(*a, **k)

    monkeypatch.setattr(facts, "_listing", count_listing)
    monkeypatch.setattr(facts, "tier_summary_rows", count_tiers)
    return calls


def _handles(ws: Workspace, query: CreatorQuery = BY_ER) -> list[str]:
    return [p.creator.handle for p in ws.list_creators(query).creators]


def test_deal_moves_keep_the_listing_and_a_rebuild_replaces_it(
    engine: str, new_db: str, tmp_path: Path, counted: dict[str, int]
) -> None:
    with Workspace.create(new_db) as ws:
        _import(ws, _creators(tmp_path / "a.csv", [("ann", 5000), ("bob", 4000), ("cat", 3000)]))
        assert _handles(ws) == ["ann", "bob"]
        ws.tier_summary()
        ws.create_campaign("Spring", "https://shop.example/s", ["instagram:ann"])
        for i in range(3):
            ws.move_deal("Spring", "instagram:ann", note=f"n{i}")  # a commit each
            assert _handles(ws) == ["ann", "bob"]
            ws.tier_summary()
        # the next page of the same search is a slice of what was read
        assert _handles(ws, CreatorQuery(sort=SortKey.FOLLOWERS, limit=2, offset=2)) == ["cat"]
        assert counted == {"listing": 1, "tiers": 1}
        _import(ws, _creators(tmp_path / "b.csv", [("dee", 9000)]))  # rebuilds the metrics
        assert _handles(ws) == ["dee", "ann"]
        summary = ws.tier_summary()
        assert sum(r.creators for r in summary.rows) == 4
        assert counted == {"listing": 2, "tiers": 2}


def test_a_listing_too_long_to_keep_is_read_a_page_at_a_time(
    new_db: str, tmp_path: Path, counted: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(facts, "LISTING_ROWS", 2)
    with Workspace.create(new_db) as ws:
        _import(ws, _creators(tmp_path / "a.csv", [("ann", 5000), ("bob", 4000), ("cat", 3000)]))
        first = ws.list_creators(BY_ER)
        assert [p.creator.handle for p in first.creators] == ["ann", "bob"] and first.total == 3
        assert _handles(ws, CreatorQuery(sort=SortKey.FOLLOWERS, limit=2, offset=2)) == ["cat"]
        # the whole listing was tried once (and found too long), then each page read itself
        assert counted["listing"] == 3
        assert stamped.held_bytes() < 1024


def test_another_connections_rebuild_is_seen_at_once(
    engine: str, new_db: str, tmp_path: Path, counted: dict[str, int]
) -> None:
    if engine != "postgres":
        pytest.skip("a DuckDB file has one writer: no other connection rebuilds while it is open")
    with Workspace.create(new_db) as a:
        _import(a, _creators(tmp_path / "a.csv", [("ann", 5000), ("bob", 4000)]))
        a.create_campaign("Spring", "https://shop.example/s", ["instagram:ann"])
        with Workspace.open(new_db) as b:
            assert _handles(b) == ["ann", "bob"]
            a.move_deal("Spring", "instagram:ann", note="from the other connection")
            assert _handles(b) == ["ann", "bob"] and counted["listing"] == 1
            _import(a, _creators(tmp_path / "b.csv", [("dee", 9000)]))
            assert _handles(b) == ["dee", "ann"] and counted["listing"] == 2
            with Workspace.open(new_db) as c:  # a third connection of the process shares it
                assert _handles(c) == ["dee", "ann"] and counted["listing"] == 2


def test_a_dropped_metrics_table_has_no_stamp_and_its_rebuild_a_new_one(
    engine: str, new_db: str, tmp_path: Path
) -> None:
    with Workspace.create(new_db) as ws:
        _import(ws, _creators(tmp_path / "a.csv", [("ann", 5000)]))
        before = facts.metrics_stamp(ws.store)
        assert before is not None
        with ws.store.transaction():
            facts.drop_metrics(ws.store)
        assert facts.metrics_stamp(ws.store) is None  # nothing remembered under a stamp
        ws.tier_summary()  # rebuilds the table
        assert facts.metrics_stamp(ws.store) not in (None, before)


def test_what_is_kept_stays_within_its_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    stamped.forget_all()
    monkeypatch.setattr(stamped, "LIMIT_BYTES", 4000)
    computed: list[str] = []

    def table(name: str, size: int) -> Any:
        def compute() -> pa.Table:
            computed.append(name)
            return pa.table({"x": pa.array([0] * size, pa.uint8())})

        return stamped.remembered(name, compute, lambda t: t.nbytes)

    table("big", 1500)  # over a quarter of the bound: never kept
    table("big", 1500)
    assert computed == ["big", "big"] and stamped.held_bytes() == 0
    for name in ("a", "b", "c", "a", "d"):  # 900 bytes each; 4 fit
        table(name, 900)
    assert computed[2:] == ["a", "b", "c", "d"] and stamped.held_bytes() == 3600
    table("e", 900)  # the least recently used ("b") goes
    table("a", 900)
    table("b", 900)
    assert computed[6:] == ["e", "b"]
    assert stamped.held_bytes() <= 4000
    stamped.forget_all()
