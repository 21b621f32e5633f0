"""Vietnamese names with realistic frequencies.

Family-name shares follow the usual estimates for Vietnam (Nguyễn about 38 %, Trần 11 %, Lê 9.5 %, ...).
Hoàng/Huỳnh and Vũ/Võ are one family name written differently in the North and in the South, so the
generator picks the spelling from the region of the person's province.
"""

from __future__ import annotations

import random
from bisect import bisect
from itertools import accumulate

# (name, weight in per mille); "Hoàng" and "Vũ" are swapped for "Huỳnh" and "Võ" in the South.
FAMILY_NAMES: tuple[tuple[str, float], ...] = (
    ("Nguyễn", 384),
    ("Trần", 112),
    ("Lê", 95),
    ("Phạm", 71),
    ("Hoàng", 51),
    ("Phan", 45),
    ("Vũ", 39),
    ("Đặng", 21),
    ("Bùi", 20),
    ("Đỗ", 14),
    ("Hồ", 13),
    ("Ngô", 13),
    ("Dương", 10),
    ("Lý", 5),
    ("Đinh", 9),
    ("Đào", 8),
    ("Trịnh", 7),
    ("Mai", 6),
    ("Trương", 6),
    ("Lương", 5),
    ("Lâm", 5),
    ("Cao", 5),
    ("Hà", 5),
    ("Tạ", 4),
    ("Đoàn", 4),
    ("Chu", 3),
    ("Tô", 3),
    ("Phùng", 3),
    ("Lưu", 3),
    ("Kiều", 2),
    ("Thái", 2),
    ("Triệu", 2),
    ("Quách", 2),
    ("Lại", 2),
    ("Vương", 2),
    ("Nông", 2),
    ("Tăng", 1),
    ("Khúc", 1),
)
SOUTHERN_SPELLING = {"Hoàng": "Huỳnh", "Vũ": "Võ"}

MIDDLE_NAMES = {
    "nam": (
        ("Văn", 40),
        ("Hữu", 7),
        ("Đức", 9),
        ("Minh", 9),
        ("Quang", 7),
        ("Công", 5),
        ("Xuân", 4),
        ("Thanh", 5),
        ("Ngọc", 3),
        ("Quốc", 5),
        ("Tuấn", 3),
        ("Mạnh", 3),
        ("Thế", 3),
        ("Trọng", 3),
        ("Duy", 3),
        ("Tiến", 2),
        ("Anh", 2),
        ("Hoàng", 2),
        ("Gia", 1),
    ),
    "nu": (
        ("Thị", 52),
        ("Ngọc", 7),
        ("Thu", 6),
        ("Thanh", 6),
        ("Mai", 3),
        ("Minh", 3),
        ("Thùy", 4),
        ("Phương", 3),
        ("Hồng", 3),
        ("Kim", 3),
        ("Bích", 2),
        ("Hải", 2),
        ("Diệu", 1),
        ("Khánh", 2),
        ("Hoài", 1),
        ("Lan", 1),
        ("Thúy", 2),
    ),
}

GIVEN_NAMES = {
    "nam": [
        "An",
        "Anh",
        "Bảo",
        "Bình",
        "Cường",
        "Chiến",
        "Dũng",
        "Duy",
        "Đạt",
        "Định",
        "Đông",
        "Đức",
        "Giang",
        "Hải",
        "Hào",
        "Hiếu",
        "Hiệp",
        "Hòa",
        "Hoàng",
        "Hùng",
        "Huy",
        "Hưng",
        "Khải",
        "Khánh",
        "Khoa",
        "Khôi",
        "Kiên",
        "Lâm",
        "Linh",
        "Long",
        "Lộc",
        "Luân",
        "Mạnh",
        "Minh",
        "Nam",
        "Nghĩa",
        "Nhân",
        "Phong",
        "Phúc",
        "Phương",
        "Quân",
        "Quang",
        "Quý",
        "Sơn",
        "Tài",
        "Tâm",
        "Thái",
        "Thắng",
        "Thành",
        "Thịnh",
        "Toàn",
        "Trí",
        "Trung",
        "Trường",
        "Tú",
        "Tuấn",
        "Tùng",
        "Việt",
        "Vinh",
        "Vũ",
    ],
    "nu": [
        "An",
        "Anh",
        "Bích",
        "Châu",
        "Chi",
        "Dung",
        "Duyên",
        "Giang",
        "Hà",
        "Hằng",
        "Hạnh",
        "Hiền",
        "Hoa",
        "Hòa",
        "Hồng",
        "Huệ",
        "Huyền",
        "Hương",
        "Lan",
        "Liên",
        "Linh",
        "Loan",
        "Ly",
        "Mai",
        "My",
        "Nga",
        "Ngân",
        "Ngọc",
        "Nhàn",
        "Nhung",
        "Oanh",
        "Phương",
        "Quyên",
        "Quỳnh",
        "Tâm",
        "Thảo",
        "Thanh",
        "Thơ",
        "Thủy",
        "Thư",
        "Trang",
        "Trinh",
        "Tuyết",
        "Uyên",
        "Vân",
        "Vy",
        "Xuân",
        "Yến",
    ],
}
# A second middle name for some women ("Nguyễn Thị Thu Hà").
SECOND_MIDDLE_NU = ("Thu", "Ngọc", "Thanh", "Minh", "Hồng", "Phương", "Bích", "Kim", "Mai")


class _Weighted:
    def __init__(self, items: tuple[tuple[str, float], ...]) -> None:
        self.values = [name for name, _ in items]
        self.cumulative = list(accumulate(weight for _, weight in items))

    def pick(self, rng: random.Random) -> str:
        return self.values[bisect(self.cumulative, rng.random() * self.cumulative[-1])]


_FAMILY = _Weighted(FAMILY_NAMES)
_MIDDLE = {gender: _Weighted(items) for gender, items in MIDDLE_NAMES.items()}


def make_name(rng: random.Random, gender: str, *, southern: bool) -> str:
    """A full name 'Family Middle [Middle] Given' for `gender` ("nam" | "nu")."""
    family = _FAMILY.pick(rng)
    if southern:
        family = SOUTHERN_SPELLING.get(family, family)
    middle = _MIDDLE[gender].pick(rng)
    given = rng.choice(GIVEN_NAMES[gender])
    while given == middle:
        given = rng.choice(GIVEN_NAMES[gender])
    parts = [family, middle]
    if gender == "nu" and middle == "Thị" and rng.random() < 0.15:
        second = rng.choice(SECOND_MIDDLE_NU)
        if second != given:
            parts.append(second)
    parts.append(given)
    return " ".join(parts)
