from datetime import date

import pytest

from thidua.documents.official import OfficialDocument, Signature, format_cell, punctuate_list, upper


@pytest.mark.parametrize(
    ("items", "bullet", "expected"),
    [
        (["Căn cứ A", "Căn cứ B;", "Theo đề nghị C."], "", ["Căn cứ A;", "Căn cứ B;", "Theo đề nghị C."]),
        (["Như Điều 3", "Lưu: VT, TCCB"], "- ", ["- Như Điều 3;", "- Lưu: VT, TCCB."]),
        (["- Như trên;", "  ", "Lưu: VT."], "- ", ["- Như trên;", "- Lưu: VT."]),
        (["{{ recipients[].text }}"], "- ", ["- {{ recipients[].text }}"]),
        ([], "", []),
    ],
)
def test_punctuate_list(items, bullet, expected):
    assert punctuate_list(items, bullet=bullet) == expected


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (2_340_000, "2.340.000"),
        (-1500, "-1.500"),
        (7, "7"),
        (None, ""),
        ("Nguye\u0302\u0303n", "Nguyễn"),
        (True, "True"),
    ],
)
def test_format_cell(value, text):
    assert format_cell(value) == text


def test_upper_keeps_placeholders():
    assert upper("Giám đốc {{ unit.name }} tỉnh") == "GIÁM ĐỐC {{ unit.name }} TỈNH"
    assert upper("bảo hiểm xã hội") == "BẢO HIỂM XÃ HỘI"


@pytest.mark.parametrize(
    ("signature", "lines"),
    [
        (Signature(position="Giám đốc", signer_name="A"), ["GIÁM ĐỐC"]),
        (
            Signature(prefix="KT.", on_behalf_of="Giám đốc", position="Phó Giám đốc", signer_name="A"),
            ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"],
        ),
        (
            Signature(prefix="TM.", on_behalf_of="Hội đồng", position="Chủ tịch", signer_name="A"),
            ["TM. HỘI ĐỒNG", "CHỦ TỊCH"],
        ),
        (
            Signature(prefix="TL.", on_behalf_of="Giám đốc", position="Chánh Văn phòng", signer_name="A"),
            ["TL. GIÁM ĐỐC", "CHÁNH VĂN PHÒNG"],
        ),
    ],
)
def test_signature_lines(signature, lines):
    assert signature.lines == lines


def test_place_date_line():
    doc = OfficialDocument(issuer="BHXH", number_symbol="07/QĐ-BHXH", place="Hà Nội", date=date(2020, 1, 5))
    assert doc.place_date == "Hà Nội, ngày 05 tháng 01 năm 2020"
    assert doc.number_line == "Số: 07/QĐ-BHXH"
    assert OfficialDocument(issuer="x", number_symbol="x", place="Huế", date=None).place_date.startswith(
        "Huế, ngày "
    )
    override = OfficialDocument(
        issuer="x", number_symbol="x", place="", date=None, date_text="{{ place_date }}"
    )
    assert override.place_date == "{{ place_date }}"


@pytest.mark.parametrize(
    ("title", "kwargs", "lines", "office"),
    [
        ("Giám đốc", {}, ["GIÁM ĐỐC"], "Giám đốc"),
        ("Phó Giám đốc", {}, ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], "Giám đốc"),
        ("Phó Giám đốc", {"form": "KT."}, ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], "Giám đốc"),
        ("Giám đốc", {"form": "KT."}, ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], "Giám đốc"),
        ("Phó Chủ tịch", {}, ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"], "Chủ tịch"),
        ("Quyền Giám đốc", {"form": "Q."}, ["Q. GIÁM ĐỐC"], "Giám đốc"),
        (
            "Chánh Văn phòng",
            {"form": "TL.", "head_title": "Giám đốc"},
            ["TL. GIÁM ĐỐC", "CHÁNH VĂN PHÒNG"],
            "Giám đốc",
        ),
        (
            "Trưởng ban",
            {"form": "TUQ.", "head_title": "Giám đốc"},
            ["TUQ. GIÁM ĐỐC", "TRƯỞNG BAN"],
            "Giám đốc",
        ),
        (
            "Chủ tịch",
            {"form": "TM.", "body": "Hội đồng Thi đua - Khen thưởng"},
            ["TM. HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG", "CHỦ TỊCH"],
            "Hội đồng Thi đua - Khen thưởng",
        ),
    ],
)
def test_signature_blocks_come_from_the_signing_form(title, kwargs, lines, office):
    from thidua.documents.official import signature_block

    signature = signature_block(title, "Trần Văn Bình", **kwargs)
    assert signature.lines == lines and signature.office == office
    assert not any("PHÓ PHÓ" in line for line in signature.lines)


@pytest.mark.parametrize(
    ("name", "printed"),
    [
        ("Bảo hiểm xã hội thành phố Hà Nội", "Bảo hiểm xã hội\nthành phố Hà Nội"),
        ("Bảo hiểm xã hội tỉnh Đắk Lắk", "Bảo hiểm xã hội\ntỉnh Đắk Lắk"),
        ("Bảo hiểm xã hội cơ sở Ba Đình", "Bảo hiểm xã hội\ncơ sở Ba Đình"),
        ("Bảo hiểm xã hội Việt Nam", "Bảo hiểm xã hội Việt Nam"),  # fits on one line
        ("Hội đồng Thi đua - Khen thưởng", "Hội đồng Thi đua -\nKhen thưởng"),
        ("Trung tâm Công nghệ thông tin và Chuyển đổi số", "Trung tâm Công nghệ\nthông tin và Chuyển đổi số"),
        ("Văn phòng", "Văn phòng"),
        ("Bảo hiểm xã hội\nkhu vực I", "Bảo hiểm xã hội\nkhu vực I"),  # a break typed by the officer is kept
    ],
)
def test_the_issuer_breaks_where_a_clerk_would(name, printed):
    from thidua.documents.official import break_issuer

    assert break_issuer(name) == printed
