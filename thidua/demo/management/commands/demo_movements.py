"""`thidua demo_movements`: the seed scenario's movements on the demo organisation (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from thidua.demo.movements import load_seed_scenario
from thidua.demo.year_end import load_year_end


class Command(BaseCommand):
    help = "Nạp kịch bản mẫu: các phong trào thi đua của Thủ tướng, Công văn 856/BHXH-TĐKT và phong trào cấp tỉnh, tổng kết năm 2026 của BHXH Hà Nội."

    def handle(self, *args: Any, **options: Any) -> None:
        for line in [*load_seed_scenario(), *load_year_end()]:
            self.stdout.write(line)
