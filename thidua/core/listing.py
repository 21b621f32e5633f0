"""Sorting a list by its columns: one small helper for every list page (with the django-filter FilterSets
that do the filtering).

A page declares its sortable columns once, `Sorter(request, columns, default="name")` reads `?sap_xep=`
(`-key` for descending, anything unknown falls back to the default), orders a QuerySet (or a Python
list by the same keys) and gives the table headers with links that keep the page's other filters.
Templates: `{% include "core/sort_headers.html" with sorter=sorter %}` inside `<tr>`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import F, QuerySet
from django.http import HttpRequest

PARAM = "sap_xep"
T = TypeVar("T")


@dataclass(frozen=True)
class Column:
    """A table column: its key in the URL, its header, and what it orders by (fields, or a row key)."""

    key: str
    label: str
    order_by: tuple[str, ...] = ()
    row_key: Callable[[Any], Any] | None = None
    css: str = ""

    @property
    def sortable(self) -> bool:
        return bool(self.order_by or self.row_key)


class Sorter:
    def __init__(self, request: HttpRequest, columns: Sequence[Column], *, default: str) -> None:
        self.columns = list(columns)
        self.by_key = {c.key: c for c in self.columns if c.sortable}
        raw = request.GET.get(PARAM, "") or default
        key = raw.lstrip("-")
        if key not in self.by_key:
            raw, key = default, default.lstrip("-")
        self.key, self.descending = key, raw.startswith("-")
        self.query = request.GET.copy()

    def apply(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """The queryset ordered by the chosen column (empty values last), then by id for stability."""
        column = self.by_key[self.key]
        if not column.order_by:
            return queryset
        fields = [
            F(name).desc(nulls_last=True) if self.descending else F(name).asc(nulls_last=True)
            for name in column.order_by
        ]
        return queryset.order_by(*fields, "pk")

    def sort(self, rows: Sequence[T]) -> list[T]:
        """A Python list ordered by the chosen column's `row_key` (rows without a value last)."""
        column = self.by_key[self.key]
        if column.row_key is None:
            return list(rows)
        key_of = column.row_key
        present = [r for r in rows if key_of(r) is not None]
        missing = [r for r in rows if key_of(r) is None]
        return sorted(present, key=key_of, reverse=self.descending) + missing

    def headers(self) -> list[dict[str, Any]]:
        out = []
        for column in self.columns:
            header: dict[str, Any] = {"label": column.label, "css": column.css, "url": "", "state": ""}
            if column.sortable:
                query = self.query.copy()
                active = column.key == self.key
                query[PARAM] = f"-{column.key}" if active and not self.descending else column.key
                query.pop("page", None)
                header["url"] = f"?{query.urlencode()}"
                header["state"] = ("descending" if self.descending else "ascending") if active else ""
            out.append(header)
        return out
