"""`{% url %}`, memoised: the same tag and syntax as Django's, installed for every template as a
builtin (settings.TEMPLATES), that reverses each URL name once per process instead of once per use.

A list of fifty people links each name and unit: Django's tag resolves the URL pattern for every one
(about a hundred `reverse()` calls a page, the largest single cost of rendering it). Here the first
use of a name with whole-number arguments reverses it with stand-in numbers and keeps the result cut
around them; later uses put the real numbers in. Anything else (keyword arguments, text arguments, a
negative or huge number, a pattern the stand-ins do not fit) goes to Django's own code, so the result is
always what `reverse()` gives; `thidua/core/tests/test_fast_url.py` checks that for every URL name
of the project.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.base import Parser, Token
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape

register = template.Library()

# Numbers no real argument takes, each found once in the reversed URL: the cut points.
_STAND_INS = (987654301, 987654302, 987654303, 987654304)
# (script prefix, urlconf, current app, view name, number of arguments) → the URL cut around the
# arguments, or None where the stand-ins do not work (Django's reverse each time).
# Larger numbers (no id is) go to Django, which checks them against the pattern's own limits.
_LARGEST = 10**15
_PATTERNS: dict[tuple[Any, ...], tuple[str, ...] | None] = {}


def _pattern(view_name: str, count: int, current_app: str | None) -> tuple[str, ...] | None:
    key = (get_script_prefix(), get_urlconf(), current_app, view_name, count)
    try:
        return _PATTERNS[key]
    except KeyError:
        pass
    parts: tuple[str, ...] | None = None
    try:
        url = reverse(view_name, args=_STAND_INS[:count], current_app=current_app)
    except NoReverseMatch:
        url = None
    if url is not None:
        pieces: list[str] = []
        rest = url
        for stand_in in _STAND_INS[:count]:
            before, found, rest = rest.partition(str(stand_in))
            if not found or str(stand_in) in rest:
                break
            pieces.append(before)
        else:
            pieces.append(rest)
            parts = tuple(pieces)
    _PATTERNS[key] = parts
    return parts


def fast_reverse(view_name: str, args: list[Any], current_app: str | None) -> str | None:
    """The URL of `view_name` with these whole-number arguments, or None: ask Django."""
    if len(args) > len(_STAND_INS) or any(type(a) is not int or not 0 <= a < _LARGEST for a in args):
        return None
    parts = _pattern(view_name, len(args), current_app)
    if parts is None:
        return None
    if not args:
        return parts[0]
    out = [parts[0]]
    for arg, after in zip(args, parts[1:], strict=True):
        out.append(str(arg))
        out.append(after)
    return "".join(out)


class MemoisedURLNode(URLNode):
    def render(self, context: Any) -> str:
        if self.kwargs:
            return str(super().render(context))
        view_name = self.view_name.resolve(context)
        args = [arg.resolve(context) for arg in self.args]
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = fast_reverse(view_name, args, current_app) if isinstance(view_name, str) else None
        if url is None:
            return str(super().render(context))
        if self.asvar:
            context[self.asvar] = url
            return ""
        return str(conditional_escape(url)) if context.autoescape else url


@register.tag
def url(parser: Parser, token: Token) -> MemoisedURLNode:
    """Django's `{% url %}` (same parsing), rendered by `MemoisedURLNode`."""
    node = django_url(parser, token)
    return MemoisedURLNode(node.view_name, node.args, node.kwargs, node.asvar)
