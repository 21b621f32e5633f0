"""The memoised `{% url %}` gives exactly what Django's `reverse()` gives, for every URL of the project."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import Context, Template, TemplateSyntaxError, engines
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter
from django.urls.resolvers import RoutePattern

from thidua.core.templatetags import fast_url
from thidua.core.templatetags.fast_url import MemoisedURLNode, fast_reverse


def _names(resolver: URLResolver, namespace: str = "") -> list[tuple[str, int]]:
    """(namespaced name, number of int arguments) of every named pattern whose arguments are all ints."""
    found: list[tuple[str, int]] = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if not entry.pattern.converters:
                found.extend(_names(entry, inner))
        elif isinstance(entry, URLPattern) and entry.name and isinstance(entry.pattern, RoutePattern):
            converters = entry.pattern.converters
            if all(isinstance(c, IntConverter) for c in converters.values()):
                found.append((f"{namespace}{entry.name}", len(converters)))
    return found


NAMES = _names(get_resolver())


def test_the_project_has_urls_to_check() -> None:
    assert ("org:person_detail", 1) in NAMES
    assert ("web:home", 0) in NAMES
    assert len(NAMES) > 100


@pytest.mark.parametrize(("name", "count"), NAMES)
def test_same_url_as_reverse(name: str, count: int) -> None:
    for args in ([1] * count, [0] * count, [123456789012] * count, list(range(7, 7 + count))):
        expected = reverse(name, args=args)
        assert fast_reverse(name, args, None) == expected
        # and again, from the memo
        assert fast_reverse(name, args, None) == expected


def test_other_arguments_go_to_django() -> None:
    assert fast_reverse("org:person_detail", ["12"], None) is None  # text: Django quotes and checks it
    assert fast_reverse("org:person_detail", [-1], None) is None  # no pattern takes a negative number
    assert fast_reverse("org:person_detail", [True], None) is None  # bool is not int here
    assert fast_reverse("org:person_detail", [10**15], None) is None  # Django checks the pattern's limits
    assert fast_reverse("no-such-name", [], None) is None


def test_a_name_that_does_not_reverse_is_remembered_as_such(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fast_url, "_PATTERNS", {})
    assert fast_reverse("org:person_detail", [1, 2], None) is None  # wrong number of arguments
    assert list(fast_url._PATTERNS.values()) == [None]


def _render(source: str, **context: Any) -> str:
    return Template(source).render(Context(context))


def test_the_tag_is_a_builtin_of_every_template() -> None:
    template = engines["django"].from_string("{% url 'org:person_detail' 5 %}")
    nodes = template.template.nodelist  # type: ignore[attr-defined]
    assert isinstance(nodes[0], MemoisedURLNode)


def test_tag_renders_like_djangos() -> None:
    assert _render("{% url 'org:person_detail' p %}", p=42) == reverse("org:person_detail", args=[42])
    assert _render("{% url 'org:person_detail' pk=p %}", p=42) == reverse("org:person_detail", args=[42])
    assert _render("{% url 'org:person_detail' p as link %}[{{ link }}]", p=7) == (
        f"[{reverse('org:person_detail', args=[7])}]"
    )
    assert _render("{% url name %}", name="web:home") == reverse("web:home")
    assert _render("{% url 'org:person_detail' p %}", p="9") == reverse("org:person_detail", args=["9"])


def test_unknown_names_still_fail_as_in_django() -> None:
    with pytest.raises(NoReverseMatch):
        _render("{% url 'no-such-name' %}")
    with pytest.raises(NoReverseMatch):
        _render("{% url 'org:person_detail' p %}", p=-3)
    assert _render("{% url 'no-such-name' as link %}[{{ link }}]") == "[]"
    with pytest.raises(TemplateSyntaxError):
        Template("{% url %}")


def test_escaped_in_autoescape() -> None:
    template = "{% url 'org:person_list' %}?q=a&b"
    assert _render(template).startswith(reverse("org:person_list"))
