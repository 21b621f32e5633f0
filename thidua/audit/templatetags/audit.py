"""Template filters for the audit log: action labels and the detail as labelled lines."""

from __future__ import annotations

from typing import Any

from django import template

from thidua.audit.display import detail_lines
from thidua.audit.services import action_label

register = template.Library()
register.filter("action_label", action_label)
register.filter("detail_lines", detail_lines)


@register.filter
def entry_lines(entry: Any) -> list[tuple[str, str]]:
    """An audit entry's detail as labelled lines, read with its action."""
    return detail_lines(entry.detail, entry.action)
