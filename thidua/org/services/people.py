"""People: create, edit, transfer between units on a date, end of service, positions held over time.

The person's record follows them: positions are history rows, and `current_unit`/`current_title` are
a copy of the open position kept here. Each change: permission checked, one transaction, one audit
entry (citizen ids masked in it), `DomainError` naming the field if refused.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction

from thidua.accounts.models import User
from thidua.audit.services import log
from thidua.core.errors import DomainError
from thidua.org.citizen_id import CitizenIdError, validate_citizen_id
from thidua.org.models import LeaveReason, Person, Position, Unit
from thidua.org.privacy import mask_citizen_id, mask_email, mask_phone
from thidua.org.services.common import check_stamp, refuse_fields, require_manage

NO_RIGHT = "Bạn không có quyền sửa hồ sơ nhân sự này"
PERSONAL_FIELDS = {"citizen_id", "date_of_birth", "phone", "email"}
EDITABLE_FIELDS = ("full_name", "gender", "citizen_id", "date_of_birth", "recruited_on", "email", "phone")


def check_person_fields(citizen_id: str, gender: str, date_of_birth: date | None) -> None:
    try:
        validate_citizen_id(citizen_id, gender=gender, date_of_birth=date_of_birth)
    except CitizenIdError as exc:
        raise DomainError(str(exc), field="citizen_id") from exc


def _check_name(full_name: str) -> str:
    full_name = " ".join((full_name or "").split())
    if not full_name:
        raise DomainError("Cần nhập họ và tên", field="full_name")
    if len(full_name) > 120:
        raise DomainError("Họ và tên dài quá 120 ký tự", field="full_name")
    return full_name


def _duplicate(citizen_id: str, exclude: int | None = None) -> None:
    others = Person.objects.filter(citizen_id=citizen_id)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    other = others.select_related("current_unit").first()
    if other is not None:
        where = f" ({other.current_unit.name})" if other.current_unit else ""
        raise DomainError(
            f"Số CCCD {mask_citizen_id(citizen_id)} đã có trong hệ thống: {other.full_name}{where}",
            field="citizen_id",
        )


def _active_unit(unit: Unit) -> None:
    if unit.valid_to is not None:
        raise DomainError(f"Đơn vị '{unit}' đã ngừng hoạt động từ {unit.valid_to:%d/%m/%Y}", field="unit")


def _masked_diff(before: dict[str, Any], changes: dict[str, Any]) -> dict[str, list[str]]:
    """The audit diff, personal data masked: the log is read by unit heads, who may not see it."""
    masks = {"citizen_id": mask_citizen_id, "phone": mask_phone, "email": mask_email}
    result: dict[str, list[str]] = {}
    for key, value in changes.items():
        if before[key] == value:
            continue
        if key == "date_of_birth":
            result[key] = ["…", "(đã sửa)"]
        elif key in masks:
            result[key] = [masks[key](str(before[key] or "")), masks[key](str(value or ""))]
        else:
            result[key] = [str(before[key]), str(value)]
    return result


@transaction.atomic
def create_person(
    *,
    actor: User | None,
    citizen_id: str,
    full_name: str,
    gender: str,
    unit: Unit,
    title: str = "",
    started_on: date | None = None,
    **fields: Any,
) -> Person:
    """Add a staff member with their first position in `unit`. Refuses a duplicate citizen id."""
    require_manage(actor, unit, "Bạn chỉ được thêm nhân sự vào đơn vị mình quản lý")
    citizen_id = (citizen_id or "").strip()
    full_name = _check_name(full_name)
    check_person_fields(citizen_id, gender, fields.get("date_of_birth"))
    _active_unit(unit)
    _duplicate(citizen_id)
    person = Person.objects.create(
        citizen_id=citizen_id,
        full_name=full_name,
        gender=gender,
        current_unit=unit,
        current_title=title,
        **fields,
    )
    Position.objects.create(
        person=person,
        unit=unit,
        title=title,
        started_on=started_on or fields.get("recruited_on") or date.today(),
    )
    log(
        "person.created",
        actor=actor,
        obj=person,
        unit_path=unit.path,
        detail={"citizen_id": mask_citizen_id(citizen_id), "unit": unit.name, "title": title},
    )
    return person


@transaction.atomic
def update_person(
    *, actor: User | None, person: Person, version: str | None = None, **changes: Any
) -> Person:
    """Edit a person's own fields; the citizen id is re-checked against gender and date of birth.
    The unit and title change only through `transfer_person`, which keeps the position history."""
    refuse_fields(changes, {"current_unit", "current_unit_id", "current_title", "left_on"}, "transfer_person")
    require_manage(actor, person.current_unit, NO_RIGHT)
    person = Person.objects.select_for_update().get(pk=person.pk)
    check_stamp(person, version)
    if "full_name" in changes:
        changes["full_name"] = _check_name(changes["full_name"])
    if "citizen_id" in changes:
        changes["citizen_id"] = str(changes["citizen_id"]).strip()
        _duplicate(changes["citizen_id"], exclude=person.pk)
    merged: dict[str, Any] = {
        "citizen_id": person.citizen_id,
        "gender": person.gender,
        "date_of_birth": person.date_of_birth,
    }
    merged |= changes
    check_person_fields(merged["citizen_id"], merged["gender"], merged["date_of_birth"])
    before = {k: getattr(person, k) for k in changes}
    for key, value in changes.items():
        setattr(person, key, value)
    person.save()
    log(
        "person.updated",
        actor=actor,
        obj=person,
        unit_path=person.current_unit.path if person.current_unit else "",
        detail={"changes": _masked_diff(before, changes)},
    )
    return person


def transfer_position(person: Person, unit: Unit, on: date, *, title: str) -> Position:
    """Close the open positions the day before `on` and open one in `unit` (no check, no audit: the
    callers, `transfer_person` and the reorganisations, do those)."""
    for pos in person.positions.filter(ended_on__isnull=True):
        if pos.started_on >= on:
            raise DomainError(
                f"{person.full_name}: ngày điều chuyển {on:%d/%m/%Y} phải sau ngày bắt đầu vị trí hiện tại "
                f"({pos.started_on:%d/%m/%Y})",
                field="on",
            )
        pos.ended_on = on - timedelta(days=1)
        pos.save(update_fields=["ended_on", "updated_at"])
    position = Position.objects.create(person=person, unit=unit, title=title, started_on=on)
    person.current_unit = unit
    person.current_title = title
    person.left_on = None
    person.leave_reason = ""
    person.save(update_fields=["current_unit", "current_title", "left_on", "leave_reason", "updated_at"])
    return position


@transaction.atomic
def transfer_person(
    *, actor: User | None, person: Person, unit: Unit, on: date, title: str = "", decision: str = ""
) -> Position:
    """Close the current position and open one in `unit` from `on`: the whole record stays with the
    person. Also takes back a person whose service had ended (re-employment)."""
    require_manage(actor, person.current_unit, NO_RIGHT)
    require_manage(actor, unit, "Bạn chỉ được điều chuyển nhân sự đến đơn vị mình quản lý")
    _active_unit(unit)
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.left_on is not None and on < person.left_on:
        raise DomainError(
            f"Ngày điều chuyển phải từ ngày thôi công tác ({person.left_on:%d/%m/%Y}) trở đi", field="on"
        )
    if person.current_unit_id == unit.pk and person.current_title == title and person.left_on is None:
        raise DomainError("Đơn vị và chức vụ mới trùng với hiện tại", field="unit")
    old_unit = person.current_unit
    position = transfer_position(person, unit, on, title=title)
    log(
        "person.transferred",
        actor=actor,
        obj=person,
        unit_path=unit.path,
        detail={
            "from": old_unit.name if old_unit else None,
            "to": unit.name,
            "on": on.isoformat(),
            "title": title,
        }
        | ({"decision": decision} if decision else {}),
    )
    return position


@transaction.atomic
def end_service(*, actor: User | None, person: Person, on: date, reason: str, decision: str = "") -> Person:
    """End a person's service from `on` (retirement, resignation, transfer out…): the open position ends
    the day before; the record and its history stay, outside the lists of people in service."""
    require_manage(actor, person.current_unit, NO_RIGHT)
    if reason not in LeaveReason.values:
        raise DomainError("Chọn lý do thôi công tác", field="reason")
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.left_on is not None:
        raise DomainError(f"{person.full_name} đã thôi công tác từ {person.left_on:%d/%m/%Y}", field="on")
    for pos in person.positions.filter(ended_on__isnull=True):
        if pos.started_on >= on:
            raise DomainError(
                f"Ngày thôi công tác phải sau ngày bắt đầu vị trí hiện tại ({pos.started_on:%d/%m/%Y})",
                field="on",
            )
        pos.ended_on = on - timedelta(days=1)
        pos.save(update_fields=["ended_on", "updated_at"])
    person.left_on = on
    person.leave_reason = reason
    person.save(update_fields=["left_on", "leave_reason", "updated_at"])
    log(
        "person.service_ended",
        actor=actor,
        obj=person,
        unit_path=person.current_unit.path if person.current_unit else "",
        detail={"on": on.isoformat(), "reason": LeaveReason(reason).label, "decision": decision},
    )
    return person


@transaction.atomic
def add_position(
    *,
    actor: User | None,
    person: Person,
    unit: Unit,
    title: str,
    started_on: date,
    ended_on: date,
) -> Position:
    """Record a past position (before the current one, from the person's papers). It must not
    overlap another position; the current unit does not change."""
    require_manage(actor, person.current_unit, NO_RIGHT)
    if ended_on < started_on:
        raise DomainError("Ngày kết thúc phải từ ngày bắt đầu trở đi", field="ended_on")
    if ended_on >= date.today():
        raise DomainError(
            "Chỉ ghi quá trình công tác đã kết thúc; vị trí mới là điều chuyển", field="ended_on"
        )
    if (unit.valid_from is not None and started_on < unit.valid_from) or (
        unit.valid_to is not None and ended_on > unit.valid_to
    ):
        raise DomainError(f"'{unit}' không hoạt động trong khoảng thời gian này", field="unit")
    for other in person.positions.select_related("unit"):
        other_end = other.ended_on or date.max
        if other.started_on <= ended_on and started_on <= other_end:
            raise DomainError(
                f"Trùng thời gian với vị trí {other.title or 'công tác'} tại {other.unit.name} "
                f"(từ {other.started_on:%d/%m/%Y})",
                field="started_on",
            )
    position = Position.objects.create(
        person=person, unit=unit, title=title, started_on=started_on, ended_on=ended_on
    )
    log(
        "person.position_added",
        actor=actor,
        obj=person,
        unit_path=person.current_unit.path if person.current_unit else unit.path,
        detail={
            "unit": unit.name,
            "title": title,
            "period": f"{started_on:%d/%m/%Y} – {ended_on:%d/%m/%Y}",
        },
    )
    return position
