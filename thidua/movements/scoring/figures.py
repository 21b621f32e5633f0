"""Figures as rows ``(unit, code, key, value)``: the shape of a spreadsheet or a bulk form.

``figures_from_rows`` assembles them into ``{unit: {code: figure}}`` for :func:`score_cluster`
and reports every problem with its row number ("Dòng 7 (Bắc Ninh / I.1.1.actual): …").
``figure_keys`` lists the rows a unit has to fill in, with a Vietnamese hint.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from .engine import NOT_ASSIGNED, compile_table, validate_figures
from .model import FiguresError, Issue, ScoringTable

NOT_ASSIGNED_WORDS = frozenset({"không giao", "khong giao", "không giao chỉ tiêu"})


def figure_keys(table: ScoringTable) -> list[tuple[str, str, str, str]]:
    """(code, name, key, hint) for every figure a unit reports, in table order."""
    out: list[tuple[str, str, str, str]] = []
    for leaf in table.leaves():
        method, params, code, name = leaf.method, leaf.params, leaf.code, leaf.name
        if method in ("target_ratio", "proportional"):
            out.append((code, name, "actual", "Số thực hiện"))
            out.append((code, name, "target", "Kế hoạch giao (0 = không giao)"))
        elif method == "grade":
            out.append((code, name, "grade", "Một trong: " + ", ".join(params.get("grades", {}))))
        elif method == "boolean":
            out.append((code, name, "value", "có / không"))
        elif method == "checklist":
            ids = ", ".join(item["id"] for item in params.get("items", []))
            out.append(
                (code, name, "true_items", f"Mã các nội dung đã thực hiện, cách nhau bởi dấu phẩy: {ids}")
            )
        elif method == "count":
            for kind in params.get("weights", {}):
                out.append((code, name, f"n.{kind}", f"Số lần ({kind})"))
        elif method == "deduct_per_event":
            out.append((code, name, "n", "Số lần vi phạm"))
        elif method == "manual":
            out.append((code, name, "value", f"Điểm hội đồng chấm (0 – {leaf.max_points.normalize():f})"))
        else:
            out.append((code, name, "value", "Giá trị"))
    for item in (*table.bonus, *table.penalties):
        if item.kind == "per_event":
            out.append((item.code, item.name, "n", "Số lần"))
        elif item.kind == "per_event_by_level":
            for level in item.params.get("levels", {}):
                out.append((item.code, item.name, f"n.{level}", f"Số lần ({level})"))
        elif item.kind == "manual":
            out.append((item.code, item.name, "value", "Điểm hội đồng quyết định"))
        # ratio_step bonuses are computed from their criterion: no row.
    return out


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def figures_from_rows(
    table: ScoringTable, rows: Iterable[Sequence[Any]], *, first_row: int = 2
) -> dict[str, dict[str, Any]]:
    """Assemble rows ``(unit, code, key, value)`` into figures by unit, checking every row.

    ``key`` is empty for a bare value, or ``actual``, ``target``, ``value``, ``grade``, ``ratio``,
    ``true_items`` (comma-separated ids), ``n`` or ``n.<kind>``. A value "không giao" marks the
    criterion not assigned; an empty value is a missing figure (the row is ignored). Blank rows keep
    their number. Raises :class:`FiguresError` listing every problem with its row.
    """
    issues: list[Issue] = []
    figures: dict[str, dict[str, Any]] = {}
    row_of: dict[tuple[str, str, str], int] = {}
    for number, row in enumerate(rows, start=first_row):
        cells = tuple(row) + (None,) * (4 - len(row))
        unit, code, key, value = _text(cells[0]), _text(cells[1]), _text(cells[2]), cells[3]
        if not unit and not code and not key and (value is None or value == ""):
            continue
        where = f"Dòng {number}"
        if not unit:
            issues.append(Issue(where, "thiếu tên đơn vị", cells[0]))
            continue
        if not code:
            issues.append(Issue(where, "thiếu mã tiêu chí", cells[1]))
            continue
        if value is None or value == "":
            continue
        seen = row_of.get((unit, code, key))
        if seen is not None:
            issues.append(Issue(f"{where} ({unit} / {code})", f"trùng với dòng {seen}", value))
            continue
        row_of[(unit, code, key)] = number
        row_of.setdefault((unit, code, ""), number)
        unit_figures = figures.setdefault(unit, {})
        if isinstance(value, str) and value.strip().lower() in NOT_ASSIGNED_WORDS:
            unit_figures[code] = NOT_ASSIGNED
            continue
        current = unit_figures.get(code)
        if not key:
            if current is not None:
                issues.append(
                    Issue(f"{where} ({unit} / {code})", "đã có số liệu chi tiết ở dòng khác", value)
                )
            else:
                unit_figures[code] = value
            continue
        if current is NOT_ASSIGNED:
            continue
        if current is not None and not isinstance(current, dict):
            issues.append(Issue(f"{where} ({unit} / {code}.{key})", "đã có số liệu ở dòng khác", value))
            continue
        figure = unit_figures.setdefault(code, {})
        if key == "true_items" and isinstance(value, str):
            figure["true_items"] = [part.strip() for part in re.split(r"[,;]", value) if part.strip()]
        elif key.startswith("n."):
            figure.setdefault("n", {})[key[2:]] = value
        else:
            figure[key] = value

    compiled = compile_table(table)
    codes = sorted(compiled.leaf_codes | set(compiled.adjustments), key=len, reverse=True)
    for unit, unit_figures in figures.items():
        for issue in validate_figures(compiled, unit_figures, unit=unit):
            rest = issue.path[len(unit) + 3 :]
            code = next((c for c in codes if rest == c or rest.startswith(c + ".")), rest)
            suffix = rest[len(code) + 1 :]
            found = (
                row_of.get((unit, code, suffix))
                or row_of.get((unit, code, suffix.split(".", 1)[0]))
                or row_of.get((unit, code, ""))
            )
            where = f"Dòng {found} ({issue.path})" if found else issue.path
            issues.append(Issue(where, issue.message, issue.value, issue.show_value))
    if issues:
        raise FiguresError(issues)
    return figures
