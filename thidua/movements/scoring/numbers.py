"""Decimal helpers: parsing figures, rounding half-up, Vietnamese number formatting."""

from __future__ import annotations

from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")
_VI_SEPARATORS = str.maketrans({",": ".", ".": ","})
_QUANTUM = {places: Decimal(1).scaleb(-places) for places in range(7)}


def to_decimal(value: object) -> Decimal | None:
    """Return ``value`` as a finite Decimal, or None when it is not a number.

    Floats go through ``repr`` so that 0.1 stays 0.1. Booleans are not numbers.
    Strings accept a Vietnamese decimal comma ("2,6") when they contain no dot.
    """
    kind = type(value)
    if kind is int:
        return Decimal(value)  # type: ignore[arg-type]
    if kind is float:
        result = Decimal(repr(value))
        return result if result.is_finite() else None
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        return Decimal(value)
    elif isinstance(value, float):
        result = Decimal(repr(value))
    elif isinstance(value, str):
        text = value.strip().replace("\u00a0", "").replace(" ", "")
        if "," in text and "." not in text and text.count(",") == 1:
            text = text.replace(",", ".")
        try:
            result = Decimal(text)
        except InvalidOperation:
            return None
    else:
        return None
    return result if result.is_finite() else None


def q2(value: Decimal) -> Decimal:
    """Round half-up to 2 decimals (the rounding of every leaf)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def floor_int(value: Decimal) -> Decimal:
    return value.to_integral_value(rounding=ROUND_FLOOR)


def fmt(value: Decimal, places: int | None = 2) -> str:
    """Vietnamese notation: "." for thousands, "," for decimals (412.500; 104,31).

    ``places=None`` keeps the significant decimals only (10 → "10", 0.50 → "0,5").
    """
    if places is None:
        value = value.normalize()
        exponent = value.as_tuple().exponent
        places = max(0, -exponent) if isinstance(exponent, int) else 0
        text = f"{value:,.{places}f}"
    else:
        quantum = _QUANTUM.get(places) or Decimal(1).scaleb(-places)
        text = f"{value.quantize(quantum, rounding=ROUND_HALF_UP):,.{places}f}"
    return text.translate(_VI_SEPARATORS)


def plain(value: Decimal) -> int | float:
    """A Decimal as int when integral, else float (for YAML/JSON/xlsx output)."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)
