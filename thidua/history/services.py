"""Writing the past: the checked rows of a history import, and one past award with its scanned decision.

Both check the actor's rights themselves, run in one transaction and write one audit entry.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from thidua.accounts.models import User
from thidua.audit.services import log
from thidua.core.db import analyze_after_commit
from thidua.core.errors import DomainError
from thidua.core.uploads import MAX_SCAN_BYTES
from thidua.core.versioning import Versioned, bump, check_version
from thidua.history.importing import EARLIEST_YEAR, SPECS, Write
from thidua.history.kinds import (
    DISCIPLINE,
    INITIATIVE,
    LEAVE,
    PROCEEDING,
    PersonRecord,
    R,
    RecordKind,
    kind_of,
)
from thidua.history.models import (
    USED_FOR_VALIDATOR,
    AwardRecord,
    DecisionScan,
    Discipline,
    Initiative,
    Leave,
    PendingProceeding,
    Rating,
)
from thidua.history.values import known_awards
from thidua.org.models import Person, Unit
from thidua.org.permissions import can_change_person, can_change_unit, can_import
from thidua.rules.names import award_name

MODELS: dict[str, Any] = {
    "ratings": Rating,
    "awards": AwardRecord,
    "initiatives": Initiative,
    "disciplines": Discipline,
    "proceedings": PendingProceeding,
}
SCAN_TYPES = (  # (first bytes, content type, extension): what a scanned decision may be
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)


def _common_path(paths: Iterable[str]) -> str:
    """The deepest unit path holding all `paths`: the audit entry's scope."""
    split = [p.strip("/").split("/") for p in paths if p]
    if not split:
        return ""
    common: list[str] = []
    for parts in zip(*split, strict=False):
        if len(set(parts)) != 1:
            break
        common.append(parts[0])
    return f"/{'/'.join(common)}/" if common else ""


def _subject_paths(model: Any, writes: Sequence[Write]) -> set[str]:
    """The unit paths of the people and units the rows are about (for the audit entry's scope)."""
    has_unit = any(f.name == "unit" for f in model._meta.get_fields())
    person_ids = {w.values["person_id"] for w in writes if w.values.get("person_id")}
    unit_ids = {w.values["unit_id"] for w in writes if w.values.get("unit_id")}
    updated = [w.pk for w in writes if w.action == "update" and w.pk]
    for row in model.objects.filter(pk__in=updated).values(
        *(["person_id", "unit_id"] if has_unit else ["person_id"])
    ):
        person_ids.add(row["person_id"])
        unit_ids.add(row.get("unit_id"))
    paths = set(
        Person.objects.filter(pk__in=person_ids, current_unit__isnull=False).values_list(
            "current_unit__path", flat=True
        )
    )
    paths |= set(Unit.objects.filter(pk__in=unit_ids - {None}).values_list("path", flat=True))
    return paths


@transaction.atomic
def write_history(
    kind: str, writes: Sequence[Write], *, actor: User | None, source: str = ""
) -> dict[str, int]:
    """Write the checked rows of a history file (`thidua.history.importing.check_file`): new records in
    bulk, corrections one by one. One `history.imported` audit entry with the counts."""
    if actor is not None and not can_import(actor):
        raise PermissionDenied("Bạn không có quyền nhập dữ liệu.")
    model = MODELS[kind]
    creates = [model(**w.values) for w in writes if w.action == "create"]
    model.objects.bulk_create(creates, batch_size=2000)
    analyze_after_commit([model], len(creates))
    now = timezone.now()
    updates = [w for w in writes if w.action == "update"]
    # A correction raises the row's version: a form opened before the import is then refused as stale.
    bumped = {"version": F("version") + 1} if issubclass(model, Versioned) else {}
    for w in updates:
        model.objects.filter(pk=w.pk).update(**w.values, **bumped, updated_at=now)
    counts = {
        "create": len(creates),
        "update": len(updates),
        "unchanged": sum(1 for w in writes if w.action == "unchanged"),
    }
    label = SPECS[kind].label
    log(
        "history.imported",
        actor=actor,
        unit_path=_common_path(_subject_paths(model, writes)),
        object_repr=(f"Nhập {label} từ {source}" if source else f"Nhập {label}")[:255],
        detail={"kind": kind, "source": source, "counts": counts},
    )
    return counts


# --- one past award with its scanned decision ------------------------------------------------------


@dataclass(frozen=True)
class Scan:
    """An uploaded file: its name as sent and its bytes (read only after its size was checked)."""

    name: str
    content: bytes


def check_scan_size(size: int | None) -> None:
    """Before reading an upload: refuse one bigger than the limit."""
    if size is None or size > MAX_SCAN_BYTES:
        raise DomainError(f"Tệp quyết định lớn quá {MAX_SCAN_BYTES // (1024 * 1024)} MB.", field="scan")
    if size == 0:
        raise DomainError("Tệp quyết định rỗng.", field="scan")


def scan_type(content: bytes) -> tuple[str, str]:
    """(content type, extension) from the file's own first bytes, never from its name; DomainError if
    it is not a PDF, JPEG or PNG."""
    for magic, content_type, extension in SCAN_TYPES:
        if content.startswith(magic):
            return content_type, extension
    raise DomainError(
        "Tệp quyết định phải là PDF, JPEG hoặc PNG (kiểm tra theo nội dung tệp, không theo tên).",
        field="scan",
    )


@transaction.atomic
def record_past_award(
    *,
    actor: User | None,
    person: Person | None = None,
    unit: Unit | None = None,
    award_id: str,
    year: int | None,
    decided_on: date,
    decision_number: str = "",
    decided_by: str = "",
    received_at: str = "",
    prize_vnd: int | None = None,
    scan: Scan | None = None,
) -> AwardRecord:
    """Record one title or form a person or collective received before (here or at another
    organisation), with its scanned decision if given. Refuses a subject outside the actor's scope, an
    unknown award or one not for that subject, dates that do not fit, a record that exists already and
    a scan that is not a PDF, JPEG or PNG. One `history.award_recorded` audit entry."""
    if (person is None) == (unit is None):
        raise DomainError("Chọn một người hoặc một tập thể")
    if actor is None or not (
        can_change_person(actor, person) if person is not None else can_change_unit(actor, unit)  # type: ignore[arg-type]
    ):
        raise PermissionDenied("Bạn không có quyền ghi khen thưởng cho người, tập thể này")
    award = known_awards().get(award_id)
    if award is None:
        raise DomainError("Không có danh hiệu, hình thức khen thưởng này", field="award_id")
    subject = "individual" if person is not None else "collective"
    if subject not in award.subjects:
        who = "cá nhân" if person is not None else "tập thể"
        raise DomainError(f"{award_name(award_id)} không dành cho {who}", field="award_id")
    today = date.today()
    if decided_on > today:
        raise DomainError("Ngày quyết định ở tương lai", field="decided_on")
    if year is None:
        if award.is_title:
            raise DomainError("Danh hiệu thi đua cần năm thành tích", field="year")
        year = decided_on.year
    if not EARLIEST_YEAR <= year <= today.year:
        raise DomainError(f"Năm thành tích phải từ {EARLIEST_YEAR} đến {today.year}", field="year")
    if decided_on.year < year:
        raise DomainError(f"Ngày quyết định trước năm thành tích {year}", field="decided_on")
    same = AwardRecord.objects.filter(person=person, unit=unit, award_id=award_id)
    same = same.filter(year=year) if award.is_title else same.filter(decided_on=decided_on)
    if same.exists():
        raise DomainError(f"Đã có {award_name(award_id)} {year} của {person or unit}", field="award_id")
    if prize_vnd is not None and prize_vnd < 0:
        raise DomainError("Tiền thưởng không âm", field="prize_vnd")
    kind_and_ext: tuple[str, str] | None = None
    if scan is not None:
        check_scan_size(len(scan.content))
        kind_and_ext = scan_type(scan.content)
    record = AwardRecord.objects.create(
        person=person,
        unit=unit,
        kind=AwardRecord.Kind.TITLE if award.is_title else AwardRecord.Kind.FORM,
        award_id=award_id,
        year=year,
        decided_on=decided_on,
        decision_number=decision_number.strip()[:60],
        decided_by=decided_by.strip()[:255],
        received_at=received_at.strip()[:255],
        prize_vnd=prize_vnd,
    )
    if scan is not None and kind_and_ext is not None:
        content_type, extension = kind_and_ext
        stored = DecisionScan(
            award=record,
            original_name=scan.name[-200:],
            content_type=content_type,
            size=len(scan.content),
            sha256=hashlib.sha256(scan.content).hexdigest(),
            uploaded_by=actor,
        )
        stored.file.save(f"{secrets.token_hex(16)}.{extension}", ContentFile(scan.content), save=False)
        stored.save()
    path = (
        unit.path
        if unit is not None
        else (person.current_unit.path if person and person.current_unit else "")
    )
    log(
        "history.award_recorded",
        actor=actor,
        obj=record,
        unit_path=path,
        object_repr=f"{award_name(award_id)} {year} — {person or unit}",
        detail={
            "award": award_id,
            "year": year,
            "decided_on": decided_on.isoformat(),
            "decision_number": record.decision_number,
            "decided_by": record.decided_by,
            "received_at": record.received_at,
            "scan": scan.name if scan is not None else None,
        },
    )
    return record


# --- one initiative, discipline, leave or pending proceeding of a person ----------------------------
#
# Entered or corrected on the person's page by who manages the person's unit (`can_change_person`).
# The four kinds share one path (`save_person_record`): the actor's right checked once, then the kind's
# own checks (`_CHECKS`), the version the form was built from (`thidua.core.versioning`), one
# transaction and one audit entry naming the actor; a correction that changes nothing writes nothing.
# A deletion records its reason.
#
# Which dates may lie ahead (docs/import.md): only the end of something already under way, whose term
# was set when it began: a discipline's end of effect (NĐ 152/2025 Đ4 k4: achievements count from the
# end of the discipline period, set by the decision), a leave's end and a proceeding's conclusion. What
# starts a record is a fact that has happened: an initiative's year of recognition, a discipline's
# decision, the first day of a leave (the time rules count leave taken, not planned: NĐ 152/2025 Đ4 k5,
# TT 01/2024/TT-BNV) and the start of a proceeding.


def _day(value: date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else "—"


def describe_record(record: PersonRecord) -> str:
    """The record in words, for audit entries and confirmations."""
    if isinstance(record, Initiative):
        used = f", đã dùng để khen {_used_for_text(record.used_for)}" if record.used_for else ""
        return (
            f"{record.get_kind_display()} {record.code} «{record.title}», năm {record.year}, "
            f"phạm vi {record.get_scope_display()}{used}"
        )
    if isinstance(record, Discipline):
        number = f", số {record.decision_number}" if record.decision_number else ""
        return (
            f"{record.get_form_display()}, quyết định ngày {_day(record.decided_on)}{number}, "
            f"hết hiệu lực {_day(record.until)}"
        )
    if isinstance(record, Leave):
        return f"{record.get_reason_display()} từ {_day(record.started_on)} đến {_day(record.ended_on)}"
    return f"{record.get_kind_display()} từ {_day(record.since)}, kết thúc {_day(record.until)}"


def _used_for_text(used_for: str) -> str:
    award_id, _, year = used_for.partition(":")
    return f"{award_name(award_id)} {year}".strip()


def _check_person_write(actor: User | None, person: Person) -> None:
    if actor is None or not can_change_person(actor, person):
        raise PermissionDenied("Bạn không có quyền sửa lịch sử thi đua, khen thưởng của người này")


def _check_day(value: date | None, field: str, label: str, *, future: bool = False) -> None:
    if value is None:
        return
    if value.year < EARLIEST_YEAR:
        raise DomainError(f"{label} phải từ năm {EARLIEST_YEAR}", field=field)
    if not future and value > date.today():
        raise DomainError(f"{label} ở tương lai", field=field)


def _check_order(start: date, end: date | None, field: str, message: str) -> None:
    if end is not None and end < start:
        raise DomainError(message, field=field)


def _check_used_for(used_for: str) -> str:
    used_for = used_for.strip()
    if not used_for:
        return ""
    try:
        USED_FOR_VALIDATOR(used_for)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], field="used_for") from exc
    award_id, _, year = used_for.partition(":")
    if award_id not in known_awards():
        raise DomainError(f"Không có danh hiệu, hình thức khen thưởng «{award_id}»", field="used_for")
    if year and not EARLIEST_YEAR <= int(year) <= date.today().year:
        raise DomainError(f"Năm khen phải từ {EARLIEST_YEAR} đến {date.today().year}", field="used_for")
    return used_for


# Each kind's own checks: (the person, the record being corrected or None, the fields) -> the values to
# write, or a DomainError on the field at fault.


def _initiative_values(
    person: Person,
    record: Initiative | None,
    *,
    kind: str = Initiative.Kind.INITIATIVE,
    code: str,
    title: str,
    year: int,
    scope: str,
    used_for: str = "",
) -> dict[str, Any]:
    """An initiative or research work: a code no other initiative has, a year not in the future, a
    known scope, `used_for` a known award id (optionally `:year`)."""
    code, title = code.strip(), title.strip()
    if kind not in Initiative.Kind.values:
        raise DomainError("Loại không hợp lệ", field="kind")
    if not code:
        raise DomainError("Cần nhập mã sáng kiến", field="code")
    if len(code) > 40:
        raise DomainError("Mã sáng kiến dài quá 40 ký tự", field="code")
    if not title:
        raise DomainError("Cần nhập tên sáng kiến", field="title")
    if not EARLIEST_YEAR <= year <= date.today().year:
        raise DomainError(f"Năm công nhận phải từ {EARLIEST_YEAR} đến {date.today().year}", field="year")
    if scope not in Initiative.Scope.values:
        raise DomainError("Phạm vi không hợp lệ", field="scope")
    used_for = _check_used_for(used_for)
    same = Initiative.objects.filter(code__iexact=code)
    if record is not None:
        same = same.exclude(pk=record.pk)
    if same.exists():
        raise DomainError(f"Mã sáng kiến {code} đã có trong hệ thống: mỗi sáng kiến một mã", field="code")
    return {
        "kind": kind,
        "code": code,
        "title": title[:255],
        "year": year,
        "scope": scope,
        "used_for": used_for,
    }


def _discipline_values(
    person: Person,
    record: Discipline | None,
    *,
    form: str,
    decided_on: date,
    until: date | None = None,
    decision_number: str = "",
) -> dict[str, Any]:
    """A disciplinary measure: decided not in the future, its effect ending (that may be ahead) on or
    after the decision."""
    if form not in Discipline.Form.values:
        raise DomainError("Hình thức kỷ luật không hợp lệ", field="form")
    _check_day(decided_on, "decided_on", "Ngày quyết định")
    _check_day(until, "until", "Ngày hết hiệu lực", future=True)
    _check_order(decided_on, until, "until", "Ngày hết hiệu lực trước ngày quyết định kỷ luật")
    number = decision_number.strip()
    if len(number) > 60:
        raise DomainError("Số quyết định dài quá 60 ký tự", field="decision_number")
    return {"form": form, "decided_on": decided_on, "until": until, "decision_number": number}


def _leave_values(
    person: Person, record: Leave | None, *, reason: str, started_on: date, ended_on: date
) -> dict[str, Any]:
    """A leave period: begun (not in the future), ending (that may be ahead) on or after its start and
    overlapping no other leave of the person."""
    if reason not in Leave.Reason.values:
        raise DomainError("Lý do nghỉ không hợp lệ", field="reason")
    _check_day(started_on, "started_on", "Ngày bắt đầu nghỉ")
    _check_day(ended_on, "ended_on", "Ngày kết thúc nghỉ", future=True)
    _check_order(started_on, ended_on, "ended_on", "Ngày kết thúc nghỉ trước ngày bắt đầu")
    overlapping = Leave.objects.filter(person=person, started_on__lte=ended_on, ended_on__gte=started_on)
    if record is not None:
        overlapping = overlapping.exclude(pk=record.pk)
    other = overlapping.order_by("started_on").first()
    if other is not None:
        raise DomainError(f"Trùng với thời gian nghỉ đã có: {describe_record(other)}", field="started_on")
    return {"reason": reason, "started_on": started_on, "ended_on": ended_on}


def _proceeding_values(
    person: Person, record: PendingProceeding | None, *, kind: str, since: date, until: date | None = None
) -> dict[str, Any]:
    """A pending proceeding (discipline being considered, investigation, complaint): begun not in the
    future, concluded (if it is) on or after it began."""
    if kind not in PendingProceeding.Kind.values:
        raise DomainError("Loại việc không hợp lệ", field="kind")
    _check_day(since, "since", "Ngày bắt đầu xem xét")
    _check_day(until, "until", "Ngày kết thúc", future=True)
    _check_order(since, until, "until", "Ngày kết thúc trước ngày bắt đầu xem xét")
    return {"kind": kind, "since": since, "until": until}


_CHECKS: dict[RecordKind[Any], Callable[..., dict[str, Any]]] = {
    INITIATIVE: _initiative_values,
    DISCIPLINE: _discipline_values,
    LEAVE: _leave_values,
    PROCEEDING: _proceeding_values,
}


@transaction.atomic
def save_person_record(
    kind: RecordKind[R],
    /,
    *,
    actor: User | None,
    person: Person,
    record: R | None = None,
    seen_version: int | None = None,
    **fields: Any,
) -> R:
    """Enter (`record` None) or correct one record of `kind` for `person`, with the kind's own fields.

    Refuses (nothing written, no audit entry): an actor who may not change the person
    (`PermissionDenied`); values the kind's checks refuse, a record of another person, one deleted
    meanwhile, and a form built from another version than the current one (`DomainError`). A correction
    that changes nothing keeps the version and writes no audit entry. One `history.<action>_recorded` /
    `_changed` audit entry (with the changes, before → after)."""
    if record is not None and not isinstance(record, kind.model):  # another table's row of the same id
        raise TypeError(f"save_person_record: {type(record).__name__} is not a {kind.model.__name__}")
    _check_person_write(actor, person)
    existing = record if record is not None and record.pk is not None else None
    if existing is not None and existing.person_id != person.pk:
        raise DomainError(f"{kind.title} không thuộc {person}")
    values = _CHECKS[kind](person, existing, **fields)
    what = f"{kind.title} này"
    unit_path = person.current_unit.path if person.current_unit else ""
    object_repr = f"{kind.title} — {person.full_name}"[:255]
    if existing is None:
        check_version(0, seen_version, what=what)
        created = kind.model(person=person, **values)
        created.save()
        log(
            f"history.{kind.action}_recorded",
            actor=actor,
            obj=created,
            unit_path=unit_path,
            object_repr=object_repr,
            detail={"person": person.full_name, "description": describe_record(created)},
        )
        return created
    locked = kind.model.objects.select_for_update().filter(pk=existing.pk).first()
    if locked is None:
        raise DomainError(f"{what} đã bị xoá")
    if locked.person_id != person.pk:
        raise DomainError(f"{kind.title} không thuộc {person}")
    check_version(locked.version, seen_version, what=what)
    before = describe_record(locked)
    changes: dict[str, list[Any]] = {}
    for name, value in values.items():
        old = getattr(locked, name)
        if old != value:
            field: Any = kind.model._meta.get_field(name)
            changes[str(field.verbose_name)] = [_audit_value(field, old), _audit_value(field, value)]
    if not changes:
        return locked
    for name, value in values.items():
        setattr(locked, name, value)
    bump(locked)
    locked.save()
    log(
        f"history.{kind.action}_changed",
        actor=actor,
        obj=locked,
        unit_path=unit_path,
        object_repr=object_repr,
        detail={"person": person.full_name, "description": before, "changes": changes},
    )
    return locked


def _audit_value(field: Any, value: Any) -> Any:
    """A value as the audit log shows it: a choice by its label, a date as ISO (shown dd/mm/yyyy)."""
    if isinstance(value, date):
        return value.isoformat()
    if field.choices and value:
        return str(dict(field.flatchoices).get(value, value))
    return value


@transaction.atomic
def delete_person_record(
    *, actor: User | None, record: PersonRecord, reason: str, seen_version: int | None = None
) -> None:
    """Delete one initiative, discipline, leave or pending proceeding of a person, with the reason
    why (required). One `history.<kind>_deleted` audit entry holding what was deleted and the reason."""
    kind = kind_of(record)
    what = f"{kind.title} này"
    person = record.person
    if person is None:
        raise DomainError(f"{what} không thuộc một cá nhân")
    _check_person_write(actor, person)
    reason = reason.strip()
    if not reason:
        raise DomainError("Cần ghi lý do xoá", field="reason")
    locked = kind.model.objects.select_for_update().filter(pk=record.pk).first()
    if locked is None:
        raise DomainError(f"{what} đã bị xoá")
    check_version(locked.version, seen_version, what=what)
    description = describe_record(locked)
    locked.delete()
    log(
        f"history.{kind.action}_deleted",
        actor=actor,
        unit_path=person.current_unit.path if person.current_unit else "",
        object_repr=f"{kind.title} — {person.full_name}"[:255],
        detail={"person": person.full_name, "description": description, "reason": reason[:500]},
    )
