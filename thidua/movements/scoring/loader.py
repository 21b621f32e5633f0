"""Load a scoring table from plain data (a YAML/JSON dict), validate it, export it, copy it.

Every problem is collected with its path (``criteria[0].children[1].max_points``) and a
Vietnamese message; :func:`load_table` raises one :class:`TableError` listing all of them.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from .model import (
    METHODS,
    RATIO_METHODS,
    Adjustment,
    Criterion,
    Issue,
    ScoringTable,
    TableError,
)
from .numbers import ZERO, plain, to_decimal

_CRITERION_KEYS = {"code", "name", "max_points", "method", "params", "children", "grades", "items"}
_ADJUSTMENT_KEYS = {
    "code",
    "name",
    "kind",
    "per_unit",
    "unit_step_percent",
    "based_on",
    "threshold",
    "per_event",
    "per_event_by_level",
    "cap",
    "also_disqualifies",
}
_KNOWN_SECTIONS = {"meta", "criteria", "bonus", "penalties"}

# Numeric grade bands: ">=90", ">90", "85-<90", "<80", "<=80" (a Vietnamese decimal comma is accepted).
_NUM = r"(-?\d+(?:[.,]\d+)?)"
_BAND_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"^>=\s*{_NUM}$"), "ge"),
    (re.compile(rf"^>\s*{_NUM}$"), "gt"),
    (re.compile(rf"^<=\s*{_NUM}$"), "le"),
    (re.compile(rf"^<\s*{_NUM}$"), "lt"),
    (re.compile(rf"^{_NUM}\s*-\s*<\s*{_NUM}$"), "range"),
)

Band = tuple[Decimal | None, bool, Decimal | None, bool]  # low, low inclusive, high, high inclusive


def parse_band(label: str) -> Band | None:
    """Parse a numeric band label into (low, low_inclusive, high, high_inclusive); None if not a band."""
    text = label.strip()
    for pattern, kind in _BAND_PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        numbers = [Decimal(g.replace(",", ".")) for g in match.groups()]
        if kind == "ge":
            return (numbers[0], True, None, False)
        if kind == "gt":
            return (numbers[0], False, None, False)
        if kind == "le":
            return (None, False, numbers[0], True)
        if kind == "lt":
            return (None, False, numbers[0], False)
        return (numbers[0], True, numbers[1], False)
    return None


class _Loader:
    def __init__(self) -> None:
        self.issues: list[Issue] = []
        self.codes: dict[str, str] = {}

    def error(self, path: str, value: object, message: str, *, show_value: bool = True) -> None:
        self.issues.append(Issue(path, message, value, show_value))

    # -- numbers -------------------------------------------------------------------------------
    def number(
        self,
        data: Mapping[str, Any],
        key: str,
        path: str,
        *,
        required: bool = True,
        minimum: Decimal | None = None,
        positive: bool = False,
        label: str = "giá trị",
    ) -> Decimal | None:
        if key not in data or data[key] is None:
            if required:
                self.error(f"{path}.{key}", None, f"thiếu {label}")
            return None
        raw = data[key]
        value = to_decimal(raw)
        if value is None or isinstance(raw, str):
            self.error(f"{path}.{key}", raw, f"{label} phải là số")
            return None
        if positive and value <= 0:
            self.error(f"{path}.{key}", raw, f"{label} phải > 0")
            return None
        if minimum is not None and value < minimum:
            self.error(f"{path}.{key}", raw, f"{label} phải ≥ {minimum}")
            return None
        return value

    def code(self, data: Mapping[str, Any], path: str) -> str:
        raw = data.get("code")
        if raw is None or raw == "":
            self.error(f"{path}.code", raw, "thiếu mã")
            return ""
        if isinstance(raw, (bool, float)):
            self.error(f"{path}.code", raw, 'mã phải là chuỗi, hãy đặt trong dấu nháy (ví dụ "1.1")')
            return str(raw)
        code = str(raw).strip()
        if code in self.codes:
            self.error(f"{path}.code", code, f"trùng mã với {self.codes[code]}")
        else:
            self.codes[code] = path
        return code

    def name(self, data: Mapping[str, Any], path: str) -> str:
        raw = data.get("name")
        if not isinstance(raw, str) or not raw.strip():
            self.error(f"{path}.name", raw, "thiếu tên tiêu chí")
            return ""
        return raw

    # -- criteria ------------------------------------------------------------------------------
    def criterion(self, data: object, path: str) -> Criterion | None:
        if not isinstance(data, Mapping):
            self.error(path, data, "mỗi tiêu chí phải là một bảng khóa: giá trị (code, name, max_points…)")
            return None
        code = self.code(data, path)
        name = self.name(data, path)
        max_points = self.number(data, "max_points", path, minimum=ZERO, label="điểm tối đa")
        if max_points is not None and max_points < 0:
            max_points = None
        extra = {k: v for k, v in data.items() if k not in _CRITERION_KEYS}
        raw_children = data.get("children")
        method = data.get("method")
        children: list[Criterion] = []
        if raw_children is not None:
            issues_before = len(self.issues)
            if not isinstance(raw_children, list) or not raw_children:
                self.error(
                    f"{path}.children",
                    raw_children,
                    "danh sách tiêu chí con phải là một danh sách không rỗng",
                )
            else:
                for index, child in enumerate(raw_children):
                    parsed = self.criterion(child, f"{path}.children[{index}]")
                    if parsed is not None:
                        children.append(parsed)
            if method is not None:
                self.error(
                    f"{path}.method", method, "tiêu chí có tiêu chí con không được có phương pháp chấm riêng"
                )
            if "check_children_sum" in extra and not isinstance(extra["check_children_sum"], bool):
                self.error(
                    f"{path}.check_children_sum", extra["check_children_sum"], "phải là true hoặc false"
                )
            elif (
                extra.get("check_children_sum", True)
                and max_points is not None
                and isinstance(raw_children, list)
                and len(children) == len(raw_children)
                and len(self.issues) == issues_before  # children's own errors come first
            ):
                total = sum((c.max_points for c in children), ZERO)
                if total != max_points:
                    self.error(
                        f"{path}.max_points",
                        data.get("max_points"),
                        f"tổng điểm tối đa của các tiêu chí con là {plain(total)}, khác điểm tối đa của "
                        "tiêu chí cha (ghi check_children_sum: false nếu cố ý)",
                    )
            params: dict[str, Any] = {}
        else:
            if method is None:
                self.error(f"{path}.method", None, "thiếu phương pháp chấm (tiêu chí không có tiêu chí con)")
                params = {}
            elif not isinstance(method, str) or method not in METHODS:
                self.error(
                    f"{path}.method",
                    method,
                    "phương pháp chấm không được hỗ trợ (hợp lệ: " + ", ".join(sorted(METHODS)) + ")",
                )
                params = {}
            else:
                params = self.params(data, path, method, max_points)
        return Criterion(
            code=code,
            name=name,
            max_points=max_points if max_points is not None else ZERO,
            method=method if isinstance(method, str) and not children else None,
            params=params,
            children=tuple(children),
            extra=extra,
        )

    def params(
        self, data: Mapping[str, Any], path: str, method: str, max_points: Decimal | None
    ) -> dict[str, Any]:
        raw = data.get("params") or {}
        ppath = f"{path}.params"
        if not isinstance(raw, Mapping):
            self.error(ppath, raw, "tham số phải là một bảng khóa: giá trị")
            return {}
        raw = dict(raw)
        # grades and checklist items may be written next to the method, as in criteria-example.yaml.
        for key in ("grades", "items"):
            if key in data:
                if key in raw:
                    self.error(
                        f"{path}.{key}", None, f"{key} ghi hai lần (cả trong params)", show_value=False
                    )
                raw[key] = data[key]
        allowed: dict[str, set[str]] = {
            "target_ratio": {"full_at", "zero_at"},
            "lower_is_better": {"full_at", "zero_at"},
            "proportional": {"cap"},
            "relative_to_best": {"lower_is_better"},
            "grade": {"grades"},
            "boolean": set(),
            "checklist": {"items"},
            "count": {"weights"},
            "deduct_per_event": {"per_event"},
            "manual": set(),
        }
        for key in raw:
            if key not in allowed[method]:
                self.error(
                    f"{ppath}.{key}",
                    raw[key],
                    f"tham số không dùng cho phương pháp {method} (hợp lệ: {', '.join(sorted(allowed[method])) or 'không có'})",
                )
        out: dict[str, Any] = {}
        if method in ("target_ratio", "lower_is_better"):
            full_at = self.number(raw, "full_at", ppath, label="ngưỡng đạt điểm tối đa (full_at)")
            required_zero = method == "lower_is_better"
            zero_at = self.number(
                raw, "zero_at", ppath, required=required_zero, label="ngưỡng 0 điểm (zero_at)"
            )
            if zero_at is None and not required_zero and "zero_at" not in raw:
                zero_at = ZERO
            if full_at is not None and zero_at is not None:
                if method == "target_ratio" and full_at <= zero_at:
                    self.error(f"{ppath}.zero_at", raw.get("zero_at"), "zero_at phải nhỏ hơn full_at")
                if method == "lower_is_better" and full_at >= zero_at:
                    self.error(
                        f"{ppath}.zero_at",
                        raw.get("zero_at"),
                        "zero_at phải lớn hơn full_at (càng thấp càng tốt)",
                    )
                out = {"full_at": full_at, "zero_at": zero_at}
        elif method == "proportional":
            cap = self.number(raw, "cap", ppath, required=False, positive=True, label="hệ số trần (cap)")
            out = {"cap": cap if cap is not None else Decimal(1)}
        elif method == "relative_to_best":
            lower = raw.get("lower_is_better", False)
            if not isinstance(lower, bool):
                self.error(f"{ppath}.lower_is_better", lower, "phải là true hoặc false")
                lower = False
            out = {"lower_is_better": lower}
        elif method == "grade":
            out = {"grades": self.grades(raw.get("grades"), f"{path}.grades", max_points)}
        elif method == "checklist":
            out = {"items": self.items(raw.get("items"), f"{path}.items")}
        elif method == "count":
            weights = raw.get("weights")
            wpath = f"{ppath}.weights"
            parsed: dict[str, Decimal] = {}
            if not isinstance(weights, Mapping) or not weights:
                self.error(wpath, weights, "cần bảng hệ số theo loại, ví dụ {hoi_nghi: 0.1}")
            else:
                for kind, _weight in weights.items():
                    number = self.number(weights, kind, wpath, minimum=ZERO, label="hệ số")
                    if number is not None:
                        parsed[str(kind)] = number
            out = {"weights": parsed}
        elif method == "deduct_per_event":
            per_event = self.number(raw, "per_event", ppath, positive=True, label="điểm trừ mỗi lần")
            out = {"per_event": per_event if per_event is not None else ZERO}
        return out

    def grades(self, raw: object, path: str, max_points: Decimal | None) -> dict[str, Decimal]:
        if not isinstance(raw, Mapping) or not raw:
            self.error(path, raw, "cần bảng mức xếp loại → điểm, ví dụ {HTXS: 5, HTT: 4}")
            return {}
        grades: dict[str, Decimal] = {}
        bands = 0
        for label, points in raw.items():
            number = self.number(raw, label, path, minimum=ZERO, label="điểm của mức")
            if number is None:
                continue
            if max_points is not None and number > max_points:
                self.error(f"{path}.{label}", points, f"điểm của mức vượt điểm tối đa {plain(max_points)}")
            if parse_band(str(label)) is not None:
                bands += 1
            grades[str(label)] = number
        if 0 < bands < len(raw):
            self.error(
                path, None, "không được trộn khoảng số (>=90, 85-<90, <80) với mức chữ", show_value=False
            )
        return grades

    def items(self, raw: object, path: str) -> list[dict[str, Any]]:
        if not isinstance(raw, list) or not raw:
            self.error(path, raw, "cần danh sách nội dung {id, name, points}")
            return []
        items: list[dict[str, Any]] = []
        seen: set[str] = set()
        for index, item in enumerate(raw):
            ipath = f"{path}[{index}]"
            if not isinstance(item, Mapping):
                self.error(ipath, item, "mỗi nội dung phải là {id, name, points}")
                continue
            item_id = item.get("id")
            if not isinstance(item_id, str) or not item_id:
                self.error(f"{ipath}.id", item_id, "thiếu mã nội dung")
                continue
            if item_id in seen:
                self.error(f"{ipath}.id", item_id, "trùng mã nội dung")
            seen.add(item_id)
            points = self.number(item, "points", ipath, minimum=ZERO, label="điểm")
            out = dict(item)
            out["points"] = points if points is not None else ZERO
            items.append(out)
        return items

    # -- bonus and penalties -------------------------------------------------------------------
    def adjustment(self, data: object, path: str) -> Adjustment | None:
        if not isinstance(data, Mapping):
            self.error(path, data, "mỗi mục phải là một bảng khóa: giá trị")
            return None
        code = self.code(data, path)
        name = self.name(data, path)
        cap = self.number(data, "cap", path, required=False, minimum=ZERO, label="mức trần (cap)")
        params: dict[str, Any] = {}
        kind = data.get("kind")
        if kind is None:
            if "based_on" in data:
                kind = "ratio_step"
            elif "per_event_by_level" in data:
                kind = "per_event_by_level"
            elif "per_event" in data:
                kind = "per_event"
            else:
                kind = "manual"
        if kind == "ratio_step":
            params["per_unit"] = self.number(data, "per_unit", path, positive=True, label="điểm mỗi nấc")
            params["unit_step_percent"] = self.number(
                data, "unit_step_percent", path, positive=True, label="độ rộng nấc (%)"
            )
            threshold = self.number(data, "threshold", path, required=False, label="ngưỡng (%)")
            params["threshold"] = threshold if threshold is not None else Decimal(100)
            based_on = data.get("based_on")
            if not isinstance(based_on, str) or not based_on:
                self.error(f"{path}.based_on", based_on, "thiếu mã tiêu chí làm căn cứ")
            params["based_on"] = based_on
        elif kind == "per_event":
            params["per_event"] = self.number(data, "per_event", path, positive=True, label="điểm mỗi lần")
        elif kind == "per_event_by_level":
            levels = data.get("per_event_by_level")
            lpath = f"{path}.per_event_by_level"
            parsed: dict[str, Decimal] = {}
            if not isinstance(levels, Mapping) or not levels:
                self.error(lpath, levels, "cần bảng mức → điểm mỗi lần")
            else:
                for level in levels:
                    number = self.number(levels, level, lpath, positive=True, label="điểm mỗi lần")
                    if number is not None:
                        parsed[str(level)] = number
            params["levels"] = parsed
        elif kind != "manual":
            self.error(
                f"{path}.kind",
                kind,
                "loại mục không được hỗ trợ (ratio_step, per_event, per_event_by_level, manual)",
            )
        disqualifies = data.get("also_disqualifies", False)
        if not isinstance(disqualifies, bool):
            self.error(f"{path}.also_disqualifies", disqualifies, "phải là true hoặc false")
            disqualifies = False
        extra = {k: v for k, v in data.items() if k not in _ADJUSTMENT_KEYS}
        return Adjustment(
            code=code,
            name=name,
            kind=str(kind),
            params=params,
            cap=cap,
            disqualifies=disqualifies,
            extra=extra,
        )

    def adjustments(self, data: Mapping[str, Any], key: str) -> tuple[Adjustment, ...]:
        raw = data.get(key)
        if raw is None:
            return ()
        if not isinstance(raw, list):
            self.error(key, raw, "phải là một danh sách")
            return ()
        parsed = [self.adjustment(item, f"{key}[{i}]") for i, item in enumerate(raw)]
        return tuple(a for a in parsed if a is not None)

    # -- whole table ---------------------------------------------------------------------------
    def table(self, data: object) -> ScoringTable:
        if not isinstance(data, Mapping):
            self.error("(gốc)", data, "bảng chấm điểm phải là một bảng khóa: giá trị (meta, criteria…)")
            raise TableError(self.issues)
        meta = data.get("meta", {})
        if not isinstance(meta, Mapping):
            self.error("meta", meta, "phải là một bảng khóa: giá trị")
            meta = {}
        points = meta.get("points", {}) or {}
        if not isinstance(points, Mapping):
            self.error("meta.points", points, "phải là một bảng khóa: giá trị")
            points = {}
        base_max = self.number(
            points, "base_max", "meta.points", required=False, minimum=ZERO, label="điểm cơ bản tối đa"
        )
        bonus_max = self.number(
            points, "bonus_max", "meta.points", required=False, minimum=ZERO, label="điểm thưởng tối đa"
        )
        penalty_cap = self.number(
            points, "penalty_cap", "meta.points", required=False, minimum=ZERO, label="điểm trừ tối đa"
        )
        floor = points.get("floor_at_zero", False)
        if not isinstance(floor, bool):
            self.error("meta.points.floor_at_zero", floor, "phải là true hoặc false")
            floor = False

        raw_criteria = data.get("criteria")
        criteria: list[Criterion] = []
        if not isinstance(raw_criteria, list) or not raw_criteria:
            self.error("criteria", raw_criteria, "cần danh sách tiêu chí không rỗng")
        else:
            for index, item in enumerate(raw_criteria):
                parsed = self.criterion(item, f"criteria[{index}]")
                if parsed is not None:
                    criteria.append(parsed)
        total = sum((c.max_points for c in criteria), ZERO)
        if (
            base_max is not None
            and isinstance(raw_criteria, list)
            and len(criteria) == len(raw_criteria)
            and total != base_max
        ):
            self.error(
                "meta.points.base_max",
                points.get("base_max"),
                f"tổng điểm tối đa các tiêu chí cấp 1 là {plain(total)}, khác điểm cơ bản tối đa",
            )
        bonus = self.adjustments(data, "bonus")
        penalties = self.adjustments(data, "penalties")
        # A ratio_step bonus must point at a ratio criterion.
        leaves = {c.code: c for top in criteria for c in top.walk() if c.is_leaf}
        for index, item in enumerate(bonus + penalties):
            if item.kind != "ratio_step":
                continue
            section = "bonus" if index < len(bonus) else "penalties"
            position = index if index < len(bonus) else index - len(bonus)
            target = item.params.get("based_on")
            if isinstance(target, str) and target:
                leaf = leaves.get(target)
                if leaf is None:
                    self.error(f"{section}[{position}].based_on", target, "không có tiêu chí lá với mã này")
                elif leaf.method not in RATIO_METHODS:
                    self.error(
                        f"{section}[{position}].based_on",
                        target,
                        f"tiêu chí căn cứ phải chấm theo tỷ lệ kế hoạch (đang là {leaf.method})",
                    )
        if self.issues:
            raise TableError(self.issues)
        return ScoringTable(
            meta=dict(meta),
            criteria=tuple(criteria),
            bonus=bonus,
            penalties=penalties,
            base_max=base_max if base_max is not None else total,
            bonus_max=bonus_max,
            penalty_cap=penalty_cap,
            floor_at_zero=floor,
            extra={k: v for k, v in data.items() if k not in _KNOWN_SECTIONS},
        )


def load_table(data: Mapping[str, Any]) -> ScoringTable:
    """Validate plain data (as read from YAML/JSON) and build a :class:`ScoringTable`.

    Raises :class:`TableError` listing every problem with its path, in Vietnamese.
    """
    return _Loader().table(data)


# -- export -------------------------------------------------------------------------------------
def _out(value: Any) -> Any:
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, Mapping):
        return {k: _out(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_out(v) for v in value]
    return value


def criterion_to_dict(criterion: Criterion) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": criterion.code,
        "name": criterion.name,
        "max_points": plain(criterion.max_points),
    }
    if criterion.children:
        out.update(_out(dict(criterion.extra)))
        out["children"] = [criterion_to_dict(c) for c in criterion.children]
        return out
    out["method"] = criterion.method
    if criterion.params:
        out["params"] = _out(dict(criterion.params))
    out.update(_out(dict(criterion.extra)))
    return out


def adjustment_to_dict(item: Adjustment) -> dict[str, Any]:
    out: dict[str, Any] = {"code": item.code, "name": item.name}
    params = dict(item.params)
    if item.kind == "per_event_by_level":
        out["per_event_by_level"] = _out(params.pop("levels"))
    elif item.kind == "manual":
        out["kind"] = "manual"
    if item.kind == "ratio_step" and params.get("threshold") == Decimal(100):
        params.pop("threshold")
    out.update(_out(params))
    if item.cap is not None:
        out["cap"] = plain(item.cap)
    if item.disqualifies:
        out["also_disqualifies"] = True
    out.update(_out(dict(item.extra)))
    return out


def table_to_dict(table: ScoringTable) -> dict[str, Any]:
    """Plain data (YAML/JSON-ready) that :func:`load_table` reads back into an equal table."""
    meta = copy.deepcopy(dict(table.meta))
    points: dict[str, Any] = dict(meta.get("points") or {})

    def put(key: str, value: Any, default: Any) -> None:
        # Written when the source had the key or the value is not the default, so that a
        # table round-trips to an equal meta.
        if key in points or value != default:
            points[key] = value

    put("base_max", plain(table.base_max), plain(sum((c.max_points for c in table.criteria), ZERO)))
    put("bonus_max", None if table.bonus_max is None else plain(table.bonus_max), None)
    put("penalty_cap", None if table.penalty_cap is None else plain(table.penalty_cap), None)
    put("floor_at_zero", table.floor_at_zero, False)
    if points or "points" in meta:
        meta["points"] = points
    out: dict[str, Any] = {"meta": meta, "criteria": [criterion_to_dict(c) for c in table.criteria]}
    if table.bonus:
        out["bonus"] = [adjustment_to_dict(b) for b in table.bonus]
    if table.penalties:
        out["penalties"] = [adjustment_to_dict(p) for p in table.penalties]
    out.update(copy.deepcopy(dict(table.extra)))
    return out


# -- copy to the next period --------------------------------------------------------------------
def _shift_year(value: Any, years: int) -> Any:
    if isinstance(value, dt.date):
        try:
            return value.replace(year=value.year + years)
        except ValueError:  # 29 February
            return value.replace(year=value.year + years, day=28)
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            shifted = _shift_year(dt.date.fromisoformat(value), years)
        except ValueError:
            return value
        return shifted.isoformat()
    if isinstance(value, Mapping):
        return {k: _shift_year(v, years) for k, v in value.items()}
    if isinstance(value, list):
        return [_shift_year(v, years) for v in value]
    return value


def copy_table(
    table: ScoringTable,
    *,
    period: int | Mapping[str, Any],
    table_id: str | None = None,
    title: str | None = None,
) -> ScoringTable:
    """Copy a table to another period (the same criteria, new ``meta.period``).

    ``period`` is a year (→ 1 January – 31 December) or a mapping ``{year, from, to}``. When the
    year changes, the old year in ``meta.id`` and ``meta.title`` is replaced by the new one and
    the dates of ``meta.calendar`` move by the same number of years. The worked example, tied to
    the old figures, is dropped.
    """
    if isinstance(period, int):
        new_period: dict[str, Any] = {"year": period, "from": f"{period}-01-01", "to": f"{period}-12-31"}
    else:
        new_period = dict(period)
    meta = copy.deepcopy(dict(table.meta))
    old_period = meta.get("period")
    old_year = old_period.get("year") if isinstance(old_period, Mapping) else None
    new_year = new_period.get("year")
    meta["period"] = new_period
    if isinstance(old_year, int) and isinstance(new_year, int) and old_year != new_year:
        for key in ("id", "title"):
            if isinstance(meta.get(key), str):
                meta[key] = meta[key].replace(str(old_year), str(new_year))
        if "calendar" in meta:
            meta["calendar"] = _shift_year(meta["calendar"], new_year - old_year)
    if table_id is not None:
        meta["id"] = table_id
    if title is not None:
        meta["title"] = title
    extra = {k: copy.deepcopy(v) for k, v in table.extra.items() if k != "worked_example"}
    return ScoringTable(
        meta=meta,
        criteria=table.criteria,
        bonus=table.bonus,
        penalties=table.penalties,
        base_max=table.base_max,
        bonus_max=table.bonus_max,
        penalty_cap=table.penalty_cap,
        floor_at_zero=table.floor_at_zero,
        extra=extra,
    )
