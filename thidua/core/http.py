"""HTTP helpers every app's views share."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils.cache import patch_cache_control

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "yaml": "application/yaml; charset=utf-8",
}


def download(content: bytes, filename: str, content_type: str | None = None) -> HttpResponse:
    """A file to save: the content type from the file's extension unless given; the name in UTF-8
    (RFC 6266), so Vietnamese names survive."""
    extension = filename.rsplit(".", 1)[-1].lower()
    response = HttpResponse(
        content, content_type=content_type or CONTENT_TYPES.get(extension, "application/octet-stream")
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def no_store(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Pages and answers with personal data: `Cache-Control: no-store, private` (no browser or proxy
    keeps a copy), whatever the view returns, errors included."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> HttpResponse:
        response = view(*args, **kwargs)
        patch_cache_control(response, no_store=True, private=True)
        return response

    return wrapper


def action_slugs(slugs: Mapping[str, str]) -> type:
    """A URL converter for a fixed set of actions (`register_converter(action_slugs({...}), "…")`):
    the address carries the action's Vietnamese slug, like the rest of the site (`tham-dinh`); the
    view and `{% url %}` name the action itself (`appraise`), the name its services and the API use.
    Any other slug is a 404; reversing an unknown action fails (NoReverseMatch)."""
    to_slug = dict(slugs)
    to_action = {slug: action for action, slug in to_slug.items()}
    if len(to_action) != len(to_slug):
        raise ValueError("Hai thao tác trùng một đường dẫn")

    class ActionSlug:
        regex = "|".join(re.escape(s) for s in sorted(to_action, key=len, reverse=True))
        example = next(iter(to_action))  # an address that resolves (the URL guard's sample)

        def to_python(self, value: str) -> str:
            return to_action[value]

        def to_url(self, value: str) -> str:
            if value not in to_slug:
                raise ValueError(value)
            return to_slug[value]

    return ActionSlug
