"""The position line of the papers (decision annex, certificates, prize list, dossier lists)."""

from __future__ import annotations

import pytest

from thidua.awards.documents import title_with_unit

HN = "Bảo hiểm xã hội thành phố Hà Nội"


@pytest.mark.parametrize(
    ("title", "unit", "line"),
    [
        (
            "Phó Trưởng phòng",
            f"Phòng Chế độ bảo hiểm xã hội, {HN}",
            f"Phó Trưởng phòng Chế độ bảo hiểm xã hội, {HN}",
        ),
        ("Trưởng phòng", "Phòng Kế hoạch - Tài chính", "Trưởng phòng Kế hoạch - Tài chính"),
        ("Chánh Văn phòng", f"Văn phòng, {HN}", f"Chánh Văn phòng, {HN}"),
        ("Trưởng ban", "Ban Thi đua - Khen thưởng", "Trưởng ban Thi đua - Khen thưởng"),
        (
            "Chuyên viên",
            f"Phòng Chế độ bảo hiểm xã hội, {HN}",
            f"Chuyên viên Phòng Chế độ bảo hiểm xã hội, {HN}",
        ),
        ("Giám đốc", HN, f"Giám đốc {HN}"),
        ("Chuyên viên", f"Văn phòng, {HN}", f"Chuyên viên Văn phòng, {HN}"),
        ("Trưởng phòng", "Phòngban Lạ", "Trưởng phòng Phòngban Lạ"),  # a word that only starts the same
        ("Phòng", "Phòng Tổ chức", "Phòng Phòng Tổ chức"),  # never the whole title
        ("", HN, HN),
        ("Chuyên viên", "", "Chuyên viên"),
    ],
)
def test_the_title_and_the_unit_do_not_repeat_the_units_noun(title: str, unit: str, line: str) -> None:
    assert title_with_unit(title, unit) == line
