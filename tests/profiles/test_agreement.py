"""One pipeline, two engines: every metric of every creator agrees between DuckDB and Spark, and
the DuckDB pipeline gives what the workspace computes from the same files.

Exact for counts, text, times and tiers; within 1e-9 relative for rates (``compare.REL``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from creatormix.workspace import Workspace
from tests.profiles.compare import differences, read_output
from tests.profiles.conftest import build

OUTPUTS = ("profiles", "candidates", "audits", "rejects")


@pytest.mark.spark
@pytest.mark.slow
@pytest.mark.parametrize("catalog", ["demo", "100k creators"])
def test_every_metric_of_every_creator_agrees_between_duckdb_and_spark(
    catalog: str, request: pytest.FixtureRequest, spark_session: object, tmp_path: Path
) -> None:
    inputs = request.getfixturevalue("demo_inputs" if catalog == "demo" else "large_inputs")
    duck = build(inputs, tmp_path / "duckdb", "duckdb")
    spark = build(inputs, tmp_path / "spark", "spark")
    profiles = read_output(duck, "profiles")
    assert profiles.num_rows == (3000 if catalog == "demo" else 100_000)
    for table in OUTPUTS:
        if not (duck / table).exists():
            assert not (spark / table).exists(), table
            continue
        left, right = read_output(duck, table), read_output(spark, table)
        assert differences(left, right) == [], table
    assert read_output(spark, "profiles")["tier"].to_pylist() == profiles["tier"].to_pylist()
    if catalog == "demo":  # the demo's follower samples were audited on both
        assert read_output(spark, "audits").num_rows > 500


@pytest.mark.slow
def test_the_duckdb_pipeline_computes_what_the_workspace_computes_from_the_same_files(
    demo_inputs: dict[str, Path], tmp_path: Path
) -> None:
    from creatormix.metrics.reach import views_stats
    from creatormix.store import catalog as facts
    from creatormix.store import planning as plans_store

    out = build(demo_inputs, tmp_path / "out", "duckdb")
    with Workspace.create(tmp_path / "ws.duckdb") as ws:
        kinds = {
            "creators": "creators",
            "snapshots": "snapshots",
            "follower_samples": "followers-sample",
            "posts": "posts",
        }
        for name, kind in kinds.items():  # in the order the demo imports them
            ws.import_file(kind, demo_inputs[name], refresh=False)
        ws.refresh_metrics()
        metrics = ws.store.table(facts.METRICS_TABLE).to_pyarrow()
        views = views_stats(facts.posts_current(ws.store), ws.metric_params())
        candidates = plans_store.candidate_table(ws.store, views)
        audits = {(r.platform, r.handle): r.audit for r in ws.audit_all() if r.audit is not None}
    for table, local in (("profiles", metrics), ("candidates", candidates)):
        built = read_output(out, table)
        local = local.select(built.column_names).cast(built.schema)
        local = local.sort_by([("platform", "ascending"), ("handle", "ascending")])
        assert differences(local, built) == [], table
    scored = read_output(out, "audits").to_pylist()
    assert len(scored) == len(audits) > 500
    for row in scored:
        audit = audits[(row["platform"], row["handle"])]
        assert (row["sample_size"], row["fake_share"], row["fake_low"], row["fake_high"]) == (
            audit.sample_size,
            audit.fake_share,
            audit.fake_interval.low,
            audit.fake_interval.high,
        )
