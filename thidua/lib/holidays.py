"""Vietnamese public holidays (ngày nghỉ lễ, Tết) as data: the days off work, 2025-2027.

Bộ luật Lao động 2019 Đ112 fixes the holidays (Tết Dương lịch, Tết Âm lịch, Giỗ Tổ Hùng Vương,
30/4, 1/5, Quốc khánh 2/9 and one day next to it); the exact days off, the Tết days and the
compensating days when a holiday falls on a weekend are announced every year by the Government
(the Prime Minister's notice, through the Ministry of Home Affairs). Keeping this list current is a
data change, not a code change: add the year's days when the notice is published. The 2027 Tết and
2/9 days below are provisional (lunar calendar, usual pattern) until that year's notice.
Only weekdays need listing: Saturdays and Sundays are never working days.
"""

from __future__ import annotations

from datetime import date

PUBLIC_HOLIDAYS: dict[int, tuple[tuple[str, str], ...]] = {
    2025: (
        ("2025-01-01", "Tết Dương lịch"),
        ("2025-01-27", "Tết Nguyên đán Ất Tỵ"),
        ("2025-01-28", "Tết Nguyên đán Ất Tỵ"),
        ("2025-01-29", "Tết Nguyên đán Ất Tỵ"),
        ("2025-01-30", "Tết Nguyên đán Ất Tỵ"),
        ("2025-01-31", "Tết Nguyên đán Ất Tỵ"),
        ("2025-04-07", "Giỗ Tổ Hùng Vương (10/3 âm lịch)"),
        ("2025-04-30", "Ngày Giải phóng miền Nam"),
        ("2025-05-01", "Ngày Quốc tế Lao động"),
        ("2025-09-01", "Quốc khánh (ngày liền kề)"),
        ("2025-09-02", "Quốc khánh"),
    ),
    2026: (
        ("2026-01-01", "Tết Dương lịch"),
        ("2026-02-16", "Tết Nguyên đán Bính Ngọ"),
        ("2026-02-17", "Tết Nguyên đán Bính Ngọ"),
        ("2026-02-18", "Tết Nguyên đán Bính Ngọ"),
        ("2026-02-19", "Tết Nguyên đán Bính Ngọ"),
        ("2026-02-20", "Tết Nguyên đán Bính Ngọ"),
        ("2026-04-27", "Giỗ Tổ Hùng Vương (nghỉ bù, 10/3 âm lịch là Chủ nhật)"),
        ("2026-04-30", "Ngày Giải phóng miền Nam"),
        ("2026-05-01", "Ngày Quốc tế Lao động"),
        ("2026-09-01", "Quốc khánh (ngày liền kề)"),
        ("2026-09-02", "Quốc khánh"),
    ),
    2027: (
        ("2027-01-01", "Tết Dương lịch"),
        ("2027-02-04", "Tết Nguyên đán Đinh Mùi (dự kiến)"),
        ("2027-02-05", "Tết Nguyên đán Đinh Mùi (dự kiến)"),
        ("2027-02-08", "Tết Nguyên đán Đinh Mùi (dự kiến)"),
        ("2027-02-09", "Tết Nguyên đán Đinh Mùi (dự kiến)"),
        ("2027-02-10", "Tết Nguyên đán Đinh Mùi (dự kiến)"),
        ("2027-04-16", "Giỗ Tổ Hùng Vương (10/3 âm lịch)"),
        ("2027-04-30", "Ngày Giải phóng miền Nam"),
        ("2027-05-03", "Ngày Quốc tế Lao động (nghỉ bù, 1/5 là thứ Bảy)"),
        ("2027-09-02", "Quốc khánh"),
        ("2027-09-03", "Quốc khánh (ngày liền kề, dự kiến)"),
    ),
}

HOLIDAYS: frozenset[date] = frozenset(
    date.fromisoformat(day) for days in PUBLIC_HOLIDAYS.values() for day, _ in days
)
