"""Import of units and people from .xlsx / .csv files: reading, header matching, checking, templates.

`check_file` reads a whole file and returns an `ImportPlan`: every problem of the file (Excel row
number, column header, value, what is wrong, in Vietnamese) or, when there is none, the checked rows
ready for `services.import_units` / `services.import_people` with what each row will do.
`commit_file` runs the same check again inside one transaction and writes only when nothing is wrong.
Nothing here decides access by itself: scope questions go to `thidua.accounts.permissions`.

An empty cell keeps the current value of an existing unit or person (new ones get the defaults).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import IntegrityError, transaction

from thidua.accounts.permissions import can_change_person, can_change_unit, can_import, is_system_admin
from thidua.core.errors import DomainError
from thidua.lib.text import fold, nfc
from thidua.org.citizen_id import PROVINCE_CODES, CitizenIdError, validate_citizen_id
from thidua.org.models import Person, Position, Unit
from thidua.org.services import ImportSummary, PersonImport, UnitImport, import_people, import_units

ImportKind = Literal["units", "people"]
Progress = Callable[[int, int], None]

MAX_ROWS = 200_000
MAX_HEADER_SEARCH = 10  # a title line or two above the header row is common in Vietnamese spreadsheets
XLSX_EXTENSIONS = {".xlsx", ".xlsm"}
CSV_EXTENSIONS = {".csv", ".txt"}


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    note: str = ""
    text: bool = False  # kept as text in the template (codes, ids, phone numbers keep leading zeros)


UNIT_COLUMNS: tuple[Column, ...] = (
    Column("code", "Mã đơn vị", True, ("Mã ĐV",), "Bắt buộc; duy nhất. Mã đã có: cập nhật đơn vị đó.", True),
    Column("name", "Tên đơn vị", True, (), "Bắt buộc với đơn vị mới."),
    Column("short_name", "Tên viết tắt"),
    Column("kind", "Loại đơn vị", False, ("Loại",), "Tên loại hoặc mã loại (xem danh sách bên dưới)."),
    Column(
        "parent_code",
        "Mã đơn vị cấp trên",
        False,
        ("Mã cấp trên", "Đơn vị cấp trên"),
        "Mã một đơn vị đã có hoặc ở dòng khác của tệp. Đổi mã cấp trên: chuyển đơn vị.",
        True,
    ),
    Column("is_legal_entity", "Có tư cách pháp nhân", False, ("Pháp nhân",), "Có / Không."),
    Column("province_code", "Mã tỉnh", False, (), "2 chữ số, ví dụ 01 (Hà Nội), 79 (TP. Hồ Chí Minh).", True),
    Column("valid_from", "Hoạt động từ ngày", False, ("Ngày thành lập",), "dd/mm/yyyy."),
)

PEOPLE_COLUMNS: tuple[Column, ...] = (
    Column(
        "citizen_id",
        "Số CCCD",
        True,
        ("CCCD", "Số căn cước công dân", "Số căn cước", "Số định danh cá nhân", "Số định danh"),
        "Bắt buộc; 12 chữ số, khớp giới tính và năm sinh. Số đã có: cập nhật người đó.",
        True,
    ),
    Column("full_name", "Họ và tên", True, ("Họ tên",), "Bắt buộc với nhân sự mới."),
    Column("gender", "Giới tính", True, (), "Nam / Nữ; bắt buộc với nhân sự mới."),
    Column("date_of_birth", "Ngày sinh", False, (), "dd/mm/yyyy, không ở tương lai."),
    Column("recruited_on", "Ngày tuyển dụng", False, (), "dd/mm/yyyy."),
    Column(
        "unit_code",
        "Mã đơn vị",
        True,
        ("Mã đơn vị công tác",),
        "Bắt buộc với nhân sự mới. Đơn vị khác đơn vị hiện tại: điều chuyển.",
        True,
    ),
    Column("title", "Chức vụ", False, ("Chức danh",)),
    Column(
        "started_on",
        "Từ ngày",
        False,
        ("Giữ chức vụ từ ngày",),
        "Ngày bắt đầu ở đơn vị / chức vụ; bắt buộc khi điều chuyển.",
    ),
    Column("email", "Thư điện tử", False, ("Email", "E-mail", "Thư điện tử công vụ")),
    Column("phone", "Điện thoại", False, ("Số điện thoại", "ĐT"), "", True),
)

# Columns often found in hand-made spreadsheets that carry nothing to import.
IGNORED_HEADERS = frozenset({"stt", "tt", "so tt", "so thu tu", "ghi chu"})


@dataclass(frozen=True)
class ImportSpec:
    kind: ImportKind
    label: str  # "đơn vị" / "nhân sự"
    sheet: str  # sheet name of the template
    columns: tuple[Column, ...]


SPECS: dict[str, ImportSpec] = {
    "units": ImportSpec("units", "đơn vị", "Đơn vị", UNIT_COLUMNS),
    "people": ImportSpec("people", "nhân sự", "Nhân sự", PEOPLE_COLUMNS),
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a file. `row` is the row number Excel shows (None: the file as a whole)."""

    row: int | None
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        where = f"Dòng {self.row}" if self.row is not None else "Tệp"
        if self.column:
            where += f", cột '{self.column}'"
        value = f" (giá trị: '{self.value}')" if self.value != "" else ""
        return f"{where}{value}: {self.message}"


@dataclass
class RowResult:
    """What one row will do (or did): `action` is create / update / unchanged; `changes` in Vietnamese."""

    row: int
    key: str
    label: str
    action: Literal["create", "update", "unchanged"]
    changes: list[str] = field(default_factory=list)


@dataclass
class ImportPlan:
    kind: ImportKind
    filename: str
    problems: list[Problem] = field(default_factory=list)
    results: list[RowResult] = field(default_factory=list)
    operations: list[Any] = field(default_factory=list)  # UnitImport | PersonImport, in file order
    summary: ImportSummary | None = None  # set once committed

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def committed(self) -> bool:
        return self.summary is not None

    @property
    def counts(self) -> dict[str, int]:
        counts = {"create": 0, "update": 0, "unchanged": 0}
        for result in self.results:
            counts[result.action] += 1
        return counts

    @property
    def row_count(self) -> int:
        return len(self.results)


class ImportFileError(Exception):
    """The file cannot be read as a table at all; the message is for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- Reading -----------------------------------------------------------------------------------


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


def _is_empty(value: Any) -> bool:
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
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, IndexError, AttributeError) as exc:
        raise ImportFileError(
            "Tệp .xlsx bị hỏng hoặc không đọc được: hãy mở trong Excel, lưu lại và thử lại."
        ) from exc
    except Exception as exc:  # openpyxl raises many kinds of errors on damaged packages
        raise ImportFileError("Tệp .xlsx bị hỏng hoặc không đọc được.") from exc
    try:
        sheets = [ws for ws in workbook.worksheets if hasattr(ws, "iter_rows")]
        if not sheets:
            raise ImportFileError("Tệp .xlsx không có trang tính nào.")
        named = [ws for ws in sheets if fold(ws.title) == fold(spec.sheet)]
        lookup = _column_lookup(spec)
        candidates = named or sheets
        empty = 0
        for worksheet in candidates:
            worksheet.reset_dimensions()  # type: ignore[union-attr]
            try:
                rows = [list(values) for values in worksheet.iter_rows(values_only=True)]
            except Exception as exc:
                raise ImportFileError(f"Trang tính '{worksheet.title}' bị hỏng, không đọc được.") from exc
            empty += not any(not _is_empty(v) for row in rows for v in row)
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
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            "Tệp CSV phải lưu bằng mã UTF-8 (trong Excel: Lưu thành → 'CSV UTF-8 (Comma delimited)')."
        ) from exc
    delimiter = _sniff_delimiter(text)
    try:
        rows: list[list[Any]] = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise ImportFileError(f"Tệp CSV sai cấu trúc: {exc}") from exc
    table = _table_from_rows("", rows, _column_lookup(spec))
    if table is None:
        raise ImportFileError(
            f"Không tìm thấy dòng tiêu đề của mẫu nhập {spec.label}. "
            f"Cần các cột: {', '.join(c.header for c in spec.columns if c.required)}. "
            "Hãy dùng tệp mẫu tải về."
        )
    return table


def _table_from_rows(sheet: str, rows: list[list[Any]], lookup: dict[str, Column]) -> Table | None:
    """Find the header row (the first of the top rows naming a known column) and keep non-empty rows."""
    for index, row in enumerate(rows[:MAX_HEADER_SEARCH]):
        if any(header_key(cell) in lookup for cell in row if not _is_empty(cell)):
            headers = ["" if _is_empty(c) else " ".join(str(c).split()) for c in row]
            data_rows = [
                (number, values)
                for number, values in enumerate(rows[index + 1 :], start=index + 2)
                if any(not _is_empty(v) for v in values)
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
            if any(index < len(values) and not _is_empty(values[index]) for _, values in table.rows[:50]):
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


# --- Values ------------------------------------------------------------------------------------


class CellError(ValueError):
    pass


def display(value: Any) -> str:
    """A cell as the user sees it (for problem reports)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value:%d/%m/%Y}" if value.time() == datetime.min.time() else f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return nfc(str(value)).strip()


def as_text(value: Any) -> str:
    """Cell text; '=…', '+…', '-…', '@…' stay plain text (never evaluated)."""
    return " ".join(display(value).split())


def as_code(value: Any, *, width: int = 0) -> str:
    """A code or number typed into Excel as a number lost its leading zeros: pad to `width`."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float) and float(value).is_integer() and width:
        return f"{int(value):0{width}d}"
    return display(value).replace(" ", "") if width else as_text(value)


_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?: 0?0:00(?::00)?)?$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")


def as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        from openpyxl.utils.datetime import from_excel

        if 1 <= value < 2958466:
            converted = from_excel(value)
            if isinstance(converted, datetime):
                return converted.date()
        raise CellError("Ngày không hợp lệ: nhập dạng dd/mm/yyyy.")
    text = as_text(value)
    dmy = _DMY.match(text)
    iso = _ISO.match(text)
    if dmy:
        day, month, year = (int(x) for x in dmy.groups())
    elif iso:
        year, month, day = (int(x) for x in iso.groups())
    else:
        raise CellError("Ngày phải theo dạng dd/mm/yyyy, ví dụ 05/09/1985.")
    try:
        result = date(year, month, day)
    except ValueError as exc:
        raise CellError("Ngày không tồn tại trong lịch.") from exc
    if year < 1900:
        raise CellError("Năm phải từ 1900 trở đi.")
    return result


_TRUE = {"co", "x", "1", "true", "yes", "dung", "c"}
_FALSE = {"khong", "0", "false", "no", "sai", "k"}


def as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    key = fold(as_text(value))
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise CellError("Chỉ nhận 'Có' hoặc 'Không'.")


def as_gender(value: Any) -> str:
    key = fold(as_text(value))
    if key in {"nam", "m", "male"}:
        return Person.Gender.NAM
    if key in {"nu", "f", "female"}:
        return Person.Gender.NU
    raise CellError("Giới tính phải là 'Nam' hoặc 'Nữ'.")


def as_unit_kind(value: Any) -> str:
    key = fold(as_text(value))
    for kind in Unit.Kind:
        if key in {fold(kind.label), kind.value}:
            return str(kind.value)
    labels = "; ".join(str(k.label) for k in Unit.Kind)
    raise CellError(f"Loại đơn vị không có trong danh mục ({labels}).")


_email_validator = EmailValidator()
_PHONE = re.compile(r"^\+?[0-9 .()\-]{6,20}$")


def as_email(value: Any) -> str:
    text = as_text(value)
    try:
        _email_validator(text)
    except ValidationError as exc:
        raise CellError("Địa chỉ thư điện tử không hợp lệ.") from exc
    return text


def as_phone(value: Any) -> str:
    text = as_code(value, width=0) if not isinstance(value, int | float) else str(int(value))
    if isinstance(value, int | float) and len(text) == 9:
        text = "0" + text  # Excel dropped the leading zero of a mobile number
    if not _PHONE.match(text):
        raise CellError("Số điện thoại chỉ gồm chữ số (có thể có +, dấu cách, dấu chấm), tối đa 20 ký tự.")
    return text


def _max_length(limit: int) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = as_text(value)
        if len(text) > limit:
            raise CellError(f"Dài quá {limit} ký tự.")
        return text

    return parse


def _province(value: Any) -> str:
    text = as_code(value, width=2)
    if not (len(text) == 2 and text.isdigit() and f"0{text}" in PROVINCE_CODES):
        raise CellError("Mã tỉnh phải gồm 2 chữ số và có trong danh mục (ví dụ 01, 79).")
    return text


def _unit_code(value: Any) -> str:
    text = as_text(value)
    if len(text) > 40:
        raise CellError("Mã đơn vị dài quá 40 ký tự.")
    return text


def _citizen_id(value: Any) -> str:
    return as_code(value, width=12)


PARSERS: dict[str, Callable[[Any], Any]] = {
    "code": _unit_code,
    "name": _max_length(255),
    "short_name": _max_length(60),
    "kind": as_unit_kind,
    "parent_code": _unit_code,
    "is_legal_entity": as_bool,
    "province_code": _province,
    "valid_from": as_date,
    "citizen_id": _citizen_id,
    "full_name": _max_length(120),
    "gender": as_gender,
    "date_of_birth": as_date,
    "recruited_on": as_date,
    "unit_code": _unit_code,
    "title": _max_length(120),
    "started_on": as_date,
    "email": as_email,
    "phone": as_phone,
}


@dataclass
class Row:
    """One data row: parsed values of the non-empty cells, and the raw cells for reports."""

    number: int
    values: dict[str, Any]
    raw: dict[str, Any]


class _Checker:
    """Collects problems with the file's own headers."""

    def __init__(self, written: dict[str, str], spec: ImportSpec) -> None:
        self.problems: list[Problem] = []
        self.headers = {c.key: written.get(c.key, c.header) for c in spec.columns}

    def add(self, row: Row | None, key: str, message: str, *, number: int | None = None) -> None:
        raw = row.raw.get(key) if row is not None else None
        self.problems.append(
            Problem(
                row.number if row is not None else number, self.headers.get(key, key), display(raw), message
            )
        )


def _parse_rows(
    table: Table, positions: dict[str, int], checker: _Checker, progress: Progress | None
) -> list[Row]:
    rows: list[Row] = []
    total = len(table.rows)
    for index, (number, cells) in enumerate(table.rows, start=1):
        row = Row(number=number, values={}, raw={})
        for key, position in positions.items():
            raw = cells[position] if position < len(cells) else None
            if _is_empty(raw):
                continue
            row.raw[key] = raw
            try:
                row.values[key] = PARSERS[key](raw)
            except CellError as exc:
                checker.add(row, key, str(exc))
        rows.append(row)
        if progress is not None and (index % 500 == 0 or index == total):
            progress(index, total)
    return rows


# --- Checking units ----------------------------------------------------------------------------


def _may_change_unit(actor: Any, unit: Unit) -> bool:
    return actor is None or can_change_unit(actor, unit)


def _may_create_root(actor: Any) -> bool:
    return actor is None or is_system_admin(actor)


def _check_units(rows: list[Row], checker: _Checker, actor: Any, plan: ImportPlan) -> None:
    existing = {
        u.code: u
        for u in Unit.objects.select_related("parent").only(
            "id",
            "code",
            "name",
            "short_name",
            "kind",
            "parent__code",
            "parent__name",
            "path",
            "is_legal_entity",
            "province_code",
            "valid_from",
            "valid_to",
            "parent_id",
        )
    }
    kind_labels = dict(Unit.Kind.choices)
    first_row: dict[str, int] = {}
    in_file: dict[str, Row] = {}
    for row in rows:
        code = row.values.get("code")
        if not code:
            if "code" not in row.raw:
                checker.add(row, "code", "Thiếu mã đơn vị.")
            continue
        if code in first_row:
            checker.add(row, "code", f"Mã đơn vị trùng với dòng {first_row[code]} của tệp.")
            continue
        first_row[code] = row.number
        in_file[code] = row

    # The parent each unit will have once the file is applied (None = root).
    final_parent: dict[str, str | None] = {}
    for code, row in in_file.items():
        unit = existing.get(code)
        if "parent_code" in row.values:
            final_parent[code] = row.values["parent_code"]
        elif unit is not None:
            final_parent[code] = unit.parent.code if unit.parent else None
        else:
            final_parent[code] = None

    def parent_of(code: str) -> str | None:
        if code in final_parent:
            return final_parent[code]
        unit = existing.get(code)
        return unit.parent.code if unit is not None and unit.parent else None

    in_scope_cache: dict[str, bool] = {}

    def in_scope(code: str, seen: frozenset[str] = frozenset()) -> bool:
        """Whether the unit `code` sits inside the actor's scope once the file is applied."""
        if code in in_scope_cache:
            return in_scope_cache[code]
        if code in seen:
            return False
        unit = existing.get(code)
        moved = code in in_file and (
            unit is None or parent_of(code) != (unit.parent.code if unit.parent else None)
        )
        if unit is not None and not moved:
            result = _may_change_unit(actor, unit)
        else:
            parent = parent_of(code)
            result = _may_create_root(actor) if parent is None else in_scope(parent, seen | {code})
        in_scope_cache[code] = result
        return result

    for code, row in in_file.items():
        unit = existing.get(code)
        parent_code = final_parent[code]
        problems_before = len(checker.problems)
        if unit is None and "name" not in row.values and "name" not in row.raw:
            checker.add(row, "name", "Thiếu tên đơn vị (bắt buộc với đơn vị mới).")
        if parent_code is not None:
            if parent_code == code:
                checker.add(row, "parent_code", "Đơn vị không thể là cấp trên của chính nó.")
            elif parent_code not in in_file and parent_code not in existing:
                checker.add(
                    row, "parent_code", f"Không có đơn vị mã '{parent_code}' trong hệ thống hay trong tệp."
                )
            else:
                # Walk up: a cycle inside the file, or a move under the unit's own subtree.
                seen = {code}
                current: str | None = parent_code
                while current is not None:
                    if current in seen:
                        checker.add(
                            row,
                            "parent_code",
                            "Quan hệ cấp trên tạo thành vòng lặp (đơn vị nằm dưới chính nó).",
                        )
                        break
                    seen.add(current)
                    current = parent_of(current)
                parent_unit = existing.get(parent_code)
                if parent_unit is not None and parent_unit.valid_to is not None:
                    checker.add(
                        row,
                        "parent_code",
                        f"Đơn vị cấp trên đã ngừng hoạt động từ {parent_unit.valid_to:%d/%m/%Y}.",
                    )
        if unit is not None and not _may_change_unit(actor, unit):
            checker.add(row, "code", "Đơn vị ngoài phạm vi quản lý của bạn: không được sửa.")
        elif len(checker.problems) == problems_before and not in_scope(code):
            key = "parent_code" if parent_code is not None else "code"
            message = (
                "Đơn vị cấp trên ngoài phạm vi quản lý của bạn."
                if parent_code is not None
                else "Chỉ quản trị hệ thống được tạo đơn vị gốc (không có cấp trên)."
            )
            checker.add(row, key, message)
        if len(checker.problems) != problems_before:
            continue

        fields: dict[str, Any] = {
            k: row.values[k]
            for k in ("name", "short_name", "kind", "is_legal_entity", "province_code", "valid_from")
            if k in row.values
        }
        if unit is None:
            plan.results.append(RowResult(row.number, code, fields.get("name", ""), "create"))
        else:
            if unit.valid_to is not None and (
                fields or parent_code != (unit.parent.code if unit.parent else None)
            ):
                checker.add(
                    row,
                    "code",
                    f"Đơn vị đã ngừng hoạt động từ {unit.valid_to:%d/%m/%Y}: không sửa bằng nhập tệp.",
                )
                continue
            changes = []
            for key, value in fields.items():
                before = getattr(unit, key)
                if before != value:
                    changes.append(
                        f"{checker.headers[key]}: {_show(before, key, kind_labels)} → {_show(value, key, kind_labels)}"
                    )
            old_parent = unit.parent.code if unit.parent else None
            if parent_code != old_parent:
                changes.append(f"Chuyển đơn vị cấp trên: {old_parent or '(gốc)'} → {parent_code or '(gốc)'}")
            plan.results.append(
                RowResult(
                    row.number,
                    code,
                    fields.get("name", unit.name),
                    "update" if changes else "unchanged",
                    changes,
                )
            )
        plan.operations.append(UnitImport(code=code, fields=fields, parent_code=parent_code))


def _show(value: Any, key: str, kind_labels: dict[str, str]) -> str:
    if key == "kind":
        return str(kind_labels.get(value, value))
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if value is None or value == "":
        return "(trống)"
    return display(value)


# --- Checking people ---------------------------------------------------------------------------


def _check_people(
    rows: list[Row], checker: _Checker, actor: Any, plan: ImportPlan, progress: Progress | None
) -> None:
    today = date.today()
    units_by_code: dict[str, Unit] = {}
    units_by_id: dict[int, Unit] = {}
    for known in Unit.objects.only("id", "code", "name", "path", "valid_to"):
        units_by_code[known.code] = known
        units_by_id[known.pk] = known
    cids = [r.values["citizen_id"] for r in rows if r.values.get("citizen_id")]
    existing: dict[str, Person] = {}
    for start in range(0, len(cids), 2000):
        for found in Person.objects.filter(citizen_id__in=cids[start : start + 2000]):
            existing[found.citizen_id] = found
    open_start: dict[int, date] = {}
    ids = [p.pk for p in existing.values()]
    for start in range(0, len(ids), 2000):
        for person_id, opened_on in Position.objects.filter(
            person_id__in=ids[start : start + 2000], ended_on__isnull=True
        ).values_list("person_id", "started_on"):
            open_start[person_id] = max(opened_on, open_start.get(person_id, opened_on))
    gender_labels = dict(Person.Gender.choices)

    first_row: dict[str, int] = {}
    total = len(rows)
    for index, row in enumerate(rows, start=1):
        if progress is not None and (index % 500 == 0 or index == total):
            progress(index, total)
        problems_before = len(checker.problems)
        values = row.values
        cid = values.get("citizen_id")
        if not cid:
            if "citizen_id" not in row.raw:
                checker.add(row, "citizen_id", "Thiếu số CCCD.")
            continue
        if cid in first_row:
            checker.add(row, "citizen_id", f"Số CCCD trùng với dòng {first_row[cid]} của tệp.")
            continue
        first_row[cid] = row.number
        person = existing.get(cid)
        if person is None:
            for key, label in (
                ("full_name", "họ và tên"),
                ("gender", "giới tính"),
                ("unit_code", "mã đơn vị"),
            ):
                if key not in row.raw:
                    checker.add(row, key, f"Thiếu {label} (bắt buộc với nhân sự mới).")
        birth = values.get("date_of_birth")
        if birth is not None and birth > today:
            checker.add(row, "date_of_birth", "Ngày sinh ở tương lai.")
        for key in ("recruited_on", "started_on"):
            day = values.get(key)
            if day is not None and birth is not None and day <= birth:
                checker.add(row, key, "Ngày phải sau ngày sinh.")
        # A cell that failed to parse is reported already: check the id against what is known.
        gender = values.get("gender") or (
            None if "gender" in row.raw else (person.gender if person else None)
        )
        birth_for_id = birth or (
            None if "date_of_birth" in row.raw else (person.date_of_birth if person else None)
        )
        try:
            validate_citizen_id(cid, gender=gender, date_of_birth=birth_for_id)
        except CitizenIdError as exc:
            checker.add(row, "citizen_id", str(exc))
        unit: Unit | None = None
        unit_code = values.get("unit_code")
        if unit_code:
            unit = units_by_code.get(unit_code)
            if unit is None:
                checker.add(
                    row,
                    "unit_code",
                    f"Không có đơn vị mã '{unit_code}' trong hệ thống (hãy nhập đơn vị trước).",
                )
            elif unit.valid_to is not None:
                checker.add(
                    row, "unit_code", f"Đơn vị '{unit.name}' đã ngừng hoạt động từ {unit.valid_to:%d/%m/%Y}."
                )
            elif not _may_change_unit(actor, unit):
                checker.add(row, "unit_code", "Đơn vị ngoài phạm vi quản lý của bạn.")
        if person is not None:
            current_unit = units_by_id.get(person.current_unit_id) if person.current_unit_id else None
            if current_unit is not None:
                person.current_unit = current_unit
            if actor is not None and not can_change_person(actor, person):
                checker.add(row, "citizen_id", "Nhân sự này thuộc đơn vị ngoài phạm vi quản lý của bạn.")
        if len(checker.problems) != problems_before:
            continue

        fields: dict[str, Any] = {
            k: values[k]
            for k in ("full_name", "gender", "date_of_birth", "recruited_on", "email", "phone")
            if k in values
        }
        title: str | None = values.get("title")
        started_on: date | None = values.get("started_on")
        operation = PersonImport(
            citizen_id=cid, fields=fields, unit_code=unit_code, title=title, started_on=started_on
        )
        if person is None:
            plan.results.append(RowResult(row.number, cid, fields.get("full_name", ""), "create"))
            plan.operations.append(operation)
            continue
        changes = []
        for key, value in fields.items():
            before = getattr(person, key)
            if key == "full_name":
                value = " ".join(nfc(value).split())
            if before != value:
                show_before = gender_labels.get(before, before) if key == "gender" else before
                show_after = gender_labels.get(value, value) if key == "gender" else value
                changes.append(
                    f"{checker.headers[key]}: {display(show_before) or '(trống)'} → {display(show_after)}"
                )
        moves_unit = unit is not None and unit.pk != person.current_unit_id
        current_start = open_start.get(person.pk)
        if moves_unit:
            if started_on is None:
                checker.add(row, "started_on", "Cần 'Từ ngày' khi chuyển nhân sự sang đơn vị khác.")
                continue
            if current_start is not None and started_on <= current_start:
                checker.add(
                    row,
                    "started_on",
                    f"Ngày điều chuyển phải sau ngày bắt đầu vị trí hiện tại ({current_start:%d/%m/%Y}).",
                )
                continue
            old_name = person.current_unit.name if person.current_unit else "(chưa có)"
            assert unit is not None
            changes.append(f"Điều chuyển: {old_name} → {unit.name} từ {started_on:%d/%m/%Y}")
        if title is not None and title != person.current_title:
            if (
                not moves_unit
                and started_on is not None
                and current_start is not None
                and started_on < current_start
            ):
                checker.add(
                    row,
                    "started_on",
                    f"Ngày bắt đầu chức vụ mới phải sau ngày bắt đầu vị trí hiện tại ({current_start:%d/%m/%Y}).",
                )
                continue
            changes.append(f"Chức vụ: {person.current_title or '(trống)'} → {title}")
        plan.results.append(
            RowResult(
                row.number,
                cid,
                fields.get("full_name", person.full_name),
                "update" if changes else "unchanged",
                changes,
            )
        )
        plan.operations.append(operation)


# --- Entry points ------------------------------------------------------------------------------


def check_file(
    kind: str, data: bytes, filename: str, *, actor: Any, progress: Progress | None = None
) -> ImportPlan:
    """Read and check a whole file without writing anything: all problems, or what each row will do."""
    spec = SPECS[kind]
    plan = ImportPlan(kind=spec.kind, filename=filename)
    if actor is not None and not can_import(actor):
        plan.problems.append(Problem(None, "", "", "Bạn không có quyền nhập dữ liệu."))
        return plan
    try:
        table = read_table(data, filename, spec)
    except ImportFileError as exc:
        plan.problems.append(Problem(None, "", "", exc.message))
        return plan
    positions, written, header_problems = match_columns(table, spec)
    if header_problems:
        other = SPECS["people" if spec.kind == "units" else "units"]
        if not match_columns(table, other)[2]:
            header_problems.insert(
                0,
                Problem(
                    None,
                    "",
                    "",
                    f"Tệp này là danh sách {other.label}, không phải {spec.label}: hãy chọn đúng loại dữ liệu.",
                ),
            )
        plan.problems.extend(header_problems)
        return plan
    if not table.rows:
        plan.problems.append(Problem(None, "", "", "Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào."))
        return plan
    checker = _Checker(written, spec)
    rows = _parse_rows(table, positions, checker, None)
    if spec.kind == "units":
        _check_units(rows, checker, actor, plan)
    else:
        _check_people(rows, checker, actor, plan, progress)
    order = {c.key: i for i, c in enumerate(spec.columns)}
    header_order = {checker.headers[k]: order[k] for k in order}
    plan.problems = sorted(checker.problems, key=lambda p: (p.row or 0, header_order.get(p.column, 99)))
    if plan.problems:
        plan.results.clear()
        plan.operations.clear()
    plan.results.sort(key=lambda r: r.row)
    return plan


def commit_file(
    kind: str, data: bytes, filename: str, *, actor: Any, progress: Progress | None = None
) -> ImportPlan:
    """Check the file again and, only if nothing is wrong, write it all in one transaction."""
    # One bar for both phases: checking fills the first half, writing the second.
    check_progress = (lambda done, total: progress(done, 2 * total)) if progress else None
    write_progress = (lambda done, total: progress(total + done, 2 * total)) if progress else None
    plan = ImportPlan(kind=SPECS[kind].kind, filename=filename)
    try:
        with transaction.atomic():
            plan = check_file(kind, data, filename, actor=actor, progress=check_progress)
            if not plan.ok:
                return plan
            if plan.kind == "units":
                plan.summary = import_units(plan.operations, actor=actor, source=filename)
            else:
                plan.summary = import_people(
                    plan.operations, actor=actor, source=filename, progress=write_progress
                )
    except DomainError as exc:
        plan.problems.append(Problem(None, "", "", exc.message))
        plan.summary = None
    except IntegrityError:
        # Someone else wrote the same code or citizen id between our check and our write.
        plan.problems.append(
            Problem(
                None, "", "", "Dữ liệu vừa được người khác thay đổi trong lúc ghi: không ghi gì, hãy thử lại."
            )
        )
        plan.summary = None
    return plan


# --- Templates ---------------------------------------------------------------------------------


def build_template(kind: str, fmt: Literal["xlsx", "csv"]) -> bytes:
    """The empty import file: Vietnamese headers (and, in .xlsx, a guide sheet and drop-down lists)."""
    spec = SPECS[kind]
    if fmt == "csv":
        text = io.StringIO(newline="")
        csv.writer(text).writerow([c.header for c in spec.columns])
        return text.getvalue().encode("utf-8-sig")
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = spec.sheet
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="FDE7E5")
    for index, column in enumerate(spec.columns, start=1):
        cell = sheet.cell(row=1, column=index)
        _text_cell(cell, column.header + (" *" if column.required else ""))
        cell.font = bold
        cell.fill = fill
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(14, len(column.header) + 6)
        if column.text:  # keep leading zeros of codes and ids typed by the user
            for row in range(2, 2002):
                sheet.cell(row=row, column=index).number_format = "@"
    sheet.freeze_panes = "A2"
    choices = {
        "gender": [str(label) for _, label in Person.Gender.choices],
        "is_legal_entity": ["Có", "Không"],
        "kind": [str(label) for _, label in Unit.Kind.choices],
    }
    lists = workbook.create_sheet("Danh mục")
    list_column = 0
    for index, column in enumerate(spec.columns, start=1):
        if column.key not in choices:
            continue
        list_column += 1
        values = choices[column.key]
        list_letter = get_column_letter(list_column)
        _text_cell(lists.cell(row=1, column=list_column), column.header)
        for offset, value in enumerate(values, start=2):
            _text_cell(lists.cell(row=offset, column=list_column), value)
        validation = DataValidation(
            type="list",
            formula1=f"'Danh mục'!${list_letter}$2:${list_letter}${len(values) + 1}",
            allow_blank=True,
        )
        sheet.add_data_validation(validation)
        validation.add(f"{get_column_letter(index)}2:{get_column_letter(index)}5000")
    guide = workbook.create_sheet("Hướng dẫn")
    lines = [
        f"Mẫu nhập {spec.label} — ThiĐua",
        "Nhập dữ liệu vào trang '" + spec.sheet + "', từ dòng 2. Cột có dấu * là bắt buộc.",
        "Ngày ghi dạng dd/mm/yyyy (ví dụ 05/09/1985) hoặc định dạng ngày của Excel.",
        "Ô để trống: giữ nguyên giá trị hiện có khi cập nhật; giá trị mặc định khi thêm mới.",
        "Nhập lại cùng mã / số CCCD sẽ cập nhật, không tạo bản trùng.",
        "",
    ]
    for number, line in enumerate(lines, start=1):
        _text_cell(guide.cell(row=number, column=1), line)
    guide.cell(row=1, column=1).font = Font(bold=True, size=13)
    start = len(lines) + 1
    for offset, column in enumerate(spec.columns):
        _text_cell(guide.cell(row=start + offset, column=1), column.header)
        _text_cell(
            guide.cell(row=start + offset, column=2), ("Bắt buộc. " if column.required else "") + column.note
        )
    guide.column_dimensions["A"].width = 28
    guide.column_dimensions["B"].width = 90
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text_cell(cell: Any, value: str) -> None:
    # A value beginning with = + - @ is text, never a formula.
    cell.value = value
    cell.data_type = "s"


def iter_problem_lines(plan: ImportPlan) -> Iterator[str]:
    for problem in plan.problems:
        yield str(problem)
