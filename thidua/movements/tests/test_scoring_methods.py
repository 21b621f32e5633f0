"""Every scoring method as a case table: (method, parameters, figure) → points and explanation."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from thidua.movements.scoring import NOT_ASSIGNED, score_unit

from .helpers import one_leaf

RATIO = {"params": {"full_at": 100, "zero_at": 95}}
LOWER = {"params": {"full_at": 2.0, "zero_at": 4.0}}
GRADE_BANDS = {"grades": {">=90": 3, "85-<90": 2, "80-<85": 1, "<80": 0}}
GRADE_LABELS = {"grades": {"HTXS": 5, "HTT": 4, "HT": 2, "KHT": 0}}
CHECKLIST = {
    "items": [
        {"id": "a", "name": "Nội dung a", "points": 1},
        {"id": "b", "name": "Nội dung b", "points": 1},
        {"id": "c", "name": "Nội dung c", "points": 1.5},
        {"id": "d", "name": "Nội dung d", "points": 1.5},
    ]
}
COUNT = {"params": {"weights": {"hoi_nghi": 0.1}}}
COUNT2 = {"params": {"weights": {"co_so": 0.5, "nganh": 1.0}}}
DEDUCT = {"params": {"per_event": 0.5}}

# (id, method, max, params, figure, expected points, fragment of the explanation)
# fmt: off
CASES: list[tuple[str, str, float, dict[str, Any], Any, str, str]] = [
    # target_ratio: linear between zero_at and full_at
    ("ratio-above-full", "target_ratio", 10, RATIO, {"actual": 104.31, "target": 100}, "10.00",
     "Đạt 104,31% kế hoạch (104,31/100) ≥ 100% → 10,00/10 điểm"),
    ("ratio-exactly-full", "target_ratio", 10, RATIO, {"actual": 400000, "target": 400000}, "10.00",
     "Đạt 100,00% kế hoạch (400.000/400.000) ≥ 100% → 10,00/10 điểm"),
    ("ratio-exactly-zero", "target_ratio", 10, RATIO, {"actual": 95, "target": 100}, "0.00", "≤ 95% → 0,00/10 điểm"),
    ("ratio-below-zero", "target_ratio", 10, RATIO, {"actual": 50, "target": 100}, "0.00", "Đạt 50,00%"),
    ("ratio-middle", "target_ratio", 10, RATIO, {"actual": 97.5, "target": 100}, "5.00",
     "tính tuyến tính từ 95% (0 điểm) đến 100% (tối đa) → 5,00/10 điểm"),
    ("ratio-given-as-ratio", "target_ratio", 10, RATIO, {"ratio": 99}, "8.00", "Đạt 99,00% kế hoạch, tính tuyến tính"),
    ("ratio-bare-number", "target_ratio", 10, RATIO, 96, "2.00", "Đạt 96,00%"),
    ("ratio-round-half-up", "target_ratio", 3, {"params": {"full_at": 100, "zero_at": 90}},
     {"actual": 86, "target": 90}, "1.67", "1,67/3 điểm"),
    # 1 × 0.5 / 100 = 0.005 exactly: half-up gives 0.01 (banker's rounding would give 0.00)
    ("ratio-half-up-not-bankers", "target_ratio", 1, {"params": {"full_at": 100}}, {"ratio": 0.5}, "0.01", "0,01/1"),
    ("ratio-zero-at-default-0", "target_ratio", 10, {"params": {"full_at": 100}}, {"ratio": 25}, "2.50", "từ 0%"),
    # lower_is_better
    ("lower-at-full", "lower_is_better", 4, LOWER, {"value": 2.0}, "4.00", "Giá trị 2,00 (càng thấp càng tốt) ≤ 2 → 4,00/4"),
    ("lower-below-full", "lower_is_better", 4, LOWER, 1.1, "4.00", "≤ 2"),
    ("lower-at-zero", "lower_is_better", 4, LOWER, {"value": 4}, "0.00", "≥ 4 → 0,00/4"),
    ("lower-above-zero", "lower_is_better", 4, LOWER, {"value": 7.5}, "0.00", "≥ 4"),
    ("lower-middle", "lower_is_better", 4, LOWER, {"value": 2.6}, "2.80", "tính tuyến tính từ 2 (tối đa) đến 4 (0 điểm)"),
    ("lower-from-actual-target", "lower_is_better", 6, {"params": {"full_at": 100, "zero_at": 105}},
     {"actual": 101.5, "target": 100}, "4.20", "Giá trị 101,50"),
    # proportional: max × min(actual/target, cap)
    ("proportional-below", "proportional", 10, {}, {"actual": 80, "target": 100}, "8.00",
     "Đạt 80,00% kế hoạch (80/100); 10 × min(0,8000; 1) → 8,00/10 điểm"),
    ("proportional-capped-at-1", "proportional", 10, {}, {"actual": 130, "target": 100}, "10.00", "min(1,3000; 1)"),
    ("proportional-cap-1.2", "proportional", 10, {"params": {"cap": 1.2}}, {"actual": 130, "target": 100}, "12.00",
     "min(1,3000; 1,2) → 12,00/10"),
    ("proportional-zero", "proportional", 10, {}, {"actual": 0, "target": 100}, "0.00", "Đạt 0,00%"),
    # relative_to_best, scored alone: the unit is the best of its own cluster
    ("relative-alone", "relative_to_best", 5, {}, {"value": 42}, "5.00", "tốt nhất cụm 42,00"),
    # grade with numeric bands (a <= v < b)
    ("grade-band-top", "grade", 3, GRADE_BANDS, {"value": 90}, "3.00", "Giá trị 90 thuộc mức >=90 → 3,00/3"),
    ("grade-band-just-below", "grade", 3, GRADE_BANDS, {"value": 89.99}, "2.00", "thuộc mức 85-<90"),
    ("grade-band-lower-edge", "grade", 3, GRADE_BANDS, {"value": 85}, "2.00", "thuộc mức 85-<90"),
    ("grade-band-80", "grade", 3, GRADE_BANDS, 80, "1.00", "thuộc mức 80-<85"),
    ("grade-band-bottom", "grade", 3, GRADE_BANDS, {"value": 12}, "0.00", "thuộc mức <80"),
    ("grade-band-gap", "grade", 3, {"grades": {">=90": 3, "80-<85": 1}}, {"value": 87}, "0.00", "không thuộc mức nào"),
    # grade with labels
    ("grade-label", "grade", 5, GRADE_LABELS, {"grade": "HTT"}, "4.00", "Xếp loại HTT → 4,00/5 điểm"),
    ("grade-label-bare", "grade", 5, GRADE_LABELS, "HTXS", "5.00", "Xếp loại HTXS"),
    # boolean
    ("boolean-true", "boolean", 2, {}, {"value": True}, "2.00", "Đạt → 2,00/2 điểm"),
    ("boolean-false", "boolean", 2, {}, False, "0.00", "Không đạt → 0,00/2 điểm"),
    ("boolean-vietnamese-word", "boolean", 2, {}, "có", "2.00", "Đạt"),
    # checklist: items' points summed, capped at max
    ("checklist-some", "checklist", 4, CHECKLIST, {"true_items": ["a", "c"]}, "2.50", "Thực hiện 2/4 nội dung, cộng 2,5 điểm"),
    ("checklist-all-capped", "checklist", 4, CHECKLIST, {"true_items": ["a", "b", "c", "d"]}, "4.00",
     "cộng 5 điểm, vượt mức tối đa nên tính 4"),
    ("checklist-none", "checklist", 4, CHECKLIST, {"true_items": []}, "0.00", "Thực hiện 0/4"),
    # count: sum(weight × n), capped at max
    ("count-single", "count", 3, COUNT, {"n": {"hoi_nghi": 24}}, "2.40", "hoi_nghi: 24 × 0,1 = 2,4 → 2,40/3"),
    ("count-bare-n-single-weight", "count", 3, COUNT, {"n": 24}, "2.40", "hoi_nghi: 24"),
    ("count-exactly-cap", "count", 3, COUNT, {"n": {"hoi_nghi": 30}}, "3.00", "= 3 → 3,00/3"),
    ("count-capped", "count", 3, COUNT, {"n": {"hoi_nghi": 45}}, "3.00", "vượt mức trần nên tính 3"),
    ("count-zero", "count", 3, COUNT, {"n": {"hoi_nghi": 0}}, "0.00", "= 0"),
    ("count-kinds", "count", 3, COUNT2, {"n": {"co_so": 3, "nganh": 1}}, "2.50", "co_so: 3 × 0,5 + nganh: 1 × 1"),
    # deduct_per_event: max − per_event × n, floored at 0
    ("deduct-none", "deduct_per_event", 3, DEDUCT, {"n": 0}, "3.00", "0 lần × 0,5 điểm trừ vào 3 → 3,00/3"),
    ("deduct-one", "deduct_per_event", 3, DEDUCT, {"n": 1}, "2.50", "1 lần"),
    ("deduct-exactly-zero", "deduct_per_event", 3, DEDUCT, 6, "0.00", "6 lần"),
    ("deduct-floored", "deduct_per_event", 3, DEDUCT, {"n": 10}, "0.00", "10 lần"),
    # manual: clamped to [0, max]
    ("manual", "manual", 4, {}, {"value": 3.5}, "3.50", "Hội đồng thi đua chấm 3,5 → 3,50/4 điểm"),
    ("manual-above-max", "manual", 4, {}, {"value": 7}, "4.00", "(giới hạn trong khung điểm)"),
    ("manual-negative", "manual", 4, {}, -1, "0.00", "(giới hạn trong khung điểm)"),
]
# fmt: on


@pytest.mark.parametrize(
    ("method", "max_points", "params", "figure", "expected", "explanation"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_it_scores_each_method(method, max_points, params, figure, expected, explanation):
    score = score_unit(one_leaf(method, max_points, **params), {"A.1": figure})
    leaf = score.leaves["A.1"]
    assert leaf.points == Decimal(expected)
    assert leaf.points.as_tuple().exponent == -2  # always 2 decimals
    assert explanation in leaf.explanation
    assert leaf.status == "scored"


def test_it_scores_a_missing_figure_as_zero_and_counts_its_maximum():
    score = score_unit(one_leaf("target_ratio", 8, **RATIO), {})
    leaf = score.leaves["A.1"]
    assert (leaf.points, leaf.status, leaf.explanation) == (
        Decimal("0.00"),
        "missing",
        "Chưa có số liệu → 0,00/8 điểm",
    )
    assert score.assigned_max == 8
    assert score.base == 0


@pytest.mark.parametrize(
    "figure",
    [NOT_ASSIGNED, {"assigned": False}, {"actual": 10, "target": 0}],
    ids=["sentinel", "assigned-false", "target-zero"],
)
def test_it_leaves_a_not_assigned_criterion_out_of_the_maximum(figure):
    score = score_unit(one_leaf("target_ratio", 8, **RATIO), {"A.1": figure})
    leaf = score.leaves["A.1"]
    assert leaf.status == "not_assigned"
    assert not leaf.assigned
    assert score.assigned_max == 0
    assert score.base == 0
    assert "không tính vào điểm tối đa được giao" in leaf.explanation


def test_it_explains_a_target_of_zero():
    score = score_unit(one_leaf("target_ratio", 8, **RATIO), {"A.1": {"actual": 3, "target": 0}})
    assert score.leaves["A.1"].explanation.startswith("Kế hoạch giao bằng 0 → coi như không giao chỉ tiêu")


def test_it_marks_full_marks():
    score = score_unit(one_leaf("boolean", 2), {"A.1": True})
    assert score.leaves["A.1"].full_marks
    assert score.full_marks == 1
