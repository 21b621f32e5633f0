"""The one .xlsx writer: formula guard, Times New Roman, row heights for wrapped text, print setup,
total row and signature block."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import load_workbook

from thidua.lib.xlsx import MONEY_FORMAT, XlsxColumn, XlsxSheet, line_count, render_xlsx

COLUMNS = [
    XlsxColumn("STT", 6, align="center"),
    XlsxColumn("Họ và tên", 24),
    XlsxColumn("Chức vụ, đơn vị", 30, wrap=True),
    XlsxColumn("Số tiền (đồng)", 16, MONEY_FORMAT, align="right"),
]


def _sheet(data: bytes) -> Any:
    return load_workbook(io.BytesIO(data)).active


def test_a_long_wrapped_cell_gets_the_height_of_its_lines_and_a_short_one_one_line():
    long = "Chuyên viên Phòng Quản lý thu và Phát triển người tham gia, Bảo hiểm xã hội thành phố Hà Nội"
    ws = _sheet(
        render_xlsx(XlsxSheet("Danh sách", COLUMNS, [[1, "An", long, 1], [2, "Bình", "Văn phòng", 2]]))
    )
    tall, short = ws.row_dimensions[2].height, ws.row_dimensions[3].height
    assert tall >= 3 * 12 and short < 20  # three lines or more against one
    assert ws["C2"].font.name == "Times New Roman" and ws["C2"].alignment.wrap_text


def test_line_count_breaks_words_as_a_column_would():
    assert line_count("Hà Nội", 100, 12) == 1
    assert line_count("a " * 100, 100, 12) > 5
    assert line_count("một\nhai", 300, 12) == 2


def test_formulas_stay_text_and_money_keeps_its_number_format():
    ws = _sheet(render_xlsx(XlsxSheet("Danh sách", COLUMNS, [[1, "=1+1", "@SUM(A1)", 2_340_000]])))
    assert ws["B2"].value == "=1+1" and ws["B2"].data_type == "s"
    assert ws["D2"].value == 2_340_000 and ws["D2"].number_format == MONEY_FORMAT


def test_total_row_signatures_and_print_setup():
    sheet = XlsxSheet(
        "Danh sách",
        COLUMNS,
        [[1, "An", "Văn phòng", 1_000_000]],
        title_rows=["DANH SÁCH"],
        total_row=[None, "Tổng cộng", None, 1_000_000],
        footer_rows=["Bằng chữ: Một triệu đồng."],
        date_line="Hà Nội, ngày 05 tháng 01 năm 2026",
        signatures=[("NGƯỜI LẬP BIỂU", "Lê Văn C"), ("KẾ TOÁN TRƯỞNG", ""), ("THỦ TRƯỞNG ĐƠN VỊ", "")],
    )
    ws = _sheet(render_xlsx(sheet))
    assert ws["B5"].value == "Tổng cộng" and ws["B5"].font.b and ws["D5"].value == 1_000_000
    assert ws["A6"].value == "Bằng chữ: Một triệu đồng."
    values = {c.value for row in ws.iter_rows(min_row=7) for c in row if c.value}
    assert {"NGƯỜI LẬP BIỂU", "KẾ TOÁN TRƯỞNG", "THỦ TRƯỞNG ĐƠN VỊ", "Lê Văn C"} <= values
    assert "Hà Nội, ngày 05 tháng 01 năm 2026" in values
    assert ws.print_title_rows == "$3:$3" and int(ws.page_setup.paperSize) == 9
    assert ws.oddFooter.center.text == "Trang &P/&N"
