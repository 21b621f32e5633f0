"""The .xlsx lists behind the list pages: columns and Vietnamese headers (no Django).

Each function takes plain rows (the Django side reads them through the same filters and access
helpers as the page) and returns an `XlsxSheet` for `render_xlsx`, which neutralises formulas and
sets A4 landscape.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from thidua.documents.xlsx_render import DATE_FORMAT, MONEY_FORMAT, CellValue, XlsxColumn, XlsxSheet

__all__ = ["AuditRow", "PersonRow", "UnitRow", "audit_sheet", "people_sheet", "units_sheet"]


@dataclass(frozen=True)
class PersonRow:
    full_name: str
    citizen_id: str
    gender: str
    date_of_birth: date | None
    title: str
    unit: str


@dataclass(frozen=True)
class UnitRow:
    depth: int
    name: str
    code: str
    kind: str
    parent: str
    valid_to: date | None
    people: int | None = None


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    actor: str
    action: str
    object_repr: str
    detail: str


def _titles(title: str, subtitle: str) -> list[str]:
    return [title, subtitle] if subtitle else [title]


def people_sheet(rows: Iterable[PersonRow], *, subtitle: str = "") -> XlsxSheet:
    columns: Sequence[XlsxColumn] = [
        XlsxColumn("STT", 6, align="center"),
        XlsxColumn("Họ và tên", 28),
        XlsxColumn("Số CCCD", 16),
        XlsxColumn("Giới tính", 9),
        XlsxColumn("Ngày sinh", 12, DATE_FORMAT),
        XlsxColumn("Chức vụ", 26, wrap=True),
        XlsxColumn("Đơn vị", 45, wrap=True),
    ]
    data: list[list[CellValue]] = [
        [i, r.full_name, r.citizen_id, r.gender, r.date_of_birth, r.title, r.unit]
        for i, r in enumerate(rows, start=1)
    ]
    return XlsxSheet("Nhân sự", columns, data, title_rows=_titles("DANH SÁCH NHÂN SỰ", subtitle))


def units_sheet(rows: Iterable[UnitRow], *, subtitle: str = "") -> XlsxSheet:
    columns = [
        XlsxColumn("STT", 6, align="center"),
        XlsxColumn("Tên đơn vị", 55, wrap=True),
        XlsxColumn("Mã đơn vị", 16),
        XlsxColumn("Loại đơn vị", 22),
        XlsxColumn("Đơn vị cấp trên", 40, wrap=True),
        XlsxColumn("Cấp", 6, align="center"),
        XlsxColumn("Số nhân sự", 11, MONEY_FORMAT),
        XlsxColumn("Trạng thái", 24),
    ]
    data: list[list[CellValue]] = [
        [
            i,
            "    " * r.depth + r.name,
            r.code,
            r.kind,
            r.parent,
            r.depth,
            r.people,
            f"Ngừng từ {r.valid_to:%d/%m/%Y}" if r.valid_to else "Đang hoạt động",
        ]
        for i, r in enumerate(rows, start=1)
    ]
    return XlsxSheet("Đơn vị", columns, data, title_rows=_titles("CƠ CẤU TỔ CHỨC", subtitle))


def audit_sheet(rows: Iterable[AuditRow], *, subtitle: str = "") -> XlsxSheet:
    columns = [
        XlsxColumn("Thời điểm", 19, "dd/mm/yyyy hh:mm:ss"),
        XlsxColumn("Người thực hiện", 20),
        XlsxColumn("Thao tác", 28),
        XlsxColumn("Đối tượng", 40, wrap=True),
        XlsxColumn("Chi tiết", 60, wrap=True),
    ]
    data: list[list[CellValue]] = [[r.at, r.actor, r.action, r.object_repr, r.detail] for r in rows]
    return XlsxSheet("Nhật ký", columns, data, title_rows=_titles("NHẬT KÝ THAO TÁC", subtitle))
