import io
import zipfile
from datetime import date
from typing import Any

import pytest
from lxml import etree
from openpyxl import load_workbook

from thidua.documents.xlsx_render import MONEY_FORMAT, XlsxColumn, XlsxSheet, render_xlsx

COLUMNS = [
    XlsxColumn("STT", width=6, align="center"),
    XlsxColumn("Họ và tên", width=28),
    XlsxColumn("Chức vụ, đơn vị", width=40, wrap=True),
    XlsxColumn("Số tiền (đồng)", width=16, number_format=MONEY_FORMAT),
    XlsxColumn("Ngày quyết định"),
]


def _sheet(rows: list[list[object]], **kwargs: object) -> XlsxSheet:
    return XlsxSheet(name="Danh sách khen thưởng", columns=COLUMNS, rows=rows, **kwargs)  # type: ignore[arg-type]


def _load(data: bytes) -> Any:  # openpyxl's unions get in the way of plain asserts
    return load_workbook(io.BytesIO(data))


def test_it_writes_headers_titles_and_values():
    data = render_xlsx(
        _sheet(
            [[1, "Nguyễn Thị Hồng", "Phó Trưởng phòng, BHXH tỉnh Đắk Lắk", 2_340_000, date(2025, 1, 5)]],
            title_rows=["DANH SÁCH CÁ NHÂN ĐƯỢC KHEN THƯỞNG", "(Kèm theo Quyết định số 07/QĐ-BHXH)"],
        )
    )
    ws = _load(data)["Danh sách khen thưởng"]
    assert ws["A1"].value == "DANH SÁCH CÁ NHÂN ĐƯỢC KHEN THƯỞNG"
    assert ws["A1"].font.b
    assert "A1:E1" in {str(r) for r in ws.merged_cells.ranges}
    assert [c.value for c in ws[4]] == [c.header for c in COLUMNS]
    assert all(c.font.b for c in ws[4])
    row = ws[5]
    assert row[0].value == 1 and row[0].data_type == "n"
    assert row[1].value == "Nguyễn Thị Hồng"
    assert row[3].value == 2_340_000 and row[3].number_format == MONEY_FORMAT
    assert row[4].value.date() == date(2025, 1, 5) and row[4].number_format == "dd/mm/yyyy"
    assert ws.freeze_panes == "A5"
    assert ws.column_dimensions["B"].width == 28


def test_it_sets_up_printing_on_a4_landscape():
    ws = _load(render_xlsx(_sheet([], title_rows=["TIÊU ĐỀ"])))["Danh sách khen thưởng"]
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$3:$3"


def test_header_without_titles_is_row_one():
    ws = _load(render_xlsx(_sheet([[1, "A", "B", 1, None]], landscape=False)))["Danh sách khen thưởng"]
    assert ws["A1"].value == "STT" and ws.freeze_panes == "A2"
    assert ws.page_setup.orientation == "portrait"
    assert ws.print_title_rows == "$1:$1"


@pytest.mark.parametrize(
    "text",
    ["=1+1", '=HYPERLINK("http://x","y")', "+84 912 345 678", "-5", "@SUM(A1)", "\t=1", "\r=1"],
)
def test_formula_like_text_stays_text(text):
    data = render_xlsx(_sheet([[1, text, "", 0, None]]))
    cell = _load(data)["Danh sách khen thưởng"]["B2"]
    assert cell.value == text
    assert cell.data_type == "s"
    # independent check in the XML: no <f> formula element anywhere in the sheet
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        sheet_xml = etree.fromstring(zf.read("xl/worksheets/sheet1.xml"))
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    assert sheet_xml.findall(".//m:f", ns) == []


def test_formula_like_text_is_marked_quote_prefix():
    ws = _load(render_xlsx(_sheet([[1, "=1+1", "", 0, None]])))["Danh sách khen thưởng"]
    assert ws["B2"].quotePrefix


def test_control_characters_are_dropped_and_text_is_nfc():
    decomposed = "Nguye\u0302\u0303n\x07 Va\u0306n A"
    ws = _load(render_xlsx(_sheet([[1, decomposed, "", 0, None]])))["Danh sách khen thưởng"]
    assert ws["B2"].value == "Nguyễn Văn A"


def test_booleans_and_none():
    ws = _load(render_xlsx(_sheet([[True, False, None, 0, None]])))["Danh sách khen thưởng"]
    assert [ws["A2"].value, ws["B2"].value, ws["C2"].value] == ["Có", "Không", None]


def test_several_sheets_get_unique_valid_titles():
    long = "Danh sách tập thể lao động xuất sắc năm 2025: khối 1/2"
    wb = _load(render_xlsx([_sheet([]), XlsxSheet(long, COLUMNS, []), XlsxSheet(long, COLUMNS, [])]))
    titles = wb.sheetnames
    assert len(titles) == 3 and len({t.lower() for t in titles}) == 3
    assert all(len(t) <= 31 and "/" not in t and ":" not in t for t in titles)


def test_it_needs_a_sheet():
    with pytest.raises(ValueError, match="Không có trang tính"):
        render_xlsx([])
