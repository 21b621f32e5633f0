from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine

from thidua.audit.models import AuditEntry
from thidua.org.importers import check_file, commit_file
from thidua.org.models import Person, Position
from thidua.org.tests.import_helpers import PEOPLE_HEADERS, csv_bytes, xlsx

pytestmark = pytest.mark.django_db

# Well-formed ids: province 001, gender/century digit, 2-digit birth year, serial.
HOA = [
    "001195000101",
    "Phạm Thị Hoa",
    "Nữ",
    "12/03/1995",
    "01/08/2018",
    "BHXH-01-THU",
    "Chuyên viên",
    "01/08/2018",
    "hoa.pt@bhxh.gov.vn",
    "0912345678",
]
MINH = [
    "001092000202",
    "Đỗ Văn Minh",
    "Nam",
    datetime(1992, 11, 5),
    datetime(2016, 2, 1),
    "BHXH-01",
    "Kế toán viên",
    "",
    "",
    "",
]


def test_it_imports_people_from_xlsx_with_positions(org):
    plan = commit_file("people", xlsx(PEOPLE_HEADERS, [HOA, MINH]), "nhan-su.xlsx", actor=None)

    assert plan.ok, plan.problems
    assert plan.counts == {"create": 2, "update": 0, "unchanged": 0}
    hoa = Person.objects.get(citizen_id="001195000101")
    assert hoa.full_name == "Phạm Thị Hoa"
    assert hoa.gender == "nu"
    assert hoa.date_of_birth == date(1995, 3, 12)
    assert hoa.current_unit == org.a_dept
    assert hoa.current_title == "Chuyên viên"
    assert hoa.email == "hoa.pt@bhxh.gov.vn"
    assert hoa.name_folded == "pham thi hoa"
    assert hoa.sort_key  # bulk writes keep the Vietnamese sort key
    [position] = hoa.positions.all()
    assert (position.unit, position.title, position.started_on) == (
        org.a_dept,
        "Chuyên viên",
        date(2018, 8, 1),
    )
    minh = Person.objects.get(citizen_id="001092000202")
    assert minh.date_of_birth == date(1992, 11, 5)  # a real Excel date
    assert minh.positions.get().started_on == date(2016, 2, 1)  # no "Từ ngày": the recruitment date
    entry = AuditEntry.objects.get(action="import.committed")
    assert entry.detail["counts"] == {"created": 2, "updated": 0, "unchanged": 0}
    # the log names people by masked citizen id only (unit heads read it)
    assert sorted(entry.detail["created"]) == ["0010******02", "0011******01"]
    assert entry.unit_path == org.a.path  # scoped to the province the rows belong to
    assert not AuditEntry.objects.filter(action="person.created", object_repr="Phạm Thị Hoa").exists()


def test_it_imports_people_from_csv_with_semicolons_and_bom(org):
    data = csv_bytes(PEOPLE_HEADERS, [HOA], delimiter=";")
    assert data.startswith(b"\xef\xbb\xbf")

    plan = commit_file("people", data, "nhan-su.csv", actor=None)

    assert plan.ok, plan.problems
    assert Person.objects.get(citizen_id="001195000101").recruited_on == date(2018, 8, 1)


def test_it_matches_headers_ignoring_case_diacritics_and_spaces(org):
    headers = [
        "  so cccd ",
        "HỌ VÀ  TÊN",
        "gioi tinh",
        "Ngày sinh (dd/mm/yyyy)",
        "ngay tuyen dung",
        "Mã Đơn Vị *",
        "chuc vu",
        "tu ngay",
        "Email",
        "dien thoai",
    ]

    plan = check_file("people", csv_bytes(headers, [HOA]), "a.csv", actor=None)

    assert plan.ok, plan.problems
    assert plan.counts["create"] == 1


def test_it_reports_unknown_and_missing_columns(org):
    headers = ["Số CCCD", "Họ và tên", "Giới tính", "Lương"]

    plan = check_file("people", csv_bytes(headers, [["001195000101", "A", "Nữ", "5"]]), "a.csv", actor=None)

    messages = {(p.column, p.message.split(" (")[0]) for p in plan.problems}
    assert ("Lương", "Cột không có trong mẫu nhập nhân sự") in messages
    assert ("Mã đơn vị", "Thiếu cột bắt buộc.") in messages
    assert all(p.row == 1 for p in plan.problems)


def test_it_reports_every_problem_of_the_file_at_once(org):
    rows = [
        HOA,
        ["001195000101", "Phạm Thị Hoa", "Nữ", "12/03/1995", "", "BHXH-01", "", "", "", ""],  # duplicate id
        ["001085000303", "Ngô Văn Tú", "Nam", "31/02/1985", "", "BHXH-01", "", "", "", ""],  # impossible date
        ["001199000404", "Vũ Thị Lan", "Nữ", "01/01/2099", "", "BHXH-01", "", "", "", ""],  # future birth
        ["001090000505", "Lý Văn Sơn", "Nữ", "01/01/1990", "", "BHXH-01", "", "", "", ""],  # id says male
        ["001090000606", "Hồ Văn Hải", "Nam", "01/01/1991", "", "BHXH-01", "", "", "", ""],  # id says 1990
        ["001090000707", "Mai Văn Đức", "Nam", "01/01/1990", "", "KHONG-CO", "", "", "", ""],  # unknown unit
        ["001090000808", "Tạ Văn Phúc", "Nam", "", "", "BHXH-01", "", "", "khong-phai-email", ""],
    ]

    plan = check_file("people", xlsx(PEOPLE_HEADERS, rows), "a.xlsx", actor=None)

    found = {(p.row, p.column, p.value) for p in plan.problems}
    assert (3, "Số CCCD", "001195000101") in found
    assert (4, "Ngày sinh", "31/02/1985") in found
    assert (5, "Ngày sinh", "01/01/2099") in found
    assert (6, "Số CCCD", "001090000505") in found
    assert (7, "Số CCCD", "001090000606") in found
    assert (8, "Mã đơn vị", "KHONG-CO") in found
    assert (9, "Thư điện tử", "khong-phai-email") in found
    by_row = {p.row: p.message for p in plan.problems}
    assert "trùng với dòng 2" in by_row[3]
    assert "không tồn tại" in by_row[4]
    assert "tương lai" in by_row[5]
    assert "giới tính nam" in by_row[6]
    assert "năm sinh" in by_row[7]
    assert not plan.results and not plan.operations


def test_it_writes_nothing_when_one_row_of_many_is_wrong(org):
    rows = [
        [f"001090{i:06d}", f"Nguyễn Văn Số {i}", "Nam", "01/01/1990", "", "BHXH-01", "", "", "", ""]
        for i in range(1, 600)
    ]
    rows[498][3] = "31/02/1990"  # row 500 in Excel (header is row 1)
    before = (Person.objects.count(), Position.objects.count(), AuditEntry.objects.count())

    plan = commit_file("people", xlsx(PEOPLE_HEADERS, rows), "a.xlsx", actor=None)

    assert [(p.row, p.column) for p in plan.problems] == [(500, "Ngày sinh")]
    assert not plan.committed
    assert (Person.objects.count(), Position.objects.count(), AuditEntry.objects.count()) == before


def test_an_error_on_the_last_row_leaves_nothing_written_and_reports_that_row(org):
    # The rows are written while they are checked (one COPY on PostgreSQL): a problem on the very last
    # row, when every other row is already sent, still rolls everything back.
    rows = [
        [f"001090{i:06d}", f"Nguyễn Văn Số {i}", "Nam", "01/01/1990", "", "BHXH-01", "", "", "", ""]
        for i in range(1, 1200)
    ]
    rows.insert(300, ["001085012345", "Nguyễn Văn An", "", "", "", "BHXH-79", "", "01/03/2024", "", ""])
    rows[-1][5] = "KHONG-CO"  # row 1.201 in Excel, after 1.198 new people and a transfer
    data = xlsx(PEOPLE_HEADERS, rows)
    before = (Person.objects.count(), Position.objects.count(), AuditEntry.objects.count())

    plan = commit_file("people", data, "a.xlsx", actor=None)

    assert [(p.row, p.column, p.value) for p in plan.problems] == [(1201, "Mã đơn vị", "KHONG-CO")]
    assert plan.problems == check_file("people", data, "a.xlsx", actor=None).problems
    assert not plan.committed and not plan.results and not plan.operations
    assert (Person.objects.count(), Position.objects.count(), AuditEntry.objects.count()) == before
    org.an.refresh_from_db()
    assert org.an.current_unit == org.a_dept


def test_after_the_first_problem_every_row_is_still_checked(org):
    rows = [
        [f"001090{i:06d}", f"Nguyễn Văn Số {i}", "Nam", "01/01/1990", "", "BHXH-01", "", "", "", ""]
        for i in range(1, 50)
    ]
    rows[0][2] = "Nữ"  # the id says a man
    rows[20][3] = "31/02/1990"
    rows[30][0] = rows[29][0]  # the same citizen id twice
    rows[-1][8] = "khong-phai-thu"
    data = xlsx(PEOPLE_HEADERS, rows)

    plan = commit_file("people", data, "a.xlsx", actor=None)

    assert [(p.row, p.column) for p in plan.problems] == [
        (2, "Số CCCD"),
        (22, "Ngày sinh"),
        (32, "Số CCCD"),
        (50, "Thư điện tử"),
    ]
    assert plan.problems == check_file("people", data, "a.xlsx", actor=None).problems
    assert not Person.objects.filter(citizen_id__startswith="001090").exists()


def test_a_refusal_of_the_service_while_writing_is_reported_and_nothing_is_written(org, monkeypatch):
    from thidua.core.errors import DomainError
    from thidua.org.services.people import check_person_fields as real

    seen = []

    def refuse_the_tenth(citizen_id, gender, date_of_birth):
        seen.append(citizen_id)
        if len(seen) == 10:
            raise DomainError("Từ chối thử")
        real(citizen_id, gender, date_of_birth)

    monkeypatch.setattr("thidua.org.services.imports.check_person_fields", refuse_the_tenth)
    rows = [
        [f"001090{i:06d}", f"Nguyễn Văn Số {i}", "Nam", "01/01/1990", "", "BHXH-01", "", "", "", ""]
        for i in range(1, 30)
    ]

    plan = commit_file("people", xlsx(PEOPLE_HEADERS, rows), "a.xlsx", actor=None)

    assert [p.message for p in plan.problems] == ["Từ chối thử"]
    assert not plan.committed
    assert not Person.objects.filter(citizen_id__startswith="001090").exists()
    assert not AuditEntry.objects.filter(action="import.committed").exists()


def test_it_updates_on_reimport_without_duplicating(org):
    commit_file("people", xlsx(PEOPLE_HEADERS, [HOA, MINH]), "a.xlsx", actor=None)
    changed = list(HOA)
    changed[1] = "Phạm Thị Hoà"
    changed[9] = "0987654321"

    plan = commit_file("people", xlsx(PEOPLE_HEADERS, [changed, MINH]), "a.xlsx", actor=None)

    assert plan.ok, plan.problems
    assert plan.counts == {"create": 0, "update": 1, "unchanged": 1}
    assert Person.objects.filter(citizen_id="001195000101").count() == 1
    hoa = Person.objects.get(citizen_id="001195000101")
    assert (hoa.full_name, hoa.phone) == ("Phạm Thị Hoà", "0987654321")
    assert hoa.positions.count() == 1
    assert plan.summary is not None and plan.summary.updated == ["001195000101"]


def test_it_keeps_the_existing_value_for_an_empty_cell(org):
    row = ["001085012345", "", "", "", "", "", "", "", "an.nv@bhxh.gov.vn", ""]

    plan = commit_file("people", xlsx(PEOPLE_HEADERS, [row]), "a.xlsx", actor=None)

    assert plan.ok, plan.problems
    org.an.refresh_from_db()
    assert (org.an.full_name, org.an.email, org.an.current_unit) == (
        "Nguyễn Văn An",
        "an.nv@bhxh.gov.vn",
        org.a_dept,
    )


def test_a_different_unit_is_a_transfer_that_keeps_the_position_history(org):
    row = [
        "001085012345",
        "Nguyễn Văn An",
        "Nam",
        "02/04/1985",
        "",
        "BHXH-79",
        "Phó Trưởng phòng",
        "01/03/2024",
        "",
        "",
    ]

    plan = commit_file("people", xlsx(PEOPLE_HEADERS, [row]), "a.xlsx", actor=None)

    assert plan.ok, plan.problems
    assert plan.results[0].action == "update"
    org.an.refresh_from_db()
    assert (org.an.current_unit, org.an.current_title) == (org.b, "Phó Trưởng phòng")
    old, new = org.an.positions.order_by("started_on")
    assert (old.unit, old.started_on, old.ended_on) == (org.a_dept, date(2010, 1, 1), date(2024, 2, 29))
    assert (new.unit, new.title, new.started_on, new.ended_on) == (
        org.b,
        "Phó Trưởng phòng",
        date(2024, 3, 1),
        None,
    )
    assert AuditEntry.objects.get(action="import.committed").detail["transferred"] == ["0010******45"]


def test_a_transfer_needs_a_from_date_after_the_current_position(org):
    no_date = ["001085012345", "", "", "", "", "BHXH-79", "", "", "", ""]
    too_early = ["001085012345", "", "", "", "", "BHXH-79", "", "01/01/2009", "", ""]

    assert (
        "Từ ngày"
        in check_file("people", xlsx(PEOPLE_HEADERS, [no_date]), "a.xlsx", actor=None).problems[0].message
    )
    problem = check_file("people", xlsx(PEOPLE_HEADERS, [too_early]), "a.xlsx", actor=None).problems[0]
    assert (problem.column, problem.value) == ("Từ ngày", "01/01/2009")
    assert "01/01/2010" in problem.message


def test_a_citizen_id_typed_as_a_number_keeps_its_leading_zeros(org):
    row = [1195000101, "Phạm Thị Hoa", "Nữ", "12/03/1995", "", "BHXH-01", "", "", "", 912345678]

    plan = commit_file("people", xlsx(PEOPLE_HEADERS, [row]), "a.xlsx", actor=None)

    assert plan.ok, plan.problems
    assert Person.objects.get(citizen_id="001195000101").phone == "0912345678"


def test_formula_like_text_is_stored_as_data(org):
    row = ["001195000101", '=HYPERLINK("x")', "Nữ", "", "", "BHXH-01", "+Trưởng nhóm", "", "", ""]

    plan = commit_file("people", csv_bytes(PEOPLE_HEADERS, [row]), "a.csv", actor=None)

    assert plan.ok, plan.problems
    person = Person.objects.get(citizen_id="001195000101")
    assert (person.full_name, person.current_title) == ('=HYPERLINK("x")', "+Trưởng nhóm")


@time_machine.travel(datetime(2026, 11, 29, 9, 0))
def test_a_birth_date_today_is_allowed_but_tomorrow_is_not(org):
    rows = [
        ["001226000001", "Bé A", "Nam", "29/11/2026", "", "BHXH-01", "", "", "", ""],
        ["001226000002", "Bé B", "Nam", "30/11/2026", "", "BHXH-01", "", "", "", ""],
    ]

    plan = check_file("people", xlsx(PEOPLE_HEADERS, rows), "a.xlsx", actor=None)

    assert [(p.row, p.column) for p in plan.problems] == [(3, "Ngày sinh")]
