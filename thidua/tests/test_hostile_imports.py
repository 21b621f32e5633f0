"""Every importer reads through the guarded reader: a hostile file is refused with a clear message
before anything big is built, bad cells are row errors, and no message repeats a huge value."""

from __future__ import annotations

import io
import time
import zipfile
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from thidua.awards import services as award_services
from thidua.awards.services.ratings import RatingImportError
from thidua.core.errors import DomainError
from thidua.history.models import Rating
from thidua.movements import scoring
from thidua.movements.models import Result
from thidua.movements.scoring_xlsx import table_from_xlsx
from thidua.movements.tests.samples import YEAR
from thidua.org.importers import check_file
from thidua.org.models import Person
from thidua.org.tests.import_helpers import PEOPLE_HEADERS, csv_bytes
from thidua.tests.hostile_files import last_column_on_every_row, with_raw_cells, workbook

pytestmark = pytest.mark.django_db
pytest_plugins = ["thidua.movements.tests.fixtures"]

ROW = ["001195000101", "Phạm Thị Hoa", "Nữ", "12/03/1995", "01/08/2018", "BHXH-01-THU"]
HEADERS = PEOPLE_HEADERS[:6]


def problems(plan: Any) -> list[str]:
    return [str(p) for p in plan.problems]


# -- people and units (org) ---------------------------------------------------------------------------


def test_the_104_kb_file_with_a_cell_in_the_last_column_is_refused_in_a_moment(org):
    data = last_column_on_every_row(HEADERS)
    started = time.monotonic()
    plan = check_file("people", data, "nhan-su.xlsx", actor=None)
    assert time.monotonic() - started < 10
    assert len(plan.problems) == 1
    assert "XFD1: quá giới hạn 100 cột" in plan.problems[0].message


def test_a_100_mb_style_cell_is_refused_and_never_echoed(org):
    data = workbook(HEADERS, [[*ROW[:1], "A" * 300_000, *ROW[2:]]])
    plan = check_file("people", data, "nhan-su.xlsx", actor=None)
    text = " ".join(problems(plan))
    assert "quá giới hạn 5.000 ký tự" in text
    assert len(text) < 400


def test_excel_errors_far_future_dates_and_over_long_values_are_row_errors(org):
    data = with_raw_cells(
        HEADERS,
        {
            "A2": b' t="inlineStr"><is><t>001195000101</t></is>',
            "B2": b' t="e"><v>#N/A</v>',
            "C2": ' t="inlineStr"><is><t>Nữ</t></is>'.encode(),
            "D2": b' t="inlineStr"><is><t>12/03/9999</t></is>',
            "E2": b"<v>1e999</v>",
            "F2": b' t="inlineStr"><is><t>' + b"B" * 300 + b"</t></is>",
        },
    )
    plan = check_file("people", data, "nhan-su.xlsx", actor=None)
    text = "\n".join(problems(plan))
    assert "Dòng 2, cột 'Họ và tên' (giá trị: '#N/A'): Ô chứa lỗi công thức Excel #N/A" in text
    assert "Dòng 2, cột 'Ngày sinh'" in text and "sau năm 2100" in text
    assert "Dòng 2, cột 'Ngày tuyển dụng'" in text and "không hữu hạn" in text
    assert "Dòng 2, cột 'Mã đơn vị'" in text and "dài quá 40 ký tự" in text.lower()
    assert "B" * 61 not in text  # the 300-character value is shown as an excerpt
    assert not Person.objects.filter(citizen_id="001195000101").exists()


def test_a_csv_with_thousands_of_empty_columns_or_a_huge_cell_is_refused_clearly(org):
    wide = ("Số CCCD,Họ và tên" + "," * 20_000 + "x\n").encode()
    plan = check_file("people", wide, "nhan-su.csv", actor=None)
    assert "quá giới hạn 100 cột" in problems(plan)[0]
    huge = csv_bytes(HEADERS, [[ROW[0], "C" * 500_000, *ROW[2:]]])
    plan = check_file("people", huge, "nhan-su.csv", actor=None)
    assert "quá giới hạn 5000 ký tự" in problems(plan)[0]
    assert len(problems(plan)[0]) < 300


def test_a_far_future_date_typed_as_a_date_cell_is_a_row_error(org):
    plan = check_file(
        "people", workbook(HEADERS, [[*ROW[:3], date(2999, 1, 1), *ROW[4:]]]), "x.xlsx", actor=None
    )
    assert any("sau năm 2100" in p for p in problems(plan))


# -- movement results --------------------------------------------------------------------------------


def results_sheet(client: Any, movement: Any) -> Any:
    response = client.get(f"/phong-trao/{movement.pk}/ket-qua/{YEAR}/nam/mau/")
    return load_workbook(io.BytesIO(response.content))


def replace_in_sheet(data: bytes, old: bytes, new: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            body = source.read(name)
            target.writestr(name, body.replace(old, new) if name.startswith("xl/worksheets/") else body)
    return out.getvalue()


def upload(data: bytes, name: str = "ket-qua.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def test_the_results_import_refuses_the_hostile_file(client_for, root_officer, running):
    data = last_column_on_every_row(["Kết quả"], sheet="Kết quả")
    response = client_for(root_officer).post(
        f"/phong-trao/{running.pk}/ket-qua/{YEAR}/nam/nhap/", {"file": upload(data)}
    )
    assert response.status_code == 400
    assert "quá giới hạn 100 cột" in response.content.decode()


def test_the_results_import_reports_infinite_numbers_and_excel_errors_as_row_errors(
    client_for, root_officer, org, running
):
    client = client_for(root_officer)
    wb = results_sheet(client, running)
    ws = wb.active
    ws.cell(row=4, column=3, value=123454321)  # becomes 1e999 below (openpyxl cannot write infinity)
    ws.cell(row=4, column=4, value="#DIV/0!")
    ws.cell(row=4, column=5, value="có")
    buffer = io.BytesIO()
    wb.save(buffer)
    data = replace_in_sheet(buffer.getvalue(), b"<v>123454321</v>", b"<v>1e999</v>")
    response = client.post(f"/phong-trao/{running.pk}/ket-qua/{YEAR}/nam/nhap/", {"file": upload(data)})
    page = response.content.decode()
    assert response.status_code == 400
    assert "<td>4</td><td>C (I.1.actual)</td>" in page and "không hữu hạn" in page
    assert "<td>4</td><td>D (I.1.target)</td><td>#DIV/0!</td><td>ô chứa lỗi công thức Excel #DIV/0!" in page
    assert not Result.objects.exists()


def test_a_typed_huge_number_is_not_a_number(client_for, root_officer, org, running):
    client = client_for(root_officer)
    wb = results_sheet(client, running)
    ws = wb.active
    for column, value in enumerate(("1e999", "100", "có"), start=3):
        ws.cell(row=4, column=column, value=value)
    buffer = io.BytesIO()
    wb.save(buffer)
    response = client.post(
        f"/phong-trao/{running.pk}/ket-qua/{YEAR}/nam/nhap/", {"file": upload(buffer.getvalue())}
    )
    assert response.status_code == 400
    assert "không phải là số" in response.content.decode()
    assert not Result.objects.exists()


# -- ratings and scoring tables ----------------------------------------------------------------------


def test_the_rating_import_refuses_hostile_files_and_reports_error_cells(org, personas):
    with pytest.raises(DomainError, match="quá giới hạn 100 cột"):
        award_services.import_ratings(
            actor=personas.officer, unit=org.a_dept, year=2025, source=last_column_on_every_row(["Số CCCD"])
        )
    data = with_raw_cells(
        ["Số CCCD", "Họ và tên", "Mức xếp loại"],
        {
            "A2": b' t="inlineStr"><is><t>' + org.an.citizen_id.encode() + b"</t></is>",
            "C2": b' t="e"><v>#REF!</v>',
        },
    )
    with pytest.raises(RatingImportError) as caught:
        award_services.import_ratings(actor=personas.officer, unit=org.a_dept, year=2025, source=data)
    assert [str(p) for p in caught.value.problems] == [
        "Dòng 2, cột “Mức xếp loại”: “#REF!” — ô chứa lỗi công thức Excel #REF!; hãy sửa công thức hoặc nhập giá trị"
    ]
    assert not Rating.objects.exists()


def test_the_scoring_table_import_refuses_hostile_files():
    with pytest.raises(scoring.TableError, match="quá giới hạn 100 cột"):
        table_from_xlsx(last_column_on_every_row(["Mã"], sheet="Tiêu chí"))


BILLION_LAUGHS = """
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
criteria: *g
"""


def test_a_yaml_bomb_is_refused_before_it_expands(client_for, root_officer, running):
    response = client_for(root_officer).post(
        f"/phong-trao/{running.pk}/bang-cham-diem/", {"year": YEAR, "version": "1", "text": BILLION_LAUGHS}
    )
    assert response.status_code == 200
    assert "không dùng tham chiếu YAML" in response.content.decode()
