from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

import pytest
from openpyxl import Workbook

from thidua.audit.models import AuditEntry
from thidua.org.importers import check_file, commit_file
from thidua.org.models import Person, ReorgEvent, Unit
from thidua.org.tests.import_helpers import PEOPLE_HEADERS, UNIT_HEADERS, csv_bytes, xlsx

pytestmark = pytest.mark.django_db


def test_it_creates_units_whose_parents_come_later_in_the_file(org):
    rows: list[list[Any]] = [
        [
            "BHXH-01-BD",
            "Bảo hiểm xã hội quận Ba Đình",
            "BHXH Ba Đình",
            "BHXH cơ sở",
            "BHXH-01-KV1",
            "Có",
            "01",
            "01/07/2025",
        ],
        [
            "BHXH-01-KV1",
            "Bảo hiểm xã hội khu vực I",
            "",
            "bhxh_khu_vuc",
            "BHXH-01",
            "không",
            1,
            datetime(2025, 7, 1),
        ],
    ]

    plan = commit_file("units", xlsx(UNIT_HEADERS, rows, sheet="Đơn vị"), "don-vi.xlsx", actor=None)

    assert plan.ok, plan.problems
    assert plan.counts["create"] == 2
    kv1 = Unit.objects.get(code="BHXH-01-KV1")
    bd = Unit.objects.get(code="BHXH-01-BD")
    assert kv1.parent == org.a and kv1.kind == Unit.Kind.BHXH_KHU_VUC and kv1.province_code == "01"
    assert bd.parent == kv1 and bd.kind == Unit.Kind.BHXH_CO_SO and bd.is_legal_entity
    assert bd.path == f"{kv1.path}{bd.pk}/" and bd.depth == 3
    assert bd.valid_from == date(2025, 7, 1) and bd.name_folded.startswith("bao hiem xa hoi quan ba dinh")
    entry = AuditEntry.objects.get(action="import.committed")
    assert entry.detail["counts"]["created"] == 2 and entry.unit_path == org.a.path


def test_a_changed_parent_code_moves_the_unit_with_its_subtree(org):
    rows = [["BHXH-01-THU", "Phòng Quản lý thu", "", "Phòng", "BHXH-79", "", "", ""]]

    plan = commit_file("units", csv_bytes(UNIT_HEADERS, rows), "a.csv", actor=None)

    assert plan.ok, plan.problems
    assert plan.results[0].changes == ["Chuyển đơn vị cấp trên: BHXH-01 → BHXH-79"]
    org.a_dept.refresh_from_db()
    assert org.a_dept.parent == org.b and org.a_dept.path == f"{org.b.path}{org.a_dept.pk}/"
    event = ReorgEvent.objects.get(kind=ReorgEvent.Kind.MOVE)
    assert event.detail["to_parent"] == org.b.name
    assert org.a_dept.successor_links.get().event == event


def test_reimport_updates_by_code_and_reports_unchanged_rows(org):
    rows = [
        [
            "BHXH-01",
            "Bảo hiểm xã hội thành phố Hà Nội",
            "BHXH HN",
            "BHXH tỉnh, thành phố",
            "BHXH-VN",
            "Có",
            "01",
            "",
        ],
        ["BHXH-79", "Bảo hiểm xã hội Thành phố Hồ Chí Minh", "", "", "", "", "", ""],
    ]

    plan = commit_file("units", xlsx(UNIT_HEADERS, rows), "a.xlsx", actor=None)

    assert plan.ok, plan.problems
    assert plan.counts == {"create": 0, "update": 1, "unchanged": 1}
    assert Unit.objects.filter(code="BHXH-01").count() == 1
    org.a.refresh_from_db()
    assert org.a.short_name == "BHXH HN" and org.a.parent == org.root
    assert not ReorgEvent.objects.exists()


def test_it_reports_unknown_parent_duplicate_code_cycle_and_bad_kind(org):
    rows = [
        ["X1", "Đơn vị X1", "", "", "KHONG-CO", "", "", ""],
        ["X2", "Đơn vị X2", "", "Loại lạ", "BHXH-01", "", "", ""],
        ["X2", "Đơn vị X2 lần hai", "", "", "BHXH-01", "", "", ""],
        ["C1", "Vòng 1", "", "", "C2", "", "", ""],
        ["C2", "Vòng 2", "", "", "C1", "", "", ""],
        ["BHXH-01", "Hà Nội", "", "", "BHXH-01-THU", "", "", ""],
    ]
    before = Unit.objects.count()

    plan = commit_file("units", xlsx(UNIT_HEADERS, rows), "a.xlsx", actor=None)

    found = {(p.row, p.column): p.message for p in plan.problems}
    assert "KHONG-CO" in found[(2, "Mã đơn vị cấp trên")]
    assert "Loại đơn vị không có trong danh mục" in found[(3, "Loại đơn vị")]
    assert "trùng với dòng 3" in found[(4, "Mã đơn vị")]
    assert "vòng lặp" in found[(5, "Mã đơn vị cấp trên")]
    assert "vòng lặp" in found[(6, "Mã đơn vị cấp trên")]
    assert "vòng lặp" in found[(7, "Mã đơn vị cấp trên")]  # under its own sub-unit
    assert Unit.objects.count() == before


@pytest.mark.parametrize(
    ("data", "filename", "expected"),
    [
        (b"", "a.xlsx", "Tệp rỗng"),
        (b"PK\x03\x04 not really a zip", "a.xlsx", "bị hỏng"),
        (b"just text", "a.xlsx", "không phải .xlsx hợp lệ"),
        (b"%PDF-1.4", "a.pdf", "Chỉ nhận tệp .xlsx hoặc .csv"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "a.xls", ".xls"),
        (b"M\xe3 \xf0\xf5n v\xec,T\xean \xf0\xf5n v\xec\nX,T\xean", "a.csv", "UTF-8"),
        ("Họ và tên\nNguyễn Văn An\n".encode(), "a.csv", "Không tìm thấy dòng tiêu đề"),
    ],
)
def test_it_rejects_malformed_files_with_a_clear_message(org, data, filename, expected):
    plan = commit_file("units", data, filename, actor=None)

    assert not plan.ok and plan.problems[0].row is None
    assert expected in plan.problems[0].message
    assert not AuditEntry.objects.filter(action="import.committed").exists()


def test_it_rejects_a_workbook_without_the_import_sheet(org):
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = "Báo cáo"
    ws.append(["Tổng hợp khen thưởng năm 2025"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    plan = check_file("units", buffer.getvalue(), "a.xlsx", actor=None)

    assert "Không tìm thấy trang tính" in plan.problems[0].message
    assert "'Báo cáo'" in plan.problems[0].message


def test_an_empty_workbook_and_a_header_only_file_are_reported(org):
    workbook = Workbook()
    buffer = io.BytesIO()
    workbook.save(buffer)

    empty = check_file("units", buffer.getvalue(), "a.xlsx", actor=None)
    header_only = check_file("units", xlsx(UNIT_HEADERS, []), "a.xlsx", actor=None)

    assert empty.problems[0].message == "Tệp rỗng: các trang tính không có dữ liệu."
    assert header_only.problems[0].message == "Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào."


def test_a_people_file_uploaded_as_units_reports_the_columns(org):
    data = xlsx(PEOPLE_HEADERS, [["001085012345", "Nguyễn Văn An", "Nam", "", "", "BHXH-01", "", "", "", ""]])

    plan = check_file("units", data, "a.xlsx", actor=None)

    assert plan.problems[0].message == (
        "Tệp này là danh sách nhân sự, không phải đơn vị: hãy chọn đúng loại dữ liệu."
    )
    assert {p.column for p in plan.problems if p.message == "Thiếu cột bắt buộc."} == {"Tên đơn vị"}
    assert any(p.column == "Số CCCD" for p in plan.problems)


def test_it_finds_the_header_below_a_title_line_and_counts_rows_as_excel_does(org):
    data = csv_bytes(
        ["DANH SÁCH ĐƠN VỊ"],
        [[], ["STT", "Mã đơn vị", "Tên đơn vị", "Mã đơn vị cấp trên"], [1, "X9", "Đơn vị X9", "KHONG-CO"]],
    )

    plan = check_file("units", data, "a.csv", actor=None)

    assert [(p.row, p.column, p.value) for p in plan.problems] == [(4, "Mã đơn vị cấp trên", "KHONG-CO")]


def test_a_semicolon_csv_with_a_title_line_and_commas_inside_values(org):
    text = "DANH SÁCH ĐƠN VỊ\nMã đơn vị;Tên đơn vị;Loại đơn vị;Mã đơn vị cấp trên\nX9;Phòng Thu, Sổ, Thẻ;Phòng;BHXH-01\n"

    plan = commit_file("units", text.encode("utf-8"), "a.csv", actor=None)

    assert plan.ok, plan.problems
    assert Unit.objects.get(code="X9").name == "Phòng Thu, Sổ, Thẻ"


# --- Scope -------------------------------------------------------------------------------------


def test_an_officer_may_import_units_inside_their_subtree(personas, org):
    rows = [["BHXH-01-CS", "Phòng Chế độ BHXH", "", "Phòng", "BHXH-01", "", "", ""]]

    plan = commit_file("units", xlsx(UNIT_HEADERS, rows), "a.xlsx", actor=personas.officer)

    assert plan.ok, plan.problems
    assert AuditEntry.objects.get(action="import.committed").actor == personas.officer


def test_an_outsider_officer_cannot_import_into_another_province(personas, org):
    units = [["BHXH-01-CS", "Phòng Chế độ BHXH", "", "Phòng", "BHXH-01", "", "", ""]]
    people = [["001195000101", "Phạm Thị Hoa", "Nữ", "", "", "BHXH-01", "", "", "", ""]]
    move_in = [["001085012345", "", "", "", "", "BHXH-79", "", "01/01/2025", "", ""]]

    unit_plan = commit_file("units", xlsx(UNIT_HEADERS, units), "a.xlsx", actor=personas.outsider_officer)
    people_plan = commit_file(
        "people", xlsx(PEOPLE_HEADERS, people), "a.xlsx", actor=personas.outsider_officer
    )
    move_plan = commit_file(
        "people", xlsx(PEOPLE_HEADERS, move_in), "a.xlsx", actor=personas.outsider_officer
    )

    assert "ngoài phạm vi" in unit_plan.problems[0].message
    assert (people_plan.problems[0].column, people_plan.problems[0].value) == ("Mã đơn vị", "BHXH-01")
    assert "ngoài phạm vi" in people_plan.problems[0].message
    assert "ngoài phạm vi" in move_plan.problems[0].message  # An belongs to Hà Nội
    assert not Unit.objects.filter(code="BHXH-01-CS").exists()
    assert not Person.objects.filter(citizen_id="001195000101").exists()
    assert org.an.positions.count() == 1


def test_an_officer_cannot_move_their_province_out_of_their_scope_or_create_roots(personas, org):
    rows = [
        ["BHXH-01", "Hà Nội", "", "", "BHXH-79", "", "", ""],
        ["MOI", "Đơn vị gốc mới", "", "", "", "", "", ""],
        ["BHXH-79", "Hồ Chí Minh", "", "", "", "", "", ""],
    ]

    plan = check_file("units", xlsx(UNIT_HEADERS, rows), "a.xlsx", actor=personas.officer)

    found = {(p.row, p.column) for p in plan.problems}
    assert found == {(2, "Mã đơn vị cấp trên"), (3, "Mã đơn vị"), (4, "Mã đơn vị")}


def test_staff_cannot_import_at_all(personas, org):
    rows = [["BHXH-01-CS", "Phòng Chế độ BHXH", "", "Phòng", "BHXH-01-THU", "", "", ""]]

    plan = commit_file("units", xlsx(UNIT_HEADERS, rows), "a.xlsx", actor=personas.staff)

    assert plan.problems[0].message == "Bạn không có quyền nhập dữ liệu."
    assert not Unit.objects.filter(code="BHXH-01-CS").exists()


def test_an_ended_unit_can_be_neither_a_parent_nor_edited(org):
    org.a_dept.valid_to = date(2025, 6, 30)
    org.a_dept.save()
    rows = [
        ["TO-1", "Tổ thu", "", "Tổ", "BHXH-01-THU", "", "", ""],
        ["BHXH-01-THU", "Phòng Thu mới", "", "", "", "", "", ""],
        ["BHXH-01-THU-X", "Mã quá dài" + "X" * 40, "", "", "X" * 41, "", "", ""],
    ]

    plan = check_file("units", xlsx(UNIT_HEADERS, rows), "a.xlsx", actor=None)

    found = {(p.row, p.column): p.message for p in plan.problems}
    assert "ngừng hoạt động từ 30/06/2025" in found[(2, "Mã đơn vị cấp trên")]
    assert "ngừng hoạt động" in found[(3, "Mã đơn vị")]
    assert found[(4, "Mã đơn vị cấp trên")] == "Mã đơn vị dài quá 40 ký tự."
    assert len(plan.problems) == 3
