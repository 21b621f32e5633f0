"""The bulk services keep the invariants on their own, whatever calls them."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from thidua.audit.models import AuditEntry
from thidua.core.errors import DomainError
from thidua.org.models import Person, Position, Unit
from thidua.org.services import PersonImport, UnitImport, _common_path, import_people, import_units

pytestmark = pytest.mark.django_db


def test_import_people_refuses_a_transfer_dated_before_the_current_position_and_writes_nothing(org):
    rows = [
        PersonImport("001195000101", {"full_name": "Phạm Thị Hoa", "gender": "nu"}, unit_code="BHXH-01"),
        PersonImport("001085012345", {}, unit_code="BHXH-79", started_on=date(2009, 1, 1)),
    ]

    with pytest.raises(DomainError, match="phải sau ngày bắt đầu"):
        import_people(rows, actor=None)

    assert not Person.objects.filter(citizen_id="001195000101").exists()
    assert org.an.positions.count() == 1
    assert not AuditEntry.objects.filter(action="import.committed").exists()


def test_import_people_checks_the_citizen_id_against_gender(org):
    rows = [PersonImport("001195000101", {"full_name": "Phạm Văn Hoà", "gender": "nam"}, unit_code="BHXH-01")]

    with pytest.raises(DomainError, match="giới tính"):
        import_people(rows, actor=None)


def test_import_people_promotion_in_the_same_unit_opens_a_new_position(org):
    rows = [PersonImport("001085012345", {}, title="Phó Trưởng phòng", started_on=date(2025, 1, 1))]

    summary = import_people(rows, actor=None)

    assert summary.updated == ["001085012345"] and summary.moved == []
    titles = list(org.an.positions.order_by("started_on").values_list("title", "ended_on"))
    assert titles == [("Chuyên viên", date(2024, 12, 31)), ("Phó Trưởng phòng", None)]
    org.an.refresh_from_db()
    assert (org.an.current_unit, org.an.current_title) == (org.a_dept, "Phó Trưởng phòng")


def test_import_people_title_correction_without_a_date_edits_the_open_position(org):
    import_people([PersonImport("001085012345", {}, title="Chuyên viên chính")], actor=None)

    assert list(Position.objects.filter(person=org.an).values_list("title", flat=True)) == [
        "Chuyên viên chính"
    ]


def test_import_units_refuses_a_cycle(org):
    rows = [UnitImport("C1", {"name": "C1"}, "C2"), UnitImport("C2", {"name": "C2"}, "C1")]

    with pytest.raises(DomainError, match="vòng lặp"):
        import_units(rows, actor=None)
    assert not Unit.objects.filter(code__in=["C1", "C2"]).exists()


@pytest.mark.parametrize(
    ("paths", "expected"),
    [(["/1/4/9/", "/1/4/"], "/1/4/"), (["/1/4/", "/1/5/"], "/1/"), (["/1/", "/2/"], ""), ([], "")],
)
def test_common_path_is_the_deepest_shared_unit(paths, expected):
    assert _common_path(paths) == expected


def test_a_concurrent_write_of_the_same_citizen_id_is_reported_and_nothing_is_written(org, monkeypatch):
    from thidua.org.importers import commit_file
    from thidua.org.services import imports
    from thidua.org.tests.import_helpers import PEOPLE_HEADERS, xlsx

    real = imports.insert_rows  # type: ignore[attr-defined]

    def racing(model, columns, rows, **kwargs):
        # Another request creates the same person after our check, just before our write
        # (COPY on PostgreSQL, bulk_create elsewhere).
        if model is Person:
            Person.objects.create(citizen_id="001195000101", full_name="Phạm Thị Hoa", gender="nu")
        return real(model, columns, rows, **kwargs)

    monkeypatch.setattr(imports, "insert_rows", racing)
    data = xlsx(PEOPLE_HEADERS, [["001195000101", "Phạm Thị Hoa", "Nữ", "", "", "BHXH-01", "", "", "", ""]])

    plan = commit_file("people", data, "a.xlsx", actor=None)

    assert not plan.committed
    assert "thay đổi trong lúc ghi" in plan.problems[0].message
    assert not Person.objects.filter(citizen_id="001195000101").exists()
    assert not AuditEntry.objects.filter(action="import.committed").exists()


def test_new_people_are_written_as_plain_rows_like_a_saved_person(org):
    # Written without model objects (one COPY per table on PostgreSQL): the same columns as `save()`.
    decomposed = "Pha\u0323m  Thi\u0323 Hoa"  # NFD marks and a double space, as a pasted name may hold
    rows = [
        PersonImport(
            "001195000101",
            {"full_name": decomposed, "gender": "nu", "recruited_on": date(2020, 9, 1), "email": "h@a.vn"},
            unit_code="BHXH-01",
            title="Chuyên viên",
        ),
        PersonImport("001095000102", {"full_name": "Lê Văn Tám", "gender": "nam"}, unit_code="BHXH-79"),
    ]

    before = timezone.now()
    summary = import_people(rows, actor=None)

    assert summary.counts == {"created": 2, "updated": 0, "unchanged": 0}
    hoa = Person.objects.get(citizen_id="001195000101")
    saved = Person(full_name=decomposed)
    saved.derive_fields()
    assert (hoa.full_name, hoa.name_folded, hoa.sort_key) == (
        saved.full_name,
        saved.name_folded,
        saved.sort_key,
    )
    assert hoa.full_name == "Phạm Thị Hoa"
    assert (hoa.current_unit, hoa.current_title, hoa.email, hoa.phone) == (org.a, "Chuyên viên", "h@a.vn", "")
    assert (hoa.leave_reason, hoa.left_on, hoa.is_direct_worker, hoa.ethnicity, hoa.user) == (
        "",
        None,
        False,
        "",
        None,
    )
    # The timestamps (sent as text made once, on PostgreSQL) are the time of the import.
    position = hoa.positions.get()
    stamps = (hoa.created_at, hoa.updated_at, position.created_at, position.updated_at)
    assert all(before <= stamp <= timezone.now() for stamp in stamps)
    assert (position.unit, position.title, position.started_on, position.ended_on) == (
        org.a,
        "Chuyên viên",
        date(2020, 9, 1),
        None,
    )
    tam = Person.objects.get(citizen_id="001095000102")
    assert tam.positions.get().started_on == date.today()
    assert tam.pk != hoa.pk and tam.positions.get().person_id == tam.pk
