"""Cluster rankings: computed by the scoring module from the results, published into ClusterMember.rank."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from thidua.audit.services import log
from thidua.core.errors import DomainError
from thidua.movements import scoring
from thidua.movements.models import (
    Movement,
    Period,
    Ranking,
    RankingEntry,
    Result,
    participating_units,
    period_label,
)
from thidua.movements.services.common import (
    scoring_domain_error,
)
from thidua.movements.services.tables import (
    load_table_record,
    table_for,
)
from thidua.org.models import Cluster, ClusterMember, Unit


# -- rankings -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RankingInput:
    members: list[Unit]
    results: dict[int, Result]


def _ranking_input(movement: Movement, cluster: Cluster, year: int, period: str) -> RankingInput:
    members = list(
        participating_units(movement).filter(cluster_memberships__cluster=cluster).order_by("path").distinct()
    )
    results = {
        r.unit_id: r
        for r in Result.objects.filter(movement=movement, year=year, period=period, unit__in=members).exclude(
            status=Result.Status.DRAFT
        )
    }
    return RankingInput(members, results)


@transaction.atomic
def compute_ranking(
    *, actor: Any, movement: Movement, cluster: Cluster, year: int, period: str = "nam"
) -> Ranking:
    """Score every member of the cluster with the current figures and rank them (a draft ranking).

    Units without submitted figures are left out and listed in the ranking's notes.
    """
    if cluster.year != year:
        raise DomainError(
            f"{cluster.name} là cụm của năm {cluster.year}, không phải năm {year}", field="cluster"
        )
    record = table_for(movement, year, cluster)
    if record is None:
        raise DomainError(f"Phong trào chưa có bảng chấm điểm năm {year}")
    ranking, _ = Ranking.objects.select_for_update().get_or_create(
        movement=movement, cluster=cluster, year=year, period=period
    )
    if ranking.status == Ranking.Status.PUBLISHED:
        raise DomainError("Bảng xếp hạng đã công bố, không tính lại được")
    data = _ranking_input(movement, cluster, year, period)
    if not data.results:
        raise DomainError(f"Chưa có đơn vị nào của {cluster.name} nộp kết quả {period_label(period, year)}")
    table = load_table_record(record)
    # The scoring module names units in its messages and notes: the unit's name, with its code when
    # two members share a name.
    names = [u.name for u in data.members]
    label = {u.pk: u.name if names.count(u.name) == 1 else f"{u.name} ({u.code})" for u in data.members}
    by_name = {label[u.pk]: u for u in data.members}
    figures = {
        label[u.pk]: data.results[u.pk].scoring_figures() for u in data.members if u.pk in data.results
    }
    try:
        scores = scoring.score_cluster(table, figures)
    except scoring.FiguresError as exc:
        raise scoring_domain_error(exc) from exc
    tie_break, manual = scoring.tie_break_from_table(table)
    ranked = scoring.rank(scores, tie_break=tie_break or scoring.DEFAULT_TIE_BREAK)
    ranking.entries.all().delete()
    RankingEntry.objects.bulk_create(
        RankingEntry(
            ranking=ranking,
            unit=by_name[r.unit],
            rank=r.rank,
            total=r.score.total,
            base=r.score.base,
            bonus=r.score.bonus,
            penalty=r.score.penalty,
            note=r.note[:500],
        )
        for r in ranked
    )
    notes = [f"Chưa nộp kết quả: {u.name}" for u in data.members if u.pk not in data.results]
    notes += [
        f"Chưa có điểm chính thức: {data.results[u.pk].unit.name}"
        for u in data.members
        if u.pk in data.results and data.results[u.pk].status != Result.Status.FINAL
    ]
    if manual and any(r.shares_rank_with for r in ranked):
        notes.append("Còn đơn vị đồng hạng; tiêu chí phụ do hội đồng quyết định: " + "; ".join(manual))
    ranking.notes = notes
    ranking.save(update_fields=["notes", "updated_at"])
    log(
        "ranking.computed",
        actor=actor,
        obj=ranking,
        unit_path=cluster.organiser_unit.path,
        detail={"ranks": [[r.unit, r.rank, str(r.score.total)] for r in ranked], "notes": notes},
    )
    return ranking


@transaction.atomic
def publish_ranking(*, actor: Any, ranking: Ranking) -> Ranking:
    """draft → published. Needs every member's final score. The yearly ranking of a regular movement
    writes `ClusterMember.rank` for the cluster's year (what the rules engine reads for Cờ thi đua)."""
    locked = Ranking.objects.select_for_update().get(pk=ranking.pk)
    if locked.status != Ranking.Status.DRAFT:
        raise DomainError("Bảng xếp hạng đã được công bố")
    data = _ranking_input(ranking.movement, ranking.cluster, ranking.year, ranking.period)
    missing = [
        u.name
        for u in data.members
        if u.pk not in data.results or data.results[u.pk].status != Result.Status.FINAL
    ]
    if missing:
        raise DomainError("Chưa có điểm chính thức của: " + ", ".join(missing))
    entries = list(ranking.entries.select_related("unit"))
    # Stale when a result changed after the ranking was computed (totals cannot be compared: a
    # relative-to-best criterion scores a unit against its cluster, its own final score alone).
    stale = [r for r in data.results.values() if r.updated_at > locked.updated_at]
    if stale or len(entries) != len(data.members):
        raise DomainError("Điểm đã thay đổi sau lần tính xếp hạng gần nhất: hãy tính lại trước khi công bố")
    writes_ranks = (
        ranking.movement.kind == Movement.Kind.REGULAR
        and ranking.period == Period.YEAR
        and ranking.cluster.year == ranking.year
    )
    if writes_ranks:
        # ClusterMember.rank holds one ranking per cluster and year: the first regular movement's.
        other = (
            Ranking.objects.filter(
                cluster=ranking.cluster,
                year=ranking.year,
                period=Period.YEAR,
                status=Ranking.Status.PUBLISHED,
                movement__kind=Movement.Kind.REGULAR,
            )
            .exclude(movement=ranking.movement)
            .select_related("movement")
            .first()
        )
        if other is not None:
            raise DomainError(
                f"{ranking.cluster.name} đã có xếp hạng năm {ranking.year} công bố theo phong trào "
                f"«{other.movement.title}»"
            )
    ranking.status = Ranking.Status.PUBLISHED
    ranking.published_on = timezone.now()
    ranking.save(update_fields=["status", "published_on", "updated_at"])
    if writes_ranks:
        for entry in entries:
            ClusterMember.objects.filter(cluster=ranking.cluster, unit=entry.unit).update(rank=entry.rank)
    log(
        "ranking.published",
        actor=actor,
        obj=ranking,
        unit_path=ranking.cluster.organiser_unit.path,
        detail={
            "ranks": [[e.unit.code, e.rank, str(e.total)] for e in entries],
            "cluster_member_rank_written": writes_ranks,
        },
    )
    return ranking
