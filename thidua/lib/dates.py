from __future__ import annotations

from datetime import date


def review_year(today: date | None = None, *, closed: bool = False) -> int:
    """The year under review: the previous year until its ratings are closed (`closed`), then this year.

    In January 2027 the pages open on 2026, the year being judged; once the organisation has closed
    the ratings of 2026, on 2027. `thidua.history.years.year_under_review` reads `closed` from the
    database; this pure function only decides.
    """
    today = today or date.today()
    return today.year if closed else today.year - 1
