"""A report as plain data: sections of rows with typed columns, a chart and notes. One template
shows any report (chart beside its table), one writer turns it into .xlsx (a sheet per section)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from thidua.lib.xlsx import XlsxColumn, XlsxSheet, render_xlsx

Kind = Literal["text", "int", "money", "pct", "dec"]
Cell = str | int | float | Decimal | None


@dataclass(frozen=True)
class Col:
    header: str
    kind: Kind = "int"


@dataclass
class Section:
    title: str
    columns: Sequence[Col]
    rows: list[list[Cell]]
    chart: str = ""
    note: str = ""
    total: list[Cell] | None = None

    @property
    def wide(self) -> bool:
        """Many columns: the table takes the whole width, under its chart."""
        return len(self.columns) > 3

    @property
    def typed_rows(self) -> list[list[tuple[Cell, Kind]]]:
        """Rows with each cell's kind, for the template."""
        return [
            [(value, col.kind) for value, col in zip(row, self.columns, strict=False)] for row in self.rows
        ]

    @property
    def typed_total(self) -> list[tuple[Cell, Kind]]:
        return [(value, col.kind) for value, col in zip(self.total or [], self.columns, strict=False)]


@dataclass
class Report:
    slug: str
    title: str
    scope: str
    sections: list[Section]
    notes: list[str] = field(default_factory=list)


_FORMATS: dict[str, str | None] = {
    "int": "#,##0",
    "money": "#,##0",
    "pct": "0.0",
    "dec": "0.00",
    "text": None,
}


def _header(col: Col) -> str:
    return f"{col.header} (%)" if col.kind == "pct" and "%" not in col.header else col.header


def report_xlsx(report: Report) -> bytes:
    """The report as a workbook: a sheet per section, the title and the scope above each table."""
    sheets = []
    for number, section in enumerate(report.sections, start=1):
        longest = max((len(str(row[0])) for row in section.rows if row), default=10)
        columns = [
            XlsxColumn(
                _header(col),
                width=min(60.0, max(12.0, longest * 1.05)) if col.kind == "text" and i == 0 else None,
                number_format=_FORMATS[col.kind],
                wrap=col.kind == "text",  # the writer gives wrapped rows their height
                align=None if col.kind == "text" else "right",
            )
            for i, col in enumerate(section.columns)
        ]
        rows: list[list[Cell]] = [
            [float(v) if isinstance(v, Decimal) else v for v in row] for row in section.rows
        ]
        total = [float(v) if isinstance(v, Decimal) else v for v in section.total] if section.total else None
        footer = [section.note] if section.note else []
        if number == len(report.sections):
            footer.extend(report.notes)
        sheets.append(
            XlsxSheet(
                name=f"{number}. {section.title}"[:31],
                columns=columns,
                rows=rows,
                title_rows=[report.title, section.title, report.scope]
                if section.title != report.title
                else [report.title, report.scope],
                footer_rows=footer,
                total_row=total,
            )
        )
    return render_xlsx(sheets)
