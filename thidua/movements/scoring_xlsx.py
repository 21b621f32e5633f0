"""Scoring tables and rankings as .xlsx (openpyxl). No Django import.

- :func:`table_to_xlsx` / :func:`table_from_xlsx`: a scoring table round-trips through a workbook
  with Vietnamese headers (Mã, Tiêu chí, Điểm tối đa, Phương pháp chấm, Tham số…); import errors
  name the sheet, row and column.
- :func:`ranking_to_xlsx`: a cluster's ranking fitted to one A4 landscape page width.

Every text cell starting with = + - @ is written as text (never as a formula).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import yaml
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from thidua.lib import xlsx
from thidua.lib.numbers import format_number
from thidua.lib.sheets import ExcelError, SheetRefused, open_xlsx
from thidua.lib.text import load_untrusted_yaml

from .scoring import (
    METHOD_LABELS,
    Adjustment,
    Criterion,
    FiguresError,
    Issue,
    RankedUnit,
    ScoringTable,
    TableError,
    figure_keys,
    figures_from_rows,
    load_table,
)
from .scoring.loader import adjustment_to_dict, criterion_to_dict
from .scoring.numbers import plain

SHEET_INFO = "Thông tin"
SHEET_CRITERIA = "Tiêu chí"
SHEET_BONUS = "Điểm thưởng"
SHEET_PENALTIES = "Điểm trừ"
SHEET_FIGURES = "Số liệu"

CRITERIA_HEADERS = ("Mã", "Tiêu chí", "Điểm tối đa", "Phương pháp chấm", "Tham số", "Cấp", "Thông tin khác")
ADJUSTMENT_HEADERS = ("Mã", "Nội dung", "Cách tính", "Tham số", "Mức trần", "Loại trừ", "Thông tin khác")
INFO_HEADERS = ("Khóa", "Giá trị (JSON)")
FIGURE_HEADERS = ("Đơn vị", "Mã", "Khóa", "Giá trị", "Tiêu chí", "Hướng dẫn")

_BOLD = Font(name=xlsx.FONT_NAME, size=xlsx.BODY_PT, bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")

Source = bytes | str | Path | IO[bytes]


# -- cells --------------------------------------------------------------------------------------
def set_cell(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Write a value through the one writer (formula guard, Times New Roman, border)."""
    if isinstance(value, Decimal):
        value = plain(value)
    return xlsx.write(ws, row, column, value, border=True)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _header(ws: Worksheet, row: int, headers: Sequence[str], widths: Sequence[float]) -> None:
    xlsx.header_row(ws, row, headers, widths)
    ws.freeze_panes = f"A{row + 1}"


def _finish(ws: Worksheet, title_rows: str, *, first_row: int = 1) -> None:
    xlsx.fit_row_heights(ws, first_row)
    xlsx.print_setup(ws, title_rows=title_rows)


# -- table export -------------------------------------------------------------------------------
def method_label(method: str) -> str:
    return f"{METHOD_LABELS[method]} ({method})"


SHEET_PRINT = "Bảng chấm điểm"


def _print_sheet(ws: Worksheet, table: ScoringTable) -> None:
    """The table as a person reads and prints it: code, criterion (indented, groups bold), maximum
    points and method, then the bonus and penalty items and the totals. Not read back on import."""
    title = str(table.meta.get("title") or table.meta.get("name") or "BẢNG CHẤM ĐIỂM THI ĐUA")
    widths = (10, 70, 12, 34)
    for column, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
    xlsx.write(ws, 1, 1, title.upper(), bold=True, size=14, align="center", wrap=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(widths))
    _header(ws, 3, ("Mã", "Tiêu chí", "Điểm tối đa", "Phương pháp chấm"), widths)
    row = 4

    def line(code: str, name: str, points: Any, method: str, *, bold: bool, indent: int = 0) -> None:
        nonlocal row
        xlsx.write(ws, row, 1, code, bold=bold, border=True)
        xlsx.write(ws, row, 2, name, bold=bold, wrap=True, indent=indent, border=True)
        value = plain(points) if isinstance(points, Decimal) else points
        xlsx.write(ws, row, 3, value, bold=bold, align="right", border=True, number_format="#,##0.##")
        xlsx.write(ws, row, 4, method, wrap=True, border=True)
        row += 1

    def walk(criterion: Criterion, level: int) -> None:
        method = METHOD_LABELS.get(criterion.method or "", "") if criterion.method else ""
        line(
            criterion.code,
            criterion.name,
            criterion.max_points,
            method,
            bold=not criterion.is_leaf,
            indent=level - 1,
        )
        for child in criterion.children:
            walk(child, level + 1)

    for criterion in table.criteria:
        walk(criterion, 1)
    line("", "Cộng điểm cơ bản", table.base_max, "", bold=True)
    for heading, items, cap in (
        ("Điểm thưởng", table.bonus, table.bonus_max),
        ("Điểm trừ", table.penalties, table.penalty_cap),
    ):
        if not items:
            continue
        line(
            "",
            heading + (f" (tối đa {format_number(cap, None)} điểm)" if cap is not None else ""),
            None,
            "",
            bold=True,
        )
        for item in items:
            line(item.code, item.name, item.cap, "", bold=False, indent=1)
    _finish(ws, "3:3")


def table_to_xlsx(table: ScoringTable) -> bytes:
    """The table as a workbook: a printable sheet (Bảng chấm điểm), then the sheets read back on
    import: Thông tin, Tiêu chí, Điểm thưởng, Điểm trừ."""
    wb = xlsx.new_workbook()
    _print_sheet(wb.create_sheet(SHEET_PRINT), table)
    info = wb.create_sheet(SHEET_INFO)
    _header(info, 1, INFO_HEADERS, (28, 100))
    row = 2
    meta = dict(table.meta)
    points = dict(meta.get("points") or {})
    points.update(
        base_max=plain(table.base_max),
        bonus_max=None if table.bonus_max is None else plain(table.bonus_max),
        penalty_cap=None if table.penalty_cap is None else plain(table.penalty_cap),
    )
    if table.floor_at_zero or "floor_at_zero" in points:
        points["floor_at_zero"] = table.floor_at_zero
    meta["points"] = points
    for key, value in meta.items():
        set_cell(info, row, 1, f"meta.{key}")
        set_cell(info, row, 2, _json(value)).alignment = _WRAP
        row += 1
    for key, value in table.extra.items():
        set_cell(info, row, 1, key)
        set_cell(info, row, 2, _json(value)).alignment = _WRAP
        row += 1

    ws = wb.create_sheet(SHEET_CRITERIA)
    _header(ws, 1, CRITERIA_HEADERS, (10, 60, 11, 34, 40, 6, 30))
    row = 2

    def write(criterion: Criterion, level: int) -> None:
        nonlocal row
        data = criterion_to_dict(criterion)
        params = data.pop("params", None)
        for key in ("code", "name", "max_points", "method", "children"):
            data.pop(key, None)
        set_cell(ws, row, 1, criterion.code).font = Font(
            name=xlsx.FONT_NAME, size=xlsx.BODY_PT, bold=not criterion.is_leaf
        )
        name = set_cell(ws, row, 2, criterion.name)
        name.alignment = Alignment(wrap_text=True, vertical="top", indent=level - 1)
        name.font = Font(name=xlsx.FONT_NAME, size=xlsx.BODY_PT, bold=not criterion.is_leaf)
        set_cell(ws, row, 3, criterion.max_points).number_format = "0.##"
        if criterion.method:
            set_cell(ws, row, 4, method_label(criterion.method)).alignment = _WRAP
        if params:
            set_cell(ws, row, 5, _json(params)).alignment = _WRAP
        set_cell(ws, row, 6, level)
        if data:
            set_cell(ws, row, 7, _json(data)).alignment = _WRAP
        row += 1
        for child in criterion.children:
            write(child, level + 1)

    for criterion in table.criteria:
        write(criterion, 1)

    for title, items in ((SHEET_BONUS, table.bonus), (SHEET_PENALTIES, table.penalties)):
        sheet = wb.create_sheet(title)
        _header(sheet, 1, ADJUSTMENT_HEADERS, (10, 60, 22, 40, 10, 10, 30))
        for r, item in enumerate(items, start=2):
            _write_adjustment(sheet, r, item)
    for sheet in wb.worksheets[1:]:
        _finish(sheet, "1:1")
    return xlsx.to_bytes(wb)


def _write_adjustment(ws: Worksheet, row: int, item: Adjustment) -> None:
    data = adjustment_to_dict(item)
    for key in ("code", "name", "cap", "also_disqualifies", "kind"):
        data.pop(key, None)
    params = {k: data.pop(k) for k in list(data) if k in _ADJUSTMENT_PARAMS}
    set_cell(ws, row, 1, item.code)
    set_cell(ws, row, 2, item.name).alignment = _WRAP
    set_cell(ws, row, 3, item.kind)
    if params:
        set_cell(ws, row, 4, _json(params)).alignment = _WRAP
    if item.cap is not None:
        set_cell(ws, row, 5, item.cap)
    set_cell(ws, row, 6, "x" if item.disqualifies else None)
    if data:
        set_cell(ws, row, 7, _json(data)).alignment = _WRAP


_ADJUSTMENT_PARAMS = {
    "per_unit",
    "unit_step_percent",
    "based_on",
    "threshold",
    "per_event",
    "per_event_by_level",
}


# -- table import -------------------------------------------------------------------------------
class _Reader:
    def __init__(self) -> None:
        self.issues: list[Issue] = []
        # dict path prefix → (sheet, row); used to turn load_table's paths into rows and columns
        self.rows: dict[str, tuple[str, int]] = {}

    def error(self, sheet: str, row: int, column: str | None, value: object, message: str) -> None:
        where = f"Trang «{sheet}», dòng {row}" + (f", cột {column}" if column else "")
        self.issues.append(Issue(where, message, value))

    def json(self, sheet: str, row: int, column: str, raw: object) -> Any:
        if raw is None or raw == "":
            return None
        if not isinstance(raw, str):
            self.error(sheet, row, column, raw, 'phải là JSON, ví dụ {"full_at": 100}')
            return None
        try:
            return json.loads(raw)
        except json.JSONDecodeError as exc:
            json_error = f"{exc.msg}, ký tự {exc.pos + 1}"
        # Officers may type the friendlier YAML flow style: {full_at: 100, zero_at: 95}
        try:
            value = load_untrusted_yaml(raw)
        except (yaml.YAMLError, ValueError):
            value = None
        if isinstance(value, dict | list):
            return value
        self.error(sheet, row, column, raw, f"JSON không hợp lệ ({json_error})")
        return None

    def sheet_rows(
        self, wb: Any, title: str, headers: Sequence[str], *, required: bool
    ) -> list[tuple[int, tuple[Any, ...]]]:
        if title not in wb.sheetnames:
            if required:
                self.issues.append(Issue(f"Trang «{title}»", "thiếu trang này trong tệp", show_value=False))
            return []
        rows = wb[title].rows()
        if not rows:
            return []
        found = tuple("" if v is None else str(v).strip() for v in rows[0][: len(headers)])
        if found[: len(headers)] != tuple(headers):
            self.error(title, 1, None, ", ".join(found), "tiêu đề cột phải là: " + ", ".join(headers))
            return []
        out = []
        for number, values in enumerate(rows[1:], start=2):
            padded = tuple(values) + (None,) * (len(headers) - len(values))
            if all(v is None or v == "" for v in padded[: len(headers)]):
                continue
            bad = [(headers[i], v) for i, v in enumerate(padded[: len(headers)]) if isinstance(v, ExcelError)]
            for column, value in bad:
                self.error(title, number, column, value, value.message)
            if not bad:
                out.append((number, padded))
        return out

    def criteria(self, rows: list[tuple[int, tuple[Any, ...]]]) -> list[dict[str, Any]]:
        roots: list[dict[str, Any]] = []
        stack: list[tuple[int, dict[str, Any], str]] = []  # (level, node, path)
        for number, values in rows:
            code, name, max_points, method, params, level, extra = values[:7]
            code_text = "" if code is None else str(code).strip()
            if level is None or level == "":
                level = code_text.count(".") + 1 if code_text else 1
            if not isinstance(level, int) or isinstance(level, bool) or level < 1:
                self.error(SHEET_CRITERIA, number, "Cấp", level, "cấp phải là số nguyên ≥ 1")
                continue
            while stack and stack[-1][0] >= level:
                stack.pop()
            if level > (stack[-1][0] + 1 if stack else 1):
                self.error(
                    SHEET_CRITERIA,
                    number,
                    "Cấp",
                    level,
                    "cấp nhảy bậc (không có tiêu chí cha ở cấp liền trên)",
                )
                continue
            node: dict[str, Any] = {"code": code_text, "name": name, "max_points": max_points}
            if method not in (None, ""):
                match = re.search(r"\((\w+)\)\s*$", str(method))
                node["method"] = match.group(1) if match else str(method).strip()
            parsed_params = self.json(SHEET_CRITERIA, number, "Tham số", params)
            if parsed_params is not None:
                node["params"] = parsed_params
            parsed_extra = self.json(SHEET_CRITERIA, number, "Thông tin khác", extra)
            if isinstance(parsed_extra, dict):
                node.update({k: v for k, v in parsed_extra.items() if k not in node})
            elif parsed_extra is not None:
                self.error(SHEET_CRITERIA, number, "Thông tin khác", extra, "phải là một đối tượng JSON {…}")
            if stack:
                parent = stack[-1][1]
                siblings = parent.setdefault("children", [])
                path = f"{stack[-1][2]}.children[{len(siblings)}]"
                siblings.append(node)
            else:
                path = f"criteria[{len(roots)}]"
                roots.append(node)
            self.rows[path] = (SHEET_CRITERIA, number)
            stack.append((level, node, path))
        return roots

    def adjustments(
        self, title: str, key: str, rows: list[tuple[int, tuple[Any, ...]]]
    ) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for number, values in rows:
            code, name, kind, params, cap, disqualifies, extra = values[:7]
            node: dict[str, Any] = {"code": "" if code is None else str(code).strip(), "name": name}
            if kind not in (None, ""):
                node["kind"] = str(kind).strip()
            parsed = self.json(title, number, "Tham số", params)
            if isinstance(parsed, dict):
                node.update(parsed)
            elif parsed is not None:
                self.error(title, number, "Tham số", params, "phải là một đối tượng JSON {…}")
            if cap not in (None, ""):
                node["cap"] = cap
            if disqualifies not in (None, ""):
                node["also_disqualifies"] = str(disqualifies).strip().lower() in ("x", "có", "true", "1")
            parsed_extra = self.json(title, number, "Thông tin khác", extra)
            if isinstance(parsed_extra, dict):
                node.update({k: v for k, v in parsed_extra.items() if k not in node})
            self.rows[f"{key}[{len(out)}]"] = (title, number)
            out.append(node)
        return out

    def translate(self, issue: Issue) -> Issue:
        """Turn "criteria[0].children[1].max_points" into "Trang «Tiêu chí», dòng 7, cột Điểm tối đa"."""
        best = ""
        for prefix in self.rows:
            if (issue.path == prefix or issue.path.startswith(prefix + ".")) and len(prefix) > len(best):
                best = prefix
        if not best:
            return issue
        sheet, row = self.rows[best]
        rest = issue.path[len(best) + 1 :]
        field = rest.split(".", 1)[0].split("[", 1)[0]
        columns = _CRITERIA_COLUMNS if sheet == SHEET_CRITERIA else _ADJUSTMENT_COLUMNS
        column = columns.get(field, "Tham số" if sheet != SHEET_CRITERIA else "Thông tin khác")
        where = f"Trang «{sheet}», dòng {row}, cột {column}"
        if rest and ("." in rest or column in ("Tham số", "Thông tin khác")):
            where += f" ({rest})"
        return Issue(where, issue.message, issue.value, issue.show_value)


_CRITERIA_COLUMNS = {
    "code": "Mã",
    "name": "Tiêu chí",
    "max_points": "Điểm tối đa",
    "method": "Phương pháp chấm",
    "params": "Tham số",
    "grades": "Tham số",
    "items": "Tham số",
    "children": "Cấp",
}
_ADJUSTMENT_COLUMNS = {
    "code": "Mã",
    "name": "Nội dung",
    "kind": "Cách tính",
    "cap": "Mức trần",
    "also_disqualifies": "Loại trừ",
}


def table_from_xlsx(source: Source) -> ScoringTable:
    """Read a workbook written by :func:`table_to_xlsx` (or filled in by hand in that layout).

    Raises :class:`TableError` whose messages name the sheet, row and column.
    """
    try:
        wb = open_xlsx(source)  # size, columns, rows and cells checked before reading
    except SheetRefused as exc:
        raise TableError(
            [Issue("Tệp", f"không đọc được tệp .xlsx — {exc.message}", show_value=False)]
        ) from exc
    reader = _Reader()
    data: dict[str, Any] = {"meta": {}}
    for number, values in reader.sheet_rows(wb, SHEET_INFO, INFO_HEADERS, required=False):
        key, raw = values[0], values[1]
        value = reader.json(SHEET_INFO, number, "Giá trị (JSON)", raw)
        if not isinstance(key, str) or not key:
            reader.error(SHEET_INFO, number, "Khóa", key, "thiếu khóa")
        elif key.startswith("meta."):
            data["meta"][key[5:]] = value
        else:
            data[key] = value
    data["criteria"] = reader.criteria(reader.sheet_rows(wb, SHEET_CRITERIA, CRITERIA_HEADERS, required=True))
    for title, key in ((SHEET_BONUS, "bonus"), (SHEET_PENALTIES, "penalties")):
        items = reader.adjustments(
            title, key, reader.sheet_rows(wb, title, ADJUSTMENT_HEADERS, required=False)
        )
        if items:
            data[key] = items
    wb.close()
    if reader.issues:
        raise TableError(reader.issues)
    try:
        return load_table(data)
    except TableError as error:
        raise TableError([reader.translate(issue) for issue in error.issues]) from None


# -- figures ------------------------------------------------------------------------------------
def figures_template_xlsx(table: ScoringTable, units: Sequence[str]) -> bytes:
    """A sheet to fill in: one row per unit and figure (Đơn vị, Mã, Khóa, Giá trị, Tiêu chí, Hướng dẫn)."""
    wb = xlsx.new_workbook()
    ws = wb.create_sheet(SHEET_FIGURES)
    _header(ws, 1, FIGURE_HEADERS, (28, 9, 16, 14, 60, 50))
    row = 2
    keys = figure_keys(table)
    for unit in units:
        for code, name, key, hint in keys:
            for column, value in enumerate((unit, code, key, None, name, hint), start=1):
                set_cell(ws, row, column, value).alignment = _WRAP
            row += 1
    _finish(ws, "1:1")
    return xlsx.to_bytes(wb)


def figures_from_xlsx(table: ScoringTable, source: Source) -> dict[str, dict[str, Any]]:
    """Read the figures sheet (see :func:`figures_template_xlsx`) into ``{unit: {code: figure}}``.

    Raises :class:`FiguresError` whose messages start with the row ("Dòng 7 (Bắc Ninh / I.1.1.actual): …").
    """
    try:
        with open_xlsx(source) as wb:  # size, columns, rows and cells checked before reading
            ws = wb[SHEET_FIGURES] if SHEET_FIGURES in wb.sheetnames else wb.worksheets[0]
            rows = ws.rows()
    except (SheetRefused, IndexError) as exc:
        message = exc.message if isinstance(exc, SheetRefused) else "tệp không có trang tính nào"
        raise FiguresError([Issue("Tệp", f"không đọc được tệp .xlsx — {message}", show_value=False)]) from exc
    header = tuple(_text_cell(v) for v in (rows[0] if rows else ())[:4])
    if header != FIGURE_HEADERS[:4]:
        raise FiguresError(
            [
                Issue(
                    f"Trang «{ws.title}», dòng 1",
                    "tiêu đề cột phải là: " + ", ".join(FIGURE_HEADERS[:4]),
                    ", ".join(header),
                )
            ]
        )
    return figures_from_rows(table, [tuple(r[:4]) for r in rows[1:]], first_row=2)


def _text_cell(value: Any) -> str:
    return "" if value is None else str(value).strip()


# -- ranking export -----------------------------------------------------------------------------
def ranking_to_xlsx(
    ranked: Sequence[RankedUnit],
    *,
    title: str,
    subtitle: str = "",
    table: ScoringTable | None = None,
    details: bool = True,
) -> bytes:
    """A ranking as a workbook fitted to the width of an A4 landscape page.

    Columns: Hạng, Đơn vị, the subtotal of each top-level criterion (when ``table`` is given),
    Điểm cơ bản, Điểm thưởng, Điểm trừ, Tổng điểm, Ghi chú. With ``details``, a second sheet lists
    every leaf's points and the Vietnamese explanation of its computation.
    """
    wb = xlsx.new_workbook()
    ws = wb.create_sheet("Xếp hạng")
    groups: list[Criterion] = list(table.criteria) if table is not None else []
    headers = [
        "Hạng",
        "Đơn vị",
        *[f"{c.code} ({plain(c.max_points)})" for c in groups],
        "Điểm cơ bản",
        "Điểm thưởng",
        "Điểm trừ",
        "Tổng điểm",
        "Ghi chú",
    ]
    widths = [7, 30, *[10] * len(groups), 11, 11, 10, 11, 60]
    last = get_column_letter(len(headers))
    xlsx.write(ws, 1, 1, title, bold=True, size=14, wrap=True, align="center")
    ws.merge_cells(f"A1:{last}1")
    if subtitle:
        xlsx.write(ws, 2, 1, subtitle, italic=True, wrap=True, align="center")
        ws.merge_cells(f"A2:{last}2")
    _header(ws, 4, headers, widths)
    for row, item in enumerate(ranked, start=5):
        score = item.score
        notes = [n for n in (item.note, *score.notes) if n]
        if score.disqualified:
            notes.append("Không được xét danh hiệu")
        values: list[Any] = [
            item.rank,
            item.unit,
            *[
                score.subtotals.get(c.code, score.leaves[c.code].points if c.code in score.leaves else None)
                for c in groups
            ],
            score.base,
            score.bonus,
            score.penalty,
            score.total,
            "; ".join(notes),
        ]
        for column, value in enumerate(values, start=1):
            cell = set_cell(ws, row, column, value)
            cell.alignment = _WRAP
            if isinstance(value, Decimal):
                cell.number_format = "0.00"
        ws.cell(row=row, column=len(headers) - 1).font = _BOLD
    _finish(ws, "4:4")

    if details:
        sheet = wb.create_sheet("Chi tiết")
        _header(sheet, 1, ("Đơn vị", "Mã", "Điểm", "Tối đa", "Diễn giải"), (30, 10, 9, 9, 90))
        row = 2
        for item in ranked:
            for leaf in item.score.leaves.values():
                values = [
                    item.unit,
                    leaf.code,
                    leaf.points if leaf.assigned else None,
                    leaf.max_points,
                    leaf.explanation,
                ]
                for column, value in enumerate(values, start=1):
                    cell = set_cell(sheet, row, column, value)
                    cell.alignment = _WRAP
                    if isinstance(value, Decimal):
                        cell.number_format = "0.00"
                row += 1
            for adjustment, sign in (
                *((a, "+") for a in item.score.bonus_items.values()),
                *((a, "−") for a in item.score.penalty_items.values()),
            ):
                values = [
                    item.unit,
                    adjustment.code,
                    adjustment.points,
                    None,
                    f"({sign}) {adjustment.explanation}",
                ]
                for column, value in enumerate(values, start=1):
                    cell = set_cell(sheet, row, column, value)
                    cell.alignment = _WRAP
                    if isinstance(value, Decimal):
                        cell.number_format = "0.00"
                row += 1
        _finish(sheet, "1:1")
    return xlsx.to_bytes(wb)


def ranking_rows(ranked: Sequence[RankedUnit]) -> list[Mapping[str, Any]]:
    """The ranking as plain rows (for CSV or an API)."""
    return [
        {
            "rank": r.rank,
            "unit": r.unit,
            "base": r.score.base,
            "bonus": r.score.bonus,
            "penalty": r.score.penalty,
            "total": r.score.total,
            "note": r.note,
        }
        for r in ranked
    ]
