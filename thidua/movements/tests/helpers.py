"""Small builders shared by the scoring tests."""

from __future__ import annotations

from typing import Any

from thidua.movements.scoring import ScoringTable, load_table


def leaf(code: str, method: str, max_points: float = 10, **kwargs: Any) -> dict[str, Any]:
    return {"code": code, "name": f"Tiêu chí {code}", "max_points": max_points, "method": method, **kwargs}


def table(*leaves: dict[str, Any], points: dict[str, Any] | None = None, **sections: Any) -> ScoringTable:
    total = sum(item["max_points"] for item in leaves)
    data: dict[str, Any] = {
        "meta": {"id": "t", "points": points or {}},
        "criteria": [{"code": "A", "name": "Nhóm A", "max_points": total, "children": list(leaves)}],
        **sections,
    }
    return load_table(data)


def one_leaf(method: str, max_points: float = 10, **kwargs: Any) -> ScoringTable:
    return table(leaf("A.1", method, max_points, **kwargs))
