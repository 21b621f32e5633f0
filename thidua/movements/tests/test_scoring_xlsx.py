"""Scoring tables and rankings as .xlsx: round trip, import errors by row, A4 ranking, formula guard."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from thidua.movements.scoring import TableError, rank, score_cluster
from thidua.movements.scoring_xlsx import (
    CRITERIA_HEADERS,
    SHEET_CRITERIA,
    ranking_rows,
    ranking_to_xlsx,
    table_from_xlsx,
    table_to_xlsx,
)

from .helpers import leaf, table


def _workbook(data: bytes) -> Workbook:
    return load_workbook(io.BytesIO(data))


def _edit(data: bytes, sheet: str, cells: dict[str, Any]) -> bytes:
    wb = _workbook(data)
    for coordinate, value in cells.items():
        wb[sheet][coordinate] = value
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_it_round_trips_the_example_table(example_table):
    data = table_to_xlsx(example_table)
    assert table_from_xlsx(data) == example_table


def test_it_writes_vietnamese_headers_and_one_row_per_criterion(example_table):
    wb = _workbook(table_to_xlsx(example_table))
    assert wb.sheetnames == ["Bảng chấm điểm", "Thông tin", "Tiêu chí", "Điểm thưởng", "Điểm trừ"]
    ws = wb[SHEET_CRITERIA]
    assert [c.value for c in ws[1]][:5] == ["Mã", "Tiêu chí", "Điểm tối đa", "Phương pháp chấm", "Tham số"]
    assert tuple(c.value for c in ws[1]) == CRITERIA_HEADERS
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 3 + 4 + 25  # 3 groups, 4 sub-groups, 25 leaves
    assert rows[2][:6] == (
        "I.1.1",
        "Số người tham gia BHXH bắt buộc so với kế hoạch BHXH Việt Nam giao",
        8,
        "Tỷ lệ so với kế hoạch, tuyến tính giữa zero_at và full_at (target_ratio)",
        '{"full_at": 100, "zero_at": 95}',
        3,
    )


def test_the_first_sheet_prints_the_table_for_a_reader_without_json(example_table):
    wb: Any = _workbook(table_to_xlsx(example_table))
    ws: Any = wb["Bảng chấm điểm"]
    assert wb.active.title == "Bảng chấm điểm"
    assert [c.value for c in ws[3]] == ["Mã", "Tiêu chí", "Điểm tối đa", "Phương pháp chấm"]
    values = [v for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]
    assert not any(v.startswith(("{", "[")) for v in values)
    row = next(r for r in ws.iter_rows(min_row=4) if r[0].value == "I.1.1")
    assert row[2].value == 8 and row[3].value.startswith("Tỷ lệ so với kế hoạch")
    assert row[1].alignment.indent == 2 and row[1].font.name == "Times New Roman"
    assert ws.row_dimensions[row[0].row].height > 15  # the wrapped name has the height of its lines
    assert any(r[1].value == "Cộng điểm cơ bản" for r in ws.iter_rows(min_row=4))
    assert ws.print_title_rows == "$3:$3" and ws.oddFooter.center.text == "Trang &P/&N"


def test_it_accepts_parameters_typed_in_yaml_flow_style(example_table):
    data = _edit(table_to_xlsx(example_table), SHEET_CRITERIA, {"E4": "{full_at: 100, zero_at: 90}"})
    loaded = table_from_xlsx(data)
    assert loaded.find("I.1.1").params["zero_at"] == 90  # type: ignore[union-attr]


def test_it_reads_a_hand_made_sheet_with_plain_method_names_and_levels_from_codes():
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET_CRITERIA
    ws.append(list(CRITERIA_HEADERS))
    ws.append(["A", "Nhóm A", 5])
    ws.append(["A.1", "Tiêu chí 1", 3, "boolean"])
    ws.append(["A.2", "Tiêu chí 2", 2, "manual"])
    buffer = io.BytesIO()
    wb.save(buffer)
    loaded = table_from_xlsx(buffer.getvalue())
    assert [c.code for c in loaded.criteria[0].children] == ["A.1", "A.2"]
    assert loaded.base_max == 5


# (cells to change on sheet Tiêu chí, expected message). Row 2 is "I", row 4 is "I.1.1".
# fmt: off
IMPORT_ERRORS: list[tuple[str, dict[str, Any], str]] = [
    ("negative-max", {"C4": -5}, "Trang «Tiêu chí», dòng 4, cột Điểm tối đa: -5 — điểm tối đa phải ≥ 0"),
    ("unknown-method", {"D4": "tỷ lệ"}, 'Trang «Tiêu chí», dòng 4, cột Phương pháp chấm: "tỷ lệ" — phương pháp chấm không được hỗ trợ'),
    ("bad-json", {"E4": "{full_at: 100"}, 'Trang «Tiêu chí», dòng 4, cột Tham số: "{full_at: 100" — JSON không hợp lệ'),
    ("bad-param", {"E4": '{"full_at": 90, "zero_at": 95}'},
     "Trang «Tiêu chí», dòng 4, cột Tham số (params.zero_at): 95 — zero_at phải nhỏ hơn full_at"),
    ("duplicate-code", {"A5": "I.1.1"}, 'Trang «Tiêu chí», dòng 5, cột Mã: "I.1.1" — trùng mã với criteria[0].children[0].children[0]'),
    ("level-jump", {"F4": 5}, "Trang «Tiêu chí», dòng 4, cột Cấp: 5 — cấp nhảy bậc"),
    ("level-text", {"F4": "ba"}, 'Trang «Tiêu chí», dòng 4, cột Cấp: "ba" — cấp phải là số nguyên ≥ 1'),
    ("children-sum", {"C2": 71}, "Trang «Tiêu chí», dòng 2, cột Điểm tối đa: 71 — tổng điểm tối đa của các tiêu chí con là 70"),
    ("max-as-text", {"C4": "tám"}, 'Trang «Tiêu chí», dòng 4, cột Điểm tối đa: "tám" — điểm tối đa phải là số'),
    ("headers", {"A1": "Ma"}, "Trang «Tiêu chí», dòng 1: \"Ma, Tiêu chí"),
]
# fmt: on


@pytest.mark.parametrize(
    ("cells", "message"), [e[1:] for e in IMPORT_ERRORS], ids=[e[0] for e in IMPORT_ERRORS]
)
def test_it_reports_import_errors_by_sheet_row_and_column(example_table, cells, message):
    data = _edit(table_to_xlsx(example_table), SHEET_CRITERIA, cells)
    with pytest.raises(TableError) as caught:
        table_from_xlsx(data)
    texts = [str(issue) for issue in caught.value.issues]
    assert any(text.startswith(message) for text in texts), texts


def test_it_reports_a_bonus_error_on_its_sheet(example_table):
    data = _edit(table_to_xlsx(example_table), "Điểm thưởng", {"E2": -1})
    with pytest.raises(TableError) as caught:
        table_from_xlsx(data)
    assert [str(i) for i in caught.value.issues] == [
        "Trang «Điểm thưởng», dòng 2, cột Mức trần: -1 — mức trần (cap) phải ≥ 0"
    ]


def test_it_reports_a_missing_sheet_and_a_file_that_is_not_xlsx():
    wb = Workbook()
    buffer = io.BytesIO()
    wb.save(buffer)
    with pytest.raises(TableError, match="Trang «Tiêu chí»: thiếu trang này trong tệp"):
        table_from_xlsx(buffer.getvalue())
    with pytest.raises(TableError, match=r"Tệp: không đọc được tệp \.xlsx"):
        table_from_xlsx(b"not a workbook")


RANK_TABLE = table(leaf("A.1", "manual", 6), leaf("A.2", "manual", 4))


def _ranking() -> bytes:
    scores = score_cluster(
        RANK_TABLE,
        {
            '=HYPERLINK("http://example.invalid","Bấm")': {"A.1": 5, "A.2": 4},
            "BHXH tỉnh Ninh Bình": {"A.1": 6, "A.2": 3},
            "-2+3": {"A.1": 1},
            "@SUM(A1)": {"A.1": 1, "A.2": 1},
            "+84 Quảng Ninh": {"A.1": 2},
        },
    )
    return ranking_to_xlsx(
        rank(scores),
        title="Kết quả xếp hạng Cụm thi đua số 5 năm 2026",
        subtitle="Bảng ví dụ",
        table=RANK_TABLE,
    )


def test_the_ranking_fits_an_a4_landscape_page():
    wb = _workbook(_ranking())
    ws = wb["Xếp hạng"]
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == int(ws.PAPERSIZE_A4) == 9
    assert ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$4:$4"
    assert wb["Chi tiết"].page_setup.orientation == "landscape"


def test_the_ranking_lists_units_in_rank_order_with_their_points():
    ws = _workbook(_ranking())["Xếp hạng"]
    assert ws["A1"].value == "Kết quả xếp hạng Cụm thi đua số 5 năm 2026"
    assert [c.value for c in ws[4]] == [
        "Hạng",
        "Đơn vị",
        "A (10)",
        "Điểm cơ bản",
        "Điểm thưởng",
        "Điểm trừ",
        "Tổng điểm",
        "Ghi chú",
    ]
    rows = list(ws.iter_rows(min_row=5, values_only=True))
    assert [(r[0], r[1], r[6]) for r in rows] == [
        (1, '=HYPERLINK("http://example.invalid","Bấm")', 9),  # 5 + 4, one criterion at full marks
        (1, "BHXH tỉnh Ninh Bình", 9),  # 6 + 3, one criterion at full marks: shared rank
        (3, "@SUM(A1)", 2),
        (3, "+84 Quảng Ninh", 2),  # A.2 missing → 0
        (5, "-2+3", 1),
    ]
    assert rows[0][2] == 9 and rows[0][3] == 9
    assert str(rows[0][7]).startswith("Đồng hạng với BHXH tỉnh Ninh Bình")


def test_cells_starting_with_formula_characters_are_text():
    wb = _workbook(_ranking())
    for ws in (wb["Xếp hạng"], wb["Chi tiết"]):
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    names = [c.value for c in wb["Xếp hạng"]["B"][4:]]
    assert set(names) == {
        '=HYPERLINK("http://example.invalid","Bấm")',
        "BHXH tỉnh Ninh Bình",
        "-2+3",
        "@SUM(A1)",
        "+84 Quảng Ninh",
    }
    first = wb["Xếp hạng"]["B5"]
    assert first.data_type == "s" and first.quotePrefix


def test_it_gives_plain_rows():
    scores = score_cluster(RANK_TABLE, {"Phú Thọ": {"A.1": 6, "A.2": 4}})
    assert ranking_rows(rank(scores))[0]["total"] == 10


def test_a_nul_character_in_a_cell_is_a_problem_of_its_cell_not_a_database_error(example_table):
    """Excel writes a NUL character as `_x0000_`; PostgreSQL stores none in text or JSON."""
    import zipfile

    data = _edit(table_to_xlsx(example_table), SHEET_CRITERIA, {"B4": "Tỷ lệ NULHERE thu"})
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info.filename).replace(b"NULHERE", b"_x0000_"))
    with pytest.raises(TableError) as caught:
        table_from_xlsx(out.getvalue())
    texts = [str(issue) for issue in caught.value.issues]
    assert any(t.startswith("Trang «Tiêu chí», dòng 4, cột Tiêu chí") and "ký tự NUL" in t for t in texts), (
        texts
    )
