"""Uploads are recognised by their bytes, not their names; no upload is kept past its limit."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from thidua.core.uploads import (
    DOCX_TEMPLATE,
    EVIDENCE,
    SCORING_TABLE,
    TABLE_IMPORT,
    TooLargeUpload,
    UploadRefused,
    check_upload,
    content_type_of,
    sniff,
)


def ooxml(main: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(main, "<x/>")
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n...", "pdf"),
        (b"\x89PNG\r\n\x1a\n....", "png"),
        (b"\xff\xd8\xff\xe0....", "jpeg"),
        (ooxml("word/document.xml"), "docx"),
        (ooxml("xl/workbook.xml"), "xlsx"),
        ("meta:\n  title: Bảng chấm điểm\n".encode(), "text"),
        (b"PK\x03\x04 broken", None),
        (b"<!DOCTYPE html><html></html>", None),
        (b"  <svg onload=alert(1)>", None),
        (b"MZ\x90\x00", None),
        ("chữ".encode("utf-16"), None),
    ],
)
def test_sniff_reads_the_kind_from_the_bytes(data, kind):
    assert sniff(data) == kind


def test_a_file_is_renamed_to_the_kind_it_is_and_served_as_that():
    upload = SimpleUploadedFile("bao-cao.exe", b"%PDF-1.4 x")
    assert check_upload(upload, EVIDENCE) == "pdf"
    assert upload.name == "bao-cao.pdf"
    assert content_type_of(upload.name) == "application/pdf"
    assert content_type_of("x.html") == "application/octet-stream"


def test_each_use_has_its_own_kinds_and_size():
    with pytest.raises(UploadRefused, match=r"tệp mẫu cần tệp Word \.docx"):
        check_upload(SimpleUploadedFile("mau.docx", ooxml("xl/workbook.xml")), DOCX_TEMPLATE)
    with pytest.raises(UploadRefused, match="quá lớn: tối đa 5 MB"):
        check_upload(SimpleUploadedFile("a.yaml", b"a: 1\n" * (2 * 1024 * 1024)), SCORING_TABLE)
    csv = SimpleUploadedFile("nhan-su.txt", "Số CCCD;Họ và tên\n".encode())
    assert check_upload(csv, TABLE_IMPORT) == "csv" and csv.name == "nhan-su.csv"
    with pytest.raises(UploadRefused, match="rỗng"):
        check_upload(SimpleUploadedFile("a.pdf", b""), EVIDENCE)


def test_a_file_cut_off_by_the_upload_handler_is_refused():
    with pytest.raises(UploadRefused, match="quá lớn"):
        check_upload(TooLargeUpload("lon.pdf", 30 * 1024 * 1024), EVIDENCE)


def test_the_upload_handler_stops_keeping_a_file_past_the_limit(personas, client_for, settings, org):
    """A real multipart request: the form sees a TooLargeUpload and says the file is too big."""
    settings.MAX_UPLOAD_BYTES = 64 * 1024
    body = "Mã đơn vị\n".encode() + b"x" * (200 * 1024)
    response = client_for(personas.officer).post(
        "/to-chuc/nhap-du-lieu/", {"kind": "people", "file": SimpleUploadedFile("a.csv", body)}
    )
    assert response.status_code == 200
    assert "quá lớn: tối đa 20 MB" in response.content.decode()
