"""The command line, in process: fixed width, no colour, exit codes asserted with the output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from creatormix.cli.app import app
from creatormix.workspace import Workspace
from tests.conftest import subprocess_env

runner = CliRunner()


def run(*args: str, db: Path | None = None, code: int = 0) -> str:
    argv = (["--db", str(db)] if db else []) + list(args)
    result = runner.invoke(app, argv, env={"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"})
    assert result.exit_code == code, f"exit {result.exit_code}: {result.output}"
    return result.output


def test_init_import_list_show_as_a_user_would(tmp_path: Path) -> None:
    db = tmp_path / "brand.duckdb"
    assert "Created: workspace" in run("init", str(db))
    export = tmp_path / "export.csv"
    export.write_text(
        "instagram name,#Followers,country,engagement rate,category\n"
        "@LunaGlow,45.2k,France,4.1%,beauty\nmarcfit,12k,FR,2.0%,fitness\nbigstar,2.5m,US,0.9%,fashion\nbad,lots,FR,1%,x\n"
    )
    out = run("import", "creators", str(export), "--platform", "instagram", db=db)
    assert "Import #1 creators" in out and "3 accepted" in out and "1 rejected" in out
    assert "line 5, column #Followers: 'lots': not a number" in out
    data = json.loads(
        run(
            "creators",
            "list",
            "--tier",
            "micro",
            "--country",
            "FR",
            "--min-er",
            "3%",
            "--sort",
            "er",
            "--json",
            db=db,
        )
    )
    assert [c["handle"] for c in data["creators"]] == ["lunaglow"]
    assert data["total"] == 1
    assert data["creators"][0]["engagement_rate"]["source"] == "export"
    shown = run("creators", "show", "@LUNAGLOW", db=db)
    assert (
        "@lunaglow on instagram" in shown and "tier: micro" in shown and "followers: 45.2k" in shown
    )
    listing = run("creators", "list", db=db)
    assert "3 creator(s)" in listing and "@bigstar" in listing


def test_every_listing_speaks_json(demo_copy: Path) -> None:
    for args in (
        ("creators", "list", "--limit", "3"),
        ("tiers",),
        ("tiers", "show"),
        ("imports",),
        ("creators", "show", "--posts", "2"),
    ):
        if args[:2] == ("creators", "show"):
            handle = json.loads(run("creators", "list", "--limit", "1", "--json", db=demo_copy))[
                "creators"
            ][0]
            args = (*args, f"{handle['platform']}:{handle['handle']}")
        payload = json.loads(run(*args, "--json", db=demo_copy))
        assert payload, args


def test_errors_are_one_red_line_with_an_exit_code(tmp_path: Path) -> None:
    missing = tmp_path / "nope.duckdb"
    out = run("creators", "list", db=missing, code=4)
    assert out.strip().splitlines() == [
        f"error: no workspace at {missing}; create one with `creatormix init {missing}` or point --db/CREATORMIX_DB at one"
    ]
    db = tmp_path / "ws.duckdb"
    run("init", str(db))
    out = run("creators", "show", "@nobody", db=db, code=3)
    assert out.strip() == "error: no creator @nobody"
    out = run("creators", "list", "--min-er", "lots", db=db, code=2)
    assert "--min-er 'lots'" in out and "Traceback" not in out


def test_error_text_is_printed_as_written_never_as_markup(tmp_path: Path) -> None:
    db = tmp_path / "ws.duckdb"
    run("init", str(db))
    # brackets in what the user typed (or in our own messages: "[deals]") stay, and never crash
    out = run("creators", "show", "[/x]y[bold]", db=db, code=3)
    assert out.strip() == "error: no creator @[/x]y[bold]"


def test_a_file_that_cannot_be_written_is_one_line_naming_it(
    demo_copy: Path, tmp_path: Path
) -> None:
    run("plan", "--goal", "engagement", "--budget", "3000", "--scenarios", "200", db=demo_copy)
    target = tmp_path / "no-such-folder" / "frontier.html"
    out = run("plans", "show", "1", "--frontier", str(target), db=demo_copy, code=1)
    lines = out.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "no-such-folder" in lines[0]
    assert "Traceback" not in out


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["--db", str(tmp_path / "nope.duckdb"), "--debug", "creators", "list"]
    )
    assert result.exit_code != 0
    assert result.exception is not None and type(result.exception).__name__ == "WorkspaceProblem"


def test_handles_match_in_any_case_with_or_without_at(demo_copy: Path) -> None:
    first = json.loads(
        run("creators", "list", "--limit", "1", "--platform", "tiktok", "--json", db=demo_copy)
    )["creators"][0]
    for spelling in (first["handle"], "@" + first["handle"].upper(), f"tiktok:{first['handle']}"):
        shown = json.loads(run("creators", "show", spelling, "--json", db=demo_copy))
        assert shown["profile"]["handle"] == first["handle"]


def test_filters_and_sorting(demo_copy: Path) -> None:
    data = json.loads(
        run(
            "creators",
            "list",
            "--platform",
            "instagram",
            "--tier",
            "micro,mid",
            "--min-followers",
            "20k",
            "--max-followers",
            "300k",
            "--sort",
            "followers",
            "--asc",
            "--limit",
            "0",
            "--json",
            db=demo_copy,
        )
    )
    followers = [c["followers"] for c in data["creators"]]
    assert followers == sorted(followers) and followers[0] >= 20_000 and followers[-1] <= 300_000
    assert {c["tier"] for c in data["creators"]} <= {"micro", "mid"}
    assert {c["platform"] for c in data["creators"]} == {"instagram"}
    assert len(followers) == data["total"]
    niche = json.loads(
        run("creators", "list", "--niche", "beauty", "--limit", "0", "--json", db=demo_copy)
    )
    assert niche["total"] > 0 and all("beauty" in c["categories"] for c in niche["creators"])


def test_tiers_set_switches_the_scheme(demo_copy: Path) -> None:
    before = json.loads(run("tiers", "--json", db=demo_copy))
    assert before["scheme"]["name"] == "default"
    after = json.loads(run("tiers", "set", "micro-50k", "--json", db=demo_copy))
    assert after["scheme"]["bands"]["mid"] == 50_000
    custom = json.loads(
        run("tiers", "set", "--platform", "youtube", "--micro", "5k", "--json", db=demo_copy)
    )
    assert custom["scheme"]["per_platform"]["youtube"]["micro"] == 5000
    run("tiers", "set", "bogus", db=demo_copy, code=2)


def test_reimport_says_nothing_changed(tmp_path: Path) -> None:
    db = tmp_path / "ws.duckdb"
    f = tmp_path / "c.csv"
    f.write_text("handle,followers\nann,10\n")
    run("import", "creators", str(f), "-p", "ig", db=db)
    assert "already imported as import #1; nothing changed" in run(
        "import", "creators", str(f), "-p", "ig", db=db
    )


def test_demo_builds_a_labelled_synthetic_workspace(tmp_path: Path) -> None:
    db = tmp_path / "demo.duckdb"
    out = run("demo", str(db), "--creators", "300")
    assert "SYNTHETIC DEMO DATA" in out and "Demo catalog by tier" in out
    with Workspace.open(db) as ws:
        assert ws.catalog_counts()["creators"] == 300


@pytest.mark.slow
def test_the_installed_entry_point_answers_help_quickly_and_env_selects_the_workspace(
    tmp_path: Path,
) -> None:
    env = subprocess_env() | {"CREATORMIX_DB": str(tmp_path / "env.duckdb")}
    done = subprocess.run(
        [sys.executable, "-m", "creatormix", "--help"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert "Usage" in done.stdout and "import" in done.stdout
    loaded = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "creatormix", "--help"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    heavy = {"ibis", "duckdb", "pyarrow", "scipy"}
    imported = {
        line.split("|")[-1].strip().split(".")[0]
        for line in loaded.stderr.splitlines()
        if "|" in line
    }
    assert not heavy & imported, heavy & imported
    subprocess.run(
        [sys.executable, "-m", "creatormix", "init"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert (tmp_path / "env.duckdb").exists()


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (("creators", "list", "--limit", "-1"), "--limit"),
        (("creators", "list", "--offset", "-5"), "--offset"),
        (("creators", "show", "ann", "--posts", "-1"), "--posts"),
    ],
)
def test_negative_limits_are_refused_with_the_option_named(
    tmp_path: Path, args: tuple[str, ...], option: str
) -> None:
    db = tmp_path / "w.duckdb"
    export = tmp_path / "c.csv"
    export.write_text("handle,followers\nann,10\n")
    run("import", "creators", str(export), "--platform", "instagram", db=db)
    out = run(*args, db=db, code=2)
    assert option in out and "greater than or equal to 0" in out, out
    assert "Traceback" not in out and "Binder" not in out


def test_the_workspace_refuses_negative_limits_too(tmp_path: Path) -> None:
    from creatormix.domain.imports import ImportOptions
    from creatormix.domain.platform import Platform
    from creatormix.domain.query import CreatorQuery
    from creatormix.errors import InvalidOption

    export = tmp_path / "c.csv"
    export.write_text("handle,followers\nann,10\n")
    with Workspace.create(tmp_path / "w.duckdb") as ws:
        ws.import_file("creators", export, ImportOptions(platform=Platform.INSTAGRAM))
        with pytest.raises(InvalidOption, match="limit must be 0 or more"):
            ws.list_creators(CreatorQuery(limit=-1))
        with pytest.raises(InvalidOption, match="offset must be 0 or more"):
            ws.list_creators(CreatorQuery(offset=-5))
        with pytest.raises(InvalidOption, match="posts must be 0 or more"):
            ws.get_creator("ann", posts=-1)


def _measured_and_prior_only(tmp_path: Path) -> Path:
    db = tmp_path / "er.duckdb"
    export = tmp_path / "er.csv"
    # ann and bo have an export rate; cy and dee only followers: their ER is the nano prior (4.8 %).
    export.write_text(
        "handle,followers,engagement_rate\nann,5000,6%\nbo,6000,1%\ncy,4000,\ndee,7000,\n"
    )
    run("import", "creators", str(export), "--platform", "instagram", db=db)
    return db


def test_er_filters_and_sorts_leave_out_prior_only_creators_and_say_how_many(
    tmp_path: Path,
) -> None:
    db = _measured_and_prior_only(tmp_path)
    data = json.loads(run("creators", "list", "--min-er", "3%", "--json", db=db))
    assert [c["handle"] for c in data["creators"]] == ["ann"]
    assert (data["total"], data["left_out_prior_only"]) == (1, 2)
    shown = run("creators", "list", "--min-er", "3%", db=db)
    assert "2 matching creator(s) without measured engagement" in shown
    assert "--include-prior" in shown
    everyone = json.loads(
        run("creators", "list", "--min-er", "3%", "--include-prior", "--json", db=db)
    )
    assert {c["handle"] for c in everyone["creators"]} == {"ann", "cy", "dee"}
    assert everyone["left_out_prior_only"] == 0
    by_er = json.loads(run("creators", "list", "--sort", "er", "--json", db=db))
    assert [c["handle"] for c in by_er["creators"]] == ["ann", "bo"]
    assert by_er["left_out_prior_only"] == 2
    by_followers = json.loads(run("creators", "list", "--json", db=db))
    assert by_followers["total"] == 4 and by_followers["left_out_prior_only"] == 0
    assert "without measured engagement" not in run("creators", "list", db=db)


@pytest.mark.parametrize(
    ("n", "shown"),
    [
        (9_999, "9.9k"),
        (10_000, "10.0k"),
        (45_200, "45.2k"),
        (99_999, "99.9k"),
        (999_999, "999k"),
        (2_500_000, "2.5M"),
        (475_800_000, "475.8M"),
        (999_999_999, "999.9M"),
        (999.7, "999"),
        (None, "—"),
    ],
)
def test_counts_are_shortened_by_truncating(n: float | None, shown: str) -> None:
    from creatormix.cli.render import fmt_followers

    assert fmt_followers(n) == shown


def test_a_count_below_a_tier_bound_never_displays_at_or_above_it() -> None:
    from creatormix.cli.render import fmt_followers
    from creatormix.domain.tiers import NAMED_SCHEMES

    def value(text: str) -> float:
        scale = {"k": 1e3, "M": 1e6, "B": 1e9}
        return float(text[:-1]) * scale[text[-1]] if text[-1] in scale else float(text)

    bounds = {b for s in NAMED_SCHEMES.values() for _, b in s.bands.lower_bounds()}
    for bound in bounds:
        assert value(fmt_followers(bound - 1)) < bound, (bound, fmt_followers(bound - 1))
        assert value(fmt_followers(bound)) <= bound


def test_the_post_table_marks_sponsored_posts_by_the_rule_the_share_counts(
    tmp_path: Path,
) -> None:
    db = tmp_path / "ads.duckdb"
    (tmp_path / "c.csv").write_text("handle,followers\nann,1000\n")
    (tmp_path / "p.csv").write_text(
        "handle,post_id,likes,caption,posted_at\n"
        "ann,p1,10,New lipstick #ad,2024-01-01\nann,p2,12,my #adventure,2024-01-02\n"
    )
    run("import", "creators", str(tmp_path / "c.csv"), "--platform", "instagram", db=db)
    run("import", "posts", str(tmp_path / "p.csv"), "--platform", "instagram", db=db)
    with Workspace.open(db) as ws:
        detail = ws.get_creator("ann")
    assert {p.post_id: p.disclosed for p in detail.recent_posts} == {"p1": True, "p2": False}
    assert detail.profile.extras.get("sponsored_posts") == 1
    shown = run("creators", "show", "ann", db=db)
    assert "sponsored posts: 50% (1 of 2)" in shown
    [ad_row] = [line for line in shown.splitlines() if "lipstick" in line]
    [other_row] = [line for line in shown.splitlines() if "adventure" in line]
    assert "yes (marker)" in ad_row and "yes" not in other_row


def test_imports_and_the_import_summary_show_merged_records(tmp_path: Path) -> None:
    db = tmp_path / "m.duckdb"
    export = tmp_path / "dups.csv"
    export.write_text("handle,followers\nann,10\nbo,20\nann,12\nbo,22\n")
    out = run("import", "creators", str(export), "--platform", "instagram", db=db)
    assert "2 accepted, 2 merged into duplicates, 0 rejected of 4 records" in out
    [record] = json.loads(run("imports", "--json", db=db))["imports"]
    assert (record["rows_read"], record["rows_accepted"], record["rows_merged"]) == (4, 2, 2)
    table = run("imports", db=db)
    assert "merged" in table and "│    4 │        2 │      2 │        0 │" in table


def test_listings_of_a_synthetic_workspace_say_so_in_one_line(tmp_path: Path) -> None:
    from creatormix.domain.labels import SYNTHETIC_LABEL

    db = tmp_path / "demo-like.duckdb"
    export = tmp_path / "c.csv"
    export.write_text("handle,followers\nann,10\n")
    run("import", "creators", str(export), "--platform", "instagram", db=db)
    assert "synthetic" not in run("creators", "list", db=db).lower()
    with Workspace.open(db) as ws:
        assert ws.synthetic_label() is None
        ws.mark_synthetic()
    for args in (("creators", "list"), ("creators", "show", "ann")):
        notes = [line for line in run(*args, db=db).splitlines() if "synthetic demo" in line]
        assert len(notes) == 1 and SYNTHETIC_LABEL in notes[0], args
    data = json.loads(run("creators", "list", "--json", db=db))
    assert data["synthetic"] == SYNTHETIC_LABEL
    assert (
        json.loads(run("creators", "show", "ann", "--json", db=db))["synthetic"] == SYNTHETIC_LABEL
    )
