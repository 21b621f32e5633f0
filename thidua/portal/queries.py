"""What visitors may see, in one place: every public page reads through these, so a draft article,
a withdrawn one, a withheld person, a revoked award or a movement not made public never shows."""

from __future__ import annotations

import re

from django.db.models import Q, QuerySet

from thidua.lib.text import fold, matches_words, query_words
from thidua.movements.models import Movement, MovementDocument, Ranking
from thidua.portal.models import Article, HonourEntry

MAX_WORDS = 8


def published_articles() -> QuerySet[Article]:
    return Article.objects.published().select_related("unit", "cover")


def honour_entries() -> QuerySet[HonourEntry]:
    return HonourEntry.objects.filter(hidden=False)


def public_movements() -> QuerySet[Movement]:
    return Movement.objects.filter(is_public=True).exclude(status=Movement.Status.DRAFT)


def public_documents(movement: Movement) -> QuerySet[MovementDocument]:
    return movement.documents.filter(is_public=True)


def published_rankings(movement: Movement) -> QuerySet[Ranking]:
    return movement.rankings.filter(status=Ranking.Status.PUBLISHED).select_related("cluster")


def words(text: str) -> list[str]:
    return query_words(text)[:MAX_WORDS]


def _words_q(field: str, found: list[str]) -> Q:
    query = Q()
    for word in found:
        query &= Q(**{f"{field}__startswith": word}) | Q(**{f"{field}__contains": f" {word}"})
    return query


def search_articles(text: str) -> QuerySet[Article]:
    found = words(text)
    if not found:
        return published_articles().none()
    return published_articles().filter(_words_q("folded", found))


def search_honour(text: str) -> QuerySet[HonourEntry]:
    found = words(text)
    if not found:
        return honour_entries().none()
    return honour_entries().filter(_words_q("folded", found))


def search_movements(text: str) -> list[Movement]:
    """Public movements whose title, theme or launcher has every word (few rows: filtered here)."""
    found = words(text)
    if not found:
        return []
    out = []
    for movement in public_movements().select_related("launching_unit").order_by("-start_year", "title"):
        haystack = fold(f"{movement.title} {movement.theme} {movement.launcher_label}")
        if matches_words(re.sub(r"[^\w ]", " ", haystack), found):
            out.append(movement)
    return out
