"""Registration (đăng ký thi đua): targets and titles, submit, return, approve; who has not registered."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from thidua.accounts.models import User
from thidua.audit.services import log
from thidua.core.errors import DomainError
from thidua.core.versioning import bump, check_version
from thidua.lib.workdays import working_days_left
from thidua.movements import scoring
from thidua.movements.models import (
    Milestone,
    Movement,
    Registration,
    participating_units,
)
from thidua.movements.services.common import (
    COLLECTIVE_TITLES,
    DEADLINES_REFUSED,
    INDIVIDUAL_TITLES,
    REGISTRATION_REFUSED,
    check_open,
    check_participates,
    check_reviewer,
    check_unit_officer,
    json_safe,
    refuse_transition,
)
from thidua.movements.services.tables import (
    cluster_of,
    load_table_record,
    table_for,
)
from thidua.notices.models import Notice
from thidua.notices.services import notify_unit
from thidua.org.models import Unit
from thidua.org.permissions import is_system_admin, require

# -- registrations --------------------------------------------------------------------------------
WHAT = "Bản đăng ký thi đua"


def registration_deadline(movement: Movement, year: int) -> date | None:
    milestone = (
        movement.milestones.filter(kind=Milestone.Kind.REGISTRATION, due_on__year=year)
        .order_by("due_on")
        .first()
    )
    return milestone.due_on if milestone else None


def _clean_targets(movement: Movement, unit: Unit, year: int, targets: Mapping[str, Any]) -> dict[str, Any]:
    record = table_for(movement, year, cluster_of(unit, year))
    codes = {c.code for c in load_table_record(record).leaves()} if record else None
    clean: dict[str, Any] = {}
    problems = []
    for code, value in targets.items():
        code = str(code).strip()
        if codes is not None and code not in codes:
            problems.append(f"{code}: không có tiêu chí này trong bảng chấm điểm")
            continue
        number = scoring.to_decimal(value)
        if number is None or number < 0:
            problems.append(f"{code}: chỉ tiêu «{value}» phải là số không âm")
            continue
        clean[code] = json_safe(number)
    if problems:
        raise DomainError("Chỉ tiêu không hợp lệ: " + "; ".join(problems), field="targets")
    return clean


def _clean_titles(titles: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    clean = []
    problems = []
    for item in titles:
        award = str(item.get("award", "")).strip()
        subject = str(item.get("subject", "unit")).strip() or "unit"
        count = item.get("count", 1)
        allowed = COLLECTIVE_TITLES if subject == "unit" else INDIVIDUAL_TITLES
        if award not in allowed:
            who = "tập thể đơn vị" if subject == "unit" else "cá nhân"
            problems.append(f"«{award}» không phải danh hiệu, hình thức đăng ký cho {who}")
            continue
        if not isinstance(count, int) or count < 1:
            problems.append(f"{award}: số lượng phải là số nguyên dương")
            continue
        clean.append({"award": award, "subject": subject, "count": count})
    if problems:
        raise DomainError("Danh hiệu đăng ký không hợp lệ: " + "; ".join(problems), field="titles")
    return clean


@transaction.atomic
def save_registration(
    *,
    actor: User | None,
    movement: Movement,
    unit: Unit,
    year: int,
    targets: Mapping[str, Any],
    titles: Sequence[Mapping[str, Any]],
    note: str = "",
    version: int | None = None,
    require_version: bool = False,
) -> Registration:
    """Create or edit a unit's registration (while draft or returned). Targets are checked against the
    year's scoring table; titles against the collective/individual titles. A stale `version` (the one
    the form or API read; 0: none yet) is refused; `require_version` (the API) needs one for an edit."""
    check_unit_officer(actor, unit, REGISTRATION_REFUSED)
    check_open(movement)
    check_participates(movement, unit)
    if year not in movement.years():
        raise DomainError(
            f"Năm {year} nằm ngoài thời gian của phong trào ({movement.years_label})", field="year"
        )
    registration, created = Registration.objects.select_for_update().get_or_create(
        movement=movement, unit=unit, year=year
    )
    check_version(0 if created else registration.version, version, what=WHAT, required=require_version)
    if registration.status not in (Registration.Status.DRAFT, Registration.Status.RETURNED):
        raise DomainError(
            f"Bản đăng ký đang ở trạng thái «{registration.get_status_display()}», không sửa được"
        )
    registration.targets = _clean_targets(movement, unit, year, targets)
    registration.titles = _clean_titles(titles)
    registration.note = note.strip()
    if not created:
        bump(registration)
    registration.save()
    log(
        "registration.saved",
        actor=actor,
        obj=registration,
        unit_path=unit.path,
        detail={"created": created, "targets": len(registration.targets), "titles": registration.titles},
    )
    return registration


def _lock(registration: Registration, version: int | None) -> Registration:
    """The registration's row, locked, after the optimistic-locking check; raises `registration`'s version."""
    locked = Registration.objects.select_for_update().get(pk=registration.pk)
    check_version(locked.version, version, what=WHAT)
    registration.version = locked.version + 1
    return locked


@transaction.atomic
def submit_registration(
    *,
    actor: User | None,
    registration: Registration,
    submitted_on: datetime | None = None,
    version: int | None = None,
) -> Registration:
    """draft | returned → submitted; marks it late after the registration deadline of the year.

    `submitted_on` records a paper registration entered after the fact (default: now).
    """
    check_unit_officer(actor, registration.unit, REGISTRATION_REFUSED)
    locked = _lock(registration, version)
    if locked.status not in (Registration.Status.DRAFT, Registration.Status.RETURNED):
        raise refuse_transition(Registration, locked.status, Registration.Status.SUBMITTED)
    if not registration.targets and not registration.titles:
        raise DomainError("Bản đăng ký chưa có chỉ tiêu hoặc danh hiệu nào")
    deadline = registration_deadline(registration.movement, registration.year)
    now = submitted_on or timezone.now()
    registration.status = Registration.Status.SUBMITTED
    registration.submitted_on = now
    registration.late = deadline is not None and timezone.localdate(now) > deadline
    registration.save(update_fields=["status", "submitted_on", "late", "version", "updated_at"])
    log(
        "registration.submitted",
        actor=actor,
        obj=registration,
        unit_path=registration.unit.path,
        detail={"late": registration.late, "deadline": deadline.isoformat() if deadline else None},
    )
    return registration


@transaction.atomic
def return_registration(
    *, actor: User | None, registration: Registration, reason: str, version: int | None = None
) -> Registration:
    """submitted → returned, with the reason the unit must address."""
    if not reason.strip():
        raise DomainError("Cần ghi lý do trả lại", field="reason")
    check_reviewer(actor, registration.unit, registration.year)
    locked = _lock(registration, version)
    if locked.status != Registration.Status.SUBMITTED:
        raise refuse_transition(Registration, locked.status, Registration.Status.RETURNED)
    registration.status = Registration.Status.RETURNED
    registration.return_reason = reason.strip()
    registration.save(update_fields=["status", "return_reason", "version", "updated_at"])
    log(
        "registration.returned",
        actor=actor,
        obj=registration,
        unit_path=registration.unit.path,
        detail={"reason": registration.return_reason},
    )
    notify_unit(
        registration.unit,
        kind=Notice.Kind.REGISTRATION,
        title=f"Đăng ký thi đua năm {registration.year} bị trả lại để bổ sung — {registration.movement.title}",
        body=f"Lý do: {registration.return_reason}",
        url=_registration_url(registration),
    )
    return registration


@transaction.atomic
def approve_registration(
    *, actor: User | None, registration: Registration, version: int | None = None
) -> Registration:
    """submitted → approved, by the level above the unit (never the unit itself)."""
    check_reviewer(actor, registration.unit, registration.year)
    locked = _lock(registration, version)
    if locked.status != Registration.Status.SUBMITTED:
        raise refuse_transition(Registration, locked.status, Registration.Status.APPROVED)
    registration.status = Registration.Status.APPROVED
    registration.approved_on = timezone.now()
    registration.save(update_fields=["status", "approved_on", "version", "updated_at"])
    log("registration.approved", actor=actor, obj=registration, unit_path=registration.unit.path)
    notify_unit(
        registration.unit,
        kind=Notice.Kind.REGISTRATION,
        title=f"Đăng ký thi đua năm {registration.year} đã được duyệt — {registration.movement.title}",
        url=_registration_url(registration),
    )
    return registration


def _registration_url(registration: Registration) -> str:
    return reverse(
        "movements:registration_edit",
        args=[registration.movement_id, registration.year, registration.unit_id],
    )


def unregistered_units(movement: Movement, year: int) -> list[Unit]:
    """Participating units with no submitted or approved registration for `year`."""
    done = Registration.objects.filter(
        movement=movement,
        year=year,
        status__in=[Registration.Status.SUBMITTED, Registration.Status.APPROVED],
    ).values("unit_id")
    return list(participating_units(movement).exclude(pk__in=done))


NEAR_DUE_WORKING_DAYS = 3


@transaction.atomic
def notify_registration_deadlines(*, actor: User | None, today: date) -> int:
    """Notify the officers of units that have not registered when a movement's registration deadline is
    at most three working days away, and again once it has passed (each at most once). Returns the
    number of notices written; one audit entry when any."""
    require(actor, is_system_admin(actor), DEADLINES_REFUSED)
    written = 0
    milestones = Milestone.objects.filter(
        kind=Milestone.Kind.REGISTRATION,
        movement__status__in=[Movement.Status.LAUNCHED, Movement.Status.RUNNING],
        due_on__gte=today - timedelta(days=31),
    ).select_related("movement")
    for milestone in milestones:
        left = working_days_left(today, milestone.due_on)
        if left > NEAR_DUE_WORKING_DAYS:
            continue
        movement, year = milestone.movement, milestone.due_on.year
        when = f"đã quá hạn ({milestone.due_on:%d/%m/%Y})" if left < 0 else f"hạn {milestone.due_on:%d/%m/%Y}"
        for unit in unregistered_units(movement, year):
            written += len(
                notify_unit(
                    unit,
                    kind=Notice.Kind.DEADLINE,
                    title=f"Đăng ký thi đua năm {year} {when} — {movement.title}",
                    body=f"{unit.name} chưa gửi bản đăng ký thi đua.",
                    url=reverse("movements:registration_edit", args=[movement.pk, year, unit.pk]),
                    key=f"registration-deadline-{milestone.pk}-{unit.pk}-{'passed' if left < 0 else 'near'}",
                )
            )
    if written:
        log("notices.deadlines", actor=actor, detail={"today": today.isoformat(), "registration": written})
    return written
