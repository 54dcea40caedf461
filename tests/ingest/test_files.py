"""Files as marketers have them: delimiters, BOMs, encodings, multi-line cells, broken headers."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from creatormix.domain.imports import ImportOptions
from creatormix.domain.platform import Platform
from creatormix.domain.query import CreatorQuery
from creatormix.errors import (
    ColumnProblem,
    EncodingProblem,
    FileFormatProblem,
    InvalidOption,
    RowsRejected,
)
from creatormix.workspace import Workspace

IG = ImportOptions(platform=Platform.INSTAGRAM)


def handles(ws: Workspace) -> dict[str, int | None]:
    return {
        p.creator.handle: p.creator.followers
        for p in ws.list_creators(CreatorQuery(limit=None)).creators
    }


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_any_common_delimiter_is_detected(ws: Workspace, tmp_path: Path, delimiter: str) -> None:
    f = tmp_path / "c.csv"
    f.write_text(
        delimiter.join(["handle", "followers", "country"])
        + "\nann"
        + delimiter
        + "1200"
        + delimiter
        + "FR\nbo"
        + delimiter
        + "3.3k"
        + delimiter
        + "DE\n"
    )
    ws.import_file("creators", f, IG)
    assert handles(ws) == {"ann": 1200, "bo": 3300}


def test_utf8_bom_and_utf16_bom_files_read(ws: Workspace, tmp_path: Path) -> None:
    a = tmp_path / "a.csv"
    a.write_bytes("\ufeffhandle,name,followers\nzoe,Zoé,10\n".encode())
    b = tmp_path / "b.txt"
    b.write_bytes("handle\tname\tfollowers\nmueller\tMüller\t20\n".encode("utf-16"))
    ws.import_file("creators", a, IG)
    report = ws.import_file("creators", b, IG)
    assert report.encoding == "utf-16"
    assert handles(ws) == {"zoe": 10, "mueller": 20}
    assert ws.get_creator("mueller").profile.creator.name == "Müller"
    assert ws.get_creator("zoe").profile.creator.name == "Zoé"


def test_windows_1252_text_is_decoded_with_a_warning_naming_the_offset(
    ws: Workspace, tmp_path: Path
) -> None:
    f = tmp_path / "excel.csv"
    f.write_bytes("handle,name,followers\nleo,Léo Café,50\n".encode("cp1252"))
    report = ws.import_file("creators", f, IG)
    assert report.encoding == "cp1252"
    assert any("offset 27" in w.message and "Windows-1252" in w.message for w in report.warnings)
    assert ws.get_creator("@leo").profile.creator.name == "Léo Café"


def test_bytes_that_are_no_known_encoding_are_rejected_with_their_offset(
    ws: Workspace, tmp_path: Path
) -> None:
    f = tmp_path / "broken.csv"
    f.write_bytes(b"handle,followers\nok,1\nbad\x81\x8d,2\n")  # 0x81 is undefined in Windows-1252
    with pytest.raises(EncodingProblem, match="byte offset 25") as err:
        ws.import_file("creators", f, IG)
    assert err.value.offset == 25
    assert ws.imports() == []


def test_quoted_multiline_cells_keep_their_physical_line_in_rejects(
    ws: Workspace, tmp_path: Path
) -> None:
    (tmp_path / "c.csv").write_text("handle,followers\nann,100\n")
    ws.import_file("creators", tmp_path / "c.csv", IG)
    f = tmp_path / "posts.csv"
    f.write_text(
        "handle,post_id,likes,caption\n"
        'ann,p1,10,"first line\nsecond line\nthird"\n'
        'ann,p2,lots,"one"\n'
        'ann,p3,12,"a ""quoted"" word"\n'
    )
    report = ws.import_file("posts", f, IG)
    assert report.rows_accepted == 2
    [reject] = report.rejects
    assert (reject.line, reject.record, reject.column, reject.value) == (5, 2, "likes", "lots")
    assert "not a number" in reject.reason
    rows = list(csv.DictReader(Path(report.rejects_file or "").read_text().splitlines()))
    assert rows == [
        {
            "file": str(f),
            "line": "5",
            "record": "2",
            "column": "likes",
            "value": "lots",
            "reason": reject.reason,
            "outcome": "record rejected",
        }
    ]
    detail = ws.get_creator("ann")
    assert {p.caption for p in detail.recent_posts} == {
        "first line\nsecond line\nthird",
        'a "quoted" word',
    }


def test_a_duplicated_header_is_refused_until_the_user_says_which_column(
    ws: Workspace, tmp_path: Path
) -> None:
    f = tmp_path / "dup.csv"
    f.write_text("handle,followers,Followers\nann,10,99\n")
    with pytest.raises(
        ColumnProblem,
        match=r"'followers' 2 times and they disagree.*line 2.*--map 'Followers#2=ignore'",
    ):
        ws.import_file("creators", f, IG)
    ws.import_file(
        "creators", f, ImportOptions(platform=Platform.INSTAGRAM, mapping={"Followers": "ignore"})
    )
    assert handles(ws) == {"ann": 10}


def test_two_columns_that_mean_the_same_field_are_refused(ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "amb.csv"
    f.write_text("username,followers,subscribers\nann,10,12\n")
    with pytest.raises(ColumnProblem, match="all look like followers"):
        ws.import_file("creators", f, IG)


def test_a_header_split_across_lines_is_refused(ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "split.csv"
    f.write_text("handle,fol\nlowers,country\nann,10,FR\nbo,20,DE\n")
    with pytest.raises(FileFormatProblem, match="split across lines"):
        ws.import_file("creators", f, IG)
    g = tmp_path / "split2.csv"
    g.write_text("handle,followers,\ncountry\nann,10,FR\n")
    with pytest.raises(FileFormatProblem, match="split across lines"):
        ws.import_file("creators", g, IG)


def test_a_header_cell_with_a_line_break_is_read_as_one_name(ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "wrapped.csv"
    f.write_text('handle,"Followers\ncount"\nann,10\n')
    report = ws.import_file("creators", f, IG)
    assert report.column_map == {"handle": "handle", "Followers count": "followers"}
    assert any("span lines" in w.message for w in report.warnings)
    assert handles(ws) == {"ann": 10}


def test_a_column_whose_content_contradicts_its_name_is_never_loaded_silently(
    ws: Workspace, tmp_path: Path
) -> None:
    f = tmp_path / "views.csv"
    rows = ["handle,views,likes"] + [
        f"p{i},{c},{i}"
        for i, c in enumerate(["France", "Spain", "Germany", "Italy", "Brazil", "Japan"])
    ]
    f.write_text("handle,post_id,views,likes\n" + "\n".join(f"ann,{r}" for r in rows[1:]) + "\n")
    with pytest.raises(
        ColumnProblem, match=r"column 'views'.*look like country names.*--map 'views=ignore'"
    ):
        ws.import_file("posts", f, ImportOptions(platform=Platform.INSTAGRAM, strict=True))
    report = ws.import_file("posts", f, IG)  # posts have no country field: left out, said so
    assert report.rows_accepted == 6
    [left_out] = [i for i in report.inferences if i.topic == "left-out"]
    assert left_out.columns == ("views",) and "country names" in left_out.message


def test_a_rule_line_under_the_header_is_skipped(ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "rule.tsv"
    f.write_text("Username\t#Followers\n=========\nann\t10\n")
    report = ws.import_file("creators", f, IG)
    assert report.rows_accepted == 1
    assert any("rule line" in w.message for w in report.warnings)


def test_a_decimal_comma_file_is_detected_and_said(ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "de.csv"
    f.write_text("handle;followers;engagement rate\nann;1.234.567;3,5%\nbo;12.345;1,2%\n")
    report = ws.import_file("creators", f, IG)
    assert any("decimal comma" in w.message for w in report.warnings)
    assert handles(ws) == {"ann": 1_234_567, "bo": 12_345}
    assert ws.get_creator("ann").profile.creator.engagement_rate == pytest.approx(0.035)


def test_json_array_jsonl_and_parquet_read_the_same(ws: Workspace, tmp_path: Path) -> None:
    records = [
        {"user": {"username": "ann", "followers": "12k"}, "country": "FR"},
        {"user": {"username": "bo", "followers": 900}, "country": None},
    ]
    (tmp_path / "a.json").write_text(json.dumps({"data": records}))
    (tmp_path / "b.jsonl").write_text(
        "\n".join(
            json.dumps(
                r
                | {
                    "user": {
                        "username": r["user"]["username"] + "2",
                        "followers": r["user"]["followers"],
                    }
                }
            )
            for r in records
        )
        + "\n"
    )
    pq.write_table(
        pa.table({"handle": ["ann3", "bo3"], "followers": [12000, 900], "country": ["FR", None]}),
        tmp_path / "c.parquet",
    )
    for name in ("a.json", "b.jsonl", "c.parquet"):
        ws.import_file("creators", tmp_path / name, IG)
    assert handles(ws) == {
        "ann": 12000,
        "bo": 900,
        "ann2": 12000,
        "bo2": 900,
        "ann3": 12000,
        "bo3": 900,
    }


def test_an_invalid_json_line_is_rejected_with_its_line_and_the_rest_loads(
    ws: Workspace, tmp_path: Path
) -> None:
    f = tmp_path / "bad.jsonl"
    f.write_text(
        '{"handle": "ann", "followers": 1}\n{"handle": "bo", followers: 2}\n\n'
        '["not", "a", "record"]\n{"handle": "cy", "followers": "lots"}\n{"handle": "dee", "followers": 4}\n'
    )
    report = ws.import_file("creators", f, IG)
    assert report.rows_accepted == 2 and report.rows_rejected == 3
    where = [(r.line, r.record, r.column) for r in report.rejects]
    assert where == [(2, 2, None), (4, 3, None), (5, 4, "followers")]
    assert report.rejects[0].reason.startswith("invalid JSON at column 18")
    assert report.rejects[1].reason == "expected a JSON object, found an array"
    assert {c.creator.handle for c in ws.list_creators().creators} == {"ann", "dee"}


def test_a_json_file_with_no_readable_record_or_broken_syntax_stops(
    ws: Workspace, tmp_path: Path
) -> None:
    lines = tmp_path / "bad.jsonl"
    lines.write_text('{"handle": "bo", followers: 2}\n')
    with pytest.raises(FileFormatProblem, match="line 1: invalid JSON"):
        ws.import_file("creators", lines, IG)
    document = tmp_path / "bad.json"
    document.write_text('[{"handle": "ann"},\n {"handle": "bo", followers: 2}]')
    with pytest.raises(FileFormatProblem, match="line 2"):  # an array cannot resume after it
        ws.import_file("creators", document, IG)


def test_records_with_too_many_fields_are_rejected_with_their_line(
    ws: Workspace, tmp_path: Path
) -> None:
    f = tmp_path / "ragged.csv"
    f.write_text("handle,followers\nann,10\nbo,20,extra,fields\ncy,30\n")
    report = ws.import_file("creators", f, IG)
    assert report.rows_accepted == 2
    [reject] = report.rejects
    assert reject.line == 3
    assert "4 fields" in reject.reason


def test_missing_required_column_names_the_field_and_the_columns(
    ws: Workspace, tmp_path: Path
) -> None:
    f = tmp_path / "nohandle.csv"
    f.write_text("who,followers\nann,10\n")
    with pytest.raises(
        ColumnProblem,
        match=r"no column for handle.*columns are: who, followers.*--map COLUMN=handle",
    ):
        ws.import_file("creators", f, IG)
    ws.import_file(
        "creators", f, ImportOptions(platform=Platform.INSTAGRAM, mapping={"who": "handle"})
    )
    assert handles(ws) == {"ann": 10}


def test_a_map_naming_a_column_that_does_not_exist_is_an_error(
    ws: Workspace, tmp_path: Path
) -> None:
    f = tmp_path / "c.csv"
    f.write_text("handle,followers\nann,10\n")
    with pytest.raises(InvalidOption, match="not in"):
        ws.import_file(
            "creators", f, ImportOptions(platform=Platform.INSTAGRAM, mapping={"nope": "followers"})
        )


def test_creators_without_a_platform_need_one(ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "c.csv"
    f.write_text("handle,followers\nann,10\n")
    with pytest.raises(InvalidOption, match="--platform"):
        ws.import_file("creators", f)


def test_an_empty_file_and_a_missing_file_are_clear_errors(ws: Workspace, tmp_path: Path) -> None:
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(FileFormatProblem, match="empty"):
        ws.import_file("creators", tmp_path / "empty.csv", IG)
    with pytest.raises(FileFormatProblem, match="no such file"):
        ws.import_file("creators", tmp_path / "nope.csv", IG)


@pytest.mark.parametrize("ending", ["\n", ""], ids=["newline", "no-newline"])
@pytest.mark.parametrize("kind", ["creators", "posts"])
def test_a_file_with_only_a_header_says_it_has_no_records(
    ws: Workspace, tmp_path: Path, kind: str, ending: str
) -> None:
    f = tmp_path / "header.csv"
    f.write_text("handle,followers,likes" + ending)
    with pytest.raises(FileFormatProblem, match=r"header\.csv: the file has no records"):
        ws.import_file(kind, f, IG)
    assert ws.imports() == []


def test_a_file_whose_every_record_is_malformed_is_one_clear_error(
    ws: Workspace, tmp_path: Path
) -> None:
    f = tmp_path / "ragged.csv"
    f.write_text("handle,followers,country\nbo,20\n")
    with pytest.raises(RowsRejected, match="no record could be imported"):
        ws.import_file("creators", f, IG)


def reject_rows(path: str | None) -> list[dict[str, str]]:
    return list(csv.DictReader(Path(path or "").read_text().splitlines(keepends=True)))


def test_malformed_records_carry_their_own_line_and_record_number(
    ws: Workspace, tmp_path: Path
) -> None:
    f = tmp_path / "ragged.csv"
    # A short record on line 3 and a long one on line 4 that starts with the same text.
    f.write_text("handle,followers,country\nann,10,FR\nann,20\nann,20,DE,extra\ncy,lots,DE\n")
    report = ws.import_file("creators", f, IG)
    located = sorted((r.line, r.record, r.column) for r in report.rejects)
    assert located == [(3, 2, None), (4, 3, None), (5, 4, "followers")]
    assert [(r["line"], r["record"]) for r in reject_rows(report.rejects_file)] == [
        ("3", "2"),
        ("4", "3"),
        ("5", "4"),
    ]


def test_a_record_broken_by_an_unterminated_quote_is_found_where_it_starts(
    ws: Workspace, tmp_path: Path
) -> None:
    f = tmp_path / "quote.csv"
    f.write_text('handle,followers,country\nann,10,FR\nbo,"20,DE\ncy,30,DE\n')
    report = ws.import_file("creators", f, IG)
    [reject] = report.rejects
    assert (reject.line, reject.record) == (3, 2)
    [row] = reject_rows(report.rejects_file)
    assert (row["line"], row["record"]) == ("3", "2")
    assert row["value"].startswith('bo,"20,DE')


def test_lines_count_blank_lines_and_a_header_cell_that_wraps(
    ws: Workspace, tmp_path: Path
) -> None:
    f = tmp_path / "wrapped.csv"
    f.write_text('\nhandle,"Followers\ncount",bio\nann,10,"two\nlines"\n\nbo,20\ncy,x,hi\n')
    report = ws.import_file("creators", f, IG)
    assert handles(ws) == {"ann": 10}
    located = sorted((r.line, r.record, r.column) for r in report.rejects)
    assert located == [(7, 2, None), (8, 3, "Followers count")]


def test_fractional_counts_are_rejected_with_a_reason_never_rounded(
    ws: Workspace, tmp_path: Path
) -> None:
    f = tmp_path / "fractions.csv"
    f.write_text(
        "handle,followers,following\n"
        "ann,1200,10\nbo,1.234,10\ncy,12.345,10\ndee,5.5,10\neve,3.3k,0.5\nfay,900,12\n"
    )
    report = ws.import_file("creators", f, IG)
    # a bad follower count rejects the record; a bad optional count is left empty
    assert handles(ws) == {"ann": 1200, "eve": 3300, "fay": 900}
    assert ws.get_creator("eve").profile.creator.following is None
    reasons = {(r.value, r.column): r.reason for r in report.rejects}
    assert set(reasons) == {("1.234", "followers"), ("12.345", "followers"), ("5.5", "followers")}
    [cleared] = report.cleared
    assert (cleared.value, cleared.column) == ("0.5", "following")
    assert "--decimal ','" in reasons["1.234", "followers"]
    assert "read as 12345" in reasons["12.345", "followers"]
    assert "whole number" in reasons["5.5", "followers"]
    assert "--decimal" not in reasons["5.5", "followers"]


def test_an_engagement_rate_above_100_percent_is_rejected_not_stored(
    ws: Workspace, tmp_path: Path
) -> None:
    f = tmp_path / "er.csv"
    f.write_text("handle,followers,engagement_rate\nann,1000,3.5\nbo,1000,12000\ncy,1000,2.1\n")
    report = ws.import_file("creators", f, IG)
    assert report.rejects == ()
    [cleared] = report.cleared
    assert (cleared.line, cleared.column, cleared.value) == (3, "engagement_rate", "12000")
    assert "above 100%" in cleared.reason and "12,000%" in cleared.reason
    assert handles(ws) == {"ann": 1000, "bo": 1000, "cy": 1000}
    assert ws.get_creator("bo").profile.creator.engagement_rate is None


def _contradiction(ws: Workspace, path: Path, kind: str, header: str, rows: list[str]) -> str:
    path.write_text(header + "\n" + "\n".join(rows) + "\n")
    with pytest.raises(ColumnProblem) as caught:
        ws.import_file(kind, path, ImportOptions(platform=Platform.INSTAGRAM, strict=True))
    return str(caught.value)


def _suggested_fields(message: str) -> set[str]:
    import re

    return {m for m in re.findall(r"--map '[^=']+=([^']+)'", message) if m != "ignore"}


@pytest.mark.parametrize(
    ("kind", "header", "rows", "looks", "suggested"),
    [
        (
            "posts",
            "handle,post_id,views",
            [f"ann,p{i},{c}" for i, c in enumerate(["France", "Spain", "Italy", "Peru", "Chile"])],
            "country names",
            set(),  # posts have no country field
        ),
        (
            "creators",
            "handle,followers",
            [f"a{i},2024-01-0{i + 1}" for i in range(5)],
            "dates",
            {"observed_at"},  # not posted_at, a posts field
        ),
        (
            "creators",
            "handle,followers,country",
            [f"a{i},10,{c}" for i, c in enumerate(["1000", "3.5%", "1000", "3.5%", "200", "7%"])],
            "a mix of numbers and percentages",
            set(),
        ),
    ],
)
def test_a_contradiction_says_truly_what_the_values_look_like_and_suggests_only_fields_of_the_kind(
    ws: Workspace,
    tmp_path: Path,
    kind: str,
    header: str,
    rows: list[str],
    looks: str,
    suggested: set[str],
) -> None:
    from creatormix.ingest.fields import FIELDS, ImportKind

    message = _contradiction(ws, tmp_path / "c.csv", kind, header, rows)
    assert f"they look like {looks};" in message
    assert _suggested_fields(message) == suggested
    assert suggested <= {f.name for f in FIELDS[ImportKind(kind)]}


def test_a_count_column_of_thousands_with_dots_suggests_the_decimal_option(
    ws: Workspace, tmp_path: Path
) -> None:
    rows = [f"a{i},{c}" for i, c in enumerate(["1.234", "12.345", "5.678", "2.345", "3.456"])]
    message = _contradiction(ws, tmp_path / "c.csv", "creators", "handle,followers", rows)
    assert "look like numbers;" in message and "Use --decimal ','" in message
    f = tmp_path / "c.csv"
    ws.import_file("creators", f, ImportOptions(platform=Platform.INSTAGRAM, decimal=","))
    assert handles(ws)["a1"] == 12345


def test_mojibake_warnings_count_real_repairs_and_name_the_cells_left_alone(
    ws: Workspace, tmp_path: Path
) -> None:
    f = tmp_path / "mojibake.csv"
    # bo's bio was decoded twice and repairs; ann's mixes a twice-decoded é with a correct one.
    f.write_text("handle,followers,bio\nann,10,Ã©té\nbo,10,CafÃ© crÃ¨me\ncy,10,plain\n")
    report = ws.import_file("creators", f, IG)
    bios = {h: ws.get_creator(h).profile.creator.bio for h in ("ann", "bo")}
    assert bios == {"ann": "Ã©té", "bo": "Café crème"}
    messages = [w.message for w in report.warnings]
    assert "column 'bio': repaired mojibake (UTF-8 decoded twice) in 1 cell(s)" in messages
    [unrepaired] = [m for m in messages if "could not be repaired" in m]
    assert unrepaired.startswith("column 'bio': 1 cell(s)") and "'Ã©té'" in unrepaired


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("handle,followers,coun\ntry\nann,10,FR\nbo,20,DE\n", "'coun' goes on as 'try'"),
    ],
)
def test_a_column_name_split_across_lines_is_refused_naming_it(
    ws: Workspace, tmp_path: Path, text: str, named: str
) -> None:
    f = tmp_path / "split.csv"
    f.write_text(text)
    with pytest.raises(FileFormatProblem, match="split across lines") as caught:
        ws.import_file("creators", f, IG)
    assert named in str(caught.value)
    assert ws.imports() == []


def test_a_price_of_letters_is_not_an_amount_rather_than_a_missing_one(
    ws: Workspace, tmp_path: Path
) -> None:
    f = tmp_path / "prices.csv"
    f.write_text("handle,followers,price\nann,10,$200\nbo,10,abc\ncy,10,300 EUR\n")
    report = ws.import_file("creators", f, IG)
    [reject] = report.cleared
    assert (reject.column, reject.value) == ("price", "abc")
    assert reject.reason.startswith("not an amount") and "missing" not in reject.reason


def test_a_quote_never_closed_is_rejected_where_it_opens_not_loaded_with_the_lines_it_swallowed(
    ws: Workspace, tmp_path: Path
) -> None:
    f = tmp_path / "open.csv"
    f.write_text('handle,followers,bio\nann,10,hi\nbo,20,"never closed\ncy,30,x\ndee,40,y\n')
    report = ws.import_file("creators", f, IG)
    assert handles(ws) == {"ann": 10}
    [reject] = report.rejects
    assert (reject.line, reject.record, reject.column) == (3, 2, None)
    assert "never closed" in reject.reason


def test_a_closed_multiline_last_cell_and_a_stray_inch_mark_are_fine(
    ws: Workspace, tmp_path: Path
) -> None:
    f = tmp_path / "closed.csv"
    f.write_text('handle,followers,bio\nann,10,5"11 tall\nbo,20,"two\nlines"\n')
    report = ws.import_file("creators", f, IG)
    assert report.rejects == () and handles(ws) == {"ann": 10, "bo": 20}


def test_a_name_wrapped_inside_one_quoted_header_cell_is_read_glued_back(
    ws: Workspace, tmp_path: Path
) -> None:
    f = tmp_path / "wrapped.csv"
    f.write_text('handle,followers,"coun\ntry"\nann,10,FR\nbo,20,DE\n')
    report = ws.import_file("creators", f, IG)
    assert report.column_map["country"] == "country"
    assert ws.get_creator("bo").profile.creator.country == "DE"
