"""Data model of a scoring table (bảng chấm điểm thi đua). Plain frozen dataclasses, no Django."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from thidua.lib.text import excerpt

# Scoring methods of a leaf criterion, with their Vietnamese labels (used in xlsx and messages).
METHOD_LABELS: dict[str, str] = {
    "target_ratio": "Tỷ lệ so với kế hoạch, tuyến tính giữa zero_at và full_at",
    "lower_is_better": "Càng thấp càng tốt, tuyến tính giữa full_at và zero_at",
    "proportional": "Tỷ lệ thuận: điểm tối đa × min(thực hiện/kế hoạch, cap)",
    "relative_to_best": "So với đơn vị tốt nhất trong cụm",
    "grade": "Theo mức xếp loại",
    "boolean": "Đạt / không đạt",
    "checklist": "Cộng điểm các nội dung đã thực hiện",
    "count": "Điểm theo số lần, có mức trần",
    "deduct_per_event": "Trừ điểm theo số lần vi phạm",
    "manual": "Hội đồng thi đua chấm trong khung điểm",
}
METHODS = frozenset(METHOD_LABELS)
# Methods whose figure is an achievement ratio (actual/target); a bonus may be based on them.
RATIO_METHODS = frozenset({"target_ratio", "proportional"})

# Kinds of bonus (điểm thưởng) and penalty (điểm trừ) items.
ADJUSTMENT_KINDS: dict[str, str] = {
    "ratio_step": "Cộng theo mỗi nấc vượt kế hoạch của một tiêu chí",
    "per_event": "Theo số lần",
    "per_event_by_level": "Theo số lần, mỗi mức một số điểm",
    "manual": "Hội đồng thi đua quyết định trong khung điểm",
}


@dataclass(frozen=True)
class Issue:
    """One problem found while loading a table or figures: where, what value, why (in Vietnamese)."""

    path: str
    message: str
    value: object = None
    show_value: bool = True

    def __str__(self) -> str:
        if self.show_value:
            return f"{self.path}: {_show(self.value)} — {self.message}"
        return f"{self.path}: {self.message}"


def _show(value: object) -> str:
    if value is None:
        return "(trống)"
    if isinstance(value, str):
        return f'"{excerpt(value)}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class ScoringError(ValueError):
    """Carries every issue found, not only the first one."""

    title = "Lỗi"

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        lines = "\n".join(f"- {issue}" for issue in issues)
        super().__init__(f"{self.title} ({len(issues)} lỗi):\n{lines}")


class TableError(ScoringError):
    title = "Bảng chấm điểm không hợp lệ"


class FiguresError(ScoringError):
    title = "Số liệu chấm điểm không hợp lệ"


@dataclass(frozen=True)
class Criterion:
    """A node of the criteria tree. Leaves have a ``method``; parents have ``children``.

    ``params`` holds the method's parameters (grades and checklist items included);
    ``extra`` keeps descriptive fields (unit, data_source, key_indicator…) for round trips.
    """

    code: str
    name: str
    max_points: Decimal
    method: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    children: tuple[Criterion, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def key_indicator(self) -> bool:
        return bool(self.extra.get("key_indicator", False))

    def walk(self) -> Iterator[Criterion]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Adjustment:
    """A bonus (điểm thưởng) or penalty (điểm trừ) item.

    kind ``ratio_step``: ``per_unit`` points per full ``unit_step_percent`` above ``threshold`` (100)
    of the ratio of criterion ``based_on``; ``per_event``: points × n; ``per_event_by_level``:
    sum of ``levels[level]`` × n[level]; ``manual``: points given by the council. ``cap`` bounds
    the item (None = uncapped).
    """

    code: str
    name: str
    kind: str
    params: Mapping[str, Any] = field(default_factory=dict)
    cap: Decimal | None = None
    disqualifies: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ScoringTable:
    """A scoring table for one movement, period and cluster.

    ``meta`` is kept as loaded (id, title, period, calendar…); the point caps are parsed into
    ``base_max``, ``bonus_max`` (None = uncapped), ``penalty_cap`` (None = uncapped) and
    ``floor_at_zero`` (a total below 0 after penalties becomes 0). ``extra`` keeps the other
    top-level sections (ranking, worked_example…) for round trips.
    """

    meta: Mapping[str, Any]
    criteria: tuple[Criterion, ...]
    bonus: tuple[Adjustment, ...] = ()
    penalties: tuple[Adjustment, ...] = ()
    base_max: Decimal = Decimal(0)
    bonus_max: Decimal | None = None
    penalty_cap: Decimal | None = None
    floor_at_zero: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)

    def walk(self) -> Iterator[Criterion]:
        for criterion in self.criteria:
            yield from criterion.walk()

    def leaves(self) -> list[Criterion]:
        return [c for c in self.walk() if c.is_leaf]

    def find(self, code: str) -> Criterion | None:
        for criterion in self.walk():
            if criterion.code == code:
                return criterion
        return None
