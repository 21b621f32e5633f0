"""Write lists to .xlsx: Vietnamese headers, title rows, print-ready, formulas neutralised.

A builder hands over `XlsxSheet`s (columns and rows of plain values); `render_xlsx` returns
the workbook as bytes. Every text cell is stored as text: a value starting with "=", "+",
"-", "@", a tab or a carriage return never becomes a formula (CSV/formula injection), and
control characters that the format forbids are dropped instead of failing the export.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO, Literal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, MergedCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "FORMULA_PREFIXES",
    "CellValue",
    "XlsxColumn",
    "XlsxSheet",
    "neutralise",
    "render_xlsx",
    "write_xlsx",
]

CellValue = str | int | float | Decimal | date | datetime | bool | None

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
"""A text starting with one of these is what spreadsheet programs may run as a formula."""

MONEY_FORMAT = "#,##0"
DATE_FORMAT = "dd/mm/yyyy"
_FONT = "Times New Roman"
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
# Excel refuses sheet titles longer than 31 characters or with these characters.
_SHEET_TITLE_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


@dataclass(frozen=True)
class XlsxColumn:
    """One column: its header, width in characters, number format and alignment."""

    header: str
    width: float | None = None
    number_format: str | None = None
    wrap: bool = False
    align: Literal["left", "center", "right"] | None = None


@dataclass(frozen=True)
class XlsxSheet:
    """A list to write: title rows above a bold, frozen, repeated header row."""

    name: str
    columns: Sequence[XlsxColumn]
    rows: Iterable[Sequence[CellValue]]
    title_rows: Sequence[str] = ()
    landscape: bool = True
    borders: bool = True
    footer_rows: Sequence[str] = ()


def neutralise(value: str) -> str:
    """Text made safe for a cell: NFC, no forbidden control characters."""
    return ILLEGAL_CHARACTERS_RE.sub("", unicodedata.normalize("NFC", value))


def _set_value(cell: Cell | MergedCell, value: CellValue) -> None:
    if isinstance(value, str):
        text = neutralise(value)
        cell.value = text
        if text.startswith(FORMULA_PREFIXES):
            # openpyxl makes "=..." a formula; force text and mark it so Excel keeps it text on edit.
            cell.data_type = "s"
            cell.quotePrefix = True
        return
    if isinstance(value, bool):
        cell.value = "Có" if value else "Không"
        return
    cell.value = value
    if isinstance(value, datetime):
        cell.number_format = "dd/mm/yyyy hh:mm"
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT


def _auto_width(header: str) -> float:
    return max(8.0, min(40.0, len(header) * 1.2 + 2))


def _safe_title(name: str, taken: set[str]) -> str:
    base = neutralise(name).translate(_SHEET_TITLE_FORBIDDEN).strip("' ")[:31] or "Danh sách"
    title, n = base, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def _write_sheet(ws: Worksheet, sheet: XlsxSheet) -> None:
    ncols = max(1, len(sheet.columns))
    last_col = get_column_letter(ncols)
    row_no = 1
    for i, title in enumerate(sheet.title_rows):
        cell = ws.cell(row=row_no, column=1)
        _set_value(cell, title)
        cell.font = Font(name=_FONT, bold=True, size=14 if i == 0 else 12)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if ncols > 1:
            ws.merge_cells(f"A{row_no}:{last_col}{row_no}")
        row_no += 1
    if sheet.title_rows:
        row_no += 1  # a blank row between the titles and the table

    header_row = row_no
    header_font = Font(name=_FONT, bold=True, size=12)
    header_fill = PatternFill("solid", fgColor="D9D9D9")
    for col_no, column in enumerate(sheet.columns, start=1):
        cell = ws.cell(row=header_row, column=col_no)
        _set_value(cell, column.header)
        cell.font = header_font
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if sheet.borders:
            cell.border = _BORDER
        ws.column_dimensions[get_column_letter(col_no)].width = column.width or _auto_width(column.header)

    body_font = Font(name=_FONT, size=12)
    alignments = [
        Alignment(horizontal=c.align, vertical="top", wrap_text=c.wrap) if (c.align or c.wrap) else None
        for c in sheet.columns
    ]
    row_no = header_row
    for values in sheet.rows:
        row_no += 1
        for col_no, value in enumerate(values, start=1):
            cell = ws.cell(row=row_no, column=col_no)
            _set_value(cell, value)
            cell.font = body_font
            if col_no <= len(sheet.columns):
                column = sheet.columns[col_no - 1]
                if column.number_format and not isinstance(value, str):
                    cell.number_format = column.number_format
                alignment = alignments[col_no - 1]
                if alignment is not None:
                    cell.alignment = alignment
            if sheet.borders:
                cell.border = _BORDER

    for text in sheet.footer_rows:
        row_no += 1
        cell = ws.cell(row=row_no, column=1)
        _set_value(cell, text)
        cell.font = Font(name=_FONT, italic=True, size=12)

    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if sheet.landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages as needed down, one page across
    if ws.sheet_properties.pageSetUpPr is None:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties()
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    if ws.oddFooter is not None:
        ws.oddFooter.center.text = "Trang &P/&N"


def _workbook(sheets: XlsxSheet | Sequence[XlsxSheet]) -> Workbook:
    sheet_list = [sheets] if isinstance(sheets, XlsxSheet) else list(sheets)
    if not sheet_list:
        raise ValueError("Không có trang tính nào để ghi")
    wb = Workbook()
    default = wb.active
    if default is not None:
        wb.remove(default)
    taken: set[str] = set()
    for sheet in sheet_list:
        ws = wb.create_sheet(_safe_title(sheet.name, taken))
        _write_sheet(ws, sheet)
    return wb


def write_xlsx(sheets: XlsxSheet | Sequence[XlsxSheet], target: str | Path | BinaryIO) -> None:
    """Write one or more sheets to a path or a binary stream."""
    _workbook(sheets).save(target)


def render_xlsx(sheets: XlsxSheet | Sequence[XlsxSheet]) -> bytes:
    """The workbook as bytes, for a download response or a job's result file."""
    buffer = io.BytesIO()
    write_xlsx(sheets, buffer)
    return buffer.getvalue()
