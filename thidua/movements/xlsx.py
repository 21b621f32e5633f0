"""Small openpyxl helpers: text cells that stay text, Vietnamese headers, A4 landscape pages."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@")
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def set_cell(ws: Worksheet, row: int, column: int, value: Any) -> None:
    """Write a value; a string that a spreadsheet would read as a formula is kept as text."""
    cell = ws.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
    cell.border = _BORDER
    cell.alignment = Alignment(wrap_text=True, vertical="top")


def landscape_sheet(
    title: str,
    heading: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    widths: Sequence[int] | None = None,
    workbook: Workbook | None = None,
) -> tuple[Workbook, Worksheet]:
    """A sheet with a title line, bold Vietnamese headers and rows, fitted to A4 landscape width."""
    wb = workbook or Workbook()
    ws = wb.active if workbook is None else wb.create_sheet()
    assert ws is not None
    ws.title = title[:31]
    ws.cell(row=1, column=1, value=heading).font = Font(bold=True, size=13)
    for index, header in enumerate(headers, start=1):
        set_cell(ws, 3, index, header)
        ws.cell(row=3, column=index).font = Font(bold=True)
        ws.cell(row=3, column=index).fill = PatternFill("solid", fgColor="EEF0F3")
    for row_index, row in enumerate(rows, start=4):
        for col_index, value in enumerate(row, start=1):
            set_cell(ws, row_index, col_index, value)
    for index, width in enumerate(widths or [18] * len(headers), start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.print_title_rows = "3:3"
    ws.freeze_panes = "A4"
    fit_a4_landscape(ws)
    return wb, ws


def fit_a4_landscape(ws: Worksheet) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins.left = ws.page_margins.right = 0.5


def to_bytes(wb: Workbook) -> bytes:
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
