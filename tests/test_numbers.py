"""One rule writes quantities for tables and sentences; follower counts never round up."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from creatormix.domain.numbers import followers, quantity


@pytest.mark.parametrize(
    ("x", "text"),
    [
        (596_931, "597k"),
        (1_234_567, "1.2M"),
        (45_250, "45.3k"),  # half up, not to even
        (412, "412"),
        (1.76, "1.76"),
        (0.0721, "0.0721"),
        (999.6, "1.0k"),
        (987.6, "988"),  # three digits, not 1.0k: only what rounds to 1,000 becomes 1.0k
        (950, "950"),
        (999_499, "999k"),
        (999_500, "1.0M"),
        (999_500_000, "1.0B"),
        (999_950, "1.0M"),
        (-77, "-77"),
        (0, "0"),
        (None, "—"),
        (float("inf"), "∞"),
    ],
)
def test_quantities_round_half_up_and_keep_small_values(x: float | None, text: str) -> None:
    assert quantity(x) == text


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (9_999, "9.9k"),
        (999_999, "999k"),
        (100_000, "100k"),
        (1_299_999, "1.2M"),
        (475_800_000, "475.8M"),  # as the export wrote it ("475.8m"), not 475M
        (475_899_999, "475.8M"),
        (999_999_999, "999.9M"),
        (29_000_000_000, "29.0B"),
        (1_234_567_000_000, "1234B"),
    ],
)
def test_follower_counts_are_truncated(n: int, text: str) -> None:
    assert followers(n) == text


@given(st.floats(min_value=0.01, max_value=1e11, allow_nan=False))
def test_a_quantity_is_never_written_as_zero_unless_it_is(x: float) -> None:
    assert quantity(x) not in ("0", "0.0k", "0.0M")


@given(st.floats(min_value=1, max_value=1e11, allow_nan=False))
def test_a_quantity_stays_within_its_rounding_of_the_value(x: float) -> None:
    """What a quantity says, read back, is the value to within its last digit (987.6 read "1.0k",
    1.3% off, because any value above 950 took the next unit)."""
    text = quantity(x)
    scale = {"k": 1e3, "M": 1e6, "B": 1e9}.get(text[-1], 1.0)
    number = float(text[:-1]) if text[-1] in "kMB" else float(text)
    last_digit = (
        scale * (0.1 if "." in text else 1.0)
        if scale > 1
        else (10 ** (len(text.split(".")[1]) * -1) if "." in text else 1.0)
    )
    assert abs(number * scale - x) <= last_digit / 2 + 1e-9 * x


@pytest.mark.parametrize(
    ("x", "currency", "short", "text"),
    [
        (-84.2, "USD", False, "-$84"),  # was "$-84"
        (11_072, "USD", False, "$11,072"),
        (-1_500, "EUR", True, "-€1.5k"),
        (5_800, "GBP", True, "£5.8k"),
        (-1_200, "CHF", False, "-1,200 CHF"),
        (-0.4, "USD", False, "$0"),  # no "-$0"
        (None, "USD", False, "—"),
    ],
)
def test_money_puts_the_sign_before_the_symbol(
    x: float | None, currency: str, short: bool, text: str
) -> None:
    from creatormix.domain.numbers import money

    assert money(x, currency, short=short) == text


@pytest.mark.parametrize(
    ("low", "high", "text"),
    [
        (1_500, 5_800, "$1.5k–$5.8k"),
        (-1_500, 5_800, "-$1.5k to $5.8k"),
        (-9_056, -84, "-$9.1k to -$84"),
        (-102, -102, "-$102"),  # was "$-102–$-102"
    ],
)
def test_money_ranges_have_signed_ends(low: float, high: float, text: str) -> None:
    from creatormix.domain.numbers import money_range

    assert money_range(low, high, "USD") == text
