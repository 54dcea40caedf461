"""The column parsers' shortcuts give exactly what the straightforward rules give.

The straightforward forms are kept here as the reference: every cell normalised to find missing
markers, the mojibake pattern run on every cell, hashtags joined into one text and split again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given, settings
from hypothesis import strategies as st

from creatormix.ingest import values as v
from creatormix.ingest import vector

# Characters that exercise every branch: separators, quotes, '#', Unicode white space that only
# the trim knows, letters that change length when lower-cased, mojibake leads and missing markers.
ALPHABET = st.sampled_from(
    [
        *"aZé#,;| \t\n\x0b\x0c\r[]'\"-_1İ\u00a0\u2003\u0301ÃÂâ\u0080\u00a9\u2019",
        *["nan", "N/A", "#value!", "—", "\u2212", "Ã©", "â€™", "#ad", "na"],
    ]
)
TEXT = st.lists(ALPHABET, max_size=12).map("".join)
CELLS = st.lists(st.one_of(st.none(), TEXT, st.sampled_from(sorted(v.MISSING))), max_size=30)


def reference_missing(arr: pa.Array) -> pa.Array:
    return vector._missing_mask(vector.normalised(arr))


def reference_text(arr: pa.Array) -> list[str | None]:
    trimmed = pc.utf8_trim_whitespace(arr)
    out = pc.if_else(reference_missing(arr), pa.scalar(None, pa.string()), trimmed)
    suspicious = vector._indices(pc.match_substring_regex(out, pattern=vector._MOJIBAKE))
    fixed = out.to_pylist()
    for i in suspicious:
        fixed[i] = v.fix_mojibake(fixed[i])
    return fixed


def reference_hashtags(arr: pa.Array) -> list[list[str]]:
    """The rule as written first: join list cells with spaces, then split the text."""
    if pa.types.is_list(arr.type):
        arr = pc.binary_join(arr, " ")
    return vector._hashtags_reference(arr).to_pylist()  # type: ignore[no-any-return]


@settings(max_examples=150, deadline=None)
@given(CELLS)
def test_missing_cells_equal_the_full_normalisation(cells: list[str | None]) -> None:
    arr = pa.array(cells, pa.string())
    assert vector.missing_cells(arr).to_pylist() == reference_missing(arr).to_pylist()


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.none(), TEXT, st.text(max_size=40)), max_size=30))
def test_text_parse_equals_the_reference(cells: list[str | None]) -> None:
    arr = pa.array(cells, pa.string())
    assert vector.parse_text(arr, vector.ColumnContext()).values.to_pylist() == reference_text(arr)


def test_long_cells_take_the_shortcut_and_short_ones_are_still_markers() -> None:
    cells = ["x" * 50] * 10 + [" NaN ", "—", "\u2212", None, "ok"]  # U+2212 reads as "-"
    arr = pa.array(cells, pa.string())
    assert vector.missing_cells(arr).to_pylist() == [False] * 10 + [True, True, True, True, False]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.lists(st.one_of(TEXT, st.none()), max_size=5)), max_size=20)
)
def test_hashtag_lists_equal_the_join_and_split_rule(rows: list[list[str | None] | None]) -> None:
    arr = pa.array(rows, pa.list_(pa.string()))
    got = vector.parse_hashtags(arr, vector.ColumnContext()).values.to_pylist()
    assert got == reference_hashtags(arr)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.none(), TEXT), max_size=20))
def test_hashtag_text_equals_the_split_rule(cells: list[str | None]) -> None:
    arr = pa.array(cells, pa.string())
    got = vector.parse_hashtags(arr, vector.ColumnContext()).values.to_pylist()
    assert got == reference_hashtags(arr)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.none(),
            st.lists(st.from_regex(r"#{0,2}[a-zA-Z0-9_ ]{1,8}", fullmatch=True), max_size=4).map(
                lambda tags: "[" + ", ".join(repr(t) for t in tags) + "]"
            ),
        ),
        max_size=20,
    )
)
def test_csv_style_hashtag_lists_take_the_shortcut_with_the_same_result(
    cells: list[str | None],
) -> None:
    arr = pa.array(cells, pa.string())
    got = vector.parse_hashtags(arr, vector.ColumnContext()).values.to_pylist()
    assert got == reference_hashtags(arr)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.lists(st.from_regex(r"#{0,2}[a-zA-Zéİ0-9_]{1,8}", fullmatch=True), max_size=4),
        max_size=20,
    )
)
def test_plain_hashtag_lists_take_the_shortcut_with_the_same_result(rows: list[list[str]]) -> None:
    arr = pa.array(rows, pa.list_(pa.string()))
    got = vector.parse_hashtags(arr, vector.ColumnContext()).values.to_pylist()
    assert got == reference_hashtags(arr)


def test_hashtag_lists_mixing_plain_and_odd_rows_keep_row_order() -> None:
    rows = [["#A", "#b"], ["#x y", "#Z"], None, ["#c", None], [], ["#NaN", "#d#e"], ["#é\u00a0"]]
    arr = pa.array(rows, pa.list_(pa.string()))
    got = vector.parse_hashtags(arr, vector.ColumnContext()).values.to_pylist()
    assert got == reference_hashtags(arr)
    assert got == [["#a", "#b"], ["#x", "#y", "#z"], [], [], [], ["#d", "#e"], ["#é"]]


def reference_number_column(arr: pa.Array, ctx: vector.ColumnContext) -> tuple[list, list, list]:  # type: ignore[type-arg]
    value, pct, suffixed, ok, missing = vector._parse_numbers(arr, ctx.locale)
    failed = pc.and_(pc.invert(ok), pc.invert(missing))
    return value.to_pylist(), pct.to_pylist(), suffixed.to_pylist() + vector._indices(failed)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.just(""), st.from_regex(r"[0-9]{1,25}", fullmatch=True))),
    st.sampled_from([v.EN, v.DE]),
)
def test_digit_only_count_columns_read_as_the_number_rule_reads_them(
    cells: list[str | None], locale: v.Locale
) -> None:
    arr = pa.array(cells, pa.string())
    ctx = vector.ColumnContext(locale=locale)
    value, pct, suffixed, bad = vector._number_column(arr, ctx, lambda s: v.parse_count(s, locale))
    assert (value.to_pylist(), pct.to_pylist(), suffixed.to_pylist() + sorted(bad)) == (
        reference_number_column(arr, ctx)
    )
    parsed = vector.parse_count(arr, ctx)
    assert parsed.values.to_pylist() == [
        None if c in (None, "") or float(c) > 9.2e18 else round(float(c)) for c in cells
    ]


DATES = st.one_of(
    st.none(),
    st.sampled_from(["", "nan", "—", "yesterday", "1989-12-31", "31/12/2020", "2020-13-01"]),
    st.datetimes(min_value=datetime(1985, 1, 1), max_value=datetime(2105, 1, 1)).flatmap(
        lambda d: st.sampled_from(
            [
                d.strftime("%Y-%m-%dT%H:%M:%S"),
                d.strftime("%Y-%m-%d %H:%M"),
                d.strftime("%Y-%m-%d"),
                d.strftime("%Y-%m-%dT%H:%M:%S+02:00"),
                d.strftime("%d.%m.%Y"),
                f" {d.isoformat()} ",
            ]
        )
    ),
)


def reference_datetime(arr: pa.Array, dayfirst: bool) -> tuple[list, dict[int, str]]:  # type: ignore[type-arg]
    """The former rule: every format on every cell, then the scalar parser for the rest."""
    raw = pc.utf8_trim_whitespace(arr)
    result = pa.nulls(len(raw), pa.timestamp("us"))
    for fmt in vector._ARROW_DATETIME_FORMATS:
        got = pc.strptime(raw, format=fmt, unit="us", error_is_null=True)
        if got.type.tz is not None:
            got = pc.cast(pc.cast(got, pa.int64()), pa.timestamp("us"))
        result = pc.coalesce(result, got)
    missing = vector._missing_mask(vector.normalised(raw))
    fixed = result.to_pylist()
    bad: dict[int, str] = {}
    for i in vector._indices(pc.and_(pc.is_null(result), pc.invert(missing))):
        try:
            fixed[i] = v.parse_datetime(raw[i].as_py(), dayfirst=dayfirst)
        except ValueError as exc:
            bad[i] = str(exc)
    for i, x in enumerate(fixed):
        if x is not None and not datetime(1990, 1, 1) <= x <= datetime(2101, 1, 1):
            bad[i] = "date is outside 1990-2100"
    return [None if i in bad else x for i, x in enumerate(fixed)], bad


@settings(max_examples=150, deadline=None)
@given(st.lists(DATES, max_size=25), st.booleans())
def test_datetime_columns_read_as_the_former_every_format_rule(
    cells: list[str | None], dayfirst: bool
) -> None:
    arr = pa.array(cells, pa.string())
    got = vector.parse_datetime(arr, vector.ColumnContext(dayfirst=dayfirst))
    assert (got.values.to_pylist(), got.bad) == reference_datetime(arr, dayfirst)


def _distinct_shortcut_always() -> Any:
    """Take the distinct-values path on any column, however short and however varied."""
    from unittest import mock

    return mock.patch.multiple(vector, DISTINCT_MIN_ROWS=0, _DISTINCT_MAX_SHARE=1.0)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.lists(st.one_of(TEXT, st.none()), max_size=5)), max_size=12),
    st.integers(1, 3),
)
def test_hashtag_lists_read_on_distinct_items_equal_the_rule(
    rows: list[list[str | None] | None], repeat: int
) -> None:
    arr = pa.array(rows * repeat, pa.list_(pa.string()))
    with _distinct_shortcut_always():
        got = vector.parse_hashtags(arr, vector.ColumnContext()).values.to_pylist()
    assert got == reference_hashtags(arr)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.one_of(st.none(), TEXT, st.from_regex(r"@?[A-Za-z0-9._\-]{0,8}", fullmatch=True)),
        max_size=12,
    ),
    st.integers(1, 3),
)
def test_handles_read_on_distinct_values_equal_every_cell_read(
    cells: list[str | None], repeat: int
) -> None:
    arr = pa.array(cells * repeat, pa.string())
    expected = vector.parse_handle(arr, vector.ColumnContext())
    with _distinct_shortcut_always():
        got = vector.parse_handle(arr, vector.ColumnContext())
    assert got.values.to_pylist() == expected.values.to_pylist()
    assert got.bad == expected.bad
