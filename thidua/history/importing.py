"""Bringing in the past: ratings, titles and awards, initiatives, discipline and pending proceedings
from .xlsx / .csv files, all or nothing, every problem named by row, column and value.

The files are read by the people import's reader (`thidua.org.importers.reading`: header matching
without case or diacritics, a title line or two above the header, Excel dates); the limits of a file
(its size, and for .xlsx the unpacked size and the number of parts) are checked before it is opened.
`check_file` checks everything and writes nothing; `commit_file` checks again inside one transaction
and writes through `thidua.history.services.write_history` only when nothing is wrong.

Re-importing the same file changes nothing: a row matching a stored record is "unchanged". A rating,
a discipline's end date or a proceeding's end date may be corrected by a later file; a stored award
or initiative is never overwritten by a file (a decision or a dossier may rest on it): a row that
disagrees with it is a problem to resolve on the person's page.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePath
from typing import Any, Literal, cast

from django.db import DataError, IntegrityError, transaction
from django.utils.text import capfirst

from thidua.core.bulk import in_values
from thidua.core.errors import DomainError
from thidua.history.models import (
    USED_FOR_VALIDATOR,
    AwardRecord,
    Discipline,
    Initiative,
    PendingProceeding,
    Rating,
)
from thidua.history.values import (
    known_awards,
    parse_award,
    parse_discipline_form,
    parse_initiative_kind,
    parse_proceeding_kind,
    parse_rating,
    parse_scope,
)
from thidua.lib.sheets import ExcelError
from thidua.lib.text import fold
from thidua.org.importers import (
    CellError,
    Column,
    ImportFileError,
    ImportSpec,
    Problem,
    RowResult,
    as_code,
    as_date,
    as_text,
    display,
    match_columns,
    read_table,
)
from thidua.org.importers.reading import is_empty
from thidua.org.models import Person, Unit
from thidua.org.permissions import can_change_person, can_change_unit, can_import
from thidua.org.services.imports import UNWRITABLE
from thidua.rules.names import award_name

HistoryKind = Literal["ratings", "awards", "initiatives", "disciplines", "proceedings"]
Action = Literal["create", "update", "unchanged"]

MAX_BYTES = 10 * 1024 * 1024  # the file as uploaded
MAX_UNPACKED = 100 * 1024 * 1024  # an .xlsx is a zip: its parts unpacked, all together
MAX_PARTS = 500
MAX_ROWS = 100_000
EARLIEST_YEAR = 1950

_CID = Column(
    "citizen_id",
    "Số CCCD",
    False,
    ("CCCD", "Số căn cước công dân", "Số định danh cá nhân"),
    "Người đã có trong hệ thống (nhập nhân sự trước). Ghi Số CCCD hoặc Mã đơn vị, không ghi cả hai.",
    True,
)
_UNIT = Column(
    "unit_code", "Mã đơn vị", False, ("Mã tập thể",), "Với tập thể: mã đơn vị đã có trong hệ thống.", True
)
_PERSON_ONLY = Column(
    "citizen_id",
    "Số CCCD",
    True,
    ("CCCD", "Số căn cước công dân", "Số định danh cá nhân"),
    "Bắt buộc; người đã có trong hệ thống (nhập nhân sự trước).",
    True,
)
_NAME = Column(
    "full_name", "Họ và tên", False, ("Họ tên", "Tên tập thể"), "Nếu ghi: phải khớp tên trong hệ thống."
)
_YEAR_NOTE = f"Năm từ {EARLIEST_YEAR} đến năm nay."


@dataclass(frozen=True)
class HistorySpec:
    kind: HistoryKind
    slug: str
    label: str
    sheet: str
    columns: tuple[Column, ...]
    collectives: bool  # rows may name a unit instead of a person

    @property
    def reading(self) -> ImportSpec:
        """The same spec as the people import's reader takes."""
        return ImportSpec(cast(Any, self.kind), self.label, self.sheet, self.columns)


SPECS: dict[str, HistorySpec] = {
    s.kind: s
    for s in (
        HistorySpec(
            "ratings",
            "xep-loai",
            "xếp loại",
            "Xếp loại",
            (
                _CID,
                _UNIT,
                _NAME,
                Column("year", "Năm", True, ("Năm xếp loại",), _YEAR_NOTE),
                Column("value", "Mức xếp loại", True, ("Xếp loại",), "HTXS, HTT, HT, KHT hoặc ghi đầy đủ."),
            ),
            True,
        ),
        HistorySpec(
            "awards",
            "khen-thuong",
            "danh hiệu, khen thưởng",
            "Khen thưởng",
            (
                _CID,
                _UNIT,
                _NAME,
                Column(
                    "award",
                    "Danh hiệu, hình thức",
                    True,
                    ("Danh hiệu", "Hình thức khen thưởng", "Khen thưởng"),
                    "Tên hoặc chữ viết tắt: LĐTT, CSTĐCS, Chiến sĩ thi đua cấp tỉnh, Bằng khen của Chủ tịch UBND tỉnh…",
                ),
                Column(
                    "year",
                    "Năm thành tích",
                    False,
                    ("Năm",),
                    "Bắt buộc với danh hiệu thi đua; hình thức khen thưởng: mặc định năm của ngày quyết định.",
                ),
                Column("decision_number", "Số quyết định", False, ("Số QĐ",), "Ví dụ 125/QĐ-UBND.", True),
                Column("decided_on", "Ngày quyết định", True, ("Ngày QĐ",), "dd/mm/yyyy."),
                Column(
                    "decided_by",
                    "Cấp quyết định",
                    False,
                    ("Cơ quan quyết định", "Người quyết định"),
                    "Ví dụ Chủ tịch UBND tỉnh Đắk Lắk.",
                ),
                Column(
                    "received_at",
                    "Nơi công tác khi được khen",
                    False,
                    ("Đơn vị khi được khen",),
                    "Khi khen thưởng nhận ở cơ quan, đơn vị khác trước khi chuyển đến.",
                ),
                Column(
                    "prize_vnd", "Tiền thưởng (đồng)", False, ("Tiền thưởng",), "Số nguyên, ví dụ 1.265.000."
                ),
            ),
            True,
        ),
        HistorySpec(
            "initiatives",
            "sang-kien",
            "sáng kiến",
            "Sáng kiến",
            (
                _PERSON_ONLY,
                _NAME,
                Column("kind", "Loại", False, (), "Sáng kiến (mặc định) hoặc Đề tài, đề án khoa học."),
                Column(
                    "code",
                    "Mã sáng kiến",
                    False,
                    ("Mã",),
                    "Nếu có; để trống: hệ thống tự đặt và nhận ra khi nhập lại (theo người, năm, tên).",
                    True,
                ),
                Column("title", "Tên sáng kiến", True, ("Tên", "Tên đề tài")),
                Column("year", "Năm công nhận", True, ("Năm",), _YEAR_NOTE),
                Column("scope", "Phạm vi", True, ("Cấp công nhận",), "Cơ sở; Bộ, ngành, tỉnh; Toàn quốc."),
                Column(
                    "used_for",
                    "Đã dùng để khen",
                    False,
                    ("Đã dùng để xét",),
                    "Danh hiệu, hình thức đã dùng sáng kiến này làm căn cứ (mỗi sáng kiến dùng một lần).",
                ),
                Column("used_year", "Năm dùng để khen", False, (), "Năm của danh hiệu, hình thức đó."),
            ),
            False,
        ),
        HistorySpec(
            "disciplines",
            "ky-luat",
            "kỷ luật",
            "Kỷ luật",
            (
                _PERSON_ONLY,
                _NAME,
                Column(
                    "form",
                    "Hình thức kỷ luật",
                    True,
                    ("Hình thức",),
                    "Khiển trách, Cảnh cáo, Hạ bậc lương, Giáng chức, Cách chức, Buộc thôi việc.",
                ),
                Column("decided_on", "Ngày quyết định", True, ("Ngày QĐ",), "dd/mm/yyyy."),
                Column("until", "Hết hiệu lực", False, ("Đến ngày",), "Ngày hết hiệu lực, nếu đã biết."),
                Column("decision_number", "Số quyết định", False, ("Số QĐ",), "Ví dụ 45/QĐ-BHXH.", True),
            ),
            False,
        ),
        HistorySpec(
            "proceedings",
            "vu-viec",
            "vụ việc đang xem xét",
            "Đang xem xét",
            (
                _CID,
                _UNIT,
                _NAME,
                Column(
                    "kind",
                    "Loại vụ việc",
                    True,
                    ("Loại",),
                    "Đang xem xét kỷ luật; Đang điều tra, thanh tra, kiểm tra; Đang xác minh khiếu nại, tố cáo.",
                ),
                Column("since", "Từ ngày", True, (), "dd/mm/yyyy."),
                Column("until", "Kết thúc", False, ("Đến ngày",), "Để trống khi còn đang xem xét."),
            ),
            True,
        ),
    )
}
SLUGS = {s.slug: s.kind for s in SPECS.values()}


# --- the plan of a file -------------------------------------------------------------------------


@dataclass
class Write:
    """One checked row: create a record, or update (`pk`) the fields in `values`."""

    action: Action
    values: dict[str, Any]
    pk: int | None = None


@dataclass
class HistoryPlan:
    kind: str
    filename: str
    problems: list[Problem] = field(default_factory=list)
    results: list[RowResult] = field(default_factory=list)
    writes: list[Write] = field(default_factory=list)
    written: dict[str, int] | None = None  # counts once committed

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def committed(self) -> bool:
        return self.written is not None

    @property
    def counts(self) -> dict[str, int]:
        counts = {"create": 0, "update": 0, "unchanged": 0}
        for result in self.results:
            counts[result.action] += 1
        return counts

    @property
    def row_count(self) -> int:
        return len(self.results)


def check_limits(data: bytes, filename: str) -> None:
    """Refuse a file too big to read, before reading it: its size, and for an .xlsx (a zip) the size of
    its parts once unpacked and their number (a small file can unpack to gigabytes)."""
    if len(data) > MAX_BYTES:
        raise ImportFileError(f"Tệp lớn quá {MAX_BYTES // (1024 * 1024)} MB: hãy chia thành nhiều tệp.")
    if data[:4] != b"PK\x03\x04" or PurePath(filename or "").suffix.lower() in {".csv", ".txt"}:
        return
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            parts = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportFileError("Tệp .xlsx bị hỏng hoặc không đọc được.") from exc
    if len(parts) > MAX_PARTS:
        raise ImportFileError("Tệp .xlsx có quá nhiều thành phần: không phải bảng tính thông thường.")
    if sum(p.file_size for p in parts) > MAX_UNPACKED:
        raise ImportFileError(
            f"Tệp .xlsx khi giải nén lớn quá {MAX_UNPACKED // (1024 * 1024)} MB: hãy chia thành nhiều tệp."
        )


# --- cell values ---------------------------------------------------------------------------------


def _year(value: Any) -> int:
    text = as_code(value, width=0) if not isinstance(value, int | float) else str(int(value))
    if not text.isdigit() or len(text) != 4:
        raise CellError("Năm ghi 4 chữ số, ví dụ 2019.")
    year = int(text)
    if not EARLIEST_YEAR <= year <= date.today().year:
        raise CellError(f"Năm phải từ {EARLIEST_YEAR} đến {date.today().year}.")
    return year


def _past_date(value: Any) -> date:
    day = as_date(value)
    if day > date.today():
        raise CellError("Ngày ở tương lai.")
    if day.year < EARLIEST_YEAR:
        raise CellError(f"Ngày trước năm {EARLIEST_YEAR}.")
    return day


def _limited(limit: int) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = as_text(value)
        if len(text) > limit:
            raise CellError(f"Dài quá {limit} ký tự.")
        return text

    return parse


def _parsed(parser: Callable[[str], Any], message: str) -> Callable[[Any], Any]:
    def parse(value: Any) -> Any:
        found = parser(as_text(value))
        if found is None:
            raise CellError(message)
        return found

    return parse


def _money(value: Any) -> int:
    if isinstance(value, int | float) and not isinstance(value, bool):
        if value < 0 or not float(value).is_integer():
            raise CellError("Tiền thưởng là số nguyên không âm (đồng).")
        return int(value)
    text = as_text(value).replace(".", "").replace(",", "").replace(" ", "").removesuffix("đ")
    if not text.isdigit():
        raise CellError("Tiền thưởng là số nguyên (đồng), ví dụ 1.265.000.")
    return int(text)


PARSERS: dict[str, Callable[[Any], Any]] = {
    "citizen_id": lambda v: as_code(v, width=12),
    "unit_code": _limited(40),
    "full_name": _limited(120),
    "year": _year,
    "value": _parsed(parse_rating, "Không phải mức xếp loại (HTXS, HTT, HT, KHT)."),
    "award": _parsed(parse_award, "Không nhận ra danh hiệu, hình thức khen thưởng này."),
    "decision_number": _limited(60),
    "decided_on": _past_date,
    "decided_by": _limited(255),
    "received_at": _limited(255),
    "prize_vnd": _money,
    "kind": lambda v: v,  # read per import kind below
    "code": _limited(40),
    "title": _limited(255),
    "scope": _parsed(parse_scope, "Phạm vi là Cơ sở; Bộ, ngành, tỉnh; hoặc Toàn quốc."),
    "used_for": _parsed(parse_award, "Không nhận ra danh hiệu, hình thức khen thưởng này."),
    "used_year": _year,
    "form": _parsed(parse_discipline_form, "Không phải hình thức kỷ luật (Khiển trách, Cảnh cáo…)."),
    "since": _past_date,
    "until": as_date,
}
KIND_PARSERS: dict[str, Callable[[Any], Any]] = {
    "initiatives": _parsed(parse_initiative_kind, "Loại là Sáng kiến hoặc Đề tài, đề án khoa học."),
    "proceedings": _parsed(parse_proceeding_kind, "Không phải loại vụ việc đang xem xét."),
}


# --- checking ------------------------------------------------------------------------------------


@dataclass
class _Row:
    number: int
    values: dict[str, Any]
    raw: dict[str, Any]
    person: Person | None = None
    unit: Unit | None = None

    @property
    def subject_key(self) -> str:
        return f"p{self.person.pk}" if self.person is not None else f"u{self.unit.pk if self.unit else 0}"

    @property
    def subject_label(self) -> str:
        if self.person is not None:
            return f"{self.person.citizen_id} {self.person.full_name}"
        return f"{self.unit.code} {self.unit.name}" if self.unit else ""


class _Checker:
    def __init__(self, spec: HistorySpec, written: dict[str, str]) -> None:
        self.spec = spec
        self.headers = {c.key: written.get(c.key, c.header) for c in spec.columns}
        self.problems: list[Problem] = []

    def add(self, row: _Row, key: str, message: str) -> None:
        self.problems.append(
            Problem(row.number, self.headers.get(key, key), display(row.raw.get(key)), message)
        )


def _parse_rows(kind: str, table: Any, positions: dict[str, int], checker: _Checker) -> list[_Row]:
    rows = []
    for number, cells in table.rows:
        row = _Row(number, {}, {})
        for key, position in positions.items():
            raw = cells[position] if position < len(cells) else None
            if is_empty(raw):
                continue
            row.raw[key] = raw
            if isinstance(raw, ExcelError):  # an Excel error, a number not finite, a NUL character
                checker.add(row, key, capfirst(raw.message) + ".")
                continue
            parser = KIND_PARSERS[kind] if key == "kind" else PARSERS[key]
            try:
                row.values[key] = parser(raw)
            except CellError as exc:
                checker.add(row, key, str(exc))
        rows.append(row)
    return rows


def _resolve_subjects(rows: list[_Row], checker: _Checker, actor: Any) -> None:
    """Find each row's person or unit; names, scope and the person-or-unit rule checked here."""
    cids = {r.values["citizen_id"] for r in rows if "citizen_id" in r.values}
    codes = {r.values["unit_code"] for r in rows if "unit_code" in r.values}
    people: dict[str, Person] = {}
    for where in in_values(Person, "citizen_id", sorted(cids), "text"):
        for p in Person.objects.filter(**where).select_related("current_unit"):
            people[p.citizen_id] = p
    units = {u.code: u for u in Unit.objects.filter(code__in=codes)}
    for row in rows:
        has_cid, has_unit = "citizen_id" in row.raw, "unit_code" in row.raw
        if has_cid and has_unit:
            checker.add(row, "unit_code", "Ghi Số CCCD (cá nhân) hoặc Mã đơn vị (tập thể), không ghi cả hai.")
            continue
        if not has_cid and not has_unit:
            key = "citizen_id"
            message = (
                "Thiếu Số CCCD (cá nhân) hoặc Mã đơn vị (tập thể)."
                if checker.spec.collectives
                else "Thiếu Số CCCD."
            )
            checker.add(row, key, message)
            continue
        if has_cid:
            cid = row.values.get("citizen_id")
            if cid is None:
                continue
            person = people.get(cid)
            if person is None:
                checker.add(row, "citizen_id", "Không có người có số CCCD này (hãy nhập nhân sự trước).")
                continue
            if actor is not None and not can_change_person(actor, person):
                checker.add(row, "citizen_id", "Người này thuộc đơn vị ngoài phạm vi quản lý của bạn.")
                continue
            name = row.values.get("full_name")
            if name and fold(name) != fold(person.full_name):
                checker.add(row, "full_name", f"Không khớp với tên trong hệ thống: {person.full_name}.")
                continue
            row.person = person
        else:
            code = row.values.get("unit_code")
            if code is None:
                continue
            unit = units.get(code)
            if unit is None:
                checker.add(row, "unit_code", "Không có đơn vị có mã này.")
                continue
            if actor is not None and not can_change_unit(actor, unit):
                checker.add(row, "unit_code", "Đơn vị ngoài phạm vi quản lý của bạn.")
                continue
            name = row.values.get("full_name")
            if name and fold(name) != fold(unit.name):
                checker.add(row, "full_name", f"Không khớp với tên đơn vị trong hệ thống: {unit.name}.")
                continue
            row.unit = unit


def _subject_fields(row: _Row) -> dict[str, Any]:
    return {"person_id": row.person.pk if row.person else None, "unit_id": row.unit.pk if row.unit else None}


def _subject_filter(rows: Iterable[_Row]) -> dict[str, Any]:
    return {
        "person_ids": {r.person.pk for r in rows if r.person is not None},
        "unit_ids": {r.unit.pk for r in rows if r.unit is not None},
    }


def _key_of(obj: Any) -> str:
    return f"p{obj.person_id}" if obj.person_id else f"u{obj.unit_id}"


def _existing(model: Any, rows: list[_Row]) -> list[Any]:
    ids = _subject_filter(rows)
    found = list(model.objects.filter(person_id__in=ids["person_ids"]))
    if ids["unit_ids"] and any(f.name == "unit" for f in model._meta.get_fields()):
        found += list(model.objects.filter(unit_id__in=ids["unit_ids"]))
    return found


class _Plan:
    """Adds one row's outcome to the plan, refusing the same record twice in a file."""

    def __init__(self, plan: HistoryPlan, checker: _Checker) -> None:
        self.plan = plan
        self.checker = checker
        self.first_row: dict[tuple[Any, ...], int] = {}

    def seen(self, row: _Row, key: tuple[Any, ...], column: str) -> bool:
        if key in self.first_row:
            self.checker.add(row, column, f"Trùng với dòng {self.first_row[key]} của tệp.")
            return True
        self.first_row[key] = row.number
        return False

    def add(self, row: _Row, write: Write, label: str, changes: list[str] | None = None) -> None:
        self.plan.results.append(RowResult(row.number, row.subject_label, label, write.action, changes or []))
        self.plan.writes.append(write)


def _check_ratings(rows: list[_Row], out: _Plan) -> None:
    existing = {(_key_of(r), r.year): r for r in _existing(Rating, rows)}
    labels = dict(Rating._meta.get_field("value").choices or [])  # type: ignore[union-attr]
    for row in rows:
        year, value = row.values.get("year"), row.values.get("value")
        if year is None or value is None or (row.person is None and row.unit is None):
            continue
        if out.seen(row, (row.subject_key, year), "year"):
            continue
        label = f"{year}: {labels.get(value, value)}"
        stored = existing.get((row.subject_key, year))
        if stored is None:
            out.add(row, Write("create", {**_subject_fields(row), "year": year, "value": value}), label)
        elif stored.value == value:
            out.add(row, Write("unchanged", {}, stored.pk), label)
        else:
            change = (
                f"Mức xếp loại {year}: {labels.get(stored.value, stored.value)} → {labels.get(value, value)}"
            )
            out.add(row, Write("update", {"value": value}, stored.pk), label, [change])


def _check_awards(rows: list[_Row], out: _Plan, checker: _Checker) -> None:
    existing = _existing(AwardRecord, rows)
    by_title = {(_key_of(a), a.award_id, a.year): a for a in existing if a.kind == AwardRecord.Kind.TITLE}
    by_form = {(_key_of(a), a.award_id, a.decided_on): a for a in existing if a.kind == AwardRecord.Kind.FORM}
    for row in rows:
        award, decided_on = row.values.get("award"), row.values.get("decided_on")
        if award is None or decided_on is None or (row.person is None and row.unit is None):
            continue
        subject = "individual" if row.person is not None else "collective"
        if subject not in award.subjects:
            who = "cá nhân" if subject == "individual" else "tập thể"
            checker.add(row, "award", f"{award_name(award.id)} không dành cho {who}.")
            continue
        year = row.values.get("year")
        if year is None and "year" in row.raw:
            continue  # an unreadable year is reported already
        if year is None:
            if award.is_title:
                checker.add(row, "year", "Danh hiệu thi đua cần năm thành tích.")
                continue
            year = decided_on.year
        if decided_on.year < year:
            checker.add(row, "decided_on", f"Ngày quyết định trước năm thành tích {year}.")
            continue
        values = {
            **_subject_fields(row),
            "kind": AwardRecord.Kind.TITLE if award.is_title else AwardRecord.Kind.FORM,
            "award_id": award.id,
            "year": year,
            "decided_on": decided_on,
            "decision_number": row.values.get("decision_number", ""),
            "decided_by": row.values.get("decided_by", ""),
            "received_at": row.values.get("received_at", ""),
            "prize_vnd": row.values.get("prize_vnd"),
        }
        key = (row.subject_key, award.id, year if award.is_title else decided_on)
        if out.seen(row, key, "award"):
            continue
        label = (
            f"{award_name(award.id)} {year}"
            if award.is_title
            else f"{award_name(award.id)} {decided_on:%d/%m/%Y}"
        )
        stored = (by_title if award.is_title else by_form).get(key)
        if stored is None:
            out.add(row, Write("create", values), label)
            continue
        differs = [
            checker.headers[k]
            for k in ("decision_number", "decided_by", "received_at", "prize_vnd")
            if k in row.values and getattr(stored, k) != values[k]
        ]
        if award.is_title and stored.decided_on != decided_on:
            differs.insert(0, checker.headers["decided_on"])
        if stored.revoked_on is not None:
            checker.add(row, "award", f"Đã có {label} nhưng đã bị thu hồi ngày {stored.revoked_on:%d/%m/%Y}.")
        elif differs:
            checker.add(
                row,
                "award",
                f"Đã có {label} với {', '.join(differs).lower()} khác: hệ thống không ghi đè khen thưởng đã có; "
                "hãy sửa dòng này hoặc sửa trên trang của người, tập thể.",
            )
        else:
            out.add(row, Write("unchanged", {}, stored.pk), label)


def _initiative_code(year: int, taken: set[str]) -> str:
    """The next free "SK-<year>-<n>": a register-like number, with no personal data (no CCCD) in it."""
    numbers = [code.rsplit("-", 1)[1] for code in taken if code.startswith(f"SK-{year}-")]
    code = f"SK-{year}-{1 + max((int(n) for n in numbers if n.isdigit()), default=0):04d}"
    taken.add(code)
    return code


def _check_initiatives(rows: list[_Row], out: _Plan, checker: _Checker) -> None:
    persons = {r.person.pk for r in rows if r.person is not None}
    codes = {r.values["code"] for r in rows if "code" in r.values}
    stored_all = list(Initiative.objects.filter(person_id__in=persons)) + list(
        Initiative.objects.filter(code__in=codes).exclude(person_id__in=persons)
    )
    by_code = {i.code: i for i in stored_all}
    by_title = {(i.person_id, i.year, fold(i.title)): i for i in stored_all}
    taken = set(by_code)
    for year in {r.values["year"] for r in rows if "year" in r.values}:
        taken |= set(Initiative.objects.filter(code__startswith=f"SK-{year}-").values_list("code", flat=True))
    for row in rows:
        person, title, year, scope = (
            row.person,
            row.values.get("title"),
            row.values.get("year"),
            row.values.get("scope"),
        )
        if person is None or title is None or year is None or scope is None:
            continue
        used_for = ""
        if "used_for" in row.values:
            used_year = row.values.get("used_year")
            used_for = row.values["used_for"].id + (f":{used_year}" if used_year else "")
            try:
                USED_FOR_VALIDATOR(used_for)
            except Exception:
                checker.add(row, "used_for", "Không ghi được danh hiệu đã dùng.")
                continue
        elif "used_year" in row.values:
            checker.add(row, "used_for", "Có năm dùng để khen nhưng thiếu danh hiệu, hình thức.")
            continue
        values = {
            "person_id": person.pk,
            "kind": row.values.get("kind", Initiative.Kind.INITIATIVE),
            "title": title,
            "year": year,
            "scope": scope,
            "used_for": used_for,
        }
        code = row.values.get("code")
        stored = by_code.get(code) if code else by_title.get((person.pk, year, fold(title)))
        key = ("code", code) if code else ("title", person.pk, year, fold(title))
        if out.seen(row, key, "code" if code else "title"):
            continue
        label = f"{title} ({year})"
        if stored is None:
            values["code"] = code or _initiative_code(year, taken)
            out.add(row, Write("create", values), label)
            continue
        if stored.person_id != person.pk:
            checker.add(row, "code", "Mã sáng kiến này đã thuộc về người khác.")
            continue
        differs = [
            checker.headers[k]
            for k in ("kind", "title", "year", "scope", "used_for")
            if (k in row.values or (k == "used_for" and "used_for" in row.values))
            and getattr(stored, k) != values[k]
        ]
        if differs:
            checker.add(
                row,
                "code" if code else "title",
                f"Đã có sáng kiến này với {', '.join(differs).lower()} khác: hệ thống không ghi đè sáng kiến đã có "
                "(có thể đã được dùng để khen).",
            )
        else:
            out.add(row, Write("unchanged", {}, stored.pk), label)


def _check_disciplines(rows: list[_Row], out: _Plan, checker: _Checker) -> None:
    existing = {(d.person_id, d.form, d.decided_on): d for d in _existing(Discipline, rows)}
    labels = dict(Discipline.Form.choices)
    for row in rows:
        form, decided_on, until = (
            row.values.get("form"),
            row.values.get("decided_on"),
            row.values.get("until"),
        )
        number = row.values.get("decision_number")
        if row.person is None or form is None or decided_on is None or ("until" in row.raw and until is None):
            continue
        if until is not None and until < decided_on:
            checker.add(row, "until", "Ngày hết hiệu lực trước ngày quyết định.")
            continue
        if out.seen(row, (row.person.pk, form, decided_on), "form"):
            continue
        label = f"{labels[form]} {decided_on:%d/%m/%Y}"
        stored = existing.get((row.person.pk, form, decided_on))
        if stored is None:
            out.add(
                row,
                Write(
                    "create",
                    {
                        "person_id": row.person.pk,
                        "form": form,
                        "decided_on": decided_on,
                        "until": until,
                        "decision_number": number or "",
                    },
                ),
                label,
            )
            continue
        values: dict[str, Any] = {}
        changes: list[str] = []
        if "until" in row.values and stored.until != until:
            values["until"] = until
            changes.append(f"Hết hiệu lực: {_d(stored.until)} → {_d(until)}")
        if number and stored.decision_number != number:
            values["decision_number"] = number
            changes.append(f"Số quyết định: {stored.decision_number or '(trống)'} → {number}")
        if values:
            out.add(row, Write("update", values, stored.pk), label, changes)
        else:
            out.add(row, Write("unchanged", {}, stored.pk), label)


def _check_proceedings(rows: list[_Row], out: _Plan, checker: _Checker) -> None:
    existing = {(_key_of(p), p.kind, p.since): p for p in _existing(PendingProceeding, rows)}
    labels = dict(PendingProceeding.Kind.choices)
    for row in rows:
        kind, since, until = row.values.get("kind"), row.values.get("since"), row.values.get("until")
        if (row.person is None and row.unit is None) or kind is None or since is None:
            continue
        if "until" in row.raw and until is None:
            continue
        if until is not None and until < since:
            checker.add(row, "until", "Ngày kết thúc trước ngày bắt đầu.")
            continue
        if out.seen(row, (row.subject_key, kind, since), "kind"):
            continue
        label = f"{labels[kind]} từ {since:%d/%m/%Y}"
        stored = existing.get((row.subject_key, kind, since))
        if stored is None:
            out.add(
                row,
                Write("create", {**_subject_fields(row), "kind": kind, "since": since, "until": until}),
                label,
            )
        elif "until" in row.values and stored.until != until:
            change = f"Kết thúc: {_d(stored.until)} → {_d(until)}"
            out.add(row, Write("update", {"until": until}, stored.pk), label, [change])
        else:
            out.add(row, Write("unchanged", {}, stored.pk), label)


def _d(day: date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else "(trống)"


# --- entry points ----------------------------------------------------------------------------------


def check_file(kind: str, data: bytes, filename: str, *, actor: Any) -> HistoryPlan:
    """Read and check a whole file without writing: every problem, or what each row will do."""
    spec = SPECS[kind]
    plan = HistoryPlan(kind=kind, filename=filename)
    if actor is not None and not can_import(actor):
        plan.problems.append(Problem(None, "", "", "Bạn không có quyền nhập dữ liệu."))
        return plan
    try:
        check_limits(data, filename)
        table = read_table(data, filename, spec.reading)
    except ImportFileError as exc:
        plan.problems.append(Problem(None, "", "", exc.message))
        return plan
    if len(table.rows) > MAX_ROWS:
        plan.problems.append(
            Problem(None, "", "", f"Tệp có {len(table.rows)} dòng, quá {MAX_ROWS} dòng mỗi lần nhập.")
        )
        return plan
    positions, written, header_problems = match_columns(table, spec.reading)
    if header_problems:
        plan.problems.extend(header_problems)
        return plan
    if not table.rows:
        plan.problems.append(Problem(None, "", "", "Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào."))
        return plan
    checker = _Checker(spec, written)
    rows = _parse_rows(kind, table, positions, checker)
    if not spec.collectives:
        for row in rows:
            row.raw.pop("unit_code", None)
    _resolve_subjects(rows, checker, actor)
    out = _Plan(plan, checker)
    if kind == "ratings":
        _check_ratings(rows, out)
    elif kind == "awards":
        _check_awards(rows, out, checker)
    elif kind == "initiatives":
        _check_initiatives(rows, out, checker)
    elif kind == "disciplines":
        _check_disciplines(rows, out, checker)
    else:
        _check_proceedings(rows, out, checker)
    order = {c.key: i for i, c in enumerate(spec.columns)}
    header_order = {checker.headers[k]: order[k] for k in order}
    plan.problems = sorted(checker.problems, key=lambda p: (p.row or 0, header_order.get(p.column, 99)))
    if plan.problems:
        plan.results.clear()
        plan.writes.clear()
    return plan


def commit_file(kind: str, data: bytes, filename: str, *, actor: Any) -> HistoryPlan:
    """Check the file again and, only if nothing is wrong, write it all in one transaction."""
    from thidua.history.services import write_history

    plan = HistoryPlan(kind=kind, filename=filename)
    try:
        with transaction.atomic():
            plan = check_file(kind, data, filename, actor=actor)
            if not plan.ok:
                return plan
            plan.written = write_history(kind, plan.writes, actor=actor, source=filename)
    except DomainError as exc:
        plan.problems.append(Problem(None, "", "", exc.message))
        plan.written = None
    except DataError:  # a value the database refused that no check stopped
        plan.problems.append(Problem(None, "", "", UNWRITABLE))
        plan.written = None
    except IntegrityError:
        plan.problems.append(
            Problem(
                None, "", "", "Dữ liệu vừa được người khác thay đổi trong lúc ghi: không ghi gì, hãy thử lại."
            )
        )
        plan.written = None
    return plan


def template_choices(kind: str) -> dict[str, list[str]]:
    """Drop-down lists of the .xlsx template of `kind`."""
    from thidua.history.models import RatingValue

    lists: dict[str, list[str]] = {}
    if kind == "ratings":
        lists["value"] = [label for _, label in RatingValue.choices]
    if kind == "awards":
        lists["award"] = sorted({award_name(a) for a in known_awards()})
    if kind == "initiatives":
        lists["kind"] = [label for _, label in Initiative.Kind.choices]
        lists["scope"] = [label for _, label in Initiative.Scope.choices]
        lists["used_for"] = sorted({award_name(a) for a in known_awards()})
    if kind == "disciplines":
        lists["form"] = [label for _, label in Discipline.Form.choices]
    if kind == "proceedings":
        lists["kind"] = [label for _, label in PendingProceeding.Kind.choices]
    return lists
