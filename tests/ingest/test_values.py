"""Value parsers: known cases, and for any input a value or a ValueError, never anything else."""

from __future__ import annotations

import math
from datetime import datetime

import pyarrow as pa
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from creatormix.ingest import values as v
from creatormix.ingest import vector

# Strings shaped like the numbers exports contain, mixed with arbitrary text.
number_like = st.one_of(
    st.from_regex(
        r"\A[ ]?[+\-−]?\d{0,4}([.,]\d{0,3}){0,3}(e[+-]?\d{1,3})?[ ]?(k|m|b|mn|bn|%| %)?[ ]?\Z",
        fullmatch=True,
    ),
    st.sampled_from(
        [
            "3.3k",
            "475.8m",
            "29.0b",
            "1,234",
            "1.234",
            "1.39%",
            "NaN%",
            "nan",
            "—",
            "",
            " ",
            "1e6",
            "12 345",
            "1,5",
            ".",
        ]
    ),
    st.text(max_size=12),
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3.3k", 3300),
        ("475.8m", 475_800_000),
        ("29.0b", 29_000_000_000),
        ("1,234", 1234),
        ("1,234,567", 1_234_567),
        ("12 345", 12345),
        ("1e6", 1_000_000),
        ("2.5E3", 2500),
        ("0.89k", 890),
        (" 42 ", 42),
        ("1234.0", 1234),
        ("nan", None),
        ("NaN%", None),
        ("—", None),
        ("", None),
        ("n/a", None),
    ],
)
def test_counts_read_as_exports_write_them(text: str, expected: int | None) -> None:
    assert v.parse_count(text) == expected


def test_a_decimal_comma_locale_reads_dots_as_thousands() -> None:
    assert v.parse_count("1.234", v.DE) == 1234
    assert v.parse_float("1.234,5", v.DE) == 1234.5
    assert v.parse_float("1.234", v.EN) == 1.234


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("abc", "not a number"),
        ("-5", "negative"),
        ("1.39%", "percentage"),
        ("1,5", "pass --decimal ','"),
        ("3k%", "both"),
        ("5.5", "whole number"),
        ("0.5", "whole number"),
        ("12.5e0", "whole number"),
    ],
)
def test_bad_counts_say_why(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        v.parse_count(text)


@pytest.mark.parametrize(
    ("text", "locale", "hint"),
    [
        ("1.234", v.EN, r"read as 1234 .*--decimal ','"),
        ("12.345", v.EN, r"read as 12345 .*--decimal ','"),
        ("1,234", v.DE, r"read as 1234 .*--decimal '\.'"),
    ],
)
def test_a_fractional_count_that_looks_like_thousands_hints_at_the_decimal_option(
    text: str, locale: v.Locale, hint: str
) -> None:
    with pytest.raises(ValueError, match=hint):
        v.parse_count(text, locale)


@pytest.mark.parametrize("text", ["12.000", "1.000", "+999.000", " 12.000 "])
def test_a_count_like_12_000_is_ambiguous_when_the_decimal_point_is_only_assumed(
    text: str,
) -> None:
    with pytest.raises(ValueError, match=r"ambiguous count.*--decimal ','.*--decimal '\.'"):
        v.parse_count(text, v.ASSUMED_EN)
    assert v.parse_count(text, v.DE) == int(text.strip().replace(".", ""))
    assert v.parse_count(text, v.EN) == int(text.strip().split(".")[0])


@pytest.mark.parametrize("text", ["12.500", "12.0", "1,000", "1200", "12.000k"])
def test_only_a_dot_and_three_zeros_are_ambiguous(text: str) -> None:
    try:
        v.parse_count(text, v.ASSUMED_EN)
    except ValueError as exc:
        assert "ambiguous" not in str(exc)


def test_counts_with_a_suffix_may_carry_a_fraction_and_whole_decimals_pass() -> None:
    assert (v.parse_count("3.35k"), v.parse_count("1234.0"), v.parse_count("1.5e3")) == (
        3350,
        1234,
        1500,
    )
    with pytest.raises(ValueError, match="whole number") as caught:
        v.parse_count("5.5")
    assert "--decimal" not in str(caught.value)


def test_a_float_count_column_refuses_fractions() -> None:
    parsed = vector.parse_count(pa.array([10.0, 5.5, None]), vector.ColumnContext())
    assert parsed.values.to_pylist() == [10, None, None]
    assert "whole number" in parsed.bad[1] and set(parsed.bad) == {1}


@pytest.mark.parametrize(
    ("text", "points", "expected"),
    [("1.39%", False, 0.0139), ("0.05", False, 0.05), ("3.2", True, 0.032), ("NaN%", False, None)],
)
def test_rates_become_fractions(text: str, points: bool, expected: float | None) -> None:
    got = v.parse_ratio(text, percent_points=points)
    assert got == pytest.approx(expected) if expected is not None else got is None


@pytest.mark.parametrize(
    ("text", "points", "shown"), [("12000", True, "12,000%"), ("150%", False, "150%")]
)
def test_rates_above_100_percent_are_refused_with_the_value_they_read_as(
    text: str, points: bool, shown: str
) -> None:
    with pytest.raises(ValueError, match=f"cannot be above 100% .*{shown}"):
        v.parse_ratio(text, percent_points=points)
    assert v.parse_ratio("100%") == 1.0
    ctx = vector.ColumnContext(percent_points=points)
    parsed = vector.parse_ratio(pa.array([text, "3%"]), ctx)
    assert parsed.values.to_pylist() == [None, pytest.approx(0.03)]
    assert shown in parsed.bad[0]
    floats = vector.parse_ratio(pa.array([120.0, 3.0]), vector.ColumnContext(percent_points=True))
    assert floats.values.to_pylist() == [None, pytest.approx(0.03)] and 0 in floats.bad


def test_dates_in_the_common_export_forms() -> None:
    assert v.parse_datetime("2024-05-31T18:00:00Z") == datetime(2024, 5, 31, 18, 0)
    assert v.parse_datetime("2024-05-31T20:00:00+02:00") == datetime(2024, 5, 31, 18, 0)
    assert v.parse_datetime("31/05/2024", dayfirst=True) == datetime(2024, 5, 31)
    assert v.parse_datetime("05/31/2024") == datetime(2024, 5, 31)
    assert v.parse_datetime("1717178400") == datetime(2024, 5, 31, 18, 0)
    assert v.parse_datetime("1717178400000") == datetime(2024, 5, 31, 18, 0)
    with pytest.raises(ValueError, match="day/month"):
        v.parse_datetime("05/31/2024", dayfirst=True)


def test_lists_from_python_literals_json_and_separators() -> None:
    assert v.parse_list("['#fitness', '#athlete']") == ("#fitness", "#athlete")
    assert v.parse_list('["a", "b"]') == ("a", "b")
    assert v.parse_list("beauty; food | travel") == ("beauty", "food", "travel")
    assert v.parse_hashtags("#Vegan #skin#care") == ("#vegan", "#skin", "#care")


def test_money_with_symbols_and_codes() -> None:
    assert v.parse_money("$1,200") == (1200.0, "USD")
    assert v.parse_money("450 EUR") == (450.0, "EUR")
    assert v.parse_money("1.200,00 €", v.DE) == (1200.0, "EUR")
    assert v.parse_money("300") == (300.0, None)


@pytest.mark.parametrize(
    ("text", "reason"),
    [("abc", "not an amount"), ("EUR", "not an amount"), ("12 abc", "'abc' is no currency")],
)
def test_letters_that_are_no_currency_make_a_cell_not_an_amount(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        v.parse_money(text)
    parsed, _currency = vector.parse_money(pa.array([text, "12 usd"]), vector.ColumnContext())
    assert reason in parsed.bad[0] and parsed.values.to_pylist() == [None, 12.0]
    assert v.parse_money("CHF 40") == (40.0, "CHF")


def test_mojibake_is_repaired_once_and_correct_text_is_left_alone() -> None:
    assert v.fix_mojibake("CÃ´te d'Ivoire") == "Côte d'Ivoire"
    assert v.fix_mojibake("Côte d'Ivoire") == "Côte d'Ivoire"
    assert v.fix_mojibake("São Paulo") == "São Paulo"


@settings(max_examples=400, deadline=None)
@given(number_like)
@example("1,234.5")
@example("9" * 30)
def test_any_string_gives_a_value_or_a_clear_error(text: str) -> None:
    for parse in (
        v.parse_count,
        v.parse_float,
        v.parse_ratio,
        v.parse_bool,
        v.parse_money,
        v.parse_list,
        v.parse_datetime,
    ):
        try:
            parse(text)  # type: ignore[operator]
        except ValueError as exc:
            assert str(exc)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(number_like, min_size=1, max_size=20),
    st.sampled_from([v.EN, v.DE, v.ASSUMED_EN]),
)
def test_column_parsers_agree_with_the_scalar_rules(cells: list[str], locale: v.Locale) -> None:
    """The vectorised column path is an optimisation of the scalar rules, never a second opinion."""
    arr = pa.array(cells, pa.string())
    for column_parser, scalar in (
        (vector.parse_count, lambda s: v.parse_count(s, locale)),
        (vector.parse_number, lambda s: v.parse_float(s, locale)),
    ):
        parsed = column_parser(arr, vector.ColumnContext(locale=locale))
        got = parsed.values.to_pylist()
        for i, cell in enumerate(cells):
            try:
                expected = scalar(cell)
            except ValueError:
                assert i in parsed.bad, (cell, got[i])
                assert got[i] is None
                continue
            assert i not in parsed.bad, (cell, parsed.bad.get(i))
            if expected is None or got[i] is None:
                assert expected is got[i] is None, (cell, expected, got[i])
            else:
                assert math.isclose(got[i], expected, rel_tol=1e-12), (cell, expected, got[i])
