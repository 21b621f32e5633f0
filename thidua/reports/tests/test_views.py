"""The statistics pages: who sees them and what, the .xlsx and .docx files, the forms' editor."""

from __future__ import annotations

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from thidua.audit.models import AuditEntry
from thidua.reports import tally
from thidua.reports.models import ReportForm

pytestmark = pytest.mark.django_db

PAGES = [
    "khen-thuong",
    "don-vi",
    "ty-le",
    "tien-thuong",
    "phong-trao",
    "tong-ket",
    "bieu-mau/tt18-tdkt-01",
    "bieu-mau/tt18-tdkt-04",
]


@pytest.mark.parametrize("url", ["/bao-cao/", *[f"/bao-cao/{p}/" for p in PAGES]])
def test_a_staff_member_without_a_managing_role_is_refused(personas, client_for, url):
    assert client_for(personas.staff).get(url).status_code == 403


@pytest.mark.parametrize("page", PAGES)
def test_every_page_shows_charts_with_their_numbers_and_offers_xlsx(small, personas, client_for, page):
    tally.rebuild()
    client = client_for(personas.admin)
    html = client.get(f"/bao-cao/{page}/?nam_tu=2024&nam_den=2025&nam=2025").content.decode()
    assert "tai=xlsx" in html
    if page != "phong-trao":  # no movement in this organisation: "Không có số liệu"
        assert "<table" in html
    if page in ("khen-thuong", "don-vi", "ty-le", "tien-thuong", "tong-ket"):
        assert "<svg" in html and "Số liệu của biểu đồ ở bảng" in html
    response = client.get(f"/bao-cao/{page}/?nam_tu=2024&nam_den=2025&nam=2025&tai=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames


def test_the_xlsx_holds_the_numbers_of_the_page(small, personas, client_for):
    tally.rebuild()
    response = client_for(personas.admin).get("/bao-cao/khen-thuong/?nam_tu=2024&nam_den=2025&tai=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert ["2024", 0, 6, 6] in values and ["2025", 2, 5, 7] in values and ["Cộng", 2, 11, 13] in values


def test_an_officer_sees_only_the_units_of_their_scope(small, personas, client_for):
    tally.rebuild()
    client = client_for(personas.officer)  # officer of province A
    html = client.get("/bao-cao/don-vi/?nam_tu=2024&nam_den=2025").content.decode()
    assert small.a.name in html and small.b.name not in html
    # asking for another province's unit falls back to the officer's own
    other = client.get(f"/bao-cao/don-vi/?don_vi={small.b.pk}&nam_tu=2024&nam_den=2025").content.decode()
    assert small.b.name not in other


def test_the_year_end_annex_downloads_as_docx(small, personas, client_for):
    tally.rebuild()
    response = client_for(personas.admin).get("/bao-cao/tong-ket/?nam=2025&tai=docx")
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "PHỤ LỤC" in text and "Số liệu thi đua, khen thưởng năm 2025" in text
    cells = {
        c.text for t in Document(io.BytesIO(response.content)).tables for row in t.rows for c in row.cells
    }
    assert "18.720.000" in cells  # the Cờ thi đua's prize, written the Vietnamese way


def test_bad_input_gives_the_page_not_an_error(small, personas, client_for):
    client = client_for(personas.admin)
    for query in ("nam_tu=abc&nam_den=99999999999", "don_vi=xyz", "nam=-1", "nam_tu=2030&nam_den=1990"):
        assert client.get(f"/bao-cao/khen-thuong/?{query}").status_code == 200
    assert client.get("/bao-cao/bieu-mau/khong-co/").status_code == 404


def test_the_organisation_adjusts_a_form_with_checks_and_stale_copy_refused(small, personas, client_for):
    from thidua.reports.statforms import shipped

    tally.rebuild()
    client = client_for(personas.admin)
    url = "/bao-cao/bieu-mau/tt18-tdkt-04/"
    text = shipped()["tt18-tdkt-04"][1].replace('"Tổng số"', '"Cộng chung"', 1)
    response = client.post(url + "luu/", {"text": text, "version": "0"}, follow=True)
    assert "Đã lưu biểu mẫu của đơn vị" in response.content.decode()
    assert ReportForm.objects.get(form_id="tt18-tdkt-04").version == 1
    assert "Cộng chung" in client.get(url + "?nam=2025").content.decode()
    assert AuditEntry.objects.filter(action="report_form.saved").count() == 1

    stale = client.post(url + "luu/", {"text": text, "version": "0"}, follow=True).content.decode()
    assert "người khác sửa" in stale
    wrong = client.post(url + "luu/", {"text": "rows: [", "version": "1"}, follow=True).content.decode()
    assert "Không đọc được YAML" in wrong
    bad_measure = text.replace("measure: women", "measure: tuoi")
    wrong = client.post(url + "luu/", {"text": bad_measure, "version": "1"}, follow=True).content.decode()
    assert "columns.3.measure" in wrong and "tuoi" in wrong

    client.post(url + "luu/", {"reset": "1"})
    assert not ReportForm.objects.exists()


def test_a_province_officer_cannot_adjust_the_organisations_forms(small, personas, client_for):
    from thidua.reports.statforms import shipped

    text = shipped()["tt18-tdkt-04"][1]
    response = client_for(personas.officer).post(
        "/bao-cao/bieu-mau/tt18-tdkt-04/luu/", {"text": text, "version": "0"}
    )
    assert response.status_code == 403
    assert not ReportForm.objects.exists()
