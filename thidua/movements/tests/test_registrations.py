from datetime import date
from io import BytesIO
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from thidua.audit.models import AuditEntry
from thidua.core.errors import DomainError
from thidua.movements import services
from thidua.movements.models import Milestone, Registration
from thidua.movements.tests.samples import YEAR

pytestmark = pytest.mark.django_db
pytest_plugins = ["thidua.movements.tests.fixtures"]


def _register(client: Any, movement: Any, unit: Any, **extra: Any) -> Any:
    data = {
        "target:I.1": "100",
        "unit_titles": ["tap_the_lao_dong_xuat_sac"],
        "people:chien_si_thi_dua_co_so": "3",
    }
    data.update(extra)
    return client.post(f"/phong-trao/{movement.pk}/dang-ky/{YEAR}/don-vi/{unit.pk}/", data)


def test_a_unit_registers_targets_and_titles_and_submits(client_for, personas, org, running):
    response = _register(client_for(personas.officer), running, org.a, submit="1")
    assert response.status_code == 302
    registration = Registration.objects.get(unit=org.a)
    assert registration.status == Registration.Status.SUBMITTED
    assert registration.targets == {"I.1": 100}
    assert {"award": "tap_the_lao_dong_xuat_sac", "subject": "unit", "count": 1} in registration.titles
    assert {"award": "chien_si_thi_dua_co_so", "subject": "ca_nhan", "count": 3} in registration.titles
    assert AuditEntry.objects.filter(action="registration.submitted", actor=personas.officer).exists()


def test_it_refuses_a_target_for_an_unknown_criterion(personas, org, running):
    with pytest.raises(DomainError, match=r"I\.9: không có tiêu chí này"):
        services.save_registration(
            actor=personas.officer, movement=running, unit=org.a, year=YEAR, targets={"I.9": 1}, titles=[]
        )


def test_it_refuses_an_individual_title_registered_for_the_unit(personas, org, running):
    with pytest.raises(DomainError, match="không phải danh hiệu"):
        services.save_registration(
            actor=personas.officer,
            movement=running,
            unit=org.a,
            year=YEAR,
            targets={},
            titles=[{"award": "lao_dong_tien_tien", "subject": "unit"}],
        )


def test_the_level_above_approves_but_the_unit_cannot_approve_itself(
    client_for, personas, root_officer, org, running
):
    _register(client_for(personas.officer), running, org.a, submit="1")
    registration = Registration.objects.get(unit=org.a)
    response = client_for(personas.officer).post(f"/phong-trao/dang-ky/{registration.pk}/duyet/")
    assert response.status_code == 403
    with pytest.raises(DomainError, match="không tự duyệt"):
        services.approve_registration(actor=personas.officer, registration=registration)
    response = client_for(root_officer).post(f"/phong-trao/dang-ky/{registration.pk}/duyet/")
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == Registration.Status.APPROVED
    assert AuditEntry.objects.get(action="registration.approved").actor == root_officer


def test_a_returned_registration_carries_its_reason_and_can_be_submitted_again(
    client_for, personas, root_officer, org, running
):
    _register(client_for(personas.officer), running, org.a, submit="1")
    registration = Registration.objects.get(unit=org.a)
    client_for(root_officer).post(f"/phong-trao/dang-ky/{registration.pk}/tra-lai/", {"reason": ""})
    registration.refresh_from_db()
    assert registration.status == Registration.Status.SUBMITTED  # a reason is required
    client_for(root_officer).post(
        f"/phong-trao/dang-ky/{registration.pk}/tra-lai/", {"reason": "Bổ sung chỉ tiêu I.1"}
    )
    registration.refresh_from_db()
    assert (
        registration.status == Registration.Status.RETURNED
        and registration.return_reason == "Bổ sung chỉ tiêu I.1"
    )
    page = (
        client_for(personas.officer)
        .get(f"/phong-trao/{running.pk}/dang-ky/{YEAR}/don-vi/{org.a.pk}/")
        .content.decode()
    )
    assert "Bổ sung chỉ tiêu I.1" in page
    _register(client_for(personas.officer), running, org.a, submit="1", **{"target:I.1": "105"})
    registration.refresh_from_db()
    assert registration.status == Registration.Status.SUBMITTED and registration.targets == {"I.1": 105}


def test_a_submission_after_the_deadline_is_marked_late(personas, org, running):
    services.add_milestone(
        actor=None, movement=running, kind=Milestone.Kind.REGISTRATION, due_on=date(YEAR, 1, 31)
    )
    registration = services.save_registration(
        actor=personas.officer, movement=running, unit=org.a, year=YEAR, targets={"I.1": 100}, titles=[]
    )
    services.submit_registration(actor=personas.officer, registration=registration)
    assert registration.late is (timezone.localdate() > date(YEAR, 1, 31))


def test_the_list_shows_who_has_not_registered_and_exports_xlsx(
    client_for, personas, root_officer, org, running
):
    _register(client_for(personas.officer), running, org.a, submit="1", note='=HYPERLINK("x")')
    client = client_for(root_officer)
    page = client.get(f"/phong-trao/{running.pk}/dang-ky/{YEAR}/").content.decode()
    assert "Đơn vị chưa đăng ký (1)" in page and org.b.name in page
    assert "Tập thể lao động xuất sắc" in page and "Chiến sĩ thi đua cơ sở: 3" in page
    response = client.get(f"/phong-trao/{running.pk}/dang-ky/{YEAR}/", {"format": "xlsx"})
    ws: Any = load_workbook(BytesIO(response.content)).active
    assert [c.value for c in ws[4]][:4] == ["STT", "Mã đơn vị", "Tên đơn vị", "Trạng thái"]
    assert ws["B5"].value == "BHXH-01" and ws["D5"].value == "Đã gửi"
    assert ws["J5"].value == '=HYPERLINK("x")' and ws["J5"].data_type == "s"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1


def test_a_unit_sees_only_its_own_registration(client_for, personas, org, running):
    for unit in (org.a, org.b):
        services.save_registration(
            actor=None, movement=running, unit=unit, year=YEAR, targets={"I.1": 100}, titles=[]
        )
    page = client_for(personas.officer).get(f"/phong-trao/{running.pk}/dang-ky/{YEAR}/").content.decode()
    assert org.a.name in page
    assert "Bảo hiểm xã hội Thành phố Hồ Chí Minh</td>" not in page


def test_registration_is_closed_when_the_movement_is_under_review(personas, org, running):
    services.open_movement_review(actor=None, movement=running)
    with pytest.raises(DomainError, match="không nhận đăng ký"):
        services.save_registration(actor=None, movement=running, unit=org.a, year=YEAR, targets={}, titles=[])


def test_targets_are_typed_and_listed_in_vietnamese_notation(client_for, personas, org, running):
    _register(client_for(personas.officer), running, org.a, **{"target:I.1": "3.800.000,5"}, submit="1")
    assert Registration.objects.get(unit=org.a).targets == {"I.1": 3800000.5}  # a decimal comma is typed
    page = client_for(personas.officer).get(f"/phong-trao/{running.pk}/dang-ky/{YEAR}/").content.decode()
    assert "I.1: 3.800.000,5" in page and "3800000" not in page


def test_a_target_that_is_not_a_number_is_refused_next_to_its_field(client_for, personas, org, running):
    response = _register(client_for(personas.officer), running, org.a, **{"target:I.1": "nhiều"}, submit="1")
    assert response.status_code == 200 and not Registration.objects.filter(unit=org.a).exists()
    assert "«nhiều» không phải là số (ví dụ: 95,5 hoặc 95.5)" in response.content.decode()
