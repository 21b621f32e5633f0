"""The demo's statistics: once the demo is loaded (its history is written in bulk, without the
awards app's signals), the pre-aggregated counts are computed from it."""

from __future__ import annotations

from thidua.demo.extensions import after_load
from thidua.lib.numbers import format_number
from thidua.reports import tally


@after_load
def count_demo_awards() -> list[str]:
    rows = tally.rebuild()
    return [f"Số liệu khen thưởng tổng hợp cho trang thống kê: {format_number(rows)} dòng"]
