"""Ranks of the years scored outside the system: the organiser's clusters of a year, and the form that
records (or corrects) one cluster's ranks through `services.record_ranking`."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from thidua.core.errors import DomainError
from thidua.movements import services
from thidua.movements.forms import PastRanksForm
from thidua.movements.models import Movement, Period, Ranking
from thidua.movements.permissions import can_review_cluster, reviewed_clusters
from thidua.org.models import Unit
from thidua.org.permissions import get_cluster_for_user
from thidua.org.view_helpers import actor_of


def _year(raw: str, default: int) -> int:
    text = raw.strip()
    return int(text) if text.isdigit() and 2000 <= int(text) <= date.today().year else default


def _yearly_rankings(clusters: Any, year: int) -> dict[int, Ranking]:
    """Each cluster's published yearly ranking of a regular movement (its rank of the year), with the
    number of entries that carry a score (none: recorded by hand)."""
    rankings = (
        Ranking.objects.filter(
            cluster__in=clusters,
            year=year,
            period=Period.YEAR,
            status=Ranking.Status.PUBLISHED,
            movement__kind=Movement.Kind.REGULAR,
        )
        .select_related("movement")
        .annotate(scored=Count("entries", filter=Q(entries__total__isnull=False)))
    )
    return {r.cluster_id: r for r in rankings}


@login_required
def past_rankings(request: HttpRequest) -> HttpResponse:
    """The clusters an officer reviews, of one organiser unit and one past year, each with its rank
    record: recorded by hand (editable), published from scores in the system, or none yet."""
    reviewed = reviewed_clusters(request.user)
    organisers = list(Unit.objects.filter(pk__in=reviewed.values("organiser_unit")).order_by("path"))
    chosen = request.GET.get("don_vi", "")
    unit = next((u for u in organisers if str(u.pk) == chosen), organisers[0] if organisers else None)
    year = _year(request.GET.get("nam", ""), date.today().year - 1)
    clusters = (
        list(
            reviewed.filter(organiser_unit=unit, year=year)
            .annotate(members_count=Count("memberships", distinct=True))
            .order_by("name")
        )
        if unit is not None
        else []
    )
    rankings = _yearly_rankings([c.pk for c in clusters], year)
    rows = [{"cluster": c, "ranking": rankings.get(c.pk)} for c in clusters]
    context = {
        "organisers": organisers,
        "unit": unit,
        "year": year,
        "this_year": date.today().year,
        "rows": rows,
    }
    return render(request, "movements/past_rankings.html", context)


@login_required
def past_ranking_record(request: HttpRequest, cluster_pk: int) -> HttpResponse:
    """Record one cluster's ranks of a year scored outside the system, or correct a recorded one."""
    cluster = get_cluster_for_user(request.user, cluster_pk)
    if not can_review_cluster(request.user, cluster):
        raise PermissionDenied("Bạn không có quyền ghi nhận xếp hạng của cụm này")
    year = cluster.year
    back = f"{reverse('movements:past_rankings')}?don_vi={cluster.organiser_unit_id}&nam={year}"
    if year > date.today().year:
        messages.error(request, f"Năm {year} chưa đến: chỉ ghi nhận xếp hạng của năm đã qua")
        return redirect(back)
    members = list(Unit.objects.filter(cluster_memberships__cluster=cluster).order_by("path"))
    existing = _yearly_rankings([cluster.pk], year).get(cluster.pk)
    if existing is not None and getattr(existing, "scored", False):
        messages.info(request, "Cụm đã có bảng xếp hạng năm tính từ điểm trong hệ thống: không nhập tay.")
        return redirect("movements:ranking_detail", existing.pk)
    movements = (
        Movement.objects.filter(kind=Movement.Kind.REGULAR, launching_unit=cluster.organiser_unit)
        .running_in(year)
        .order_by("title")
    )
    initial: dict[str, Any] = {}
    if existing is not None:
        initial = {f"rank_{e.unit_id}": e.rank for e in existing.entries.all()}
        initial.update({"movement": existing.movement_id, "replace": existing.updated_at.isoformat()})
    form = PastRanksForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        cluster=cluster,
        members=members,
        movements=movements,
    )
    if existing is not None:
        form.fields["movement"].disabled = True
    if request.method == "POST" and form.is_valid():
        replace = _read_time(form.cleaned_data["replace"]) if existing is not None else None
        try:
            services.record_ranking(
                actor=actor_of(request),
                cluster=cluster,
                year=year,
                ranks=form.ranks(),
                movement=existing.movement if existing is not None else form.cleaned_data["movement"],
                replace=replace,
            )
        except DomainError as exc:
            form.add_error("movement" if exc.field == "movement" else None, exc.message)
        else:
            done = "Đã sửa" if existing is not None else "Đã ghi nhận"
            messages.success(request, f"{done} thứ hạng năm {year} của {cluster.name}")
            return redirect(back)
    context = {
        "cluster": cluster,
        "year": year,
        "form": form,
        "existing": existing,
        "back": back,
        "new_movement_title": services.recorded_movement_title(cluster.organiser_unit, year),
    }
    return render(request, "movements/past_ranking_form.html", context, status=400 if form.errors else 200)


STALE = datetime(1970, 1, 1, tzinfo=UTC)  # a form that does not say when it read the ranking is stale


def _read_time(raw: str) -> datetime:
    try:
        return datetime.fromisoformat(raw) if raw else STALE
    except ValueError:
        return STALE
