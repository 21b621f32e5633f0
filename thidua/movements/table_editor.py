"""The scoring table as a form: the criteria tree as rows (add, move, remove), each method's parameters
with Vietnamese labels, checklist items and grades written as "label = points" lines.

Pure functions over the table's plain data (`ScoringTable.data`): `rows_from_data` flattens the tree,
`rows_from_post` reads the form, `apply` runs one operation, `data_from_rows` builds the data again
(bonus, penalties and every other section kept as they were) for `scoring.load_table` to validate.
`issues_by_row` places the loader's messages next to their row.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from thidua.lib.numbers import format_number, parse_number

# The parameters of each method, in the order shown, with their Vietnamese labels.
PARAMS: dict[str, list[tuple[str, str]]] = {
    "target_ratio": [
        ("full_at", "Đạt điểm tối đa khi thực hiện từ (% kế hoạch)"),
        ("zero_at", "0 điểm khi thực hiện chỉ đến (% kế hoạch)"),
    ],
    "lower_is_better": [
        ("full_at", "Đạt điểm tối đa khi giá trị không quá"),
        ("zero_at", "0 điểm khi giá trị từ"),
    ],
    "proportional": [("cap", "Hệ số tối đa (1 = không tính vượt kế hoạch)")],
    "relative_to_best": [("lower_is_better", "Càng thấp càng tốt")],
    "grade": [("grades", "Các mức xếp loại, mỗi dòng «mức = điểm» (hoặc «>=95 = 10»)")],
    "boolean": [],
    "checklist": [("items", "Các nội dung, mỗi dòng «nội dung = điểm»")],
    "count": [("weights", "Các loại, mỗi dòng «loại = điểm mỗi lần»")],
    "deduct_per_event": [("per_event", "Điểm trừ mỗi lần")],
    "manual": [],
}
# The methods as an officer reads them (the scoring module's own labels name its parameter keys).
METHOD_CHOICES: list[tuple[str, str]] = [
    ("target_ratio", "Tỷ lệ thực hiện so với kế hoạch"),
    ("lower_is_better", "Càng thấp càng tốt"),
    ("proportional", "Tỷ lệ thuận với mức thực hiện"),
    ("relative_to_best", "So với đơn vị tốt nhất trong cụm"),
    ("grade", "Theo mức xếp loại"),
    ("boolean", "Đạt / không đạt"),
    ("checklist", "Cộng điểm các nội dung đã thực hiện"),
    ("count", "Điểm theo số lần, có mức trần"),
    ("deduct_per_event", "Trừ điểm theo số lần vi phạm"),
    ("manual", "Hội đồng thi đua chấm trong khung điểm"),
]
LINES = {"grades", "items", "weights"}
FIELD_LABELS = {
    "code": "Mã",
    "name": "Tên tiêu chí",
    "max_points": "Điểm tối đa",
    "method": "Phương pháp chấm",
}
PARAM_LABELS = {name: label for fields in PARAMS.values() for name, label in fields}
FLAGS = {"lower_is_better"}


@dataclass
class Row:
    """One criterion of the tree, as the form shows it."""

    depth: int = 0
    code: str = ""
    name: str = ""
    max_points: str = ""
    method: str = "target_ratio"
    params: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)  # other keys of the criterion, kept as they are
    item_ids: dict[str, str] = field(default_factory=dict)  # checklist item name → its id (stored figures)
    is_parent: bool = False

    def param_fields(self) -> list[tuple[str, str, str, bool]]:
        """(name, label, value, multi-line) of the method's parameters."""
        return [(n, label, self.params.get(n, ""), n in LINES) for n, label in PARAMS.get(self.method, [])]


def _num(value: Any) -> str:
    return "" if value is None else format_number(value, None)


def _lines(mapping: Mapping[str, Any]) -> str:
    return "\n".join(f"{k} = {_num(v)}" for k, v in mapping.items())


def _row(node: Mapping[str, Any], depth: int) -> Row:
    known = {"code", "name", "max_points", "method", "params", "children", "grades", "items"}
    row = Row(
        depth=depth,
        code=str(node.get("code", "")),
        name=str(node.get("name", "")),
        max_points=_num(node.get("max_points")),
        method=str(node.get("method") or ""),
        extra={k: v for k, v in node.items() if k not in known},
        is_parent=bool(node.get("children")),
    )
    params = dict(node.get("params") or {})
    for key in ("grades", "items"):
        if key in node:
            params[key] = node[key]
    for name, value in params.items():
        if name == "grades" and isinstance(value, Mapping):
            row.params[name] = _lines(value)
        elif name == "grades" and isinstance(value, Sequence) and not isinstance(value, str):
            row.params[name] = "\n".join(str(v) for v in value)
        elif name == "items" and isinstance(value, Sequence):
            row.params[name] = "\n".join(
                f"{i.get('name') or i.get('id')} = {_num(i.get('points'))}" for i in value
            )
            row.item_ids = {str(i.get("name") or i.get("id")): str(i.get("id")) for i in value}
        elif name == "weights" and isinstance(value, Mapping):
            row.params[name] = _lines(value)
        elif name in FLAGS:
            row.params[name] = "có" if value else ""
        else:
            row.params[name] = _num(value) if not isinstance(value, str) else value
    return row


def rows_from_data(data: Mapping[str, Any]) -> list[Row]:
    rows: list[Row] = []

    def walk(nodes: Sequence[Mapping[str, Any]], depth: int) -> None:
        for node in nodes:
            rows.append(_row(node, depth))
            walk(node.get("children") or [], depth + 1)

    walk(data.get("criteria") or [], 0)
    return rows


def rows_from_post(post: Mapping[str, Any]) -> list[Row]:
    """The rows as posted (`r<i>-field`); at most 500 rows are read."""
    try:
        count = min(500, max(0, int(str(post.get("rows", "0")))))
    except ValueError:
        count = 0
    rows = []
    for i in range(count):
        p = f"r{i}-"
        try:
            extra = json.loads(str(post.get(p + "extra") or "{}"))
            item_ids = json.loads(str(post.get(p + "item_ids") or "{}"))
        except ValueError:
            extra, item_ids = {}, {}
        depth_raw = str(post.get(p + "depth", "0"))
        row = Row(
            depth=max(0, min(6, int(depth_raw))) if depth_raw.isdigit() else 0,
            code=str(post.get(p + "code", "")).strip()[:40],
            name=str(post.get(p + "name", "")).strip()[:500],
            max_points=str(post.get(p + "max", "")).strip()[:20],
            method=str(post.get(p + "method", ""))
            if str(post.get(p + "method", "")) in PARAMS
            else "target_ratio",
            extra=extra if isinstance(extra, dict) else {},
            item_ids=item_ids if isinstance(item_ids, dict) else {},
        )
        for name, _ in PARAMS[row.method]:
            row.params[name] = str(post.get(f"{p}p-{name}", "")).strip()[:5000]
        rows.append(row)
    _mark_parents(rows)
    return rows


def _mark_parents(rows: list[Row]) -> None:
    for i, row in enumerate(rows):
        row.is_parent = i + 1 < len(rows) and rows[i + 1].depth > row.depth


def _block(rows: list[Row], i: int) -> int:
    """The end (exclusive) of row i's subtree."""
    end = i + 1
    while end < len(rows) and rows[end].depth > rows[i].depth:
        end += 1
    return end


def apply(rows: list[Row], op: str) -> list[Row]:
    """One operation of the editor: add_top, add_child:i, add_sibling:i, up:i, down:i, remove:i."""
    name, _, raw = op.partition(":")
    rows = list(rows)
    if name == "add_top":
        rows.append(Row(depth=0, code=f"{_next_top(rows)}", name="Tiêu chí mới", max_points="0"))
        _mark_parents(rows)
        return rows
    if not raw.isdigit() or int(raw) >= len(rows):
        return rows
    i = int(raw)
    end = _block(rows, i)
    if name == "add_child":
        rows.insert(
            end,
            Row(
                depth=rows[i].depth + 1,
                code=f"{rows[i].code}.{_children(rows, i) + 1}",
                name="Tiêu chí mới",
                max_points="0",
            ),
        )
    elif name == "add_sibling":
        rows.insert(
            end, Row(depth=rows[i].depth, code=f"{rows[i].code}-moi", name="Tiêu chí mới", max_points="0")
        )
    elif name == "remove":
        del rows[i:end]
    elif name == "up":
        prev = i - 1
        while prev >= 0 and rows[prev].depth > rows[i].depth:
            prev -= 1
        if prev >= 0 and rows[prev].depth == rows[i].depth:
            rows[prev:end] = rows[i:end] + rows[prev:i]
    elif name == "down" and end < len(rows) and rows[end].depth == rows[i].depth:
        after = _block(rows, end)
        rows[i:after] = rows[end:after] + rows[i:end]
    _mark_parents(rows)
    return rows


def _children(rows: list[Row], i: int) -> int:
    return sum(1 for r in rows[i + 1 : _block(rows, i)] if r.depth == rows[i].depth + 1)


def _next_top(rows: list[Row]) -> str:
    roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
    tops = sum(1 for r in rows if r.depth == 0)
    return roman[tops] if tops < len(roman) else str(tops + 1)


def _number(text: str) -> Any:
    value = parse_number(text)
    if value is None:
        return text  # the loader says what is wrong with it, next to the field
    return int(value) if value == value.to_integral_value() else float(value)


def _pairs(text: str) -> list[tuple[str, str]]:
    out = []
    for line in text.splitlines():
        if line.strip():
            label, _, value = line.rpartition("=") if "=" in line else (line, "", "")
            out.append((label.strip(), value.strip()))
    return out


def _params(row: Row) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for name, _ in PARAMS[row.method]:
        text = row.params.get(name, "")
        if name == "grades":
            params[name] = {label: _number(v) for label, v in _pairs(text)}
        elif name == "items":
            used: set[str] = set(row.item_ids.values())
            items = []
            for n, (label, v) in enumerate(_pairs(text), start=1):
                item_id = row.item_ids.get(label)
                if item_id is None:
                    item_id = next(f"m{k}" for k in range(n, n + 1000) if f"m{k}" not in used)
                    used.add(item_id)
                items.append({"id": item_id, "name": label, "points": _number(v)})
            params[name] = items
        elif name == "weights":
            params[name] = {label: _number(v) for label, v in _pairs(text)}
        elif name in FLAGS:
            params[name] = text.strip().lower() in ("có", "co", "1", "true", "x", "on")
        elif text:
            params[name] = _number(text)
    return params


def data_from_rows(rows: list[Row], base: Mapping[str, Any]) -> tuple[dict[str, Any], dict[int, str]]:
    """The table's data with the criteria from `rows` (other sections of `base` kept), and each row's
    path in it (`criteria[0].children[1]`) to place the loader's messages."""
    data = {k: v for k, v in base.items() if k != "criteria"}
    criteria: list[dict[str, Any]] = []
    paths: dict[int, str] = {}
    stack: list[tuple[int, list[dict[str, Any]], str]] = [(-1, criteria, "criteria")]
    _mark_parents(rows)
    for i, row in enumerate(rows):
        while len(stack) > 1 and stack[-1][0] >= row.depth:
            stack.pop()
        siblings, prefix = stack[-1][1], stack[-1][2]
        node: dict[str, Any] = {"code": row.code, "name": row.name, "max_points": _number(row.max_points)}
        node.update(row.extra)
        path = f"{prefix}[{len(siblings)}]"
        paths[i] = path
        if row.is_parent:
            node["children"] = []
            stack.append((row.depth, node["children"], f"{path}.children"))
        else:
            node["method"] = row.method
            params = _params(row)
            if params:
                node["params"] = params
        siblings.append(node)
    data["criteria"] = criteria
    points = dict((data.get("meta") or {}).get("points") or {})
    if "base_max" in points:
        total = sum((parse_number(c["max_points"]) or Decimal(0)) for c in criteria)
        points["base_max"] = _number(str(total))
        data["meta"] = {**data["meta"], "points": points}
    return data, paths


def issues_by_row(issues: Sequence[Any], paths: Mapping[int, str]) -> tuple[dict[int, list[str]], list[str]]:
    """The loader's messages next to their row (the longest matching path), the rest for the table."""
    by_row: dict[int, list[str]] = {}
    rest: list[str] = []
    for issue in issues:
        best, best_len = None, -1
        for i, path in paths.items():
            if (issue.path == path or issue.path.startswith(path + ".")) and len(path) > best_len:
                best, best_len = i, len(path)
        if best is None:
            rest.append(str(issue))
        else:
            key = issue.path[len(paths[best]) :].lstrip(".")
            label = (
                FIELD_LABELS.get(key) or PARAM_LABELS.get(key.removeprefix("params.")) or key or "Tiêu chí"
            )
            by_row.setdefault(best, []).append(f"{label}: {issue.message}")
    return by_row, rest
