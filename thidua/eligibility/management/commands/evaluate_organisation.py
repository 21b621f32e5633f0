"""thidua evaluate_organisation: verdicts for every person of a subtree, set-based, with counts."""

from __future__ import annotations

import csv
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thidua.eligibility.batch import evaluate_organisation
from thidua.history.years import year_under_review
from thidua.lib.numbers import format_number
from thidua.org.models import Person, Unit


class Command(BaseCommand):
    help = "Xét điều kiện cho toàn bộ nhân sự của một đơn vị (cả đơn vị trực thuộc), tính theo cột."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", help="mã đơn vị (mặc định: đơn vị gốc)")
        parser.add_argument("--year", type=int, default=None, help="năm xét (mặc định: năm đang xét)")
        parser.add_argument("--csv", type=Path, help="ghi kết quả từng người ra tệp CSV")

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["unit"]
        unit = (
            Unit.objects.filter(code=code).first()
            if code
            else Unit.objects.filter(parent__isnull=True).first()
        )
        if unit is None:
            raise CommandError(f"Không tìm thấy đơn vị '{code}'" if code else "Chưa có đơn vị nào")
        started = time.perf_counter()
        result = evaluate_organisation(unit, year=options["year"] or year_under_review())
        elapsed = time.perf_counter() - started
        n = len(result.person_ids)
        rate = format_number(n / elapsed if elapsed else 0)
        self.stdout.write(
            f"{unit.name}: {format_number(n)} người"
            + f", năm {result.year}, bộ quy tắc {result.ruleset}, {elapsed:.2f} giây ({rate} người/giây)"
        )
        for item, counts in result.counts().items():
            self.stdout.write(
                f"  {item}: {counts['eligible']} đủ điều kiện, {counts['deferred']} tạm hoãn, "
                f"{counts['not_eligible']} chưa đủ"
            )
        if options["csv"]:
            people = dict(
                Person.objects.filter(pk__in=list(map(int, result.person_ids))).values_list(
                    "pk", "citizen_id"
                )
            )
            with options["csv"].open("w", newline="", encoding="utf-8-sig") as fh:
                writer = csv.writer(fh)
                writer.writerow(["so_cccd", *result.verdicts.items])
                for row, verdicts in zip(result.person_ids, result.verdicts.as_dicts(), strict=True):
                    writer.writerow([people[int(row)], *(verdicts.get(i, "") for i in result.verdicts.items)])
            self.stdout.write(f"Đã ghi {options['csv']}")
