"""Bulk writes and lookups: `insert_rows`, `bulk_insert`, `in_values`."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from thidua.core.bulk import IN_CHUNK, RowDataError, bulk_insert, in_values, insert_rows
from thidua.org.models import Person, Position

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="COPY is PostgreSQL's; SQLite stores any length and NUL bytes"
)
COLUMNS = ("citizen_id", "full_name", "gender", "phone")


def people(*phones_and_names: tuple[str, str]) -> list[tuple[str, str, str, str]]:
    return [(f"00119500{i:04d}", name, "nu", phone) for i, (phone, name) in enumerate(phones_and_names)]


@postgres_only
@pytest.mark.parametrize(
    ("rows", "row", "field"),
    [
        (people(("0912", "A"), ("0913", "B"), ("0" * 21, "C")), 2, "phone"),  # refused by the server
        (people(("0912", "A"), ("0913", "B\x00")), 1, "full_name"),  # refused by psycopg
    ],
)
def test_a_refused_value_names_its_row_and_field(org, rows, row, field):
    now = timezone.now()
    with pytest.raises(RowDataError) as refused:
        insert_rows(
            Person, COLUMNS, iter(rows), count=len(rows), constants={"created_at": now, "updated_at": now}
        )
    assert (refused.value.row, refused.value.field) == (row, field)


@postgres_only
def test_bulk_insert_names_the_refused_row_too(org):
    positions = [
        Position(person=org.an, unit=org.a_dept, title=title, started_on=date(2020, 1, 1))
        for title in ("Chuyên viên", "x" * 121)
    ]
    with pytest.raises(RowDataError) as refused:
        bulk_insert(Position, positions)
    assert (refused.value.row, refused.value.field) == (1, "title")


def test_insert_rows_fills_the_defaults_and_returns_the_keys(org):
    now = timezone.now()
    rows = people(("0912", "Phạm Thị Hoa"), ("0913", "Lê Văn Tám"))
    ids = insert_rows(Person, COLUMNS, iter(rows), count=2, constants={"created_at": now, "updated_at": now})
    written = Person.objects.in_bulk(ids)
    assert [written[i].full_name for i in ids] == ["Phạm Thị Hoa", "Lê Văn Tám"]
    assert all(
        p.email == "" and p.left_on is None and p.is_direct_worker is not None for p in written.values()
    )


def test_in_values_filters_by_many_values_in_one_query_or_chunks(org):
    wanted = [org.an.citizen_id, org.binh.citizen_id, *(f"9{i:011d}" for i in range(IN_CHUNK + 10))]
    with CaptureQueriesContext(connection) as captured:
        found = {
            p
            for where in in_values(Person, "citizen_id", wanted, "text")
            for p in Person.objects.filter(**where)
        }
    assert found == {org.an, org.binh}
    assert len(captured.captured_queries) == (1 if connection.vendor == "postgresql" else 2)
    assert list(in_values(Person, "citizen_id", [], "text")) == []
