"""Template filters of the statistics pages: award levels and shares."""

from __future__ import annotations

from typing import Any

from django import template

from thidua.lib.numbers import format_number
from thidua.reports.levels import level_label as _level_label

register = template.Library()


@register.filter
def level_label(level_id: str) -> str:
    """{{ entry.level|level_label }} → "Cấp bộ, ban, ngành, tỉnh"."""
    return _level_label(level_id)


@register.filter
def pct(value: Any) -> str:
    """A share in per cent with one decimal: 12.345 → "12,3%"; empty when there is no share."""
    if value is None or value == "":
        return "—"
    return f"{format_number(value, 1)}%"
