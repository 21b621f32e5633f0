"""Template filters for Vietnamese display: numbers, names of titles and forms, user names."""

from __future__ import annotations

from typing import Any

from django import template

from thidua.lib.numbers import format_number
from thidua.rules.names import award_name

register = template.Library()


@register.filter(name="so")
def so(value: Any, decimals: int = 0) -> str:
    """Vietnamese number formatting: {{ 1234567|so }} → 1.234.567."""
    return format_number(value, decimals)


register.filter("award_name", award_name)


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """{{ counts|get_item:unit.pk }}: a dict lookup by a variable key."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def display_name(user: Any) -> str:
    """A user's name in Vietnamese order (family and middle names first), or the login name."""
    name = " ".join(part for part in (user.last_name, user.first_name) if part).strip()
    return name or str(user.get_username())
