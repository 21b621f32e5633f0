"""The figure columns of a scoring table: what a unit types in the entry form or an Excel sheet.

A column key is `<criterion code>.<figure key>` (`I.1.1.actual`, `II.3.n.co_so`, `III.1.grade`), the
same path the scoring module uses in its messages. Pure functions over the scoring module's table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from thidua.movements import scoring


@dataclass(frozen=True)
class Column:
    code: str
    path: tuple[str, ...]
    label: str
    kind: str = "number"  # number | text | bool | list

    @property
    def key(self) -> str:
        return ".".join((self.code, *self.path))


def _leaf_columns(criterion: scoring.Criterion) -> list[Column]:
    code, name, method = criterion.code, criterion.name, criterion.method or "manual"
    params = criterion.params
    if method in ("target_ratio", "proportional"):
        return [
            Column(code, ("actual",), f"{code} {name}: số thực hiện"),
            Column(code, ("target",), f"{code} {name}: kế hoạch giao"),
        ]
    if method in ("lower_is_better", "relative_to_best"):
        return [Column(code, ("value",), f"{code} {name}: giá trị")]
    if method == "grade":
        grades = ", ".join(str(g) for g in params.get("grades", {}))
        return [Column(code, ("grade",), f"{code} {name}: mức xếp loại ({grades})", "text")]
    if method == "boolean":
        return [Column(code, ("value",), f"{code} {name}: đạt (có/không)", "bool")]
    if method == "checklist":
        items = ", ".join(str(i.get("id")) for i in params.get("items", []))
        return [Column(code, ("true_items",), f"{code} {name}: nội dung đã thực hiện ({items})", "list")]
    if method == "count":
        weights = params.get("weights") or {}
        if len(weights) > 1:
            return [Column(code, ("n", str(k)), f"{code} {name}: số lượng {k}") for k in weights]
        return [Column(code, ("n",), f"{code} {name}: số lượng")]
    if method == "deduct_per_event":
        return [Column(code, ("n",), f"{code} {name}: số lần vi phạm")]
    return [Column(code, ("value",), f"{code} {name}: điểm hội đồng chấm")]


def _adjustment_columns(item: scoring.Adjustment, section: str) -> list[Column]:
    if item.kind == "ratio_step":
        return []  # computed from the ratio of the criterion it is based on
    if item.kind == "per_event_by_level":
        levels = item.params.get("levels") or {}
        return [Column(item.code, ("n", str(k)), f"{item.code} {item.name}: số lần mức {k}") for k in levels]
    if item.kind == "manual":
        return [Column(item.code, ("value",), f"{item.code} {item.name}: điểm ({section})")]
    return [Column(item.code, ("n",), f"{item.code} {item.name}: số lần ({section})")]


def figure_columns(table: scoring.ScoringTable) -> list[Column]:
    columns = [col for leaf in table.leaves() for col in _leaf_columns(leaf)]
    columns += [col for item in table.bonus for col in _adjustment_columns(item, "điểm thưởng")]
    columns += [col for item in table.penalties for col in _adjustment_columns(item, "điểm trừ")]
    return columns


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def figures_from_flat(columns: list[Column], values: Mapping[str, Any]) -> dict[str, Any]:
    """Nest `{column key: value}` into the scoring module's figures; empty cells are left out."""
    figures: dict[str, Any] = {}
    for col in columns:
        value = values.get(col.key)
        if _empty(value):
            continue
        if col.kind == "list":
            value = [part.strip() for part in str(value).split(",") if part.strip()]
        elif isinstance(value, str):
            value = value.strip()
        node = figures.setdefault(col.code, {})
        for key in col.path[:-1]:
            node = node.setdefault(key, {})
        node[col.path[-1]] = value
    return figures


def flat_from_figures(columns: list[Column], figures: Mapping[str, Any]) -> dict[str, Any]:
    """The inverse of `figures_from_flat`, to fill a form or a sheet with stored figures."""
    flat: dict[str, Any] = {}
    for col in columns:
        node: Any = figures.get(col.code)
        for key in col.path:
            node = node.get(key) if isinstance(node, Mapping) else None
        if node is None:
            continue
        flat[col.key] = ", ".join(str(v) for v in node) if isinstance(node, list) else node
    return flat


def column_for_issue(columns: list[Column], path: str) -> Column | None:
    """The column an issue of the scoring module points at (exact key, else the criterion's first)."""
    best: Column | None = None
    for col in columns:
        if path == col.key:
            return col
        if best is None and (path == col.code or path.startswith(col.code + ".")):
            best = col
    return best
