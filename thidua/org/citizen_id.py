"""Structure of the 12-digit citizen id (số CCCD / số định danh cá nhân).

Layout (Thông tư 59/2021/TT-BCA Đ7): 3 digits for the province where the birth was registered,
1 digit for century and gender, 2 digits for the last two digits of the birth year, 6 random digits.
Century/gender digit: 0/1 = 20th century male/female, 2/3 = 21st, 4/5 = 22nd, 6/7 = 23rd, 8/9 = 24th.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# The 63 province codes in use before 07/2025 (the 34 provinces after the merger kept codes among them).
PROVINCE_CODES: frozenset[str] = frozenset(
    f"0{c}"
    for c in [
        "01",
        "02",
        "04",
        "06",
        "08",
        "10",
        "11",
        "12",
        "14",
        "15",
        "17",
        "19",
        "20",
        "22",
        "24",
        "25",
        "26",
        "27",
        "30",
        "31",
        "33",
        "34",
        "35",
        "36",
        "37",
        "38",
        "40",
        "42",
        "44",
        "45",
        "46",
        "48",
        "49",
        "51",
        "52",
        "54",
        "56",
        "58",
        "60",
        "62",
        "64",
        "66",
        "67",
        "68",
        "70",
        "72",
        "74",
        "75",
        "77",
        "79",
        "80",
        "82",
        "83",
        "84",
        "86",
        "87",
        "89",
        "91",
        "92",
        "93",
        "94",
        "95",
        "96",
    ]
)


@dataclass(frozen=True)
class CitizenIdInfo:
    province_code: str
    gender: str  # "nam" | "nu"
    birth_year: int


class CitizenIdError(ValueError):
    """The citizen id is malformed; the message is Vietnamese and names the problem."""


def parse_citizen_id(value: str) -> CitizenIdInfo:
    raw = value.strip()
    if len(raw) != 12 or not raw.isdigit():
        raise CitizenIdError(f"Số CCCD '{value}' phải gồm đúng 12 chữ số")
    province = raw[:3]
    if province not in PROVINCE_CODES:
        raise CitizenIdError(f"Số CCCD '{value}': mã tỉnh nơi đăng ký khai sinh '{province}' không tồn tại")
    digit = int(raw[3])
    century = 1900 + 100 * (digit // 2)
    return CitizenIdInfo(
        province_code=province, gender="nu" if digit % 2 else "nam", birth_year=century + int(raw[4:6])
    )


def validate_citizen_id(
    value: str, *, gender: str | None = None, date_of_birth: date | None = None
) -> CitizenIdInfo:
    """Check the structure, and its consistency with the gender and date of birth when given."""
    info = parse_citizen_id(value)
    if gender and gender != info.gender:
        expected = "nữ" if info.gender == "nu" else "nam"
        raise CitizenIdError(
            f"Số CCCD '{value}': chữ số thứ 4 ứng với giới tính {expected}, không khớp giới tính đã khai"
        )
    if date_of_birth is not None and date_of_birth.year != info.birth_year:
        raise CitizenIdError(
            f"Số CCCD '{value}': năm sinh mã hóa trong số là {info.birth_year}, "
            f"không khớp ngày sinh {date_of_birth:%d/%m/%Y}"
        )
    return info


def make_citizen_id(province_code: str, gender: str, birth_year: int, serial: int) -> str:
    """Build a well-formed id (demo data and tests)."""
    century_index = (birth_year - 1900) // 100
    digit = century_index * 2 + (1 if gender == "nu" else 0)
    return f"{province_code}{digit}{birth_year % 100:02d}{serial % 1_000_000:06d}"
