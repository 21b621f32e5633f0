"""Score units against a scoring table. Pure functions over plain data (no ORM, no Django).

Rules (see docs/scoring.md):
- each leaf is rounded half-up to 2 decimals; subtotals and the base score are sums of rounded leaves;
- a criterion *not assigned* to a unit (``NOT_ASSIGNED``, ``{"assigned": False}``, or a target of 0)
  is left out of both the points and the unit's assigned maximum, whereas a *missing* figure scores 0;
- the base score is normalised to the table's maximum: ``earned / assigned_max × base_max``
  (rounded half-up to 2 decimals; unchanged when every criterion is assigned);
- total = normalised base + min(bonus, bonus_max) − min(penalties, penalty_cap), floored at 0 when
  the table says ``floor_at_zero``.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from thidua.lib.memory import gc_paused

from .loader import Band, parse_band
from .model import RATIO_METHODS, Adjustment, Criterion, FiguresError, Issue, ScoringTable
from .numbers import HUNDRED, ZERO, floor_int, fmt, q2, to_decimal


class Assignment(enum.Enum):
    NOT_ASSIGNED = "không giao"


NOT_ASSIGNED = Assignment.NOT_ASSIGNED
"""Figure value meaning "this criterion is not assigned to this unit" (≠ scored 0)."""

_NIL = Decimal("0.00")  # zero points, written with 2 decimals like every leaf
SCORED = "scored"
MISSING = "missing"
UNASSIGNED = "not_assigned"

_TRUE_WORDS = {"true", "có", "co", "đạt", "dat", "x", "yes", "1"}
_FALSE_WORDS = {"false", "không", "khong", "không đạt", "khong dat", "no", "0", ""}


class LeafScore(NamedTuple):
    """Points of one leaf criterion for one unit; ``explanation`` is built on demand."""

    code: str
    method: str
    points: Decimal
    max_points: Decimal
    status: str  # "scored" | "missing" | "not_assigned"
    ratio: Decimal | None  # achievement ratio in % (ratio methods), used by bonuses and tie-breaks
    detail: tuple[Any, ...]

    @property
    def assigned(self) -> bool:
        return self.status != UNASSIGNED

    @property
    def full_marks(self) -> bool:
        return self.status == SCORED and self.points >= self.max_points

    @property
    def explanation(self) -> str:
        return explain_leaf(self)


@dataclass(frozen=True)
class AdjustmentScore:
    """Points of one bonus or penalty item (always ≥ 0; penalties are subtracted).

    ``explanation`` is built on demand from ``detail`` (as for leaves).
    """

    code: str
    points: Decimal
    events: int
    kind: str
    detail: tuple[Any, ...]
    cap: Decimal | None = None  # set when the item's cap was applied
    disqualifies: bool = False

    @property
    def explanation(self) -> str:
        return explain_adjustment(self)


@dataclass(frozen=True)
class UnitScore:
    """The score of one unit: leaves, subtotals, base, bonus, penalties and total."""

    unit: str
    leaves: Mapping[str, LeafScore]
    subtotals: Mapping[str, Decimal]
    earned: Decimal  # sum of the rounded points of the assigned leaves
    assigned_max: Decimal  # sum of the maximum points of the assigned leaves
    base_max: Decimal
    base: Decimal  # earned normalised to base_max
    bonus: Decimal
    penalty: Decimal
    total: Decimal
    bonus_items: Mapping[str, AdjustmentScore] = field(default_factory=dict)
    penalty_items: Mapping[str, AdjustmentScore] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def full_marks(self) -> int:
        """Number of leaves scored at their maximum (a tie-breaker)."""
        return sum(1 for leaf in self.leaves.values() if leaf.full_marks)

    @property
    def penalty_events(self) -> int:
        return sum(item.events for item in self.penalty_items.values())

    @property
    def disqualified(self) -> bool:
        return any(item.disqualifies and item.events > 0 for item in self.penalty_items.values())


@dataclass(frozen=True)
class ClusterContext:
    """What a unit's score needs from the rest of its cluster: the best value of each
    relative-to-best criterion (highest, or lowest for lower-is-better)."""

    best: Mapping[str, Decimal] = field(default_factory=dict)


# -- compiled table -----------------------------------------------------------------------------
class _Bad(Exception):
    def __init__(self, suffix: str, value: object, message: str) -> None:
        super().__init__(message)
        self.suffix = suffix
        self.value = value
        self.message = message


class _Leaf(NamedTuple):
    code: str
    method: str
    max_points: Decimal
    parse: Callable[[Any], Any]
    score: Callable[[_Leaf, Any, ClusterContext], LeafScore]
    params: Mapping[str, Any]
    bands: tuple[tuple[str, Band], ...]
    ancestors: tuple[str, ...]
    prep: Any  # method data prepared once (checklist points by id…)


@dataclass(frozen=True)
class CompiledTable:
    """A table flattened for fast scoring; build it once per table with :func:`compile_table`."""

    table: ScoringTable
    leaves: tuple[_Leaf, ...]
    parents: tuple[str, ...]
    adjustments: Mapping[str, Adjustment]
    parent_codes: frozenset[str]
    leaf_codes: frozenset[str]
    leaves_max: Decimal  # sum of the maximum points of every leaf


def compile_table(table: ScoringTable) -> CompiledTable:
    leaves: list[_Leaf] = []
    parents: list[str] = []

    def visit(node: Criterion, ancestors: tuple[str, ...]) -> None:
        if node.children:
            parents.append(node.code)
            for child in node.children:
                visit(child, (*ancestors, node.code))
            return
        method = node.method or "manual"
        bands: tuple[tuple[str, Band], ...] = ()
        if method == "grade":
            parsed = [(label, parse_band(label)) for label in node.params.get("grades", {})]
            bands = tuple((label, band) for label, band in parsed if band is not None)
        prep: Any = None
        if method == "checklist":
            points = {item["id"]: item["points"] for item in node.params.get("items", [])}
            prep = (points, frozenset(points))
        parse, score = _METHODS[method]
        leaves.append(
            _Leaf(node.code, method, q2(node.max_points), parse, score, node.params, bands, ancestors, prep)
        )

    for criterion in table.criteria:
        visit(criterion, ())
    adjustments = {a.code: a for a in (*table.bonus, *table.penalties)}
    return CompiledTable(
        table,
        tuple(leaves),
        tuple(parents),
        adjustments,
        frozenset(parents),
        frozenset(leaf.code for leaf in leaves),
        sum((leaf.max_points for leaf in leaves), ZERO),
    )


# -- figure parsing -----------------------------------------------------------------------------
def _num(value: object, suffix: str, *, minimum: Decimal | None = ZERO, label: str = "giá trị") -> Decimal:
    number = to_decimal(value)
    if number is None:
        raise _Bad(suffix, value, f"{label} không phải là số")
    if minimum is not None and number < minimum:
        raise _Bad(suffix, value, f"{label} phải ≥ {minimum}")
    return number


def _count(value: object, suffix: str) -> Decimal:
    if type(value) is int and value >= 0:
        return Decimal(value)
    number = to_decimal(value)
    if number is None:
        raise _Bad(suffix, value, "số lần không phải là số")
    if number < 0 or number != number.to_integral_value():
        raise _Bad(suffix, value, "số lần phải là số nguyên ≥ 0")
    return number


def _pick(raw: object, *keys: str) -> tuple[str, object]:
    """The value of the first of ``keys`` present in a mapping figure, or the scalar itself."""
    if type(raw) is dict or isinstance(raw, Mapping):
        for key in keys:
            if key in raw:
                return f".{key}", raw[key]
        raise _Bad("", dict(raw), "thiếu khóa " + " hoặc ".join(keys))
    return "", raw


def _parse_ratio(raw: object) -> tuple[Decimal, Decimal | None, Decimal | None] | Assignment:
    if (type(raw) is dict or isinstance(raw, Mapping)) and "actual" in raw and "target" in raw:
        actual = _num(raw["actual"], ".actual", label="số thực hiện")
        target = _num(raw["target"], ".target", label="kế hoạch giao")
        if target == 0:
            return NOT_ASSIGNED
        return actual / target * HUNDRED, actual, target
    suffix, value = _pick(raw, "ratio", "value")
    return _num(value, suffix, label="tỷ lệ (%)"), None, None


def _parse_value(raw: object) -> Decimal:
    if (type(raw) is dict or isinstance(raw, Mapping)) and "actual" in raw and "target" in raw:
        actual = _num(raw["actual"], ".actual", label="số thực hiện")
        target = _num(raw["target"], ".target", label="kế hoạch giao")
        if target == 0:
            raise _Bad(".target", raw["target"], "kế hoạch giao bằng 0, không tính được tỷ lệ")
        return actual / target * HUNDRED
    suffix, value = _pick(raw, "value")
    return _num(value, suffix)


def _parse_grade(raw: object) -> str | Decimal:
    suffix, value = _pick(raw, "grade", "value")
    if isinstance(value, str):
        return value.strip()
    number = to_decimal(value)
    if number is None:
        raise _Bad(suffix, value, "mức xếp loại phải là chữ (HTXS…) hoặc số")
    return number


def _parse_bool(raw: object) -> bool:
    suffix, value = _pick(raw, "value")
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
    raise _Bad(suffix, value, "phải là đạt/không đạt (true/false)")


def _parse_items(raw: object) -> frozenset[str]:
    suffix, value = _pick(raw, "true_items")
    if not isinstance(value, list | tuple | set | frozenset) or not all(isinstance(v, str) for v in value):
        raise _Bad(suffix, value, "phải là danh sách mã nội dung đã thực hiện")
    return frozenset(value)


def _parse_counts(raw: object) -> Mapping[str, Decimal] | Decimal:
    suffix, value = _pick(raw, "n")
    if type(value) is dict or isinstance(value, Mapping):
        return {k if type(k) is str else str(k): _count(v, f"{suffix}.{k}") for k, v in value.items()}
    return _count(value, suffix)


def _parse_manual(raw: object) -> Decimal:
    suffix, value = _pick(raw, "value", "points")
    return _num(value, suffix, minimum=None, label="điểm")


# -- leaf scoring -------------------------------------------------------------------------------
def _linear(max_points: Decimal, position: Decimal, span: Decimal) -> Decimal:
    return q2(max_points * position / span)


def _score_target_ratio(leaf: _Leaf, fig: Any, ctx: ClusterContext) -> LeafScore:
    ratio, actual, target = fig
    full, zero = leaf.params["full_at"], leaf.params["zero_at"]
    if ratio >= full:
        points = leaf.max_points
    elif ratio <= zero:
        points = _NIL
    else:
        points = _linear(leaf.max_points, ratio - zero, full - zero)
    return LeafScore(
        leaf.code, leaf.method, points, leaf.max_points, SCORED, ratio, (actual, target, full, zero)
    )


def _score_proportional(leaf: _Leaf, fig: Any, ctx: ClusterContext) -> LeafScore:
    ratio, actual, target = fig
    cap = leaf.params["cap"]
    share = min(ratio / HUNDRED, cap)
    points = q2(leaf.max_points * share)
    return LeafScore(leaf.code, leaf.method, points, leaf.max_points, SCORED, ratio, (actual, target, cap))


def _score_lower(leaf: _Leaf, value: Decimal, ctx: ClusterContext) -> LeafScore:
    full, zero = leaf.params["full_at"], leaf.params["zero_at"]
    if value <= full:
        points = leaf.max_points
    elif value >= zero:
        points = _NIL
    else:
        points = _linear(leaf.max_points, zero - value, zero - full)
    return LeafScore(leaf.code, leaf.method, points, leaf.max_points, SCORED, None, (value, full, zero))


def _score_relative(leaf: _Leaf, value: Decimal, ctx: ClusterContext) -> LeafScore:
    lower = leaf.params["lower_is_better"]
    best = ctx.best.get(leaf.code, value)
    if lower:
        # value > best >= 0 in the second branch, so value > 0
        points = leaf.max_points if value <= best else q2(leaf.max_points * best / value)
    elif best <= 0:
        points = _NIL
    else:
        points = q2(leaf.max_points * min(value / best, Decimal(1)))
    return LeafScore(leaf.code, leaf.method, points, leaf.max_points, SCORED, None, (value, best, lower))


def _score_grade(leaf: _Leaf, grade: str | Decimal, ctx: ClusterContext) -> LeafScore:
    grades: Mapping[str, Decimal] = leaf.params["grades"]
    if leaf.bands:
        number = grade if isinstance(grade, Decimal) else to_decimal(grade)
        if number is None:
            raise _Bad("", grade, "phải là số (mức xếp loại theo khoảng số)")
        for label, (low, low_in, high, high_in) in leaf.bands:
            if low is not None and (number < low or (number == low and not low_in)):
                continue
            if high is not None and (number > high or (number == high and not high_in)):
                continue
            return LeafScore(
                leaf.code, leaf.method, q2(grades[label]), leaf.max_points, SCORED, None, (number, label)
            )
        return LeafScore(leaf.code, leaf.method, _NIL, leaf.max_points, SCORED, None, (number, None))
    label = grade if isinstance(grade, str) else str(grade)
    if label not in grades:
        raise _Bad("", grade, "mức xếp loại không có trong bảng (" + ", ".join(grades) + ")")
    return LeafScore(leaf.code, leaf.method, q2(grades[label]), leaf.max_points, SCORED, None, (label, label))


def _score_bool(leaf: _Leaf, done: bool, ctx: ClusterContext) -> LeafScore:
    return LeafScore(
        leaf.code, leaf.method, leaf.max_points if done else _NIL, leaf.max_points, SCORED, None, (done,)
    )


def _score_checklist(leaf: _Leaf, done: frozenset[str], ctx: ClusterContext) -> LeafScore:
    by_id, known = leaf.prep
    if not done <= known:
        unknown = sorted(done - known)
        raise _Bad(".true_items", unknown, "nội dung không có trong bảng (" + ", ".join(sorted(known)) + ")")
    raw = sum([by_id[item] for item in done], ZERO)
    points = q2(min(raw, leaf.max_points))
    return LeafScore(
        leaf.code, leaf.method, points, leaf.max_points, SCORED, None, (len(done), len(known), raw)
    )


def _score_count(leaf: _Leaf, counts: Mapping[str, Decimal] | Decimal, ctx: ClusterContext) -> LeafScore:
    weights: Mapping[str, Decimal] = leaf.params["weights"]
    if isinstance(counts, Decimal):
        if len(weights) != 1:
            raise _Bad(".n", counts, "cần số lần theo từng loại (" + ", ".join(weights) + ")")
        counts = {next(iter(weights)): counts}
    if not counts.keys() <= weights.keys():
        unknown = sorted(set(counts) - set(weights))
        raise _Bad(".n", unknown, "loại không có trong bảng (" + ", ".join(weights) + ")")
    raw = sum([weights[kind] * n for kind, n in counts.items()], ZERO)
    points = q2(raw) if raw < leaf.max_points else leaf.max_points
    return LeafScore(leaf.code, leaf.method, points, leaf.max_points, SCORED, None, (counts, weights, raw))


def _score_deduct(leaf: _Leaf, n: Mapping[str, Decimal] | Decimal, ctx: ClusterContext) -> LeafScore:
    events = n if isinstance(n, Decimal) else sum(n.values(), ZERO)
    per_event = leaf.params["per_event"]
    points = q2(max(leaf.max_points - per_event * events, ZERO))
    return LeafScore(leaf.code, leaf.method, points, leaf.max_points, SCORED, None, (events, per_event))


def _score_manual(leaf: _Leaf, value: Decimal, ctx: ClusterContext) -> LeafScore:
    points = q2(min(max(value, ZERO), leaf.max_points))
    return LeafScore(leaf.code, leaf.method, points, leaf.max_points, SCORED, None, (value,))


_METHODS: dict[str, tuple[Callable[[Any], Any], Callable[[_Leaf, Any, ClusterContext], LeafScore]]] = {
    "target_ratio": (_parse_ratio, _score_target_ratio),
    "proportional": (_parse_ratio, _score_proportional),
    "lower_is_better": (_parse_value, _score_lower),
    "relative_to_best": (_parse_value, _score_relative),
    "grade": (_parse_grade, _score_grade),
    "boolean": (_parse_bool, _score_bool),
    "checklist": (_parse_items, _score_checklist),
    "count": (_parse_counts, _score_count),
    "deduct_per_event": (_parse_counts, _score_deduct),
    "manual": (_parse_manual, _score_manual),
}


# -- explanations (Vietnamese) ------------------------------------------------------------------
def _pts(leaf: LeafScore) -> str:
    return f"{fmt(leaf.points)}/{fmt(leaf.max_points, None)} điểm"


def explain_leaf(leaf: LeafScore) -> str:
    """Vietnamese explanation of a leaf, e.g. "Đạt 104,31% kế hoạch → 10,00/10 điểm"."""
    d = leaf.detail
    if leaf.status == UNASSIGNED:
        if d and d[0] == "target_zero":
            return "Kế hoạch giao bằng 0 → coi như không giao chỉ tiêu, không tính vào điểm tối đa được giao"
        return "Không giao chỉ tiêu → không tính vào điểm tối đa được giao"
    if leaf.status == MISSING:
        return f"Chưa có số liệu → {_pts(leaf)}"
    method = leaf.method
    if method in RATIO_METHODS:
        assert leaf.ratio is not None
        source = f" ({fmt(d[0], None)}/{fmt(d[1], None)})" if d[0] is not None else ""
        head = f"Đạt {fmt(leaf.ratio)}% kế hoạch{source}"
        if method == "proportional":
            return f"{head}; {fmt(leaf.max_points, None)} × min({fmt(leaf.ratio / HUNDRED, 4)}; {fmt(d[2], None)}) → {_pts(leaf)}"
        full, zero = d[2], d[3]
        if leaf.ratio >= full:
            return f"{head} ≥ {fmt(full, None)}% → {_pts(leaf)}"
        if leaf.ratio <= zero:
            return f"{head} ≤ {fmt(zero, None)}% → {_pts(leaf)}"
        return f"{head}, tính tuyến tính từ {fmt(zero, None)}% (0 điểm) đến {fmt(full, None)}% (tối đa) → {_pts(leaf)}"
    if method == "lower_is_better":
        value, full, zero = d
        head = f"Giá trị {fmt(value)} (càng thấp càng tốt)"
        if value <= full:
            return f"{head} ≤ {fmt(full, None)} → {_pts(leaf)}"
        if value >= zero:
            return f"{head} ≥ {fmt(zero, None)} → {_pts(leaf)}"
        return f"{head}, tính tuyến tính từ {fmt(full, None)} (tối đa) đến {fmt(zero, None)} (0 điểm) → {_pts(leaf)}"
    if method == "relative_to_best":
        value, best, lower = d
        if lower:
            return f"Giá trị {fmt(value)}, tốt nhất cụm (thấp nhất) {fmt(best)}: {fmt(leaf.max_points, None)} × tốt nhất/giá trị → {_pts(leaf)}"
        return f"Giá trị {fmt(value)}, tốt nhất cụm {fmt(best)}: {fmt(leaf.max_points, None)} × giá trị/tốt nhất → {_pts(leaf)}"
    if method == "grade":
        value, label = d
        if isinstance(value, Decimal):
            if label is None:
                return f"Giá trị {fmt(value, None)} không thuộc mức nào → {_pts(leaf)}"
            return f"Giá trị {fmt(value, None)} thuộc mức {label} → {_pts(leaf)}"
        return f"Xếp loại {label} → {_pts(leaf)}"
    if method == "boolean":
        return f"{'Đạt' if d[0] else 'Không đạt'} → {_pts(leaf)}"
    if method == "checklist":
        done, total, raw = d
        capped = f", vượt mức tối đa nên tính {fmt(leaf.max_points, None)}" if raw > leaf.max_points else ""
        return f"Thực hiện {done}/{total} nội dung, cộng {fmt(raw, None)} điểm{capped} → {_pts(leaf)}"
    if method == "count":
        counts, weights, raw = d
        parts = (
            " + ".join(f"{kind}: {fmt(n, None)} × {fmt(weights[kind], None)}" for kind, n in counts.items())
            or "0"
        )
        capped = f", vượt mức trần nên tính {fmt(leaf.max_points, None)}" if raw > leaf.max_points else ""
        return f"{parts} = {fmt(raw, None)}{capped} → {_pts(leaf)}"
    if method == "deduct_per_event":
        events, per_event = d
        return f"{fmt(events, None)} lần × {fmt(per_event, None)} điểm trừ vào {fmt(leaf.max_points, None)} → {_pts(leaf)}"
    value = d[0]
    clamp = " (giới hạn trong khung điểm)" if value != leaf.points else ""
    return f"Hội đồng thi đua chấm {fmt(value, None)}{clamp} → {_pts(leaf)}"


# -- bonus and penalties ------------------------------------------------------------------------
def _adjustment(item: Adjustment, raw: object, leaves: Mapping[str, LeafScore]) -> AdjustmentScore:
    params = item.params
    events = 0
    detail: tuple[Any, ...]
    if item.kind == "ratio_step":
        based_on = params["based_on"]
        if isinstance(raw, Mapping) and "based_on_ratio" in raw:
            ratio: Decimal | None = _num(raw["based_on_ratio"], ".based_on_ratio", label="tỷ lệ (%)")
        else:
            leaf = leaves.get(based_on)
            ratio = leaf.ratio if leaf is not None and leaf.status == SCORED else None
        if ratio is None:
            return AdjustmentScore(item.code, _NIL, 0, item.kind, (based_on, None, ZERO, params))
        steps = max(floor_int((ratio - params["threshold"]) / params["unit_step_percent"]), ZERO)
        raw_points = steps * params["per_unit"]
        detail = (based_on, ratio, steps, params)
    elif item.kind == "per_event":
        n = _parse_counts(raw)
        count = n if isinstance(n, Decimal) else sum(n.values(), ZERO)
        events = int(count)
        raw_points = count * params["per_event"]
        detail = (count, params["per_event"], raw_points)
    elif item.kind == "per_event_by_level":
        levels: Mapping[str, Decimal] = params["levels"]
        n = _parse_counts(raw)
        if isinstance(n, Decimal):
            raise _Bad(".n", n, "cần số lần theo từng mức (" + ", ".join(levels) + ")")
        if not n.keys() <= levels.keys():
            unknown = sorted(set(n) - set(levels))
            raise _Bad(".n", unknown, "mức không có trong bảng (" + ", ".join(levels) + ")")
        events = int(sum(n.values(), ZERO))
        raw_points = sum([levels[k] * v for k, v in n.items()], ZERO)
        detail = (n, levels, raw_points)
    else:
        raw_points = _num(_pick(raw, "value", "points")[1], ".value", label="điểm")
        events = 1 if raw_points > 0 else 0
        detail = (raw_points,)
    points = q2(raw_points)
    cap = None
    if item.cap is not None and points > item.cap:
        points = cap = item.cap
    return AdjustmentScore(item.code, points, events, item.kind, detail, cap, item.disqualifies)


def explain_adjustment(item: AdjustmentScore) -> str:
    """Vietnamese explanation of a bonus or penalty item."""
    d = item.detail
    if item.kind == "ratio_step":
        based_on, ratio, steps, params = d
        if ratio is None:
            return f"{based_on} không có tỷ lệ thực hiện → 0 điểm"
        head = (
            f"{based_on} đạt {fmt(ratio)}%: {fmt(steps, None)} nấc {fmt(params['unit_step_percent'], None)}% "
            f"trên {fmt(params['threshold'], None)}% × {fmt(params['per_unit'], None)} = "
            f"{fmt(steps * params['per_unit'], None)}"
        )
    elif item.kind == "per_event":
        count, per_event, raw = d
        head = f"{fmt(count, None)} lần × {fmt(per_event, None)} = {fmt(raw, None)}"
    elif item.kind == "per_event_by_level":
        n, levels, raw = d
        head = " + ".join(f"{k}: {fmt(v, None)} × {fmt(levels[k], None)}" for k, v in n.items()) or "0"
        head += f" = {fmt(raw, None)}"
    else:
        head = f"Hội đồng thi đua quyết định {fmt(d[0], None)}"
    if item.cap is not None:
        head += f", vượt mức trần nên tính {fmt(item.cap, None)}"
    return f"{head} → {fmt(item.points)} điểm"


# -- public API ---------------------------------------------------------------------------------
def _flatten(figures: Mapping[str, Any]) -> Mapping[str, Any]:
    """Accept bonus and penalty figures either flat or under "bonus"/"penalties" keys."""
    if "bonus" not in figures and "penalties" not in figures:
        return figures
    flat = dict(figures)
    for section in ("bonus", "penalties"):
        nested = flat.get(section)
        if isinstance(nested, Mapping):
            del flat[section]
            flat.update(nested)
    return flat


def _is_unassigned(raw: object) -> bool:
    return raw is NOT_ASSIGNED or (isinstance(raw, Mapping) and raw.get("assigned") is False)


def _parse_unit(
    compiled: CompiledTable, figures: Mapping[str, Any], unit: str, issues: list[Issue]
) -> dict[str, Any]:
    """Parse the figures of one unit; unusable ones are reported in ``issues`` and treated as missing."""
    prefix = f"{unit} / " if unit else ""
    flat = _flatten(figures)
    parsed: dict[str, Any] = {}
    for leaf in compiled.leaves:
        raw = flat.get(leaf.code)
        if raw is None:
            continue
        if raw is NOT_ASSIGNED or (
            raw.get("assigned") is False if type(raw) is dict else _is_unassigned(raw)
        ):
            parsed[leaf.code] = NOT_ASSIGNED
            continue
        try:
            parsed[leaf.code] = leaf.parse(raw)
        except _Bad as bad:
            issues.append(Issue(f"{prefix}{leaf.code}{bad.suffix}", bad.message, bad.value))
    leaf_codes = compiled.leaf_codes
    for code, raw in flat.items():
        if code in leaf_codes or code in compiled.adjustments:
            continue
        if code in compiled.parent_codes:
            issues.append(Issue(f"{prefix}{code}", "là tiêu chí cha; chỉ nhập số liệu cho tiêu chí lá", raw))
        else:
            issues.append(
                Issue(f"{prefix}{code}", "không có tiêu chí nào với mã này trong bảng chấm điểm", raw)
            )
    return parsed


def _score_parsed(
    compiled: CompiledTable,
    parsed: Mapping[str, Any],
    figures: Mapping[str, Any],
    unit: str,
    context: ClusterContext,
    issues: list[Issue],
) -> UnitScore:
    prefix = f"{unit} / " if unit else ""
    table = compiled.table
    leaves: dict[str, LeafScore] = {}
    subtotals: dict[str, Decimal] = dict.fromkeys(compiled.parents, _NIL)
    earned = _NIL
    assigned_max = compiled.leaves_max
    get = parsed.get
    for leaf in compiled.leaves:
        code = leaf.code
        fig = get(code)
        if fig is None:
            score = LeafScore(code, leaf.method, _NIL, leaf.max_points, MISSING, None, ())
        elif fig is NOT_ASSIGNED:
            reason = "target_zero" if code in figures and not _is_unassigned(figures[code]) else ""
            leaves[code] = LeafScore(code, leaf.method, _NIL, leaf.max_points, UNASSIGNED, None, (reason,))
            assigned_max -= leaf.max_points
            continue
        else:
            try:
                score = leaf.score(leaf, fig, context)
            except _Bad as bad:
                issues.append(Issue(f"{prefix}{code}{bad.suffix}", bad.message, bad.value))
                score = LeafScore(code, leaf.method, _NIL, leaf.max_points, MISSING, None, ())
        leaves[code] = score
        points = score[2]
        earned += points
        for parent in leaf.ancestors:
            subtotals[parent] += points

    notes: list[str] = []
    if assigned_max == table.base_max:
        base = earned
    elif assigned_max == 0:
        base = _NIL
        notes.append("Không có tiêu chí nào được giao → điểm cơ bản 0")
    else:
        base = q2(earned / assigned_max * table.base_max)
        notes.append(
            f"Quy đổi do có tiêu chí không giao: {fmt(earned)}/{fmt(assigned_max, None)} × "
            f"{fmt(table.base_max, None)} = {fmt(base)} điểm"
        )

    flat = _flatten(figures)
    bonus_items: dict[str, AdjustmentScore] = {}
    penalty_items: dict[str, AdjustmentScore] = {}
    for items, out in ((table.bonus, bonus_items), (table.penalties, penalty_items)):
        for item in items:
            raw = flat.get(item.code)
            if raw is None and item.kind != "ratio_step":
                continue
            try:
                out[item.code] = _adjustment(item, raw, leaves)
            except _Bad as bad:
                issues.append(Issue(f"{prefix}{item.code}{bad.suffix}", bad.message, bad.value))
    bonus = sum((b.points for b in bonus_items.values()), _NIL)
    if table.bonus_max is not None and bonus > table.bonus_max:
        notes.append(f"Điểm thưởng {fmt(bonus)} vượt mức tối đa, tính {fmt(table.bonus_max, None)}")
        bonus = table.bonus_max
    penalty = sum((p.points for p in penalty_items.values()), _NIL)
    if table.penalty_cap is not None and penalty > table.penalty_cap:
        notes.append(f"Điểm trừ {fmt(penalty)} vượt mức tối đa, tính {fmt(table.penalty_cap, None)}")
        penalty = table.penalty_cap
    total = base + bonus - penalty
    if total < 0 and table.floor_at_zero:
        notes.append(f"Tổng điểm {fmt(total)} < 0, tính 0 theo quy định của bảng")
        total = _NIL
    for scored in penalty_items.values():
        if scored.disqualifies and scored.events > 0:
            notes.append(f"{scored.code}: không được xét danh hiệu (vi phạm loại trừ)")
    return UnitScore(
        unit=unit,
        leaves=leaves,
        subtotals=subtotals,
        earned=earned,
        assigned_max=assigned_max,
        base_max=table.base_max,
        base=base,
        bonus=bonus,
        penalty=penalty,
        total=total,
        bonus_items=bonus_items,
        penalty_items=penalty_items,
        notes=tuple(notes),
    )


def _as_compiled(table: ScoringTable | CompiledTable) -> CompiledTable:
    return table if isinstance(table, CompiledTable) else compile_table(table)


def build_context(
    table: ScoringTable | CompiledTable, parsed_by_unit: Mapping[str, Mapping[str, Any]]
) -> ClusterContext:
    compiled = _as_compiled(table)
    best: dict[str, Decimal] = {}
    for leaf in compiled.leaves:
        if leaf.method != "relative_to_best":
            continue
        values = [
            fig[leaf.code] for fig in parsed_by_unit.values() if isinstance(fig.get(leaf.code), Decimal)
        ]
        if values:
            best[leaf.code] = min(values) if leaf.params["lower_is_better"] else max(values)
    return ClusterContext(best)


def validate_figures(
    table: ScoringTable | CompiledTable, figures: Mapping[str, Any], *, unit: str = ""
) -> list[Issue]:
    """Every problem in one unit's figures: unknown codes, non-numbers, negative counts, unknown grades…"""
    compiled = _as_compiled(table)
    issues: list[Issue] = []
    parsed = _parse_unit(compiled, figures, unit, issues)
    _score_parsed(compiled, parsed, figures, unit, build_context(compiled, {unit: parsed}), issues)
    return issues


def score_unit(
    table: ScoringTable | CompiledTable,
    figures: Mapping[str, Any],
    *,
    context: ClusterContext | None = None,
    unit: str = "",
) -> UnitScore:
    """Score one unit. ``figures`` maps leaf, bonus and penalty codes to their figures.

    ``context`` gives the cluster's best values for relative-to-best criteria; without it the unit
    is compared with itself (use :func:`score_cluster` to score a whole cluster). Raises
    :class:`FiguresError` listing every unusable figure.
    """
    compiled = _as_compiled(table)
    issues: list[Issue] = []
    parsed = _parse_unit(compiled, figures, unit, issues)
    if context is None:
        context = build_context(compiled, {unit: parsed})
    score = _score_parsed(compiled, parsed, figures, unit, context, issues)
    if issues:
        raise FiguresError(issues)
    return score


def score_cluster(
    table: ScoringTable | CompiledTable, figures_by_unit: Mapping[str, Mapping[str, Any]]
) -> list[UnitScore]:
    """Score every unit of one cluster (relative-to-best criteria compare the units with each other).

    Raises :class:`FiguresError` listing every unusable figure of every unit ("Unit / code.key").
    """
    compiled = _as_compiled(table)
    issues: list[Issue] = []
    with gc_paused():
        parsed = {
            unit: _parse_unit(compiled, figures, unit, issues) for unit, figures in figures_by_unit.items()
        }
        context = build_context(compiled, parsed)
        scores = [
            _score_parsed(compiled, parsed[unit], figures, unit, context, issues)
            for unit, figures in figures_by_unit.items()
        ]
    if issues:
        raise FiguresError(issues)
    return scores


def key_indicator_ratios(table: ScoringTable, score: UnitScore) -> dict[str, Decimal | None]:
    """Achievement ratio (%) of each key indicator (``key_indicator: true``) — input for award gates."""
    return {
        c.code: score.leaves[c.code].ratio if c.code in score.leaves else None
        for c in table.walk()
        if c.is_leaf and c.key_indicator
    }
