"""The organisation the pages speak for, in every template as `site_org` (computed lazily)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from thidua.org.organisation import current_organisation, is_set_up


def _site_org() -> dict[str, Any]:
    organisation = current_organisation()
    if organisation is None:
        return {"name": "", "short_name": "", "set_up": is_set_up()}
    root = organisation.root
    return {"name": root.name, "short_name": root.short_name, "set_up": True}


def organisation(request: HttpRequest) -> dict[str, Any]:
    """`site_org.name`, `site_org.short_name` and `site_org.set_up` (False on an empty database)."""
    return {"site_org": SimpleLazyObject(_site_org)}
