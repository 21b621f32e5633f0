"""The sample certificate record printed by "print a test page" (records of a decision are built by
`thidua.awards.documents.certificate_records`)."""

from __future__ import annotations

__all__ = ["SAMPLE_RECORD"]

SAMPLE_RECORD = {
    "recipient": "Nguyễn Thị Phượng",
    "position_unit": "Chuyên viên Phòng Quản lý thu, Bảo hiểm xã hội tỉnh Đắk Lắk",
    "achievement": "Đã có thành tích xuất sắc trong thực hiện nhiệm vụ năm 2025",
    "place_date": "Đắk Lắk, ngày 05 tháng 01 năm 2026",
    "decision": "Quyết định số 07/QĐ-BHXH ngày 05/01/2026",
    "book_number": "Số sổ: 1",
}
"""What the "print a test page" button prints, with guides."""
