"""The one number formatter and parser (`thidua.lib.numbers`)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from thidua.lib.numbers import format_number, parse_number


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("95,5", Decimal("95.5")),
        ("95.5", Decimal("95.5")),
        (" 1.234.567 ", Decimal(1234567)),
        ("1,234,567", Decimal(1234567)),
        ("1.234,5", Decimal("1234.5")),
        ("1,234.5", Decimal("1234.5")),
        ("1 234 567", Decimal(1234567)),
        ("-7", Decimal(-7)),
        (12, Decimal(12)),
        (0.1, Decimal("0.1")),
        (Decimal("2.50"), Decimal("2.50")),
        ("", None),
        ("abc", None),
        ("1e999999", None),  # beyond ±10^15: a typing error, never an infinite float later
        ("1000000000000000", Decimal("1000000000000000")),
        ("-1000000000000001", None),
        (10**30, None),
        ("inf", None),
        ("NaN", None),
        (float("inf"), None),
        (True, None),
        (None, None),
        ("9" * 61, None),  # longer than any typed figure
    ],
)
def test_it_reads_numbers_as_people_type_them(typed, value):
    assert parse_number(typed) == value


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (0, 0, "0"),
        (999, 0, "999"),
        (1234567, 0, "1.234.567"),
        (-7020000, 0, "-7.020.000"),
        (1234.5, 1, "1.234,5"),
        (Decimal("104.305"), 2, "104,31"),  # half-up
        (Decimal("10.00"), None, "10"),
        (Decimal("0.50"), None, "0,5"),
        ("1989000", 0, "1.989.000"),
        (None, 0, ""),
        ("", 0, ""),
        ("không rõ", 0, "không rõ"),
    ],
)
def test_it_writes_numbers_the_vietnamese_way(value, places, text):
    assert format_number(value, places) == text
