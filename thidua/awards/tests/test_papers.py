"""GIVEN a dossier of BHXH thành phố Hà Nội (An, voted 10/10, plus a department as a collective) WHEN its
papers are printed THEN they say what a clerk signs: the tờ trình addressed to the body that decides and
signed by the real head (or, for a title the unit decides itself, by the council's chair), collectives and
individuals counted apart; the danh sách "kèm theo Tờ trình số …" and signed; one compact báo cáo thành
tích in plain words with hints, never the engine's reasoning. The decision has its signing form, the
accountant gets a prize list, and a staff member downloads their own extract and certificate."""

from __future__ import annotations

import io
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from thidua.awards import documents, services
from thidua.awards.models import Candidate, Dossier
from thidua.awards.tests.helpers import submitted_dossier
from thidua.core.errors import DomainError
from thidua.documents.templates_docx import SHIPPED_TEMPLATES
from thidua.documents.tests.pages import needs_libreoffice, needs_libreoffice_calc, outside, page_of, to_pdf
from thidua.org import services as org_services
from thidua.org.models import Position

pytestmark = pytest.mark.django_db


def _texts(content: bytes) -> list[str]:
    """Every non-empty paragraph in reading order, table cells included, whitespace normalised."""
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph as DocxParagraph

    texts: list[str] = []

    def walk(container: Any) -> None:
        for item in container.iter_inner_content():
            if isinstance(item, DocxParagraph):
                if item.text.strip():
                    texts.append(" ".join(item.text.split()))
            elif isinstance(item, DocxTable):
                for row in item.rows:
                    for cell in row.cells:
                        walk(cell)

    walk(Document(io.BytesIO(content)))
    return texts


def _with_collective(org: SimpleNamespace, dossier: Dossier) -> None:
    Candidate.objects.create(
        unit=org.a,
        year=dossier.year,
        award_id=dossier.award_id,
        kind="title",
        collective=org.a_dept,
        status="confirmed",
        dossier=dossier,
        vote_passed=True,
        source=Candidate.Source.MANUAL,
        note="Dẫn đầu khối thu năm 2025.",
    )


@pytest.fixture
def heads(org: SimpleNamespace) -> SimpleNamespace:
    """Heads recorded in the positions: Bình heads Hà Nội, Cường heads the sector (for the test)."""
    Position.objects.create(person=org.binh, unit=org.a, title="Giám đốc", started_on=date(2020, 1, 1))
    Position.objects.create(person=org.cuong, unit=org.root, title="Giám đốc", started_on=date(2020, 1, 1))
    return SimpleNamespace(a="Trần Thị Bình", root="Lê Văn Cường")


def test_a_title_the_unit_decides_itself_is_submitted_by_its_council_to_its_own_head(
    org, council, personas, history, heads
):
    dossier, _ = submitted_dossier(org, council, personas.officer)
    _with_collective(org, dossier)
    texts = _texts(documents.dossier_docx("to-trinh", dossier))
    text = " ".join(texts)
    assert "Kính gửi: Giám đốc Bảo hiểm xã hội thành phố Hà Nội." in texts
    assert "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG" in text and "Số: /TTr-HĐTĐKT" in text
    assert "cho 1 tập thể và 1 cá nhân (có danh sách kèm theo)" in text
    assert "TM. HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG CHỦ TỊCH Thành viên Hội đồng Số 0" in text
    assert "Bảo hiểm xã hội Việt Nam xem xét" not in text  # not sent to head office


def test_a_title_decided_above_is_addressed_to_the_head_above_and_signed_by_the_real_head(
    org, council, personas, history, heads
):
    dossier = Dossier.objects.create(unit=org.a, appraiser=org.root, year=2025, award_id="bang_khen_bo_tinh")
    Candidate.objects.create(
        unit=org.a,
        year=2025,
        award_id="bang_khen_bo_tinh",
        kind="form",
        person=org.an,
        status="confirmed",
        dossier=dossier,
        engine_result={
            "authority": ["bo_truong_chu_tich_tinh"],
            "reasons": [{"ok": True, "text": "ENGINE-WORDS"}],
        },
    )
    _with_collective(org, dossier)
    text = " ".join(_texts(documents.dossier_docx("to-trinh", dossier)))
    assert "Kính gửi: Giám đốc Bảo hiểm xã hội Việt Nam." in text
    assert "Bằng khen của Bảo hiểm xã hội Việt Nam" in text and "bộ, ban, ngành, tỉnh" not in text
    assert "cho 1 tập thể và 1 cá nhân" in text
    assert "GIÁM ĐỐC Trần Thị Bình" in text  # the head of the proposing unit, by name
    listing = " ".join(_texts(documents.dossier_docx("danh-sach", dossier)))
    assert "(Kèm theo Tờ trình số /TTr-BHXH ngày tháng năm của Bảo hiểm xã hội thành phố Hà Nội)" in listing
    assert "1. Tập thể" in listing and "2. Cá nhân" in listing
    assert "Phòng Quản lý thu, Bảo hiểm xã hội thành phố Hà Nội" in listing
    assert "GIÁM ĐỐC Trần Thị Bình" in listing and "Tổng số: 1 tập thể và 1 cá nhân." in listing
    # the law puts a Bằng khen to no secret ballot: the list says so rather than "not yet voted"
    assert "Không bỏ phiếu" in listing and "Chưa bỏ phiếu" not in listing
    report = documents.dossier_docx("bao-cao-thanh-tich", dossier)
    words = " ".join(_texts(report))
    assert "ENGINE-WORDS" not in words and "xét tự động" not in words
    assert "1. Phòng Quản lý thu, Bảo hiểm xã hội thành phố Hà Nội" in words
    assert "2. Nguyễn Văn An, Chuyên viên Phòng Quản lý thu" in words
    assert "- Kết quả thực hiện nhiệm vụ năm 2025: [Nêu" in words  # a hint where there is no data
    assert "Chiến sĩ thi đua cơ sở năm 2024" in words  # what the records show
    assert "- Lý do đề nghị: Dẫn đầu khối thu năm 2025." in words  # the officer's own words
    xml = Document(io.BytesIO(report)).element.xml
    assert 'w:type="page"' not in xml  # one compact document, not a page per candidate


@pytest.mark.parametrize("kind", ["submission", "proposal_list", "dossier_achievement"])
def test_each_shipped_template_uploaded_unchanged_gives_the_built_in_text(
    org, council, personas, history, heads, client_for, media, kind
):
    slug = {v: k for k, v in documents.DOSSIER_KINDS.items()}[kind]
    dossier, _ = submitted_dossier(org, council, personas.officer)
    _with_collective(org, dossier)
    officer = client_for(personas.officer)
    built_in = officer.get(f"/khen-thuong/ho-so/{dossier.pk}/tai-lieu/{slug}.docx").content
    shipped = officer.get(f"/van-ban/mau-van-ban/mau/{kind}.docx")
    assert shipped.status_code == 200 and shipped.content == SHIPPED_TEMPLATES[kind][0].read_bytes()
    upload = SimpleUploadedFile(f"{kind}.docx", shipped.content)
    response = officer.post("/van-ban/mau-van-ban/", {"unit": org.a.pk, "kind": kind, "file": upload})
    assert response.status_code == 302
    from_template = officer.get(f"/khen-thuong/ho-so/{dossier.pk}/tai-lieu/{slug}.docx").content
    assert from_template != built_in
    assert " ".join(_texts(from_template)) == " ".join(_texts(built_in))


def _decide(
    org: SimpleNamespace, council: SimpleNamespace, personas: SimpleNamespace, root_officer: Any, **kw: Any
) -> Any:
    dossier, cand = submitted_dossier(org, council, personas.officer)
    services.appraise_dossier(actor=root_officer, dossier=dossier, version=2, verdicts={cand.pk: (True, "")})
    values: dict[str, Any] = {
        "signed_on": date(2026, 1, 5),
        "signer_name": "Lê Văn Cường",
        "signer_title": "Giám đốc",
    }
    values.update(kw)
    return services.issue_decision(actor=root_officer, dossier=dossier, version=3, **values)


def test_the_signing_form_comes_from_the_decision_form(
    org, council, personas, history, root_officer, client_for, heads
):
    dossier, cand = submitted_dossier(org, council, personas.officer)
    services.appraise_dossier(actor=root_officer, dossier=dossier, version=2, verdicts={cand.pk: (True, "")})
    with pytest.raises(DomainError, match="Hình thức ký"):
        services.issue_decision(
            actor=root_officer,
            dossier=dossier,
            version=3,
            signed_on=date(2026, 1, 5),
            signer_name="Phạm Văn Đức",
            signer_title="Chánh Văn phòng",
            signing_form="XX.",
        )
    client = client_for(root_officer)
    response = client.post(
        f"/khen-thuong/ho-so/{dossier.pk}/ban-hanh/",
        {
            "version": 3,
            "signed_on": "2026-01-05",
            "signer_name": "Phạm Văn Đức",
            "signer_title": "Chánh Văn phòng",
            "signing_form": "TL.",
        },
    )
    assert response.status_code == 302
    decision = dossier.decision
    assert decision.signing_form == "TL."
    text = " ".join(_texts(client.get(f"/khen-thuong/quyet-dinh/{decision.pk}/quyet-dinh.docx").content))
    assert "TL. GIÁM ĐỐC CHÁNH VĂN PHÒNG Phạm Văn Đức" in text
    assert "GIÁM ĐỐC BẢO HIỂM XÃ HỘI VIỆT NAM" in text  # the authority line names the head's office


def test_the_accountant_gets_the_prize_list_with_totals_and_signatures(
    org, council, personas, history, root_officer, client_for, heads
):
    decision = _decide(org, council, personas, root_officer)
    response = client_for(root_officer).get(
        f"/khen-thuong/quyet-dinh/{decision.pk}/danh-sach-chi-thuong.xlsx"
    )
    assert response.status_code == 200
    ws: Any = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    header = next(i for i, row in enumerate(values) if row[0] == "STT")
    line = values[header + 1]
    award = decision.awards.get()
    assert line[:5] == [
        1,
        "Nguyễn Văn An",
        "Chuyên viên Phòng Quản lý thu, Bảo hiểm xã hội thành phố Hà Nội",
        "Chiến sĩ thi đua cơ sở",
        award.prize_vnd,
    ]
    assert ws.cell(row=header + 2, column=5).number_format == "#,##0" and award.prize_vnd > 0
    assert values[header + 2][1] == "Tổng cộng" and values[header + 2][4] == award.prize_vnd
    flat = {v for row in values for v in row if isinstance(v, str)}
    assert {"NGƯỜI LẬP BIỂU", "KẾ TOÁN TRƯỞNG", "THỦ TRƯỞNG ĐƠN VỊ", heads.root} <= flat
    assert any(v.startswith("Bằng chữ: ") for v in flat)
    assert ws.page_setup.orientation == "landscape" and ws.oddFooter.center.text == "Trang &P/&N"
    assert (
        client_for(personas.outsider_officer)
        .get(f"/khen-thuong/quyet-dinh/{decision.pk}/danh-sach-chi-thuong.xlsx")
        .status_code
        == 404
    )


def test_a_staff_member_downloads_their_own_extract_and_certificate_and_nobody_elses(
    org, council, personas, history, root_officer, client_for
):
    decision = _decide(org, council, personas, root_officer)
    award = decision.awards.get()
    staff = client_for(personas.staff)
    page = staff.get("/khen-thuong/cua-toi/").content.decode()
    assert f"/khen-thuong/cua-toi/khen-thuong/{award.pk}/trich-quyet-dinh.docx" in page
    extract = staff.get(f"/khen-thuong/cua-toi/khen-thuong/{award.pk}/trich-quyet-dinh.docx")
    assert extract.status_code == 200
    text = " ".join(_texts(extract.content))
    assert f"Số: {decision.number_symbol}" in text and "Trích Phụ lục" in text and "Nguyễn Văn An" in text
    certificate = staff.get(f"/khen-thuong/cua-toi/khen-thuong/{award.pk}/giay-chung-nhan.pdf")
    assert certificate.status_code == 200
    pages = PdfReader(io.BytesIO(certificate.content)).pages
    assert len(pages) == 1 and "Ông Nguyễn Văn An" in pages[0].extract_text()
    # someone else's award (or one recorded from elsewhere) has no papers for this login
    other = client_for(personas.officer)
    assert other.get(f"/khen-thuong/cua-toi/khen-thuong/{award.pk}/trich-quyet-dinh.docx").status_code == 404
    history_award = org.an.awards.exclude(pk=award.pk).first()
    assert (
        staff.get(f"/khen-thuong/cua-toi/khen-thuong/{history_award.pk}/giay-chung-nhan.pdf").status_code
        == 404
    )
    services.revoke_award(
        actor=root_officer, award=award, clause="a", revoked_on=date(2026, 9, 1), decision_number="9/QĐ-BHXH"
    )
    assert staff.get(f"/khen-thuong/cua-toi/khen-thuong/{award.pk}/giay-chung-nhan.pdf").status_code == 404


@needs_libreoffice
@needs_libreoffice_calc  # the prize list is a spreadsheet
def test_laid_out_by_libreoffice_the_papers_keep_their_signatures_and_cells(
    org, council, personas, history, root_officer, heads, tmp_path
):
    dossier, cand = submitted_dossier(org, council, personas.officer)
    _with_collective(org, dossier)
    for i in range(45):
        person = org_services.create_person(
            actor=None,
            citizen_id=f"00109500{i:04d}",
            full_name=f"Nguyễn Thị Thu Hương {i}",
            gender="nam",
            unit=org.a_dept,
            title="Phó Trưởng phòng",
            started_on=date(2015, 1, 1),
        )
        Candidate.objects.create(
            unit=org.a,
            year=2025,
            award_id=cand.award_id,
            kind="title",
            person=person,
            status="confirmed",
            dossier=dossier,
            vote_passed=True,
        )
    files = {f"{slug}.docx": documents.dossier_docx(slug, dossier) for slug in documents.DOSSIER_DOCUMENTS}
    services.appraise_dossier(
        actor=root_officer,
        dossier=dossier,
        version=dossier.version,
        verdicts={c.pk: (True, "") for c in dossier.candidates.all()},
    )
    dossier.refresh_from_db()
    decision = services.issue_decision(
        actor=root_officer,
        dossier=dossier,
        version=dossier.version,
        signed_on=date(2026, 1, 5),
        signer_name="Lê Văn Cường",
        signer_title="Giám đốc",
    )
    files["chi-thuong.xlsx"] = documents.prize_list_xlsx(decision)
    files["quyet-dinh.docx"] = documents.decision_docx(decision)
    laid_out = to_pdf(files, tmp_path)
    for name, signer in (
        ("to-trinh.docx", "Thành viên Hội đồng Số 0"),
        ("danh-sach.docx", "Trần Thị Bình"),
        ("bao-cao-thanh-tich.docx", "Trần Thị Bình"),
        ("quyet-dinh.docx", "Lê Văn Cường"),
    ):
        pages = laid_out[name]
        assert len(pages) > 1, name
        assert outside(pages, left_mm=30, right_mm=15) == [], name
        signed = page_of(pages, signer)
        assert page_of(pages, "GIÁM ĐỐC" if name != "to-trinh.docx" else "TM. HỘI ĐỒNG") <= signed
        for number, page in enumerate(pages, start=1):
            assert [w for w in page.words if w.text != str(number)], f"{name}: trang {number} trống"
        assert "ST" not in {w.text for p in pages for w in p.words}, name  # "STT" never broken
    listing = laid_out["danh-sach.docx"]
    assert page_of(listing, "Tổng số: 1 tập thể và 46 cá nhân.") == page_of(listing, "Trần Thị Bình")
    report = laid_out["bao-cao-thanh-tich.docx"]
    assert len(report) <= 12  # compact: about four candidates a page, not a page each
    sheet = laid_out["chi-thuong.xlsx"]
    assert page_of(sheet, "Tổng cộng") == page_of(sheet, "Bằng chữ:") == len(sheet) - 1
    assert (
        sheet[-1].has("NGƯỜI LẬP BIỂU") and sheet[-1].has("KẾ TOÁN TRƯỞNG") and sheet[-1].has("Lê Văn Cường")
    )
    assert all(p.has("STT") for p in sheet)  # the header row repeats on every printed page
