"""The two .xlsx readers (python-calamine after the quick scan, openpyxl after the full scan) give the
same rows, hence the same per-row errors (row, column, value, message) and the same plan; files the
quick scan cannot vouch for go to openpyxl; rows are written with COPY on PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from thidua.lib.sheets import SafeWorkbook
from thidua.org.importers import check_file, commit_file, reading
from thidua.org.models import Person, Position
from thidua.org.tests.import_helpers import PEOPLE_HEADERS, xlsx

pytestmark = pytest.mark.django_db

ROWS: list[list[Any]] = [
    ["001195000101", "Phạm Thị Hoa", "Nữ", date(1995, 3, 2), "01/09/2018", "BHXH-01", "", "", "", ""],
    [1195000102, "Trần Văn Bình", "Nam", "31/02/1990", "", "BHXH-01", "", "", "a@b", "12"],
    ["", "Không Có Số", "Nam", "", "", "BHXH-01", "", "", "", ""],
    [],  # an empty row in the middle keeps the rows below on their Excel numbers
    ["001195000104", "Tên  Có   Dấu Cách", "Khác", datetime(2030, 1, 1), 45000, "KHONG-CO", "", "", "", ""],
    ["001195000101", "Trùng Số", "Nữ", "", "", "BHXH-01", "", "", "", ""],
    ["001095000105", "Lê Văn Cường", "Nam", 2.5, True, "BHXH-01", "Chuyên viên", "", "", ""],
]


def _plan(reader: str, data: bytes, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(reading, "READER", reader)
    return check_file("people", data, "a.xlsx", actor=None)


def test_both_readers_give_the_same_problems_row_by_row(org, monkeypatch):
    data = xlsx(PEOPLE_HEADERS, ROWS)
    with SafeWorkbook(data) as book:
        assert book.reader == "calamine"  # the quick scan vouched for this file
    fast = _plan("calamine", data, monkeypatch)
    reference = _plan("openpyxl", data, monkeypatch)
    assert fast.problems, "the file is meant to have problems"
    assert [(p.row, p.column, p.value, p.message) for p in fast.problems] == [
        (p.row, p.column, p.value, p.message) for p in reference.problems
    ]
    rows = {p.row for p in fast.problems}
    assert {3, 4, 6, 7, 8} <= rows and 2 not in rows  # row 5 is empty, row 2 is right


def test_both_readers_give_the_same_plan_for_a_good_file(org, monkeypatch):
    good = [
        ROWS[0],
        ["001095000105", "Lê Văn Cường", "Nam", date(1995, 1, 1), 43000, "BHXH-01", "", "", "", ""],
    ]
    data = xlsx(PEOPLE_HEADERS, good)
    fast = _plan("calamine", data, monkeypatch)
    reference = _plan("openpyxl", data, monkeypatch)
    assert fast.ok and reference.ok
    assert fast.operations == reference.operations


def test_a_file_with_an_excel_error_cell_is_read_by_the_reference_reader(org, monkeypatch):
    from openpyxl import load_workbook

    data = xlsx(PEOPLE_HEADERS, [ROWS[0]])
    import io

    book = load_workbook(io.BytesIO(data))
    cell = book.active["D2"]  # type: ignore[index]
    cell.value, cell.data_type = "#N/A", "e"
    buffer = io.BytesIO()
    book.save(buffer)
    with SafeWorkbook(buffer.getvalue()) as safe:
        assert safe.reader == "openpyxl"  # calamine would read the error as an empty cell
    plan = _plan("calamine", buffer.getvalue(), monkeypatch)
    assert [(p.row, p.value) for p in plan.problems] == [(2, "#N/A")]
    assert "#N/A" in plan.problems[0].message


def test_an_import_commits_all_rows_with_their_positions_and_ids(org, monkeypatch):
    rows = [
        [
            f"0011950{i:05d}",
            f"Người Thứ {i}",
            "Nữ",
            date(1995, 1, 1),
            date(2020, 1, 1),
            "BHXH-01",
            "Chuyên viên",
        ]
        for i in range(1, 301)
    ]
    plan = commit_file("people", xlsx(PEOPLE_HEADERS[:7], rows), "a.xlsx", actor=None)
    assert plan.committed, plan.problems[:3]
    people = Person.objects.filter(citizen_id__startswith="0011950")
    assert people.count() == 300
    assert Position.objects.filter(person__in=people, unit=org.a, title="Chuyên viên").count() == 300
    one = people.get(citizen_id="001195000007")
    assert (one.full_name, one.leave_reason, one.is_direct_worker, one.ethnicity) == (
        "Người Thứ 7",
        "",
        False,
        "",
    )
    assert one.sort_key and one.name_folded == "nguoi thu 7"
    # The sequence moved past the copied ids: an ordinary save after the import does not collide.
    copied = max(people.values_list("pk", flat=True))
    later = Person.objects.create(citizen_id="001295099999", full_name="Sau", gender="nu")
    assert later.pk > copied
