"""The public site's feed (Atom 1.0): the latest published articles, news and exemplary stories.

Advertised on every public page with `<link rel="alternate" type="application/atom+xml">`."""

from __future__ import annotations

from datetime import datetime

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from thidua.org.organisation import current_organisation
from thidua.portal import queries
from thidua.portal.models import Article
from thidua.portal.sanitize import plain_text

ITEMS = 30


class ArticleFeed(Feed[Article, None]):
    feed_type = Atom1Feed
    language = "vi"

    def title(self) -> str:
        organisation = current_organisation()
        name = organisation.root.name if organisation is not None else "ThiĐua"
        return f"{name} — Tin phong trào thi đua, gương điển hình"

    def subtitle(self) -> str:
        return "Tin phong trào thi đua và gương điển hình tiên tiến"

    def link(self) -> str:
        return reverse("portal:home")

    def items(self) -> QuerySet[Article]:
        return queries.published_articles().order_by("-published_at", "-id")[:ITEMS]

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.summary or plain_text(item.body)[:300]

    def item_link(self, item: Article) -> str:
        return reverse("portal:article", kwargs={"pk": item.pk, "slug": item.slug})

    def item_pubdate(self, item: Article) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Article) -> datetime | None:
        return item.updated_at

    def item_author_name(self, item: Article) -> str:
        return item.author_name

    def item_categories(self, item: Article) -> list[str]:
        return [str(Article.Kind(item.kind).label)]
