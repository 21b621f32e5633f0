from __future__ import annotations

import pytest

from thidua.accounts.models import User
from thidua.audit.display import detail_lines
from thidua.core.templatetags.thidua import display_name
from thidua.lib.numbers import format_number


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (0, 0, "0"),
        (999, 0, "999"),
        (1234, 0, "1.234"),
        (1234567, 0, "1.234.567"),
        (-7020000, 0, "-7.020.000"),
        (1234.5, 1, "1.234,5"),
        ("1989000", 0, "1.989.000"),
        (None, 0, ""),
    ],
)
def test_it_formats_numbers_the_vietnamese_way(value, decimals, text):
    assert format_number(value, decimals) == text


def test_it_reads_audit_details_as_labelled_lines():
    lines = detail_lines(
        {
            "from": "Phòng Quản lý thu",
            "to": "Văn phòng",
            "on": "2025-07-01",
            "title": "",
            "changes": {"full_name": ["Nguyễn Văn A", "Nguyễn Văn An"]},
            "members": ["A", "B"],
        }
    )
    assert lines == [
        ("Từ đơn vị", "Phòng Quản lý thu"),
        ("Sang đơn vị", "Văn phòng"),
        ("Ngày", "01/07/2025"),
        ("Thay đổi", "họ và tên: Nguyễn Văn A → Nguyễn Văn An"),
        ("Đơn vị thành viên", "A, B"),
    ]
    assert detail_lines({}) == []


def test_it_writes_user_names_in_vietnamese_order():
    assert (
        display_name(User(username="canbo.hn", first_name="Hạnh", last_name="Nguyễn Thị"))
        == "Nguyễn Thị Hạnh"
    )
    assert display_name(User(username="canbo.hn")) == "canbo.hn"
