"""Import semantics: idempotence, all-or-nothing, merges, rejects, facts over time."""

from __future__ import annotations

from pathlib import Path

import pytest

from creatormix.domain.imports import ImportOptions
from creatormix.domain.platform import Platform
from creatormix.domain.query import CreatorQuery
from creatormix.errors import RowsRejected
from creatormix.workspace import Workspace

IG = ImportOptions(platform=Platform.INSTAGRAM)


def counts(ws: Workspace) -> tuple[int, int, int]:
    c = ws.catalog_counts()
    facts = ws.store.table("creator_facts").count().to_pyarrow().as_py()
    return c["creators"], c["posts"], facts


def test_reimporting_the_same_file_changes_nothing(ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "c.csv"
    f.write_text("handle,followers\nann,10\nbo,20\n")
    first = ws.import_file("creators", f, IG)
    before = counts(ws)
    again = ws.import_file("creators", f, IG)
    assert again.skipped and again.already_imported_as == first.import_id
    assert counts(ws) == before
    assert len(ws.imports()) == 1


def test_the_import_log_records_file_hash_counts_time_and_user(
    ws: Workspace, tmp_path: Path
) -> None:
    f = tmp_path / "c.csv"
    f.write_text("handle,followers\nann,10\nbo,x\n")
    report = ws.import_file("creators", f, IG)
    [record] = ws.imports()
    assert (
        record.import_id,
        record.file_name,
        record.rows_read,
        record.rows_accepted,
        record.rows_rejected,
    ) == (
        report.import_id,
        "c.csv",
        2,
        1,
        1,
    )
    assert record.file_hash == report.file_hash and len(record.file_hash) == 64
    assert record.imported_by


def test_duplicate_creators_in_a_file_merge_and_are_reported(ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "dups.csv"
    f.write_text(
        "handle,followers,country,category,bio\n"
        "@Ann,10,FR,beauty,\n"
        "bo,5,DE,food,hi\n"
        "ann,12,,fashion,new bio\n"
    )
    report = ws.import_file("creators", f, IG)
    [merge] = report.merges
    assert merge.key == "instagram:ann" and merge.records == (1, 3)
    assert merge.conflicts == ("followers",)
    ann = ws.get_creator("ANN").profile.creator
    # The later record wins where it has a value; empty cells never erase; niches are unioned.
    assert (ann.followers, ann.country, ann.bio, ann.categories) == (
        12,
        "FR",
        "new bio",
        ("beauty", "fashion"),
    )
    assert report.rows_accepted == 2


def test_strict_mode_imports_nothing_when_a_record_is_rejected(
    ws: Workspace, tmp_path: Path
) -> None:
    f = tmp_path / "c.csv"
    f.write_text("handle,followers\nann,10\nbo,lots\n")
    with pytest.raises(RowsRejected, match="--strict") as err:
        ws.import_file(
            "creators",
            f,
            ImportOptions(platform=Platform.INSTAGRAM, strict=True),
            rejects_path=tmp_path / "r.csv",
        )
    assert err.value.rejects_file == str(tmp_path / "r.csv")
    assert "lots" in (tmp_path / "r.csv").read_text()
    assert counts(ws) == (0, 0, 0) and ws.imports() == []


def test_a_file_with_no_good_record_is_an_error_and_is_not_logged(
    ws: Workspace, tmp_path: Path
) -> None:
    f = tmp_path / "c.csv"
    f.write_text("handle,followers\nann,-1\nbo,-2\n")
    with pytest.raises(RowsRejected, match="no record could be imported"):
        ws.import_file("creators", f, IG)
    assert ws.imports() == []


def test_rejects_go_to_a_csv_next_to_the_workspace_by_default(
    ws: Workspace, tmp_path: Path
) -> None:
    f = tmp_path / "c.csv"
    f.write_text("handle,followers,country\nann,10,Narnia\nbo,20,FR\n")
    report = ws.import_file("creators", f, IG)
    assert report.rejects_file is not None
    path = Path(report.rejects_file)
    assert path.parent == ws.path.parent / "rejects"
    assert "Narnia" in path.read_text() and "not a country" in path.read_text()


def test_a_later_export_updates_the_creator_and_keeps_history(
    ws: Workspace, tmp_path: Path
) -> None:
    (tmp_path / "jan.csv").write_text("handle,followers,date\nann,1000,2026-01-01\n")
    (tmp_path / "feb.csv").write_text("handle,followers,date\nann,1100,2026-01-31\n")
    ws.import_file("creators", tmp_path / "jan.csv", IG)
    ws.import_file("creators", tmp_path / "feb.csv", IG)
    detail = ws.get_creator("ann")
    assert detail.profile.creator.followers == 1100
    assert [s.followers for s in detail.snapshots] == [1000, 1100]
    assert detail.profile.growth_30d == pytest.approx(0.10)
    assert len(detail.sources) == 2


def test_a_newer_export_of_the_same_post_replaces_the_older_counts(
    ws: Workspace, tmp_path: Path
) -> None:
    (tmp_path / "c.csv").write_text("handle,followers\nann,1000\n")
    ws.import_file("creators", tmp_path / "c.csv", IG)
    (tmp_path / "p1.csv").write_text(
        "handle,post_id,likes,comments\nann,a,10,1\nann,b,20,2\nann,b,25,2\n"
    )
    first = ws.import_file("posts", tmp_path / "p1.csv")
    assert any("replaced" in w.message for w in first.warnings)
    (tmp_path / "p2.csv").write_text("handle,post_id,likes,comments\nann,a,40,4\n")
    ws.import_file("posts", tmp_path / "p2.csv")
    posts = {p.post_id: p.likes for p in ws.get_creator("ann").recent_posts}
    assert posts == {"a": 40, "b": 25}
    assert ws.catalog_counts()["posts"] == 2
    # the facts are all still there
    assert ws.store.table("post_facts").count().to_pyarrow().as_py() == 4


def test_posts_find_their_platform_from_the_catalog(ws: Workspace, tmp_path: Path) -> None:
    (tmp_path / "ig.csv").write_text("handle,followers\nann,1000\nboth,5\n")
    (tmp_path / "tt.csv").write_text("handle,followers\nboth,7\n")
    ws.import_file("creators", tmp_path / "ig.csv", IG)
    ws.import_file("creators", tmp_path / "tt.csv", ImportOptions(platform=Platform.TIKTOK))
    (tmp_path / "p.csv").write_text("handle,post_id,likes\nann,1,5\nboth,2,5\nghost,3,5\n")
    report = ws.import_file("posts", tmp_path / "p.csv")
    assert report.rows_accepted == 1
    reasons = sorted(r.reason for r in report.rejects)
    assert reasons == [
        "cannot tell the platform: @both is on several platforms; pass --platform",
        "cannot tell the platform: @ghost is not in the catalog; pass --platform",
    ]
    assert [r.line for r in sorted(report.rejects, key=lambda r: r.line or 0)] == [3, 4]


def test_posts_of_creators_not_yet_in_the_catalog_are_kept_and_counted_later(
    ws: Workspace, tmp_path: Path
) -> None:
    (tmp_path / "p.csv").write_text("handle,post_id,likes,comments\nann,1,50,5\nann,2,70,5\n")
    report = ws.import_file("posts", tmp_path / "p.csv", IG)
    assert any("not in the catalog" in w.message for w in report.warnings)
    (tmp_path / "c.csv").write_text("handle,followers\nann,1000\n")
    ws.import_file("creators", tmp_path / "c.csv", IG)
    profile = ws.get_creator("ann").profile
    assert profile.posts_measured == 2
    assert profile.er_followers_mean == pytest.approx(0.065)


def test_snapshot_files_feed_growth(ws: Workspace, tmp_path: Path) -> None:
    (tmp_path / "c.csv").write_text("handle,name\nann,Ann\n")
    ws.import_file("creators", tmp_path / "c.csv", ImportOptions(platform=Platform.TIKTOK))
    (tmp_path / "s.csv").write_text(
        "handle,date,followers\nann,2026-01-01,1000\nann,2026-03-02,1200\n"
    )
    report = ws.import_file(
        "snapshots", tmp_path / "s.csv", ImportOptions(platform=Platform.TIKTOK)
    )
    assert report.rows_accepted == 2
    growth = ws.list_creators(CreatorQuery()).creators[0].growth_30d
    assert growth == pytest.approx(0.2 * 30 / 60)


@pytest.mark.parametrize("kind", ["creators", "posts", "snapshots"])
def test_every_progress_bar_an_import_starts_ends_complete(
    ws: Workspace, tmp_path: Path, kind: str
) -> None:
    f = tmp_path / "rows.csv"
    rows = [f"h{i},p{i},{i * 10},2024-01-0{1 + i % 9}" for i in range(40)] + ["bad,p,x,?"]
    header = {
        "creators": "handle,post_id,followers,date",
        "posts": "handle,post_id,likes,posted_at",
        "snapshots": "handle,post_id,followers,observed_at",
    }[kind]
    f.write_text(header + "\n" + "\n".join(rows) + "\n")
    calls: list[tuple[str, int, int | None]] = []
    report = ws.import_file(kind, f, IG, progress=lambda *c: calls.append(c))
    last = {stage: (done, total) for stage, done, total in calls}
    assert {"reading", "writing"} <= set(last)
    assert last["reading"] == (report.rows_read, report.rows_read) == (41, 41)
    assert last["writing"] == (report.rows_accepted, report.rows_accepted)
    first_write = next(i for i, c in enumerate(calls) if c[0] == "writing")
    assert any(stage == "reading" and done > 0 for stage, done, _ in calls[:first_write])


def test_merged_records_are_counted_so_the_import_log_adds_up(
    ws: Workspace, tmp_path: Path
) -> None:
    f = tmp_path / "dups.csv"
    f.write_text("handle,followers\nann,10\nbo,20\nann,12\nbo,22\ncy,x\n")
    report = ws.import_file("creators", f, IG)
    parts = (report.rows_accepted, report.rows_merged, report.rows_rejected)
    assert parts == (2, 2, 1) and sum(parts) == report.rows_read == 5
    [record] = ws.imports()
    assert (record.rows_accepted, record.rows_merged, record.rows_rejected) == parts
    again = ws.import_file("creators", f, IG)
    assert again.skipped and again.rows_merged == 2
