import io
import shutil
import subprocess
import unicodedata
import zipfile
from datetime import date
from typing import Any

import pytest
from docx import Document
from lxml import etree

from thidua.documents.docx_render import PageSetup, build_docx, render_docx
from thidua.documents.examples import example_decision
from thidua.documents.official import Article, OfficialDocument, Paragraph, Signature
from thidua.documents.tests.pages import libreoffice_env

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def decision_bytes():
    return render_docx(example_decision(12))


@pytest.fixture(scope="module")
def decision(decision_bytes):
    return Document(io.BytesIO(decision_bytes))


def _texts(doc: Any) -> list[str]:
    return [p.text for p in doc.paragraphs]


def test_page_is_a4_with_nd30_margins(decision):
    section = decision.sections[0]

    def mm(*lengths: Any) -> tuple[float, ...]:
        return tuple(round(length.mm, 1) for length in lengths)

    assert mm(section.page_width, section.page_height) == (210, 297)
    assert mm(section.top_margin, section.bottom_margin) == (20, 20)
    assert mm(section.left_margin, section.right_margin) == (30, 15)


def test_font_is_times_new_roman(decision):
    normal = decision.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size.pt == 14


def test_header_is_a_borderless_two_column_table(decision):
    header = decision.tables[0]
    left, right = header.cell(0, 0), header.cell(0, 1)
    assert [p.text for p in left.paragraphs if p.text] == [
        "BẢO HIỂM XÃ HỘI VIỆT NAM",
        "BẢO HIỂM XÃ HỘI\nTỈNH ĐẮK LẮK",
    ]
    assert left.paragraphs[1].runs[0].bold
    assert not left.paragraphs[0].runs[0].bold
    assert [p.text for p in right.paragraphs if p.text] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    assert all(p.runs[0].bold for p in right.paragraphs if p.text)
    assert header.cell(1, 0).text == "Số: 07/QĐ-BHXH"
    date_paragraph = header.cell(1, 1).paragraphs[0]
    assert date_paragraph.text == "Đắk Lắk, ngày 05 tháng 01 năm 2026"
    assert date_paragraph.runs[0].italic
    borders = header._tbl.tblPr.find(f"{W}tblBorders")
    assert borders is not None and {b.get(f"{W}val") for b in borders} == {"nil"}


def _rules(cell: Any) -> list[Any]:
    return [p for p in cell.paragraphs if p._p.find(f"{W}pPr/{W}pBdr/{W}top") is not None]


def test_lines_under_issuer_and_motto(decision):
    header = decision.tables[0]
    (motto_rule,) = _rules(header.cell(0, 1))
    right_mm = PageSetup.text_width_mm() - PageSetup.header_left_mm
    indent = motto_rule.paragraph_format.left_indent.mm
    motto_mm = right_mm - 2 * indent
    assert 55 < motto_mm < 62  # the motto at 13 pt bold is about 56 mm wide
    (issuer_rule,) = _rules(header.cell(0, 0))
    issuer_line_mm = PageSetup.header_left_mm - 2 * issuer_rule.paragraph_format.left_indent.mm
    assert 15 < issuer_line_mm < PageSetup.header_left_mm / 2


def test_title_block(decision):
    texts = _texts(decision)
    i = texts.index("QUYẾT ĐỊNH")
    assert texts[i + 1] == "Về việc tặng Giấy khen cho các cá nhân có thành tích xuất sắc năm 2025"
    assert decision.paragraphs[i].runs[0].bold and decision.paragraphs[i + 1].runs[0].bold
    assert "GIÁM ĐỐC BẢO HIỂM XÃ HỘI TỈNH ĐẮK LẮK" in texts
    assert "QUYẾT ĐỊNH:" in texts


def test_legal_bases_are_italic_and_punctuated(decision):
    bases = [p for p in decision.paragraphs if p.text.startswith(("Căn cứ", "Theo đề nghị"))]
    assert [p.text[-1] for p in bases] == [";", ";", "."]
    assert all(p.runs[0].italic for p in bases)


def test_articles_have_bold_labels(decision):
    articles = [p for p in decision.paragraphs if p.text.startswith("Điều ")]
    assert [p.runs[0].text for p in articles] == ["Điều 1.", "Điều 2.", "Điều 3."]
    assert all(p.runs[0].bold and not p.runs[1].bold for p in articles)
    assert articles[0].paragraph_format.first_line_indent is not None


def test_recipients_and_signature(decision):
    block = decision.tables[1]
    left = [p.text for p in block.cell(0, 0).paragraphs]
    assert left == ["Nơi nhận:", "- Như Điều 3;", "- Giám đốc (để báo cáo);", "- Lưu: VT, TCCB."]
    label = block.cell(0, 0).paragraphs[0].runs[0]
    assert label.bold and label.italic and label.font.size.pt == 12
    right = [p.text for p in block.cell(0, 1).paragraphs]
    assert right == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Trần Văn Bình"]


def test_annex_table(decision):
    annex = decision.tables[2]
    assert [c.text for c in annex.rows[0].cells] == ["STT", "Họ và tên", "Chức vụ, đơn vị", "Số tiền (đồng)"]
    assert annex.rows[0]._tr.trPr.find(f"{W}tblHeader") is not None  # header repeats on each page
    assert len(annex.rows) == 1 + 12 + 1
    first = [c.text for c in annex.rows[1].cells]
    assert first == [
        "1",
        "Nguyễn Thị Hồng",
        "Phó Trưởng phòng Quản lý thu, Bảo hiểm xã hội tỉnh Đắk Lắk",
        "300.000",
    ]
    assert [c.text for c in annex.rows[-1].cells] == ["", "Tổng cộng", "", "3.600.000"]
    texts = _texts(decision)
    assert "Phụ lục" in texts and "DANH SÁCH CÁ NHÂN ĐƯỢC TẶNG GIẤY KHEN" in texts


def test_page_numbers_in_header_but_not_on_page_one(decision):
    section = decision.sections[0]
    assert section.different_first_page_header_footer
    instr = "".join(t.text for t in section.header._element.iter(f"{W}instrText"))
    assert instr.strip() == "PAGE"
    assert section.header.paragraphs[0].alignment == 1  # centred
    assert section.first_page_header.paragraphs[0].text == ""
    assert list(section.first_page_header._element.iter(f"{W}instrText")) == []


def test_file_is_valid_ooxml_read_independently(decision_bytes):
    with zipfile.ZipFile(io.BytesIO(decision_bytes)) as zf:
        assert zf.testzip() is None
        names = set(zf.namelist())
        assert {"[Content_Types].xml", "word/document.xml", "word/styles.xml"} <= names
        root: Any = etree.fromstring(zf.read("word/document.xml"))
    text = "".join(t.text or "" for t in root.iter(f"{W}t"))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert unicodedata.normalize("NFC", text) == text
    body = root.find(f"{W}body")
    assert body[0].tag == f"{W}tbl"  # the header table is the first thing on the page
    assert body[-1].tag == f"{W}sectPr"


def test_cong_van_has_subject_under_number_and_addressees():
    doc = OfficialDocument(
        parent_body="Bảo hiểm xã hội Việt Nam",
        issuer="Bảo hiểm xã hội tỉnh Đắk Lắk",
        number_symbol="856/BHXH-TĐKT",
        place="Đắk Lắk",
        date=date(2019, 3, 21),
        subject="Hướng dẫn đăng ký thi đua năm 2019",
        addressees=["Các phòng nghiệp vụ", "BHXH các huyện, thị xã, thành phố"],
        body=[
            "Thực hiện kế hoạch thi đua năm 2019, BHXH tỉnh hướng dẫn như sau:",
            Paragraph("1. Đối tượng", bold=True),
        ],
        recipients=["Như trên", "Lưu: VT, TĐKT"],
        signature=Signature(position="Giám đốc", signer_name="Nguyễn Văn An"),
    )
    rendered = Document(io.BytesIO(render_docx(doc)))
    header = rendered.tables[0]
    assert [p.text for p in header.cell(1, 0).paragraphs] == [
        "Số: 856/BHXH-TĐKT",
        "V/v Hướng dẫn đăng ký thi đua năm 2019",
    ]
    assert header.cell(1, 1).text == "Đắk Lắk, ngày 21 tháng 3 năm 2019"
    texts = _texts(rendered)
    assert "Kính gửi:" in texts
    assert "- Các phòng nghiệp vụ;" in texts and "- BHXH các huyện, thị xã, thành phố." in texts
    assert not any(t.startswith("QUYẾT ĐỊNH") for t in texts)
    assert [p.text for p in rendered.tables[1].cell(0, 1).paragraphs] == ["GIÁM ĐỐC", "Nguyễn Văn An"]


def test_single_addressee_on_one_line():
    doc = OfficialDocument(
        issuer="BHXH tỉnh Đắk Lắk",
        number_symbol="12/BHXH-VP",
        place="Đắk Lắk",
        date=None,
        subject="Báo cáo",
        addressees=["Bảo hiểm xã hội Việt Nam"],
    )
    texts = _texts(build_docx(doc))
    assert "Kính gửi: Bảo hiểm xã hội Việt Nam." in texts


def test_blank_date_for_signing_by_hand():
    doc = OfficialDocument(issuer="BHXH", number_symbol="     /QĐ-BHXH", place="Hà Nội", date=None)
    header = build_docx(doc).tables[0]
    assert header.cell(1, 1).text.startswith("Hà Nội, ngày ")
    assert "2026" not in header.cell(1, 1).text


def test_article_with_title_and_clauses():
    doc = OfficialDocument(
        issuer="BHXH",
        number_symbol="01/KH-BHXH",
        place="Hà Nội",
        date=date(2025, 2, 3),
        type_label="KẾ HOẠCH",
        body=[
            Article(2, title="Nội dung", clauses=["1. Thi đua hoàn thành chỉ tiêu.", "a) Thu đúng, thu đủ."])
        ],
    )
    texts = _texts(build_docx(doc))
    assert "Điều 2. Nội dung" in texts
    assert texts[-2:] == ["1. Thi đua hoàn thành chỉ tiêu.", "a) Thu đúng, thu đủ."]


def test_special_characters_are_escaped():
    doc = OfficialDocument(
        issuer="BHXH",
        number_symbol="01/QĐ-BHXH",
        place="Hà Nội",
        date=date(2025, 2, 3),
        annexes=[],
        body=['Khen thưởng <tập thể> & cá nhân "xuất sắc"'],
    )
    assert 'Khen thưởng <tập thể> & cá nhân "xuất sắc"' in _texts(Document(io.BytesIO(render_docx(doc))))


def test_five_thousand_rows():
    rendered = Document(io.BytesIO(render_docx(example_decision(5000))))
    assert len(rendered.tables[2].rows) == 5002


@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_it_and_page_one_has_no_number(tmp_path, decision_bytes):
    pdftotext = shutil.which("pdftotext")
    source = tmp_path / "qd.docx"
    source.write_bytes(decision_bytes)
    subprocess.run(
        [
            "libreoffice",
            # its own profile, so a LibreOffice already running for this user cannot swallow the job
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env=libreoffice_env(tmp_path),
    )
    pdf = tmp_path / "qd.pdf"
    assert pdf.exists()
    from pypdf import PdfReader

    pages = [page.extract_text() for page in PdfReader(pdf).pages]
    assert len(pages) == 2
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in pages[0]
    assert "Phụ lục" in pages[1]
    assert pages[1].lstrip().startswith("2")  # page number on top of page 2
    assert not pages[0].lstrip().startswith("1")
    if pdftotext:
        layout = subprocess.run(
            [pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        )
        first_line = next(line for line in layout.stdout.splitlines() if line.strip())
        assert (
            "BẢO HIỂM XÃ HỘI VIỆT NAM" in first_line and "CỘNG HÒA" in first_line
        )  # two columns side by side
