"""Real exports import as they are: each pattern of issue 11 on a small file of its shape."""

from __future__ import annotations

import hashlib
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from creatormix.domain.imports import ImportOptions
from creatormix.domain.platform import Platform
from creatormix.domain.query import CreatorQuery
from creatormix.errors import ColumnProblem, FileFormatProblem, InvalidOption, WorkspaceProblem
from creatormix.views.imports import import_summary_view
from creatormix.workspace import Workspace

IG = ImportOptions(platform=Platform.INSTAGRAM)
TT = ImportOptions(platform=Platform.TIKTOK)
YT = ImportOptions(platform=Platform.YOUTUBE)


def catalog(ws: Workspace) -> dict[str, tuple[str | None, int | None]]:
    return {
        f"{p.creator.platform.value}:{p.creator.handle}": (p.creator.name, p.creator.followers)
        for p in ws.list_creators(CreatorQuery(limit=None)).creators
    }


def topics(report: object) -> dict[str, str]:
    return {i.topic: i.message for i in report.inferences}  # type: ignore[attr-defined]


# --- 1. paired display/exact columns --------------------------------------------------------


def test_a_display_and_an_exact_column_of_one_name_load_the_exact_one(
    ws: Workspace, tmp_path: Path
) -> None:
    f = tmp_path / "top-instagram.csv"
    f.write_text(
        "name,followers,followers,country\n"
        "cristiano,409.8M,409812345,Portugal\n"
        "leomessi,17.8K,17899,Argentina\n"
        "433,290,290,Netherlands\n"
        "kyliejenner,,399000000,United States\n"
    )
    with pytest.raises(ColumnProblem, match=r"--strict: say so with --map 'followers#1=ignore'"):
        ws.import_file("creators", f, ImportOptions(platform=Platform.INSTAGRAM, strict=True))
    report = ws.import_file("creators", f, IG)
    assert report.rows_accepted == 4
    assert topics(report)["pair"] == (
        "followers: 2 columns 'followers', display and exact, agree on 3/4 rows (1 hold only "
        "one); loaded the exact one (followers#2)"
    )
    assert {k: v[1] for k, v in catalog(ws).items()} == {
        "instagram:cristiano": 409_812_345,
        "instagram:leomessi": 17_899,
        "instagram:433": 290,
        "instagram:kyliejenner": 399_000_000,
    }


def test_a_pair_that_disagrees_beyond_rounding_is_refused_naming_both_and_the_row(
    ws: Workspace, tmp_path: Path
) -> None:
    f = tmp_path / "bad-pair.csv"
    f.write_text("handle,followers,followers\nann,17.8K,17899\nbo,2.1M,3100000\n")
    with pytest.raises(ColumnProblem) as caught:
        ws.import_file("creators", f, IG)
    message = str(caught.value)
    assert "disagree beyond rounding on 1 row(s), e.g. line 3" in message
    assert "followers#1 is '2.1M'" in message and "followers#2 is '3100000'" in message
    assert ws.imports() == []


numbers = st.lists(st.integers(min_value=1_000, max_value=900_000_000), min_size=2, max_size=30)


def _display(n: int) -> str:
    for div, suffix in ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "K")):
        if n >= div:
            return f"{n / div:.1f}{suffix}"
    return str(n)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(counts=numbers, display_first=st.booleans())
def test_any_pair_generated_from_the_same_numbers_loads_the_exact_column(
    tmp_path_factory: pytest.TempPathFactory, counts: list[int], display_first: bool
) -> None:
    folder = tmp_path_factory.mktemp("pair")
    rows = []
    for i, n in enumerate(counts):
        cells = [_display(n), str(n)] if display_first else [str(n), _display(n)]
        rows.append(f"c{i},{cells[0]},{cells[1]}")
    f = folder / "pair.csv"
    f.write_text("handle,Followers,Followers\n" + "\n".join(rows) + "\n")
    with Workspace.create(folder / "ws.duckdb") as ws:
        report = ws.import_file("creators", f, IG)
        assert "loaded the exact one" in topics(report)["pair"] or (
            "identical" in topics(report)["pair"]
        )
        got = {h.split(":")[1]: v[1] for h, v in catalog(ws).items()}
    assert got == {f"c{i}": n for i, n in enumerate(counts)}


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(counts=numbers, data=st.data())
def test_any_pair_that_disagrees_on_one_row_is_refused_naming_that_row(
    tmp_path_factory: pytest.TempPathFactory, counts: list[int], data: st.DataObject
) -> None:
    folder = tmp_path_factory.mktemp("pair")
    bad = data.draw(st.integers(min_value=0, max_value=len(counts) - 1))
    rows = []
    for i, n in enumerate(counts):
        exact = n * 3 + 1_000 if i == bad else n  # far beyond one unit of the display
        rows.append(f"c{i},{_display(n)},{exact}")
    f = folder / "pair.csv"
    f.write_text("handle,Followers,Followers\n" + "\n".join(rows) + "\n")
    with Workspace.create(folder / "ws.duckdb") as ws, pytest.raises(ColumnProblem) as caught:
        ws.import_file("creators", f, IG)
    assert f"line {bad + 2}:" in str(caught.value) and "1 row(s)" in str(caught.value)


# --- 2. the identity column by its values ---------------------------------------------------


def test_handles_and_display_names_are_told_apart_by_their_values_not_their_headers(
    ws: Workspace, tmp_path: Path
) -> None:
    f = tmp_path / "instagram-top.csv"
    f.write_text(
        "instagram name,name,Followers\n"
        "Leo Messi,leomessi,504M\n"
        "433,433,67M\n"
        "MOMO's,ekin.721,12.1M\n"
        "Cristiano Ronaldo 🐐,cristiano,640M\n"
    )
    report = ws.import_file("creators", f, IG)
    assert topics(report)["identity"].startswith(
        "handle from column 'name' (4/4 sampled values are valid Instagram handles, e.g. 'leomessi'); "
        "name from column 'instagram name' (display text, e.g. 'Leo Messi')"
    )
    assert catalog(ws) == {
        "instagram:leomessi": ("Leo Messi", 504_000_000),
        "instagram:433": ("433", 67_000_000),
        "instagram:ekin.721": ("MOMO's", 12_100_000),
        "instagram:cristiano": ("Cristiano Ronaldo 🐐", 640_000_000),
    }
    assert ws.get_creator("leomessi").profile.creator.name == "Leo Messi"


def test_tiktok_lists_with_two_name_columns_key_by_the_one_holding_handles(
    ws: Workspace, tmp_path: Path
) -> None:
    f = tmp_path / "tiktok-top.csv"
    f.write_text(
        "S.no,Tiktoker name,Tiktok name,Subscribers count,Views avg.,Likes avg.\n"
        "1,khaby.lame,Khabane lame,149.2M,17.3M,2.6M\n"
        "2,charlidamelio,charli d’amelio,151.1M,22.5M,3.1M\n"
        "3,mrbeast,MrBeast,77.1M,48.9M,4.4M\n"
    )
    report = ws.import_file("creators", f, TT)
    assert "handle from column 'Tiktoker name'" in topics(report)["identity"]
    assert "'S.no'" in topics(report)["decorative"]
    khaby = ws.get_creator("tiktok:khaby.lame").profile.creator
    assert (khaby.name, khaby.followers, khaby.avg_views, khaby.avg_likes) == (
        "Khabane lame",
        149_200_000,
        17_300_000,
        2_600_000,
    )


def test_a_cell_that_is_not_a_valid_handle_is_rejected_with_the_reason(
    ws: Workspace, tmp_path: Path
) -> None:
    f = tmp_path / "handles.csv"
    f.write_text(
        "handle,followers\nleomessi,1\njulián alvarez🕷,2\ncristiano,3\nkhaby.lame,4\n"
        "kyliejenner,5\nselenagomez,6\ntherock,7\narianagrande,8\nbeyonce,9\nnike,10\n"
    )
    report = ws.import_file("creators", f, IG)
    [reject] = report.rejects
    assert (reject.line, reject.column, reject.value) == (3, "handle", "julián alvarez🕷")
    assert (
        reject.reason == "not a valid Instagram handle (letters, digits, '.' and '_', at most 30)"
    )
    assert "instagram:julián alvarez🕷" not in catalog(ws)


def test_the_identity_choice_is_reported_also_when_it_confirms_the_header(
    ws: Workspace, tmp_path: Path
) -> None:
    f = tmp_path / "clean.csv"
    f.write_text(
        "username,name,followers\nleomessi,Leo Messi,504M\n433,433,67M\nekin.721,MOMO's,12.1M\n"
    )
    strict = ImportOptions(platform=Platform.INSTAGRAM, strict=True)
    report = ws.import_file("creators", f, strict)  # nothing inferred against the header
    identity, profile = report.inferences
    assert identity.message == (
        "handle from column 'username', as its header says (3/3 sampled values are valid "
        "Instagram handles, e.g. 'leomessi'); name from column 'name', as its header says "
        "(display text, e.g. 'Leo Messi')"
    )
    assert profile.message == (
        "values read as their headers say in 1 typed column(s): 'followers' (followers)"
    )
    assert [(i.topic, i.changed, i.accept) for i in report.inferences] == [
        ("identity", False, None),
        ("profile", False, None),
    ]
    lines = [(line.label, line.text) for line in import_summary_view(report).lines]
    assert ("checked", identity.message) in lines and ("checked", profile.message) in lines
    again = tmp_path / "clean-june.csv"
    again.write_text("username,name,followers\nleomessi,Leo Messi,505M\n")
    later = ws.import_file("creators", again, IG)
    assert "reused" not in topics(later)  # confirmations are nothing to read the same way


def test_a_handle_column_of_mostly_display_names_is_kept_and_said_so(
    ws: Workspace, tmp_path: Path
) -> None:
    f = tmp_path / "names.csv"
    f.write_text("handle,followers\nLeo Messi,1\nCristiano Ronaldo,2\nleomessi,3\n")
    report = ws.import_file("creators", f, IG)
    assert topics(report)["identity"] == (
        "handle from column 'handle', as its header says, though only 1/3 sampled values are "
        "valid Instagram handles (e.g. 'Leo Messi' is not) and no other column holds more: "
        "records without a valid handle are rejected"
    )
    assert (report.rows_accepted, report.rows_rejected) == (1, 2)


# --- 3. YouTube channel files without handles -----------------------------------------------


def test_a_youtube_file_without_handles_is_keyed_by_channel_name_and_merges_later(
    ws: Workspace, tmp_path: Path
) -> None:
    names = tmp_path / "youtube-channels.csv"
    names.write_text(
        "Youtuber,Subscribers,Country\n"
        "T-Series,245M,India\n"
        "Cocomelon - Nursery Rhymes,150M,United States\n"
        "SET India,152M,India\n"
    )
    report = ws.import_file("creators", names, YT)
    assert "keyed by the channel name in 'Youtuber'" in topics(report)["name-key"]
    assert catalog(ws) == {
        "youtube:~t-series": ("T-Series", 245_000_000),
        "youtube:~cocomelon - nursery rhymes": ("Cocomelon - Nursery Rhymes", 150_000_000),
        "youtube:~set india": ("SET India", 152_000_000),
    }
    handles = tmp_path / "youtube-handles.csv"
    handles.write_text("handle,name,subscribers\ntseries,T-Series,246M\n")
    later = ws.import_file("creators", handles, YT)
    assert [(m.platform, m.source, m.target, m.evidence) for m in later.identity_merges] == [
        (
            "youtube",
            "~t-series",
            "tseries",
            "same name 'tseries'; followers 245.0M and 246.0M (0.4% apart)",
        )
    ]
    summary = [line.text for line in import_summary_view(later).lines]
    assert (
        "merged name-keyed youtube:~t-series into youtube:tseries (same name 'tseries'; "
        "followers 245.0M and 246.0M (0.4% apart))"
    ) in summary
    after = catalog(ws)
    assert after["youtube:tseries"] == ("T-Series", 246_000_000)
    assert "youtube:~t-series" not in after and len(after) == 3


def test_posts_keyed_by_channel_title_attach_to_the_channels_known_by_name(
    ws: Workspace, tmp_path: Path
) -> None:
    names = tmp_path / "channels.csv"
    names.write_text("Youtuber,Subscribers\nT-Series,245M\nSET  India,152M\nMrBeast,300M\n")
    ws.import_file("creators", names, YT)
    handles = tmp_path / "handles.csv"
    handles.write_text("handle,subscribers\nmrbeast,301M\n")  # a real handle wins over ~mrbeast
    ws.import_file("creators", handles, YT)
    posts = tmp_path / "videos.csv"
    posts.write_text(
        "video_id,channel_title,views,likes,comment_total\n"
        "a1,T-Series,1000,40,10\n"
        "a2,SET India,2000,30,10\n"
        "a3,MrBeast,5000,100,0\n"
        "a4,Nobody Here,100,1,0\n"
    )
    maps = {"channel_title": "handle", "video_id": "post_id", "comment_total": "comments"}
    report = ws.import_file("posts", posts, ImportOptions(platform=Platform.YOUTUBE, mapping=maps))
    said = " ".join(w.message for w in report.warnings)
    assert "posts of 2 creator(s) known by display name only were attached to them" in said
    assert "posts of 1 creator(s) not in the catalog (e.g. @nobody here)" in said
    tseries = ws.get_creator("youtube:~t-series", posts=0).profile
    assert tseries.extras["er_observed"] == pytest.approx(50 / 1000)
    india = ws.get_creator("youtube:~set india", posts=0).profile  # white space squeezed
    assert india.extras["er_observed"] == pytest.approx(40 / 2000)
    beast = ws.get_creator("youtube:mrbeast", posts=0).profile
    assert beast.extras["er_observed"] == pytest.approx(100 / 5000)


# --- 4. mislabelled columns -----------------------------------------------------------------


def test_a_column_headed_as_views_holding_countries_is_loaded_as_the_country(
    ws: Workspace, tmp_path: Path
) -> None:
    f = tmp_path / "mislabelled.csv"
    f.write_text(
        "handle,followers,Views avg.\n"
        "ann,10,India\nbo,20,United States\ncy,30,Brazil\ndee,40,Indonesia\neve,50,Mexico\n"
    )
    with pytest.raises(ColumnProblem, match=r"look like country names.*--map 'Views avg.=country'"):
        ws.import_file("creators", f, ImportOptions(platform=Platform.INSTAGRAM, strict=True))
    report = ws.import_file("creators", f, IG)
    assert topics(report)["remap"] == (
        "column 'Views avg.' is headed like avg_views but holds country names (e.g. 'India', "
        "'United States', 'Brazil'): loaded as country"
    )
    bo = ws.get_creator("bo").profile.creator
    assert (bo.country, bo.avg_views) == ("US", None)


def test_a_column_of_languages_is_profiled_as_such_and_loaded_as_language(
    ws: Workspace, tmp_path: Path
) -> None:
    f = tmp_path / "languages.csv"
    f.write_text(
        "handle,followers,Views avg.\n"
        "ann,10,French\nbo,20,English\ncy,30,es\ndee,40,Portuguese\neve,50,pt-BR\n"
    )
    with pytest.raises(ColumnProblem, match=r"look like languages.*--map 'Views avg.=language'"):
        ws.import_file("creators", f, ImportOptions(platform=Platform.INSTAGRAM, strict=True))
    report = ws.import_file("creators", f, IG)
    assert topics(report)["remap"] == (
        "column 'Views avg.' is headed like avg_views but holds languages (e.g. 'French', "
        "'English', 'es'): loaded as language"
    )
    cy = ws.get_creator("cy").profile.creator
    assert (cy.language, cy.avg_views) == ("es", None)


def test_a_column_of_urls_is_profiled_as_such_and_left_out(ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "urls.csv"
    f.write_text(
        "handle,followers,avg likes\n"
        + "".join(f"a{i},{i},https://www.instagram.com/a{i}/\n" for i in range(4))
        + "a9,9,www.example.com/a9\n"
    )
    report = ws.import_file("creators", f, IG)
    assert topics(report)["left-out"] == (
        "column 'avg likes' is headed like avg_likes but holds URLs (e.g. "
        "'https://www.instagram.com/a0/', 'https://www.instagram.com/a1/', "
        "'https://www.instagram.com/a2/'): left out"
    )
    assert ws.get_creator("a1").profile.creator.avg_likes is None


def test_a_mislabelled_column_whose_field_is_taken_is_left_out_with_a_warning(
    ws: Workspace, tmp_path: Path
) -> None:
    f = tmp_path / "taken.csv"
    f.write_text("handle,country,avg views\n" + "".join(f"a{i},FR,Spain\n" for i in range(6)))
    report = ws.import_file("creators", f, IG)
    assert topics(report)["left-out"].endswith("holds country names (e.g. 'Spain'): left out")
    assert ws.get_creator("a1").profile.creator.country == "FR"


# --- 5. blank and decorative rows and columns -----------------------------------------------


def test_blank_rows_rank_columns_and_wrapped_headers_are_skipped_and_counted(
    ws: Workspace, tmp_path: Path
) -> None:
    f = tmp_path / "decorated.csv"
    f.write_text(
        'S.no,Rank,row-cell,handle,"Followers\ncount",Unnamed: 0\n'
        ",,,,,\n"
        "1,1,a,ann,10,\n"
        "2,2,b,bo,20,\n"
        ",,,,,\n"
        "3,3,c,cy,30,\n"
    )
    report = ws.import_file("creators", f, IG)
    assert (report.rows_read, report.rows_accepted, report.rows_rejected, report.rows_skipped) == (
        5,
        3,
        0,
        2,
    )
    assert ws.imports()[0].rows_skipped == 2  # the import log adds up too
    assert topics(report)["decorative"] == (
        "skipped 4 decorative column(s) (row numbers, ranks or empty): 'S.no', 'Rank', "
        "'row-cell', 'Unnamed: 0'"
    )
    assert {k: v[1] for k, v in catalog(ws).items()} == {
        "instagram:ann": 10,
        "instagram:bo": 20,
        "instagram:cy": 30,
    }


def test_a_title_line_above_the_header_is_skipped(ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "titled.csv"
    f.write_text(
        "Top Instagram creators - May 2024,,\nhandle,followers,country\nann,10,FR\nbo,20,DE\n"
    )
    report = ws.import_file("creators", f, IG)
    assert any("title line" in w.message for w in report.warnings)
    assert report.rows_accepted == 2


# --- 6. platform:@handle --------------------------------------------------------------------


def test_platform_prefixed_handles_resolve_to_that_platform(ws: Workspace, tmp_path: Path) -> None:
    creators = tmp_path / "mixed.csv"
    creators.write_text("creator,followers\ninstagram:@ann,10\ntiktok:bo,20\nyt:@cyc,30\n")
    ws.import_file("creators", creators)
    assert set(catalog(ws)) == {"instagram:ann", "tiktok:bo", "youtube:cyc"}
    posts = tmp_path / "posts.csv"
    posts.write_text("handle,post_id,likes\ntiktok:@bo,p1,5\ninstagram:ann,p2,7\n")
    report = ws.import_file("posts", posts)
    assert report.rows_accepted == 2
    assert [p.likes for p in ws.get_creator("tiktok:bo").recent_posts] == [5]


# --- 7. every clash at once -----------------------------------------------------------------


def test_a_file_that_must_stop_names_every_column_problem_in_one_run(
    ws: Workspace, tmp_path: Path
) -> None:
    f = tmp_path / "clashes.csv"
    f.write_text(
        "handle,followers,followers,likes avg,likes avg,subscribers,country,country\n"
        "ann,1.2M,5000000,10K,99000,3,FR,DE\n"
    )
    with pytest.raises(ColumnProblem) as caught:
        ws.import_file("creators", f, IG)
    message = str(caught.value)
    assert "4 column problems, nothing was imported" in message
    assert "'followers' 2 times and they disagree" in message
    assert "'likes avg' 2 times and they disagree" in message
    assert "'country' 2 times (column 7 and column 8) with different values" in message
    assert "all look like followers" in message


# --- 8. a bad optional cell does not cost the row -------------------------------------------


def test_an_unreadable_optional_value_is_left_empty_and_the_creator_loads(
    ws: Workspace, tmp_path: Path
) -> None:
    f = tmp_path / "youtube.csv"
    f.write_text(
        "handle,followers,avg likes,country\nann,10,N/A',Narnia\nbo,20,5,FR\ncy,lots,3,DE\n"
    )
    report = ws.import_file("creators", f, IG)
    assert (report.rows_accepted, report.rows_rejected) == (2, 1)
    assert {(r.column, r.value) for r in report.cleared} == {
        ("avg likes", "N/A'"),
        ("country", "Narnia"),
    }
    ann = ws.get_creator("ann").profile.creator
    assert (ann.followers, ann.avg_likes, ann.country) == (10, None, None)
    text = Path(report.rejects_file or "").read_text()
    assert "value left empty" in text and "record rejected" in text
    assert any("1 unreadable value(s) left empty" in w.message for w in report.warnings)


# --- 9. headers people use ------------------------------------------------------------------


def test_headers_of_real_exports_match_their_fields(ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "headers.csv"
    f.write_text(
        "Youtuber,Subscribers,Category_1,Category-2,Audience country(mostly),Shares (Avg.),"
        "channel_type\n"
        "mrbeast,200M,gaming,comedy,United States,1.2K,Entertainment\n"
    )
    report = ws.import_file("creators", f, YT)
    assert report.column_map == {
        "Youtuber": "handle",
        "Subscribers": "followers",
        "Category_1": "categories",
        "Category-2": "categories",
        "Audience country(mostly)": "audience_country",
        "Shares (Avg.)": "avg_shares",
        "channel_type": "categories",
    }
    c = ws.get_creator("youtube:mrbeast").profile.creator
    assert (c.categories, c.avg_shares) == (("gaming", "comedy", "entertainment"), 1_200)


# --- 10. the same creator across files ------------------------------------------------------


def test_likely_duplicates_are_listed_with_evidence_and_merged_only_when_confirmed(
    ws: Workspace, tmp_path: Path
) -> None:
    yt = tmp_path / "yt.csv"
    yt.write_text("handle,name,followers\ntseries,T-Series,245M\nmrbeast,MrBeast,200M\n")
    yt2 = tmp_path / "yt2.csv"
    yt2.write_text("handle,name,followers\nt-series,T Series,243M\nmrbeast6000,Beast,195M\n")
    tt = tmp_path / "tt.csv"
    tt.write_text("handle,name,followers\niamferv,Fernanda,32.9M\nferchugimenez,Fernanda,8.1M\n")
    ws.import_file("creators", yt, YT)
    ws.import_file("creators", yt2, YT)
    ws.import_file("creators", tt, TT)
    found = {(d.platform, d.source, d.target): d.evidence for d in ws.likely_duplicates()}
    assert found == {
        ("youtube", "t-series", "tseries"): "handles 't-series' and 'tseries' are equal without "
        "punctuation and digits; followers 243.0M and 245.0M (0.8% apart)",
        ("youtube", "mrbeast6000", "mrbeast"): "handles 'mrbeast6000' and 'mrbeast' are equal "
        "without punctuation and digits; followers 195.0M and 200.0M (2.5% apart)",
    }
    assert len(catalog(ws)) == 6  # nothing merged until confirmed
    with pytest.raises(InvalidOption, match="do not look like one creator"):
        ws.merge_creators("tiktok:ferchugimenez", "tiktok:iamferv")
    event = ws.merge_creators("youtube:t-series", "youtube:tseries")
    after = catalog(ws)
    assert "youtube:t-series" not in after and after["youtube:tseries"][1] == 243_000_000
    assert [m.merge_id for m in ws.merges()] == [event.merge_id]
    ws.undo_merge(event.merge_id)
    assert "youtube:t-series" in catalog(ws) and ws.merges()[0].undone


# --- 11. files that are not tables ----------------------------------------------------------


def _png(path: Path) -> None:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


def _pdf(path: Path) -> None:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (
        f"trailer << /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    path.write_bytes(out)


@pytest.mark.parametrize(
    ("name", "make", "says"),
    [
        ("export.csv", _png, "this is a PNG image, not a table"),
        ("export.pdf", _pdf, "this is a PDF document, not a table"),
        (
            "export.zip",
            lambda p: zipfile.ZipFile(p, "w").writestr("creators.csv", "handle\nann\n"),
            "this is a ZIP archive holding creators.csv, not a table; unpack it",
        ),
    ],
)
def test_a_file_that_is_no_table_is_named_for_what_it_is(
    ws: Workspace, tmp_path: Path, name: str, make: object, says: str
) -> None:
    f = tmp_path / name
    make(f)  # type: ignore[operator]
    with pytest.raises(FileFormatProblem, match=says):
        ws.import_file("creators", f, IG)


def test_an_excel_workbook_is_read_first_sheet_by_default_or_the_sheet_named(
    ws: Workspace, tmp_path: Path
) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    first = book.active
    first.title = "Instagram"
    first.append(["Top creators"])
    first.append(["handle", "followers", "engagement rate", "joined"])
    first.append(["ann", 1200, 0.031, None])
    first.append(["bo", 3.3e6, 0.012, None])
    second = book.create_sheet("TikTok")
    second.append(["handle", "followers"])
    second.append(["cy.tt", 77])
    f = tmp_path / "export.xlsx"
    book.save(f)
    report = ws.import_file("creators", f, IG)
    assert report.rows_accepted == 2
    assert any("read sheet 'Instagram', the first of 2" in w.message for w in report.warnings)
    bo = ws.get_creator("bo").profile.creator
    assert (bo.followers, bo.engagement_rate) == (3_300_000, 0.012)
    ws.import_file("creators", f, ImportOptions(platform=Platform.TIKTOK, sheet="tiktok"))
    assert ws.get_creator("tiktok:cy.tt").profile.creator.followers == 77
    with pytest.raises(InvalidOption, match=r"no such sheet \(sheets: Instagram, TikTok\)"):
        ws.import_file("creators", f, ImportOptions(platform=Platform.TIKTOK, sheet="YouTube"))


def test_a_db_that_is_no_workspace_fails_in_one_line_and_is_never_modified(tmp_path: Path) -> None:
    import duckdb

    csv_file = tmp_path / "creators.csv"
    csv_file.write_text("handle,followers\nann,10\n")
    other = tmp_path / "other.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE t AS SELECT 1 AS a")
    con.close()
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in (csv_file, other)}
    with pytest.raises(WorkspaceProblem, match="not a creatormix workspace") as a:
        Workspace.open(csv_file)
    with pytest.raises(WorkspaceProblem, match="DuckDB database but not a creatormix") as b:
        Workspace.create(other)
    assert "\n" not in str(a.value) + str(b.value)
    assert before == {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in (csv_file, other)}


# --- 12. text whose letters were lost --------------------------------------------------------


def test_latin1_text_with_lost_letters_is_decoded_and_the_lost_cells_counted(
    ws: Workspace, tmp_path: Path
) -> None:
    f = tmp_path / "latin1.csv"
    f.write_bytes(
        "handle,name,followers\nleo,Léo Café,50\nivan,ýýýýý ýýýý,60\nyuki,ýýýý,70\n".encode(
            "latin-1"
        )
    )
    report = ws.import_file("creators", f, IG)
    assert report.encoding == "cp1252" and report.rows_accepted == 3
    assert any(
        w.message.startswith("column 'name': 2 cell(s) hold characters lost")
        for w in report.warnings
    )
    assert ws.get_creator("leo").profile.creator.name == "Léo Café"


# --- interface: --explain, the import log's mapping, mixed files -------------------------------


def test_explain_says_how_each_column_is_read_and_writes_nothing(
    ws: Workspace, tmp_path: Path
) -> None:
    f = tmp_path / "top.csv"
    f.write_text("Rank,name,followers,followers\n1,leomessi,504M,504100000\n2,433,67M,67000000\n")
    explanation = ws.explain_import("creators", f, IG)
    reading = {
        c.header + f"#{c.index}": (c.field, c.rule, c.confidence) for c in explanation.columns
    }
    assert reading == {
        "Rank#1": (None, "decorative", None),
        "name#2": ("handle", "inferred", 1.0),
        "followers#3": (None, "paired", None),
        "followers#4": ("followers", "alias", 1.0),
    }
    assert [(i.topic, i.changed) for i in explanation.inferences] == [
        ("decorative", True),
        ("identity", True),
        ("pair", True),
        ("profile", False),
    ]
    assert ws.imports() == []


def test_next_months_export_of_the_same_shape_is_read_the_same_way_and_says_so(
    ws: Workspace, tmp_path: Path
) -> None:
    may = tmp_path / "may.csv"
    may.write_text("name,Followers,Followers\nann,1.2K,1200\nbo,3K,3000\n")
    june = tmp_path / "june.csv"
    june.write_text("name,Followers,Followers\nann,1.3K,1310\ncy,10K,10100\n")
    first = ws.import_file("creators", may, IG)
    second = ws.import_file("creators", june, IG)
    assert topics(second)["reused"].startswith(
        f"columns read as import #{first.import_id} (may.csv) read the same header"
    )
    assert {k: v[1] for k, v in catalog(ws).items()} == {
        "instagram:ann": 1310,
        "instagram:bo": 3000,
        "instagram:cy": 10100,
    }


def test_the_header_of_one_export_over_rows_of_another_is_never_read_silently(
    ws: Workspace, tmp_path: Path
) -> None:
    f = tmp_path / "mixed.csv"
    f.write_text(
        "username,country,followers\n"
        "T-Series,Music,245M\nCocomelon - Nursery Rhymes,Education,150M\n"
        "SET India,Entertainment,152M\nPewDiePie,Gaming,111M\nMrBeast,Entertainment,200M\n"
    )
    report = ws.import_file("creators", f, IG)
    said = " ".join(i.message for i in report.inferences) + " ".join(
        w.message for w in report.warnings
    )
    assert "column 'country' is headed like country but holds" in said
    rejected = {r.value for r in report.rejects if r.column == "username"}
    assert rejected == {"t-series", "cocomelon - nursery rhymes", "set india"}
    assert set(catalog(ws)) == {"instagram:pewdiepie", "instagram:mrbeast"}
