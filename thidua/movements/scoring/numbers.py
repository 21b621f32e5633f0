"""Decimal helpers: parsing figures, rounding half-up, Vietnamese number formatting."""

from __future__ import annotations

from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from thidua.lib.numbers import format_number, parse_number

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def to_decimal(value: object) -> Decimal | None:
    """A figure as a finite Decimal, or None: the project's one parser (`thidua.lib.numbers`)."""
    return parse_number(value)


def q2(value: Decimal) -> Decimal:
    """Round half-up to 2 decimals (the rounding of every leaf)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def floor_int(value: Decimal) -> Decimal:
    return value.to_integral_value(rounding=ROUND_FLOOR)


def fmt(value: Decimal, places: int | None = 2) -> str:
    """Vietnamese notation (412.500; 104,31), two decimals unless told: `thidua.lib.numbers`."""
    return format_number(value, places)


def plain(value: Decimal) -> int | float:
    """A Decimal as int when integral, else float (for YAML/JSON/xlsx output)."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)
