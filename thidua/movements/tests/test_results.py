from datetime import date
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from thidua.audit.models import AuditEntry
from thidua.core.errors import DomainError
from thidua.movements import services
from thidua.movements.models import Result
from thidua.movements.tests.samples import FAIR, GOOD, YEAR

pytestmark = pytest.mark.django_db
pytest_plugins = ["thidua.movements.tests.fixtures"]


def _entry_url(movement: Any, unit: Any, period: str = "nam") -> str:
    return f"/phong-trao/{movement.pk}/ket-qua/{YEAR}/{period}/don-vi/{unit.pk}/"


def test_a_unit_enters_figures_and_scores_itself(client_for, personas, org, running):
    response = client_for(personas.officer).post(
        _entry_url(running, org.a),
        {"I.1.actual": "95", "I.1.target": "100", "I.2.value": "có", "submit": "1"},
    )
    result = Result.objects.get(unit=org.a)
    assert response.status_code == 302 and response["Location"] == f"/phong-trao/ket-qua/{result.pk}/"
    assert result.status == Result.Status.SELF_SCORED
    assert result.figures == {"I.1": {"actual": "95", "target": "100"}, "I.2": {"value": "có"}}
    assert result.self_score == Decimal("7.00")
    assert result.score_detail["leaves"] == {"I.1": 3, "I.2": 4}
    detail = AuditEntry.objects.get(action="result.self_scored").detail
    assert detail["self_score"] == "7.00" and detail["late"] is False
    assert result.submitted_at is not None and result.late is False


def test_the_entry_form_reports_bad_figures_in_vietnamese(client_for, personas, org, running):
    response = client_for(personas.officer).post(
        _entry_url(running, org.a), {"I.1.actual": "chín lăm", "I.1.target": "100"}
    )
    assert response.status_code == 200
    # Next to its field, in Vietnamese.
    assert response.context["form"].errors["I.1.actual"] == [
        "«chín lăm» không phải là số (ví dụ: 95,5 hoặc 95.5)"
    ]
    assert not Result.objects.exists()


def test_review_explanation_and_final_score(client_for, personas, root_officer, org, running):
    result = services.save_result(
        actor=None, movement=running, unit=org.a, year=YEAR, period="nam", figures=GOOD
    )
    services.submit_result(actor=personas.officer, result=result)
    # the unit cannot review itself
    assert (
        client_for(personas.officer)
        .post(f"/phong-trao/ket-qua/{result.pk}/tham-dinh/", {"note": "x"})
        .status_code
        == 403
    )
    services.review_result(
        actor=root_officer,
        result=result,
        note="I.1: số liệu chưa khớp báo cáo thu",
        corrections={"I.1": {"actual": 95, "target": 100}},
    )
    result.refresh_from_db()
    assert result.status == Result.Status.REVIEWED and result.review_score == Decimal("7.00")
    client_for(personas.officer).post(
        f"/phong-trao/ket-qua/{result.pk}/giai-trinh/", {"explanation": "Đã bổ sung xác nhận của Phòng Thu"}
    )
    result.refresh_from_db()
    assert result.status == Result.Status.EXPLAINED
    response = client_for(root_officer).post(f"/phong-trao/ket-qua/{result.pk}/chot-diem/")
    assert response.status_code == 302
    result.refresh_from_db()
    assert result.status == Result.Status.FINAL and result.final_score == Decimal("7.00")
    actions = set(
        AuditEntry.objects.filter(object_id=str(result.pk), object_type="movements.result").values_list(
            "action", flat=True
        )
    )
    assert {"result.self_scored", "result.reviewed", "result.explained", "result.finalised"} <= actions


def test_the_cluster_head_reviews_the_other_members_but_not_itself(
    outsider_officer_b_is_head, personas, org, running
):
    result_a = services.save_result(
        actor=None, movement=running, unit=org.a, year=YEAR, period="nam", figures=GOOD
    )
    services.submit_result(actor=None, result=result_a)
    services.review_result(actor=personas.outsider_officer, result=result_a, note="Đúng số liệu")
    result_b = services.save_result(
        actor=None, movement=running, unit=org.b, year=YEAR, period="nam", figures=GOOD
    )
    services.submit_result(actor=None, result=result_b)
    with pytest.raises(DomainError, match="không tự duyệt"):
        services.review_result(actor=personas.outsider_officer, result=result_b, note="Tự thẩm định")


@pytest.fixture
def outsider_officer_b_is_head(cluster):
    return cluster  # the cluster fixture makes province B the cluster head


def test_a_unit_sees_only_its_own_figures_until_the_ranking_is_published(
    client_for, personas, root_officer, org, running, cluster
):
    for unit, figures in ((org.a, GOOD), (org.b, FAIR)):
        result = services.save_result(
            actor=None, movement=running, unit=unit, year=YEAR, period="nam", figures=figures
        )
        services.submit_result(actor=None, result=result)
    result_b = Result.objects.get(unit=org.b)
    client = client_for(personas.officer)
    assert client.get(f"/phong-trao/ket-qua/{result_b.pk}/").status_code == 404
    page = client.get(f"/phong-trao/{running.pk}/ket-qua/{YEAR}/nam/").content.decode()
    assert org.a.name in page and org.b.name not in page
    # the cluster head (province B) sees the members it reviews
    assert (
        client_for(personas.outsider_officer)
        .get(f"/phong-trao/ket-qua/{Result.objects.get(unit=org.a).pk}/")
        .status_code
        == 200
    )
    for result in Result.objects.all():
        services.review_result(actor=root_officer, result=result, note="Thống nhất")
        services.finalise_result(actor=root_officer, result=result)
    ranking = services.compute_ranking(actor=root_officer, movement=running, cluster=cluster, year=YEAR)
    services.publish_ranking(actor=root_officer, ranking=ranking)
    assert client.get(f"/phong-trao/ket-qua/{result_b.pk}/").status_code == 200


def test_evidence_files_are_stored_under_media_root(client_for, personas, org, running, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    result = services.save_result(
        actor=None, movement=running, unit=org.a, year=YEAR, period="q1", figures=GOOD
    )
    upload = SimpleUploadedFile("bao-cao-thu.pdf", b"%PDF-1.4 minh chung", content_type="application/pdf")
    response = client_for(personas.officer).post(
        f"/phong-trao/ket-qua/{result.pk}/minh-chung/",
        {"description": "Báo cáo thu quý I", "criterion_code": "I.1", "file": upload},
    )
    assert response.status_code == 302
    evidence = result.evidence.get()
    assert evidence.file.path.startswith(str(tmp_path)) and evidence.file.read() == b"%PDF-1.4 minh chung"


def _sheet(client: Any, movement: Any, period: str = "nam") -> Any:
    response = client.get(f"/phong-trao/{movement.pk}/ket-qua/{YEAR}/{period}/mau/")
    assert response.status_code == 200
    return load_workbook(BytesIO(response.content))


def _upload(wb: Any) -> Any:
    buffer = BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("ket-qua.xlsx", buffer.getvalue())


def test_the_xlsx_import_saves_every_row(client_for, root_officer, org, running):
    client = client_for(root_officer)
    wb = _sheet(client, running)
    ws = wb.active
    assert ws["A3"].value == "Mã đơn vị"
    assert [c.value for c in ws[3]][2:] == ["I.1.actual", "I.1.target", "I.2.value"]
    assert ws["A4"].value == "BHXH-01" and ws["A5"].value == "BHXH-79"
    for row, values in ((4, (100, 100, "có")), (5, ("95,5", 100, "không"))):
        for col, value in enumerate(values, start=3):
            ws.cell(row=row, column=col, value=value)
    response = client.post(f"/phong-trao/{running.pk}/ket-qua/{YEAR}/nam/nhap/", {"file": _upload(wb)})
    assert response.status_code == 302
    assert Result.objects.get(unit=org.b).figures == {
        "I.1": {"actual": "95,5", "target": 100},
        "I.2": {"value": "không"},
    }
    assert AuditEntry.objects.get(action="result.imported").detail["units"] == ["BHXH-01", "BHXH-79"]


def test_the_xlsx_import_lists_every_error_and_saves_nothing(client_for, root_officer, org, running):
    client = client_for(root_officer)
    wb = _sheet(client, running)
    ws = wb.active
    for col, value in enumerate((100, 100, "có"), start=3):
        ws.cell(row=4, column=col, value=value)
    for col, value in enumerate(("nhiều", 100, "có lẽ"), start=3):
        ws.cell(row=5, column=col, value=value)
    ws.cell(row=6, column=1, value="BHXH-99")
    response = client.post(f"/phong-trao/{running.pk}/ket-qua/{YEAR}/nam/nhap/", {"file": _upload(wb)})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Tệp có 3 lỗi, chưa nhập dòng nào" in page
    assert "<td>5</td><td>C (I.1.actual)</td><td>nhiều</td><td>số thực hiện không phải là số</td>" in page
    assert "<td>5</td><td>E (I.2.value)</td>" in page
    assert (
        "<td>6</td><td>A (Mã đơn vị)</td><td>BHXH-99</td><td>không phải đơn vị tham gia phong trào</td>"
        in page
    )
    assert not Result.objects.exists()


def test_a_province_cannot_import_figures_of_another_province(client_for, personas, org, running):
    client = client_for(personas.officer)
    wb = _sheet(client, running)
    ws = wb.active
    assert ws.max_row == 4  # the template lists only the officer's own unit
    ws.cell(row=5, column=1, value="BHXH-79")
    response = client.post(f"/phong-trao/{running.pk}/ket-qua/{YEAR}/nam/nhap/", {"file": _upload(wb)})
    assert "bạn không có quyền nhập số liệu của đơn vị này" in response.content.decode()
    assert not Result.objects.exists()


def test_a_file_that_is_not_the_template_is_refused(client_for, root_officer, running):
    upload = SimpleUploadedFile("ket-qua.xlsx", b"not a workbook")
    response = client_for(root_officer).post(
        f"/phong-trao/{running.pk}/ket-qua/{YEAR}/nam/nhap/", {"file": upload}
    )
    assert response.status_code == 400 and "cần tệp Excel .xlsx" in response.content.decode()


def test_evidence_files_are_served_only_to_those_who_see_the_result(
    client_for, personas, org, running, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    result = services.save_result(
        actor=None, movement=running, unit=org.a, year=YEAR, period="nam", figures=GOOD
    )
    upload = SimpleUploadedFile("bien-ban.pdf", b"%PDF minh chung", content_type="application/pdf")
    evidence = services.add_evidence(actor=None, result=result, file=upload, description="Biên bản")
    response = client_for(personas.officer).get(f"/phong-trao/minh-chung/{evidence.pk}/tep/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF minh chung"
    # a staff member (no emulation role) does not see the unit's figures
    assert client_for(personas.staff).get(f"/phong-trao/minh-chung/{evidence.pk}/tep/").status_code == 404


def test_the_cluster_head_sees_members_only_for_the_clusters_year(
    client_for, personas, org, running, cluster
):
    from thidua.movements.tests.samples import TABLE

    running.end_year = YEAR + 1
    running.kind = "chuyen_de"
    running.save()
    services.save_scoring_table(actor=None, movement=running, year=YEAR + 1, data=TABLE)
    this_year = services.save_result(
        actor=None, movement=running, unit=org.a, year=YEAR, period="nam", figures=GOOD
    )
    next_year = services.save_result(
        actor=None,
        movement=running,
        unit=org.a,
        year=YEAR + 1,
        period="nam",
        figures=GOOD,
        today=date(YEAR + 2, 1, 1),
    )
    head = client_for(personas.outsider_officer)  # province B heads Cụm số 1 of YEAR only
    assert head.get(f"/phong-trao/ket-qua/{this_year.pk}/").status_code == 200
    assert head.get(f"/phong-trao/ket-qua/{next_year.pk}/").status_code == 404
