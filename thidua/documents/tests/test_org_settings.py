"""Certificate layouts and user templates per organisation: upload checks, inheritance, use by the jobs."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from pypdf import PdfReader

from thidua.audit.models import AuditEntry
from thidua.documents.models import CertificateLayoutConfig, DocumentKind, DocumentTemplate, Job
from thidua.documents.pdf_render import GIAY_KHEN_A4
from thidua.documents.services import layout_for, template_for

pytestmark = pytest.mark.usefixtures("media")


def _docx(*paragraphs: str, row: tuple[str, ...] = ()) -> bytes:
    word = Document()
    for text in paragraphs:
        word.add_paragraph(text)
    if row:
        table = word.add_table(rows=1, cols=len(row))
        for cell, text in zip(table.rows[0].cells, row, strict=True):
            cell.text = text
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


GOOD = _docx(
    "QUYẾT ĐỊNH SỐ {{ number_symbol }} — {{ award_name }}",
    "Tổng: {{ total_amount }} ({{ total_amount_words }})",
    row=("{{ awardees[].# }}", "{{ awardees[].name }}", "{{ awardees[].amount }}"),
)


def _upload(client: Any, unit: Any, content: bytes, kind: str = DocumentKind.DECISION) -> Any:
    return client.post(
        "/van-ban/mau-van-ban/",
        {"unit": unit.pk, "kind": kind, "file": SimpleUploadedFile("mau.docx", content)},
    )


def test_an_upload_with_unknown_placeholders_is_refused_in_vietnamese(personas, org, client_for):
    bad = _docx("Kính gửi {{ ho_ten_sai }}", "{{ awardees[].chuc_vu }}")
    response = _upload(client_for(personas.officer), org.a, bad)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Trường “ho_ten_sai” không có trong dữ liệu của loại văn bản này" in page
    assert "Trường “awardees[].chuc_vu” không có trong dữ liệu của loại văn bản này" in page
    assert not DocumentTemplate.objects.exists()


def test_a_corrupt_upload_is_refused(personas, org, client_for):
    response = _upload(client_for(personas.officer), org.a, b"not a docx")
    assert "Tệp không đúng loại: tệp mẫu cần tệp Word .docx" in response.content.decode()


def test_the_decision_job_uses_the_organisations_template(personas, org, decision, client_for, monkeypatch):
    from thidua.awards import views

    monkeypatch.setattr(views, "INLINE_DECISION_LIMIT", 0)
    client = client_for(personas.officer)
    assert _upload(client, org.a, GOOD).status_code == 302
    template = DocumentTemplate.objects.get()
    assert (template.unit, template.kind, template.original_name) == (org.a, "decision", "mau.docx")
    assert AuditEntry.objects.filter(action="document.template_saved").count() == 1
    # inherited by the department, not by province B
    assert template_for(org.a_dept, DocumentKind.DECISION) == template
    assert template_for(org.b, DocumentKind.DECISION) is None

    response = client.get(f"/khen-thuong/quyet-dinh/{decision.pk}/quyet-dinh.docx")
    job = Job.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert job.status == Job.Status.DONE, job.error
    word = Document(job.result.open("rb"))
    text = [p.text for p in word.paragraphs]
    assert text[0] == "QUYẾT ĐỊNH SỐ 07/QĐ-BHXH — Giấy khen"
    assert text[1] == "Tổng: 600.000 (Sáu trăm nghìn đồng)"
    assert [[c.text for c in r.cells] for r in word.tables[0].rows] == [
        ["1", "Nguyễn Văn An", "300.000"],
        ["2", "Trần Thị Bình", "300.000"],
    ]


def test_deleting_the_template_returns_to_the_built_in_layout(personas, org, client_for):
    client = client_for(personas.officer)
    _upload(client, org.a, GOOD)
    template = DocumentTemplate.objects.get()
    assert (
        client_for(personas.outsider_officer).post(f"/van-ban/mau-van-ban/{template.pk}/xoa/").status_code
        == 404
    )
    assert client.post(f"/van-ban/mau-van-ban/{template.pk}/xoa/").status_code == 302
    assert not DocumentTemplate.objects.exists()


def test_an_officer_cannot_upload_for_a_unit_outside_scope(personas, org, client_for):
    response = _upload(client_for(personas.outsider_officer), org.a, GOOD)
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert client_for(personas.head).get("/van-ban/mau-van-ban/").status_code == 403


def test_achievement_template(personas, org, awards, client_for):
    client = client_for(personas.officer)
    content = _docx(
        "{{ subject_name }} — {{ place_date }}",
        row=("{{ titles[].year }}", "{{ titles[].name }}", "{{ titles[].decision }}"),
    )
    assert _upload(client, org.a, content, DocumentKind.ACHIEVEMENT_PERSON).status_code == 302
    response = client.get(f"/lich-su/bao-cao-thanh-tich/ca-nhan/{org.an.pk}/")
    word = Document(io.BytesIO(response.content))
    assert word.paragraphs[0].text.startswith("Nguyễn Văn An — Hà Nội, ngày ")
    assert [c.text for c in word.tables[0].rows[0].cells][:2] == ["2024", "Lao động tiên tiến"]


def _layout_post(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"offset_x_mm": 0, "offset_y_mm": 0}
    for name, box in GIAY_KHEN_A4.fields.items():
        data.update(
            {
                f"{name}__x_mm": box.x_mm,
                f"{name}__y_mm": box.y_mm,
                f"{name}__font_size": box.font_size,
                f"{name}__max_width_mm": box.max_width_mm,
                f"{name}__align": box.align,
            }
        )
    data.update(changes)
    return data


def test_a_layout_is_saved_per_unit_and_inherited(personas, org, client_for):
    client = client_for(personas.officer)
    url = f"/van-ban/bo-cuc-in/{org.a.pk}/giay_khen/"
    assert client.get(url).status_code == 200
    response = client.post(url, _layout_post(recipient__y_mm=111.5, offset_x_mm=2, save="1"))
    assert response.status_code == 302
    config = CertificateLayoutConfig.objects.get()
    assert config.layout["fields"]["recipient"]["y_mm"] == 111.5
    assert layout_for(org.a_dept, "giay_khen").fields["recipient"].y_mm == 111.5
    assert layout_for(org.a_dept, "giay_khen").offset_x_mm == 2
    assert layout_for(org.b, "giay_khen") == GIAY_KHEN_A4
    assert AuditEntry.objects.filter(action="document.layout_saved").exists()


def test_the_test_page_prints_the_guides(personas, org, client_for):
    response = client_for(personas.officer).post(
        f"/van-ban/bo-cuc-in/{org.a.pk}/giay_khen/", _layout_post(test="1")
    )
    assert response["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.content))
    text = pdf.pages[0].extract_text()
    assert len(pdf.pages) == 1
    assert "recipient" in text and "Nguyễn Thị Phượng" in text
    assert not CertificateLayoutConfig.objects.exists()


def test_layouts_need_a_write_role_over_the_unit(personas, org, client_for):
    assert (
        client_for(personas.outsider_officer).get(f"/van-ban/bo-cuc-in/{org.a.pk}/giay_khen/").status_code
        == 404
    )
    assert client_for(personas.head).get(f"/van-ban/bo-cuc-in/{org.a.pk}/giay_khen/").status_code == 403
    assert client_for(personas.officer).get(f"/van-ban/bo-cuc-in/{org.a.pk}/khac/").status_code == 404


def test_the_certificate_job_uses_the_calibrated_layout(personas, org, decision, client_for, monkeypatch):
    from thidua.awards import views

    monkeypatch.setattr(views, "INLINE_DECISION_LIMIT", 0)
    client = client_for(personas.officer)
    client.post(
        f"/van-ban/bo-cuc-in/{org.root.pk}/giay_khen/", _layout_post(recipient__font_size=30, save="1")
    )
    # root is outside the officer's write scope: nothing saved
    assert not CertificateLayoutConfig.objects.exists()
    client.post(f"/van-ban/bo-cuc-in/{org.a.pk}/giay_khen/", _layout_post(offset_y_mm=10, save="1"))
    response = client.get(f"/khen-thuong/quyet-dinh/{decision.pk}/chung-nhan.pdf")
    job = Job.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert job.status == Job.Status.DONE
    assert len(PdfReader(job.result.open("rb")).pages) == 2


def test_a_position_outside_the_page_is_refused(personas, org, client_for):
    response = client_for(personas.officer).post(
        f"/van-ban/bo-cuc-in/{org.a.pk}/giay_khen/", _layout_post(recipient__y_mm=400, save="1")
    )
    assert response.status_code == 200
    assert "Trường “recipient”: y = 400 mm nằm ngoài trang (210 mm)" in response.content.decode()
    assert not CertificateLayoutConfig.objects.exists()


def test_the_default_decision_template_can_be_downloaded_and_uploaded_back(personas, org, client_for):
    client = client_for(personas.officer)
    response = client.get("/van-ban/mau-van-ban/mau-quyet-dinh.docx")
    assert response.status_code == 200
    assert "{{ individuals[].name }}" in "".join(
        c.text for t in Document(io.BytesIO(response.content)).tables for r in t.rows for c in r.cells
    )
    assert _upload(client, org.a, response.content).status_code == 302
    assert client_for(personas.staff).get("/van-ban/mau-van-ban/mau-quyet-dinh.docx").status_code == 403


def test_a_layout_takes_millimetres_with_a_decimal_comma(personas, org, client_for):
    url = f"/van-ban/bo-cuc-in/{org.a.pk}/giay_khen/"
    response = client_for(personas.officer).post(url, _layout_post(recipient__y_mm="111,5", save="1"))
    assert response.status_code == 302
    assert layout_for(org.a_dept, "giay_khen").fields["recipient"].y_mm == 111.5


def test_the_documents_page_leads_to_templates_and_layouts_for_those_who_set_them(personas, client_for):
    page = client_for(personas.officer).get("/van-ban/viec/").content.decode()
    assert 'href="/van-ban/mau-van-ban/"' in page and 'href="/van-ban/bo-cuc-in/"' in page
    staff = client_for(personas.staff).get("/van-ban/viec/").content.decode()
    assert 'href="/van-ban/mau-van-ban/"' not in staff
