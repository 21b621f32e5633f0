"""`thidua rebuild_honour_board`: recompute the public honour board from the history."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from thidua.lib.numbers import format_number
from thidua.portal import honour


class Command(BaseCommand):
    help = "Tính lại bảng vàng trên trang thông tin công khai từ các quyết định khen thưởng đã ban hành."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        rows = honour.rebuild()
        self.stdout.write(
            f"Đã tính lại bảng vàng: {format_number(rows)} dòng trong {time.perf_counter() - started:.1f} giây."
        )
