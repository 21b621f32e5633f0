"""The example table scores the worked example and a fictitious Cụm thi đua số 5.

Every expected figure below was computed by hand from the rules in the header of
criteria-example.yaml (leaves rounded half-up to 2 decimals, sums of rounded leaves).
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest

from thidua.movements.scoring import (
    NOT_ASSIGNED,
    FiguresError,
    key_indicator_ratios,
    rank,
    score_cluster,
    score_unit,
    tie_break_from_table,
    validate_figures,
)

from .helpers import leaf, table


def test_it_scores_the_worked_example_of_the_file(example_data, example_table):
    worked = example_data["worked_example"]
    score = score_unit(example_table, worked["inputs"], unit="Ninh Bình")
    expected = worked["expected"]
    assert {code: leaf.points for code, leaf in score.leaves.items()} == {
        code: Decimal(str(points)) for code, points in expected["leaves"].items()
    }
    for code, subtotal in expected["subtotals"].items():
        assert score.subtotals[code] == Decimal(str(subtotal))
    assert score.base == Decimal(str(expected["base"]))
    assert score.bonus == Decimal(str(expected["bonus"]))
    assert score.penalty == Decimal(str(expected["penalties"]))
    assert score.total == Decimal(str(expected["total"]))
    assert (
        score.bonus_items["B.1"].explanation
        == "I.1.1 đạt 103,13%: 3 nấc 1% trên 100% × 0,5 = 1,5 → 1,50 điểm"
    )
    assert score.leaves["I.1.2"].explanation == (
        "Đạt 88,00% kế hoạch (44.000/50.000), tính tuyến tính từ 80% (0 điểm) đến 100% (tối đa) → 2,80/7 điểm"
    )


def test_it_computes_the_bonus_from_the_criterion_when_no_ratio_is_given(example_data, example_table):
    figures = copy.deepcopy(example_data["worked_example"]["inputs"])
    del figures["bonus"]["B.1"]  # B.1 then reads the ratio of I.1.1: 103.125 % → 3 steps
    assert score_unit(example_table, figures).bonus_items["B.1"].points == Decimal("1.50")


def _ninh_binh(example_data: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(example_data["worked_example"]["inputs"])


QUANG_NINH: dict[str, Any] = {  # every criterion at full marks
    "I.1.1": {"actual": 420000, "target": 400000},  # 105 % → B.1: 5 steps × 0.5 = 2.5, cap 2
    "I.1.2": {"actual": 54000, "target": 50000},  # 108 % → B.2: 4 steps of 2 % × 0.5 = 2
    "I.1.3": {"actual": 3800000, "target": 3800000},
    "I.1.4": {"actual": 10200000, "target": 10200000},
    "I.1.5": {"value": 1.8},
    "I.2.1": {"actual": 100, "target": 100},
    "I.2.2": {"actual": 90, "target": 90},
    "I.2.3": {"value": 99.0},
    "I.3.1": {"actual": 95, "target": 95},
    "I.3.2": {"actual": 98, "target": 98},
    "I.3.3": {"actual": 1200000, "target": 1200000},
    "I.3.4": {"value": 92},
    "I.4.1": {"actual": 200, "target": 200},
    "I.4.2": {"n": {"hoi_nghi": 35}},  # 3.5, capped at 3
    "I.4.3": {"actual": 100, "target": 100},
    "II.1": {"value": True},
    "II.2": {"true_items": ["vi_nguoi_ngheo", "nong_thon_moi", "dmst_cds", "cds_bhxh", "binh_dan_hoc_vu_so"]},
    "II.3": {"n": {"toan_quoc": 2}},
    "II.4": {"n": 0},
    "II.5": {"value": 4},
    "II.6": {"value": True},
    "II.7": {"actual": 100, "target": 100},
    "III.1": {"grade": "HTXS"},
    "III.2": {"grade": "vung_manh_xuat_sac"},
    "III.3": {"grade": "xuat_sac"},
    "bonus": {"B.3": {"n": 3}, "B.4": {"n": 1}, "B.5": {"n": 1}},  # B.3 capped at 2
}


@pytest.fixture
def cum_5(example_data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The six provinces of Cụm thi đua số 5 with invented figures."""
    ninh_binh = _ninh_binh(example_data)  # total 77.28 (the worked example)
    bac_ninh = _ninh_binh(example_data)
    bac_ninh["I.1.2"] = NOT_ASSIGNED  # 75.78 − 2.80 = 72.98 of 93 assigned → 78.47; B.2 → 0
    thai_nguyen = _ninh_binh(example_data)
    del thai_nguyen["II.5"]  # missing manual score → 0: base 72.28
    thai_nguyen["penalties"]["T.1"] = {"n": {"canh_cao": 1, "khien_trach": 1}}  # 2 + 1
    thai_nguyen["penalties"]["T.6"] = {"n": 1}  # 5, also disqualifies
    hung_yen = _ninh_binh(example_data)
    hung_yen["II.5"] = {"value": 4}  # +0.5
    hung_yen["II.4"] = {"n": 0}  # +0.5 → base 76.78
    del hung_yen["bonus"]["B.4"]  # bonus 1.5 → total 76.78 + 1.5 − 1 = 77.28, tied with Ninh Bình
    phu_tho = _ninh_binh(example_data)
    phu_tho["I.2.1"] = {"actual": 98.7, "target": 100}  # 4.20 → 3.70
    phu_tho["I.4.2"] = {"n": {"hoi_nghi": 29}}  # 2.40 → 2.90: same base, same full marks as Ninh Bình
    return {
        "Phú Thọ": phu_tho,
        "Quảng Ninh": QUANG_NINH,
        "Bắc Ninh": bac_ninh,
        "Thái Nguyên": thai_nguyen,
        "Hưng Yên": hung_yen,
        "Ninh Bình": ninh_binh,
    }


# unit: (earned, assigned max, base, bonus, penalty, total, leaves at full marks)
# fmt: off
EXPECTED = {
    "Phú Thọ":     ("75.78",  "100", "75.78",  "2.50",  "1.00", "77.28",  5),
    "Quảng Ninh":  ("100.00", "100", "100.00", "8.00",  "0.00", "108.00", 25),
    "Bắc Ninh":    ("72.98",  "93",  "78.47",  "2.50",  "1.00", "79.97",  5),
    "Thái Nguyên": ("72.28",  "100", "72.28",  "2.50",  "9.00", "65.78",  5),
    "Hưng Yên":    ("76.78",  "100", "76.78",  "1.50",  "1.00", "77.28",  7),
    "Ninh Bình":   ("75.78",  "100", "75.78",  "2.50",  "1.00", "77.28",  5),
}
# fmt: on


def test_it_scores_the_six_provinces_of_cum_5(example_table, cum_5):
    scores = {s.unit: s for s in score_cluster(example_table, cum_5)}
    assert list(scores) == list(cum_5)
    for unit, (earned, assigned_max, base, bonus, penalty, total, full) in EXPECTED.items():
        s = scores[unit]
        got = (s.earned, s.assigned_max, s.base, s.bonus, s.penalty, s.total, s.full_marks)
        want = (
            Decimal(earned),
            Decimal(assigned_max),
            Decimal(base),
            Decimal(bonus),
            Decimal(penalty),
            Decimal(total),
            full,
        )
        assert got == want, unit


def test_it_explains_the_normalisation_and_exclusions(example_table, cum_5):
    scores = {s.unit: s for s in score_cluster(example_table, cum_5)}
    assert scores["Bắc Ninh"].notes == ("Quy đổi do có tiêu chí không giao: 72,98/93 × 100 = 78,47 điểm",)
    assert scores["Bắc Ninh"].bonus_items["B.2"].explanation == "I.1.2 không có tỷ lệ thực hiện → 0 điểm"
    assert scores["Thái Nguyên"].disqualified
    assert scores["Thái Nguyên"].penalty_events == 4
    assert scores["Thái Nguyên"].penalty_items["T.1"].explanation == (
        "canh_cao: 1 × 2 + khien_trach: 1 × 1 = 3 → 3,00 điểm"
    )
    assert "T.6: không được xét danh hiệu (vi phạm loại trừ)" in scores["Thái Nguyên"].notes
    assert (
        scores["Quảng Ninh"].bonus_items["B.1"].explanation.endswith("vượt mức trần nên tính 2 → 2,00 điểm")
    )
    assert not scores["Quảng Ninh"].disqualified


def test_it_ranks_cum_5_with_the_default_tie_break(example_table, cum_5):
    ranked = rank(score_cluster(example_table, cum_5))
    assert [(r.rank, r.unit) for r in ranked] == [
        (1, "Quảng Ninh"),
        (2, "Bắc Ninh"),
        (3, "Hưng Yên"),  # 77.28 like Ninh Bình and Phú Thọ, higher base score
        (4, "Phú Thọ"),  # still tied with Ninh Bình on base and full marks: shared rank
        (4, "Ninh Bình"),
        (6, "Thái Nguyên"),
    ]
    by_unit = {r.unit: r for r in ranked}
    assert (
        by_unit["Hưng Yên"].note == "Bằng tổng điểm 77,28 với Phú Thọ, Ninh Bình; phân định theo điểm cơ bản"
    )
    assert by_unit["Phú Thọ"].shares_rank_with == ("Ninh Bình",)
    assert by_unit["Phú Thọ"].note.startswith("Đồng hạng với Ninh Bình: bằng tổng điểm 77,28")


def test_it_ranks_cum_5_with_the_tie_breakers_of_the_table(example_table, cum_5):
    keys, manual = tie_break_from_table(example_table)
    assert keys == ("subtotal:I.1", "ratio:I.1.1", "fewer_penalty_events")
    assert manual == ("secret vote of the cluster council",)
    ranked = rank(score_cluster(example_table, cum_5), tie_break=keys)
    # I.1 subtotal, I.1.1 ratio and penalty events are equal for the three: the council decides.
    assert [r.rank for r in ranked] == [1, 2, 3, 3, 3, 6]


def test_it_reports_key_indicator_ratios(example_table, cum_5):
    score = score_cluster(example_table, cum_5)[-1]
    ratios = key_indicator_ratios(example_table, score)
    assert list(ratios) == ["I.1.1", "I.1.2", "I.1.3", "I.1.4"]
    assert ratios["I.1.1"] == Decimal("103.125")


def test_it_compares_relative_to_best_units_inside_the_cluster():
    t = table(
        leaf("A.1", "relative_to_best", 10),
        leaf("A.2", "relative_to_best", 10, params={"lower_is_better": True}),
    )
    scores = score_cluster(
        t,
        {
            "Phú Thọ": {"A.1": {"value": 50}, "A.2": {"value": 2}},
            "Quảng Ninh": {"A.1": {"value": 80}, "A.2": {"value": 4}},
            "Bắc Ninh": {"A.1": {"actual": 30, "target": 40}, "A.2": {"value": 3}},  # 75 %
            "Hưng Yên": {"A.1": NOT_ASSIGNED, "A.2": {"value": 0}},  # 0 is the best (lowest)
        },
    )
    points = {s.unit: (s.leaves["A.1"].points, s.leaves["A.2"].points) for s in scores}
    assert points == {
        "Phú Thọ": (Decimal("6.25"), Decimal("0.00")),  # 10 × 50/80; 10 × 0/2
        "Quảng Ninh": (Decimal("10.00"), Decimal("0.00")),
        "Bắc Ninh": (Decimal("9.38"), Decimal("0.00")),  # 10 × 75/80 = 9.375 → 9.38 (half-up)
        "Hưng Yên": (Decimal("0.00"), Decimal("10.00")),
    }
    assert (
        scores[0].leaves["A.1"].explanation
        == "Giá trị 50,00, tốt nhất cụm 80,00: 10 × giá trị/tốt nhất → 6,25/10 điểm"
    )
    assert scores[3].base == Decimal("20.00")  # 10 of 10 assigned → normalised to 20


def test_it_gives_nothing_relative_to_a_best_of_zero():
    t = table(leaf("A.1", "relative_to_best", 10))
    scores = score_cluster(t, {"X": {"A.1": 0}, "Y": {"A.1": 0}})
    assert [s.leaves["A.1"].points for s in scores] == [Decimal("0.00"), Decimal("0.00")]


BONUS_TABLE: dict[str, Any] = {
    "bonus": [
        {"code": "B.1", "name": "Thưởng 1", "per_event": 2, "cap": 3},
        {"code": "B.2", "name": "Thưởng 2", "kind": "manual", "cap": 2},
    ],
    "penalties": [
        {"code": "T.1", "name": "Trừ 1", "per_event": 4},
        {"code": "T.2", "name": "Trừ 2", "per_event_by_level": {"nhe": 1, "nang": 3}, "cap": 5},
    ],
}


@pytest.mark.parametrize(
    ("points", "figures", "bonus", "penalty", "total"),
    [
        ({"bonus_max": 4}, {"B.1": {"n": 5}, "B.2": {"value": 1.5}}, "4", "0", "14.00"),  # 3 + 1.5 → cap 4
        ({}, {"B.1": {"n": 5}, "B.2": {"value": 9}}, "5.00", "0", "15.00"),  # items capped, no total cap
        ({}, {"T.2": {"n": {"nang": 2}}}, "0", "5", "5.00"),  # 6 capped at 5 by the item
        ({"penalty_cap": 6}, {"T.1": {"n": 1}, "T.2": {"n": {"nang": 1}}}, "0", "6", "4.00"),  # 7 → 6
        ({}, {"T.1": {"n": 5}}, "0", "20.00", "-10.00"),  # no floor: negative total is kept
        ({"floor_at_zero": True}, {"T.1": {"n": 5}}, "0", "20.00", "0.00"),  # floored at 0
    ],
    ids=["bonus-max", "item-caps", "penalty-item-cap", "penalty-cap", "negative", "floor-at-zero"],
)
def test_it_caps_bonus_and_penalties(points, figures, bonus, penalty, total):
    t = table(leaf("A.1", "manual", 10), points=points, **BONUS_TABLE)
    score = score_unit(t, {"A.1": {"value": 10}, **figures})
    assert (score.bonus, score.penalty, score.total) == (Decimal(bonus), Decimal(penalty), Decimal(total))
    if points.get("floor_at_zero"):
        assert score.notes == ("Tổng điểm -10,00 < 0, tính 0 theo quy định của bảng",)


def test_it_normalises_a_unit_with_criteria_not_assigned():
    t = table(leaf("A.1", "manual", 6), leaf("A.2", "manual", 4))
    full = score_unit(t, {"A.1": 6, "A.2": 4})
    partial = score_unit(t, {"A.1": 6, "A.2": NOT_ASSIGNED})
    half = score_unit(t, {"A.1": 3, "A.2": NOT_ASSIGNED})
    none = score_unit(t, {"A.1": NOT_ASSIGNED, "A.2": NOT_ASSIGNED})
    assert (full.base, partial.base, half.base, none.base) == (
        Decimal(10),
        Decimal(10),
        Decimal(5),
        Decimal(0),
    )
    assert partial.subtotals["A"] == Decimal(6)
    assert none.notes == ("Không có tiêu chí nào được giao → điểm cơ bản 0",)


# (figures, expected messages)
# fmt: off
FIGURE_ERRORS: list[tuple[str, dict[str, Any], list[str]]] = [
    ("unknown-code", {"X.9": 5}, ["X.9: 5 — không có tiêu chí nào với mã này trong bảng chấm điểm"]),
    ("parent-code", {"I.1": 5}, ["I.1: 5 — là tiêu chí cha; chỉ nhập số liệu cho tiêu chí lá"]),
    ("not-a-number", {"I.1.1": {"actual": "abc", "target": 100}}, ['I.1.1.actual: "abc" — số thực hiện không phải là số']),
    ("negative-target", {"I.1.1": {"actual": 5, "target": -1}}, ["I.1.1.target: -1 — kế hoạch giao phải ≥ 0"]),
    ("negative-count", {"II.4": {"n": -1}}, ["II.4.n: -1 — số lần phải là số nguyên ≥ 0"]),
    ("fractional-count", {"I.4.2": {"n": {"hoi_nghi": 2.5}}}, ["I.4.2.n.hoi_nghi: 2.5 — số lần phải là số nguyên ≥ 0"]),
    ("unknown-kind", {"II.3": {"n": {"quoc_te": 1}}}, ["II.3.n: ['quoc_te'] — loại không có trong bảng (co_so, nganh, toan_quoc)"]),
    ("unknown-grade", {"III.1": {"grade": "XS"}}, ['III.1: "XS" — mức xếp loại không có trong bảng (HTXS, HTT, HT, KHT)']),
    ("unknown-item", {"II.2": {"true_items": ["abc"]}}, ["II.2.true_items: ['abc'] — nội dung không có trong bảng"]),
    ("not-a-boolean", {"II.1": {"value": "có lẽ"}}, ['II.1.value: "có lẽ" — phải là đạt/không đạt (true/false)']),
    ("missing-key", {"I.1.5": {"valeur": 2}}, ["I.1.5: {'valeur': 2} — thiếu khóa value"]),
    ("penalty-negative", {"penalties": {"T.3": {"n": -2}}}, ["T.3.n: -2 — số lần phải là số nguyên ≥ 0"]),
    ("penalty-unknown-level", {"T.1": {"n": {"ky_luat": 1}}}, ["T.1.n: ['ky_luat'] — mức không có trong bảng"]),
]
# fmt: on


@pytest.mark.parametrize(
    ("figures", "messages"), [e[1:] for e in FIGURE_ERRORS], ids=[e[0] for e in FIGURE_ERRORS]
)
def test_it_reports_each_bad_figure(example_table, figures, messages):
    texts = [str(issue) for issue in validate_figures(example_table, figures)]
    for message in messages:
        assert any(text.startswith(message) for text in texts), texts
    with pytest.raises(FiguresError):
        score_unit(example_table, figures)


def test_it_names_the_unit_in_cluster_errors(example_table, cum_5):
    cum_5["Bắc Ninh"]["I.1.1"] = {"actual": "nhiều", "target": 400000}
    cum_5["Hưng Yên"]["Z.1"] = 1
    with pytest.raises(FiguresError) as caught:
        score_cluster(example_table, cum_5)
    assert [str(i) for i in caught.value.issues] == [
        'Bắc Ninh / I.1.1.actual: "nhiều" — số thực hiện không phải là số',
        "Hưng Yên / Z.1: 1 — không có tiêu chí nào với mã này trong bảng chấm điểm",
    ]


def test_the_empty_figures_are_valid(example_table):
    assert validate_figures(example_table, {}) == []
    score = score_unit(example_table, {})
    assert score.total == 0 and score.assigned_max == 100
    assert all(leaf.status == "missing" for leaf in score.leaves.values())
