from __future__ import annotations

from datetime import date


def review_year(today: date | None = None) -> int:
    """The year under review: the current year from October (the year-end season), else the last one."""
    today = today or date.today()
    return today.year if today.month >= 10 else today.year - 1
