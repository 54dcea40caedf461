"""What the command line says about what an import inferred, and the duplicate commands."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_cli import run

TOP = "Rank,name,followers,followers\n1,leomessi,504M,504100000\n2,433,67M,67000000\n"


def test_the_summary_lists_each_inference_in_one_line_and_json_as_data(tmp_path: Path) -> None:
    f = tmp_path / "top.csv"
    f.write_text(TOP)
    out = run("import", "creators", str(f), "-p", "instagram", db=tmp_path / "a.duckdb")
    lines = [line.strip() for line in out.splitlines() if "inferred:" in line]
    assert lines == [
        "inferred: skipped 1 decorative column(s) (row numbers, ranks or empty): 'Rank'",
        "inferred: handle from column 'name' (2/2 sampled values are valid Instagram handles, "
        "e.g. 'leomessi')",
        "inferred: followers: 2 columns 'followers', display and exact, agree on 2/2 rows; "
        "loaded the exact one (followers#2)",
    ]
    checked = [line.strip() for line in out.splitlines() if "checked:" in line]
    assert checked == [
        "checked: values read as their headers say in 1 typed column(s): 'followers' (followers)"
    ]
    data = json.loads(
        run("import", "creators", str(f), "-p", "ig", "--json", db=tmp_path / "b.duckdb")
    )
    assert [(i["topic"], i["changed"]) for i in data["inferences"]] == [
        ("decorative", True),
        ("identity", True),
        ("pair", True),
        ("profile", False),
    ]
    assert data["inferences"][2]["accept"] == "--map 'followers#1=ignore'"
    assert data["inferences"][3]["accept"] is None


def test_a_clean_file_says_what_was_checked_and_imports_under_strict(tmp_path: Path) -> None:
    f = tmp_path / "clean.csv"
    f.write_text("username,name,followers\nleomessi,Leo Messi,504M\n433,433,67M\n")
    out = run("import", "creators", str(f), "-p", "ig", "--strict", db=tmp_path / "c.duckdb")
    assert "inferred:" not in out
    checked = [line.strip() for line in out.splitlines() if "checked:" in line]
    assert checked == [
        "checked: handle from column 'username', as its header says (2/2 sampled values are "
        "valid Instagram handles, e.g. 'leomessi'); name from column 'name', as its header "
        "says (display text, e.g. 'Leo Messi')",
        "checked: values read as their headers say in 1 typed column(s): 'followers' (followers)",
    ]


def test_explain_prints_each_column_and_imports_nothing(tmp_path: Path) -> None:
    f = tmp_path / "top.csv"
    f.write_text(TOP)
    db = tmp_path / "w.duckdb"
    out = run("import", "creators", str(f), "-p", "ig", "--explain", db=db)
    assert "nothing was imported (--explain)" in out
    rows = [line for line in out.splitlines() if "│" in line]
    assert any("Rank" in r and "decorative" in r for r in rows)
    assert any("name" in r and "handle" in r and "inferred" in r and "100%" in r for r in rows)
    data = json.loads(run("import", "creators", str(f), "-p", "ig", "--explain", "--json", db=db))
    assert [(c["header"], c["field"], c["rule"]) for c in data["columns"]] == [
        ("Rank", None, "decorative"),
        ("name", "handle", "inferred"),
        ("followers", None, "paired"),
        ("followers", "followers", "alias"),
    ]
    assert json.loads(run("imports", "--json", db=db))["imports"] == []


def test_strict_refuses_each_inference_naming_the_map_that_accepts_it(tmp_path: Path) -> None:
    f = tmp_path / "top.csv"
    f.write_text(TOP)
    out = run(
        "import", "creators", str(f), "-p", "ig", "--strict", db=tmp_path / "s.duckdb", code=2
    )
    assert "3 column problems, nothing was imported" in out
    assert "--strict: say so with --map 'followers#1=ignore'" in out
    accepted = run(
        "import", "creators", str(f), "-p", "ig", "--strict",
        "--map", "Rank=ignore", "--map", "name=handle", "--map", "followers#1=ignore",
        db=tmp_path / "s.duckdb",
    )  # fmt: skip
    assert "2 accepted, 0 rejected" in accepted


def test_duplicates_merge_and_unmerge_from_the_command_line(tmp_path: Path) -> None:
    db = tmp_path / "d.duckdb"
    a = tmp_path / "a.csv"
    a.write_text("handle,followers\ntseries,245M\n")
    b = tmp_path / "b.csv"
    b.write_text("handle,followers\nt-series,243M\n")
    run("import", "creators", str(a), "-p", "youtube", db=db)
    run("import", "creators", str(b), "-p", "youtube", db=db)
    listed = json.loads(run("creators", "duplicates", "--json", db=db))["duplicates"]
    assert [(d["source"], d["target"]) for d in listed] == [("t-series", "tseries")]
    out = run("creators", "merge", "youtube:t-series", "youtube:tseries", db=db)
    assert out.startswith("merge #1: youtube:t-series is now read as youtube:tseries")
    handles = [
        c["handle"] for c in json.loads(run("creators", "list", "--json", db=db))["creators"]
    ]
    assert handles == ["tseries"]
    assert "merge #1 undone" in run("creators", "unmerge", "1", db=db)
    merges = json.loads(run("creators", "merges", "--json", db=db))["merges"]
    assert [(m["merge_id"], m["undone"]) for m in merges] == [(1, True)]
    assert "already undone" in run("creators", "unmerge", "1", db=db, code=2)


def test_a_db_that_is_not_a_workspace_is_one_line_and_left_alone(tmp_path: Path) -> None:
    f = tmp_path / "creators.csv"
    f.write_text("handle,followers\nann,10\n")
    before = f.read_bytes()
    out = run("creators", "list", db=f, code=4)
    assert out.strip().startswith("error:") and len(out.strip().splitlines()) == 1
    assert "is not a creatormix workspace" in out and f.read_bytes() == before
