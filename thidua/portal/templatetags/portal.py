"""Template filters of the public site."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from thidua.portal.sanitize import clean_body

register = template.Library()


@register.filter
def clean_html(body: str) -> SafeString:
    """An article body as shown: sanitised again on the way out (it was when saved), so a row
    changed outside the services still shows nothing but the allowed tags."""
    return mark_safe(clean_body(body))
