"""The sample certificate record printed by "print a test page" (records of a decision are built by
`thidua.awards.documents.certificate_records`), worded for the unit whose blanks are being laid out."""

from __future__ import annotations

from thidua.org.models import Unit
from thidua.org.organisation import letterhead

__all__ = ["sample_record"]


def sample_record(unit: Unit) -> dict[str, str]:
    """A made-up recipient of `unit`, with its own name, place and symbol (never another body's)."""
    head = letterhead(unit)
    place = f"{head.place}, " if head.place else ""
    symbol = f"QĐ-{head.symbol}" if head.symbol else "QĐ"
    return {
        "recipient": "Nguyễn Thị Phượng",
        "position_unit": f"Chuyên viên, {head.name}",
        "achievement": "Đã có thành tích xuất sắc trong thực hiện nhiệm vụ năm 2025",
        "place_date": f"{place}ngày 05 tháng 01 năm 2026",
        "decision": f"Quyết định số 07/{symbol} ngày 05/01/2026",
        "book_number": "Số sổ: 1",
    }
