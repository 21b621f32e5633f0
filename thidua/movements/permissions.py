"""Access helpers for movements, registrations, results and rankings. Views, API and exports use them.

- A movement is visible to every signed-in user with a role when it was launched outside the tree
  (Thủ tướng) or by a unit above, at or below one of their units; a draft only to those who manage it.
  Officers (and admins) of the launching unit manage it; movements launched outside the tree are
  managed by system administrators.
- A unit's officers enter its registration and results. Its own figures are visible to the unit's
  scope only until the cluster ranking of that period is published.
- Reviewers: officers of a unit above (the level above approves a registration or reviews a
  result; a unit never approves itself) and officers of the cluster head (cụm trưởng) or of the
  cluster's organising unit, for the other members of the cluster of that year.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from thidua.movements.models import Evidence, Movement, Ranking, RankingEntry, Registration, Result
from thidua.org.models import Cluster, ClusterMember, Role, Unit
from thidua.org.permissions import WRITE_ROLES, _is_authenticated, is_system_admin, scope_paths

ALL_ROLES = frozenset(Role.values)


def _path_q(field: str, paths: list[str]) -> Q:
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(**{f"{field}__startswith": path})
    return query


def _ancestor_ids(paths: list[str]) -> set[int]:
    return {int(part) for path in paths for part in path.strip("/").split("/") if part}


def _writes(user: Any, unit: Unit) -> bool:
    return any(unit.path.startswith(p) for p in scope_paths(user, WRITE_ROLES))


def _writes_above(user: Any, unit: Unit) -> bool:
    """Write role on a unit strictly above `unit` (the level above; never the unit itself)."""
    return any(unit.path != p and unit.path.startswith(p) for p in scope_paths(user, WRITE_ROLES))


# -- movements -------------------------------------------------------------------------------------
def can_manage_movement(user: Any, movement: Movement) -> bool:
    if is_system_admin(user):
        return True
    unit = movement.launching_unit
    return unit is not None and _writes(user, unit)


def visible_movements(user: Any) -> QuerySet[Movement]:
    if not _is_authenticated(user):
        return Movement.objects.none()
    if is_system_admin(user):
        return Movement.objects.all()
    paths = scope_paths(user, ALL_ROLES)
    if not paths:
        return Movement.objects.none()
    seen = (
        Q(launching_unit__isnull=True)
        | Q(launching_unit_id__in=_ancestor_ids(paths))
        | _path_q("launching_unit__path", paths)
    )
    managed = _path_q("launching_unit__path", scope_paths(user, WRITE_ROLES))
    return Movement.objects.filter(seen).filter(~Q(status=Movement.Status.DRAFT) | managed)


def get_movement_for_user(user: Any, pk: int, *, write: bool = False) -> Movement:
    movement = visible_movements(user).select_related("launching_unit", "parent").filter(pk=pk).first()
    if movement is None:
        raise Http404("Không tìm thấy phong trào thi đua")
    if write and not can_manage_movement(user, movement):
        raise PermissionDenied("Bạn không có quyền quản lý phong trào này")
    return movement


# -- clusters ---------------------------------------------------------------------------------------
def can_review_cluster(user: Any, cluster: Cluster) -> bool:
    """Officers of the organising unit (and above) or of the cluster head review the cluster."""
    if is_system_admin(user):
        return True
    units = [cluster.organiser_unit, *([cluster.head_unit] if cluster.head_unit else [])]
    return any(_writes(user, unit) for unit in units)


def reviewed_clusters(user: Any, year: int | None = None) -> QuerySet[Cluster]:
    if not _is_authenticated(user):
        return Cluster.objects.none()
    qs = Cluster.objects.all() if year is None else Cluster.objects.filter(year=year)
    if is_system_admin(user):
        return qs
    paths = scope_paths(user, WRITE_ROLES)
    return qs.filter(_path_q("organiser_unit__path", paths) | _path_q("head_unit__path", paths))


def can_review_unit(user: Any, unit: Unit, year: int) -> bool:
    """The level above the unit, or the head/organiser of one of its clusters of `year` — not itself."""
    if is_system_admin(user) or _writes_above(user, unit):
        return True
    own = scope_paths(user, WRITE_ROLES)
    if any(unit.path.startswith(p) for p in own):
        return False  # the unit's own officers never review their own unit
    return reviewed_clusters(user, year).filter(memberships__unit=unit).exists()


def reviewed_members_q(user: Any) -> Q:
    """Rows (with `unit` and `year`) of units in a cluster of that year which the user reviews."""
    memberships = ClusterMember.objects.filter(
        unit=OuterRef("unit"), cluster__year=OuterRef("year"), cluster__in=reviewed_clusters(user)
    )
    return Q(Exists(memberships))


def review_conditions(user: Any) -> tuple[Q, Q]:
    """`can_review_unit` (just above) and "the unit's own officers" (who act for it, not those who review it from
    above) as conditions on rows with a `unit` and a `year`: (reviews, own)."""
    if is_system_admin(user):
        return Q(), Q(pk__in=[])  # reviews every unit, so none is only its own
    writes = scope_paths(user, WRITE_ROLES)
    within = Q(pk__in=[])
    above = Q(pk__in=[])
    for path in writes:
        within |= Q(unit__path__startswith=path)
        above |= Q(unit__path__startswith=path) & ~Q(unit__path=path)
    # The level above reviews; the unit's own officers never review it; the reviewed clusters' heads
    # and organisers review the other members of the cluster of that year.
    reviews = above | (~within & reviewed_members_q(user))
    return reviews, within & ~above


# -- registrations ------------------------------------------------------------------------------
def visible_registrations(user: Any) -> QuerySet[Registration]:
    if not _is_authenticated(user):
        return Registration.objects.none()
    qs = Registration.objects.filter(movement__in=visible_movements(user))
    if is_system_admin(user):
        return qs
    query = _path_q("unit__path", scope_paths(user)) | reviewed_members_q(user)
    return qs.filter(query)


def can_act_for_unit(user: Any, unit: Unit) -> bool:
    """The unit's own officers (or those above): register, enter figures, explain, add evidence."""
    return is_system_admin(user) or _writes(user, unit)


def can_edit_registration(user: Any, registration: Registration) -> bool:
    return can_act_for_unit(user, registration.unit)


def can_review_registration(user: Any, registration: Registration) -> bool:
    return can_review_unit(user, registration.unit, registration.year)


def get_registration_for_user(user: Any, pk: int, *, write: bool = False) -> Registration:
    registration = (
        visible_registrations(user)
        .select_related("movement", "unit", "movement__launching_unit")
        .filter(pk=pk)
        .first()
    )
    if registration is None:
        raise Http404("Không tìm thấy bản đăng ký thi đua")
    if write and not can_edit_registration(user, registration):
        raise PermissionDenied("Bạn không có quyền sửa bản đăng ký này")
    return registration


# -- results ------------------------------------------------------------------------------------
def _published_q() -> Q:
    """Results that appear in a published ranking of their movement and period."""
    published = RankingEntry.objects.filter(
        ranking__status=Ranking.Status.PUBLISHED,
        ranking__movement=OuterRef("movement"),
        ranking__year=OuterRef("year"),
        ranking__period=OuterRef("period"),
        unit=OuterRef("unit"),
    )
    return Q(Exists(published))


def visible_results(user: Any) -> QuerySet[Result]:
    """Own scope always; the reviewed clusters' members; everybody's once the ranking is published."""
    if not _is_authenticated(user):
        return Result.objects.none()
    qs = Result.objects.filter(movement__in=visible_movements(user))
    if is_system_admin(user):
        return qs
    query = _path_q("unit__path", scope_paths(user)) | reviewed_members_q(user) | _published_q()
    return qs.filter(query)


def can_enter_result(user: Any, result: Result) -> bool:
    return can_act_for_unit(user, result.unit)


def can_review_result(user: Any, result: Result) -> bool:
    return can_review_unit(user, result.unit, result.year)


def can_see_evidence(user: Any, evidence: Evidence) -> bool:
    """An evidence file: the unit itself and the levels above it, the result's reviewers (cluster or the
    level above) and the movement's managers; anyone who sees the result once the unit made it public."""
    result = evidence.result
    if evidence.public or is_system_admin(user):
        return True
    if any(result.unit.path.startswith(p) for p in scope_paths(user)):
        return True
    return can_review_result(user, result) or can_manage_movement(user, result.movement)


def get_result_for_user(user: Any, pk: int, *, write: bool = False) -> Result:
    result = visible_results(user).select_related("movement", "unit").filter(pk=pk).first()
    if result is None:
        raise Http404("Không tìm thấy kết quả thi đua")
    if write and not can_enter_result(user, result):
        raise PermissionDenied("Bạn không có quyền nhập kết quả của đơn vị này")
    return result


# -- rankings -----------------------------------------------------------------------------------
def visible_rankings(user: Any) -> QuerySet[Ranking]:
    """Published rankings of visible movements; drafts to the cluster's reviewers."""
    if not _is_authenticated(user):
        return Ranking.objects.none()
    qs = Ranking.objects.filter(movement__in=visible_movements(user))
    if is_system_admin(user):
        return qs
    return qs.filter(Q(status=Ranking.Status.PUBLISHED) | Q(cluster__in=reviewed_clusters(user)))


def get_ranking_for_user(user: Any, pk: int, *, write: bool = False) -> Ranking:
    ranking = visible_rankings(user).select_related("movement", "cluster").filter(pk=pk).first()
    if ranking is None:
        raise Http404("Không tìm thấy bảng xếp hạng")
    if write and not can_review_cluster(user, ranking.cluster):
        raise PermissionDenied("Bạn không có quyền chấm điểm, xếp hạng cụm này")
    return ranking
