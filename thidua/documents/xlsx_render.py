"""Lists as .xlsx: the documents layer's name for the one writer, `thidua.lib.xlsx`.

A builder hands over `XlsxSheet`s (columns and rows of plain values); `render_xlsx` returns the
workbook as bytes, formulas neutralised, Times New Roman, row heights for wrapped cells, A4 with the
header row repeated and page numbers in the footer.
"""

from __future__ import annotations

from thidua.lib.xlsx import (
    DATE_FORMAT,
    FORMULA_PREFIXES,
    MONEY_FORMAT,
    POINTS_FORMAT,
    CellValue,
    XlsxColumn,
    XlsxSheet,
    neutralise,
    render_xlsx,
    write_xlsx,
)

__all__ = [
    "DATE_FORMAT",
    "FORMULA_PREFIXES",
    "MONEY_FORMAT",
    "POINTS_FORMAT",
    "CellValue",
    "XlsxColumn",
    "XlsxSheet",
    "neutralise",
    "render_xlsx",
    "write_xlsx",
]
