"""The one .xlsx writer: every spreadsheet ThiĐua produces goes through here (no Django).

- Cells: text is NFC with the control characters the format forbids removed; a text starting with
  "=", "+", "-", "@", a tab or a carriage return is stored as text with the quote prefix, never as a
  formula (CSV/formula injection); booleans become "Có"/"Không"; dates "dd/mm/yyyy".
- Style: Times New Roman everywhere (`write`, `style`); thin black borders on tables.
- Wrapped cells get a row height for the lines they need (`fit_row_heights`): spreadsheet programs
  do not grow rows of a generated file by themselves.
- Print: A4, fitted to one page wide, centred, margins, the header row repeated on every page and
  "Trang 1/3" in the footer (`print_setup`).

Lists are described as data (`XlsxSheet` of `XlsxColumn`s and rows, optional title rows, total
row, notes and signature block) and written by `render_xlsx`; sheets of another shape (a scoring
table, an import template) use `write`, `header_row`, `fit_row_heights` and `print_setup` directly.
"""

from __future__ import annotations

import functools
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
    "DATETIME_FORMAT",
    "DATE_FORMAT",
    "FONT_NAME",
    "FORMULA_PREFIXES",
    "MONEY_FORMAT",
    "POINTS_FORMAT",
    "XLSX_CONTENT_TYPE",
    "CellValue",
    "XlsxColumn",
    "XlsxSheet",
    "fit_row_heights",
    "header_row",
    "neutralise",
    "new_workbook",
    "print_setup",
    "render_xlsx",
    "set_value",
    "style",
    "to_bytes",
    "write",
    "write_sheet",
    "write_xlsx",
]

CellValue = str | int | float | Decimal | date | datetime | bool | None
Align = Literal["left", "center", "right"]

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
"""A text starting with one of these is what spreadsheet programs may run as a formula."""

FONT_NAME = "Times New Roman"
MONEY_FORMAT = "#,##0"
"""Whole numbers and amounts in đồng with thousands grouping (shown "1.234.567" on a Vietnamese system)."""
POINTS_FORMAT = "#,##0.00"
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
BODY_PT = 12.0
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
# Excel refuses sheet titles longer than 31 characters or with these characters.
_SHEET_TITLE_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


# --- cells -------------------------------------------------------------------------------------------


def neutralise(value: str) -> str:
    """Text made safe for a cell: NFC, no forbidden control characters."""
    return ILLEGAL_CHARACTERS_RE.sub("", unicodedata.normalize("NFC", value))


def set_value(cell: Cell | MergedCell, value: CellValue) -> None:
    """Store `value` with the formula guard; dates get the Vietnamese format."""
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
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT


@functools.cache
def _font(size: float, bold: bool, italic: bool) -> Font:
    return Font(name=FONT_NAME, size=size, bold=bold, italic=italic)


@functools.cache
def _alignment(align: str | None, valign: str, wrap: bool, indent: int) -> Alignment:
    return Alignment(horizontal=align, vertical=valign, wrap_text=wrap, indent=indent)


def style(
    cell: Cell | MergedCell,
    *,
    bold: bool = False,
    italic: bool = False,
    size: float = BODY_PT,
    wrap: bool = False,
    align: Align | None = None,
    valign: Literal["top", "center", "bottom"] = "top",
    indent: int = 0,
    border: bool = False,
    fill: PatternFill | None = None,
    number_format: str | None = None,
) -> None:
    """Times New Roman at `size`, alignment, optional border, fill and number format."""
    cell.font = _font(size, bold, italic)
    cell.alignment = _alignment(align, valign, wrap, indent)
    if border:
        cell.border = BORDER
    if fill is not None:
        cell.fill = fill
    if number_format:
        cell.number_format = number_format


def write(
    ws: Worksheet,
    row: int,
    column: int,
    value: CellValue,
    *,
    bold: bool = False,
    italic: bool = False,
    size: float = BODY_PT,
    wrap: bool = False,
    align: Align | None = None,
    valign: Literal["top", "center", "bottom"] = "top",
    indent: int = 0,
    border: bool = False,
    fill: PatternFill | None = None,
    number_format: str | None = None,
) -> Cell:
    """Write one value with the formula guard and the house style; returns the cell."""
    cell = ws.cell(row=row, column=column)
    if not isinstance(cell, Cell):  # a merged cell: only its top-left cell holds a value
        raise ValueError(f"Ô {cell.coordinate} nằm trong vùng gộp ô")
    set_value(cell, value)
    style(
        cell,
        bold=bold,
        italic=italic,
        size=size,
        wrap=wrap,
        align=align,
        valign=valign,
        indent=indent,
        border=border,
        fill=fill,
        number_format=number_format if not isinstance(value, str) else None,
    )
    return cell


def header_row(
    ws: Worksheet, row: int, headers: Sequence[str], widths: Sequence[float] | None = None
) -> None:
    """Bold, grey, bordered, wrapped and centred header cells; column widths in characters."""
    for column, title in enumerate(headers, start=1):
        write(
            ws,
            row,
            column,
            title,
            bold=True,
            wrap=True,
            align="center",
            valign="center",
            border=True,
            fill=HEADER_FILL,
        )
        if widths is not None and column <= len(widths):
            ws.column_dimensions[get_column_letter(column)].width = widths[column - 1]


# --- row heights ---------------------------------------------------------------------------------------

# Advance widths of Times New Roman in ems (close enough to size rows; wide letters counted wide).
_NARROW = set("iljftrI.,;:'!|()[]- ")
_WIDE = set("mwMWĐ@%")


def _text_width_em(text: str, bold: bool) -> float:
    width = 0.0
    for char in unicodedata.normalize("NFC", text):
        base = unicodedata.normalize("NFD", char)[:1]
        if base in _NARROW:
            width += 0.29
        elif base in _WIDE:
            width += 0.86
        elif base.isupper():
            width += 0.70
        elif base.isdigit():
            width += 0.5
        else:
            width += 0.47
    return width * (1.06 if bold else 1.0)


def _column_width_pt(ws: Worksheet, column: int) -> float:
    width = ws.column_dimensions[get_column_letter(column)].width or 8.43
    return (width * 7 + 5) * 0.75 - 4  # Excel's character unit in points, less the cell padding


def line_count(text: str, width_pt: float, size: float, *, bold: bool = False) -> int:
    """Lines a wrapped text takes in a column `width_pt` wide (word wrap, explicit breaks kept)."""
    lines = 0
    for paragraph in text.split("\n"):
        current = 0.0
        lines += 1
        for word in paragraph.split(" "):
            word_pt = _text_width_em(word + " ", bold) * size
            if current and current + word_pt > width_pt:
                lines += 1
                current = 0.0
            while word_pt > width_pt:  # a word longer than the column breaks anywhere
                lines += 1
                word_pt -= width_pt
            current += word_pt
    return max(1, lines)


def fit_row_heights(ws: Worksheet, first_row: int = 1, last_row: int | None = None) -> None:
    """Give every row with wrapped text the height of its tallest cell (merged cells over their span)."""
    spans: dict[tuple[int, int], float] = {}
    for merged in ws.merged_cells.ranges:
        width = sum(_column_width_pt(ws, c) + 4 for c in range(merged.min_col, merged.max_col + 1)) - 4
        spans[(merged.min_row, merged.min_col)] = width
    last = last_row if last_row is not None else ws.max_row
    for row in ws.iter_rows(min_row=first_row, max_row=last):
        tallest = 0.0
        for cell in row:
            if cell.value is None or isinstance(cell, MergedCell):
                continue
            alignment = cell.alignment
            if not (alignment is not None and alignment.wrap_text):
                continue
            size = float(cell.font.sz or BODY_PT) if cell.font is not None else BODY_PT
            bold = bool(cell.font.b) if cell.font is not None else False
            width = spans.get((cell.row, cell.column)) or _column_width_pt(ws, cell.column)
            width -= (alignment.indent or 0) * 9
            text = cell.value if isinstance(cell.value, str) else str(cell.value)
            lines = line_count(text, max(width, 10.0), size, bold=bold)
            tallest = max(tallest, lines * size * 1.22 + 4)
        if tallest:
            ws.row_dimensions[int(row[0].row or 1)].height = round(max(tallest, BODY_PT * 1.22 + 4), 1)


# --- pages ---------------------------------------------------------------------------------------------


def print_setup(
    ws: Worksheet,
    *,
    landscape: bool = True,
    title_rows: str | None = None,
    footer: str = "Trang &P/&N",
    fit_width: bool = True,
) -> None:
    """A4, one page wide (as many down as needed), centred, the `title_rows` ("4:4") repeated on every
    page, and the page number in the footer."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    if fit_width:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        if ws.sheet_properties.pageSetUpPr is None:
            ws.sheet_properties.pageSetUpPr = PageSetupProperties()
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.3
    if title_rows:
        ws.print_title_rows = title_rows
    if footer and ws.oddFooter is not None:
        ws.oddFooter.center.text = footer
        ws.oddFooter.center.font = FONT_NAME
        ws.oddFooter.center.size = 10


def new_workbook() -> Workbook:
    """An empty workbook (no default sheet)."""
    wb = Workbook()
    default = wb.active
    if default is not None:
        wb.remove(default)
    return wb


def to_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def safe_title(name: str, taken: set[str]) -> str:
    """A sheet title Excel accepts: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    base = neutralise(name).translate(_SHEET_TITLE_FORBIDDEN).strip("' ")[:31] or "Danh sách"
    title, n = base, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


# --- lists ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class XlsxColumn:
    """One column: its header, width in characters, number format and alignment."""

    header: str
    width: float | None = None
    number_format: str | None = None
    wrap: bool = False
    align: Align | None = None


@dataclass(frozen=True)
class XlsxSheet:
    """A list to write: title rows above a bold, frozen, repeated header row; then an optional bold
    total row, note lines and a signature block ("NGƯỜI LẬP BIỂU" … with the names under them)."""

    name: str
    columns: Sequence[XlsxColumn]
    rows: Iterable[Sequence[CellValue]]
    title_rows: Sequence[str] = ()
    landscape: bool = True
    borders: bool = True
    footer_rows: Sequence[str] = ()
    total_row: Sequence[CellValue] | None = None
    date_line: str = ""
    """The place and date above the last signature ("Hà Nội, ngày 05 tháng 01 năm 2026")."""
    signatures: Sequence[tuple[str, str]] = ()
    """(title, name) side by side under the table: ("NGƯỜI LẬP BIỂU", ""), ("KẾ TOÁN TRƯỞNG", "")…"""


def _auto_width(header: str) -> float:
    return max(8.0, min(40.0, len(header) * 1.2 + 2))


def _signature_block(ws: Worksheet, row_no: int, sheet: XlsxSheet) -> int:
    ncols = max(1, len(sheet.columns))
    count = len(sheet.signatures)
    # columns shared out evenly, the last signature taking what is left
    bounds = [round(i * ncols / count) + 1 for i in range(count + 1)]
    bounds[-1] = ncols + 1
    row_no += 2
    if sheet.date_line:
        first, last = bounds[-2], bounds[-1] - 1
        write(ws, row_no, first, sheet.date_line, italic=True, align="center", wrap=True)
        if last > first:
            ws.merge_cells(start_row=row_no, start_column=first, end_row=row_no, end_column=last)
        row_no += 1
    titles, hints, names = row_no, row_no + 1, row_no + 6
    for i, (title, name) in enumerate(sheet.signatures):
        first, last = bounds[i], bounds[i + 1] - 1
        write(ws, titles, first, title, bold=True, align="center", wrap=True)
        write(ws, hints, first, "(Ký, ghi rõ họ tên)", italic=True, align="center", wrap=True)
        write(ws, names, first, name, bold=True, align="center", wrap=True)
        if last > first:
            for r in (titles, hints, names):
                ws.merge_cells(start_row=r, start_column=first, end_row=r, end_column=last)
    return names


def write_sheet(ws: Worksheet, sheet: XlsxSheet) -> None:
    """Write one `XlsxSheet` into an empty worksheet, print-ready."""
    ncols = max(1, len(sheet.columns))
    for col_no, column in enumerate(sheet.columns, start=1):
        ws.column_dimensions[get_column_letter(col_no)].width = column.width or _auto_width(column.header)
    row_no = 1
    for i, title in enumerate(sheet.title_rows):
        write(
            ws,
            row_no,
            1,
            title,
            bold=True,
            size=14 if i == 0 else 12,
            align="center",
            valign="center",
            wrap=True,
        )
        if ncols > 1:
            ws.merge_cells(start_row=row_no, start_column=1, end_row=row_no, end_column=ncols)
        row_no += 1
    if sheet.title_rows:
        row_no += 1  # a blank row between the titles and the table

    header = row_no
    header_row(ws, header, [c.header for c in sheet.columns])
    for values in sheet.rows:
        row_no += 1
        for col_no, value in enumerate(values, start=1):
            column = sheet.columns[col_no - 1] if col_no <= len(sheet.columns) else XlsxColumn("")
            write(
                ws,
                row_no,
                col_no,
                value,
                wrap=column.wrap,
                align=column.align,
                number_format=column.number_format,
                border=sheet.borders,
            )
    if sheet.total_row is not None:
        row_no += 1
        for col_no, value in enumerate(sheet.total_row, start=1):
            column = sheet.columns[col_no - 1] if col_no <= len(sheet.columns) else XlsxColumn("")
            write(
                ws,
                row_no,
                col_no,
                value,
                bold=True,
                wrap=column.wrap,
                align=column.align,
                number_format=column.number_format,
                border=sheet.borders,
            )
    for text in sheet.footer_rows:
        row_no += 1
        write(ws, row_no, 1, text, italic=True, wrap=True)
        if ncols > 1:
            ws.merge_cells(start_row=row_no, start_column=1, end_row=row_no, end_column=ncols)
    if sheet.signatures:
        row_no = _signature_block(ws, row_no, sheet)
    ws.freeze_panes = f"A{header + 1}"
    fit_row_heights(ws, 1, row_no)
    print_setup(ws, landscape=sheet.landscape, title_rows=f"{header}:{header}")


def workbook(sheets: XlsxSheet | Sequence[XlsxSheet]) -> Workbook:
    sheet_list = [sheets] if isinstance(sheets, XlsxSheet) else list(sheets)
    if not sheet_list:
        raise ValueError("Không có trang tính nào để ghi")
    wb = new_workbook()
    taken: set[str] = set()
    for sheet in sheet_list:
        write_sheet(wb.create_sheet(safe_title(sheet.name, taken)), sheet)
    return wb


def write_xlsx(sheets: XlsxSheet | Sequence[XlsxSheet], target: str | Path | BinaryIO) -> None:
    """Write one or more sheets to a path or a binary stream."""
    workbook(sheets).save(target)


def render_xlsx(sheets: XlsxSheet | Sequence[XlsxSheet]) -> bytes:
    """The workbook as bytes, for a download response or a job's result file."""
    return to_bytes(workbook(sheets))
