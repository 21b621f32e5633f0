"""Sorting and filters where officers compare: the one sort helper, unit subtree, status, audit filters."""

import pytest
from django.test import RequestFactory

from thidua.audit.services import log
from thidua.core.listing import Column, Sorter

pytestmark = pytest.mark.django_db
pytest_plugins = ["thidua.movements.tests.fixtures"]


def test_the_sorter_reads_the_column_keeps_filters_and_refuses_unknown_keys():
    columns = [Column("name", "Tên", ("name",)), Column("year", "Năm", ("year",)), Column("note", "Ghi chú")]
    sorter = Sorter(
        RequestFactory().get("/", {"sap_xep": "-year", "status": "draft"}), columns, default="name"
    )
    assert (sorter.key, sorter.descending) == ("year", True)
    headers = sorter.headers()
    assert headers[1]["state"] == "descending" and "status=draft" in headers[1]["url"]
    assert "sap_xep=year" in headers[1]["url"]  # clicking again turns it ascending
    assert headers[2]["url"] == ""  # not sortable
    bad = Sorter(RequestFactory().get("/", {"sap_xep": "password"}), columns, default="name")
    assert (bad.key, bad.descending) == ("name", False)
    rows = [{"y": 2}, {"y": None}, {"y": 5}]
    by_year = Sorter(
        RequestFactory().get("/", {"sap_xep": "-y"}),
        [Column("y", "Y", row_key=lambda r: r["y"])],
        default="y",
    )
    assert by_year.sort(rows) == [{"y": 5}, {"y": 2}, {"y": None}]


def test_movement_lists_sort_and_filter_by_unit_subtree_and_status(
    client_for, personas, root_officer, org, running
):
    from thidua.movements import services
    from thidua.movements.tests.samples import FAIR, GOOD, YEAR

    for unit, figures in ((org.a, GOOD), (org.b, FAIR)):
        result = services.save_result(
            actor=None, movement=running, unit=unit, year=YEAR, period="nam", figures=figures
        )
        services.submit_result(actor=None, result=result)
    client = client_for(root_officer)
    url = f"/phong-trao/{running.pk}/ket-qua/{YEAR}/nam/"
    ordered = client.get(url, {"sap_xep": "-self"}).context["results"]
    assert [r.unit for r in ordered] == [org.a, org.b]
    assert [r.unit for r in client.get(url, {"sap_xep": "self"}).context["results"]] == [org.b, org.a]
    only_a = client.get(url, {"unit": org.a.pk}).context["results"]
    assert [r.unit for r in only_a] == [org.a]
    assert list(client.get(url, {"status": "final"}).context["results"]) == []
    movements = client.get("/phong-trao/", {"sap_xep": "title", "unit": org.root.pk}).context["page"]
    assert running in list(movements)


def test_the_audit_log_filters_by_actor_person_and_unit(client_for, personas, org):
    log("person.updated", actor=personas.officer, obj=org.an, unit_path=org.a.path)
    log("person.updated", actor=personas.outsider_officer, obj=org.cuong, unit_path=org.b.path)
    client = client_for(personas.admin)
    by_actor = client.get("/nhat-ky/", {"actor": "canbo.hn"}).context["page"]
    assert {e.object_repr for e in by_actor} == {org.an.full_name}
    by_person = client.get("/nhat-ky/", {"person": "Cường"}).context["page"]
    assert {e.object_repr for e in by_person} == {org.cuong.full_name}
    by_unit = {e.object_repr for e in client.get("/nhat-ky/", {"unit": org.b.pk}).context["page"]}
    assert org.cuong.full_name in by_unit and org.an.full_name not in by_unit
