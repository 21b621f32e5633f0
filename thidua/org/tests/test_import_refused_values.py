"""Values a column cannot hold (too long, a NUL byte) are row problems of the file, never a server error
(PostgreSQL refused them inside the COPY: a DataError, a 500), and nothing is written."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from thidua.audit.models import AuditEntry
from thidua.org.citizen_id import make_citizen_id
from thidua.org.importers import commit_file
from thidua.org.importers import values as import_values
from thidua.org.models import Person, Position, Unit
from thidua.org.services import PersonImport, import_people
from thidua.org.services.imports import RefusedValue
from thidua.org.tests.import_helpers import PEOPLE_HEADERS, csv_bytes, xlsx

pytestmark = pytest.mark.django_db

EMAIL, PHONE, NAME = PEOPLE_HEADERS.index("Thư điện tử"), PEOPLE_HEADERS.index("Điện thoại"), 1
TOO_LONG_PHONE = "+" + "0" * 20  # 21 characters: the column holds 20
TOO_LONG_EMAIL = "a" * 250 + "@bhxh.gov.vn"  # valid for Django's validator (320), the column holds 254


def person_row(i: int) -> list[Any]:
    return [make_citizen_id("001", "nu", 1990, i), f"Phạm Thị Hoa {i}", "Nữ", "12/03/1990", "", "BHXH-01-THU"]


def rows_with(bad_column: int, bad_value: str, *, before: int = 1) -> list[list[Any]]:
    """`before` good rows, then a row whose `bad_column` holds `bad_value`."""
    rows = [[*person_row(i), "", "", "", ""] for i in range(before)]
    bad = [*person_row(before), "", "", "", ""]
    bad[bad_column] = bad_value
    return [*rows, bad]


def with_nul_escape(data: bytes) -> bytes:
    """The .xlsx with "NULHERE" written as Excel's escape of a NUL character (`_x0000_`)."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info.filename).replace(b"NULHERE", b"_x0000_"))
    return out.getvalue()


def assert_nothing_written() -> None:
    assert not Person.objects.filter(citizen_id__startswith="0012900").exists()
    assert not AuditEntry.objects.filter(action="import.committed").exists()


@pytest.mark.parametrize(
    ("column", "value", "shown", "message"),
    [
        (PHONE, TOO_LONG_PHONE, TOO_LONG_PHONE, "tối đa 20 ký tự"),
        (EMAIL, TOO_LONG_EMAIL, "aaaa", "Địa chỉ thư điện tử dài quá 254 ký tự."),
    ],
)
def test_a_value_too_long_for_its_column_is_a_problem_of_its_row(org, column, value, shown, message):
    plan = commit_file("people", csv_bytes(PEOPLE_HEADERS, rows_with(column, value)), "a.csv", actor=None)

    [problem] = plan.problems
    assert (problem.row, problem.column) == (3, PEOPLE_HEADERS[column])
    assert problem.value.startswith(shown) and message in problem.message
    assert not plan.committed
    assert_nothing_written()


def test_a_nul_character_in_an_xlsx_cell_is_a_problem_of_its_row(org):
    # Excel writes a NUL character as `_x0000_`; the calamine reader gives it back as "\x00".
    data = with_nul_escape(xlsx(PEOPLE_HEADERS, rows_with(NAME, "Phạm Thị NULHERE Hoa")))

    plan = commit_file("people", data, "a.xlsx", actor=None)

    [problem] = plan.problems
    assert (problem.row, problem.column) == (3, "Họ và tên")
    assert "ký tự NUL" in problem.message
    assert_nothing_written()


def test_a_nul_character_deep_in_a_csv_file_is_a_problem_of_its_row(org):
    # The reader refuses a NUL in the first 4 KB as a binary file; further down it is one cell's problem.
    rows = rows_with(NAME, "Phạm Thị \x00 Hoa", before=80)
    data = csv_bytes(PEOPLE_HEADERS, rows)
    assert data.index(b"\x00") > 4096

    plan = commit_file("people", data, "a.csv", actor=None)

    [problem] = plan.problems
    assert (problem.row, problem.column) == (82, "Họ và tên")
    assert "ký tự NUL" in problem.message
    assert_nothing_written()


def test_the_upload_page_reports_it_and_offers_no_commit(personas, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(personas.officer)
    data = csv_bytes(PEOPLE_HEADERS, rows_with(PHONE, TOO_LONG_PHONE))

    response = client.post(
        reverse("org:import_start"), {"kind": "people", "file": SimpleUploadedFile("a.csv", data)}
    )
    preview = client.get(response["Location"])

    assert preview.status_code == 200
    html = preview.content.decode()
    assert "<td>3</td><td>Điện thoại</td>" in html and "tối đa 20 ký tự" in html
    assert "Ghi vào cơ sở dữ liệu" not in html


# --- What the database refuses when no check stopped it (PostgreSQL) -------------------------------

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite stores any length and NUL bytes: nothing to refuse"
)


@postgres_only
@pytest.mark.parametrize(
    ("fields", "title", "field", "reason"),
    [
        ({"phone": TOO_LONG_PHONE}, None, "phone", "dài 21 ký tự, quá giới hạn 20 ký tự"),
        ({"email": TOO_LONG_EMAIL}, None, "email", "dài 262 ký tự, quá giới hạn 254 ký tự"),
        ({"full_name": "Phạm Thị \x00 Hoa"}, None, "full_name", "ký tự NUL"),
        ({}, "Chuyên viên \x00", "title", "ký tự NUL"),
    ],
)
def test_the_service_names_the_row_and_field_the_database_refused(org, fields, title, field, reason):
    good = PersonImport(person_row(0)[0], {"full_name": "Phạm Thị Hoa", "gender": "nu"}, unit_code="BHXH-01")
    cid = person_row(1)[0]
    bad = PersonImport(cid, {"full_name": "Phạm Thị Hương", "gender": "nu", **fields}, "BHXH-01", title)

    with pytest.raises(RefusedValue) as refused:
        import_people([good, bad], actor=None)

    assert (refused.value.citizen_id, refused.value.field) == (cid, field)
    assert reason in refused.value.reason and refused.value.message.startswith(f"Số CCCD {cid}: ")
    assert_nothing_written()


@postgres_only
def test_a_title_refused_for_a_moved_person_names_that_person(org):
    # An existing person moved to another unit gets a new position (`bulk_insert`, one COPY).
    bad = PersonImport(org.an.citizen_id, {}, unit_code="BHXH-79", title="Trưởng phòng \x00")

    with pytest.raises(RefusedValue) as refused:
        import_people([bad], actor=None)

    assert (refused.value.citizen_id, refused.value.field) == (org.an.citizen_id, "title")
    assert org.an.positions.count() == 1 and not Position.objects.filter(title__contains="Trưởng").exists()


@postgres_only
def test_a_value_no_check_stopped_is_reported_on_its_row_not_as_a_server_error(
    org, monkeypatch, personas, client_for, settings, tmp_path
):
    lenient = import_values._max_length(30)  # the phone column's own check forgotten
    monkeypatch.setitem(import_values.PARSERS, "phone", lenient)
    settings.MEDIA_ROOT = tmp_path
    client = client_for(personas.officer)
    data = csv_bytes(PEOPLE_HEADERS, rows_with(PHONE, TOO_LONG_PHONE))
    response = client.post(
        reverse("org:import_start"), {"kind": "people", "file": SimpleUploadedFile("a.csv", data)}
    )
    assert "Ghi vào cơ sở dữ liệu" in client.get(response["Location"]).content.decode()  # checks passed
    token = response["Location"].rstrip("/").rsplit("/", 1)[-1]

    result = client.post(reverse("org:import_commit", args=[token]))

    assert result.status_code == 409  # the commit's refusal: the problems, no commit offered
    html = result.content.decode()
    assert "<td>3</td><td>Điện thoại</td>" in html and "Dài 21 ký tự, quá giới hạn 20 ký tự." in html
    assert_nothing_written()


@pytest.mark.parametrize(
    ("key", "column", "too_long"),
    [
        ("full_name", Person._meta.get_field("full_name"), "A" * 121),
        ("title", Person._meta.get_field("current_title"), "A" * 121),
        ("title", Position._meta.get_field("title"), "A" * 121),
        ("email", Person._meta.get_field("email"), "a" * 243 + "@bhxh.gov.vn"),
        ("phone", Person._meta.get_field("phone"), "+" + "0" * 20),
        ("unit_code", Unit._meta.get_field("code"), "A" * 41),
        ("code", Unit._meta.get_field("code"), "A" * 41),
        ("name", Unit._meta.get_field("name"), "A" * 256),
        ("short_name", Unit._meta.get_field("short_name"), "A" * 61),
        ("place_name", Unit._meta.get_field("place_name"), "A" * 101),
        ("symbol", Unit._meta.get_field("symbol"), "A" * 31),
    ],
)
def test_every_text_column_refuses_a_value_longer_than_its_database_column(key, column, too_long):
    assert len(too_long) == column.max_length + 1
    with pytest.raises(import_values.CellError):
        import_values.PARSERS[key](too_long)
    import_values.PARSERS[key](too_long[: column.max_length] if key != "email" else too_long[1:])
