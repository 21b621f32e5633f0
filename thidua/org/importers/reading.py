"""Reading .xlsx / .csv files into a table: the header row, the data rows with Excel row numbers."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, Literal

from thidua.lib.sheets import DEFAULT_LIMITS, ExcelError, SafeWorkbook, SheetRefused
from thidua.lib.text import excerpt, fold
from thidua.org.importers.spec import (
    CSV_EXTENSIONS,
    IGNORED_HEADERS,
    MAX_HEADER_SEARCH,
    MAX_ROWS,
    XLSX_EXTENSIONS,
    Column,
    ImportFileError,
    ImportSpec,
    Problem,
)

LIMITS = DEFAULT_LIMITS
READER: Literal["calamine", "openpyxl"] = "calamine"  # the .xlsx reader (thidua/lib/sheets.py)
# Python's csv refuses fields over this size with an English message: let ours speak first.
csv.field_size_limit(max(csv.field_size_limit(), LIMITS.max_cell_chars + 1))


@dataclass
class Table:
    sheet: str
    header_row: int
    headers: list[str]
    rows: list[tuple[int, list[Any]]]  # (Excel row number, cell values)


def header_key(text: Any) -> str:
    """Headers compare without case, diacritics, extra spaces, '*' marks or '(...)' notes."""
    value = re.sub(r"\(.*?\)", " ", str(text or ""))
    value = value.replace("*", " ").replace(":", " ").replace("_", " ")
    return fold(value)


def _column_lookup(spec: ImportSpec) -> dict[str, Column]:
    lookup: dict[str, Column] = {}
    for column in spec.columns:
        for name in (column.header, *column.aliases):
            lookup.setdefault(header_key(name), column)
    return lookup


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_table(data: bytes, filename: str, spec: ImportSpec) -> Table:
    """The header row and the data rows of the file's import sheet; ImportFileError if unreadable."""
    extension = PurePath(filename or "").suffix.lower()
    if not data or not data.strip():
        raise ImportFileError("Tệp rỗng: không có dữ liệu để nhập.")
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportFileError(
            "Tệp Excel 97-2003 (.xls) không được hỗ trợ: hãy mở trong Excel và lưu lại dạng .xlsx."
        )
    if data[:4] == b"PK\x03\x04" and extension not in CSV_EXTENSIONS:
        return _read_xlsx(data, spec)
    if extension in XLSX_EXTENSIONS:
        raise ImportFileError("Tệp không phải .xlsx hợp lệ (tệp bị hỏng hoặc không phải bảng tính Excel).")
    if extension not in CSV_EXTENSIONS:
        raise ImportFileError("Chỉ nhận tệp .xlsx hoặc .csv.")
    return _read_csv(data, spec)


def _read_xlsx(data: bytes, spec: ImportSpec) -> Table:
    try:
        workbook = SafeWorkbook(data, LIMITS, READER)  # checks size, columns, rows, cells before reading
    except SheetRefused as exc:
        raise ImportFileError(exc.message) from exc
    try:
        sheets = workbook.worksheets
        if not sheets:
            raise ImportFileError("Tệp .xlsx không có trang tính nào.")
        named = [ws for ws in sheets if fold(ws.title) == fold(spec.sheet)]
        lookup = _column_lookup(spec)
        candidates = named or sheets
        empty = 0
        for worksheet in candidates:
            try:
                rows = [list(values) for values in worksheet.iter_rows()]
            except SheetRefused as exc:
                raise ImportFileError(exc.message) from exc
            except Exception as exc:
                raise ImportFileError(f"Trang tính '{worksheet.title}' bị hỏng, không đọc được.") from exc
            empty += not any(not is_empty(v) for row in rows for v in row)
            table = _table_from_rows(worksheet.title, rows, lookup)
            if table is not None:
                return table
            if named:
                break
        if empty == len(candidates):
            raise ImportFileError("Tệp rỗng: các trang tính không có dữ liệu.")
        names = ", ".join(f"'{ws.title}'" for ws in sheets)
        raise ImportFileError(
            f"Không tìm thấy trang tính có dòng tiêu đề của mẫu nhập {spec.label} (trong các trang {names}). "
            f"Cần các cột: {', '.join(c.header for c in spec.columns if c.required)}. "
            "Hãy dùng tệp mẫu tải về."
        )
    finally:
        workbook.close()


def _sniff_delimiter(text: str) -> str:
    """`;` (Excel with a Vietnamese locale), `,` or tab: the most frequent one in the top lines."""
    lines = [line for line in text.splitlines()[:50] if line.strip()][:MAX_HEADER_SEARCH]
    counts = {d: sum(line.count(d) for line in lines) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(data: bytes, spec: ImportSpec) -> Table:
    if b"\x00" in data[:4096]:
        raise ImportFileError("Tệp không phải tệp văn bản CSV (có ký tự nhị phân). Chỉ nhận .xlsx hoặc .csv.")
    if len(data) > LIMITS.max_bytes:
        raise ImportFileError(f"Tệp quá giới hạn {LIMITS.max_bytes // (1024 * 1024)} MB mỗi lần tải lên.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            "Tệp CSV phải lưu bằng mã UTF-8 (trong Excel: Lưu thành → 'CSV UTF-8 (Comma delimited)')."
        ) from exc
    delimiter = _sniff_delimiter(text)
    rows: list[list[str]] = []
    cells = 0
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for values in reader:
            while values and not values[-1].strip():
                values.pop()  # trailing empty fields (",,,,") hold nothing
            _check_csv_row(reader.line_num, values)
            if "\x00" in "".join(values):  # a cell problem, as `lib.sheets` makes it of an .xlsx cell
                values = [ExcelError(v) if "\x00" in v else v for v in values]
            cells += len(values)
            if cells > LIMITS.max_cells:
                raise ImportFileError("Tệp có quá nhiều ô. Hãy chia tệp thành nhiều phần.")
            rows.append(values)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise ImportFileError(
                f"Dòng {reader.line_num}: một ô dài quá giới hạn {LIMITS.max_cell_chars} ký tự."
            ) from exc
        raise ImportFileError(
            f"Tệp CSV sai cấu trúc ở dòng {reader.line_num} (thiếu dấu ngoặc kép đóng?)."
        ) from exc
    table = _table_from_rows("", rows, _column_lookup(spec))
    if table is None:
        raise ImportFileError(
            f"Không tìm thấy dòng tiêu đề của mẫu nhập {spec.label}. "
            f"Cần các cột: {', '.join(c.header for c in spec.columns if c.required)}. "
            "Hãy dùng tệp mẫu tải về."
        )
    return table


def _check_csv_row(line: int, values: list[str]) -> None:
    """The limits of `thidua.lib.sheets` for a CSV line: rows, columns, the length of a cell."""
    if line > LIMITS.max_rows + MAX_HEADER_SEARCH:
        raise ImportFileError(f"Tệp có hơn {LIMITS.max_rows} dòng, vượt giới hạn mỗi lần nhập.")
    if len(values) > LIMITS.max_columns:
        raise ImportFileError(
            f"Dòng {line} có {len(values)} cột, quá giới hạn {LIMITS.max_columns} cột. Hãy xoá các cột thừa."
        )
    for value in values:
        if len(value) > LIMITS.max_cell_chars:
            raise ImportFileError(
                f"Dòng {line}: một ô dài {len(value)} ký tự, quá giới hạn {LIMITS.max_cell_chars} ký tự "
                f"(bắt đầu bằng «{excerpt(value, 40)}»)."
            )


def _table_from_rows(sheet: str, rows: list[list[Any]], lookup: dict[str, Column]) -> Table | None:
    """Find the header row (the first of the top rows naming a known column) and keep non-empty rows."""
    for index, row in enumerate(rows[:MAX_HEADER_SEARCH]):
        if any(header_key(cell) in lookup for cell in row if not is_empty(cell)):
            headers = ["" if is_empty(c) else " ".join(str(c).split()) for c in row]
            data_rows = [
                (number, values)
                for number, values in enumerate(rows[index + 1 :], start=index + 2)
                if any(not is_empty(v) for v in values)
            ]
            if len(data_rows) > MAX_ROWS:
                raise ImportFileError(
                    f"Tệp có {len(data_rows)} dòng, vượt giới hạn {MAX_ROWS} dòng mỗi lần nhập."
                )
            return Table(sheet=sheet, header_row=index + 1, headers=headers, rows=data_rows)
    return None


def match_columns(table: Table, spec: ImportSpec) -> tuple[dict[str, int], dict[str, str], list[Problem]]:
    """Column key → index, key → header as written in the file, and problems of the header row."""
    lookup = _column_lookup(spec)
    positions: dict[str, int] = {}
    written: dict[str, str] = {}
    problems: list[Problem] = []
    for index, header in enumerate(table.headers):
        if not header:
            if any(index < len(values) and not is_empty(values[index]) for _, values in table.rows[:50]):
                problems.append(
                    Problem(
                        table.header_row, "", "", f"Cột thứ {index + 1} có dữ liệu nhưng không có tiêu đề."
                    )
                )
            continue
        column = lookup.get(header_key(header))
        if column is None:
            if header_key(header) not in IGNORED_HEADERS:
                expected = ", ".join(f"'{c.header}'" for c in spec.columns)
                problems.append(
                    Problem(
                        table.header_row,
                        header,
                        header,
                        f"Cột không có trong mẫu nhập {spec.label} (các cột: {expected}).",
                    )
                )
            continue
        if column.key in positions:
            problems.append(
                Problem(table.header_row, header, header, f"Cột '{column.header}' xuất hiện hai lần.")
            )
            continue
        positions[column.key] = index
        written[column.key] = header
    for column in spec.columns:
        if column.required and column.key not in positions:
            problems.append(Problem(table.header_row, column.header, "", "Thiếu cột bắt buộc."))
    return positions, written, problems
