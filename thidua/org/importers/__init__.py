"""Import of units and people from .xlsx / .csv files: reading, header matching, checking, templates.

`check_file` reads a whole file and returns an `ImportPlan`: every problem of the file (Excel row
number, column header, value, what is wrong, in Vietnamese) or, when there is none, the checked rows
ready for `services.import_units` / `services.import_people` with what each row will do.
`commit_file` runs the same check again inside one transaction and keeps the writes only when nothing
is wrong (people: written while the rows are checked, rolled back at the first problem, every row
still checked for the report).
Nothing here decides access by itself: scope questions go to `thidua.org.permissions`.

An empty cell keeps the current value of an existing unit or person (new ones get the defaults).
"""

from thidua.org.importers.checks import check_file, commit_file, iter_problem_lines
from thidua.org.importers.reading import Table, header_key, match_columns, read_table
from thidua.org.importers.spec import (
    PEOPLE_COLUMNS,
    SPECS,
    UNIT_COLUMNS,
    Column,
    ImportFileError,
    ImportKind,
    ImportPlan,
    ImportSpec,
    Problem,
    RowResult,
)
from thidua.org.importers.templates import build_template
from thidua.org.importers.values import (
    CellError,
    as_bool,
    as_code,
    as_date,
    as_email,
    as_gender,
    as_phone,
    as_text,
    as_unit_kind,
    display,
)

__all__ = [
    "PEOPLE_COLUMNS",
    "SPECS",
    "UNIT_COLUMNS",
    "CellError",
    "Column",
    "ImportFileError",
    "ImportKind",
    "ImportPlan",
    "ImportSpec",
    "Problem",
    "RowResult",
    "Table",
    "as_bool",
    "as_code",
    "as_date",
    "as_email",
    "as_gender",
    "as_phone",
    "as_text",
    "as_unit_kind",
    "build_template",
    "check_file",
    "commit_file",
    "display",
    "header_key",
    "iter_problem_lines",
    "match_columns",
    "read_table",
]
