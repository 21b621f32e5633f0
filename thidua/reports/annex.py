"""The data annex of the year-end summary report (phụ lục số liệu kèm theo báo cáo tổng kết công
tác thi đua, khen thưởng): the year's tables for one unit's subtree, as a page, .xlsx and .docx
(NĐ 30/2020 layout, through the documents app's renderer)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import QuerySet

from thidua.documents.docx_render import render_docx
from thidua.documents.official import Column, OfficialDocument, Paragraph, Table
from thidua.lib.numbers import format_number
from thidua.movements.models import Movement
from thidua.org.models import Unit
from thidua.reports import stats
from thidua.reports.report import Cell, Report, Section

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
TEXT_WIDTH_MM = 165.0


def annex_report(unit: Unit, year: int, movements: QuerySet[Movement]) -> Report:
    f = stats.Filters(unit, year, year)
    shares = stats.shares_report(f)
    prize = stats.prize_report(f)
    units = stats.units_report(f)
    movement = stats.movements_report(movements, unit, year)
    sections = [
        stats.award_breakdown(f, "title"),
        stats.award_breakdown(f, "form"),
        shares.sections[1],
        prize.sections[1],
        units.sections[0],
        movement.sections[0],
    ]
    titles = [
        "Danh hiệu thi đua",
        "Hình thức khen thưởng",
        "Tỷ lệ nữ, người lao động trực tiếp, người dân tộc thiểu số theo cấp khen thưởng",
        "Tiền thưởng theo danh hiệu, hình thức",
        f"Khen thưởng theo đơn vị trực thuộc {unit.name}",
        "Phong trào thi đua: tham gia, đăng ký, báo cáo đúng hạn",
    ]
    for number, (section, title) in enumerate(zip(sections, titles, strict=True)):
        section.title = f"{ROMAN[number]}. {title}"
    return Report(
        "tong-ket",
        f"Phụ lục số liệu thi đua, khen thưởng năm {year}",
        f"Kèm theo Báo cáo tổng kết công tác thi đua, khen thưởng năm {year} của {unit.name}",
        sections,
        stats._notes(),
    )


def _cell(value: Cell, kind: str) -> str | int | None:
    if value is None or value == "":
        return ""
    if kind == "pct":
        return f"{format_number(value, 1)}%"
    if kind == "dec":
        return format_number(value, 2)
    if isinstance(value, Decimal):
        return format_number(value)
    if isinstance(value, float):
        return format_number(value)
    return value


def _table(section: Section) -> Table:
    first = 50.0 if len(section.columns) > 6 else 62.0
    rest = (TEXT_WIDTH_MM - first) / max(1, len(section.columns) - 1)
    columns = [
        Column(col.header, first if i == 0 else rest, "left" if col.kind == "text" else "right")
        for i, col in enumerate(section.columns)
    ]
    rows = [[_cell(v, c.kind) for v, c in zip(row, section.columns, strict=False)] for row in section.rows]
    total = (
        [_cell(v, c.kind) for v, c in zip(section.total, section.columns, strict=False)]
        if section.total
        else None
    )
    return Table(columns, rows, total_row=total, font_size=10 if len(section.columns) > 6 else 11)


def annex_docx(report: Report, unit: Unit, year: int) -> bytes:
    parent = unit.parent
    body: list[Paragraph | Table] = [Paragraph(report.scope, italic=True, align="center", indent=False)]
    for section in report.sections:
        body.append(Paragraph(section.title, bold=True, indent=False, align="left"))
        if section.rows:
            body.append(_table(section))
        else:
            body.append(Paragraph("Không có số liệu.", italic=True, indent=False))
        if section.note:
            body.append(Paragraph(section.note, italic=True, indent=False))
    body.extend(Paragraph(note, italic=True, indent=False) for note in report.notes)
    document = OfficialDocument(
        issuer=unit.name,
        parent_body=parent.name if parent is not None else "",
        number_symbol=f"      /BC-{unit.symbol or unit.short_name or 'BHXH'}",
        place=unit.place_name or "Hà Nội",
        date=None,
        date_text=f"{unit.place_name or 'Hà Nội'}, ngày      tháng      năm {max(year + 1, date.today().year)}",
        type_label="PHỤ LỤC",
        title=f"Số liệu thi đua, khen thưởng năm {year}",
        body=body,
    )
    return render_docx(document)
