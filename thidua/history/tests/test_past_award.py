"""One past award entered on the person's page, with its scanned decision checked by content."""

from __future__ import annotations

import io
from typing import Any

from thidua.audit.models import AuditEntry
from thidua.core.uploads import MAX_SCAN_BYTES
from thidua.history.models import AwardRecord, DecisionScan

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _file(content: bytes, name: str) -> io.BytesIO:
    upload = io.BytesIO(content)
    upload.name = name
    return upload


def _form(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "award_id": "bang_khen_bo_tinh",
        "year": "",
        "decision_number": "345/QĐ-UBND",
        "decided_on": "2018-05-20",
        "decided_by": "Chủ tịch UBND tỉnh Đắk Lắk",
        "received_at": "Trường THPT Chu Văn An (Đắk Lắk)",
        "prize_vnd": "1490000",
    }
    data.update(changes)
    return data


def test_an_officer_records_an_award_from_another_organisation_with_its_scan(
    org, personas, client_for, media
):
    client = client_for(personas.officer)
    url = f"/lich-su/khen-thuong-da-co/ca-nhan/{org.an.pk}/"
    assert "Bản chụp quyết định" in client.get(url).content.decode()

    response = client.post(url, _form(scan=_file(PDF, "quyet dinh 345.pdf")))

    assert response.status_code == 302 and response["Location"] == f"/to-chuc/nhan-su/{org.an.pk}/"
    record = AwardRecord.objects.get(person=org.an)
    assert (record.kind, record.year, record.prize_vnd) == ("form", 2018, 1490000)
    assert record.received_at == "Trường THPT Chu Văn An (Đắk Lắk)"
    scan = DecisionScan.objects.get(award=record)
    assert (scan.content_type, scan.original_name, scan.size) == (
        "application/pdf",
        "quyet dinh 345.pdf",
        len(PDF),
    )
    assert not scan.file.name.endswith("345.pdf")  # stored under a random name
    assert AuditEntry.objects.get(action="history.award_recorded").detail["scan"] == "quyet dinh 345.pdf"
    page = client.get(f"/to-chuc/nhan-su/{org.an.pk}/").content.decode()
    assert "khi công tác tại Trường THPT Chu Văn An (Đắk Lắk)" in page and "bản chụp" in page
    download = client.get(f"/lich-su/quyet-dinh/{scan.pk}/")
    assert (
        download.status_code == 200
        and download.content == PDF
        and download["Content-Type"] == "application/pdf"
    )
    assert client_for(personas.outsider_officer).get(f"/lich-su/quyet-dinh/{scan.pk}/").status_code == 404


def test_a_scan_is_judged_by_its_content_and_its_size_before_it_is_read(org, personas, client_for, media):
    client = client_for(personas.officer)
    url = f"/lich-su/khen-thuong-da-co/ca-nhan/{org.an.pk}/"

    fake = client.post(url, _form(scan=_file(b"<html><script>alert(1)</script>", "quyet-dinh.pdf")))
    big = client.post(url, _form(scan=_file(b"%PDF-" + b"0" * MAX_SCAN_BYTES, "lon.pdf")))

    assert fake.status_code == 400 and "kiểm tra theo nội dung tệp" in fake.content.decode()
    assert big.status_code == 400 and "lớn quá 10 MB" in big.content.decode()
    assert not AwardRecord.objects.exists() and not DecisionScan.objects.exists()


def test_the_form_refuses_what_cannot_be_and_who_may_not(org, personas, client_for, media):
    client = client_for(personas.officer)
    url = f"/lich-su/khen-thuong-da-co/ca-nhan/{org.an.pk}/"
    title_without_year = client.post(url, _form(award_id="chien_si_thi_dua_co_so"))
    assert (
        title_without_year.status_code == 400 and "cần năm thành tích" in title_without_year.content.decode()
    )
    assert client.post(url, _form()).status_code == 302
    twice = client.post(url, _form())
    assert (
        twice.status_code == 400 and "Đã có Bằng khen của bộ, ban, ngành, tỉnh 2018" in twice.content.decode()
    )
    assert client_for(personas.outsider_officer).get(url).status_code == 404
    assert client_for(personas.staff).post(url, _form(decided_on="2019-01-01")).status_code in (403, 404)
    assert AwardRecord.objects.count() == 1


def test_a_collective_gets_only_collective_awards(org, personas, client_for, media):
    client = client_for(personas.officer)
    url = f"/lich-su/khen-thuong-da-co/tap-the/{org.a.pk}/"
    html = client.get(url).content.decode()
    assert "Tập thể lao động xuất sắc" in html and "Chiến sĩ thi đua cơ sở" not in html
    response = client.post(
        url, _form(award_id="tap_the_lao_dong_xuat_sac", year="2017", decided_on="2018-01-10")
    )
    assert response.status_code == 302
    assert AwardRecord.objects.get(unit=org.a).award_id == "tap_the_lao_dong_xuat_sac"
