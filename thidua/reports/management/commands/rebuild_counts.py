"""`thidua rebuild_counts`: recompute the pre-aggregated award counts from the history."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from thidua.lib.numbers import format_number
from thidua.reports import tally


class Command(BaseCommand):
    help = "Tính lại số liệu khen thưởng tổng hợp (dùng cho trang thống kê, báo cáo) từ lịch sử khen thưởng."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        rows = tally.rebuild()
        self.stdout.write(
            f"Đã tính lại số liệu tổng hợp: {format_number(rows)} dòng trong {time.perf_counter() - started:.1f} giây."
        )
