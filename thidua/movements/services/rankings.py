"""Cluster rankings: computed by the scoring module from the results, then published.

A published yearly ranking is the one record the year-end reads (`thidua.movements.records`): the
cluster ranks of a regular movement, the leaders of a thematic one. Nothing is copied elsewhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
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
from thidua.org.models import Cluster, Unit


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


def _with_names(text: str, members: list[Unit]) -> str:
    """Unit codes in a scoring message replaced by the units' names (the code kept when two share one)."""
    names = [u.name for u in members]
    for unit in sorted(members, key=lambda u: len(u.code), reverse=True):
        label = unit.name if names.count(unit.name) == 1 else f"{unit.name} ({unit.code})"
        text = text.replace(unit.code, label)
    return text


@transaction.atomic
def compute_ranking(
    *, actor: Any, movement: Movement, cluster: Cluster, year: int, period: str = "nam"
) -> Ranking:
    """Score every member of the cluster with the current figures and rank them (a draft ranking).

    Units without submitted figures are left out and listed in the ranking's notes.
    """
    from thidua.movements.permissions import can_review_cluster

    if actor is not None and not can_review_cluster(actor, cluster):
        raise PermissionDenied("Bạn không có quyền chấm điểm, xếp hạng cụm này")
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
    # The scoring module is keyed by unit code (unique); its messages and notes are shown with names.
    by_code = {u.code: u for u in data.members}
    figures = {u.code: data.results[u.pk].scoring_figures() for u in data.members if u.pk in data.results}
    try:
        scores = scoring.score_cluster(table, figures)
    except scoring.FiguresError as exc:
        raise DomainError(_with_names(str(scoring_domain_error(exc).message), data.members)) from exc
    tie_break, manual = scoring.tie_break_from_table(table)
    ranked = scoring.rank(scores, tie_break=tie_break or scoring.DEFAULT_TIE_BREAK)
    ranking.entries.all().delete()
    RankingEntry.objects.bulk_create(
        RankingEntry(
            ranking=ranking,
            unit=by_code[r.unit],
            rank=r.rank,
            total=r.score.total,
            base=r.score.base,
            bonus=r.score.bonus,
            penalty=r.score.penalty,
            note=_with_names(r.note, data.members)[:500],
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


def feeds_engine(ranking: Ranking) -> str:
    """What publishing `ranking` gives the year-end: "cluster_rank", "movement_lead" or "" (nothing)."""
    from thidua.movements.records import LAUNCHED_BY

    if ranking.period != Period.YEAR or ranking.cluster.year != ranking.year:
        return ""
    if ranking.movement.kind == Movement.Kind.REGULAR:
        return "cluster_rank"
    return "movement_lead" if ranking.movement.authority in LAUNCHED_BY else ""


FEED_LABELS = {
    "cluster_rank": "Khi công bố, thứ hạng năm của cụm là căn cứ xét Cờ thi đua, danh hiệu tập thể cuối năm.",
    "movement_lead": "Khi công bố, đơn vị hạng nhất được ghi nhận dẫn đầu phong trào chuyên đề (căn cứ xét Cờ thi đua).",
    "": "Bảng xếp hạng này không chuyển sang xét khen thưởng cuối năm (chỉ bảng xếp hạng cả năm của "
    "phong trào thường xuyên, hoặc phong trào chuyên đề do Thủ tướng, bộ, ngành, tỉnh phát động).",
}


def _check_one_regular(ranking: Ranking) -> None:
    """A cluster has one yearly rank: the first regular movement to publish its yearly ranking gives it."""
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


@transaction.atomic
def publish_ranking(*, actor: Any, ranking: Ranking) -> Ranking:
    """draft → published. Needs every member's final score. A yearly ranking then feeds the year-end
    (`feeds_engine`): the cluster ranks of a regular movement, the leaders of a thematic one."""
    from thidua.movements.permissions import can_review_cluster

    if actor is not None and not can_review_cluster(actor, ranking.cluster):
        raise PermissionDenied("Bạn không có quyền công bố xếp hạng của cụm này")
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
    feeds = feeds_engine(ranking)
    if feeds == "cluster_rank":
        _check_one_regular(ranking)
    ranking.status = Ranking.Status.PUBLISHED
    ranking.published_on = timezone.now()
    ranking.save(update_fields=["status", "published_on", "updated_at"])
    log(
        "ranking.published",
        actor=actor,
        obj=ranking,
        unit_path=ranking.cluster.organiser_unit.path,
        detail={"ranks": [[e.unit.code, e.rank, str(e.total)] for e in entries], "feeds": feeds},
    )
    return ranking


@transaction.atomic
def record_ranking(
    *, actor: Any, movement: Movement, cluster: Cluster, year: int, ranks: Sequence[tuple[Unit, int]]
) -> Ranking:
    """Record the published yearly ranking of a year scored outside the system (ranks, no scores).

    For the years before the organisation used ThiĐua: the ranks feed the year-end like any published
    ranking. Refused when the cluster already has a ranking of that movement and year."""
    from thidua.movements.permissions import can_review_cluster

    if actor is not None and not can_review_cluster(actor, cluster):
        raise PermissionDenied("Bạn không có quyền ghi nhận xếp hạng của cụm này")
    if cluster.year != year:
        raise DomainError(
            f"{cluster.name} là cụm của năm {cluster.year}, không phải năm {year}", field="cluster"
        )
    if Ranking.objects.filter(movement=movement, cluster=cluster, year=year, period=Period.YEAR).exists():
        raise DomainError(f"{cluster.name} đã có bảng xếp hạng năm {year} của phong trào này")
    members = set(cluster.memberships.values_list("unit_id", flat=True))
    outsiders = [u.name for u, _ in ranks if u.pk not in members]
    if outsiders:
        raise DomainError("Không thuộc cụm: " + ", ".join(outsiders), field="ranks")
    if any(r < 1 for _, r in ranks):
        raise DomainError("Thứ hạng phải từ 1 trở lên", field="ranks")
    ranking = Ranking(
        movement=movement,
        cluster=cluster,
        year=year,
        period=Period.YEAR,
        status=Ranking.Status.PUBLISHED,
        published_on=timezone.now(),
        notes=["Ghi nhận kết quả xếp hạng (chấm điểm ngoài hệ thống)"],
    )
    if feeds_engine(ranking) == "cluster_rank":
        _check_one_regular(ranking)
    ranking.save()
    RankingEntry.objects.bulk_create(RankingEntry(ranking=ranking, unit=u, rank=r) for u, r in ranks)
    log(
        "ranking.recorded",
        actor=actor,
        obj=ranking,
        unit_path=cluster.organiser_unit.path,
        detail={"ranks": [[u.code, r] for u, r in ranks]},
    )
    return ranking
