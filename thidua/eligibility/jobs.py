"""Background job of eligibility: a whole unit's people (a province, the organisation) evaluated for
every individual title, with progress, written as .xlsx (the page answers at once and shows progress)."""

from __future__ import annotations

from thidua.accounts.models import User
from thidua.documents.builders.from_db import DocumentError
from thidua.documents.jobs import JobOutput, Progress, handler
from thidua.documents.models import Job
from thidua.eligibility import services
from thidua.lib.xlsx import CellValue, XlsxColumn, XlsxSheet, render_xlsx
from thidua.org.models import Unit
from thidua.org.permissions import visible_people, visible_units

CHUNK = 500


@handler(Job.Kind.ELIGIBILITY_XLSX)
def eligibility_xlsx(job: Job, progress: Progress) -> JobOutput:
    user = job.created_by
    if not isinstance(user, User):
        raise DocumentError("Người tạo việc không còn tồn tại")
    unit = visible_units(user).filter(pk=job.params.get("unit")).first()
    if not isinstance(unit, Unit):
        raise DocumentError("Không tìm thấy đơn vị, hoặc bạn không còn quyền xem đơn vị này")
    year = int(job.params.get("year", 0))
    people = list(
        visible_people(user)
        .filter(current_unit__path__startswith=unit.path)
        .select_related("current_unit")
        .order_by("sort_key")
    )
    progress(2, f"Đang đọc hồ sơ {len(people)} người")
    rows: list[list[CellValue]] = []
    for start in range(0, len(people), CHUNK):
        chunk = people[start : start + CHUNK]
        for title in services.unit_candidates(unit, year=year, people=chunk):
            for row in title.eligible:
                rows.append(
                    [
                        title.name,
                        row.person.full_name,
                        row.person.current_unit.name if row.person.current_unit else "",
                        "Đủ điều kiện",
                    ]
                )
            for row in title.deferred:
                rows.append(
                    [
                        title.name,
                        row.person.full_name,
                        row.person.current_unit.name if row.person.current_unit else "",
                        "Tạm hoãn xét",
                    ]
                )
        done = min(len(people), start + CHUNK)
        progress(5 + 90 * done // max(1, len(people)), f"Đã xét {done}/{len(people)} người")
    rows = [[i, *r] for i, r in enumerate(sorted(rows, key=lambda r: (str(r[0]), str(r[2]))), start=1)]
    sheet = XlsxSheet(
        name="Đủ điều kiện",
        columns=[
            XlsxColumn("STT", 6, align="center"),
            XlsxColumn("Danh hiệu, hình thức", 36, wrap=True),
            XlsxColumn("Họ và tên", 28),
            XlsxColumn("Đơn vị", 36, wrap=True),
            XlsxColumn("Kết quả xét", 16),
        ],
        rows=rows,
        title_rows=[
            f"Người đủ điều kiện khen thưởng năm {year} — {unit.name}",
            f"{len(people)} người được xét",
        ],
    )
    return JobOutput(f"xet-dieu-kien-{year}-{unit.code}.xlsx", render_xlsx(sheet))
