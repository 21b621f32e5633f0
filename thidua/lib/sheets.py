"""Reading spreadsheets people upload, with limits checked BEFORE anything big is built.

A 100 KB .xlsx can unzip to gigabytes, or hold one cell in column XFD on every row so that a reader
pads each row to 16,384 cells. `open_xlsx` first scans the package without building rows: the file
size, the unzipped size and ratio of each part, then every worksheet's XML as a stream (rows, the
columns actually used, the length of each value, the number of cells, the time spent) and the
shared strings. Only then is the file read, each row cut to the columns the scan found.

Two readers, the same rows: python-calamine (Rust; the default) after a quick scan with byte patterns
(`_quick_scan`: every cell's reference, value lengths, numbers), and openpyxl after the full streaming
scan. A file the quick scan cannot vouch for (a cell without a reference, an Excel error cell, which
calamine would read as empty, a number cell holding something else, a very long value) goes the
openpyxl way, whose checks and messages are the reference.

Cells that are Excel errors (#DIV/0!, #N/A…) and numbers that are not finite come back as
`ExcelError` (a str), so the importers report them as row errors. Every refusal is a `SheetRefused`
whose message is Vietnamese and quotes at most a short excerpt of a bad value (`excerpt`).
"""

from __future__ import annotations

import io
import math
import re
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, Literal

from lxml import etree
from openpyxl.worksheet import _reader as _openpyxl_reader

from thidua.lib.numbers import format_number
from thidua.lib.text import excerpt

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
ERROR_CODES = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!", "#CALC!"}
)
_CELL_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")
_NUMBER = re.compile(r"^[+-]?((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|inf|infinity|nan)$", re.IGNORECASE)


def _cast_number(value: str) -> int | float:
    """openpyxl's reading of a number cell, also for "inf"/"nan" (which it would crash on): those
    become floats that `_clean` turns into row errors."""
    if "." in value or "e" in value.lower() or not value.lstrip("+-")[:1].isdigit():
        return float(value)
    return int(value)


_openpyxl_reader._cast_number = _cast_number  # type: ignore[attr-defined]  # the scan lets through only what this can read


@dataclass(frozen=True)
class Limits:
    """What one upload may hold. The defaults fit the largest real imports (200,000 people)."""

    max_bytes: int = 20 * 1024 * 1024  # the file as uploaded
    max_unzipped: int = 300 * 1024 * 1024  # all parts of the package, unzipped
    max_ratio: int = 150  # unzipped / zipped size of one part (a zip bomb is far above)
    max_rows: int = 200_000
    max_columns: int = 100
    max_cell_chars: int = 5_000
    max_cells: int = 4_000_000  # rows × columns actually used, over all sheets
    max_seconds: float = 60.0


DEFAULT_LIMITS = Limits()


class SheetRefused(ValueError):
    """The file is refused as a whole; `message` says why, in Vietnamese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# A NUL character (Excel writes it `_x0000_`; pasted from other software): no database column holds it.
NUL_REFUSED = "có ký tự NUL (mã 0, thường lẫn vào khi sao chép từ phần mềm khác): hãy xoá ký tự này"


class ExcelError(str):
    """A cell the importers must report: an Excel error value, a number that is not finite, or a text
    holding a NUL character (which PostgreSQL cannot store: left in, it failed the write with a 500)."""

    __slots__ = ()

    @property
    def message(self) -> str:
        if self in ERROR_CODES:
            return f"ô chứa lỗi công thức Excel {self}; hãy sửa công thức hoặc nhập giá trị"
        if "\x00" in self:
            return NUL_REFUSED
        return "số không hữu hạn (vô cùng hoặc không xác định)"


def column_index(letters: str) -> int:
    """A1 column letters to a 1-based index (A → 1, XFD → 16384)."""
    index = 0
    for char in letters:
        index = index * 26 + (ord(char) - 64)
    return index


def n(value: int) -> str:
    """A count in Vietnamese notation (1.234.567)."""
    return format_number(value, 0)


def _mb(size: int) -> str:
    return f"{format_number(size / (1024 * 1024), 0)} MB"


@dataclass
class SheetScan:
    rows: int = 0
    max_column: int = 0


@dataclass
class Scan:
    """What the streaming scan found, per worksheet part."""

    sheets: dict[str, SheetScan] = field(default_factory=dict)
    cells: int = 0


class _Clock:
    def __init__(self, limits: Limits) -> None:
        self.deadline = time.monotonic() + limits.max_seconds
        self.limits = limits

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise SheetRefused(
                f"Đọc tệp quá {self.limits.max_seconds:.0f} giây: tệp quá lớn hoặc bất thường. "
                "Hãy chia nhỏ tệp rồi nhập từng phần."
            )


def _iterparse(stream: IO[bytes], tag: str) -> Any:
    return etree.iterparse(
        stream, events=("end",), tag=tag, resolve_entities=False, no_network=True, huge_tree=False
    )


def _scan_sheet(
    archive: zipfile.ZipFile, part: str, name: str, limits: Limits, clock: _Clock, scan: Scan
) -> None:
    """Stream one worksheet's XML: the last row and column holding a value, each value's length."""
    sheet = SheetScan()
    cell_tag, row_tag = f"{{{MAIN_NS}}}c", f"{{{MAIN_NS}}}row"
    row_number = column = 0
    row_has_data = False
    with archive.open(part) as stream:
        context = etree.iterparse(
            stream, events=("end",), tag=(cell_tag, row_tag), resolve_entities=False, no_network=True
        )
        for count, (_, element) in enumerate(context):
            if count % 5000 == 0:
                clock.check()
            if element.tag == row_tag:
                declared = element.get("r") or ""
                row_number = int(declared) if declared.isdecimal() else row_number + 1
                if row_has_data:
                    sheet.rows = row_number
                    if row_number > limits.max_rows:
                        raise SheetRefused(
                            f"Trang «{excerpt(name, 40)}» có dữ liệu ở dòng {n(row_number)}, quá giới hạn "
                            f"{n(limits.max_rows)} dòng mỗi lần nhập. Hãy chia tệp thành nhiều phần."
                        )
                row_has_data, column = False, 0
                element.clear()
                while element.getprevious() is not None:  # keep memory flat: drop finished rows
                    del element.getparent()[0]
                continue
            ref = element.get("r") or ""
            match = _CELL_REF.match(ref)
            column = column_index(match.group(1)) if match else column + 1
            kind = element.get("t") or "n"
            text = "".join(element.itertext())
            element.clear()
            if not text:
                continue  # a styled empty cell holds nothing
            where = f"ô {ref}" if match else f"cột {column}"
            if kind == "n" and not _NUMBER.match(text.strip()):
                raise SheetRefused(
                    f"Trang «{excerpt(name, 40)}», {where}: ô số có giá trị «{excerpt(text, 20)}» không phải số "
                    "(tệp bị hỏng hoặc không do Excel ghi). Hãy mở trong Excel, sửa ô này rồi lưu lại."
                )
            if len(text) > limits.max_cell_chars:
                raise SheetRefused(
                    f"Trang «{excerpt(name, 40)}», {where}: nội dung dài {n(len(text))} ký tự, quá giới hạn "
                    f"{n(limits.max_cell_chars)} ký tự của một ô (bắt đầu bằng «{excerpt(text, 40)}»)."
                )
            if column > limits.max_columns:
                raise SheetRefused(
                    f"Trang «{excerpt(name, 40)}» có dữ liệu ở {where}: quá giới hạn {limits.max_columns} cột. "
                    "Hãy xoá các cột thừa ở bên phải (kể cả ô chỉ có dấu cách) rồi lưu lại."
                )
            sheet.max_column = max(sheet.max_column, column)
            row_has_data = True
    scan.sheets[part] = sheet
    scan.cells += sheet.rows * sheet.max_column
    if scan.cells > limits.max_cells:
        raise SheetRefused(
            f"Tệp có quá nhiều ô ({n(scan.cells)} ô tính theo số dòng × số cột có dữ liệu; giới hạn "
            f"{n(limits.max_cells)}). Hãy chia tệp thành nhiều phần."
        )


def _scan_shared_strings(archive: zipfile.ZipFile, part: str, limits: Limits, clock: _Clock) -> None:
    with archive.open(part) as stream:
        for count, (_, element) in enumerate(_iterparse(stream, f"{{{MAIN_NS}}}si")):
            text = "".join(element.itertext())
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]
            if len(text) > limits.max_cell_chars:
                raise SheetRefused(
                    f"Tệp có một ô dài {n(len(text))} ký tự, quá giới hạn {n(limits.max_cell_chars)} ký tự "
                    f"của một ô (bắt đầu bằng «{excerpt(text, 40)}»)."
                )
            if count > limits.max_cells:
                raise SheetRefused("Tệp có quá nhiều chuỗi ký tự khác nhau. Hãy chia tệp thành nhiều phần.")
            if count % 5000 == 0:
                clock.check()


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part → sheet title, from the workbook and its relationships."""
    rel_ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg_ns = "http://schemas.openxmlformats.org/package/2006/relationships"
    try:
        rels = etree.fromstring(
            archive.read("xl/_rels/workbook.xml.rels"), etree.XMLParser(resolve_entities=False)
        )
        book = etree.fromstring(archive.read("xl/workbook.xml"), etree.XMLParser(resolve_entities=False))
    except (KeyError, etree.XMLSyntaxError):
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{{{pkg_ns}}}Relationship")}
    names = {}
    for sheet in book.iter(f"{{{MAIN_NS}}}sheet"):
        target = targets.get(sheet.get(f"{{{rel_ns}}}id"), "")
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        names[part] = sheet.get("name", "")
    return names


# A cell with content (not a styled empty one) beyond the last allowed column (CV, the 100th).
_WIDE_CELL = re.compile(rb'<c r="(?:[A-Z]{3}|[D-Z][A-Z]|C[W-Z])\d+"[^>]*?(?<!/)>(?!</c>)')
_LAST_ROW = re.compile(rb'<row r="(\d+)"')
_ODD_VALUE = re.compile(rb"<v>[^<]*[^0-9.eE+\-<][^<]*</v>")  # not a number, an index or a boolean
_TEXT_TYPE = re.compile(rb'\bt="(?:str|d|inlineStr|s)"')


def _odd_number(xml: bytes) -> bool:
    """Whether a number cell holds something else (the values of text and date cells may)."""
    for match in _ODD_VALUE.finditer(xml):
        cell = xml.rfind(b"<c ", 0, match.start())
        if not _TEXT_TYPE.search(xml, cell, xml.find(b">", cell)):
            return True
    return False


def _long_value(limit: int) -> re.Pattern[bytes]:
    return re.compile(rb"<(?:v|t)(?:\s[^>]*)?>[^<]{%d}" % (limit + 1))


def _quick_scan(archive: zipfile.ZipFile, limits: Limits) -> bool:
    """Whether the file may be read by calamine without the full scan: byte searches over each
    sheet's XML (no per-cell Python work) find nothing the full scan would refuse or read otherwise
    (see the module's docstring). The rows, columns and cells are counted on calamine's range."""
    assert limits.max_columns <= 100, "_WIDE_CELL is written for 100 columns"
    long_value = _long_value(limits.max_cell_chars)
    try:
        for info in archive.infolist():
            part = info.filename
            if part == "xl/sharedStrings.xml":
                if long_value.search(archive.read(part)):
                    return False
                continue
            if not (part.startswith("xl/worksheets/") and part.endswith(".xml")):
                continue
            xml = archive.read(part)
            if xml.count(b"<c ") + xml.count(b"<c>") != xml.count(b'<c r="'):
                return False  # a cell without its reference: counted by position in the full scan
            if b't="e"' in xml or _WIDE_CELL.search(xml) or long_value.search(xml) or _odd_number(xml):
                return False
            last = xml.rfind(b'<row r="')
            match = _LAST_ROW.match(xml, last) if last >= 0 else None
            if match and int(match.group(1)) > limits.max_rows:
                return False
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise SheetRefused("Tệp .xlsx bị hỏng (gói nén không đọc được).") from exc
    return True


def _check_package(data: bytes, limits: Limits) -> zipfile.ZipFile:
    if len(data) > limits.max_bytes:
        raise SheetRefused(f"Tệp {_mb(len(data))}, quá giới hạn {_mb(limits.max_bytes)} mỗi lần tải lên.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise SheetRefused(
            "Tệp .xlsx bị hỏng hoặc không phải bảng tính Excel (cần tệp Excel .xlsx)."
        ) from exc
    infos = archive.infolist()
    total = sum(info.file_size for info in infos)
    if total > limits.max_unzipped:
        raise SheetRefused(
            f"Tệp giải nén ra {_mb(total)}, quá giới hạn {_mb(limits.max_unzipped)}: tệp bất thường."
        )
    for info in infos:
        if info.file_size > 1024 * 1024 and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise SheetRefused("Tệp nén bất thường (một phần giải nén lớn gấp hàng trăm lần): không đọc.")
    return archive


def scan_xlsx(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Scan:
    """Check the package against `limits` without building any row; SheetRefused says what is wrong."""
    with _check_package(data, limits) as archive:
        return _scan_package(archive, limits)


def _scan_package(archive: zipfile.ZipFile, limits: Limits) -> Scan:
    """The full streaming scan of a package `_check_package` has opened (see `scan_xlsx`)."""
    clock = _Clock(limits)
    infos = archive.infolist()
    names = _sheet_names(archive)
    scan = Scan()
    try:
        for info in infos:
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                _scan_sheet(
                    archive, info.filename, names.get(info.filename, info.filename), limits, clock, scan
                )
            elif info.filename == "xl/sharedStrings.xml":
                _scan_shared_strings(archive, info.filename, limits, clock)
    except etree.XMLSyntaxError as exc:
        raise SheetRefused("Tệp .xlsx bị hỏng (nội dung trang tính không đọc được).") from exc
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise SheetRefused("Tệp .xlsx bị hỏng (gói nén không đọc được).") from exc
    scan.sheets = {names.get(part, part): sheet for part, sheet in scan.sheets.items()}
    return scan


def _clean(value: Any) -> Any:
    """A cell as both readers give it (calamine's made like openpyxl's): None for an empty cell, whole
    numbers as int, dates as datetime; Excel errors, numbers that are not finite and texts with a NUL
    character as `ExcelError`."""
    if isinstance(value, str):  # most cells: the text first
        if not value:
            return None
        return ExcelError(value) if value in ERROR_CODES or "\x00" in value else value
    if isinstance(value, float):
        if not math.isfinite(value):
            return ExcelError("∞")  # not an Excel error code: reported as a number that is not finite
        return int(value) if value.is_integer() else value
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    return value


class SafeSheet:
    """One worksheet, read row by row and cut to the columns the scan found."""

    def __init__(self, worksheet: Any, scanned: SheetScan | None, clock: _Clock, title: str = "") -> None:
        self._ws = worksheet
        self.title: str = title or worksheet.title
        self.max_column = scanned.max_column if scanned else 0
        self.max_row = scanned.rows if scanned else 0
        self._clock = clock

    def iter_rows(self) -> Iterator[tuple[Any, ...]]:
        if not self.max_column:
            return
        if isinstance(self._ws, _CalamineSheet):
            yield from self._ws.rows(self.max_row, self.max_column)
            return
        self._ws.reset_dimensions()  # never trust the sheet's own <dimension>: the scan counted
        rows = self._ws.iter_rows(values_only=True, max_col=self.max_column, max_row=self.max_row)
        for number, values in enumerate(rows, start=1):
            if number % 2000 == 0:
                self._clock.check()
            yield tuple(_clean(v) for v in values)

    def rows(self) -> list[tuple[Any, ...]]:
        return list(self.iter_rows())


class SafeWorkbook:
    """The sheets of a checked .xlsx (read-only, values not formulas). Close it, or use `with`."""

    def __init__(
        self,
        data: bytes,
        limits: Limits = DEFAULT_LIMITS,
        reader: Literal["calamine", "openpyxl"] = "calamine",
    ) -> None:
        from openpyxl import load_workbook

        self.reader = reader
        # The package opened once, for the checks, the quick scan and (if need be) the full scan; the
        # reader then opens it for itself (calamine in Rust, openpyxl its own ZipFile).
        with _check_package(data, limits) as archive:
            if reader == "calamine":
                if _quick_scan(archive, limits) and self._open_calamine(data, limits):
                    return
                self.reader = "openpyxl"  # the file needs the full scan and the reference reader
            scan = _scan_package(archive, limits)
        clock = _Clock(limits)
        try:
            self._wb: Any = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds of errors on damaged packages
            raise SheetRefused(
                "Tệp .xlsx bị hỏng hoặc không đọc được: hãy mở trong Excel, lưu lại và thử lại."
            ) from exc
        self.worksheets = [
            SafeSheet(ws, scan.sheets.get(ws.title), clock)
            for ws in self._wb.worksheets
            if hasattr(ws, "iter_rows")
        ]
        self.sheetnames = [s.title for s in self.worksheets]

    def __getitem__(self, title: str) -> SafeSheet:
        for sheet in self.worksheets:
            if sheet.title == title:
                return sheet
        raise KeyError(title)

    def _open_calamine(self, data: bytes, limits: Limits) -> bool:
        import python_calamine

        clock = _Clock(limits)
        try:
            book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
            sheets = {name: book.get_sheet_by_name(name) for name in book.sheet_names}
        except Exception:  # damaged in a way the quick scan did not see: the reference reader decides
            return False
        scan = Scan()
        for name, sheet in sheets.items():
            end = sheet.end
            scanned = SheetScan(rows=end[0] + 1, max_column=end[1] + 1) if end else SheetScan()
            scan.sheets[name] = scanned
            scan.cells += scanned.rows * scanned.max_column
        if scan.cells > limits.max_cells or any(
            s.rows > limits.max_rows or s.max_column > limits.max_columns for s in scan.sheets.values()
        ):
            book.close()
            return False  # the full scan says what is too large, in its words
        self._wb = book
        self.worksheets = [
            SafeSheet(_CalamineSheet(sheets[name], name, clock), scan.sheets[name], clock, title=name)
            for name in sheets
        ]
        self.sheetnames = [s.title for s in self.worksheets]
        return True

    def close(self) -> None:
        self._wb.close()

    def __enter__(self) -> SafeWorkbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_upload(source: bytes | str | Path | IO[bytes], limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The bytes of an upload, reading at most `max_bytes` + 1 (a bigger file is refused, not read)."""
    if isinstance(source, bytes):
        data = source
    elif isinstance(source, str | Path):
        with open(source, "rb") as handle:
            data = handle.read(limits.max_bytes + 1)
    else:
        if hasattr(source, "seek"):
            source.seek(0)
        data = source.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise SheetRefused(f"Tệp quá giới hạn {_mb(limits.max_bytes)} mỗi lần tải lên.")
    return data


def open_xlsx(source: bytes | str | Path | IO[bytes], limits: Limits = DEFAULT_LIMITS) -> SafeWorkbook:
    return SafeWorkbook(read_upload(source, limits), limits)


class _CalamineSheet:
    """A worksheet read by python-calamine, its cells as openpyxl gives them (values only): None for
    an empty cell, whole numbers as int, dates as datetime."""

    def __init__(self, sheet: Any, name: str, clock: _Clock) -> None:
        self._sheet = sheet
        self.title = name
        self._clock = clock

    def rows(self, max_row: int, max_column: int) -> Iterator[tuple[Any, ...]]:
        sheet = self._sheet
        start = sheet.start  # calamine's range starts at the first cell holding a value
        if start is None:
            return
        top, left = start
        pad_left = (None,) * left
        width = max_column
        for _ in range(min(top, max_row)):  # the empty rows above the first value, as openpyxl gives them
            yield (None,) * width
        for number, values in enumerate(sheet.iter_rows(), start=top + 1):
            if number > max_row:
                break
            if number % 2000 == 0:
                self._clock.check()
            row = pad_left + tuple(map(_clean, values[: max(width - left, 0)]))
            yield row + (None,) * (width - len(row))
        self._clock.check()
