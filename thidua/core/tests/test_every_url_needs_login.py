"""A guard for every URL the project declares, today's and tomorrow's: without a login, a page
redirects to the login page and an API call answers 401. Public URLs are listed here on purpose:
the login page and the public site (thidua/portal), which must answer a visitor without a login."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import get_converters

# Reachable without logging in, by design: the login page and the public site (docs/portal.md).
# "" is the public home page for visitors (signed-in users get their work home page there).
PUBLIC_SITE = {
    "",
    "bang-vang/",
    "tin-tuc/",
    "guong-dien-hinh/",
    "bai-viet/<int:pk>/",
    "bai-viet/<int:pk>/<slug:slug>/",
    "anh/<int:pk>/",
    "thong-tin-phong-trao/",
    "thong-tin-phong-trao/<int:pk>/",
    "thong-tin-phong-trao/van-ban/<int:pk>/",
    "tim-kiem/",
    "nguon-tin.xml",
    "sitemap.xml",
    "robots.txt",
}
# The first-run page exists only while the database holds no organisation (afterwards it answers
# 404; `thidua/setup/tests`).
PUBLIC = {"tai-khoan/dang-nhap/", "thiet-lap/", "thiet-lap/mau/<slug:slug>.<str:fmt>", *PUBLIC_SITE}
# Django's admin has its own login and staff check.
SKIP_PREFIXES = ("quan-tri/",)


def _walk(patterns: list[URLPattern | URLResolver], prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def concrete(route: str) -> str:
    """A URL matching the route: path converters and regex groups filled with sample values."""
    url = re.sub(r"\(\?P<format>[^)]*\)", "json", route)
    url = re.sub(r"\(\?P<\w+>[^)]*\)", "1", url)
    url = re.sub(r"<(?:\w+:)?format>", ".json", url)
    # A converter of a fixed set of words (`action_slugs`) gives one of them; the others take 1.
    url = re.sub(r"<(\w+):\w+>", lambda m: getattr(get_converters().get(m[1]), "example", "1"), url)
    url = re.sub(r"<(?:\w+:)?\w+>", "1", url)
    url = url.replace("^", "").replace("$", "").replace("\\.", ".").replace("/?", "/")
    return "/" + url


ROUTES = sorted(
    {
        concrete(route)
        for route in _walk(get_resolver().url_patterns)
        if not route.startswith(SKIP_PREFIXES) and route not in PUBLIC
    }
)


ALL_ROUTES = {route for route in _walk(get_resolver().url_patterns)}


def test_the_walk_finds_the_known_urls() -> None:
    assert {"/to-chuc/nhan-su/1/", "/api/v1/people/1/", "/api/v1/units.json/", "/bao-cao/"} <= set(ROUTES)
    assert "/khen-thuong/ho-so/1/trinh/" in ROUTES  # a converter's own word, not 1
    assert "/" not in ROUTES and "/bang-vang/" not in ROUTES


def test_every_public_route_is_declared() -> None:
    """A public route that disappears (renamed) must leave this list too: no stale exceptions."""
    assert sorted(PUBLIC - ALL_ROUTES) == []


@pytest.mark.parametrize("url", sorted(concrete(route) for route in PUBLIC_SITE))
def test_a_visitor_reaches_the_public_site_without_login(org, url: str) -> None:
    response = Client().get(url)
    # sample ids (1) may not exist: 404 is fine, a detour to the login page is not
    assert response.status_code in (200, 301, 404), url
    assert "/tai-khoan/dang-nhap/" not in response.get("Location", ""), url


@pytest.fixture
def not_empty(db) -> None:
    """An installed database (an empty one leads to the first-run page instead of the login)."""
    from thidua.org.models import Unit

    Unit.objects.create(code="X", name="Cơ quan", path="/1/")


@pytest.mark.parametrize("url", ROUTES)
def test_anonymous_gets_nothing(not_empty, url: str) -> None:
    response = Client().get(url)
    if url.startswith("/api/"):
        assert response.status_code == 401, url
    elif response.status_code == 405:
        pass  # POST-only action (logout): nothing to read
    else:
        assert response.status_code == 302, url
        assert response["Location"].startswith("/tai-khoan/dang-nhap/?next="), url
