"""Ranking pages: leaderboard with SVG charts, compute, detail with trend, publish, .xlsx."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from thidua.core.listing import Column, Sorter
from thidua.lib.text import fold
from thidua.movements import charts, exports, services
from thidua.movements.filters import RankingFilter
from thidua.movements.models import (
    Period,
    Ranking,
    Result,
    participating_units,
    period_label,
    period_order,
)
from thidua.movements.permissions import (
    can_review_cluster,
    get_movement_for_user,
    get_ranking_for_user,
    reviewed_clusters,
    visible_rankings,
)
from thidua.movements.views.common import (
    check_period,
    domain_call,
    xlsx_response,
)
from thidua.org.models import Cluster
from thidua.org.permissions import get_cluster_for_user
from thidua.org.view_helpers import actor_of

# -- rankings -------------------------------------------------------------------------------------
LEADERBOARD_COLUMNS = [
    Column("rank", "Hạng", row_key=lambda e: (e.rank, fold(e.unit.name)), css="num"),
    Column("unit", "Đơn vị", row_key=lambda e: fold(e.unit.name)),
    Column("total", "Tổng điểm", row_key=lambda e: e.total, css="num"),
    Column("bonus", "Điểm thưởng", row_key=lambda e: e.bonus, css="num"),
    Column("penalty", "Điểm trừ", row_key=lambda e: e.penalty, css="num"),
]


@login_required
def leaderboard(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """Rankings of every cluster of the year with a bar chart each: by period, status and a unit (with its
    subtree, its rows marked), the entries sorted by a column (the same FilterSet as the API list)."""
    movement = get_movement_for_user(request.user, pk)
    data = request.GET.copy()
    data.setdefault("period", data.get("ky") or Period.YEAR)  # `ky`: the links of older pages
    base = (
        visible_rankings(request.user)
        .filter(movement=movement, year=year)
        .select_related("cluster")
        .prefetch_related("entries__unit")
        .order_by("cluster__name")
    )
    ranking_filter = RankingFilter(data, queryset=base, request=request)
    chosen_period = ranking_filter.form["period"].value()
    if chosen_period:
        check_period(chosen_period)
    sorter = Sorter(request, LEADERBOARD_COLUMNS, default="rank")
    chosen = ranking_filter.form.cleaned_data.get("unit") if ranking_filter.is_valid() else None
    boards = []
    for r in ranking_filter.qs:
        entries = list(r.entries.all())
        boards.append(
            {
                "ranking": r,
                "entries": [
                    (e, chosen is not None and e.unit.path.startswith(chosen.path))
                    for e in sorter.sort(entries)
                ],
                "chart": mark_safe(
                    charts.bar_chart([(e.unit.name, e.total) for e in entries if e.total is not None])
                ),
            }
        )
    reviewable = (
        reviewed_clusters(request.user, year)
        .filter(memberships__unit__in=participating_units(movement))
        .distinct()
    )
    context = {
        "movement": movement,
        "year": year,
        "years": movement.years(),
        "period": chosen_period,
        "period_label": period_label(chosen_period, year) if chosen_period else f"các kỳ năm {year}",
        "boards": boards,
        "filter": ranking_filter,
        "sorter": sorter,
        "reviewable": reviewable,
    }
    return render(request, "movements/leaderboard.html", context)


@login_required
@require_POST
def ranking_compute(request: HttpRequest, pk: int, year: int, cluster_pk: int) -> HttpResponse:
    movement = get_movement_for_user(request.user, pk)
    cluster = get_object_or_404(Cluster.objects.select_related("organiser_unit", "head_unit"), pk=cluster_pk)
    if not can_review_cluster(request.user, cluster):
        raise PermissionDenied("Bạn không có quyền chấm điểm, xếp hạng cụm này")
    period = check_period(request.POST.get("period", Period.YEAR))
    holder: dict[str, Ranking] = {}

    def call() -> None:
        holder["r"] = services.compute_ranking(
            actor=actor_of(request), movement=movement, cluster=cluster, year=year, period=period
        )

    if domain_call(request, call, "Đã tính xếp hạng"):
        return redirect("movements:ranking_detail", holder["r"].pk)
    return redirect("movements:leaderboard", movement.pk, year)


def _trend(ranking: Ranking) -> str:
    """Scores of the cluster's units over the periods of the year (current score of each result)."""
    unit_ids = [e.unit_id for e in ranking.entries.all()]
    results = Result.objects.filter(
        movement=ranking.movement, year=ranking.year, unit_id__in=unit_ids
    ).exclude(status=Result.Status.DRAFT)
    periods = sorted({r.period for r in results}, key=period_order)
    if len(periods) < 2:
        return ""
    by_unit: dict[int, dict[str, Decimal | None]] = {}
    for r in results:
        by_unit.setdefault(r.unit_id, {})[r.period] = r.current_score
    names = {e.unit_id: e.unit.name for e in ranking.entries.all()}
    series = [(names[u], [by_unit.get(u, {}).get(p) for p in periods]) for u in unit_ids]
    labels = [str(Period(p).label) for p in periods]
    return charts.line_chart(labels, series)


@login_required
def ranking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ranking = get_ranking_for_user(request.user, pk)
    if request.GET.get("format") == "xlsx":
        data = exports.ranking_xlsx(ranking)
        return xlsx_response(data, f"xep-hang-{ranking.year}-{ranking.pk}.xlsx")
    entries = list(ranking.entries.select_related("unit"))
    context = {
        "ranking": ranking,
        "entries": entries,
        "bar": mark_safe(charts.bar_chart([(e.unit.name, e.total) for e in entries if e.total is not None])),
        "feed_label": services.FEED_LABELS[services.feeds_engine(ranking)],
        "trend": mark_safe(_trend(ranking)),
        "can_review": can_review_cluster(request.user, ranking.cluster),
    }
    return render(request, "movements/ranking_detail.html", context)


@login_required
@require_POST
def ranking_publish(request: HttpRequest, pk: int) -> HttpResponse:
    ranking = get_ranking_for_user(request.user, pk, write=True)
    domain_call(
        request,
        lambda: services.publish_ranking(actor=actor_of(request), ranking=ranking),
        "Đã công bố xếp hạng",
    )
    return redirect("movements:ranking_detail", ranking.pk)


@login_required
def cluster_rankings(request: HttpRequest, cluster_pk: int) -> HttpResponse:
    """A cluster's rankings that the user may see, every movement and period, and what each feeds."""
    cluster = get_cluster_for_user(request.user, cluster_pk)
    base = (
        visible_rankings(request.user)
        .filter(cluster=cluster)
        .select_related("movement")
        .prefetch_related("entries__unit")
        .order_by("movement__title", "year")
    )
    ranking_filter = RankingFilter(request.GET, queryset=base, request=request)
    rankings = list(ranking_filter.qs)
    rankings.sort(key=lambda r: (r.movement.title, r.year, period_order(r.period)))
    rows = [
        {"ranking": r, "entries": list(r.entries.all()), "feeds": services.feeds_engine(r)} for r in rankings
    ]
    context = {
        "cluster": cluster,
        "filter": ranking_filter,
        "rows": rows,
        "can_record": can_review_cluster(request.user, cluster) and cluster.year <= date.today().year,
    }
    return render(request, "movements/cluster_rankings.html", context)
