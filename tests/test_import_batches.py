"""Posts are written batch by batch in the background: same facts as one batch, all or nothing."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from creatormix import demo
from creatormix.ingest import readers
from creatormix.store import catalog as facts
from creatormix.workspace import Workspace


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("files")
    return demo.write_files(demo.generate(seed=3, creators=150), folder)


def _import(path: Path, files: dict[str, Path]) -> Workspace:
    ws = Workspace.create(path)
    ws.import_file("creators", files["creators"], refresh=False)
    ws.import_file("posts", files["posts"])
    return ws


def _state(ws: Workspace) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    posts = ws.store.table("post_facts").drop("import_id").order_by("fact_seq").to_pyarrow()
    metrics = ws.store.table("creator_metrics").order_by(["platform", "handle"]).to_pyarrow()
    return posts.to_pylist(), metrics.to_pylist()


def test_small_batches_give_the_facts_and_metrics_of_one_batch(
    demo_files: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _import(tmp_path / "one.duckdb", demo_files) as ws:
        one = _state(ws)
    monkeypatch.setattr(readers, "BATCH_ROWS", 500)
    with _import(tmp_path / "many.duckdb", demo_files) as ws:
        assert ws.imports()[-1].rows_accepted == len(one[0]) > 2000
        many = _state(ws)
    assert many[0] == one[0]
    # Aggregates over many rows may sum in another order: floats agree to 1e-12.
    differ = {k for a, b in zip(many[1], one[1], strict=True) for k in a if not _same(a[k], b[k])}
    assert not differ


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-12) or (math.isnan(a) and math.isnan(b))
    return a == b


def test_a_failing_batch_write_leaves_the_workspace_as_it_was(
    demo_files: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readers, "BATCH_ROWS", 500)
    written = []
    real = facts.append_posts

    def failing(store, table, import_id):  # type: ignore[no-untyped-def]
        if len(written) == 2:
            raise OSError("disk full (injected)")
        written.append(table.num_rows)
        return real(store, table, import_id)

    monkeypatch.setattr(facts, "append_posts", failing)
    with Workspace.create(tmp_path / "ws.duckdb") as ws:
        ws.import_file("creators", demo_files["creators"])
        before = ws.imports()
        with pytest.raises(OSError, match="disk full"):
            ws.import_file("posts", demo_files["posts"])
        assert written == [500, 500]
        assert ws.imports() == before
        assert ws.store.table("post_facts").count().to_pyarrow().as_py() == 0
        assert ws.catalog_counts()["posts"] == 0


def test_csv_batches_are_full_but_the_last(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Short batches between full ones would split the store's row groups (a slow checkpoint)."""
    monkeypatch.setattr(readers, "BATCH_ROWS", 1000)
    monkeypatch.setattr(readers, "CSV_BLOCK_BYTES", 4096)  # many small blocks per batch
    f = tmp_path / "posts.csv"
    f.write_text("handle,likes\n" + "".join(f"creator{i % 50},{i}\n" for i in range(4321)))
    batches = list(readers.open_source(f).batches())
    assert [b.num_rows for b in batches] == [1000, 1000, 1000, 1000, 321]
    assert [int(x) for b in batches for x in b.column(1).to_pylist()] == list(range(4321))
