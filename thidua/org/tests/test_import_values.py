"""Cell parsing and header matching (no database)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from thidua.org.importers import CellError, as_bool, as_code, as_date, as_gender, as_unit_kind, header_key


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12/03/1995", date(1995, 3, 12)),
        ("1/3/1995", date(1995, 3, 1)),
        ("12-03-1995", date(1995, 3, 12)),
        ("12.03.1995", date(1995, 3, 12)),
        ("1995-03-12", date(1995, 3, 12)),
        ("12/03/1995 00:00:00", date(1995, 3, 12)),
        (datetime(1995, 3, 12), date(1995, 3, 12)),
        (date(1995, 3, 12), date(1995, 3, 12)),
        (34770, date(1995, 3, 12)),  # an Excel serial number in a cell without a date format
    ],
)
def test_dates_are_read_from_excel_dates_and_day_first_text(value: Any, expected: date) -> None:
    assert as_date(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31/02/2020", "không tồn tại"),
        ("12/13/1995", "không tồn tại"),
        ("1995/03/12", "dd/mm/yyyy"),
        ("hôm qua", "dd/mm/yyyy"),
        ("01/01/1800", "1900"),
    ],
)
def test_impossible_or_unreadable_dates_are_refused(value: str, message: str) -> None:
    with pytest.raises(CellError, match=message):
        as_date(value)


def test_choices_take_vietnamese_labels_or_codes(db) -> None:
    assert as_gender(" NỮ ") == "nu" and as_gender("nam") == "nam"
    assert as_unit_kind("bhxh tinh, thanh pho") == "bhxh_tinh"
    assert as_unit_kind("BHXH cơ sở") == "bhxh_co_so" and as_unit_kind("phong") == "phong"
    assert as_bool("Có") is True and as_bool("không") is False and as_bool("x") is True
    with pytest.raises(CellError):
        as_gender("Khác")
    with pytest.raises(CellError):
        as_bool("có lẽ")


def test_codes_typed_as_numbers_get_their_zeros_back() -> None:
    assert as_code(1085012345, width=12) == "001085012345"
    assert as_code(1.0, width=2) == "01"
    assert as_code("001 085 012 345", width=12) == "001085012345"


def test_headers_match_without_case_diacritics_marks_or_notes() -> None:
    assert header_key("  SỐ  CCCD * ") == header_key("so cccd") == "so cccd"
    assert header_key("Ngày sinh (dd/mm/yyyy):") == "ngay sinh"
    assert header_key("Mã đơn vị cấp trên") == "ma don vi cap tren"
