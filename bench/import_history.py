"""Benchmark: bring in ten years of history for N people (default 2,000) into a fresh SQLite database.

    .venv/bin/python bench/import_history.py [N]

Creates N people through the services, then imports from .xlsx files (generated in a temporary
folder) ten years of ratings (10 N rows) and one title per person and year (10 N rows), then imports
the award file again (every row "đã có"). Prints rows per second for each, and the time to evaluate
one person on day one. Nothing outside the temporary folder is touched.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

YEARS = range(2016, 2026)


def workbook(sheet_name: str, header: list[str], rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = sheet_name
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000
    with tempfile.TemporaryDirectory() as folder:
        os.environ["THIDUA_DATABASE_URL"] = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        settings.DEBUG = False

        from thidua.eligibility.services import evaluate_person
        from thidua.history.importing import commit_file
        from thidua.history.models import AwardRecord, Rating
        from thidua.org import services
        from thidua.org.citizen_id import make_citizen_id
        from thidua.org.models import Organisation, Person

        call_command("migrate", verbosity=0)
        root = services.create_unit(actor=None, code="SGD", name="Sở Giáo dục và Đào tạo", kind="so_gddt")
        Organisation.objects.create(root=root, sector="giao_duc")
        school = services.create_unit(actor=None, code="T1", name="Trường A", parent=root, kind="truong_thpt")
        cids = []
        for i in range(n):
            cid = make_citizen_id("066", "nu" if i % 2 else "nam", 1980 + i % 20, i)
            services.create_person(
                actor=None,
                citizen_id=cid,
                full_name=f"Giáo viên {i}",
                gender="nu" if i % 2 else "nam",
                unit=school,
                date_of_birth=date(1980 + i % 20, 1, 1),
                started_on=date(2010, 9, 1),
            )
            cids.append(cid)
        ratings = workbook(
            "Xếp loại",
            ["Số CCCD", "Năm", "Mức xếp loại"],
            [
                [cid, year, "HTXS" if (i + year) % 3 else "HTT"]
                for i, cid in enumerate(cids)
                for year in YEARS
            ],
        )
        awards = workbook(
            "Khen thưởng",
            ["Số CCCD", "Danh hiệu, hình thức", "Năm thành tích", "Số quyết định", "Ngày quyết định"],
            [
                [
                    cid,
                    "CSTĐCS" if (i + year) % 3 else "LĐTT",
                    year,
                    f"{year - 2000}/QĐ-SGDĐT",
                    date(year + 1, 1, 15),
                ]
                for i, cid in enumerate(cids)
                for year in YEARS
            ],
        )
        for label, kind, data in (
            ("xếp loại", "ratings", ratings),
            ("danh hiệu", "awards", awards),
            ("danh hiệu, nhập lại", "awards", awards),
        ):
            started = time.perf_counter()
            plan = commit_file(kind, data, "bench.xlsx", actor=None)
            elapsed = time.perf_counter() - started
            if not plan.committed:
                print("\n".join(str(p) for p in plan.problems[:20]), file=sys.stderr)
                return 1
            rows = plan.row_count
            print(
                f"{label}: {rows:,} dòng ({len(data) // 1024:,} KB) trong {elapsed:.2f} s — "
                f"{rows / elapsed:,.0f} dòng/s; {plan.counts}"
            )
        person = Person.objects.get(citizen_id=cids[1])
        started = time.perf_counter()
        evaluate_person(actor=None, person=person, year=2025, store=False)
        print(f"xét một người ngay sau khi nhập: {(time.perf_counter() - started) * 1000:.0f} ms")
        print(f"Kết quả: {Rating.objects.count():,} xếp loại, {AwardRecord.objects.count():,} danh hiệu")
    return 0


if __name__ == "__main__":
    sys.exit(main())
