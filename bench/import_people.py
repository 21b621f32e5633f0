"""Benchmark: import N people (default 10,000) from an .xlsx file into a fresh database.

    .venv/bin/python bench/import_people.py [N] [--database-url postgres://postgres@127.0.0.1:5432/thidua_x_import]
        [--reader calamine|openpyxl] [--create-only]

Generates the file in a temporary folder, migrates a fresh database (a temporary SQLite file, or the
PostgreSQL database named by --database-url, which is DROPPED and created again), imports the file
(create), imports it again with every tenth person moved to another unit (update + transfer) and prints
rows per second for each (the whole commit: read, check, write, all or nothing), with the time spent
reading the file and reading + checking it alone, and the load average.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def build_file(n: int, units: list[str], *, shift: int = 0) -> bytes:
    from openpyxl import Workbook

    from thidua.org.citizen_id import make_citizen_id
    from thidua.org.importers import PEOPLE_COLUMNS

    # A normal (not write-only) workbook, like a file saved by Excel: shared strings and a <dimension>
    # element (without it openpyxl's read-only reader parses the whole sheet once more to size it).
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Nhân sự"
    sheet.append([c.header for c in PEOPLE_COLUMNS])
    family = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"]
    given = ["An", "Bình", "Cường", "Dung", "Đức", "Hà", "Hương", "Minh", "Nam", "Yến"]
    for i in range(n):
        gender = "nu" if i % 2 else "nam"
        year = 1965 + i % 35
        moved = shift and i % 10 == 0
        sheet.append(
            [
                make_citizen_id("001", gender, year, i),
                f"{family[i % 8]} Văn {given[i % 10]} {i}",
                "Nữ" if gender == "nu" else "Nam",
                f"{1 + i % 28:02d}/{1 + i % 12:02d}/{year}",
                f"01/09/{year + 23}",
                units[(i + (shift if moved else 0)) % len(units)],
                "Chuyên viên",
                "01/01/2026" if moved else f"01/09/{year + 23}",
                f"nv{i}@bhxh.gov.vn",
                f"09{i:08d}",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def fresh_postgres(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=10_000)
    parser.add_argument("--database-url", help="PostgreSQL database to drop, create and import into")
    parser.add_argument("--reader", choices=["calamine", "openpyxl"], default="calamine")
    parser.add_argument("--create-only", action="store_true", help="skip the update + transfer import")
    args = parser.parse_args()
    n = args.n
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as folder:
        if args.database_url:
            fresh_postgres(args.database_url)
        os.environ["THIDUA_DATABASE_URL"] = args.database_url or f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        settings.DEBUG = False  # as in production: no query log kept in memory

        from thidua.org import services
        from thidua.org.importers import SPECS, check_file, commit_file, read_table, reading

        reading.READER = args.reader
        from thidua.org.models import Person, Position, Unit

        call_command("migrate", verbosity=0)
        root = services.create_unit(actor=None, code="BHXH-VN", name="Bảo hiểm xã hội Việt Nam")
        codes = []
        for p in range(20):
            province = services.create_unit(
                actor=None, code=f"T{p:02d}", name=f"BHXH tỉnh {p}", parent=root, kind=Unit.Kind.BHXH_TINH
            )
            for d in range(5):
                unit = services.create_unit(
                    actor=None,
                    code=f"T{p:02d}-P{d}",
                    name=f"Phòng {d}",
                    parent=province,
                    kind=Unit.Kind.PHONG,
                )
                codes.append(unit.code)

        rounds = (("tạo mới", 0), ("cập nhật + điều chuyển 10%", 7))
        for label, shift in rounds[:1] if args.create_only else rounds:
            data = build_file(n, codes, shift=shift)
            started = time.perf_counter()
            read_table(data, "bench.xlsx", SPECS["people"])
            read = time.perf_counter() - started
            started = time.perf_counter()
            check_file("people", data, "bench.xlsx", actor=None)
            checked = time.perf_counter() - started
            started = time.perf_counter()
            plan = commit_file("people", data, "bench.xlsx", actor=None)
            elapsed = time.perf_counter() - started
            if not plan.committed:
                print("\n".join(str(p) for p in plan.problems[:20]), file=sys.stderr)
                return 1
            print(
                f"{label}: {n} dòng trong {elapsed:.2f} s — {n / elapsed:,.0f} dòng/s "
                f"({plan.counts['create']} thêm, {plan.counts['update']} cập nhật); "
                f"riêng đọc tệp {read:.2f} s, đọc + kiểm tra {checked:.2f} s"
            )
        print(f"Kết quả: {Person.objects.count()} nhân sự, {Position.objects.count()} quá trình công tác")
        print(
            f"trình đọc: {args.reader}; cơ sở dữ liệu: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
