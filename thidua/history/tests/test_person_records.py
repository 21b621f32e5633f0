"""GIVEN an officer who manages a person's unit WHEN they enter, correct or delete one initiative,
discipline, leave or pending proceeding on the person's page THEN the record is written, the audit
entry names the officer (and, for a deletion, the reason) and the person's eligibility reads it at
once; bad input is a Vietnamese error next to the field and writes nothing; an officer of another
province gets 404 and a staff member 403, nothing written; a stale form is refused."""

from __future__ import annotations

import html
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from thidua.audit.models import AuditEntry
from thidua.eligibility import adapters
from thidua.eligibility.services import evaluate_person
from thidua.history.kinds import INITIATIVE
from thidua.history.models import Discipline, Initiative, Leave, PendingProceeding, Rating
from thidua.history.services import save_person_record

pytestmark = pytest.mark.django_db

PAGE = "/to-chuc/nhan-su/{pk}/"
ADD = "/lich-su/nhan-su/{pk}/{kind}/them/"
EDIT = "/lich-su/{kind}/{pk}/sua/"
DELETE = "/lich-su/{kind}/{pk}/xoa/"


def _verdicts(person: Any, year: int = 2025) -> dict[str, str]:
    result = evaluate_person(actor=None, person=person, year=year, store=False)
    return {r["id"]: r["verdict"] for r in result["results"]}


def _text(response: Any) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def rated(org: SimpleNamespace) -> SimpleNamespace:
    """An rated HTT in 2025: Lao động tiên tiến, but Chiến sĩ thi đua cơ sở only with an initiative."""
    Rating.objects.create(person=org.an, year=2025, value="hoan_thanh_tot")
    return org


def test_an_officer_adds_corrects_and_deletes_an_initiative_and_eligibility_follows(
    rated: SimpleNamespace, personas: SimpleNamespace, client_for: Any
) -> None:
    an, client = rated.an, client_for(personas.officer)
    assert _verdicts(an)["chien_si_thi_dua_co_so"] == "not_eligible"
    page = _text(client.get(PAGE.format(pk=an.pk)))
    for label in ("Thêm sáng kiến", "Thêm kỷ luật", "Thêm thời gian nghỉ", "Thêm việc đang xem xét"):
        assert label in page

    form = client.get(ADD.format(pk=an.pk, kind="sang-kien"))
    assert form.status_code == 200 and "Mã sáng kiến" in _text(form)
    response = client.post(
        ADD.format(pk=an.pk, kind="sang-kien"),
        {
            "kind": "initiative",
            "code": "SK-2025-07",
            "title": "Đối soát dữ liệu thu tự động",
            "year": "2025",
            "scope": "co_so",
            "used_for": "",
            "version": "0",
        },
    )
    assert response.status_code == 302 and response["Location"] == f"/to-chuc/nhan-su/{an.pk}/#lich-su"
    initiative = Initiative.objects.get(person=an)
    assert (initiative.code, initiative.scope, initiative.version) == ("SK-2025-07", "co_so", 1)
    assert _verdicts(an)["chien_si_thi_dua_co_so"] == "eligible"
    entry = AuditEntry.objects.get(action="history.initiative_recorded")
    assert entry.actor == personas.officer and "SK-2025-07" in entry.detail["description"]
    assert entry.unit_path == an.current_unit.path

    edit = client.get(EDIT.format(kind="sang-kien", pk=initiative.pk))
    assert edit.status_code == 200 and 'value="SK-2025-07"' in edit.content.decode()
    response = client.post(
        EDIT.format(kind="sang-kien", pk=initiative.pk),
        {
            "kind": "initiative",
            "code": "SK-2025-07",
            "title": "Đối soát dữ liệu thu tự động",
            "year": "2025",
            "scope": "co_so",
            "used_for": "chien_si_thi_dua_co_so:2024",
            "version": "1",
        },
    )
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.used_for == "chien_si_thi_dua_co_so:2024" and initiative.version == 2
    assert _verdicts(an)["chien_si_thi_dua_co_so"] == "not_eligible"  # used once already
    changed = AuditEntry.objects.get(action="history.initiative_changed")
    assert changed.actor == personas.officer
    assert changed.detail["changes"] == {"đã dùng để khen": ["", "chien_si_thi_dua_co_so:2024"]}

    confirm = client.get(DELETE.format(kind="sang-kien", pk=initiative.pk))
    assert confirm.status_code == 200 and "Lý do xoá" in _text(confirm) and "SK-2025-07" in _text(confirm)
    no_reason = client.post(DELETE.format(kind="sang-kien", pk=initiative.pk), {"version": "2"})
    assert no_reason.status_code == 400 and "Cần ghi lý do xoá" in _text(no_reason)
    assert Initiative.objects.filter(pk=initiative.pk).exists()
    response = client.post(
        DELETE.format(kind="sang-kien", pk=initiative.pk), {"reason": "Nhập nhầm người", "version": "2"}
    )
    assert response.status_code == 302 and not Initiative.objects.exists()
    deleted = AuditEntry.objects.get(action="history.initiative_deleted")
    assert deleted.actor == personas.officer and deleted.detail["reason"] == "Nhập nhầm người"
    assert "SK-2025-07" in deleted.detail["description"]


def test_a_discipline_entered_with_dd_mm_yyyy_masks_the_titles_until_deleted(
    rated: SimpleNamespace, personas: SimpleNamespace, client_for: Any
) -> None:
    an, client = rated.an, client_for(personas.officer)
    assert _verdicts(an)["lao_dong_tien_tien"] == "eligible"
    response = client.post(
        ADD.format(pk=an.pk, kind="ky-luat"),
        {
            "form": "khien_trach",
            "decision_number": "45/QĐ-BHXH",
            "decided_on": "01/06/2025",
            "until": "01/06/2026",
            "version": "0",
        },
    )
    assert response.status_code == 302
    discipline = Discipline.objects.get(person=an)
    assert (discipline.decided_on, discipline.until) == (date(2025, 6, 1), date(2026, 6, 1))
    assert discipline.decision_number == "45/QĐ-BHXH"
    assert _verdicts(an)["lao_dong_tien_tien"] == "not_eligible"
    page = _text(client.get(PAGE.format(pk=an.pk)))
    assert "Khiển trách" in page and "Số 45/QĐ-BHXH" in page and "01/06/2025" in page

    response = client.post(
        EDIT.format(kind="ky-luat", pk=discipline.pk),
        {"form": "canh_cao", "decision_number": "45/QĐ-BHXH", "decided_on": "2025-06-01", "version": "1"},
    )
    assert response.status_code == 302
    discipline.refresh_from_db()
    assert (discipline.form, discipline.until) == ("canh_cao", None)
    changes = AuditEntry.objects.get(action="history.discipline_changed").detail["changes"]
    assert changes["hình thức"] == ["Khiển trách", "Cảnh cáo"]
    assert changes["hết hiệu lực"] == ["2026-06-01", None]

    client.post(
        DELETE.format(kind="ky-luat", pk=discipline.pk), {"reason": "Quyết định bị huỷ", "version": "2"}
    )
    assert not Discipline.objects.exists()
    assert _verdicts(an)["lao_dong_tien_tien"] == "eligible"
    assert AuditEntry.objects.get(action="history.discipline_deleted").actor == personas.officer


def test_a_pending_proceeding_defers_and_its_end_releases(
    rated: SimpleNamespace, personas: SimpleNamespace, client_for: Any
) -> None:
    an, client = rated.an, client_for(personas.officer)
    response = client.post(
        ADD.format(pk=an.pk, kind="xem-xet"),
        {"kind": "discipline", "since": "01/11/2025", "until": "", "version": "0"},
    )
    assert response.status_code == 302
    proceeding = PendingProceeding.objects.get(person=an)
    assert _verdicts(an)["lao_dong_tien_tien"] == "deferred"
    assert "Đang xem xét kỷ luật" in _text(client.get(PAGE.format(pk=an.pk)))

    response = client.post(
        EDIT.format(kind="xem-xet", pk=proceeding.pk),
        {"kind": "discipline", "since": "01/11/2025", "until": "20/11/2025", "version": "1"},
    )
    assert response.status_code == 302
    assert _verdicts(an)["lao_dong_tien_tien"] == "eligible"
    assert AuditEntry.objects.get(action="history.proceeding_changed").actor == personas.officer
    client.post(DELETE.format(kind="xem-xet", pk=proceeding.pk), {"reason": "Nhập trùng", "version": "2"})
    assert not PendingProceeding.objects.exists()


def test_a_leave_is_entered_corrected_and_deleted_and_reaches_the_case(
    org: SimpleNamespace, personas: SimpleNamespace, client_for: Any
) -> None:
    an, client = org.an, client_for(personas.officer)
    response = client.post(
        ADD.format(pk=an.pk, kind="nghi"),
        {"reason": "thai_san", "started_on": "01/03/2025", "ended_on": "31/08/2025", "version": "0"},
    )
    assert response.status_code == 302
    leave = Leave.objects.get(person=an)
    records = adapters.person_case(an, year=2025)["subject"]["records"]
    assert {"type": "leave", "from": "2025-03-01", "to": "2025-08-31", "reason": "thai_san"} in records

    response = client.post(
        EDIT.format(kind="nghi", pk=leave.pk),
        {"reason": "hoc_tap", "started_on": "01/03/2025", "ended_on": "30/09/2025", "version": "1"},
    )
    assert response.status_code == 302
    leave.refresh_from_db()
    assert (leave.reason, leave.ended_on) == ("hoc_tap", date(2025, 9, 30))
    overlapping = client.post(
        ADD.format(pk=an.pk, kind="nghi"),
        {"reason": "benh", "started_on": "15/09/2025", "ended_on": "20/10/2025", "version": "0"},
    )
    assert overlapping.status_code == 400 and "Trùng với thời gian nghỉ đã có" in _text(overlapping)
    client.post(DELETE.format(kind="nghi", pk=leave.pk), {"reason": "Sai người", "version": "2"})
    assert not Leave.objects.exists()
    assert AuditEntry.objects.get(action="history.leave_deleted").detail["reason"] == "Sai người"


BAD = [
    (
        "sang-kien",
        {"kind": "initiative", "code": "SK-9", "title": "X", "year": "2999", "scope": "co_so"},
        "Năm công nhận phải từ 1950 đến",
    ),
    (
        "sang-kien",
        {"kind": "initiative", "code": "SK-9", "title": "X", "year": "năm ngoái", "scope": "co_so"},
        "Năm phải là một số",
    ),
    (
        "sang-kien",
        {
            "kind": "initiative",
            "code": "SK-9",
            "title": "X",
            "year": "2024",
            "scope": "co_so",
            "used_for": "abc xyz",
        },
        "Ghi mã danh hiệu/hình thức",
    ),
    (
        "sang-kien",
        {
            "kind": "initiative",
            "code": "SK-9",
            "title": "X",
            "year": "2024",
            "scope": "co_so",
            "used_for": "khong_co",
        },
        "Không có danh hiệu, hình thức khen thưởng «khong_co»",
    ),
    (
        "sang-kien",
        {"kind": "initiative", "code": "", "title": "X", "year": "2024", "scope": "moon"},
        "Cần nhập mã",
    ),
    (
        "ky-luat",
        {"form": "khien_trach", "decided_on": "01/06/2025", "until": "01/01/2025"},
        "Ngày hết hiệu lực trước ngày quyết định kỷ luật",
    ),
    (
        "ky-luat",
        {"form": "khien_trach", "decided_on": "31/02/2025"},
        "Ngày không hợp lệ: ghi dạng dd/mm/yyyy",
    ),
    ("ky-luat", {"form": "treo_co", "decided_on": "01/06/2025"}, "Lựa chọn không hợp lệ"),
    ("ky-luat", {"form": "khien_trach", "decided_on": "FUTURE"}, "Ngày quyết định ở tương lai"),
    (
        "nghi",
        {"reason": "khac", "started_on": "10/05/2025", "ended_on": "09/05/2025"},
        "Ngày kết thúc nghỉ trước ngày bắt đầu",
    ),
    ("nghi", {"reason": "khac", "started_on": "10/05/1900", "ended_on": "09/05/2025"}, "phải từ năm 1950"),
    (
        "nghi",
        {"reason": "thai_san", "started_on": "FUTURE", "ended_on": "FUTURE"},
        "Ngày bắt đầu nghỉ ở tương lai",
    ),
    (
        "xem-xet",
        {"kind": "investigation", "since": "10/05/2025", "until": "01/05/2025"},
        "Ngày kết thúc trước ngày bắt đầu xem xét",
    ),
    ("xem-xet", {"kind": "investigation", "since": ""}, "Cần nhập ngày"),
]


@pytest.mark.parametrize(("kind", "data", "error"), BAD)
def test_bad_input_is_a_form_error_and_writes_nothing(
    org: SimpleNamespace,
    personas: SimpleNamespace,
    client_for: Any,
    kind: str,
    data: dict[str, str],
    error: str,
) -> None:
    future = (date.today() + timedelta(days=3)).strftime("%d/%m/%Y")
    data = {k: (future if v == "FUTURE" else v) for k, v in data.items()} | {"version": "0"}
    entries = AuditEntry.objects.count()
    response = client_for(personas.officer).post(ADD.format(pk=org.an.pk, kind=kind), data)
    assert response.status_code == 400
    page = _text(response)
    assert error in page
    assert 'class="errorlist' in page or 'role="alert"' in page
    for model in (Initiative, Discipline, Leave, PendingProceeding):
        assert not model.objects.exists()
    assert AuditEntry.objects.count() == entries


def test_a_duplicate_initiative_code_is_refused_next_to_the_code(
    org: SimpleNamespace, personas: SimpleNamespace, client_for: Any
) -> None:
    Initiative.objects.create(person=org.binh, code="SK-2024-01", title="Khác", year=2024, scope="co_so")
    response = client_for(personas.officer).post(
        ADD.format(pk=org.an.pk, kind="sang-kien"),
        {
            "kind": "initiative",
            "code": "sk-2024-01",
            "title": "Y",
            "year": "2024",
            "scope": "co_so",
            "version": "0",
        },
    )
    assert response.status_code == 400
    page = _text(response)
    code_row = page.split('for="id_code"', 1)[1].split('class="form-row', 1)[0]
    assert "Mã sáng kiến sk-2024-01 đã có trong hệ thống" in code_row
    assert Initiative.objects.count() == 1


def test_a_stale_form_is_refused(org: SimpleNamespace, personas: SimpleNamespace, client_for: Any) -> None:
    discipline = Discipline.objects.create(person=org.an, form="khien_trach", decided_on=date(2024, 3, 1))
    client = client_for(personas.officer)
    seen = {"form": "canh_cao", "decided_on": "01/03/2024", "version": "1"}
    assert client.post(EDIT.format(kind="ky-luat", pk=discipline.pk), seen).status_code == 302
    stale = client.post(EDIT.format(kind="ky-luat", pk=discipline.pk), seen | {"form": "khien_trach"})
    assert stale.status_code == 400 and "đã được người khác cập nhật" in _text(stale)
    stale_delete = client.post(
        DELETE.format(kind="ky-luat", pk=discipline.pk), {"reason": "x", "version": "1"}
    )
    assert stale_delete.status_code == 400
    discipline.refresh_from_db()
    assert (discipline.form, discipline.version) == ("canh_cao", 2)


def test_others_are_refused_and_nothing_is_written(
    org: SimpleNamespace, personas: SimpleNamespace, client_for: Any
) -> None:
    initiative = Initiative.objects.create(person=org.an, code="SK-1", title="A", year=2024, scope="co_so")
    leave = Leave.objects.create(
        person=org.an, reason="benh", started_on=date(2024, 1, 2), ended_on=date(2024, 1, 20)
    )
    good = {
        "kind": "initiative",
        "code": "SK-2",
        "title": "B",
        "year": "2024",
        "scope": "co_so",
        "version": "0",
    }
    outsider, staff = client_for(personas.outsider_officer), client_for(personas.staff)
    entries = AuditEntry.objects.count()
    assert outsider.post(ADD.format(pk=org.an.pk, kind="sang-kien"), good).status_code == 404
    assert outsider.get(EDIT.format(kind="sang-kien", pk=initiative.pk)).status_code == 404
    assert (
        outsider.post(DELETE.format(kind="nghi", pk=leave.pk), {"reason": "x", "version": "1"}).status_code
        == 404
    )
    assert staff.post(ADD.format(pk=org.an.pk, kind="sang-kien"), good).status_code == 403
    assert (
        staff.post(DELETE.format(kind="nghi", pk=leave.pk), {"reason": "x", "version": "1"}).status_code
        == 403
    )
    assert client_for(personas.officer).get(ADD.format(pk=org.an.pk, kind="khong-co")).status_code == 404
    assert list(Initiative.objects.values_list("code", flat=True)) == ["SK-1"]
    assert Leave.objects.count() == 1 and AuditEntry.objects.count() == entries
    with pytest.raises(PermissionDenied):
        save_person_record(
            INITIATIVE,
            actor=personas.outsider_officer,
            person=org.an,
            code="SK-3",
            title="C",
            year=2024,
            scope="co_so",
        )
    assert Initiative.objects.count() == 1


def test_staff_see_their_records_read_only(
    org: SimpleNamespace, personas: SimpleNamespace, client_for: Any
) -> None:
    Initiative.objects.create(person=org.an, code="SK-1", title="Số hóa hồ sơ", year=2024, scope="co_so")
    PendingProceeding.objects.create(person=org.an, kind="investigation", since=date(2025, 2, 1))
    page = _text(client_for(personas.staff).get(PAGE.format(pk=org.an.pk)))
    assert "Số hóa hồ sơ" in page and "Đang điều tra, thanh tra, kiểm tra" in page
    assert "Thêm sáng kiến" not in page and "/sua/" not in page and "/xoa/" not in page


def test_a_correction_by_import_makes_an_open_form_stale(
    org: SimpleNamespace, personas: SimpleNamespace, client_for: Any
) -> None:
    from thidua.history.importing import Write
    from thidua.history.services import write_history

    discipline = Discipline.objects.create(person=org.an, form="khien_trach", decided_on=date(2024, 3, 1))
    write_history("disciplines", [Write("update", {"until": date(2025, 3, 1)}, discipline.pk)], actor=None)
    discipline.refresh_from_db()
    assert discipline.version == 2
    stale = client_for(personas.officer).post(
        EDIT.format(kind="ky-luat", pk=discipline.pk),
        {"form": "canh_cao", "decided_on": "01/03/2024", "version": "1"},
    )
    assert stale.status_code == 400 and "Hãy tải lại trang" in _text(stale)
    discipline.refresh_from_db()
    assert discipline.form == "khien_trach"


def test_a_date_typed_dd_mm_yyyy_is_kept_in_the_picker_when_another_field_is_wrong(
    org: SimpleNamespace, personas: SimpleNamespace, client_for: Any
) -> None:
    response = client_for(personas.officer).post(
        ADD.format(pk=org.an.pk, kind="ky-luat"),
        {"form": "khien_trach", "decided_on": "01/06/2025", "until": "01/01/2025", "version": "0"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'name="decided_on" value="2025-06-01"' in page and 'name="until" value="2025-01-01"' in page
