"""Proposal dossiers: assembled from confirmed candidates, submitted up, appraised there.

Every change checks the dossier's `version` (a stale copy is refused) and increments it.
A unit never appraises its own dossier: the appraiser is the level above, and the actor must hold
write rights there.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import transaction
from django.urls import reverse

from thidua.accounts.models import User
from thidua.audit.services import log
from thidua.awards.authority import Route, route_for
from thidua.awards.models import Ballot, Candidate, Dossier, Meeting
from thidua.awards.services.common import add_working_days, check_version
from thidua.awards.services.council import needs_council_vote
from thidua.core.errors import DomainError
from thidua.eligibility.services import ruleset_on
from thidua.notices.models import Notice
from thidua.notices.services import notify_unit
from thidua.org.models import Unit
from thidua.org.permissions import can_change_unit, require_unit_write
from thidua.rules.names import award_name

APPRAISAL_WORKING_DAYS = 20  # NĐ 152/2025 procedures (QĐ 638/QĐ-BNV): 20 working days


def _bump(dossier: Dossier, **changes: Any) -> None:
    for key, value in changes.items():
        setattr(dossier, key, value)
    dossier.version += 1
    dossier.save(update_fields=[*changes, "version", "updated_at"])


def _lock(dossier: Dossier, version: int) -> Dossier:
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    check_version(locked, version)
    return locked


@transaction.atomic
def create_dossier(
    *, actor: User | None, unit: Unit, year: int, award_id: str, meeting: Meeting | None = None
) -> Dossier:
    """A draft dossier for the confirmed candidates of `unit`, `year`, `award_id`.

    A title that needs a council vote takes only candidates who reached the threshold in a closed
    ballot of `meeting`. The appraiser is the parent unit."""
    require_unit_write(actor, unit, "Bạn không có quyền lập hồ sơ đề nghị của đơn vị này")
    if unit.parent_id is None:
        raise DomainError("Đơn vị cấp cao nhất không có cấp trên để trình hồ sơ")
    if Dossier.objects.filter(unit=unit, year=year, award_id=award_id).exists():
        raise DomainError("Đã có hồ sơ cho danh hiệu, hình thức này trong năm")
    rs = ruleset_on(meeting.held_on if meeting else date(year, 12, 31), unit=unit)
    needs_vote = needs_council_vote(rs, award_id)
    candidates = Candidate.objects.filter(
        unit=unit, year=year, award_id=award_id, status=Candidate.Status.CONFIRMED, dossier__isnull=True
    )
    if needs_vote:
        if meeting is None:
            raise DomainError(f"{award_name(award_id)} phải được Hội đồng bỏ phiếu kín trước khi trình")
        if meeting.ballots.filter(status=Ballot.Status.OPEN).exists():
            raise DomainError("Cuộc bỏ phiếu chưa kết thúc")
        candidates = candidates.filter(
            ballot_items__ballot__meeting=meeting, ballot_items__passed=True, vote_passed=True
        )
    chosen = list(candidates.distinct())
    if not chosen:
        raise DomainError("Không có đề nghị nào đủ điều kiện đưa vào hồ sơ")
    assert unit.parent is not None
    dossier = Dossier.objects.create(
        unit=unit, appraiser=unit.parent, year=year, award_id=award_id, meeting=meeting
    )
    Candidate.objects.filter(pk__in=[c.pk for c in chosen]).update(dossier=dossier)
    log(
        "dossier.created",
        actor=actor,
        obj=dossier,
        unit_path=unit.path,
        detail={"award": award_id, "year": year, "candidates": [c.subject_name for c in chosen]},
    )
    return dossier


@transaction.atomic
def submit_dossier(*, actor: User | None, dossier: Dossier, version: int, on: date | None = None) -> Dossier:
    """draft | returned → submitted; the appraisal deadline is 20 working days later."""
    require_unit_write(actor, dossier.unit, "Bạn không có quyền trình hồ sơ của đơn vị này")
    dossier = _lock(dossier, version)
    if dossier.status not in (Dossier.Status.DRAFT, Dossier.Status.RETURNED):
        raise DomainError("Chỉ trình hồ sơ đang lập hoặc đã được trả lại")
    on = on or date.today()
    _bump(
        dossier,
        status=Dossier.Status.SUBMITTED,
        submitted_on=on,
        deadline=add_working_days(on, APPRAISAL_WORKING_DAYS),
    )
    log(
        "dossier.submitted",
        actor=actor,
        obj=dossier,
        unit_path=dossier.unit.path,
        detail={
            "to": dossier.appraiser.name,
            "deadline": dossier.deadline.isoformat() if dossier.deadline else None,
        },
    )
    return dossier


def dossier_route(dossier: Dossier) -> Route:
    """Who decides this dossier: the `authority` the engine stored with its candidates (the ruleset's
    item when none is stored), read against the unit (`thidua.awards.authority`)."""
    codes: list[str] = []
    for result in dossier.candidates.values_list("engine_result", flat=True):
        codes.extend(c for c in (result or {}).get("authority") or [] if c not in codes)
    if not codes:
        try:
            item = ruleset_on(date(dossier.year, 12, 31), unit=dossier.unit).items.get(dossier.award_id)
        except DomainError:
            item = None
        codes = list(item.authority) if item else []
    return route_for(dossier.unit, codes)


def can_decide(actor: Any, dossier: Dossier) -> bool:
    """The level above issues an appraised dossier; a legal-entity unit issues its own draft dossier
    for the titles its head decides (Luật 06/2022 Đ80 k1)."""
    if dossier.status == Dossier.Status.APPRAISED:
        return can_change_unit(actor, dossier.appraiser)
    if dossier.status == Dossier.Status.DRAFT:
        return can_change_unit(actor, dossier.unit) and dossier_route(dossier).own_unit
    return False


def can_appraise(actor: Any, dossier: Dossier) -> bool:
    """The actor writes for the appraising unit, which is not the dossier's own unit."""
    return dossier.appraiser_id != dossier.unit_id and can_change_unit(actor, dossier.appraiser)


def _check_appraiser(actor: Any, dossier: Dossier) -> None:
    if not can_appraise(actor, dossier):
        raise DomainError(
            "Đơn vị không được tự thẩm định hồ sơ của mình; việc thẩm định do cấp trên thực hiện"
        )
    if dossier.status != Dossier.Status.SUBMITTED:
        raise DomainError("Hồ sơ không ở trạng thái chờ thẩm định")


@transaction.atomic
def return_dossier(*, actor: User | None, dossier: Dossier, version: int, reason: str) -> Dossier:
    """submitted → returned, with the reasons for revision."""
    reason = reason.strip()
    if not reason:
        raise DomainError("Cần ghi lý do trả lại hồ sơ", field="reason")
    dossier = _lock(dossier, version)
    _check_appraiser(actor, dossier)
    _bump(dossier, status=Dossier.Status.RETURNED, return_reason=reason)
    log(
        "dossier.returned",
        actor=actor,
        obj=dossier,
        unit_path=dossier.unit.path,
        detail={"reason": reason},
    )
    notify_unit(
        dossier.unit,
        kind=Notice.Kind.DOSSIER,
        title=f"Hồ sơ đề nghị {award_name(dossier.award_id)} năm {dossier.year} bị trả lại để bổ sung",
        body=f"Lý do: {reason}",
        url=reverse("awards:dossier_detail", args=[dossier.pk]),
    )
    return dossier


@transaction.atomic
def appraise_dossier(
    *, actor: User | None, dossier: Dossier, version: int, verdicts: Mapping[int, tuple[bool, str]]
) -> Dossier:
    """submitted → appraised: accept or reject each candidate (a rejection needs a note)."""
    dossier = _lock(dossier, version)
    _check_appraiser(actor, dossier)
    candidates = {c.pk: c for c in dossier.candidates.all()}
    if set(verdicts) != set(candidates):
        raise DomainError("Cần cho ý kiến thẩm định với từng người, tập thể trong hồ sơ")
    summary = []
    for pk, (accepted, note) in verdicts.items():
        if not accepted and not note.strip():
            raise DomainError(f"{candidates[pk].subject_name}: cần ghi lý do không đồng ý")
        c = candidates[pk]
        c.appraisal = Candidate.Appraisal.ACCEPTED if accepted else Candidate.Appraisal.REJECTED
        c.appraisal_note = note.strip()
        c.save(update_fields=["appraisal", "appraisal_note", "updated_at"])
        summary.append({"candidate": c.subject_name, "accepted": accepted, "note": c.appraisal_note})
    _bump(dossier, status=Dossier.Status.APPRAISED)
    log(
        "dossier.appraised",
        actor=actor,
        obj=dossier,
        unit_path=dossier.unit.path,
        detail={"candidates": summary},
    )
    accepted_count = len([row for row in summary if row["accepted"]])
    notify_unit(
        dossier.unit,
        kind=Notice.Kind.DOSSIER,
        title=f"Hồ sơ đề nghị {award_name(dossier.award_id)} năm {dossier.year} đã được thẩm định: "
        f"đồng ý {accepted_count}/{len(summary)}",
        url=reverse("awards:dossier_detail", args=[dossier.pk]),
    )
    return dossier
