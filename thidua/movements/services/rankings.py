"""Cluster rankings: computed by the scoring module from the results, then published.

A published yearly ranking is the one record the year-end reads (`thidua.movements.records`): the
cluster ranks of a regular movement, the leaders of a thematic one. Nothing is copied elsewhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from thidua.accounts.models import User
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
    *, actor: User | None, movement: Movement, cluster: Cluster, year: int, period: str = "nam"
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
def publish_ranking(*, actor: User | None, ranking: Ranking) -> Ranking:
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


RECORDED_NOTE = "Ghi nhận kết quả xếp hạng (chấm điểm ngoài hệ thống)"


def recorded_movement_title(unit: Unit, year: int) -> str:
    return f"Thi đua thường xuyên năm {year} — {unit.name} (xếp hạng ghi nhận, chấm điểm ngoài hệ thống)"


def _recorded_movement(cluster: Cluster, year: int) -> tuple[Movement, bool]:
    """The closed regular movement that holds the ranks recorded for the organiser's clusters of a
    year scored outside the system (made on first use)."""
    unit = cluster.organiser_unit
    return Movement.objects.get_or_create(
        launching_unit=unit,
        kind=Movement.Kind.REGULAR,
        start_year=year,
        end_year=year,
        title=recorded_movement_title(unit, year),
        defaults={
            "authority": Movement.Authority.BO_NGANH_TINH
            if unit.parent_id is None
            else Movement.Authority.THU_TRUONG_DON_VI,
            "status": Movement.Status.CLOSED,
        },
    )


def is_recorded(ranking: Ranking) -> bool:
    """A ranking recorded from a year scored outside the system (ranks only, no scores)."""
    return ranking.status == Ranking.Status.PUBLISHED and not ranking.entries.exclude(total=None).exists()


@transaction.atomic
def record_ranking(
    *,
    actor: User | None,
    cluster: Cluster,
    year: int,
    ranks: Sequence[tuple[Unit, int]],
    movement: Movement | None = None,
    replace: datetime | None = None,
    today: date | None = None,
) -> Ranking:
    """Record the published yearly ranking of a year scored outside the system (ranks, no scores).

    For the years before the organisation used ThiĐua: the ranks feed the year-end like any published
    ranking. `movement` is the regular movement it belongs to; without one, the organiser's closed
    "xếp hạng ghi nhận" movement of that year (made on first use). Every unit must be a member of the
    cluster, once, ranked from 1 to the number of members (equal ranks allowed); the year not in the
    future. Refused when the cluster already has a ranking of that movement and year, unless
    `replace` is the time the caller read that recorded ranking (its `updated_at`): then its ranks are
    replaced (a stale one is refused). One audit entry, with the ranks before and after."""
    from thidua.movements.permissions import can_review_cluster

    if actor is not None and not can_review_cluster(actor, cluster):
        raise PermissionDenied("Bạn không có quyền ghi nhận xếp hạng của cụm này")
    if cluster.year != year:
        raise DomainError(
            f"{cluster.name} là cụm của năm {cluster.year}, không phải năm {year}", field="cluster"
        )
    if year > (today or date.today()).year:
        raise DomainError(f"Năm {year} chưa đến: chỉ ghi nhận xếp hạng của năm đã qua", field="year")
    members = {m.unit_id: m.unit for m in cluster.memberships.select_related("unit")}
    _check_ranks(ranks, members)
    created_movement = False
    if movement is None:
        movement, created_movement = _recorded_movement(cluster, year)
    elif movement.kind != Movement.Kind.REGULAR or year not in movement.years():
        raise DomainError(
            f"«{movement.title}» không phải phong trào thường xuyên của năm {year}", field="movement"
        )
    existing = (
        Ranking.objects.select_for_update()
        .filter(movement=movement, cluster=cluster, year=year, period=Period.YEAR)
        .first()
    )
    before: list[list[Any]] = []
    if existing is not None:
        if replace is None:
            raise DomainError(f"{cluster.name} đã có bảng xếp hạng năm {year} của phong trào này")
        if not is_recorded(existing):
            raise DomainError(
                f"Bảng xếp hạng năm {year} của {cluster.name} được tính trong hệ thống: không sửa tay được"
            )
        if existing.updated_at != replace:
            raise DomainError(
                "Bảng xếp hạng vừa được người khác sửa: hãy tải lại trang, xem thứ hạng mới rồi sửa lại"
            )
        before = [[e.unit.code, e.rank] for e in existing.entries.select_related("unit").order_by("rank")]
        existing.entries.all().delete()
        ranking = existing
        ranking.notes = [RECORDED_NOTE]
        ranking.save(update_fields=["notes", "updated_at"])
    else:
        ranking = Ranking(
            movement=movement,
            cluster=cluster,
            year=year,
            period=Period.YEAR,
            status=Ranking.Status.PUBLISHED,
            published_on=timezone.now(),
            notes=[RECORDED_NOTE],
        )
        if feeds_engine(ranking) == "cluster_rank":
            _check_one_regular(ranking)
        try:
            with transaction.atomic():
                ranking.save()
        except IntegrityError as exc:  # the same form sent twice at once: the other one won
            raise DomainError(f"{cluster.name} đã có bảng xếp hạng năm {year} của phong trào này") from exc
    RankingEntry.objects.bulk_create(RankingEntry(ranking=ranking, unit=u, rank=r) for u, r in ranks)
    detail: dict[str, Any] = {"ranks": [[u.code, r] for u, r in ranks], "movement": movement.title}
    if created_movement:
        detail["movement_created"] = True
    if existing is not None:
        detail["before"] = before
    log("ranking.recorded", actor=actor, obj=ranking, unit_path=cluster.organiser_unit.path, detail=detail)
    return ranking


def _check_ranks(ranks: Sequence[tuple[Unit, int]], members: dict[int, Unit]) -> None:
    if not ranks:
        raise DomainError("Chưa nhập thứ hạng của đơn vị nào", field="ranks")
    outsiders = [u.name for u, _ in ranks if u.pk not in members]
    if outsiders:
        raise DomainError("Không thuộc cụm: " + ", ".join(outsiders), field="ranks")
    seen: set[int] = set()
    for unit, rank in ranks:
        if unit.pk in seen:
            raise DomainError(f"{unit.name} có hai thứ hạng", field="ranks")
        seen.add(unit.pk)
        if not 1 <= rank <= len(members):
            raise DomainError(
                f"{unit.name}: thứ hạng {rank} phải từ 1 đến {len(members)} (số đơn vị của cụm)",
                field="ranks",
            )
