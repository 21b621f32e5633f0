"""The public pages (no login): home, honour board, articles, movements, search, pictures and
movement documents. Anonymous visits are served from the public cache (`cache.public_page`); the
data come only through `queries.py`, which knows what visitors may see."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from thidua.lib.numbers import parse_number
from thidua.lib.text import fold
from thidua.movements.models import Milestone, Movement, Ranking, period_order
from thidua.org.models import Unit
from thidua.org.organisation import is_set_up
from thidua.org.permissions import can_change_unit
from thidua.portal import queries
from thidua.portal.cache import public_page, remembered
from thidua.portal.models import Article, ArticleImage, HonourEntry
from thidua.reports.levels import levels
from thidua.rules.names import award_name

PAGE_SIZE = 50
ARTICLES_PER_PAGE = 12


def _int(value: str | None) -> int | None:
    number = parse_number(value) if value else None
    return int(number) if number is not None and number == int(number) and 0 < number < 10**9 else None


def front(request: HttpRequest) -> HttpResponse:
    """`/`: the work home page for signed-in users (unless they ask for the public one with
    `?xem=cong-khai`), the public home page for everyone else."""
    if request.user.is_authenticated and request.GET.get("xem") != "cong-khai":
        from thidua.web.views import home

        return home(request)
    return public_home(request)


def _varied(entries: Iterable[HonourEntry], *, per_award: int, limit: int) -> list[HonourEntry]:
    """The first entries in order, at most `per_award` of each title or form (a varied showcase)."""
    taken: Counter[str] = Counter()
    out = []
    for entry in entries:
        if taken[entry.award_id] < per_award:
            taken[entry.award_id] += 1
            out.append(entry)
            if len(out) == limit:
                break
    return out


@public_page
def public_home(request: HttpRequest) -> HttpResponse:
    if not is_set_up():  # an empty database: the first-run page (a redirect is never cached)
        return redirect("setup:first_run")
    entries = queries.honour_entries()
    latest_year = entries.order_by("-year").values_list("year", flat=True).first()
    highlights: list[HonourEntry] = []
    level_counts: list[tuple[str, str, int]] = []
    if latest_year is not None:
        of_year = entries.filter(year=latest_year)
        highlights = _varied(
            of_year.order_by("level_rank", "award_id", "sort_key")[:300], per_award=2, limit=8
        )
        counts = dict(of_year.values_list("level").annotate(n=Count("id")).values_list("level", "n"))
        level_counts = [(lv.id, lv.label, counts[lv.id]) for lv in levels() if counts.get(lv.id)]
    articles = queries.published_articles()
    context = {
        "news": list(articles.filter(kind=Article.Kind.NEWS)[:4]),
        "stories": list(articles.filter(kind=Article.Kind.STORY)[:3]),
        "latest_year": latest_year,
        "highlights": highlights,
        "level_counts": level_counts,
        "movements": list(
            queries.public_movements()
            .exclude(status=Movement.Status.CLOSED)
            .select_related("launching_unit")
            .order_by("-start_year", "title")[:6]
        ),
    }
    return render(request, "portal/home.html", context)


class CountedPaginator(Paginator[HonourEntry]):
    """A paginator told its count (computed with the page's other totals in one query)."""

    def __init__(self, object_list: QuerySet[HonourEntry], per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known = count

    @property
    def count(self) -> int:  # type: ignore[override]
        return self._known


def _year_options(year: int | None) -> tuple[list[tuple[str, str]], list[tuple[int, str]]]:
    """The titles and forms, and the provinces, of a year of the board (remembered)."""

    def compute() -> tuple[list[tuple[str, str]], list[tuple[int, str]]]:
        scoped = queries.honour_entries().order_by()  # no default ordering in the DISTINCT
        if year:
            scoped = scoped.filter(year=year)
        award_ids = sorted(set(scoped.values_list("award_id", flat=True).distinct()), key=award_name)
        ids = set(scoped.exclude(province__isnull=True).values_list("province_id", flat=True).distinct())
        names = Unit.objects.filter(pk__in=ids).values_list("pk", "place_name", "name")
        provinces = sorted(((pk, place or name) for pk, place, name in names), key=lambda p: fold(p[1]))
        return [(a, award_name(a)) for a in award_ids], provinces

    return remembered(f"honour-options:{year or 0}", compute)  # type: ignore[no-any-return]


@public_page
def honour_board(request: HttpRequest) -> HttpResponse:
    """The honour board by year, level, title or form, subject and province, with a search."""
    entries = queries.honour_entries()
    years: list[int] = remembered(
        "honour-years", lambda: list(entries.order_by("-year").values_list("year", flat=True).distinct())
    )
    year = _int(request.GET.get("nam"))
    if year is None and years and not request.GET.get("q"):
        year = years[0]
    level = request.GET.get("cap", "")
    award = request.GET.get("danh_hieu", "")
    subject = request.GET.get("doi_tuong", "")
    province = _int(request.GET.get("tinh"))
    text = request.GET.get("q", "")[:100]
    selected = entries
    if year:
        selected = selected.filter(year=year)
    if level in {lv.id for lv in levels()}:
        selected = selected.filter(level=level)
    if award:
        selected = selected.filter(award_id=award[:80])
    if subject in ("ca-nhan", "tap-the"):
        selected = selected.filter(subject="person" if subject == "ca-nhan" else "unit")
    if province:
        selected = selected.filter(province_id=province)
    if text.strip():
        selected = selected.filter(pk__in=queries.search_honour(text).values("pk"))
    # every total of the page in one grouping query
    groups = list(selected.values_list("level", "subject").annotate(n=Count("id")).order_by())
    by_level: Counter[str] = Counter()
    subjects: Counter[str] = Counter()
    for level_id, subject_kind, n in groups:
        by_level[level_id] += n
        subjects[subject_kind] += n
    page = CountedPaginator(
        selected.order_by("-year", "level_rank", "award_id", "sort_key", "id"),
        PAGE_SIZE,
        sum(by_level.values()),
    ).get_page(request.GET.get("trang"))
    award_options, provinces = _year_options(year)
    query = request.GET.copy()
    query.pop("trang", None)
    context = {
        "page": page,
        "years": years,
        "year": year,
        "level": level,
        "award": award,
        "subject": subject,
        "province": province,
        "text": text,
        "levels": [lv for lv in levels() if lv.id != "khac"],
        "award_options": award_options,
        "provinces": provinces,
        "level_counts": [(lv.label, by_level[lv.id]) for lv in levels() if by_level.get(lv.id)],
        "people_count": subjects.get("person", 0),
        "collective_count": subjects.get("unit", 0),
        "query": query.urlencode(),
    }
    return render(request, "portal/honour_board.html", context)


@public_page
def article_list(request: HttpRequest, kind: str) -> HttpResponse:
    page = Paginator(queries.published_articles().filter(kind=kind), ARTICLES_PER_PAGE).get_page(
        request.GET.get("trang")
    )
    return render(
        request,
        "portal/article_list.html",
        {"page": page, "kind": kind, "kind_label": Article.Kind(kind).label},
    )


def news_list(request: HttpRequest) -> HttpResponse:
    return article_list(request, Article.Kind.NEWS)


def story_list(request: HttpRequest) -> HttpResponse:
    return article_list(request, Article.Kind.STORY)


@public_page
def article_detail(request: HttpRequest, pk: int, slug: str = "") -> HttpResponse:
    article = get_object_or_404(queries.published_articles().select_related("movement"), pk=pk)
    if slug != article.slug:
        return redirect("portal:article", pk=article.pk, slug=article.slug, permanent=True)
    return render(request, "portal/article_detail.html", _article_context(article))


def _article_context(article: Article, *, preview: bool = False) -> dict[str, Any]:
    movement = article.movement
    related = queries.published_articles().filter(kind=article.kind).exclude(pk=article.pk)[:3]
    return {
        "article": article,
        "preview": preview,
        "movement": movement
        if movement is not None and queries.public_movements().filter(pk=movement.pk).exists()
        else None,
        "related": list(related),
    }


@public_page
def image(request: HttpRequest, pk: int) -> HttpResponse:
    """A picture of a published article (an officer may see those of articles they manage)."""
    picture = get_object_or_404(ArticleImage.objects.select_related("article__unit"), pk=pk)
    visible = picture.article.status == Article.Status.PUBLISHED
    if not visible and not (
        request.user.is_authenticated and can_change_unit(request.user, picture.article.unit)
    ):
        raise Http404("Không tìm thấy ảnh")
    with picture.file.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type=picture.content_type)
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


@public_page
def movement_list(request: HttpRequest) -> HttpResponse:
    movements = queries.public_movements().select_related("launching_unit").order_by("-start_year", "title")
    return render(request, "portal/movement_list.html", {"movements": movements})


@public_page
def movement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    movement = get_object_or_404(queries.public_movements().select_related("launching_unit", "parent"), pk=pk)
    context_rankings = _ranking_tables(movement)
    context = {
        "movement": movement,
        "parent": movement.parent if movement.parent and movement.parent.is_public else None,
        "documents": queries.public_documents(movement),
        "milestones": movement.milestones.all(),
        "rankings": context_rankings,
        "children": queries.public_movements().filter(parent=movement).select_related("launching_unit"),
        "articles": queries.published_articles().filter(movement=movement)[:6],
        "milestone_kinds": Milestone.Kind,
    }
    return render(request, "portal/movement_detail.html", context)


@dataclass
class RankingTable:
    """A cluster's published rankings of a movement: each unit's rank per period, latest total."""

    cluster: str
    periods: list[str]
    rows: list[tuple[str, list[int | None], Decimal | None]]


def _ranking_tables(movement: Movement) -> list[RankingTable]:
    by_cluster: dict[int, list[Ranking]] = defaultdict(list)
    for ranking in queries.published_rankings(movement).prefetch_related("entries__unit"):
        by_cluster[ranking.cluster_id].append(ranking)
    tables = []
    for rankings in by_cluster.values():
        rankings.sort(key=lambda r: (r.year, period_order(r.period)))
        units: dict[int, str] = {}
        size = len(rankings)
        ranks: dict[int, list[int | None]] = defaultdict(lambda: [None] * size)  # noqa: B023 (used at once)
        totals: dict[int, Decimal | None] = {}
        for i, ranking in enumerate(rankings):
            for entry in ranking.entries.all():
                units[entry.unit_id] = entry.unit.name
                ranks[entry.unit_id][i] = entry.rank
                if i == len(rankings) - 1:
                    totals[entry.unit_id] = entry.total
        order = sorted(units, key=lambda u: (ranks[u][-1] or 999, units[u]))
        tables.append(
            RankingTable(
                rankings[0].cluster.name,
                [r.period_label for r in rankings],
                [(units[u], ranks[u], totals.get(u)) for u in order],
            )
        )
    tables.sort(key=lambda t: (len(t.cluster), t.cluster))  # «Cụm thi đua số 2» before «số 10»
    return tables


@require_GET
def movement_document(request: HttpRequest, pk: int) -> HttpResponse:
    """The file of a document its movement's managers made public."""
    from thidua.core.http import download
    from thidua.movements.models import MovementDocument

    document = get_object_or_404(
        MovementDocument.objects.filter(is_public=True, movement__in=queries.public_movements()), pk=pk
    )
    if not document.file:
        raise Http404("Văn bản không có tệp đính kèm")
    with document.file.open("rb") as handle:
        content = handle.read()
    name = document.file.name.rsplit("/", 1)[-1]
    response = download(content, name)
    response["Cache-Control"] = "public, max-age=3600"
    return response


@public_page
def search(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "")[:100]
    found = bool(queries.words(text))
    context = {
        "text": text,
        "searched": found,
        "articles": list(queries.search_articles(text)[:20]) if found else [],
        "movements": queries.search_movements(text)[:20] if found else [],
        "honour": list(queries.search_honour(text).order_by("-year", "level_rank", "name")[:20])
        if found
        else [],
        "honour_total": queries.search_honour(text).count() if found else 0,
    }
    return render(request, "portal/search.html", context)


@public_page
def robots(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /tai-khoan/",
        "Disallow: /quan-tri/",
        "Disallow: /api/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
