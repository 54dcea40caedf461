"""The engine seam (store/engines.py): DuckDB and Spark behave the same behind it.

Every test of the interface runs on both engines (Spark on the session's local[2]); the Spark
compiler's corrections are checked against DuckDB's numbers for the same expression.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from creatormix.domain.profiles import EngineSettings
from creatormix.errors import FileFormatProblem, InvalidOption
from creatormix.store.engine_choice import open_engine
from creatormix.store.engines import FILE, ROW, Engine, split_groups


@pytest.fixture(params=["duckdb", pytest.param("spark", marks=pytest.mark.spark)])
def seam(request: pytest.FixtureRequest) -> Iterator[Engine]:
    if request.param == "spark":
        yield request.getfixturevalue("spark_session")
        return
    with open_engine(EngineSettings("duckdb")) as e:
        yield e


def _write(path: Path, **columns: list[Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table(columns), path)
    return path


def _rows(seam: Engine, table: Any, *order: str) -> list[dict[str, Any]]:
    return seam.fetch(table.order_by(list(order))).to_pylist()  # type: ignore[no-any-return]


def test_a_folder_lists_its_parquet_files_by_name_numbered_and_skips_markers(
    seam: Engine, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    _write(folder / "b.parquet", x=[1])
    _write(folder / "sub" / "a.parquet", x=[2])
    (folder / "_SUCCESS").write_text("")
    (folder / ".b.parquet.crc").write_text("")
    (folder / "notes.txt").write_text("not data")
    files = seam.list_files(str(folder))
    assert [Path(f.display).relative_to(folder).as_posix() for f in files] == [
        "b.parquet",
        "sub/a.parquet",
    ]
    assert [f.number for f in files] == [1, 2]
    assert all(f.size > 0 and f.modified.tzinfo is None for f in files)
    glob = seam.list_files(str(folder / "*.parquet"))
    assert [Path(f.display).name for f in glob] == ["b.parquet"]


def test_a_pattern_without_files_is_one_clear_error(seam: Engine, tmp_path: Path) -> None:
    with pytest.raises(FileFormatProblem, match="no Parquet file matches"):
        seam.list_files(str(tmp_path / "nothing" / "*.parquet"))


def test_rows_carry_their_file_and_position_and_files_unite_by_column_name(
    seam: Engine, tmp_path: Path
) -> None:
    _write(tmp_path / "1.parquet", handle=["a", "b", "c"], followers=[1, 2, 3])
    _write(tmp_path / "2.parquet", followers=[9], handle=["z"], extra=["only here"])
    files = seam.list_files(str(tmp_path))
    t = seam.read_parquet(files)
    rows = _rows(seam, t, "handle")
    by_uri = {f.uri: f for f in files}
    assert [(by_uri[r[FILE]].number, r[ROW], r["handle"]) for r in rows] == [
        (1, 0, "a"),
        (1, 1, "b"),
        (1, 2, "c"),
        (2, 0, "z"),
    ]
    assert [r["extra"] for r in rows] == [None, None, None, "only here"]


def test_nanosecond_timestamps_are_read_as_the_same_instants(seam: Engine, tmp_path: Path) -> None:
    when = [datetime(2026, 3, 1, 12, 30, 15, 123456), datetime(1999, 12, 31, 23, 59, 59)]
    path = tmp_path / "ns.parquet"
    pq.write_table(pa.table({"at": pa.array(when, pa.timestamp("ns"))}), path)  # as pandas does
    t = seam.read_parquet(seam.list_files(str(path)))
    assert [r["at"] for r in _rows(seam, t, "at")] == sorted(when)


def test_a_map_over_batches_sees_every_row_once(seam: Engine, tmp_path: Path) -> None:
    _write(tmp_path / "in.parquet", n=list(range(1000)))
    t = seam.read_parquet(seam.list_files(str(tmp_path / "in.parquet")))
    schema = pa.schema([("n", pa.int64()), ("square", pa.int64())])

    def square(batch: pa.RecordBatch) -> pa.Table:
        n = batch.column(batch.schema.get_field_index("n")).to_pylist()
        return pa.table({"n": n, "square": [v * v for v in n]}, schema=schema)

    out = seam.map_batches(t, square, schema, str(tmp_path / "out"), step="squares")
    rows = _rows(seam, out, "n")
    assert [(r["n"], r["square"]) for r in rows] == [(v, v * v) for v in range(1000)]


def test_a_map_over_groups_sees_all_rows_of_a_key_together(seam: Engine, tmp_path: Path) -> None:
    keys = [f"k{i % 7}" for i in range(500)]
    _write(tmp_path / "in.parquet", key=keys, v=list(range(500)))
    t = seam.read_parquet(seam.list_files(str(tmp_path / "in.parquet")))
    schema = pa.schema([("key", pa.string()), ("n", pa.int64()), ("total", pa.int64())])

    def summary(group: pa.Table) -> pa.Table:
        assert len(set(group["key"].to_pylist())) == 1
        return pa.table(
            {
                "key": [group["key"][0].as_py()],
                "n": [group.num_rows],
                "total": [sum(group["v"].to_pylist())],
            },
            schema=schema,
        )

    out = seam.map_groups(t, ["key"], summary, schema, str(tmp_path / "g"), step="groups")
    expected = {}
    for i, k in enumerate(keys):
        n, total = expected.get(k, (0, 0))
        expected[k] = (n + 1, total + i)
    assert {r["key"]: (r["n"], r["total"]) for r in _rows(seam, out, "key")} == expected


def test_groups_that_span_batches_are_split_by_key_not_by_batch() -> None:
    table = pa.table({"k": ["a", "a", "b", "b", "b", None, None, "c"], "v": list(range(8))})
    batches = table.to_batches(
        max_chunksize=3
    )  # a | a b | b b None ... every boundary inside a key
    groups = list(split_groups(iter(batches), ["k"]))
    assert [(g["k"][0].as_py(), g["v"].to_pylist()) for g in groups] == [
        ("a", [0, 1]),
        ("b", [2, 3, 4]),
        (None, [5, 6]),
        ("c", [7]),
    ]


def test_a_partitioned_write_reads_back_whole_and_in_order(seam: Engine, tmp_path: Path) -> None:
    data = pa.table(
        {
            "platform": ["tiktok", "instagram", "instagram", "youtube", "tiktok"],
            "handle": ["t2", "i2", "i1", "y1", "t1"],
            "followers": [5, 4, 3, 2, 1],
        }
    )
    out = tmp_path / "out"
    seam.write_parquet(
        seam.memtable(data), str(out), partition_by=["platform"], order_by=["handle"]
    )
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == [
        "platform=instagram",
        "platform=tiktok",
        "platform=youtube",
    ]
    part = pq.read_table(sorted((out / "platform=instagram").glob("*.parquet"))[0])
    assert part["handle"].to_pylist() == ["i1", "i2"]  # ordered within the partition
    back = seam.read_dataset(str(out))
    rows = _rows(seam, back, "handle")
    assert [(str(r["platform"]), r["handle"], r["followers"]) for r in rows] == sorted(
        zip(
            data["platform"].to_pylist(),
            data["handle"].to_pylist(),
            data["followers"].to_pylist(),
            strict=True,
        ),
        key=lambda r: r[1],
    )


def test_files_are_written_read_renamed_and_removed_whatever_their_name(
    seam: Engine, tmp_path: Path
) -> None:
    # Spark's readers skip names starting with "_": the manifest is read through the file system
    path = str(tmp_path / "folder" / "_manifest.json")
    seam.write_text(path, '{"a": "é"}')
    assert seam.exists(path)
    assert seam.read_text(path) == '{"a": "é"}'
    seam.rename(str(tmp_path / "folder"), str(tmp_path / "moved"))
    assert not seam.exists(path)
    assert seam.read_text(str(tmp_path / "moved" / "_manifest.json")) == '{"a": "é"}'
    seam.remove(str(tmp_path / "moved"))
    assert not (tmp_path / "moved").exists()
    seam.remove(str(tmp_path / "never there"))  # nothing to remove is no error


def test_duckdb_refuses_spark_only_settings_and_urls() -> None:
    with pytest.raises(InvalidOption, match="--master is a Spark option"):
        open_engine(EngineSettings("duckdb", master="local[2]"))
    with pytest.raises(InvalidOption, match="not a memory size"):
        open_engine(EngineSettings("duckdb", memory="lots"))
    with pytest.raises(InvalidOption, match="unknown engine"):
        open_engine(EngineSettings("postgres-someday"))
    with open_engine(EngineSettings("duckdb")) as e, pytest.raises(InvalidOption, match="spark"):
        e.list_files("s3a://bucket/posts/*.parquet")


# --- the Spark compiler's corrections, against DuckDB's numbers ---------------------------------


_T0 = datetime(2026, 1, 1)
_DATA = {
    "g": ["a", "a", "a", "b", "b"],
    "seconds": [1, 123456, 7, 86399, 3],
    "at": [_T0 + timedelta(microseconds=m) for m in (1, 250_000, 999_999, 17, 0)],
    "v": [1.0, 2.0, 10.0, 4.0, 8.0],
    "keep": [True, False, True, True, False],
}
_SLIPS = {
    # an integer over a float literal: DECIMAL(6,1) to Spark, 6 digits after the point
    "float literal": lambda t: (t.seconds / 86400.0).sum(),
    # unix_timestamp dropped the microseconds (the metrics take differences of epoch seconds)
    "epoch seconds": lambda t: (t.at.epoch_seconds().max() - t.at.epoch_seconds().min()) / 60.0,
    # median(where=) put the filter around the 0.5 too, which Spark refuses
    "median where": lambda t: t.v.median(where=t.keep),
}


@pytest.mark.spark
@pytest.mark.parametrize("slip", list(_SLIPS))
def test_spark_computes_what_ibis_miscompiles_as_duckdb_does(
    spark_session: Engine, tmp_path: Path, slip: str
) -> None:
    _write(tmp_path / "t.parquet", **_DATA)

    def run(seam: Engine) -> list[float]:
        t = seam.read_parquet(seam.list_files(str(tmp_path / "t.parquet")))
        return [float(r["x"]) for r in _rows(seam, t.group_by("g").agg(x=_SLIPS[slip](t)), "g")]

    with open_engine(EngineSettings("duckdb")) as duck:
        want = run(duck)
    got = run(spark_session)
    assert len(got) == 2
    for w, g in zip(want, got, strict=True):
        assert math.isclose(g, w, rel_tol=1e-12), (slip, want, got)
    if slip == "median where":
        assert want[0] == 5.5  # 1 and 10: only the rows kept
