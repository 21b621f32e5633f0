"""The figure columns of a scoring table: what a unit types in the entry form or an Excel sheet.

A column key is `<criterion code>.<figure key>` (`I.1.1.actual`, `II.3.n.co_so`, `III.1.grade`), the
same path the scoring module uses in its messages. Pure functions over the scoring module's table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from thidua.movements import scoring
from thidua.movements.scoring import figures as scoring_figures


@dataclass(frozen=True)
class Column:
    code: str
    path: tuple[str, ...]
    label: str
    kind: str = "number"  # number | text | bool | list
    choices: tuple[tuple[str, str], ...] = ()  # a checklist's items (id, label)
    judged: bool = False  # points given by the council: entered by the reviewer, not the unit

    @property
    def key(self) -> str:
        return ".".join((self.code, *self.path))


def figure_columns(table: scoring.ScoringTable) -> list[Column]:
    """One column per figure a unit reports, in table order (the scoring module's `figure_keys`)."""
    leaves = {leaf.code: leaf for leaf in table.leaves()}
    adjustments = {item.code: item for item in (*table.bonus, *table.penalties)}
    columns = []
    for code, name, key, hint in scoring_figures.figure_keys(table):
        kind = "list" if key == "true_items" else "text" if key == "grade" else "number"
        leaf, item = leaves.get(code), adjustments.get(code)
        choices: tuple[tuple[str, str], ...] = ()
        if kind == "list" and leaf is not None:
            choices = tuple(
                (str(i["id"]), str(i.get("name") or i["id"])) for i in leaf.params.get("items", [])
            )
            hint = "đánh dấu các nội dung đã thực hiện"
        if leaf is not None and leaf.method == "boolean":
            kind = "bool"
        judged = (leaf is not None and leaf.method == "manual") or (
            item is not None and item.kind == "manual"
        )
        label = f"{code} {name}: {hint[:1].lower()}{hint[1:]}"
        columns.append(Column(code, tuple(key.split(".")), label, kind, choices, judged))
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
        if isinstance(value, str) and value.strip().lower() in scoring_figures.NOT_ASSIGNED_WORDS:
            figures[col.code] = {"assigned": False}
            continue
        if figures.get(col.code) == {"assigned": False}:
            continue
        if col.kind == "list" and isinstance(value, (list, tuple)):
            value = [str(part) for part in value]
        elif col.kind == "list":
            value = [part.strip() for part in str(value).split(",") if part.strip()]
        elif isinstance(value, str):
            value = value.strip()
        node = figures.setdefault(col.code, {})
        for key in col.path[:-1]:
            node = node.setdefault(key, {})
        node[col.path[-1]] = value
    return figures


def flat_from_figures(
    columns: list[Column], figures: Mapping[str, Any], *, checkboxes: bool = False
) -> dict[str, Any]:
    """The inverse of `figures_from_flat`, to fill a sheet (lists as "a, b") or, with `checkboxes`, a
    form whose checklists are checkboxes (lists of item ids)."""
    flat: dict[str, Any] = {}
    for col in columns:
        node: Any = figures.get(col.code)
        for key in col.path:
            node = node.get(key) if isinstance(node, Mapping) else None
        if node is None:
            continue
        if isinstance(node, list):
            flat[col.key] = (
                [str(v) for v in node] if checkboxes and col.choices else ", ".join(str(v) for v in node)
            )
        else:
            flat[col.key] = node
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
