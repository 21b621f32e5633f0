"""The guarded spreadsheet reader refuses hostile files before it builds rows (thidua.lib.sheets)."""

from __future__ import annotations

import re
import tracemalloc
from typing import Any

import pytest

from thidua.lib.sheets import ExcelError, Limits, SheetRefused, open_xlsx, scan_xlsx
from thidua.tests.hostile_files import last_column_on_every_row, with_raw_cells, workbook, zip_bomb


def test_a_small_file_with_a_cell_in_the_last_column_of_each_row_is_refused_cheaply():
    data = last_column_on_every_row(["Số CCCD", "Họ và tên"])
    assert len(data) < 120_000
    tracemalloc.start()
    try:
        with pytest.raises(SheetRefused, match="XFD1: quá giới hạn 100 cột") as caught:
            open_xlsx(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 30 * 1024 * 1024, f"{peak / 1e6:.0f} MB"
    assert "xoá các cột thừa" in caught.value.message


def test_a_cell_longer_than_the_limit_is_refused_with_a_short_excerpt():
    data = workbook(["Họ và tên"], [["Nguyễn " + "A" * 200_000]])
    with pytest.raises(SheetRefused) as caught:
        open_xlsx(data)
    message = caught.value.message
    assert "quá giới hạn 5.000 ký tự" in message
    assert "bắt đầu bằng «Nguyễn AAAA" in message
    assert len(message) < 300


def test_an_inline_string_cell_too_long_is_refused_too():
    data = with_raw_cells(["Họ và tên"], {"A2": b' t="inlineStr"><is><t>' + b"x" * 6000 + b"</t></is>"})
    with pytest.raises(SheetRefused, match=re.escape("ô A2: nội dung dài 6.000 ký tự")):
        open_xlsx(data)


def test_rows_cells_and_time_have_limits():
    data = workbook(["A", "B", "C"], [[i, i, i] for i in range(50)])
    with pytest.raises(SheetRefused, match="dòng 11, quá giới hạn 10 dòng"):
        scan_xlsx(data, Limits(max_rows=10))
    with pytest.raises(SheetRefused, match="quá nhiều ô"):
        scan_xlsx(data, Limits(max_cells=100))
    with pytest.raises(SheetRefused, match="quá 0 giây"):
        scan_xlsx(data, Limits(max_seconds=0))
    with pytest.raises(SheetRefused, match="quá giới hạn 0 MB"):
        scan_xlsx(data, Limits(max_bytes=100))
    assert scan_xlsx(data).sheets["Nhân sự"].rows == 51


def test_a_zip_bomb_is_refused_before_it_is_unzipped():
    data = zip_bomb(60)
    assert len(data) < 200_000
    with pytest.raises(SheetRefused, match="nén bất thường"):
        open_xlsx(data)
    with pytest.raises(SheetRefused, match="giải nén ra"):
        scan_xlsx(data, Limits(max_unzipped=10 * 1024 * 1024))


def test_rows_are_cut_to_the_columns_that_hold_data_whatever_the_dimension_says():
    data = with_raw_cells(["A", "B"], {"A2": b"<v>1</v>", "B2": b"<v>2</v>"})
    with open_xlsx(data) as wb:
        assert wb.worksheets[0].rows() == [("A", "B"), (1, 2)]


def test_excel_errors_and_infinite_numbers_come_back_as_excel_errors():
    data = with_raw_cells(
        ["A", "B", "C", "D"],
        {
            "A2": b' t="e"><v>#DIV/0!</v>',
            "B2": b"<v>1e999</v>",
            "C2": b' t="e"><v>#N/A</v>',
            "D2": b"<v>-1E+400</v>",
        },
    )
    with open_xlsx(data) as wb:
        row = wb.worksheets[0].rows()[1]
    assert all(isinstance(v, ExcelError) for v in row)
    assert row[0] == "#DIV/0!" and "lỗi công thức Excel #DIV/0!" in row[0].message
    assert "không hữu hạn" in row[1].message


@pytest.mark.parametrize("junk", [b"", b"not a zip", b"PK\x03\x04 broken", b"\xd0\xcf\x11\xe0" * 100])
def test_a_file_that_is_not_xlsx_is_refused_in_vietnamese(junk):
    with pytest.raises(SheetRefused, match="không phải bảng tính Excel"):
        open_xlsx(junk)


def test_a_number_cell_holding_text_is_a_damaged_file_not_a_crash():
    data = with_raw_cells(["A"], {"A2": b"<v>abc</v>"})
    with pytest.raises(SheetRefused, match="ô A2: ô số có giá trị «abc» không phải số"):
        open_xlsx(data)
    for text in (b"inf", b"-INF", b"NaN"):  # what openpyxl itself would crash on: a row error instead
        with open_xlsx(with_raw_cells(["A"], {"A2": b"<v>" + text + b"</v>"})) as wb:
            assert isinstance(wb.worksheets[0].rows()[1][0], ExcelError)


def test_both_readers_clean_cells_the_same_way():
    from thidua.lib.sheets import SafeWorkbook

    data = with_raw_cells(
        ["A", "B", "C", "D", "E"],
        {
            "A2": b"<v>5.0</v>",  # a whole number written with a decimal point
            "B2": b' t="inlineStr"><is><t></t></is>',  # an empty text cell
            "C2": b"<v>2.5</v>",
            "D2": b' t="inlineStr"><is><t>#N/A</t></is>',  # the text of an error code, not an error cell
            "E2": ' t="inlineStr"><is><t>văn bản</t></is>'.encode(),
        },
    )
    rows = {}
    for reader in ("calamine", "openpyxl"):
        with SafeWorkbook(data, reader=reader) as book:
            assert book.reader == reader
            rows[reader] = book.worksheets[0].rows()[1]
    assert rows["calamine"] == rows["openpyxl"] == (5, None, 2.5, "#N/A", "văn bản")
    assert [type(v) for v in rows["openpyxl"]] == [int, type(None), float, ExcelError, str]


def test_a_text_with_a_nul_character_is_a_cell_every_importer_reports():
    """Excel writes a NUL character as `_x0000_`; no database column holds it (PostgreSQL refused
    the write: a 500), so it is an `ExcelError` like an error value, which every importer reports."""
    from thidua.lib.sheets import NUL_REFUSED, SafeWorkbook

    data = with_raw_cells(
        ["A", "B"], {"A2": b' t="inlineStr"><is><t>Tr_x0000_an</t></is>', "B2": b"<v>1</v>"}
    )
    with SafeWorkbook(data, reader="calamine") as book:  # openpyxl leaves the escape as text here
        nul, number = book.worksheets[0].rows()[1]
    assert isinstance(nul, ExcelError) and nul.message == NUL_REFUSED and "\x00" in nul
    assert number == 1


@pytest.mark.parametrize(
    ("cells", "reader"),
    [
        ({"A2": b"<v>1</v>"}, "calamine"),
        ({"A2": b' t="e"><v>#N/A</v>'}, "openpyxl"),
    ],  # an error: the full scan
)
def test_the_package_is_opened_once_for_its_checks_and_scans(monkeypatch, cells, reader):
    import zipfile

    from thidua.lib.sheets import SafeWorkbook

    opened: list[object] = []

    class Counted(zipfile.ZipFile):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            opened.append(args[0])
            super().__init__(*args, **kwargs)

    data = with_raw_cells(["A"], cells)
    monkeypatch.setattr(zipfile, "ZipFile", Counted)  # openpyxl holds its own name for the class
    with SafeWorkbook(data) as book:
        assert book.reader == reader
    assert len(opened) == 1
