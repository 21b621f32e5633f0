"""The services behind a person's initiatives, discipline, leave and pending proceedings, called
directly (the pages are in test_person_records.py): their own refusals write nothing and log nothing;
a correction that changes nothing keeps the version and logs nothing; which dates may lie ahead."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from thidua.audit.models import AuditEntry
from thidua.core.errors import DomainError
from thidua.history.kinds import DISCIPLINE, INITIATIVE, LEAVE, PROCEEDING, RecordKind
from thidua.history.models import Discipline, Initiative, Leave, PendingProceeding
from thidua.history.services import delete_person_record, save_person_record
from thidua.org import permissions

pytestmark = pytest.mark.django_db

# For each kind: fields of a valid record, and a correction of one of them.
VALID: list[tuple[RecordKind[Any], dict[str, Any], dict[str, Any]]] = [
    (
        INITIATIVE,
        {"kind": "initiative", "code": "SK-1", "title": "Số hoá hồ sơ", "year": 2024, "scope": "co_so"},
        {"title": "Số hoá hồ sơ thu"},
    ),
    (
        DISCIPLINE,
        {"form": "khien_trach", "decided_on": date(2024, 3, 1), "until": date(2025, 3, 1)},
        {"form": "canh_cao"},
    ),
    (
        LEAVE,
        {"reason": "thai_san", "started_on": date(2024, 3, 1), "ended_on": date(2024, 8, 31)},
        {"ended_on": date(2024, 9, 30)},
    ),
    (PROCEEDING, {"kind": "investigation", "since": date(2025, 2, 1)}, {"until": date(2025, 4, 1)}),
]
IDS = [kind.slug for kind, _, _ in VALID]


def _nothing_logged() -> bool:
    return not AuditEntry.objects.filter(action__startswith="history.").exists()


@pytest.mark.parametrize(("kind", "fields", "change"), VALID, ids=IDS)
def test_who_may_not_change_the_person_is_refused_in_vietnamese_and_nothing_is_written(
    org: SimpleNamespace,
    personas: SimpleNamespace,
    kind: RecordKind[Any],
    fields: dict[str, Any],
    change: Any,
) -> None:
    # an officer of another province, a staff member (even about themselves) and no user at all
    for actor in (personas.outsider_officer, personas.staff, None):
        with pytest.raises(PermissionDenied, match="Bạn không có quyền sửa lịch sử thi đua"):
            save_person_record(kind, actor=actor, person=org.an, **fields)
    record = save_person_record(kind, actor=personas.officer, person=org.an, **fields)
    AuditEntry.objects.all().delete()
    with pytest.raises(PermissionDenied):
        save_person_record(
            kind,
            actor=personas.outsider_officer,
            person=org.an,
            record=record,
            seen_version=1,
            **fields | change,
        )
    with pytest.raises(PermissionDenied):
        delete_person_record(actor=personas.staff, record=record, reason="Nhập nhầm", seen_version=1)
    stored = kind.model.objects.get()
    assert stored.version == 1 and all(getattr(stored, k) == v for k, v in fields.items())
    assert _nothing_logged()


@pytest.mark.parametrize(("kind", "fields", "change"), VALID, ids=IDS)
def test_a_record_of_another_person_is_refused(
    org: SimpleNamespace,
    personas: SimpleNamespace,
    kind: RecordKind[Any],
    fields: dict[str, Any],
    change: Any,
) -> None:
    """The officer manages both people: the record of Bình is not corrected through An's page."""
    record = save_person_record(kind, actor=personas.officer, person=org.binh, **fields)
    AuditEntry.objects.all().delete()
    with pytest.raises(DomainError, match=f"{kind.title} không thuộc Nguyễn Văn An"):
        save_person_record(
            kind, actor=personas.officer, person=org.an, record=record, seen_version=1, **fields | change
        )
    stored = kind.model.objects.get()
    assert stored.person_id == org.binh.pk and stored.version == 1
    assert _nothing_logged()


@pytest.mark.parametrize(("kind", "fields", "change"), VALID, ids=IDS)
def test_a_stale_version_is_refused_and_writes_nothing(
    org: SimpleNamespace,
    personas: SimpleNamespace,
    kind: RecordKind[Any],
    fields: dict[str, Any],
    change: Any,
) -> None:
    officer = personas.officer
    record = save_person_record(kind, actor=officer, person=org.an, **fields)
    save_person_record(kind, actor=officer, person=org.an, record=record, seen_version=1, **fields | change)
    AuditEntry.objects.all().delete()
    with pytest.raises(DomainError, match="Hãy tải lại trang") as stale:
        save_person_record(kind, actor=officer, person=org.an, record=record, seen_version=1, **fields)
    assert stale.value.field == "version"
    with pytest.raises(DomainError, match="Hãy tải lại trang"):
        delete_person_record(actor=officer, record=record, reason="Nhập nhầm", seen_version=1)
    stored = kind.model.objects.get()
    assert stored.version == 2 and all(getattr(stored, k) == v for k, v in change.items())
    assert _nothing_logged()


@pytest.mark.parametrize(("kind", "fields", "change"), VALID, ids=IDS)
def test_a_record_deleted_meanwhile_is_not_written_again(
    org: SimpleNamespace,
    personas: SimpleNamespace,
    kind: RecordKind[Any],
    fields: dict[str, Any],
    change: Any,
) -> None:
    record = save_person_record(kind, actor=personas.officer, person=org.an, **fields)
    kind.model.objects.all().delete()
    AuditEntry.objects.all().delete()
    with pytest.raises(DomainError, match=f"{kind.title} này đã bị xoá"):
        save_person_record(
            kind, actor=personas.officer, person=org.an, record=record, seen_version=1, **fields | change
        )
    with pytest.raises(DomainError, match=f"{kind.title} này đã bị xoá"):
        delete_person_record(actor=personas.officer, record=record, reason="Trùng", seen_version=1)
    assert not kind.model.objects.exists() and _nothing_logged()


@pytest.mark.parametrize(("kind", "fields", "change"), VALID, ids=IDS)
def test_a_correction_that_changes_nothing_keeps_the_version_and_logs_nothing(
    org: SimpleNamespace,
    personas: SimpleNamespace,
    kind: RecordKind[Any],
    fields: dict[str, Any],
    change: Any,
) -> None:
    record = save_person_record(kind, actor=personas.officer, person=org.an, **fields)
    assert AuditEntry.objects.filter(action=f"history.{kind.action}_recorded").count() == 1
    updated_at = kind.model.objects.get().updated_at
    again = save_person_record(
        kind, actor=personas.officer, person=org.an, record=record, seen_version=1, **fields
    )
    stored = kind.model.objects.get()
    assert again.pk == record.pk and (stored.version, stored.updated_at) == (1, updated_at)
    assert not AuditEntry.objects.filter(action=f"history.{kind.action}_changed").exists()
    # the same form sent again with a change is then accepted (its version is still current)
    save_person_record(
        kind, actor=personas.officer, person=org.an, record=record, seen_version=1, **fields | change
    )
    assert kind.model.objects.get().version == 2
    assert AuditEntry.objects.filter(action=f"history.{kind.action}_changed").count() == 1


@pytest.mark.parametrize(("kind", "fields", "change"), VALID, ids=IDS)
def test_the_actor_s_right_is_checked_once_per_write(
    org: SimpleNamespace,
    personas: SimpleNamespace,
    monkeypatch: pytest.MonkeyPatch,
    kind: RecordKind[Any],
    fields: dict[str, Any],
    change: Any,
) -> None:
    calls: list[Any] = []
    real = permissions.can_change_person

    def counted(actor: Any, person: Any) -> bool:
        calls.append(person)
        return real(actor, person)

    monkeypatch.setattr("thidua.history.services.can_change_person", counted)
    record = save_person_record(kind, actor=personas.officer, person=org.an, **fields)
    assert calls == [org.an]
    save_person_record(
        kind, actor=personas.officer, person=org.an, record=record, seen_version=1, **fields | change
    )
    assert calls == [org.an, org.an]


def test_each_kind_writes_its_own_model_and_audit_actions(
    org: SimpleNamespace, personas: SimpleNamespace
) -> None:
    officer, an = personas.officer, org.an
    initiative = save_person_record(
        INITIATIVE, actor=officer, person=an, code="SK-7", title="A", year=2024, scope="co_so"
    )
    discipline = save_person_record(
        DISCIPLINE, actor=officer, person=an, form="khien_trach", decided_on=date(2024, 1, 5)
    )
    leave = save_person_record(
        LEAVE, actor=officer, person=an, reason="benh", started_on=date(2024, 2, 1), ended_on=date(2024, 2, 9)
    )
    proceeding = save_person_record(
        PROCEEDING, actor=officer, person=an, kind="complaint", since=date(2025, 1, 2)
    )
    assert isinstance(initiative, Initiative) and isinstance(discipline, Discipline)
    assert isinstance(leave, Leave) and isinstance(proceeding, PendingProceeding)
    save_person_record(
        LEAVE,
        actor=officer,
        person=an,
        record=leave,
        seen_version=1,
        reason="benh",
        started_on=date(2024, 2, 1),
        ended_on=date(2024, 2, 10),
    )
    leave.refresh_from_db()
    assert (leave.ended_on, leave.version) == (date(2024, 2, 10), 2)
    actions = set(AuditEntry.objects.filter(action__startswith="history.").values_list("action", flat=True))
    assert actions == {
        "history.initiative_recorded",
        "history.discipline_recorded",
        "history.leave_recorded",
        "history.proceeding_recorded",
        "history.leave_changed",
    }


# --- which dates may lie ahead ----------------------------------------------------------------------
#
# What starts a record has happened: an initiative recognised, a discipline decided, a leave begun, a
# proceeding opened. Only the end of something under way, set when it began, may be ahead: the end of a
# discipline's effect (achievements count from it, NĐ 152/2025 Đ4 k4), the end of a leave (the time
# rules count leave taken, maternity as working time, NĐ 152/2025 Đ4 k5), a proceeding's conclusion
# (a proceeding stays open until that day). docs/import.md says the same.

AHEAD = date.today() + timedelta(days=10)
NEXT_YEAR = date.today().year + 1
DATES = [
    (INITIATIVE, {"year": NEXT_YEAR}, "Năm công nhận phải từ 1950 đến"),
    (DISCIPLINE, {"decided_on": AHEAD, "until": AHEAD + timedelta(days=365)}, "Ngày quyết định ở tương lai"),
    (DISCIPLINE, {"until": AHEAD}, None),
    (LEAVE, {"started_on": AHEAD, "ended_on": AHEAD + timedelta(days=180)}, "Ngày bắt đầu nghỉ ở tương lai"),
    (LEAVE, {"started_on": date.today(), "ended_on": AHEAD}, None),
    (PROCEEDING, {"since": AHEAD}, "Ngày bắt đầu xem xét ở tương lai"),
    (PROCEEDING, {"until": AHEAD}, None),
]


@pytest.mark.parametrize(
    ("kind", "dates", "refusal"),
    DATES,
    ids=[
        "initiative-year",
        "discipline-decided",
        "discipline-until",
        "leave-start",
        "leave-end",
        "proceeding-since",
        "proceeding-until",
    ],
)
def test_only_the_end_of_what_is_under_way_may_lie_ahead(
    org: SimpleNamespace,
    personas: SimpleNamespace,
    kind: RecordKind[Any],
    dates: dict[str, Any],
    refusal: str | None,
) -> None:
    fields = next(f for k, f, _ in VALID if k is kind) | dates
    if refusal is None:
        record = save_person_record(kind, actor=personas.officer, person=org.an, **fields)
        assert all(getattr(record, k) == v for k, v in dates.items())
        return
    with pytest.raises(DomainError, match=refusal) as refused:
        save_person_record(kind, actor=personas.officer, person=org.an, **fields)
    assert refused.value.field in dates
    assert not kind.model.objects.exists() and _nothing_logged()
