"""Sample data of the movements tests: the year, a two-criterion scoring table, two sets of figures."""

from __future__ import annotations

from typing import Any

YEAR = 2026

TABLE: dict[str, Any] = {
    "meta": {"id": "bang-thu-2026", "title": "Bảng chấm điểm thử năm 2026", "period": {"year": YEAR}},
    "criteria": [
        {
            "code": "I",
            "name": "Chuyên môn",
            "max_points": 10,
            "children": [
                {
                    "code": "I.1",
                    "name": "Thu BHXH so với kế hoạch",
                    "max_points": 6,
                    "method": "target_ratio",
                    "params": {"full_at": 100, "zero_at": 90},
                },
                {"code": "I.2", "name": "Báo cáo đúng hạn", "max_points": 4, "method": "boolean"},
            ],
        }
    ],
}
GOOD = {"I.1": {"actual": 100, "target": 100}, "I.2": {"value": True}}  # 10 points
FAIR = {"I.1": {"actual": 95, "target": 100}, "I.2": {"value": True}}  # 7 points
