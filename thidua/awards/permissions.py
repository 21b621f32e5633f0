"""Access helpers for the year-end: every page, export and API call of the awards app goes here.

Officers (and admins) of a unit's subtree run its year-end; anyone who may see a unit sees its
candidates, councils and dossiers; the appraising unit sees the dossiers sent to it. A staff member
sees only their own awards and candidacies. Ballots never expose who voted how to anyone.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from thidua.awards.models import Ballot, Candidate, Council, Decision, Dossier, Meeting, granting_unit
from thidua.history.models import AwardRecord
from thidua.org.permissions import (
    _is_authenticated,
    _path_q,
    can_change_unit,
    is_system_admin,
    own_person_id,
    scope_paths,
)


def _unit_q(user: Any, field: str) -> Q:
    return _path_q(f"{field}__path", scope_paths(user))


def visible_candidates(user: Any) -> QuerySet[Candidate]:
    if is_system_admin(user):
        return Candidate.objects.all()
    return Candidate.objects.filter(_unit_q(user, "unit"))


def get_candidate_for_user(user: Any, pk: int, *, write: bool = False) -> Candidate:
    candidate = visible_candidates(user).select_related("unit", "person", "collective").filter(pk=pk).first()
    if candidate is None:
        raise Http404("Không tìm thấy đề nghị")
    if write and not can_change_unit(user, candidate.unit):
        raise PermissionDenied("Bạn không có quyền sửa danh sách đề nghị của đơn vị này")
    return candidate


def visible_councils(user: Any) -> QuerySet[Council]:
    """Councils of the units in the user's scope, and those the user sits on (by login or staff
    record), whatever roles the login holds."""
    if is_system_admin(user):
        return Council.objects.all()
    if not _is_authenticated(user):
        return Council.objects.none()
    query = _unit_q(user, "unit") | Q(members__user=user)
    person_id = own_person_id(user)
    if person_id is not None:
        query |= Q(members__person_id=person_id)
    return Council.objects.filter(pk__in=Council.objects.filter(query).values("pk"))


def get_council_for_user(user: Any, pk: int, *, write: bool = False) -> Council:
    council = visible_councils(user).select_related("unit").filter(pk=pk).first()
    if council is None:
        raise Http404("Không tìm thấy hội đồng")
    if write and not can_change_unit(user, council.unit):
        raise PermissionDenied("Bạn không có quyền sửa hội đồng này")
    return council


def get_meeting_for_user(user: Any, pk: int, *, write: bool = False) -> Meeting:
    meeting = (
        Meeting.objects.select_related("council__unit")
        .filter(council__in=visible_councils(user), pk=pk)
        .first()
    )
    if meeting is None:
        raise Http404("Không tìm thấy phiên họp")
    if write and not can_change_unit(user, meeting.council.unit):
        raise PermissionDenied("Bạn không có quyền điều hành phiên họp này")
    return meeting


def get_ballot_for_user(user: Any, pk: int, *, write: bool = False) -> Ballot:
    """A ballot of a visible council (members see their council's ballots whatever their role);
    `write` needs write rights on the council's unit. Voting, closing, counting are checked by the
    services (the member's own login, the chair, the secretary, the unit's officers)."""
    ballot = (
        Ballot.objects.select_related("meeting__council__unit")
        .filter(meeting__council__in=visible_councils(user), pk=pk)
        .first()
    )
    if ballot is None:
        raise Http404("Không tìm thấy cuộc bỏ phiếu")
    if write and not can_change_unit(user, ballot.meeting.council.unit):
        raise PermissionDenied("Bạn không có quyền điều hành cuộc bỏ phiếu này")
    return ballot


def visible_dossiers(user: Any) -> QuerySet[Dossier]:
    """Dossiers of the units the user sees, and those sent to a unit the user sees (to appraise)."""
    if is_system_admin(user):
        return Dossier.objects.all()
    return Dossier.objects.filter(_unit_q(user, "unit") | _unit_q(user, "appraiser"))


def get_dossier_for_user(user: Any, pk: int, *, write: bool = False) -> Dossier:
    dossier = visible_dossiers(user).select_related("unit", "appraiser", "meeting").filter(pk=pk).first()
    if dossier is None:
        raise Http404("Không tìm thấy hồ sơ")
    if write and not (can_change_unit(user, dossier.unit) or can_change_unit(user, dossier.appraiser)):
        raise PermissionDenied("Bạn không có quyền xử lý hồ sơ này")
    return dossier


def visible_decisions(user: Any) -> QuerySet[Decision]:
    if is_system_admin(user):
        return Decision.objects.all()
    return Decision.objects.filter(_unit_q(user, "unit") | _unit_q(user, "dossier__unit"))


def get_decision_for_user(user: Any, pk: int) -> Decision:
    decision = visible_decisions(user).select_related("unit", "dossier__unit").filter(pk=pk).first()
    if decision is None:
        raise Http404("Không tìm thấy quyết định")
    return decision


def visible_awards(user: Any) -> QuerySet[AwardRecord]:
    """Awards of people and collectives in scope, plus the user's own."""
    if not _is_authenticated(user):
        return AwardRecord.objects.none()
    if is_system_admin(user):
        return AwardRecord.objects.all()
    query = _path_q("person__current_unit__path", scope_paths(user)) | _unit_q(user, "unit")
    person_id = own_person_id(user)
    if person_id:
        query |= Q(person_id=person_id)
    return AwardRecord.objects.filter(query)


def get_award_for_user(user: Any, pk: int, *, write: bool = False) -> AwardRecord:
    award = visible_awards(user).select_related("person__current_unit", "unit").filter(pk=pk).first()
    if award is None:
        raise Http404("Không tìm thấy khen thưởng")
    if write:
        authority = granting_unit(award)
        if authority is None or not can_change_unit(user, authority):
            raise PermissionDenied("Chỉ cấp đã quyết định khen thưởng mới được thu hồi")
    return award


def own_awards(user: Any) -> QuerySet[AwardRecord]:
    person_id = own_person_id(user)
    if person_id is None:
        return AwardRecord.objects.none()
    return AwardRecord.objects.filter(person_id=person_id)


def own_candidacies(user: Any) -> QuerySet[Candidate]:
    person_id = own_person_id(user)
    if person_id is None:
        return Candidate.objects.none()
    return Candidate.objects.filter(person_id=person_id)
