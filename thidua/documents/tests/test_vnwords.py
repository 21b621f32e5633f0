import itertools
import unicodedata
from datetime import date

import pytest

from thidua.documents.vnwords import (
    DOCUMENT_TYPES,
    NumberSymbol,
    amount_in_words,
    date_in_words,
    date_line,
    date_phrase,
    document_type_label,
    format_number_symbol,
    number_in_words,
    parse_number_symbol,
)

NUMBERS = [
    (0, "không"),
    (1, "một"),
    (4, "bốn"),
    (5, "năm"),
    (10, "mười"),
    (11, "mười một"),
    (14, "mười bốn"),
    (15, "mười lăm"),
    (19, "mười chín"),
    (20, "hai mươi"),
    (21, "hai mươi mốt"),
    (24, "hai mươi tư"),
    (25, "hai mươi lăm"),
    (31, "ba mươi mốt"),
    (55, "năm mươi lăm"),
    (99, "chín mươi chín"),
    (100, "một trăm"),
    (101, "một trăm linh một"),
    (104, "một trăm linh bốn"),
    (105, "một trăm linh năm"),
    (110, "một trăm mười"),
    (111, "một trăm mười một"),
    (115, "một trăm mười lăm"),
    (121, "một trăm hai mươi mốt"),
    (124, "một trăm hai mươi tư"),
    (999, "chín trăm chín mươi chín"),
    (1000, "một nghìn"),
    (1001, "một nghìn không trăm linh một"),
    (1010, "một nghìn không trăm mười"),
    (1015, "một nghìn không trăm mười lăm"),
    (1021, "một nghìn không trăm hai mươi mốt"),
    (1100, "một nghìn một trăm"),
    (2019, "hai nghìn không trăm mười chín"),
    (2024, "hai nghìn không trăm hai mươi tư"),
    (10_000, "mười nghìn"),
    (15_000, "mười lăm nghìn"),
    (21_000, "hai mươi mốt nghìn"),
    (105_000, "một trăm linh năm nghìn"),
    (1_000_000, "một triệu"),
    (1_000_005, "một triệu không trăm linh năm"),
    (1_005_000, "một triệu không trăm linh năm nghìn"),
    (1_050_000, "một triệu không trăm năm mươi nghìn"),
    (2_340_000, "hai triệu ba trăm bốn mươi nghìn"),
    (25_500_000, "hai mươi lăm triệu năm trăm nghìn"),
    (1_000_000_000, "một tỷ"),
    (1_000_000_001, "một tỷ không trăm linh một"),
    (1_005_000_000, "một tỷ không trăm linh năm triệu"),
    (3_000_021_000, "ba tỷ không trăm hai mươi mốt nghìn"),
    (12_345_678_901, "mười hai tỷ ba trăm bốn mươi lăm triệu sáu trăm bảy mươi tám nghìn chín trăm linh một"),
    (1_000_000_000_000, "một nghìn tỷ"),
    (1_500_000_000_000, "một nghìn năm trăm tỷ"),
    (1_000_000_000_000_000_000, "một tỷ tỷ"),
    (-15, "âm mười lăm"),
]


@pytest.mark.parametrize(("n", "words"), NUMBERS)
def test_number_in_words(n, words):
    assert number_in_words(n) == words


@pytest.mark.parametrize(
    ("n", "words"),
    [(105, "một trăm lẻ năm"), (1_005_000, "một triệu không trăm lẻ năm nghìn"), (15, "mười lăm")],
)
def test_number_in_words_with_le(n, words):
    assert number_in_words(n, odd="lẻ") == words


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (2_340_000, "Hai triệu ba trăm bốn mươi nghìn đồng"),
        (0, "Không đồng"),
        (500_000, "Năm trăm nghìn đồng"),
        (1_005_000, "Một triệu không trăm linh năm nghìn đồng"),
        (1_000_000_000, "Một tỷ đồng"),
    ],
)
def test_amount_in_words(amount, words):
    assert amount_in_words(amount) == words


def test_amount_without_currency():
    assert amount_in_words(21, currency="") == "Hai mươi mốt"


@pytest.mark.parametrize("bad", [1.5, "12", True, None])
def test_number_in_words_rejects_non_integers(bad):
    with pytest.raises(TypeError):
        number_in_words(bad)


def test_words_are_nfc():
    for n in range(0, 2000, 7):
        text = number_in_words(n)
        assert unicodedata.normalize("NFC", text) == text
        assert "  " not in text and text == text.strip()


def test_no_forbidden_forms_in_a_range():
    for n in range(1, 100_000, 37):
        words = number_in_words(n).split()
        # a final 1 after "mươi" is "mốt", a final 5 after a ten is "lăm"; never the reverse
        for a, b in itertools.pairwise(words):
            assert not (a == "mươi" and b in {"một", "năm"}), n
            assert not (a == "mười" and b in {"mốt", "tư", "năm"}), n
            assert not (a == "linh" and b in {"mốt", "tư", "lăm"}), n


@pytest.mark.parametrize(
    ("place", "d", "line"),
    [
        ("Đắk Lắk", date(2019, 3, 21), "Đắk Lắk, ngày 21 tháng 3 năm 2019"),
        ("Hà Nội", date(2020, 1, 5), "Hà Nội, ngày 05 tháng 01 năm 2020"),
        ("Hà Nội", date(2020, 2, 10), "Hà Nội, ngày 10 tháng 02 năm 2020"),
        ("Hà Nội", date(2025, 12, 9), "Hà Nội, ngày 09 tháng 12 năm 2025"),
        ("Huế", date(2025, 10, 31), "Huế, ngày 31 tháng 10 năm 2025"),
        (" Thành phố Hồ Chí Minh ", date(2025, 9, 2), "Thành phố Hồ Chí Minh, ngày 02 tháng 9 năm 2025"),
    ],
)
def test_date_line(place, d, line):
    assert date_line(place, d) == line


def test_date_line_normalises_decomposed_place():
    decomposed = unicodedata.normalize("NFD", "Đắk Lắk")
    assert date_line(decomposed, date(2019, 3, 21)) == "Đắk Lắk, ngày 21 tháng 3 năm 2019"


def test_date_line_needs_a_place():
    with pytest.raises(ValueError, match="địa danh"):
        date_line("  ", date(2020, 1, 1))


def test_date_phrase():
    assert date_phrase(date(2020, 1, 5)) == "ngày 05 tháng 01 năm 2020"


@pytest.mark.parametrize(
    ("d", "words"),
    [
        (date(2019, 3, 21), "ngày hai mươi mốt tháng ba năm hai nghìn không trăm mười chín"),
        (date(2020, 4, 15), "ngày mười lăm tháng tư năm hai nghìn không trăm hai mươi"),
        (date(2024, 12, 24), "ngày hai mươi tư tháng mười hai năm hai nghìn không trăm hai mươi tư"),
        (date(2025, 1, 1), "ngày một tháng một năm hai nghìn không trăm hai mươi lăm"),
    ],
)
def test_date_in_words(d, words):
    assert date_in_words(d) == words


@pytest.mark.parametrize(
    ("args", "kwargs", "text"),
    [
        ((7, "QĐ", "BHXH"), {}, "07/QĐ-BHXH"),
        ((2418, "QĐ", "BHXH"), {}, "2418/QĐ-BHXH"),
        ((856, "BHXH", "TĐKT"), {}, "856/BHXH-TĐKT"),
        ((86, "QĐ", "UBND"), {"year": 2025}, "86/2025/QĐ-UBND"),
        ((3, "KH", "HĐTĐKT"), {}, "03/KH-HĐTĐKT"),
        ((12, "QyĐ", "BHXH"), {}, "12/QyĐ-BHXH"),
    ],
)
def test_format_number_symbol(args, kwargs, text):
    assert format_number_symbol(*args, **kwargs) == text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((0, "QĐ", "BHXH"), "số nguyên dương"),
        ((5,), "Thiếu ký hiệu"),
        ((5, "QĐ", "bhxh"), "viết hoa"),
        ((5, "QĐ", "BH XH"), "viết hoa"),
        ((5, "QĐ", ""), "trống"),
    ],
)
def test_format_number_symbol_rejects(args, message):
    with pytest.raises(ValueError, match=message):
        format_number_symbol(*args)


@pytest.mark.parametrize(
    ("text", "number", "year", "type_abbr", "issuer", "unit"),
    [
        ("856/BHXH-TĐKT", 856, None, None, "BHXH", "TĐKT"),
        ("07/QĐ-BHXH", 7, None, "QĐ", "BHXH", None),
        ("7/QĐ-BHXH", 7, None, "QĐ", "BHXH", None),
        ("Số: 86/2025/QĐ-UBND", 86, 2025, "QĐ", "UBND", None),
        ("  1263/BHXH-TĐKT ", 1263, None, None, "BHXH", "TĐKT"),
        ("15/QĐ-HĐTĐKT", 15, None, "QĐ", "HĐTĐKT", None),
        ("982/KH-UBND", 982, None, "KH", "UBND", None),
        ("12/UBND-VX", 12, None, None, "UBND", "VX"),
        ("01/TTr-BHXH-TĐKT", 1, None, "TTr", "BHXH", "TĐKT"),
        ("856/BHXH-T\u00d0KT", 856, None, None, "BHXH", "TĐKT"),  # Latin Ð typed for Đ
    ],
)
def test_parse_number_symbol(text, number, year, type_abbr, issuer, unit):
    parsed = parse_number_symbol(text)
    assert (parsed.number, parsed.year, parsed.type_abbreviation, parsed.issuer, parsed.unit) == (
        number,
        year,
        type_abbr,
        issuer,
        unit,
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Chưa nhập"),
        ("Số:", "Chưa nhập"),
        ("856 /BHXH-TĐKT", "dấu cách"),
        ("BHXH-TĐKT", "không đúng mẫu"),
        ("856-BHXH-TĐKT", "không đúng mẫu"),
        ("0/QĐ-BHXH", "bắt đầu từ 01"),
        ("856/BHXH", "ít nhất hai nhóm"),
        ("856/BHXH--TĐKT", "trống"),
        ("856/bhxh-tđkt", "viết hoa"),
        ("856/BHXH_TĐKT", "viết hoa"),
        ("5/SY-BHXH", "bản sao"),
    ],
)
def test_parse_number_symbol_rejects_with_vietnamese_message(text, message):
    with pytest.raises(ValueError, match=message):
        parse_number_symbol(text)


def test_parse_strict_requires_leading_zero():
    with pytest.raises(ValueError, match="số 0 phía trước"):
        parse_number_symbol("7/QĐ-BHXH", strict=True)
    assert parse_number_symbol("07/QĐ-BHXH", strict=True).number == 7


@pytest.mark.parametrize("text", ["07/QĐ-BHXH", "856/BHXH-TĐKT", "86/2025/QĐ-UBND", "01/TTr-BHXH-TĐKT"])
def test_parse_and_format_round_trip(text):
    parsed = parse_number_symbol(text)
    assert str(parsed) == text
    assert parse_number_symbol(str(parsed)) == parsed


def test_number_symbol_str_pads():
    assert str(NumberSymbol(number=7, parts=("QĐ", "BHXH"))) == "07/QĐ-BHXH"


def test_document_types_cover_annex_iii():
    assert len(DOCUMENT_TYPES) == 27
    assert document_type_label("QĐ") == "QUYẾT ĐỊNH"
    assert document_type_label("TTr") == "TỜ TRÌNH"
    assert document_type_label("KH") == "KẾ HOẠCH"
    with pytest.raises(ValueError, match="Không có loại"):
        document_type_label("CV")
