"""Background job of eligibility: a whole unit's people (a province, the organisation) evaluated for
every individual title and form, with progress, written as a file (the page answers at once and
shows progress).

Set-based (`batch.evaluate_organisation`): one streamed query per history table, the columnar
engine, then one query for the names of the people the user may see. Up to `XLSX_MAX_ROWS` result
rows the file is an .xlsx; above (a whole organisation of a million people has millions of rows,
more than a worksheet holds) it is a CSV in UTF-8 with a BOM, which Excel opens with its accents.
Collectives are evaluated on each unit's own page, not in this job.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import numpy as np
from django.db import connections

from thidua.accounts.models import User
from thidua.core.db import compile_sql
from thidua.documents.builders.from_db import DocumentError
from thidua.documents.jobs import JobOutput, Progress, handler
from thidua.documents.models import Job
from thidua.eligibility.batch import evaluate_organisation
from thidua.lib.numbers import format_number
from thidua.lib.xlsx import FORMULA_PREFIXES, CellValue, XlsxColumn, XlsxSheet, neutralise, render_xlsx
from thidua.org.models import Person, Unit
from thidua.org.permissions import visible_people, visible_units
from thidua.rules.columnar import DEFERRED, ELIGIBLE
from thidua.rules.names import award_name

XLSX_MAX_ROWS = 10_000  # the styled .xlsx writer does about 1.000 rows/s on this machine
HEADERS = ["STT", "Danh hiệu, hình thức", "Họ và tên", "Đơn vị", "Kết quả xét"]
LABELS = {ELIGIBLE: "Đủ điều kiện", DEFERRED: "Tạm hoãn xét"}


def _csv_text(value: str) -> str:
    """A cell of the CSV: as in the .xlsx, a text a spreadsheet would run as a formula stays text."""
    text = neutralise(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


@handler(Job.Kind.ELIGIBILITY_XLSX)
def eligibility_xlsx(job: Job, progress: Progress) -> JobOutput:
    user = job.created_by
    if not isinstance(user, User):
        raise DocumentError("Người tạo việc không còn tồn tại")
    unit = visible_units(user).filter(pk=job.params.get("unit")).first()
    if not isinstance(unit, Unit):
        raise DocumentError("Không tìm thấy đơn vị, hoặc bạn không còn quyền xem đơn vị này")
    year = int(job.params.get("year", 0))
    percents = iter(range(5, 60, 7))
    result = evaluate_organisation(
        unit, year=year, step=lambda message: progress(next(percents, 60), message)
    )
    progress(65, f"Đã xét {format_number(len(result.person_ids))} người; đang lấy họ tên")
    # The people the user may see, in the order of the list: by unit, then by name. Read in the order
    # of the (unit, sort key) index, then the units put in the order of their names.
    visible = (
        visible_people(user)
        .filter(pk__in=Person.objects.of_unit(unit, year, reach="subtree").values("pk"))
        .order_by("current_unit_id", "sort_key")
        .values_list("pk", "full_name", "current_unit_id")
    )
    found: list[tuple[Any, ...]] = []
    compiled = compile_sql(visible)  # None: the user may see nobody
    if compiled is not None:
        sql, sql_params = compiled
        with connections[visible.db].cursor() as cursor:
            cursor.execute(sql, sql_params)
            found = cursor.fetchall()
    unit_of = np.fromiter((u or 0 for _, _, u in found), dtype=np.int64, count=len(found))
    unit_names = dict(Unit.objects.filter(pk__in=np.unique(unit_of).tolist()).values_list("pk", "name"))
    by_name = {pk: rank for rank, pk in enumerate(sorted(unit_names, key=lambda pk: unit_names[pk]))}
    order = np.argsort(
        np.fromiter((by_name.get(u, -1) for u in unit_of.tolist()), dtype=np.int64, count=len(found)),
        kind="stable",
    ).tolist()
    pks = [found[k][0] for k in order]
    names = [found[k][1] for k in order]
    units = [unit_names.get(found[k][2] or 0, "") for k in order]
    del found
    ids = result.person_ids
    where = np.searchsorted(ids, np.asarray(pks, dtype=np.int64))
    where = np.minimum(where, max(len(ids) - 1, 0))
    evaluated = ids[where] == np.asarray(pks, dtype=np.int64) if len(ids) else np.zeros(len(pks), dtype=bool)
    progress(80, "Đang ghi tệp kết quả")
    verdicts = result.verdicts
    selections: list[tuple[str, np.ndarray, np.ndarray]] = []
    for j, item in enumerate(verdicts.items):
        codes = verdicts.codes[where, j] if len(ids) else np.zeros(len(pks), dtype=np.int8)
        rows = np.flatnonzero(evaluated & ((codes == ELIGIBLE) | (codes == DEFERRED)))
        if rows.size:
            selections.append((award_name(item, on=result.as_of), rows, codes[rows]))
    selections.sort(key=lambda s: s[0])
    total = sum(rows.size for _, rows, _ in selections)

    def result_rows() -> Iterator[tuple[int, str, str, str, str]]:
        number = 0
        for title, rows, codes in selections:
            for k, code in zip(rows.tolist(), codes.tolist(), strict=True):
                number += 1
                yield number, title, names[k], units[k], LABELS[code]

    heading = f"Người đủ điều kiện khen thưởng năm {year} — {unit.name}"
    counted = f"{format_number(int(evaluated.sum()))} người được xét"
    if total <= XLSX_MAX_ROWS:
        sheet = XlsxSheet(
            name="Đủ điều kiện",
            columns=[
                XlsxColumn("STT", 6, align="center"),
                XlsxColumn("Danh hiệu, hình thức", 36, wrap=True),
                XlsxColumn("Họ và tên", 28),
                XlsxColumn("Đơn vị", 36, wrap=True),
                XlsxColumn("Kết quả xét", 16),
            ],
            rows=[list[CellValue](row) for row in result_rows()],
            title_rows=[heading, counted],
        )
        return JobOutput(f"xet-dieu-kien-{year}-{unit.code}.xlsx", render_xlsx(sheet))
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel reads the accents of a UTF-8 CSV only with this mark
    writer = csv.writer(buffer)
    writer.writerow([heading])
    writer.writerow([counted])
    writer.writerow(HEADERS)
    writer.writerows(
        [number, title, _csv_text(name), _csv_text(unit_name), label]
        for number, title, name, unit_name, label in result_rows()
    )
    return JobOutput(f"xet-dieu-kien-{year}-{unit.code}.csv", buffer.getvalue().encode("utf-8"))
