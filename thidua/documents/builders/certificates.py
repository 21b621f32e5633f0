"""Certificate records (Giấy khen, Bằng khen) for `render_certificates`, from a `DecisionData`."""

from __future__ import annotations

from thidua.documents.builders.decision import DecisionData
from thidua.documents.vnwords import date_line

__all__ = ["SAMPLE_RECORD", "certificate_records"]

SAMPLE_RECORD = {
    "recipient": "Nguyễn Thị Phượng",
    "position_unit": "Chuyên viên Phòng Quản lý thu, Bảo hiểm xã hội tỉnh Đắk Lắk",
    "achievement": "Đã có thành tích xuất sắc trong thực hiện nhiệm vụ năm 2025",
    "place_date": "Đắk Lắk, ngày 05 tháng 01 năm 2026",
    "decision": "Quyết định số 07/QĐ-BHXH ngày 05/01/2026",
    "book_number": "Số sổ: 1",
}
"""What the "print a test page" button prints, with guides."""


def certificate_records(data: DecisionData) -> list[dict[str, str]]:
    """One record per recipient: the fields of `GIAY_KHEN_A4` / `BANG_KHEN_A4`."""
    reason = data.reason or "đã có thành tích xuất sắc trong thực hiện nhiệm vụ" + (
        f" năm {data.year}" if data.year else ""
    )
    achievement = reason[:1].upper() + reason[1:]
    place_date = date_line(data.place, data.date) if data.date else ""
    decision = f"Quyết định số {data.number_symbol}" + (f" ngày {data.date:%d/%m/%Y}" if data.date else "")
    return [
        {
            "recipient": r.name,
            "position_unit": r.position_unit,
            "achievement": achievement,
            "place_date": place_date,
            "decision": decision,
            "book_number": f"Số sổ: {i}",
        }
        for i, r in enumerate(data.recipients, start=1)
    ]
