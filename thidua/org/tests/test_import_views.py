from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from thidua.audit.models import AuditEntry
from thidua.org.models import Person
from thidua.org.tests.import_helpers import PEOPLE_HEADERS, UNIT_HEADERS, xlsx

pytestmark = pytest.mark.django_db

HOA = [
    "001195000101",
    "Phạm Thị Hoa",
    "Nữ",
    "12/03/1995",
    "",
    "BHXH-01-THU",
    "Chuyên viên",
    "01/08/2018",
    "",
    "",
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(client, data: bytes, name: str = "nhan-su.xlsx", kind: str = "people"):
    return client.post(reverse("org:import_start"), {"kind": kind, "file": SimpleUploadedFile(name, data)})


def test_the_upload_page_links_the_templates_and_the_nav_shows_it(personas, client_for):
    response = client_for(personas.officer).get(reverse("org:import_start"))

    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("org:import_template", args=["nhan-su", "xlsx"]) in html
    assert reverse("org:import_template", args=["don-vi", "csv"]) in html
    assert f'<a href="{reverse("org:import_start")}" aria-current="page">Nhập dữ liệu</a>' in html


def test_upload_preview_commit_writes_and_reports(personas, client_for, tmp_path):
    client = client_for(personas.officer)

    response = upload(
        client,
        xlsx(PEOPLE_HEADERS, [HOA, ["001085012345", "", "", "", "", "", "", "", "an@bhxh.gov.vn", ""]]),
    )
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert not Person.objects.filter(citizen_id="001195000101").exists()  # preview writes nothing
    html = preview.content.decode()
    assert "Ghi vào cơ sở dữ liệu" in html and "sẽ thêm mới" in html
    assert "Phạm Thị Hoa" in html and "Thư điện tử: (trống) → an@bhxh.gov.vn" in html
    token = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    assert (tmp_path / "imports" / f"{token}.upload").exists()

    result = client.post(reverse("org:import_commit", args=[token]))

    assert result.status_code == 200
    assert "1 thêm mới, 1 cập nhật, 0 không đổi" in result.content.decode()
    hoa = Person.objects.get(citizen_id="001195000101")
    assert hoa.positions.get().started_on == date(2018, 8, 1)
    entry = AuditEntry.objects.get(action="import.committed")
    assert entry.actor == personas.officer and entry.detail["counts"]["created"] == 1
    assert not (tmp_path / "imports" / f"{token}.upload").exists()
    assert client.post(reverse("org:import_commit", args=[token])).status_code == 404  # once only


def test_the_preview_lists_every_problem_and_offers_no_commit(personas, client_for):
    client = client_for(personas.officer)
    bad = list(HOA)
    bad[3] = "31/02/2020"
    other = ["001090000505", "Lý Văn Sơn", "Nữ", "01/01/1990", "", "BHXH-79", "", "", "", ""]

    preview = client.get(upload(client, xlsx(PEOPLE_HEADERS, [bad, other]))["Location"])

    html = preview.content.decode()
    assert "có 3 lỗi ở 2 dòng" in html
    assert "<td>2</td><td>Ngày sinh</td><td><code>31/02/2020</code></td>" in html
    assert "giới tính nam" in html and "ngoài phạm vi" in html
    assert "Ghi vào cơ sở dữ liệu" not in html


def test_a_malformed_upload_is_reported_on_the_preview(personas, client_for):
    client = client_for(personas.officer)

    response = upload(client, b"PK\x03\x04broken", "hong.xlsx")

    # Checked by content at the upload: a broken package is not an .xlsx, whatever its name.
    assert response.status_code == 200
    assert (
        "Tệp không đúng loại: tệp nhập cần tệp CSV (văn bản UTF-8) hoặc Excel .xlsx"
        in response.content.decode()
    )


def test_the_commit_checks_everything_again(personas, client_for, org):
    client = client_for(personas.officer)
    location = upload(client, xlsx(PEOPLE_HEADERS, [HOA]))["Location"]
    token = location.rstrip("/").rsplit("/", 1)[-1]
    # Between preview and commit the unit ends: the commit must notice.
    org.a_dept.valid_to = date(2025, 12, 31)
    org.a_dept.save()

    response = client.post(reverse("org:import_commit", args=[token]))

    assert response.status_code == 409
    assert "ngừng hoạt động" in response.content.decode()
    assert not Person.objects.filter(citizen_id="001195000101").exists()
    assert not AuditEntry.objects.filter(action="import.committed").exists()


def test_an_upload_belongs_to_the_session_that_made_it(personas, client_for):
    location = upload(client_for(personas.officer), xlsx(PEOPLE_HEADERS, [HOA]))["Location"]
    token = location.rstrip("/").rsplit("/", 1)[-1]

    other = client_for(personas.admin)

    assert other.get(location).status_code == 404
    assert other.post(reverse("org:import_commit", args=[token])).status_code == 404
    assert not Person.objects.filter(citizen_id="001195000101").exists()


def test_staff_and_unit_heads_cannot_import(personas, client_for):
    for user in (personas.staff, personas.head):
        client = client_for(user)
        assert client.get(reverse("org:import_start")).status_code == 403
        assert upload(client, xlsx(PEOPLE_HEADERS, [HOA])).status_code == 403
        assert client.get(reverse("org:import_template", args=["nhan-su", "xlsx"])).status_code == 403
    assert not Person.objects.filter(citizen_id="001195000101").exists()


def test_an_outsider_officer_sees_the_scope_problem_and_cannot_commit(personas, client_for):
    client = client_for(personas.outsider_officer)
    location = upload(client, xlsx(PEOPLE_HEADERS, [HOA]))["Location"]
    token = location.rstrip("/").rsplit("/", 1)[-1]

    assert "ngoài phạm vi" in client.get(location).content.decode()
    assert client.post(reverse("org:import_commit", args=[token])).status_code == 409
    assert not Person.objects.filter(citizen_id="001195000101").exists()


@pytest.mark.parametrize(
    ("slug", "sheet", "headers"), [("nhan-su", "Nhân sự", PEOPLE_HEADERS), ("don-vi", "Đơn vị", UNIT_HEADERS)]
)
def test_the_xlsx_template_opens_with_the_headers_and_imports_back(
    personas, client_for, slug, sheet, headers
):
    client = client_for(personas.officer)

    response = client.get(reverse("org:import_template", args=[slug, "xlsx"]))

    assert response.status_code == 200
    assert f'filename="mau-nhap-{slug}.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    ws = workbook[sheet]
    assert [str(c.value).removesuffix(" *") for c in ws[1]] == headers
    assert "Hướng dẫn" in workbook.sheetnames
    # Fill the template as a user would and import it.
    ws.append(
        HOA
        if slug == "nhan-su"
        else ["BHXH-01-CS", "Phòng Chế độ BHXH", "", "Phòng", "BHXH-01", "Không", "01", "01/01/2026"]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    kind = "people" if slug == "nhan-su" else "units"
    preview = client.get(upload(client, buffer.getvalue(), f"{slug}.xlsx", kind)["Location"])
    assert "sẽ thêm mới" in preview.content.decode(), preview.content.decode()


def test_the_csv_template_has_the_headers_and_a_bom(personas, client_for):
    response = client_for(personas.officer).get(reverse("org:import_template", args=["nhan-su", "csv"]))

    assert response.content.startswith(b"\xef\xbb\xbf")
    assert next(csv.reader(io.StringIO(response.content.decode("utf-8-sig")))) == PEOPLE_HEADERS


def test_the_form_refuses_a_missing_file_or_another_extension(personas, client_for, tmp_path):
    client = client_for(personas.officer)

    missing = client.post(reverse("org:import_start"), {"kind": "people"})
    pdf = upload(client, b"%PDF-1.4", "danh-sach.pdf")

    assert missing.status_code == 200 and "errorlist" in missing.content.decode()
    assert pdf.status_code == 200 and "Tệp không đúng loại" in pdf.content.decode()
    assert not (tmp_path / "imports").exists() or not list((tmp_path / "imports").iterdir())


def test_the_nav_offers_import_only_to_who_may_import(org, personas, client_for):
    link = f'href="{reverse("org:import_start")}"'
    assert link in client_for(personas.officer).get("/").content.decode()
    assert link not in client_for(personas.staff).get("/").content.decode()
    assert link not in client_for(personas.head).get("/").content.decode()
