"""Vetting through the Workspace on real DuckDB files: imports (good and bad), audits, fit,
relevance and the factors the planner consumes."""

from __future__ import annotations

from pathlib import Path

import pytest

from creatormix.domain.vetting import Target
from creatormix.errors import RowsRejected
from creatormix.store import vetting as vstore
from creatormix.store.migrations import CURRENT_VERSION
from creatormix.workspace import Workspace
from tests.follower_samples import followers, write_rows

CREATORS = """handle,platform,followers,country,language,category,bio
bought_bea,instagram,40000,FR,fr,beauty,Vegan skincare routines
clean_chloe,instagram,38000,FR,fr,beauty,Vegan skincare and clean beauty
us_ursula,instagram,41000,US,en,beauty,Skincare for dry skin
gamer_gus,instagram,39000,FR,fr,gaming,Retro games and speedruns
"""


@pytest.fixture
def vet_ws(ws: Workspace, tmp_path: Path) -> Workspace:
    creators = tmp_path / "creators.csv"
    creators.write_text(CREATORS, encoding="utf-8")
    ws.import_file("creators", creators)
    rows = followers("bought_bea", 400, 0.4, 1) + followers("clean_chloe", 400, 0.0, 2)
    ws.import_file("followers-sample", write_rows(tmp_path / "sample.csv", rows))
    audience = [
        {"creator": "bought_bea", "dimension": "country", "segment": "France", "share": "70%"},
        {"creator": "bought_bea", "dimension": "country", "segment": "Belgium", "share": "30%"},
        {"creator": "clean_chloe", "dimension": "country", "segment": "FR", "share": "90%"},
        {"creator": "clean_chloe", "dimension": "country", "segment": "other", "share": "10%"},
        {
            "creator": "us_ursula",
            "dimension": "country",
            "segment": "United States",
            "share": "85%",
        },
        {"creator": "us_ursula", "dimension": "country", "segment": "CA", "share": "15%"},
        {"creator": "us_ursula", "dimension": "age", "segment": "18-24", "share": "60%"},
        {"creator": "us_ursula", "dimension": "age", "segment": "25–34", "share": "40%"},
    ]
    ws.import_file("audience", write_rows(tmp_path / "audience.csv", audience))
    return ws


def test_a_creator_with_40_percent_fake_followers_keeps_about_60_percent_of_reach(
    vet_ws: Workspace,
) -> None:
    keys = [("instagram", "bought_bea"), ("instagram", "clean_chloe")]
    factors = vet_ws.vetting_factors(keys, Target(countries=("FR", "BE")))
    bought, clean = factors.row(0), factors.row(1)
    assert bought["fake_share"] == pytest.approx(0.4, abs=0.06)
    assert bought["authenticity"] == pytest.approx(0.6, abs=0.06)
    assert clean["authenticity"] > 0.9
    assert factors.keys == tuple(keys)


def test_an_audience_outside_the_ship_to_countries_gives_a_low_fit(vet_ws: Workspace) -> None:
    keys = [("instagram", "us_ursula"), ("instagram", "clean_chloe"), ("instagram", "gamer_gus")]
    factors = vet_ws.vetting_factors(
        keys, Target(countries=("FR", "BE"), keywords="vegan skincare")
    )
    us, fr, no_shares = (factors.row(i) for i in range(3))
    assert us["fit"] == 0.0 and us["fit_confidence"] == 1.0
    assert fr["fit"] == pytest.approx(0.9)
    assert 0.5 < no_shares["fit"] < 0.65 and no_shares["fit_confidence"] < 0.5  # assumed from FR
    assert fr["relevance"] > 0.5 > no_shares["relevance"] == 0.0


def test_audit_reports_fake_share_with_interval_and_sample_size(vet_ws: Workspace) -> None:
    report = vet_ws.audit("@bought_bea")
    assert report.audit is not None and report.audit.sample_size == 400
    low, high = report.audit.fake_interval.low, report.audit.fake_interval.high
    # 160 of 400 followers are fake; the interval also holds the calibration's uncertainty
    assert low < report.audit.fake_share < high and low < 0.4 < high and high - low < 0.15
    assert report.audit.split_counts["mass_followers"] == 160  # the fakes follow en masse
    assert report.audit.split["suspicious"] == pytest.approx(report.audit.fake_share)
    assert report.reasons[0] == "not enough data: 0 posts, 400 sampled followers"  # no post
    assert report.reasons[1].startswith("an estimated 4") and report.confidence == "low"
    assert vet_ws.audit("@us_ursula").confidence == "low"  # no sample


def test_a_new_sample_replaces_the_old_one_and_facts_stay(
    vet_ws: Workspace, tmp_path: Path
) -> None:
    rows = followers("bought_bea", 25, 0.0, 9)
    vet_ws.import_file("followers-sample", write_rows(tmp_path / "resample.csv", rows))
    report = vet_ws.audit("@bought_bea")
    assert (
        report.audit is not None and report.audit.sample_size == 25 and report.audit.low_confidence
    )
    assert vet_ws.store.table("follower_samples").count().to_pyarrow().as_py() == 825


def test_missing_fields_import_and_are_scored_with_a_wider_interval(
    ws: Workspace, tmp_path: Path
) -> None:
    creators = tmp_path / "creators.csv"
    creators.write_text(CREATORS, encoding="utf-8")
    ws.import_file("creators", creators)
    full = followers("bought_bea", 200, 0.3, 3)
    holed = [
        {**r, "creator": "clean_chloe", "posts": "" if i % 2 else r["posts"]}
        for i, r in enumerate(full)
    ]
    report = ws.import_file("followers-sample", write_rows(tmp_path / "s.csv", full + holed))
    assert report.rows_rejected == 0
    a, b = ws.audit("@bought_bea").audit, ws.audit("@clean_chloe").audit
    assert a is not None and b is not None
    assert b.missing_fields == {"posts": 100}
    assert b.fake_interval.high - b.fake_interval.low > a.fake_interval.high - a.fake_interval.low


def test_audience_shares_off_by_a_little_are_scaled_with_a_warning(
    ws: Workspace, tmp_path: Path
) -> None:
    rows = [
        {
            "creator": "x",
            "platform": "instagram",
            "dimension": "gender",
            "segment": "F",
            "share": "57%",
        },
        {
            "creator": "x",
            "platform": "instagram",
            "dimension": "gender",
            "segment": "M",
            "share": "37%",
        },
    ]
    report = ws.import_file("audience", write_rows(tmp_path / "a.csv", rows))
    assert report.rows_accepted == 2
    assert any("scaled to 100%" in w.message and "94%" in w.message for w in report.warnings)
    shares = vstore.shares(ws.store, [("instagram", "x")])[("instagram", "x")]["gender"]
    assert shares["female"] == pytest.approx(0.57 / 0.94)


def test_audience_shares_far_from_100_percent_and_bad_segments_are_rejected(
    ws: Workspace, tmp_path: Path
) -> None:
    rows = [
        {
            "creator": "x",
            "platform": "instagram",
            "dimension": "country",
            "segment": "FR",
            "share": "50%",
        },
        {
            "creator": "x",
            "platform": "instagram",
            "dimension": "country",
            "segment": "DE",
            "share": "20%",
        },
        {
            "creator": "x",
            "platform": "instagram",
            "dimension": "age",
            "segment": "teens",
            "share": "100%",
        },
        {
            "creator": "x",
            "platform": "instagram",
            "dimension": "language",
            "segment": "fr",
            "share": "100%",
        },
        {
            "creator": "x",
            "platform": "instagram",
            "dimension": "mood",
            "segment": "happy",
            "share": "100%",
        },
    ]
    report = ws.import_file(
        "audience", write_rows(tmp_path / "a.csv", rows), rejects_path=tmp_path / "r.csv"
    )
    assert report.rows_accepted == 1 and report.rows_rejected == 4
    reasons = {(r.record, r.column): r.reason for r in report.rejects}
    assert "sum to 70%" in reasons[(1, "share")] and "other" in reasons[(1, "share")]
    assert "not an age band" in reasons[(3, "segment")]
    assert "dimension must be" in reasons[(5, "dimension")]
    assert all(r.line == r.record + 1 for r in report.rejects)  # header is line 1
    with pytest.raises(RowsRejected):
        ws.import_file("audience", write_rows(tmp_path / "b.csv", rows[:2]))
    assert (
        ws.store.table("audience_shares").count().to_pyarrow().as_py() == 1
    )  # nothing half-written


def test_a_workspace_from_schema_1_migrates_to_the_vetting_tables(new_db: str) -> None:
    from creatormix.store.core import Store
    from creatormix.store.migrations import applied_versions

    path = new_db
    with Store.open(path, create=True, migrate_to=1) as store:
        assert applied_versions(store) == {1}
    with Workspace.open(path) as ws:
        assert ws.store.schema_version() == CURRENT_VERSION
        assert ws.store.has_table("follower_samples") and ws.store.has_table("audience_shares")


def test_a_sample_with_only_a_creator_column_is_refused_in_one_line(
    vet_ws: Workspace, tmp_path: Path
) -> None:
    from creatormix.errors import ColumnProblem

    path = tmp_path / "creator_only.csv"
    path.write_text("creator\nbought_bea\nbought_bea\n", encoding="utf-8")
    with pytest.raises(ColumnProblem, match=r"creator_only\.csv: no follower profile column"):
        vet_ws.import_file("followers-sample", path)


def test_blank_follower_rows_are_rejected_with_their_line(
    vet_ws: Workspace, tmp_path: Path
) -> None:
    header = "creator,username,posts,following,followers,has_profile_picture,is_private\n"
    blank = tmp_path / "blank.csv"
    blank.write_text(header + "gamer_gus,,,,,,\n" * 3, encoding="utf-8")
    with pytest.raises(RowsRejected, match="no record could be imported"):
        vet_ws.import_file("followers-sample", blank)
    mixed = tmp_path / "mixed.csv"
    mixed.write_text(
        header + "gamer_gus,anna.b,120,300,400,yes,no\ngamer_gus, ,,,,,\n", encoding="utf-8"
    )
    report = vet_ws.import_file("followers-sample", mixed)
    assert report.rows_accepted == 1 and report.rows_rejected == 1
    (reject,) = report.rejects
    assert reject.line == 3 and "needs at least one profile field" in reject.reason
    assert vet_ws.audit("@gamer_gus").audit is not None


def test_a_stored_sample_without_fields_never_stops_workspace_wide_commands(
    vet_ws: Workspace,
) -> None:
    """Workspaces imported before blank rows were refused still hold such samples."""
    import pyarrow as pa

    from creatormix.store import vetting as vstore
    from creatormix.store.core import utcnow
    from creatormix.store.migrations.m003_vetting import FOLLOWER_SAMPLES

    n = 3
    types = {"string": pa.string(), "int64": pa.int64(), "boolean": pa.bool_()}
    types["timestamp"] = pa.timestamp("us")
    table = pa.table(
        {
            **{
                c: pa.nulls(n, types[t])
                for c, t in FOLLOWER_SAMPLES.items()
                if c not in {"fact_seq", "import_id"}
            },
            "handle": ["gamer_gus"] * n,
            "platform": ["instagram"] * n,
            "_record": list(range(n)),
        }
    )
    with vet_ws.store.transaction():
        import_id = vet_ws.store.next_id("imports", "import_id")
        vstore.append_follower_samples(vet_ws.store, table, import_id, utcnow())
    reports = {r.handle: r for r in vet_ws.audit_all()}
    gus = reports["gamer_gus"]
    assert gus.audit is None and gus.assumed_fake_share is not None
    assert any("could not be audited" in r for r in gus.reasons)
    assert reports["bought_bea"].audit is not None
    factors = vet_ws.vetting_factors([("instagram", "gamer_gus")], Target(countries=("FR",)))
    assert factors.fake_measured == (False,)
    assert vet_ws.creator_vetting("@gamer_gus").authenticity.audit is None


def _audience(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("creator,dimension,segment,share\n" + "\n".join(lines) + "\n", "utf-8")
    return path


def test_unknown_age_and_gender_shares_count_in_the_total_never_in_the_target(
    vet_ws: Workspace, tmp_path: Path
) -> None:
    path = _audience(
        tmp_path,
        "a.csv",
        [
            "gamer_gus,age,18-24,40%",
            "gamer_gus,age,25-34,40%",
            "gamer_gus,age,unknown,20%",
            "gamer_gus,gender,female,60%",
            "gamer_gus,gender,unknown,40%",
        ],
    )
    assert vet_ws.import_file("audience", path).rows_accepted == 5
    shares = vet_ws.audience_shares("@gamer_gus")
    assert shares["age"]["other"] == pytest.approx(0.2) and "unknown" in shares["gender"]
    fit = vet_ws.audience_fits([("instagram", "gamer_gus")], Target(ages=("18-24",)))[0]
    assert fit.fit == pytest.approx(0.4)
    other = vet_ws.audience_fits([("instagram", "gamer_gus")], Target(genders=("other",)))[0]
    assert other.fit == 0.0  # "unknown" is not the gender "other"
    hits, _ = vet_ws.search_creators("games", Target(ages=("18-24",)))
    assert [h.handle for h in hits] == ["gamer_gus"]
    assert vet_ws.creator_vetting("@gamer_gus", Target(ages=("18-34",))).fit is not None


def test_share_units_are_decided_per_creator_and_dimension(
    vet_ws: Workspace, tmp_path: Path
) -> None:
    path = _audience(
        tmp_path,
        "units.csv",
        [
            "clean_chloe,country,FR,0.5",
            "clean_chloe,country,BE,0.5",
            "us_ursula,country,US,0.7",
            "us_ursula,country,CA,1.1",  # one bad cell in a file of fractions
            "gamer_gus,gender,female,55",
            "gamer_gus,gender,male,45",
            "bought_bea,language,fr,150%",
        ],
    )
    report = vet_ws.import_file("audience", path, rejects_path=tmp_path / "r.csv")
    assert report.rows_accepted == 4
    by_line = {r.line: r for r in report.rejects}
    assert by_line[5].value == "1.1" and by_line[4].value == "0.7"  # as written, not 0.007
    assert "between 0% and 100%" in by_line[5].reason and "sum to 70%" in by_line[4].reason
    assert by_line[8].value == "150%" and "100%" in by_line[8].reason
    assert vet_ws.audience_shares("@clean_chloe")["country"] == {"FR": 0.5, "BE": 0.5}
    assert vet_ws.audience_shares("@gamer_gus")["gender"]["female"] == pytest.approx(0.55)
    assert any("as fractions for 2" in w.message for w in report.warnings)
    assert not any("numbers without % are read as" in w.message for w in report.warnings)


def test_a_segment_given_twice_is_added_up_with_a_warning(
    vet_ws: Workspace, tmp_path: Path
) -> None:
    path = _audience(
        tmp_path, "dup.csv", ["gamer_gus,country,FR,50%", "gamer_gus,country,France,50%"]
    )
    report = vet_ws.import_file("audience", path)
    assert report.rows_accepted == 2
    (warning,) = [w for w in report.warnings if "given twice" in w.message]
    assert "@gamer_gus country FR (lines 2, 3)" in warning.message
