"""A burst of visitors must not reach the database on every request: the public pages an anonymous
visitor (no session cookie) sees are kept whole in the "public" cache for `PUBLIC_CACHE_SECONDS`,
and sent with `Cache-Control: public` so a reverse proxy may keep them too.

Changes the portal makes itself (an article published or withdrawn, the honour board refreshed, a
person withheld) bump a generation number, so every cached page is rebuilt at the next visit.
Changes made elsewhere (a movement's public summary, a published ranking) show within the cache
time. Signed-in users always get fresh pages (never stored).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers

GENERATION_KEY = "portal:generation"
View = Callable[..., HttpResponse]


def _cache() -> Any:
    return caches["public"]


def generation() -> int:
    value = _cache().get(GENERATION_KEY)
    if value is None:
        value = 1
        _cache().set(GENERATION_KEY, value, None)
    return int(value)


def bump() -> None:
    """Forget every cached public page (after the transaction that changed them commits)."""

    def _bump() -> None:
        try:
            _cache().incr(GENERATION_KEY)
        except ValueError:  # not there yet (or evicted)
            _cache().set(GENERATION_KEY, 2, None)

    transaction.on_commit(_bump)


def remembered(name: str, compute: Callable[[], Any]) -> Any:
    """A value derived from public data (the years of the honour board, a year's filter options),
    kept until the public pages change (the same generation) or the cache time ends."""
    key = f"portal:value:{generation()}:{name}"
    value = _cache().get(key)
    if value is None:
        value = compute()
        _cache().set(key, value)
    return value


def is_anonymous_visit(request: HttpRequest) -> bool:
    """No session cookie: the page cannot depend on who asks (and reading it costs no query)."""
    return settings.SESSION_COOKIE_NAME not in request.COOKIES and request.method in ("GET", "HEAD")


def public_page(view: View) -> View:
    """Serve the view's page from the public cache to anonymous visitors; compute it otherwise."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_anonymous_visit(request):
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:40]
        key = f"portal:page:{generation()}:{digest}"
        cached = _cache().get(key)
        if cached is not None:
            return cached  # type: ignore[no-any-return]
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        patch_vary_headers(response, ("Cookie",))
        if response.status_code == 200 and not response.cookies and not response.streaming:
            patch_cache_control(response, public=True, max_age=min(settings.PUBLIC_CACHE_SECONDS, 300))
            _cache().set(key, response)
        return response

    return wrapped
