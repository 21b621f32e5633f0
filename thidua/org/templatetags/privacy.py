"""Template filters for personal data (`thidua.org.privacy`)."""

from __future__ import annotations

from django import template

from thidua.org.privacy import mask_citizen_id

register = template.Library()


@register.filter
def masked_cccd(value: str) -> str:
    """A citizen id as everyone but who manages the person sees it: '0790******77'."""
    return mask_citizen_id(str(value or ""))
