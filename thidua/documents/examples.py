"""Example documents: a commendation decision with an annex list of recipients.

Used by the tests, `bench/documents.py` and the demo; builders for real movements and
year-end rounds produce the same shapes from the database.
"""

from __future__ import annotations

from datetime import date

from thidua.documents.official import Annex, Article, CellText, Column, OfficialDocument, Signature, Table

_SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ")
_MIDDLE = ("Thị", "Văn", "Hữu", "Ngọc", "Minh", "Thu", "Đức", "Thanh")
_GIVEN = ("Hồng", "Bình", "Lan", "Dũng", "Hương", "Tuấn", "Yến", "Quý", "Phượng", "Khải", "Nguyệt", "Sơn")
_POSITIONS = (
    "Phó Trưởng phòng Quản lý thu",
    "Chuyên viên Phòng Tổ chức cán bộ",
    "Giám đốc BHXH cơ sở Buôn Ma Thuột",
    "Kế toán viên Phòng Kế hoạch - Tài chính",
)

AWARD_AMOUNT = 300_000  # example only: the real amounts come from the ruleset


def example_recipients(count: int) -> list[tuple[str, str, int]]:
    """Deterministic (name, position and unit, amount) rows with Vietnamese diacritics."""
    rows = []
    for i in range(count):
        name = f"{_SURNAMES[i % 12]} {_MIDDLE[i // 12 % 8]} {_GIVEN[i // 96 % 12]}"
        unit = f"{_POSITIONS[i % 4]}, Bảo hiểm xã hội tỉnh Đắk Lắk"
        rows.append((name, unit, AWARD_AMOUNT))
    return rows


def example_decision(
    count: int = 12, *, number: str = "07/QĐ-BHXH", on: date = date(2026, 1, 5)
) -> OfficialDocument:
    """A Quyết định tặng Giấy khen for `count` people, the list in an annex."""
    recipients = example_recipients(count)
    rows: list[list[CellText]] = [
        [i, name, unit, amount] for i, (name, unit, amount) in enumerate(recipients, start=1)
    ]
    total = sum(amount for _, _, amount in recipients)
    return OfficialDocument(
        parent_body="Bảo hiểm xã hội Việt Nam",
        issuer="Bảo hiểm xã hội\ntỉnh Đắk Lắk",
        number_symbol=number,
        place="Đắk Lắk",
        date=on,
        type_label="Quyết định",
        title="Về việc tặng Giấy khen cho các cá nhân có thành tích xuất sắc năm 2025",
        authority_line="Giám đốc Bảo hiểm xã hội tỉnh Đắk Lắk",
        legal_bases=[
            "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022",
            "Căn cứ Nghị định số 152/2025/NĐ-CP của Chính phủ quy định chi tiết một số điều của Luật Thi đua, khen thưởng",
            "Theo đề nghị của Trưởng phòng Tổ chức cán bộ",
        ],
        decision_word="QUYẾT ĐỊNH:",
        body=[
            Article(
                1,
                f"Tặng Giấy khen cho {count} cá nhân đã có thành tích xuất sắc trong thực hiện nhiệm vụ năm 2025 "
                "(có danh sách kèm theo).",
            ),
            Article(2, "Mỗi cá nhân được tặng Giấy khen kèm theo tiền thưởng theo quy định hiện hành."),
            Article(
                3,
                "Chánh Văn phòng, Trưởng phòng Tổ chức cán bộ, Trưởng phòng Kế hoạch - Tài chính và các cá nhân "
                "có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.",
            ),
        ],
        recipients=["Như Điều 3", "Giám đốc (để báo cáo)", "Lưu: VT, TCCB"],
        signature=Signature(
            prefix="KT.", on_behalf_of="GIÁM ĐỐC", position="Phó Giám đốc", signer_name="Trần Văn Bình"
        ),
        annexes=[
            Annex(
                title="Danh sách cá nhân được tặng Giấy khen",
                subtitle=f"(Kèm theo Quyết định số {number} ngày 05 tháng 01 năm 2026 "
                "của Giám đốc Bảo hiểm xã hội tỉnh Đắk Lắk)",
                blocks=[
                    Table(
                        columns=[
                            Column("STT", 12, "center"),
                            Column("Họ và tên", 45),
                            Column("Chức vụ, đơn vị", 75),
                            Column("Số tiền (đồng)", 33, "right"),
                        ],
                        rows=rows,
                        total_row=[None, "Tổng cộng", None, total],
                    )
                ],
            )
        ],
    )
