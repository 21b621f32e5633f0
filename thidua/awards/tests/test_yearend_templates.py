"""GIVEN a submitted dossier of province A (An, voted 10/10 by the council) WHEN the province uploads
its own .docx for the tờ trình, the biên bản, the danh sách or the báo cáo thành tích THEN the
download pages fill that template with the dossier's data; a template with an unknown placeholder
is refused with the placeholder named."""

from __future__ import annotations

import io
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from thidua.awards.tests.helpers import submitted_dossier
from thidua.documents.models import DocumentTemplate

MARK = "MẪU RIÊNG CỦA BHXH HÀ NỘI"


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _template(lines: list[str], columns: list[str]) -> bytes:
    """A Word file: MARK, the given paragraphs, then a table whose one row repeats per item of `rows`."""
    word = Document()
    word.add_paragraph(MARK)
    for line in lines:
        word.add_paragraph(line)
    if columns:
        table = word.add_table(rows=1, cols=len(columns))
        for cell, column in zip(table.rows[0].cells, columns, strict=True):
            cell.text = f"{{{{ rows[].{column} }}}}"
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def _upload(client: Any, unit: Any, kind: str, content: bytes) -> Any:
    upload = SimpleUploadedFile(f"{kind}.docx", content)
    return client.post("/van-ban/mau-van-ban/", {"unit": unit.pk, "kind": kind, "file": upload})


COMMON = ["{{ issuer }} {{ number_symbol }}", "{{ place_date }}", "{{ title }}", "{{ body[].text }}"]

CASES = [
    (
        "submission",
        "to-trinh",
        [*COMMON, "Kính gửi: {{ addressees[].text }}", "{{ annex.title }} ({{ row_count }})"],
        ["stt", "name", "position_unit"],
        ["Về việc đề nghị công nhận, tặng", "1 | Nguyễn Văn An |", "DANH SÁCH ĐỀ NGHỊ", "(1)"],
    ),
    (
        "council_minutes",
        "bien-ban",
        [*COMMON, "{{ signature_position }}: {{ signer_name }}"],
        ["stt", "name", "title_name", "agree", "disagree", "ratio", "threshold", "result"],
        [
            "1 | Nguyễn Văn An |",
            "| 10 | 0 | 100,0% |",
            "| Đạt",
            "10/10 thành viên",
            "CHỦ TỊCH HỘI ĐỒNG: Thành viên",
        ],
    ),
    (
        "proposal_list",
        "danh-sach",
        COMMON,
        ["stt", "name", "position_unit", "basis", "vote"],
        ["1 | Nguyễn Văn An |", "| Đủ tiêu chuẩn | Đạt"],
    ),
    (
        "dossier_achievement",
        "bao-cao-thanh-tich",
        [*COMMON, "{{ reports[].title }}", "{{ reports[].text }}"],
        [],
        [
            "1. Nguyễn Văn An, Chuyên viên Phòng Quản lý thu, Bảo hiểm xã hội thành phố Hà Nội",
            "- Kết quả thực hiện nhiệm vụ năm 2025: [Nêu các nhiệm vụ được giao",
            "- Sáng kiến, giải pháp được công nhận: “Số hóa hồ sơ thu” (năm 2025).",
        ],
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "slug", "lines", "columns", "expected"), CASES)
def test_the_dossier_documents_use_the_organisations_template(
    org: SimpleNamespace,
    personas: SimpleNamespace,
    council: SimpleNamespace,
    history: Any,
    client_for: Any,
    media: Any,
    kind: str,
    slug: str,
    lines: list[str],
    columns: list[str],
    expected: list[str],
) -> None:
    dossier, _ = submitted_dossier(org, council, personas.officer)
    officer = client_for(personas.officer)
    builtin = _text(officer.get(f"/khen-thuong/ho-so/{dossier.pk}/tai-lieu/{slug}.docx").content)
    assert MARK not in builtin and "Nguyễn Văn An" in builtin

    r = _upload(officer, org.a, kind, _template(lines, columns))
    assert r.status_code == 302
    assert DocumentTemplate.objects.filter(unit=org.a, kind=kind).exists()

    text = _text(officer.get(f"/khen-thuong/ho-so/{dossier.pk}/tai-lieu/{slug}.docx").content)
    assert MARK in text and "BẢO HIỂM XÃ HỘI THÀNH PHỐ HÀ NỘI" in text.upper()
    assert "{{" not in text
    for fragment in expected:
        assert fragment in text, (fragment, text)
    if kind == "council_minutes":
        meeting = _text(officer.get(f"/khen-thuong/phien-hop/{dossier.meeting_id}/bien-ban.docx").content)
        assert MARK in meeting and "| 10 | 0 | 100,0% |" in meeting


@pytest.mark.django_db
@pytest.mark.parametrize("kind", [case[0] for case in CASES])
def test_a_template_with_an_unknown_placeholder_is_refused(
    org: SimpleNamespace, personas: SimpleNamespace, client_for: Any, media: Any, kind: str
) -> None:
    r = _upload(client_for(personas.officer), org.a, kind, _template(["{{ ho_ten_sai }}"], ["name"]))
    assert r.status_code == 200
    assert "Trường “ho_ten_sai” không có trong dữ liệu của loại văn bản này" in r.content.decode()
    assert not DocumentTemplate.objects.filter(kind=kind).exists()
