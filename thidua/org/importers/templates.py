"""The empty import files offered for download (.xlsx with a guide sheet, .csv)."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import Literal

from thidua.lib import xlsx
from thidua.lib.ethnic_groups import ethnic_groups
from thidua.org.importers.spec import SPECS, ImportSpec
from thidua.org.kinds import kind_choices
from thidua.org.models import Person
from thidua.org.organisation import current_organisation

GUIDE = (
    "Ngày ghi dạng dd/mm/yyyy (ví dụ 05/09/1985) hoặc định dạng ngày của Excel.",
    "Ô để trống: giữ nguyên giá trị hiện có khi cập nhật; giá trị mặc định khi thêm mới.",
    "Nhập lại cùng mã / số CCCD sẽ cập nhật, không tạo bản trùng.",
)


def build_template(kind: str, fmt: Literal["xlsx", "csv"]) -> bytes:
    """The empty import file: Vietnamese headers (and, in .xlsx, a guide sheet and drop-down lists)."""
    choices = {
        "gender": [str(label) for _, label in Person.Gender.choices],
        "is_legal_entity": ["Có", "Không"],
        "is_direct_worker": ["Có", "Không"],
        "ethnicity": [name for _, name in ethnic_groups()],
        "kind": [label for _, label in kind_choices(current_organisation())],
    }
    return build_spec_template(SPECS[kind], fmt, choices=choices)


def build_spec_template(
    spec: ImportSpec,
    fmt: Literal["xlsx", "csv"],
    *,
    choices: Mapping[str, Sequence[str]],
    guide_lines: Sequence[str] = GUIDE,
) -> bytes:
    """The empty file of any import spec (the history import uses it too): the header row; in .xlsx
    also drop-down lists for the columns in `choices` and a guide sheet with `guide_lines` and the notes."""
    if fmt == "csv":
        text = io.StringIO(newline="")
        csv.writer(text).writerow([c.header for c in spec.columns])
        return text.getvalue().encode("utf-8-sig")
    from openpyxl.styles import PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = xlsx.new_workbook()
    sheet = workbook.create_sheet(spec.sheet)
    fill = PatternFill("solid", fgColor="FDE7E5")
    for index, column in enumerate(spec.columns, start=1):
        xlsx.write(
            sheet,
            1,
            index,
            column.header + (" *" if column.required else ""),
            bold=True,
            wrap=True,
            align="center",
            valign="center",
            border=True,
            fill=fill,
        )
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(14, len(column.header) + 6)
        if column.text:  # keep leading zeros of codes and ids typed by the user
            for row in range(2, 2002):
                sheet.cell(row=row, column=index).number_format = "@"
    sheet.freeze_panes = "A2"
    xlsx.fit_row_heights(sheet, 1, 1)
    xlsx.print_setup(sheet, title_rows="1:1")
    lists = workbook.create_sheet("Danh mục")
    list_column = 0
    for index, column in enumerate(spec.columns, start=1):
        if column.key not in choices:
            continue
        list_column += 1
        values = choices[column.key]
        list_letter = get_column_letter(list_column)
        xlsx.write(lists, 1, list_column, column.header, bold=True)
        for offset, value in enumerate(values, start=2):
            xlsx.write(lists, offset, list_column, value)
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
        *guide_lines,
        "",
    ]
    guide.column_dimensions["A"].width = 28
    guide.column_dimensions["B"].width = 90
    for number, line in enumerate(lines, start=1):
        xlsx.write(guide, number, 1, line, bold=number == 1, size=13 if number == 1 else 12)
    start = len(lines) + 1
    for offset, column in enumerate(spec.columns):
        xlsx.write(guide, start + offset, 1, column.header, bold=True, wrap=True, border=True)
        note = ("Bắt buộc. " if column.required else "") + column.note
        xlsx.write(guide, start + offset, 2, note, wrap=True, border=True)
    xlsx.fit_row_heights(guide)
    xlsx.print_setup(lists, landscape=False)
    xlsx.print_setup(guide, landscape=False)
    return xlsx.to_bytes(workbook)
