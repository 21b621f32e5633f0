"""Figures entered as rows (unit, code, key, value), from a list or from the .xlsx template."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from thidua.movements.scoring import NOT_ASSIGNED, FiguresError, figure_keys, figures_from_rows, score_cluster
from thidua.movements.scoring_xlsx import FIGURE_HEADERS, figures_from_xlsx, figures_template_xlsx


def _flat(inputs: dict[str, Any]) -> dict[str, Any]:
    flat = {k: v for k, v in inputs.items() if k not in ("bonus", "penalties")}
    flat.update(inputs.get("bonus", {}))
    flat.update(inputs.get("penalties", {}))
    return flat


def _value_for(figure: Any, key: str) -> Any:
    if figure is None:
        return None
    if key.startswith("n."):
        counts = figure.get("n")
        return counts.get(key[2:]) if isinstance(counts, dict) else None
    if key == "true_items":
        return ", ".join(figure["true_items"])
    if key in figure:
        return figure[key]
    if key == "grade":
        return figure.get("value")
    return None


def test_it_lists_the_figures_a_unit_reports(example_table):
    keys = figure_keys(example_table)
    assert keys[0] == ("I.1.1", example_table.find("I.1.1").name, "actual", "Số thực hiện")  # type: ignore[union-attr]
    assert ("II.3", example_table.find("II.3").name, "n.toan_quoc", "Số lần (toan_quoc)") in keys  # type: ignore[union-attr]
    codes = {code for code, *_ in keys}
    assert "B.1" not in codes and "B.2" not in codes  # computed from I.1.1 and I.1.2
    assert {"B.3", "T.1", "T.6"} <= codes


def test_the_xlsx_template_filled_with_the_worked_example_scores_77_28(example_data, example_table):
    template = figures_template_xlsx(example_table, ["Ninh Bình"])
    wb = load_workbook(io.BytesIO(template))
    ws = wb["Số liệu"]
    assert tuple(c.value for c in ws[1]) == FIGURE_HEADERS
    flat = _flat(example_data["worked_example"]["inputs"])
    for row in ws.iter_rows(min_row=2):
        code, key = str(row[1].value), str(row[2].value)
        row[3].value = _value_for(flat.get(code), key)
    buffer = io.BytesIO()
    wb.save(buffer)
    figures = figures_from_xlsx(example_table, buffer.getvalue())
    assert figures["Ninh Bình"]["II.2"] == {
        "true_items": ["vi_nguoi_ngheo", "nong_thon_moi", "dmst_cds", "binh_dan_hoc_vu_so"]
    }
    [score] = score_cluster(example_table, figures)
    assert score.total == Decimal("77.28")


def test_it_reads_bare_values_and_not_assigned():
    from .helpers import leaf, table

    t = table(leaf("A.1", "target_ratio", 6, params={"full_at": 100}), leaf("A.2", "manual", 4))
    figures = figures_from_rows(
        t,
        [
            ("Phú Thọ", "A.1", "", 100),
            ("Phú Thọ", "A.2", None, 3),
            (None, None, None, None),  # blank row
            ("Hưng Yên", "A.1", "actual", "Không giao"),
            ("Hưng Yên", "A.2", "value", ""),  # empty value: missing figure
        ],
    )
    assert figures == {"Phú Thọ": {"A.1": 100, "A.2": 3}, "Hưng Yên": {"A.1": NOT_ASSIGNED}}


# fmt: off
ROW_ERRORS: list[tuple[str, list[tuple[Any, ...]], str]] = [
    ("unknown-code", [("Bắc Ninh", "X.9", "", 5)],
     "Dòng 2 (Bắc Ninh / X.9): 5 — không có tiêu chí nào với mã này trong bảng chấm điểm"),
    ("not-a-number", [("Bắc Ninh", "I.1.1", "target", 400000), ("Bắc Ninh", "I.1.1", "actual", "nhiều")],
     'Dòng 3 (Bắc Ninh / I.1.1.actual): "nhiều" — số thực hiện không phải là số'),
    ("negative-count", [("Bắc Ninh", "II.4", "n", -1)], "Dòng 2 (Bắc Ninh / II.4.n): -1 — số lần phải là số nguyên ≥ 0"),
    ("negative-kind-count", [("Bắc Ninh", "II.3", "n.co_so", -2)],
     "Dòng 2 (Bắc Ninh / II.3.n.co_so): -2 — số lần phải là số nguyên ≥ 0"),
    ("unknown-item", [("Bắc Ninh", "II.2", "true_items", "abc, dmst_cds")],
     "Dòng 2 (Bắc Ninh / II.2.true_items): ['abc'] — nội dung không có trong bảng"),
    ("duplicate", [("Bắc Ninh", "II.5", "value", 3), ("Bắc Ninh", "II.5", "value", 4)],
     "Dòng 3 (Bắc Ninh / II.5): 4 — trùng với dòng 2"),
    ("missing-unit", [(None, "II.5", "value", 3)], "Dòng 2: (trống) — thiếu tên đơn vị"),
    ("missing-code", [("Bắc Ninh", "", "value", 3)], 'Dòng 2: "" — thiếu mã tiêu chí'),
    ("penalty", [("Bắc Ninh", "T.1", "n.canh_cao", 1.5)],
     "Dòng 2 (Bắc Ninh / T.1.n.canh_cao): 1.5 — số lần phải là số nguyên ≥ 0"),
]
# fmt: on


@pytest.mark.parametrize(("rows", "message"), [e[1:] for e in ROW_ERRORS], ids=[e[0] for e in ROW_ERRORS])
def test_it_reports_bad_rows_with_their_number(example_table, rows, message):
    with pytest.raises(FiguresError) as caught:
        figures_from_rows(example_table, rows)
    texts = [str(issue) for issue in caught.value.issues]
    assert any(text.startswith(message) for text in texts), texts


def test_it_reports_a_figures_sheet_with_wrong_headers(example_table):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Unit", "Code", "Key", "Value"])
    buffer = io.BytesIO()
    wb.save(buffer)
    with pytest.raises(FiguresError, match="tiêu đề cột phải là: Đơn vị, Mã, Khóa, Giá trị"):
        figures_from_xlsx(example_table, buffer.getvalue())
