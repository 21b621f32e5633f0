"""List exports (.xlsx) and achievement reports (.docx) through the pages, with the page's scope."""

from __future__ import annotations

import io
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook

from thidua.audit.services import log


def _sheet(response: Any) -> Any:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    return load_workbook(io.BytesIO(response.content)).active


def _column(ws: Any, header: str) -> list[Any]:
    header_row = next(r for r in ws.iter_rows(values_only=True) if header in r)
    index = header_row.index(header)
    rows = list(ws.iter_rows(values_only=True))
    start = rows.index(header_row) + 1
    return [r[index] for r in rows[start:]]


def test_people_export_has_vietnamese_headers_landscape_and_the_page_scope(personas, client_for):
    ws = _sheet(client_for(personas.officer).get("/van-ban/xuat/nhan-su.xlsx"))
    headers = next(r for r in ws.iter_rows(values_only=True) if "Họ và tên" in r)
    assert headers == ("STT", "Họ và tên", "Số CCCD", "Giới tính", "Ngày sinh", "Chức vụ", "Đơn vị")
    assert sorted(_column(ws, "Họ và tên")) == ["Nguyễn Văn An", "Trần Thị Bình"]  # not Cường (province B)
    assert ws.page_setup.orientation == "landscape"
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4


def test_people_export_uses_the_page_filters(personas, org, client_for):
    ws = _sheet(client_for(personas.admin).get("/van-ban/xuat/nhan-su.xlsx", {"q": "binh"}))
    assert _column(ws, "Họ và tên") == ["Trần Thị Bình"]
    ws = _sheet(client_for(personas.admin).get("/van-ban/xuat/nhan-su.xlsx", {"unit": org.b.pk}))
    assert _column(ws, "Họ và tên") == ["Lê Văn Cường"]


def test_another_provinces_officer_exports_only_their_own_people(personas, org, client_for):
    client = client_for(personas.outsider_officer)
    ws = _sheet(client.get("/van-ban/xuat/nhan-su.xlsx"))
    assert _column(ws, "Họ và tên") == ["Lê Văn Cường"]
    # a unit outside the scope is not a valid filter choice: nothing leaks
    ws = _sheet(client.get("/van-ban/xuat/nhan-su.xlsx", {"unit": org.a.pk}))
    assert "Nguyễn Văn An" not in _column(ws, "Họ và tên")


def test_a_name_starting_with_equals_stays_text(personas, org, client_for):
    from thidua.org import services

    services.create_person(
        actor=None,
        citizen_id="001085099999",
        full_name='=HYPERLINK("http://x")',
        gender="nam",
        unit=org.a_dept,
        title="+Chuyên viên",
    )
    ws = _sheet(client_for(personas.officer).get("/van-ban/xuat/nhan-su.xlsx"))
    cell = next(
        c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=HYP")
    )
    assert cell.data_type == "s"
    title = next(c for row in ws.iter_rows() for c in row if c.value == "+Chuyên viên")
    assert title.data_type == "s"


def test_unit_tree_export(personas, client_for):
    ws = _sheet(client_for(personas.officer).get("/van-ban/xuat/don-vi.xlsx"))
    names = [n.strip() for n in _column(ws, "Tên đơn vị")]
    assert names == ["Bảo hiểm xã hội thành phố Hà Nội", "Phòng Quản lý thu"]
    assert _column(ws, "Đơn vị cấp trên") == ["Bảo hiểm xã hội Việt Nam", "Bảo hiểm xã hội thành phố Hà Nội"]
    assert ws.page_setup.orientation == "landscape"


def test_audit_export_follows_the_audit_scope(personas, org, client_for):
    log("unit.updated", actor=personas.officer, obj=org.a, unit_path=org.a.path, detail={"name": "=cmd"})
    log("unit.updated", actor=personas.outsider_officer, obj=org.b, unit_path=org.b.path)
    ws = _sheet(client_for(personas.officer).get("/van-ban/xuat/nhat-ky.xlsx", {"action": "unit.updated"}))
    assert _column(ws, "Đối tượng") == ["Bảo hiểm xã hội thành phố Hà Nội"]
    assert _column(ws, "Thao tác") == ["Sửa đơn vị"]
    assert _column(ws, "Người thực hiện") == ["canbo.hn"]
    assert client_for(personas.staff).get("/van-ban/xuat/nhat-ky.xlsx").status_code == 200


def test_list_pages_link_to_their_exports(personas, client_for):
    client = client_for(personas.officer)
    assert "/van-ban/xuat/nhan-su.xlsx?q=an" in client.get("/to-chuc/nhan-su/", {"q": "an"}).content.decode()
    assert "/van-ban/xuat/don-vi.xlsx" in client.get("/to-chuc/don-vi/").content.decode()
    assert "/van-ban/xuat/nhat-ky.xlsx" in client.get("/nhat-ky/").content.decode()


@pytest.mark.usefixtures("media")
def test_person_achievement_report_from_history(personas, org, awards, client_for):
    response = client_for(personas.officer).get(f"/lich-su/bao-cao-thanh-tich/ca-nhan/{org.an.pk}/")
    assert response.status_code == 200
    word = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "Họ tên, chức vụ và đơn vị công tác: Nguyễn Văn An, Chuyên viên, Phòng Quản lý thu" in text
    assert "- Sinh ngày, tháng, năm: 02/04/1985" in text
    cells = [c.text for t in word.tables for row in t.rows for c in row.cells]
    assert "Lao động tiên tiến" in cells
    assert "Quyết định số 120/QĐ-BHXH ngày 20/12/2024 của Giám đốc Bảo hiểm xã hội thành phố Hà Nội" in cells
    assert "Giấy khen" in cells
    assert "Hoàn thành xuất sắc nhiệm vụ" in cells and "Hoàn thành tốt nhiệm vụ" in cells
    assert "BẢO HIỂM XÃ HỘI\nTHÀNH PHỐ HÀ NỘI" in cells[0]  # the issuing legal entity, not the department


def test_staff_may_print_their_own_report_but_not_anothers(personas, org, awards, client_for):
    client = client_for(personas.staff)
    assert client.get(f"/lich-su/bao-cao-thanh-tich/ca-nhan/{org.an.pk}/").status_code == 200
    assert client.get(f"/lich-su/bao-cao-thanh-tich/ca-nhan/{org.binh.pk}/").status_code == 404


def test_another_provinces_officer_cannot_print_a_report_outside_scope(personas, org, awards, client_for):
    client = client_for(personas.outsider_officer)
    assert client.get(f"/lich-su/bao-cao-thanh-tich/ca-nhan/{org.an.pk}/").status_code == 404
    assert client.get(f"/lich-su/bao-cao-thanh-tich/tap-the/{org.a.pk}/").status_code == 404


def test_unit_achievement_report(personas, org, client_for):
    from datetime import date

    from thidua.history.models import AwardRecord

    AwardRecord.objects.create(
        unit=org.a_dept,
        kind=AwardRecord.Kind.TITLE,
        award_id="tap_the_lao_dong_xuat_sac",
        year=2024,
        decided_on=date(2024, 12, 25),
        decision_number="130/QĐ-BHXH",
    )
    response = client_for(personas.officer).get(f"/lich-su/bao-cao-thanh-tich/tap-the/{org.a_dept.pk}/")
    word = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "I. SƠ LƯỢC ĐẶC ĐIỂM, TÌNH HÌNH" in text
    assert "- Tổng số cán bộ, công chức, viên chức, người lao động: 1" in text
    cells = [c.text for t in word.tables for row in t.rows for c in row.cells]
    assert "Tập thể lao động xuất sắc" in cells


@pytest.mark.usefixtures("media")
def test_a_big_people_export_becomes_a_job_with_the_same_filters(personas, org, client_for, monkeypatch):
    from thidua.documents import views
    from thidua.documents.models import Job

    monkeypatch.setattr(views, "EXPORT_INLINE_LIMIT", 0)
    client = client_for(personas.outsider_officer)
    response = client.get("/van-ban/xuat/nhan-su.xlsx", {"gender": "nam"})
    assert response.status_code == 302
    job = Job.objects.get()
    assert (job.kind, job.status, job.progress, job.created_by) == (
        Job.Kind.PEOPLE_XLSX,
        Job.Status.DONE,
        100,
        personas.outsider_officer,
    )
    download = client.get(f"/van-ban/viec/{job.pk}/tai-ve/")
    ws = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert _column(ws, "Họ và tên") == ["Lê Văn Cường"]  # the worker applies the starter's scope


def test_exports_cost_the_same_queries_whatever_the_number_of_rows(
    personas, org, client_for, django_assert_num_queries
):
    from datetime import date

    from thidua.org import services

    client = client_for(personas.admin)

    def count(url: str) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from thidua.org.kinds import clear_cache

        clear_cache()  # the organisation of a tree is cached briefly: measure both runs cold
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    before = {url: count(url) for url in ("/van-ban/xuat/nhan-su.xlsx", "/van-ban/xuat/don-vi.xlsx")}
    for i in range(5):
        unit = services.create_unit(actor=None, code=f"X-{i}", name=f"Phòng {i}", parent=org.a)
        services.create_person(
            actor=None,
            citizen_id=f"00108501{i:04d}",
            full_name=f"Phạm Văn Số {i}",
            gender="nam",
            unit=unit,
            date_of_birth=date(1985, 1, 1),
        )
    after = {url: count(url) for url in before}
    assert after == before


def test_exports_and_reports_are_logged_with_their_filters(personas, org, client_for):
    from thidua.audit.models import AuditEntry

    client = client_for(personas.officer)
    client.get("/van-ban/xuat/nhan-su.xlsx", {"unit": org.a_dept.pk})
    entry = AuditEntry.objects.filter(action="document.exported").get()
    assert entry.actor == personas.officer
    # one row, shown in full to the officer who manages the person: counted as personal data seen
    assert entry.detail == {"list": "people", "query": f"unit={org.a_dept.pk}", "rows": 1, "personal_data": 1}
    assert entry.unit_path == org.a_dept.path
    client.get(f"/lich-su/bao-cao-thanh-tich/ca-nhan/{org.an.pk}/")
    printed = AuditEntry.objects.get(action="document.report_printed")
    assert (printed.object_id, printed.unit_path) == (str(org.an.pk), org.a_dept.path)
    # the officer finds both in the audit log of their province
    page = client.get("/nhat-ky/").content.decode()
    assert "Xuất danh sách ra tệp" in page and "In báo cáo thành tích" in page


def test_audit_export_reads_the_detail_as_the_page_does(personas, org, client_for):
    log(
        "decision.issued",
        actor=personas.officer,
        obj=org.a,
        unit_path=org.a.path,
        detail={"award": "chien_si_thi_dua_co_so", "total_vnd": 43010000},
    )
    ws = _sheet(client_for(personas.officer).get("/van-ban/xuat/nhat-ky.xlsx", {"action": "decision.issued"}))
    assert _column(ws, "Chi tiết") == [
        "Danh hiệu, hình thức: Chiến sĩ thi đua cơ sở; Tổng tiền thưởng (đồng): 43.010.000"
    ]
