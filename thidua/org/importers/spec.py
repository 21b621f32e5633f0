"""What an import file holds: the columns of each kind, problems, and the plan of a checked file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from thidua.lib.text import excerpt
from thidua.org.services import ImportSummary

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
    Column(
        "is_legal_entity",
        "Có tư cách pháp nhân",
        False,
        ("Pháp nhân",),
        "Có / Không; để trống với đơn vị mới: theo loại đơn vị (trường học, sở, UBND xã: Có).",
    ),
    Column("province_code", "Mã tỉnh", False, (), "2 chữ số, ví dụ 01, 66, 79.", True),
    Column("valid_from", "Hoạt động từ ngày", False, ("Ngày thành lập",), "dd/mm/yyyy."),
    Column(
        "symbol",
        "Ký hiệu trên văn bản",
        False,
        ("Ký hiệu", "Ký hiệu văn bản"),
        "Chữ viết tắt trong số văn bản, ví dụ SGDĐT trong 07/QĐ-SGDĐT; để trống: theo cơ quan cấp trên.",
        True,
    ),
    Column(
        "place_name",
        "Địa danh",
        False,
        ("Địa danh ghi trên văn bản",),
        "Ghi trước ngày tháng trên văn bản, ví dụ Buôn Ma Thuột; để trống: đọc từ tên đơn vị hoặc cấp trên.",
    ),
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
    Column(
        "is_direct_worker",
        "Người lao động trực tiếp",
        False,
        ("Lao động trực tiếp", "LĐ trực tiếp"),
        "Có / Không: trực tiếp làm chuyên môn, nghiệp vụ, không giữ chức vụ lãnh đạo, quản lý.",
    ),
    Column("ethnicity", "Dân tộc", False, (), "Tên dân tộc (Kinh, Tày, Thái, Mường…) hoặc mã 01-54.", True),
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

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", excerpt(self.value))  # never echo more than an excerpt

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
