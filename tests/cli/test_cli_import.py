"""Importing through the command line: what the summary says about values it could not be sure of."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_cli import run


def _followers(db: Path) -> dict[str, int]:
    listing = json.loads(run("creators", "list", "--limit", "0", "--json", db=db))
    return {c["handle"]: c["followers"] for c in listing["creators"]}


def test_a_count_like_12_000_is_refused_unless_the_file_or_the_user_says_how_to_read_it(
    tmp_path: Path,
) -> None:
    plain = tmp_path / "plain.csv"
    plain.write_text("handle,followers\nann,12.000\nbo,4500\ncy,700\n")
    db = tmp_path / "a.duckdb"
    out = run("import", "creators", str(plain), "-p", "ig", db=db)
    assert "2 accepted, 1 rejected" in out
    assert "line 2, column followers: '12.000': ambiguous count" in out and "--decimal ','" in out
    assert _followers(db) == {"bo": 4500, "cy": 700}

    # another number of the file reads only with a decimal comma: 12.000 is twelve thousand
    european = tmp_path / "european.csv"
    european.write_text("handle;followers\nann;12.000\nbo;1.234.567\n")
    db = tmp_path / "b.duckdb"
    run("import", "creators", str(european), "-p", "ig", db=db)
    assert _followers(db) == {"ann": 12_000, "bo": 1_234_567}

    for decimal, ann in ((",", 12_000), (".", 12)):
        db = tmp_path / f"forced{ann}.duckdb"
        out = run("import", "creators", str(plain), "-p", "ig", "--decimal", decimal, db=db)
        assert "3 accepted, 0 rejected" in out
        assert _followers(db)["ann"] == ann


def test_one_bad_jsonl_line_is_a_reject_with_its_line_and_the_rest_imports(tmp_path: Path) -> None:
    export = tmp_path / "creators.jsonl"
    export.write_text(
        '{"handle": "ann", "followers": 1200}\n{"handle": "bo", "followers": 30\n'
        '{"handle": "cy", "followers": "4.5k"}\n'
    )
    db = tmp_path / "ws.duckdb"
    out = run("import", "creators", str(export), "-p", "ig", db=db)
    assert "2 accepted, 1 rejected of 3 records" in out
    assert 'line 2: \'{"handle": "bo", "followers": 30\': invalid JSON at column' in out
    assert _followers(db) == {"ann": 1200, "cy": 4500}
    strict = tmp_path / "strict.duckdb"
    out = run("import", "creators", str(export), "-p", "ig", "--strict", db=strict, code=2)
    assert "1 record(s) rejected and --strict is set; nothing was imported" in out


def test_the_reject_summary_says_how_many_more_there_are_and_where(tmp_path: Path) -> None:
    rows = "".join(f"u{i},lots\ng{i},{i}\n" for i in range(12))
    export = tmp_path / "many.csv"
    export.write_text("handle,followers\n" + rows)
    rejects = tmp_path / "many.rejects.csv"
    out = run(
        "import", "creators", str(export), "-p", "ig", "--rejects", str(rejects), db=tmp_path / "a"
    )
    assert "12 accepted, 12 rejected" in out
    assert out.count(": 'lots': not a number") == 5
    assert f"… and 7 more (all in {rejects})" in out and "every reject is listed" not in out
    assert len(rejects.read_text().splitlines()) == 1 + 12
    few = tmp_path / "few.csv"
    few.write_text("handle,followers\nann,lots\nbo,5\n")
    out = run("import", "creators", str(few), "-p", "ig", db=tmp_path / "b")
    assert "every reject is listed in" in out and "more (all in" not in out


def test_a_follower_count_no_account_has_is_imported_with_a_warning_naming_it(
    tmp_path: Path,
) -> None:
    export = tmp_path / "big.csv"
    export.write_text("handle,followers\ncristiano,475.8m\nbig,29.0b\nsmall,12k\n")
    db = tmp_path / "ws.duckdb"
    out = run("import", "creators", str(export), "-p", "ig", db=db)
    assert "3 accepted, 0 rejected" in out
    assert (
        "warning: line 3, column 'followers': '29.0b' reads as 29,000,000,000 followers; "
        "no account has more than about 700M" in out
    )
    assert "475.8m' reads" not in out
    assert _followers(db)["big"] == 29_000_000_000

    many = tmp_path / "many.csv"
    many.write_text("handle,followers\n" + "".join(f"u{i},{i + 2}b\n" for i in range(8)))
    report = json.loads(run("import", "creators", str(many), "-p", "ig", "--json", db=db))
    named = [w for w in report["warnings"] if "reads as" in w["message"]]
    assert len(named) == 5
    assert report["warnings"][-1]["message"].startswith("… and 3 more follower count(s) above")


def _profiles(db: Path) -> dict[str, tuple[str | None, str | None]]:
    listing = json.loads(run("creators", "list", "--limit", "0", "--json", db=db))
    return {c["handle"]: (c["country"], c["language"]) for c in listing["creators"]}


def test_countries_and_languages_in_their_own_names_become_codes(tmp_path: Path) -> None:
    rows = [
        ("Belgique", "Français"),
        ("Deutschland", "Deutsch"),
        ("España", "Español"),
        ("Italia", "Italiano"),
        ("Nederland", "Nederlands"),
        ("Österreich", "deutsch"),
        ("Schweiz", "Deutsch"),
        ("Brasil", "Português"),
        ("México", "español"),
        ("日本", "日本語"),
        ("Ελλάδα", "Ελληνικά"),
        ("Россия", "Русский"),
        ("대한민국", "한국어"),
    ]
    export = tmp_path / "local.csv"
    export.write_text(
        "handle,followers,country,language\n"
        + "".join(f"u{i},{i + 1}k,{c},{lang}\n" for i, (c, lang) in enumerate(rows)),
        encoding="utf-8",
    )
    db = tmp_path / "ws.duckdb"
    out = run("import", "creators", str(export), "-p", "ig", db=db)
    assert f"{len(rows)} accepted, 0 rejected" in out
    codes = [
        ("BE", "fr"),
        ("DE", "de"),
        ("ES", "es"),
        ("IT", "it"),
        ("NL", "nl"),
        ("AT", "de"),
        ("CH", "de"),
        ("BR", "pt"),
        ("MX", "es"),
        ("JP", "ja"),
        ("GR", "el"),
        ("RU", "ru"),
        ("KR", "ko"),
    ]
    assert _profiles(db) == {f"u{i}": code for i, code in enumerate(codes)}


def test_a_repaired_mojibake_country_or_language_is_named_in_the_summary(tmp_path: Path) -> None:
    export = tmp_path / "mojibake.csv"
    export.write_text(
        "handle,followers,country,language\nann,10k,MÃ©xico,FranÃ§ais\nbo,20k,FR,fr\n"
        "cy,30k,MÃ©xico,es\n",
        encoding="utf-8",
    )
    db = tmp_path / "ws.duckdb"
    out = run("import", "creators", str(export), "-p", "ig", db=db)
    assert "3 accepted, 0 rejected" in out
    assert (
        "warning: column 'country': repaired mojibake (UTF-8 decoded twice) in 2 cell(s) before "
        "reading them, e.g. 'MÃ©xico' as 'México'" in out
    )
    assert "warning: column 'language': repaired mojibake (UTF-8 decoded twice) in 1 cell(s)" in out
    assert _profiles(db) == {"ann": ("MX", "fr"), "bo": ("FR", "fr"), "cy": ("MX", "es")}


def test_a_json_field_written_flat_and_nested_is_read_as_one_column(tmp_path: Path) -> None:
    export = tmp_path / "nested.jsonl"
    export.write_text(
        '{"username": "ann", "user": {"username": "@Ann", "followers": 1200}}\n'
        '{"user": {"username": "bo", "followers": 30}}\n'
        '{"username": "cy", "followers": 5}\n'
        '{"username": "dee", "user": {"username": "eve", "followers": 7}}\n'
    )
    db = tmp_path / "ws.duckdb"
    out = run("import", "creators", str(export), "-p", "ig", db=db)
    assert "3 accepted, 1 rejected of 4 records" in out
    assert "columns 'username' and 'user.username' both hold handle: read as one" in out
    assert "line 4, column username: 'dee': 'username' is 'dee' but 'user.username' is 'eve'" in out
    assert _followers(db) == {"ann": 1200, "bo": 30, "cy": 5}


def test_a_strict_reimport_of_a_file_that_had_rejects_fails_and_says_why(tmp_path: Path) -> None:
    export = tmp_path / "creators.csv"
    export.write_text("handle,followers\nann,10\nbo,lots\n")
    db = tmp_path / "ws.duckdb"
    run("import", "creators", str(export), "-p", "ig", db=db)
    again = run("import", "creators", str(export), "-p", "ig", db=db)
    assert "already imported as import #1 (it rejected 1 record(s) then); nothing changed" in again
    out = run("import", "creators", str(export), "-p", "ig", "--strict", db=db, code=2)
    assert out.strip().splitlines() == [
        f"error: {export}: --strict refuses a file with rejected records, and this file was "
        "already imported without it as import #1 (1 record(s) kept, 1 rejected); nothing "
        "changed now. Fix the file and import it again"
    ]
    clean = tmp_path / "clean.csv"
    clean.write_text("handle,followers\ncy,10\n")
    run("import", "creators", str(clean), "-p", "ig", db=db)
    assert "nothing changed" in run("import", "creators", str(clean), "-p", "ig", "--strict", db=db)
    assert _followers(db) == {"ann": 10, "cy": 10}
