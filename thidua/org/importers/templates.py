"""The empty import files offered for download (.xlsx with a guide sheet, .csv)."""

from __future__ import annotations

import csv
import io
from typing import Any, Literal

from thidua.lib.ethnic_groups import ethnic_groups
from thidua.org.importers.spec import SPECS
from thidua.org.models import Person, Unit


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
        "is_direct_worker": ["Có", "Không"],
        "ethnicity": [name for _, name in ethnic_groups()],
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
