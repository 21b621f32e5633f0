"""Working days: Monday to Friday, minus the public holidays of `thidua.lib.holidays`."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

from thidua.lib.holidays import HOLIDAYS


def is_working_day(day: date, holidays: Collection[date] = HOLIDAYS) -> bool:
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: date, days: int, holidays: Collection[date] = HOLIDAYS) -> date:
    """The date `days` working days after `start` (the day of `start` itself does not count)."""
    day = start
    while days > 0:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            days -= 1
    return day


def working_days_left(today: date, deadline: date, holidays: Collection[date] = HOLIDAYS) -> int:
    """Working days from `today` (excluded) to `deadline` (included); negative when overdue
    (the working days since the deadline, `deadline` excluded)."""
    if deadline >= today:
        return sum(
            1
            for n in range(1, (deadline - today).days + 1)
            if is_working_day(today + timedelta(days=n), holidays)
        )
    return -sum(
        1
        for n in range(1, (today - deadline).days + 1)
        if is_working_day(deadline + timedelta(days=n), holidays)
    )
