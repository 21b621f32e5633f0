"""Writing the past: the checked rows of a history import, and one past award with its scanned decision.

Both check the actor's rights themselves, run in one transaction and write one audit entry.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from thidua.accounts.models import User
from thidua.audit.services import log
from thidua.core.db import analyze_after_commit
from thidua.core.errors import DomainError
from thidua.history.importing import SPECS, Write
from thidua.history.models import AwardRecord, DecisionScan, Discipline, Initiative, PendingProceeding, Rating
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
MAX_SCAN_BYTES = 10 * 1024 * 1024
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
    for w in updates:
        model.objects.filter(pk=w.pk).update(**w.values, updated_at=now)
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
    if not 1950 <= year <= today.year:
        raise DomainError(f"Năm thành tích phải từ 1950 đến {today.year}", field="year")
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
