"""The one Vietnamese number formatter and the one parser of typed numbers.

Pages, .docx, .xlsx and PDF write numbers as Vietnamese does: "." between thousands, "," before the
decimals (1.234.567; 95,5). Whatever a person types (a form field, an imported cell) is read by
`parse_number`, which takes 95,5 as well as 95.5, and 1.234.567 as well as 1,234,567.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

_VI_SEPARATORS = str.maketrans({",": ".", ".": ","})
# No figure anyone types reaches a million billion (VND amounts included): beyond is a typing error or
# a hostile value (1e999 would become an infinite float in JSON), refused like text.
MAX_MAGNITUDE = Decimal(10) ** 15
_QUANTUM = {places: Decimal(1).scaleb(-places) for places in range(7)}


def parse_number(value: object) -> Decimal | None:
    """`value` as a finite Decimal within ±10^15, or None when it is not such a number.

    Integers and Decimals as they are; floats through ``repr`` (0.1 stays 0.1); booleans are not
    numbers. Text: spaces ignored; with both separators the last one is the decimal mark ("1.234,5",
    "1,234.5"); a single "," is a decimal comma ("95,5"); several of one separator group thousands
    ("1.234.567").
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value) if abs(value) <= MAX_MAGNITUDE else None
    if isinstance(value, float):
        result = Decimal(repr(value))
    elif isinstance(value, Decimal):
        result = value
    elif isinstance(value, str):
        text = value.strip().replace("\u00a0", "").replace(" ", "")
        if len(text) > 60:  # no typed figure is this long; refuse before Decimal does work on it
            return None
        if "," in text and "." in text:
            decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
            thousands = "." if decimal_mark == "," else ","
            text = text.replace(thousands, "").replace(",", ".")
        elif text.count(",") == 1:
            text = text.replace(",", ".")
        elif text.count(",") > 1:
            text = text.replace(",", "")
        elif text.count(".") > 1:
            text = text.replace(".", "")
        try:
            result = Decimal(text)
        except InvalidOperation:
            return None
    else:
        return None
    return result if result.is_finite() and abs(result) <= MAX_MAGNITUDE else None


def format_number(value: object, places: int | None = 0) -> str:
    """Vietnamese notation, rounded half-up to `places` decimals: 1234567 → "1.234.567",
    (1234.5, 1) → "1.234,5". `places=None` keeps the significant decimals (10 → "10", 0.50 → "0,5").
    None and "" give ""; text that is not a number is returned as it is."""
    if value is None or value == "":
        return ""
    number = parse_number(value)
    if number is None:
        return str(value)
    if places is None:
        number = number.normalize()
        exponent = number.as_tuple().exponent
        places = max(0, -exponent) if isinstance(exponent, int) else 0
    else:
        quantum = _QUANTUM.get(places) or Decimal(1).scaleb(-places)
        number = number.quantize(quantum, rounding=ROUND_HALF_UP)
    return f"{number:,.{places}f}".translate(_VI_SEPARATORS)
