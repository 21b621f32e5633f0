"""Paging a list of any size without counting it: the page's rows plus one tell whether a next page
exists, and the total shown is exact only while it is small.

Django's Paginator counts every matching row on every request (`SELECT COUNT(*)`), which at
1,000,000 people costs more than the page itself. `paginate` reads `per_page + 1` rows; the total
is counted up to `count_cap` rows at most (a bounded subquery), shown as "hơn 1.000" beyond it, or
replaced by the table's estimate (`estimated_rows`, labelled "khoảng") when the caller knows the
list is the whole table. Pages past `max_page` are not served (a search or a filter narrows the
list; nobody reads page 20,000). Templates: `{% include "core/paging.html" with page=page %}`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Model, QuerySet

from thidua.lib.numbers import format_number

COUNT_CAP = 1000
MAX_PAGE = 200


@dataclass
class Page:
    """One page of a list: the rows, where it is, and what is known of the total."""

    object_list: Sequence[Any]
    number: int
    per_page: int
    has_next_page: bool
    total: int | None = None  # exact, when known
    at_least: int | None = None  # more than this many (the count stopped at its cap)
    estimate: int | None = None  # about this many (the table's statistics)
    max_page: int = MAX_PAGE

    def __iter__(self) -> Iterator[Any]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def __bool__(self) -> bool:
        return bool(self.object_list)

    def has_next(self) -> bool:
        return self.has_next_page and self.number < self.max_page

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1

    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.object_list else 0

    def end_index(self) -> int:
        return (self.number - 1) * self.per_page + len(self.object_list)

    @property
    def num_pages(self) -> int | None:
        """The number of pages when the total is exact, else None."""
        if self.total is None:
            return None
        return max(1, -(-self.total // self.per_page))

    @property
    def is_empty_list(self) -> bool:
        """Nothing at all matches (not merely a page past the end)."""
        return not self.object_list and self.number == 1

    @property
    def at_limit(self) -> bool:
        """The last page served, with more rows behind it."""
        return self.has_next_page and self.number >= self.max_page

    @property
    def total_text(self) -> str:
        """'123', 'hơn 1.000' or 'khoảng 1.000.000'."""
        if self.total is not None:
            return format_number(self.total)
        if self.estimate is not None:
            return f"khoảng {format_number(self.estimate)}"
        if self.at_least is not None:
            return f"hơn {format_number(self.at_least)}"
        return ""


def page_number(raw: object, max_page: int = MAX_PAGE) -> int:
    """The page asked for: a number from 1 to `max_page` (anything else is page 1, or the last)."""
    text = str(raw or "")
    if not text.isdigit():
        return 1
    return max(1, min(int(text[:6]), max_page))


def bounded_count(queryset: QuerySet[Any], cap: int = COUNT_CAP) -> tuple[int, bool]:
    """(rows counted, True if there are more than `cap`): one query over at most `cap + 1` rows."""
    counted = queryset.order_by().values("pk")[: cap + 1].count()  # no ordering, no annotations
    return min(counted, cap), counted > cap


def estimated_rows(model: type[Model]) -> int | None:
    """The table's row count as PostgreSQL's statistics have it (no scan), None elsewhere or before
    the table was ever analysed."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [model._meta.db_table])
        row = cursor.fetchone()
    if row is None or row[0] is None or row[0] < 0:
        return None
    return int(row[0])


def estimated_matches(queryset: QuerySet[Any]) -> int | None:
    """How many rows PostgreSQL's planner expects `queryset` to hold (EXPLAIN, nothing run), None
    elsewhere."""
    if connection.vendor != "postgresql":
        return None
    try:
        explained = queryset.order_by().explain(format="json")
    except EmptyResultSet:  # a condition that can match nothing: no query to explain
        return 0
    if not explained:
        return 0
    plan = json.loads(explained)
    return int(plan[0]["Plan"]["Plan Rows"])


def paginate_known(
    rows: Sequence[Any], number: int, per_page: int, total: int, *, max_page: int = MAX_PAGE
) -> Page:
    """The page `number` (from `page_number`) of a list whose total is known exactly: `rows` are the
    page's rows, read by the caller (a ranked search: `PersonQuerySet.ranked_page`)."""
    page = Page(list(rows), number, per_page, total > number * per_page, max_page=max_page)
    page.total = total
    return page


def paginate(
    queryset: QuerySet[Any],
    raw_number: object,
    per_page: int,
    *,
    count_cap: int = COUNT_CAP,
    max_page: int = MAX_PAGE,
    whole_table: bool = False,
    counted: tuple[int, bool] | None = None,
) -> Page:
    """The page `raw_number` of the ordered `queryset`, without counting every row.

    `whole_table`: the list is every row of its table (no filter that matters), so a large total is
    shown as the table's estimate. `counted`: a `bounded_count` the caller has made already."""
    number = page_number(raw_number, max_page)
    offset = (number - 1) * per_page
    rows = list(queryset[offset : offset + per_page + 1])
    page = Page(rows[:per_page], number, per_page, len(rows) > per_page, max_page=max_page)
    if not page.has_next_page and (rows or number == 1):
        page.total = offset + len(page.object_list)  # the last page: the total is known for free
        return page
    if whole_table:
        estimate = estimated_rows(queryset.model)
        if estimate is not None and estimate > count_cap:
            page.estimate = estimate
            return page
    rows_counted, more = counted or bounded_count(queryset, count_cap)
    if more:
        page.at_least = rows_counted
    else:
        page.total = rows_counted
    return page
