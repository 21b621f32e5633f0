"""`thidua maintain`: statistics and space on both databases; on PostgreSQL, the people rewritten on
disk in Vietnamese order (`physical_order`)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from thidua.core.maintenance import clustered_models, maintain
from thidua.org.models import Person


def test_the_people_are_laid_out_in_the_order_of_an_index_they_have():
    assert ("org_person", "person_sort_idx") in clustered_models()
    assert "person_sort_idx" in {index.name for index in Person._meta.indexes}


@pytest.mark.django_db(transaction=True)
def test_maintain_runs_outside_a_transaction_and_says_what_it_did(org):
    out = StringIO()
    call_command("maintain", "--cluster", stdout=out)
    text = out.getvalue()
    assert "Đã bảo trì xong cơ sở dữ liệu." in text
    if connection.vendor == "postgresql":
        assert "Sắp xếp lại bảng org_person theo person_sort_idx:" in text
        assert "VACUUM ANALYZE" in text
    else:
        assert "--cluster chỉ có tác dụng trên PostgreSQL" in text
        assert "Thu gọn tệp cơ sở dữ liệu (VACUUM):" in text


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only (CLUSTER)")
@pytest.mark.django_db(transaction=True)
def test_cluster_lays_the_people_out_in_vietnamese_order(org):
    names = ["Vũ Thị Yến", "Trần Văn An", "Nguyễn Thị Hương", "Lê Văn Bình", "Phạm Thị Hương"]
    for i, name in enumerate(names):
        Person.objects.create(citizen_id=f"00118509700{i}", full_name=name, gender="nu", current_unit=org.a)
    on_disk = "SELECT full_name FROM org_person WHERE citizen_id LIKE '00118509700%%' ORDER BY ctid"
    with connection.cursor() as cursor:
        cursor.execute(on_disk)
        assert [r[0] for r in cursor.fetchall()] == names  # as written
    steps = maintain(cluster=True).steps
    assert steps[0][0].startswith("Sắp xếp lại bảng org_person")
    with connection.cursor() as cursor:
        cursor.execute(on_disk)
        after = [r[0] for r in cursor.fetchall()]
    in_order = list(
        Person.objects.filter(citizen_id__startswith="00118509700").values_list("full_name", flat=True)
    )
    assert after == in_order  # Person's default ordering is the sort key
    assert after[:3] == ["Trần Văn An", "Lê Văn Bình", "Nguyễn Thị Hương"]
