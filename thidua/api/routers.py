"""The API's router: object ids in URLs are numbers, so `/results/abc/submit/` is a 404, not a crash."""

from __future__ import annotations

from typing import Any

from rest_framework.routers import DefaultRouter

# Up to 18 digits: every id fits a 64-bit integer column on SQLite and PostgreSQL.
ID_PATTERN = "[0-9]{1,18}"


class NumericIdRouter(DefaultRouter):
    """DefaultRouter whose `{id}` matches only numbers (unless a viewset says otherwise)."""

    def get_lookup_regex(self, viewset: Any, lookup_prefix: str = "") -> str:
        if getattr(viewset, "lookup_value_regex", None) is None:
            lookup = getattr(viewset, "lookup_url_kwarg", None) or getattr(viewset, "lookup_field", "pk")
            return f"(?P<{lookup_prefix}{lookup}>{ID_PATTERN})"
        return str(super().get_lookup_regex(viewset, lookup_prefix))
