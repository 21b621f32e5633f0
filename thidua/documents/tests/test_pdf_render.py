import io
import json
import unicodedata
from datetime import date
from typing import Any

import pytest
from pypdf import PdfReader

from thidua.documents.examples import example_decision
from thidua.documents.official import OfficialDocument, Signature
from thidua.documents.pdf_render import (
    BANG_KHEN_A4,
    GIAY_KHEN_A4,
    CertificateLayout,
    FieldBox,
    render_certificates,
    render_official_pdf,
)

RECORD = {
    "recipient": "Nguyễn Thị Hồng Nhung",
    "position_unit": "Phó Trưởng phòng Quản lý thu, Bảo hiểm xã hội tỉnh Đắk Lắk",
    "achievement": "Đã có thành tích xuất sắc trong thực hiện nhiệm vụ năm 2025",
    "place_date": "Đắk Lắk, ngày 05 tháng 01 năm 2026",
    "decision": "Quyết định số 07/QĐ-BHXH ngày 05/01/2026",
    "book_number": "Số sổ vàng: 15",
}


def _reader(data: bytes) -> PdfReader:
    assert data.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(data))


def _text(page: Any) -> str:
    return unicodedata.normalize("NFC", page.extract_text())


def _positions(page: Any) -> dict[str, tuple[float, float]]:
    """Text → (x, y) in mm from the top-left corner, read by pypdf's visitor."""
    height = float(page.mediabox.height)
    found: dict[str, tuple[float, float]] = {}

    def visit(text: str, cm: Any, tm: Any, font_dict: Any, font_size: Any) -> None:
        if text.strip():
            found[unicodedata.normalize("NFC", text.strip())] = (
                tm[4] * 25.4 / 72,
                (height - tm[5]) * 25.4 / 72,
            )

    page.extract_text(visitor_text=visit)
    return found


def test_certificates_one_page_each_with_vietnamese_text():
    second = {**RECORD, "recipient": "Đặng Văn Ước", "book_number": "Số sổ vàng: 16"}
    reader = _reader(render_certificates(GIAY_KHEN_A4, [RECORD, second]))
    assert len(reader.pages) == 2
    first_text = _text(reader.pages[0])
    for value in RECORD.values():
        assert value in first_text
    assert "Đặng Văn Ước" in _text(reader.pages[1])


def test_certificate_page_is_a4_landscape():
    page = _reader(render_certificates(GIAY_KHEN_A4, [RECORD])).pages[0]
    width_mm = float(page.mediabox.width) * 25.4 / 72
    height_mm = float(page.mediabox.height) * 25.4 / 72
    assert (round(width_mm), round(height_mm)) == (297, 210)


def test_font_is_embedded():
    reader = _reader(render_certificates(GIAY_KHEN_A4, [RECORD]))
    resources: Any = reader.pages[0]["/Resources"]
    fonts = resources["/Font"]
    for ref in fonts.values():
        font = ref.get_object()
        descendant = font["/DescendantFonts"][0].get_object()
        descriptor = descendant["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor  # TrueType program inside the PDF
        assert "LiberationSerif" in str(font["/BaseFont"])


def test_fields_are_placed_where_the_layout_says():
    layout = CertificateLayout(
        name="thử",
        fields={
            "left": FieldBox(40, 50, font_size=12, align="left"),
            "centre": FieldBox(148.5, 100, font_size=12, align="center"),
            "right": FieldBox(250, 150, font_size=12, align="right"),
        },
    )
    page = _reader(render_certificates(layout, [{"left": "Trái", "centre": "Giữa", "right": "Phải"}])).pages[
        0
    ]
    pos = _positions(page)
    assert pos["Trái"][0] == pytest.approx(40, abs=0.2) and pos["Trái"][1] == pytest.approx(50, abs=0.2)
    assert pos["Giữa"][1] == pytest.approx(100, abs=0.2)
    assert 140 < pos["Giữa"][0] < 148.5  # starts left of the centre
    assert pos["Phải"][0] < 250 and pos["Phải"][1] == pytest.approx(150, abs=0.2)


def test_offset_shifts_every_field():
    layout = CertificateLayout(name="x", fields={"a": FieldBox(40, 50, align="left")}).with_offset(3, -2)
    pos = _positions(_reader(render_certificates(layout, [{"a": "Chữ"}])).pages[0])
    assert pos["Chữ"][0] == pytest.approx(43, abs=0.2) and pos["Chữ"][1] == pytest.approx(48, abs=0.2)


def test_long_text_shrinks_and_wraps():
    layout = CertificateLayout(
        name="x",
        fields={
            "one": FieldBox(100, 40, font_size=30, max_width_mm=60, min_font_size=8),
            "many": FieldBox(100, 80, font_size=16, max_width_mm=80, max_lines=2, line_height_mm=7),
        },
    )
    long_name = "Tôn Nữ Thị Hoàng Phương Thảo Nguyên"
    long_text = (
        "Đã có thành tích xuất sắc trong thực hiện nhiệm vụ chính trị năm 2025 của ngành Bảo hiểm xã hội"
    )
    data = render_certificates(layout, [{"one": long_name, "many": long_text}])
    page = _reader(data).pages[0]
    text = _text(page)
    assert long_name in text
    sizes: dict[str, float] = {}

    def visit(t: str, cm: Any, tm: Any, fd: Any, fs: Any) -> None:
        if t.strip():
            sizes.setdefault(t.strip(), fs * tm[0])

    page.extract_text(visitor_text=visit)
    assert sizes[long_name] < 30
    lines = [t for t in sizes if t and t != long_name]
    assert len(lines) == 2  # wrapped to the allowed two lines
    assert " ".join(lines) == long_text


def test_missing_or_unknown_fields_are_skipped():
    data = render_certificates(GIAY_KHEN_A4, [{"recipient": "Lê Lan", "unknown": "x", "achievement": ""}])
    assert _text(_reader(data).pages[0]).strip() == "Lê Lan"


def test_guides_draw_field_names():
    text = _text(_reader(render_certificates(BANG_KHEN_A4, [RECORD], guides=True)).pages[0])
    assert "recipient" in text and "achievement" in text


def test_needs_at_least_one_record():
    with pytest.raises(ValueError, match="Không có giấy khen"):
        render_certificates(GIAY_KHEN_A4, [])


def test_layout_json_round_trip(tmp_path):
    path = tmp_path / "giay_khen.json"
    GIAY_KHEN_A4.save(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["name"] == "Giấy khen A4 ngang" and data["fields"]["recipient"]["font_size"] == 26
    assert CertificateLayout.load(path) == GIAY_KHEN_A4


def test_custom_page_size():
    layout = CertificateLayout(
        name="x", fields={"a": FieldBox(10, 10)}, page_width_mm=320, page_height_mm=230
    )
    page = _reader(render_certificates(layout, [{"a": "x"}])).pages[0]
    assert round(float(page.mediabox.width) * 25.4 / 72) == 320
    assert CertificateLayout.from_json(layout.to_json()) == layout


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("[]", "đối tượng JSON"),
        ("{", "không phải JSON hợp lệ"),
        ('{"fields": {}}', "ít nhất một trường"),
        ('{"fields": {"a": {"x_mm": 1}}}', "“y_mm” phải là một số"),
        ('{"fields": {"a": {"x_mm": "1", "y_mm": 2}}}', "“x_mm” phải là một số"),
        ('{"fields": {"a": {"x_mm": 1, "y_mm": 2, "align": "giữa"}}}', "left, center hoặc right"),
        ('{"fields": {"a": {"x_mm": 1, "y_mm": 2, "colour": 1}}}', "khóa không biết: colour"),
        ('{"fields": {"a": {"x_mm": 1, "y_mm": 2, "font_size": 0}}}', "lớn hơn 0"),
        ('{"page_size": "B5", "fields": {"a": {"x_mm": 1, "y_mm": 2}}}', "Khổ giấy “B5”"),
        ('{"orientation": "ngang", "fields": {"a": {"x_mm": 1, "y_mm": 2}}}', "Hướng giấy"),
        ('{"page_width_mm": 300, "fields": {"a": {"x_mm": 1, "y_mm": 2}}}', "cả page_width_mm"),
        ('{"extra": 1, "fields": {"a": {"x_mm": 1, "y_mm": 2}}}', "khóa không biết: extra"),
    ],
)
def test_layout_errors_are_in_vietnamese(data, message):
    with pytest.raises(ValueError, match=message):
        CertificateLayout.from_json(data)


def test_official_pdf_reads_back():
    reader = _reader(render_official_pdf(example_decision(60)))
    assert len(reader.pages) >= 3
    first = _text(reader.pages[0])
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 07/QĐ-BHXH",
        "Đắk Lắk, ngày 05 tháng 01 năm 2026",
        "QUYẾT ĐỊNH",
        "Điều 1.",
        "Nơi nhận:",
        "KT. GIÁM ĐỐC",
        "Trần Văn Bình",
    ]:
        assert expected in first, expected
    assert not first.lstrip().startswith("1")
    second = _text(reader.pages[1])
    assert second.lstrip().startswith("2")  # page number at the top from page 2
    assert "DANH SÁCH CÁ NHÂN ĐƯỢC TẶNG GIẤY KHEN" in second
    for number, page in enumerate(reader.pages[2:], start=3):
        text = _text(page).lstrip()
        assert text.startswith(str(number)) and "STT" in text and "Họ và tên" in text  # header row repeated
    everything = "".join(_text(p) for p in reader.pages)
    assert "Nguyễn Thị Hồng" in everything and "18.000.000" in everything


def test_official_pdf_cong_van():
    doc = OfficialDocument(
        issuer="Bảo hiểm xã hội tỉnh Đắk Lắk",
        number_symbol="856/BHXH-TĐKT",
        place="Đắk Lắk",
        date=date(2019, 3, 21),
        subject="Hướng dẫn đăng ký thi đua",
        addressees=["Các phòng nghiệp vụ"],
        body=["Nội dung hướng dẫn."],
        signature=Signature(position="Giám đốc", signer_name="Nguyễn Văn An"),
    )
    text = _text(_reader(render_official_pdf(doc)).pages[0])
    assert "Số: 856/BHXH-TĐKT" in text and "V/v Hướng dẫn đăng ký thi đua" in text
    assert "Kính gửi: Các phòng nghiệp vụ." in text
    assert "Đắk Lắk, ngày 21 tháng 3 năm 2019" in text
