"""Template filters for the audit log: action labels and the detail as labelled lines."""

from __future__ import annotations

from django import template

from thidua.audit.display import detail_lines
from thidua.audit.services import action_label

register = template.Library()
register.filter("action_label", action_label)
register.filter("detail_lines", detail_lines)
