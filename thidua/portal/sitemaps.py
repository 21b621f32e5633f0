"""`/sitemap.xml`: the public pages search engines may list (nothing behind a login)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from thidua.movements.models import Movement
from thidua.portal import queries
from thidua.portal.models import Article


class PagesSitemap(Sitemap[str]):
    changefreq = "daily"
    priority = 0.8

    def items(self) -> list[str]:
        return ["portal:home", "portal:honour", "portal:news", "portal:stories", "portal:movements"]

    def location(self, item: str) -> str:
        return reverse(item)


class HonourYearsSitemap(Sitemap[int]):
    changefreq = "monthly"
    priority = 0.6

    def items(self) -> list[int]:
        return list(queries.honour_entries().order_by("-year").values_list("year", flat=True).distinct())

    def location(self, item: int) -> str:
        return f"{reverse('portal:honour')}?nam={item}"


class ArticleSitemap(Sitemap[Article]):
    changefreq = "weekly"
    priority = 0.7

    def items(self) -> QuerySet[Article]:
        return queries.published_articles().order_by("-published_at", "-id")

    def location(self, item: Article) -> str:
        return reverse("portal:article", kwargs={"pk": item.pk, "slug": item.slug})

    def lastmod(self, item: Article) -> datetime:
        return item.updated_at


class MovementSitemap(Sitemap[Movement]):
    changefreq = "weekly"
    priority = 0.6

    def items(self) -> QuerySet[Movement]:
        return queries.public_movements().order_by("pk")

    def location(self, item: Movement) -> str:
        return reverse("portal:movement", kwargs={"pk": item.pk})

    def lastmod(self, item: Movement) -> datetime:
        return item.updated_at


SITEMAPS: dict[str, Any] = {
    "pages": PagesSitemap,
    "bang-vang": HonourYearsSitemap,
    "bai-viet": ArticleSitemap,
    "phong-trao": MovementSitemap,
}
