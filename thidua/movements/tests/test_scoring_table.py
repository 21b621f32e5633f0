"""Loading, validating, exporting and copying scoring tables."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest
import yaml

from thidua.movements.scoring import TableError, copy_table, load_table, table_to_dict


def test_it_loads_the_example_file(example_table):
    table = example_table
    assert [c.code for c in table.criteria] == ["I", "II", "III"]
    assert len(table.leaves()) == 25
    assert (table.base_max, table.bonus_max, table.penalty_cap) == (Decimal(100), Decimal(10), None)
    assert [b.kind for b in table.bonus] == [
        "ratio_step",
        "ratio_step",
        "per_event",
        "per_event",
        "per_event",
    ]
    assert next(p.kind for p in table.penalties) == "per_event_by_level"
    assert table.penalties[-1].disqualifies
    leaf = table.find("I.3.4")
    assert leaf is not None and leaf.method == "grade" and leaf.params["grades"][">=90"] == 3
    assert table.find("I.1.1") is not None and table.find("I.1.1").key_indicator  # type: ignore[union-attr]
    assert "ranking" in table.extra and "worked_example" in table.extra


def test_it_round_trips_through_a_dict_and_yaml(example_table):
    data = table_to_dict(example_table)
    assert load_table(data) == example_table
    assert load_table(yaml.safe_load(yaml.safe_dump(data, allow_unicode=True))) == example_table


def _base() -> dict[str, Any]:
    return {
        "meta": {"id": "t", "points": {"base_max": 10}},
        "criteria": [
            {
                "code": "A",
                "name": "Nhóm A",
                "max_points": 10,
                "children": [
                    {"code": "A.1", "name": "Một", "max_points": 6, "method": "boolean"},
                    {"code": "A.2", "name": "Hai", "max_points": 4, "method": "manual"},
                ],
            }
        ],
    }


def _with(path: str, value: Any) -> dict[str, Any]:
    """A copy of the base table with ``value`` set at a dotted path ("criteria.0.children.1.max_points")."""
    data = copy.deepcopy(_base())
    node: Any = data
    keys = [int(k) if k.isdigit() else k for k in path.split(".")]
    for key in keys[:-1]:
        node = node[key]
    if value is _DELETE:
        del node[keys[-1]]
    else:
        node[keys[-1]] = value
    return data


_DELETE = object()
A1 = "criteria.0.children.0"

# (id, change, expected message)
# fmt: off
ERRORS: list[tuple[str, dict[str, Any], str]] = [
    ("negative-max", _with("criteria.0.children.1.max_points", -5),
     "criteria[0].children[1].max_points: -5 — điểm tối đa phải ≥ 0"),
    ("max-not-a-number", _with(f"{A1}.max_points", "sáu"),
     'criteria[0].children[0].max_points: "sáu" — điểm tối đa phải là số'),
    ("children-sum", _with(f"{A1}.max_points", 5),
     "criteria[0].max_points: 10 — tổng điểm tối đa của các tiêu chí con là 9, khác điểm tối đa của tiêu chí cha"),
    ("unknown-method", _with(f"{A1}.method", "ratio"),
     'criteria[0].children[0].method: "ratio" — phương pháp chấm không được hỗ trợ'),
    ("missing-method", _with(f"{A1}.method", _DELETE),
     "criteria[0].children[0].method: (trống) — thiếu phương pháp chấm"),
    ("duplicate-code", _with("criteria.0.children.1.code", "A.1"),
     'criteria[0].children[1].code: "A.1" — trùng mã với criteria[0].children[0]'),
    ("float-code", _with(f"{A1}.code", 1.1),
     "criteria[0].children[0].code: 1.1 — mã phải là chuỗi"),
    ("missing-name", _with(f"{A1}.name", ""), 'criteria[0].children[0].name: "" — thiếu tên tiêu chí'),
    ("base-max", _with("meta.points.base_max", 12),
     "meta.points.base_max: 12 — tổng điểm tối đa các tiêu chí cấp 1 là 10, khác điểm cơ bản tối đa"),
    ("no-criteria", _with("criteria", []), "criteria: [] — cần danh sách tiêu chí không rỗng"),
    ("parent-with-method", _with("criteria.0.method", "manual"),
     'criteria[0].method: "manual" — tiêu chí có tiêu chí con không được có phương pháp chấm riêng'),
    ("ratio-thresholds", _with(f"{A1}.method", "target_ratio") | {}, ""),  # replaced below
]
# fmt: on


def _leaf_table(**leaf: Any) -> dict[str, Any]:
    data = _base()
    data["criteria"][0]["children"][0] = {"code": "A.1", "name": "Một", "max_points": 6, **leaf}
    return data


# fmt: off
ERRORS[-1] = ("ratio-thresholds", _leaf_table(method="target_ratio", params={"full_at": 90, "zero_at": 95}),
              "criteria[0].children[0].params.zero_at: 95 — zero_at phải nhỏ hơn full_at")
ERRORS += [
    ("lower-thresholds", _leaf_table(method="lower_is_better", params={"full_at": 4, "zero_at": 2}),
     "criteria[0].children[0].params.zero_at: 2 — zero_at phải lớn hơn full_at (càng thấp càng tốt)"),
    ("ratio-missing-full-at", _leaf_table(method="target_ratio", params={"zero_at": 95}),
     "criteria[0].children[0].params.full_at: (trống) — thiếu ngưỡng đạt điểm tối đa (full_at)"),
    ("unknown-param", _leaf_table(method="boolean", params={"full_at": 100}),
     "criteria[0].children[0].params.full_at: 100 — tham số không dùng cho phương pháp boolean"),
    ("grade-above-max", _leaf_table(method="grade", grades={"HTXS": 7, "HT": 2}),
     "criteria[0].children[0].grades.HTXS: 7 — điểm của mức vượt điểm tối đa 6"),
    ("grade-mixed", _leaf_table(method="grade", grades={">=90": 6, "HT": 2}),
     "criteria[0].children[0].grades: không được trộn khoảng số"),
    ("grade-empty", _leaf_table(method="grade"), "criteria[0].children[0].grades: (trống) — cần bảng mức xếp loại"),
    ("count-no-weights", _leaf_table(method="count"), "criteria[0].children[0].params.weights: (trống) — cần bảng hệ số"),
    ("count-negative-weight", _leaf_table(method="count", params={"weights": {"a": -1}}),
     "criteria[0].children[0].params.weights.a: -1 — hệ số phải ≥ 0"),
    ("checklist-duplicate-item", _leaf_table(method="checklist", items=[
        {"id": "a", "name": "A", "points": 1}, {"id": "a", "name": "A", "points": 1}]),
     'criteria[0].children[0].items[1].id: "a" — trùng mã nội dung'),
    ("deduct-zero", _leaf_table(method="deduct_per_event", params={"per_event": 0}),
     "criteria[0].children[0].params.per_event: 0 — điểm trừ mỗi lần phải > 0"),
    ("proportional-cap", _leaf_table(method="proportional", params={"cap": -1}),
     "criteria[0].children[0].params.cap: -1 — hệ số trần (cap) phải > 0"),
    ("bonus-based-on-unknown", _base() | {"bonus": [{"code": "B.1", "name": "Vượt", "per_unit": 0.5,
                                                      "unit_step_percent": 1, "based_on": "X.9"}]},
     'bonus[0].based_on: "X.9" — không có tiêu chí lá với mã này'),
    ("bonus-based-on-not-ratio", _base() | {"bonus": [{"code": "B.1", "name": "Vượt", "per_unit": 0.5,
                                                        "unit_step_percent": 1, "based_on": "A.1"}]},
     'bonus[0].based_on: "A.1" — tiêu chí căn cứ phải chấm theo tỷ lệ kế hoạch (đang là boolean)'),
    ("bonus-duplicate-code", _base() | {"bonus": [{"code": "A.2", "name": "Trùng", "per_event": 1}]},
     'bonus[0].code: "A.2" — trùng mã với criteria[0].children[1]'),
    ("penalty-level-negative", _base() | {"penalties": [{"code": "T.1", "name": "Kỷ luật",
                                                         "per_event_by_level": {"canh_cao": -2}}]},
     "penalties[0].per_event_by_level.canh_cao: -2 — điểm mỗi lần phải > 0"),
    ("penalty-cap-negative", _with("meta.points", {"base_max": 10, "penalty_cap": -1}),
     "meta.points.penalty_cap: -1 — điểm trừ tối đa phải ≥ 0"),
]
# fmt: on


@pytest.mark.parametrize(("data", "message"), [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS])
def test_it_reports_each_error_with_its_path(data, message):
    with pytest.raises(TableError) as caught:
        load_table(data)
    texts = [str(issue) for issue in caught.value.issues]
    assert any(text.startswith(message) for text in texts), texts


def test_it_reports_every_error_at_once():
    data = _base()
    children = data["criteria"][0]["children"]
    children[0]["max_points"] = -1
    children[1]["method"] = "nope"
    children.append({"code": "A.1", "name": "Ba", "max_points": 0, "method": "boolean"})
    with pytest.raises(TableError) as caught:
        load_table(data)
    paths = [issue.path for issue in caught.value.issues]
    assert paths == [
        "criteria[0].children[0].max_points",
        "criteria[0].children[1].method",
        "criteria[0].children[2].code",
    ]
    assert "Bảng chấm điểm không hợp lệ (3 lỗi)" in str(caught.value)


def test_it_accepts_children_that_do_not_add_up_when_the_parent_says_so():
    data = _with("criteria.0.children.0.max_points", 5)
    data["criteria"][0]["check_children_sum"] = False
    data["meta"]["points"]["base_max"] = 10
    table = load_table(data)
    assert table.criteria[0].extra["check_children_sum"] is False
    assert load_table(table_to_dict(table)) == table


def test_it_rejects_a_root_that_is_not_a_mapping():
    with pytest.raises(TableError, match="bảng chấm điểm phải là một bảng khóa"):
        load_table(["criteria"])  # type: ignore[arg-type]


def test_it_copies_a_table_to_the_next_year(example_table):
    copied = copy_table(example_table, period=2027)
    assert copied.criteria == example_table.criteria
    assert copied.bonus == example_table.bonus and copied.penalties == example_table.penalties
    assert copied.meta["period"] == {"year": 2027, "from": "2027-01-01", "to": "2027-12-31"}
    assert copied.meta["id"] == "bhxh-tinh-cum-thi-dua-2027-vi-du"
    assert "năm 2027" in copied.meta["title"]
    assert copied.meta["calendar"]["register_and_sign_pact"] == "2027-01-31"
    assert copied.meta["calendar"]["cluster_review"] == "2028-01-15"
    assert "worked_example" not in copied.extra and "ranking" in copied.extra
    # the original is untouched
    assert example_table.meta["period"]["year"] == 2026
    assert load_table(table_to_dict(copied)) == copied


def test_it_copies_a_table_to_an_explicit_period(example_table):
    copied = copy_table(
        example_table,
        period={"year": 2026, "from": "2026-07-01", "to": "2026-12-31"},
        table_id="cum-5-6-thang-cuoi-2026",
        title="Bảng chấm điểm 6 tháng cuối năm 2026",
    )
    assert copied.meta["id"] == "cum-5-6-thang-cuoi-2026"
    assert copied.meta["title"] == "Bảng chấm điểm 6 tháng cuối năm 2026"
    assert copied.meta["calendar"] == example_table.meta["calendar"]


def test_it_reports_an_empty_children_list():
    data = _base()
    data["criteria"][0]["children"] = []
    with pytest.raises(TableError) as caught:
        load_table(data)
    assert next(str(i) for i in caught.value.issues).startswith(
        "criteria[0].children: [] — danh sách tiêu chí con phải là một danh sách không rỗng"
    )
