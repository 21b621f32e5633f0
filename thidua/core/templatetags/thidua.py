"""Template filters for Vietnamese display: numbers, titles and awards, audit actions and details."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from thidua.audit.display import detail_lines
from thidua.audit.services import action_label
from thidua.awards.labels import award_label

register = template.Library()


def format_number(value: Any, decimals: int = 0) -> str:
    """1234567 → '1.234.567'; 1234.5 with decimals=1 → '1.234,5' (Vietnamese separators)."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return str(value)
    text = f"{number:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


@register.filter(name="so")
def so(value: Any, decimals: int = 0) -> str:
    """Vietnamese number formatting: {{ 1234567|so }} → 1.234.567."""
    return format_number(value, decimals)


register.filter("award_label", award_label)
register.filter("action_label", action_label)
register.filter("detail_lines", detail_lines)


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
