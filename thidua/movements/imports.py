"""Results from an Excel sheet: one row per unit, one column per figure; every row checked, all or nothing.

Layout (the template from `results_template`): row 1 title, row 2 Vietnamese headers, row 3 the
column keys (`Mã đơn vị`, then `I.1.1.actual`…), data from row 4. Only the keys row is read, so the
columns may be in any order and the headers may be edited.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, Any

from django.db import transaction
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from thidua.audit.services import log
from thidua.core.errors import DomainError
from thidua.lib import xlsx
from thidua.lib.sheets import ExcelError, SheetRefused, open_xlsx
from thidua.lib.text import excerpt
from thidua.lib.xlsx import new_workbook
from thidua.movements import scoring
from thidua.movements.figures import (
    Column,
    column_for_issue,
    figure_columns,
    figures_from_flat,
    flat_from_figures,
)
from thidua.movements.models import Movement, Result, participating_units, period_label
from thidua.movements.services import (
    check_open,
    cluster_of,
    json_safe,
    load_table_record,
    save_result,
    table_for,
)

UNIT_KEY = "Mã đơn vị"
KEY_ROW = 3
FIRST_ROW = 4


@dataclass(frozen=True)
class RowIssue:
    row: int
    column: str  # "C (I.1.1.target)"
    value: Any
    message: str

    def __post_init__(self) -> None:
        if isinstance(self.value, str):
            object.__setattr__(self, "value", excerpt(self.value))  # never echo more than an excerpt

    def __str__(self) -> str:
        shown = "(trống)" if self.value in (None, "") else f"«{excerpt(self.value)}»"
        return f"Dòng {self.row}, cột {self.column}: {shown} — {self.message}"


class ImportRejected(DomainError):
    """Nothing was saved; `issues` lists every problem with its row, column and value."""

    def __init__(self, issues: list[RowIssue]) -> None:
        super().__init__(f"Tệp có {len(issues)} lỗi, chưa nhập dòng nào")
        self.issues = issues


def results_template(movement: Movement, year: int, period: str, units: list[Any]) -> Workbook:
    """A sheet to fill in: headers, keys row, one row per unit with the figures already entered."""
    record = table_for(movement, year, None)
    if record is None:
        raise DomainError(f"Phong trào chưa có bảng chấm điểm năm {year}")
    columns = figure_columns(load_table_record(record))
    wb = new_workbook()
    ws = wb.create_sheet("Kết quả")
    title = f"Kết quả thi đua {period_label(period, year)} — {movement.title}"
    xlsx.write(ws, 1, 1, title, bold=True, size=13)
    headers = ["Mã đơn vị", "Tên đơn vị", *(c.label for c in columns)]
    keys = [UNIT_KEY, "", *(c.key for c in columns)]
    xlsx.header_row(ws, 2, headers, [28, 28, *[16] * len(columns)])
    for index, key in enumerate(keys, start=1):
        xlsx.write(ws, KEY_ROW, index, key, italic=True, size=10, border=True)
    stored = {
        r.unit_id: r.figures for r in Result.objects.filter(movement=movement, year=year, period=period)
    }
    for row, unit in enumerate(units, start=FIRST_ROW):
        xlsx.write(ws, row, 1, unit.code, border=True)
        xlsx.write(ws, row, 2, unit.name, border=True, wrap=True)
        flat = flat_from_figures(columns, stored.get(unit.pk, {}))
        for index, col in enumerate(columns, start=3):
            xlsx.write(ws, row, index, flat.get(col.key), border=True)
    ws.freeze_panes = f"C{FIRST_ROW}"
    xlsx.fit_row_heights(ws, 2)
    xlsx.print_setup(ws, title_rows=f"2:{KEY_ROW}")
    return wb


def _label(index: int, key: str) -> str:
    return f"{get_column_letter(index)} ({key})"


@transaction.atomic
def import_results_xlsx(
    *,
    actor: Any,
    movement: Movement,
    year: int,
    period: str,
    file: IO[bytes],
    allowed_units: set[int] | None = None,
) -> list[Result]:
    """Read the sheet, check every row (unit, numbers, codes, grades…) and save all rows or none."""
    check_open(movement)
    try:
        with open_xlsx(file) as wb:  # size, columns, rows and cells checked before reading
            if not wb.worksheets:
                raise SheetRefused("Tệp .xlsx không có trang tính nào.")
            rows = wb.worksheets[0].rows()
    except SheetRefused as exc:
        raise DomainError(exc.message, field="file") from exc
    if len(rows) < KEY_ROW or not rows[KEY_ROW - 1] or rows[KEY_ROW - 1][0] != UNIT_KEY:
        raise DomainError(
            f"Tệp không đúng mẫu: dòng {KEY_ROW} phải là dòng mã cột, bắt đầu bằng «{UNIT_KEY}». "
            "Hãy tải mẫu từ trang kết quả.",
            field="file",
        )
    keys = [str(k).strip() if k is not None else "" for k in rows[KEY_ROW - 1]]
    issues: list[RowIssue] = []
    units = {u.code: u for u in participating_units(movement)}
    tables: dict[int | None, tuple[scoring.ScoringTable, list[Column]]] = {}
    parsed: list[tuple[Any, dict[str, Any]]] = []
    seen: set[str] = set()
    for offset, values in enumerate(rows[KEY_ROW:], start=FIRST_ROW):
        if not values or all(v is None or str(v).strip() == "" for v in values):
            continue
        code = str(values[0]).strip() if values[0] is not None else ""
        unit = units.get(code)
        if unit is None:
            issues.append(
                RowIssue(offset, _label(1, UNIT_KEY), code, "không phải đơn vị tham gia phong trào")
            )
            continue
        if allowed_units is not None and unit.pk not in allowed_units:
            issues.append(
                RowIssue(offset, _label(1, UNIT_KEY), code, "bạn không có quyền nhập số liệu của đơn vị này")
            )
            continue
        if code in seen:
            issues.append(RowIssue(offset, _label(1, UNIT_KEY), code, "đơn vị xuất hiện nhiều lần trong tệp"))
            continue
        seen.add(code)
        cluster = cluster_of(unit, year)
        record = table_for(movement, year, cluster)
        if record is None:
            issues.append(RowIssue(offset, _label(1, UNIT_KEY), code, f"chưa có bảng chấm điểm năm {year}"))
            continue
        cache_key = record.pk
        if cache_key not in tables:
            table = load_table_record(record)
            tables[cache_key] = (table, figure_columns(table))
        table, columns = tables[cache_key]
        known = {c.key: c for c in columns}
        flat: dict[str, Any] = {}
        for index, key in enumerate(keys[2:], start=3):
            value = values[index - 1] if index - 1 < len(values) else None
            if not key:
                continue
            if isinstance(value, ExcelError):
                issues.append(RowIssue(offset, _label(index, key), value, value.message))
                continue
            if key not in known:
                if value not in (None, ""):
                    issues.append(
                        RowIssue(offset, _label(index, key), value, "cột không có trong bảng chấm điểm")
                    )
                continue
            flat[key] = value
        figures = json_safe(figures_from_flat(columns, flat))
        for issue in scoring.validate_figures(table, figures):
            col = column_for_issue(columns, issue.path)
            index = keys.index(col.key) + 1 if col is not None and col.key in keys else 1
            issues.append(
                RowIssue(offset, _label(index, col.key if col else issue.path), issue.value, issue.message)
            )
        existing = Result.objects.filter(movement=movement, unit=unit, year=year, period=period).first()
        if existing is not None and existing.status != Result.Status.DRAFT:
            issues.append(
                RowIssue(
                    offset,
                    _label(1, UNIT_KEY),
                    code,
                    f"kết quả của đơn vị đã ở trạng thái «{existing.get_status_display()}», không ghi đè",
                )
            )
        parsed.append((unit, figures))
    if issues:
        raise ImportRejected(issues)
    if not parsed:
        raise DomainError("Tệp không có dòng số liệu nào", field="file")
    saved = [
        save_result(actor=actor, movement=movement, unit=unit, year=year, period=period, figures=figures)
        for unit, figures in parsed
    ]
    log(
        "result.imported",
        actor=actor,
        obj=movement,
        unit_path=movement.scope_path,
        detail={"period": period_label(period, year), "units": [u.code for u, _ in parsed]},
    )
    return saved
