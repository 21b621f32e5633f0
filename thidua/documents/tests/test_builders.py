"""The pure builders: contexts as tables, then the rendered files read back (no database)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document
from pypdf import PdfReader

from thidua.documents.builders.achievement import (
    AchievementData,
    AwardLine,
    RatingLine,
    build_achievement_report,
)
from thidua.documents.builders.certificates import sample_record
from thidua.documents.builders.decision import DecisionData, Recipient, build_decision, decision_context
from thidua.documents.builders.labels import certificate_kind
from thidua.documents.docx_render import render_docx
from thidua.documents.docx_template import render_docx_template
from thidua.documents.official import Article, Paragraph, Signature, Table
from thidua.documents.pdf_render import GIAY_KHEN_A4, render_certificates
from thidua.documents.templates_docx import DECISION_TEMPLATE
from thidua.rules.names import award_name


def decision(recipients: list[Recipient], **kwargs: object) -> DecisionData:
    values: dict[str, object] = {
        "issuer": "Bảo hiểm xã hội\ntỉnh Đắk Lắk",
        "parent_body": "Bảo hiểm xã hội Việt Nam",
        "number_symbol": "07/QĐ-BHXH",
        "date": date(2026, 1, 5),
        "place": "Đắk Lắk",
        "signer": Signature(position="Giám đốc", signer_name="Trần Văn Bình"),
        "authority": "Giám đốc Bảo hiểm xã hội tỉnh Đắk Lắk",
        "title_id": "giay_khen",
        "title_name": "Giấy khen",
        "year": 2025,
        "recipients": recipients,
    }
    values.update(kwargs)
    return DecisionData(**values)  # type: ignore[arg-type]


PEOPLE = [
    Recipient("Nguyễn Văn An", "Chuyên viên, Phòng Quản lý thu", 300_000),
    Recipient("Trần Thị Bình", "Phó Giám đốc", 300_000),
    Recipient("Phòng Quản lý thu", "Bảo hiểm xã hội tỉnh Đắk Lắk", 1_000_000, collective=True),
]


def _articles(doc: object) -> dict[int, Article]:
    return {b.number: b for b in doc.body if isinstance(b, Article)}  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("recipients", "kwargs", "title", "article1", "clauses"),
    [
        (
            PEOPLE[:2],
            {},
            "Về việc tặng Giấy khen",
            "Tặng Giấy khen cho 2 cá nhân đã có thành tích xuất sắc trong thực hiện nhiệm vụ năm 2025 (có danh sách kèm theo).",
            [
                "Mức tiền thưởng: 300.000 đồng cho mỗi cá nhân.",
                "Tổng số tiền thưởng: 600.000 đồng (Sáu trăm nghìn đồng).",
            ],
        ),
        (
            PEOPLE,
            {},
            "Về việc tặng Giấy khen",
            "Tặng Giấy khen cho 1 tập thể và 2 cá nhân đã có thành tích xuất sắc trong thực hiện nhiệm vụ năm 2025 (có danh sách kèm theo).",
            [
                "Mức tiền thưởng: 1.000.000 đồng cho mỗi tập thể; 300.000 đồng cho mỗi cá nhân.",
                "Tổng số tiền thưởng: 1.600.000 đồng (Một triệu sáu trăm nghìn đồng).",
            ],
        ),
        (  # one person paid only the difference: no "mỗi" amount, the rows say what each gets
            [*PEOPLE[:2], Recipient("Lê Văn Cường", "Chuyên viên", 0)],
            {},
            "Về việc tặng Giấy khen",
            "Tặng Giấy khen cho 3 cá nhân đã có thành tích xuất sắc trong thực hiện nhiệm vụ năm 2025 (có danh sách kèm theo).",
            ["Tổng số tiền thưởng: 600.000 đồng (Sáu trăm nghìn đồng)."],
        ),
        (
            [Recipient("Lê Văn Cường", "Chuyên viên", None)],
            {"title_kind": "title", "title_name": "Lao động tiên tiến", "title_id": "lao_dong_tien_tien"},
            "Về việc tặng danh hiệu “Lao động tiên tiến” năm 2025",
            "Tặng danh hiệu “Lao động tiên tiến” năm 2025 cho 1 cá nhân đã có thành tích xuất sắc trong thực hiện nhiệm vụ năm 2025 (có danh sách kèm theo).",
            [],
        ),
    ],
)
def test_decision_context(recipients, kwargs, title, article1, clauses):
    doc = build_decision(decision(recipients, **kwargs))
    assert doc.title == title
    assert doc.type_label == "Quyết định"
    assert doc.legal_bases[-1] == "Theo đề nghị của Trưởng phòng Tổ chức cán bộ"
    articles = _articles(doc)
    assert sorted(articles) == [1, 2, 3]
    assert articles[1].text == article1
    assert list(articles[1].clauses) == clauses
    assert "chịu trách nhiệm thi hành Quyết định này" in articles[3].text
    tables = [b for b in doc.annexes[0].blocks if isinstance(b, Table)]
    collectives = [r.name for r in recipients if r.collective]
    individuals = [r.name for r in recipients if not r.collective]
    # collectives and individuals in tables of their own, each with its header
    assert [[row[1] for row in t.rows] for t in tables] == [x for x in (collectives, individuals) if x]
    headings = [b.text for b in doc.annexes[0].blocks if isinstance(b, Paragraph) and b.keep_with_next]
    assert headings == (["1. Tập thể", "2. Cá nhân"] if collectives and individuals else [])
    people = tables[-1]
    total = sum(r.amount or 0 for r in recipients)
    if total:
        assert [c.header for c in people.columns] == [
            "STT",
            "Họ và tên",
            "Chức vụ, đơn vị công tác",
            "Số tiền (đồng)",
        ]
        if collectives:
            assert [c.header for c in tables[0].columns] == ["STT", "Tên tập thể", "Số tiền (đồng)"]
            assert tables[0].total_row == [None, "Cộng", 1_000_000]
            assert doc.annexes[0].blocks[-2] == Paragraph(
                "Tổng cộng: 1.600.000 đồng.", bold=True, indent=False, keep_with_previous=True
            )
        else:
            assert people.total_row is not None and people.total_row[1:] == ["Tổng cộng", None, total]
        words = doc.annexes[0].blocks[-1]
        assert isinstance(words, Paragraph) and words.text.startswith("Bằng chữ") and words.keep_with_previous
    else:  # no prize money: no money column, no total, no amount in words
        assert [c.header for c in people.columns] == ["STT", "Họ và tên", "Chức vụ, đơn vị công tác"]
        assert people.total_row is None and len(doc.annexes[0].blocks) == 1
        assert articles[2].text == "Quyết định này có hiệu lực kể từ ngày ký."
    assert "Kèm theo Quyết định số 07/QĐ-BHXH ngày 05 tháng 01 năm 2026" in doc.annexes[0].subtitle


def test_a_decision_of_several_titles_has_one_section_per_title():
    recipients = [
        Recipient("Nguyễn Văn An", "Chuyên viên", 300_000, title_name="Giấy khen"),
        Recipient("Phòng Quản lý thu", "", 1_000_000, collective=True, title_name="Bằng khen"),
        Recipient("Trần Thị Bình", "Chuyên viên", 300_000, title_name="Giấy khen"),
    ]
    doc = build_decision(decision(recipients))
    headings = [b.text for b in doc.annexes[0].blocks if isinstance(b, Paragraph) and b.keep_with_next]
    assert headings[:2] == ["I. TẶNG GIẤY KHEN", "II. TẶNG BẰNG KHEN"]
    tables = [b for b in doc.annexes[0].blocks if isinstance(b, Table)]
    assert [[row[1] for row in t.rows] for t in tables] == [
        ["Nguyễn Văn An", "Trần Thị Bình"],
        ["Phòng Quản lý thu"],
    ]
    assert not any(c.startswith("Mức tiền thưởng") for c in _articles(doc)[1].clauses)


def test_the_stt_column_holds_five_thousand_rows_on_one_line():
    from thidua.documents.fonts import text_width_pt

    many = [Recipient(f"Người {i}", "Chuyên viên", 300_000) for i in range(5000)]
    table = next(b for b in build_decision(decision(many)).annexes[0].blocks if isinstance(b, Table))
    needed = text_width_pt("5.000", 13, bold=True) * 25.4 / 72 + 2 * 1.5  # text and cell margins
    assert table.columns[0].width_mm >= needed
    word = Document(io.BytesIO(render_docx(build_decision(decision(many)))))
    assert word.tables[-1].rows[-2].cells[0].text == "5.000"
    assert word.tables[-1].rows[-1].cells[-1].text == "1.500.000.000"


def test_decision_docx_reads_back_names_amounts_words_and_number():
    word = Document(io.BytesIO(render_docx(build_decision(decision(PEOPLE[:2])))))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "Tổng số tiền thưởng: 600.000 đồng (Sáu trăm nghìn đồng)." in text
    assert "Bằng chữ: Sáu trăm nghìn đồng." in text
    cells = [c.text for t in word.tables for row in t.rows for c in row.cells]
    assert "Số: 07/QĐ-BHXH" in cells
    annex = word.tables[-1]
    assert [c.text for c in annex.rows[1].cells] == [
        "1",
        "Nguyễn Văn An",
        "Chuyên viên, Phòng Quản lý thu",
        "300.000",
    ]
    assert [c.text for c in annex.rows[-1].cells][-1] == "600.000"


def test_decision_through_the_default_template_has_the_same_rows():
    data = decision(PEOPLE)
    context = decision_context(data)
    assert context["total_amount_words"] == "Một triệu sáu trăm nghìn đồng"
    assert context["recipient_count"] == 3
    word = Document(io.BytesIO(render_docx_template(DECISION_TEMPLATE, context)))
    rows = [[c.text for c in row.cells] for row in word.tables[-1].rows]
    assert rows[1][1] == "Nguyễn Văn An"
    assert rows[-1][-1] == "600.000"
    text = "\n".join(p.text for p in word.paragraphs)
    assert "Mức tiền thưởng: 1.000.000 đồng cho mỗi tập thể; 300.000 đồng cho mỗi cá nhân." in text
    assert "Bằng chữ: Một triệu sáu trăm nghìn đồng." in text


def test_certificates_print_a_page_per_record(org):
    sample = sample_record(org.a)
    records = [sample, {**sample, "recipient": "Trần Thị Bình"}]
    pdf = PdfReader(io.BytesIO(render_certificates(GIAY_KHEN_A4, records)))
    assert len(pdf.pages) == 2
    assert "Trần Thị Bình" in pdf.pages[1].extract_text()
    assert sample["place_date"].startswith("Hà Nội, ngày") and "07/QĐ-BHXH" in sample["decision"]


@pytest.mark.parametrize(
    ("award_id", "label", "kind"),
    [
        ("giay_khen", "Giấy khen", "giay_khen"),
        ("bang_khen_thu_tuong", "Bằng khen của Thủ tướng Chính phủ", "bang_khen"),
        ("lao_dong_tien_tien", "Lao động tiên tiến", "giay_khen"),
        ("huan_chuong_dung_cam", "Huân chương Dũng cảm", "giay_khen"),  # from the rulesets
        ("mot_hinh_thuc_moi", "Mot hinh thuc moi", "giay_khen"),
    ],
)
def test_award_labels(award_id, label, kind):
    assert award_name(award_id) == label
    assert certificate_kind(award_id) == kind


REPORT = AchievementData(
    subject_name="Nguyễn Văn An",
    collective=False,
    issuer="Bảo hiểm xã hội thành phố Hà Nội",
    parent_body="Bảo hiểm xã hội Việt Nam",
    place="Hà Nội",
    on=date(2026, 11, 20),
    proposed_award="danh hiệu Chiến sĩ thi đua cơ sở",
    facts=[("Sinh ngày, tháng, năm", "02/04/1985"), ("Đơn vị công tác", "Phòng Quản lý thu")],
    ratings=[RatingLine(2024, "Hoàn thành xuất sắc nhiệm vụ")],
    awards=[
        AwardLine(2024, "Lao động tiên tiến", "120/QĐ-BHXH", date(2024, 12, 20), "Giám đốc BHXH Hà Nội"),
        AwardLine(2025, "Giấy khen", "07/QĐ-BHXH", date(2026, 1, 5), is_title=False),
    ],
)


def test_achievement_report_sections_and_history_tables():
    doc = build_achievement_report(REPORT)
    headings = [b.text for b in doc.body if isinstance(b, Paragraph) and b.bold and not b.indent]
    assert headings == [
        "I. SƠ LƯỢC LÝ LỊCH",
        "II. THÀNH TÍCH ĐẠT ĐƯỢC",
        "III. CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG",
    ]
    tables = [b for b in doc.body if isinstance(b, Table)]
    ratings, titles, forms = tables
    assert list(ratings.rows) == [["2024", "Hoàn thành xuất sắc nhiệm vụ"]]
    assert list(titles.rows) == [
        ["2024", "Lao động tiên tiến", "Quyết định số 120/QĐ-BHXH ngày 20/12/2024 của Giám đốc BHXH Hà Nội"]
    ]
    assert list(forms.rows) == [["2025", "Giấy khen", "Quyết định số 07/QĐ-BHXH ngày 05/01/2026"]]
    assert doc.title == "Đề nghị tặng danh hiệu Chiến sĩ thi đua cơ sở"
    assert doc.signature is not None and doc.signature.signer_name == "Nguyễn Văn An"


def test_achievement_report_docx_reads_back():
    word = Document(io.BytesIO(render_docx(build_achievement_report(REPORT))))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "BÁO CÁO THÀNH TÍCH" in text
    assert "- Đơn vị công tác: Phòng Quản lý thu" in text
    cells = [c.text for t in word.tables for row in t.rows for c in row.cells]
    assert "Quyết định số 120/QĐ-BHXH ngày 20/12/2024 của Giám đốc BHXH Hà Nội" in cells
    assert "Số: " not in cells  # a report has no number
    assert "THỦ TRƯỞNG ĐƠN VỊ XÁC NHẬN, ĐỀ NGHỊ" in cells[-2] and "NGƯỜI BÁO CÁO THÀNH TÍCH" in cells[-1]
    assert "2.024" not in "".join(cells)


def test_achievement_report_pdf_has_both_signatures():
    from thidua.documents.pdf_render import render_official_pdf

    text = "\n".join(
        p.extract_text()
        for p in PdfReader(io.BytesIO(render_official_pdf(build_achievement_report(REPORT)))).pages
    )
    assert "THỦ TRƯỞNG ĐƠN VỊ XÁC NHẬN, ĐỀ NGHỊ" in text.replace("\n", " ")
    assert "NGƯỜI BÁO CÁO THÀNH TÍCH" in text
    assert "Lao động tiên tiến" in text
