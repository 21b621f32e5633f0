"""Object ids typed by people or programs: digits that fit a 64-bit column, or nothing."""

from __future__ import annotations

MAX_ID = 2**63 - 1


def parse_id(value: object) -> int | None:
    """The id `value` names (an int or a string of digits), or None when it cannot be one: a database
    never sees "abc", -1 or a 40-digit number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.strip().isdecimal() and len(value.strip()) <= 19:
        number = int(value.strip())
    else:
        return None
    return number if 0 < number <= MAX_ID else None
