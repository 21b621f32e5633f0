"""The Django admin cannot break the organisation model."""

from __future__ import annotations

from thidua.audit.models import AuditEntry
from thidua.org.models import Unit


def test_units_and_roles_are_not_added_or_moved_in_the_admin(org, personas, client_for):
    client = client_for(personas.admin)
    for model in ("unit", "membership", "person", "cluster", "reorgevent"):
        assert client.get(f"/quan-tri/org/{model}/add/").status_code == 403, model
    page = client.get(f"/quan-tri/org/unit/{org.a_dept.pk}/change/").content.decode()
    assert 'name="short_name"' in page
    for derived in ("parent", "path", "depth", "valid_to", "name"):
        assert f'name="{derived}"' not in page, derived
    assert (
        client.get(f"/quan-tri/org/membership/{personas.officer.memberships.get().pk}/change/").status_code
        == 200
    )
    assert client.post(f"/quan-tri/org/unit/{org.a_dept.pk}/delete/", {"post": "yes"}).status_code == 403


def test_a_plain_edit_in_the_admin_goes_through_the_service(org, personas, client_for):
    client = client_for(personas.admin)
    url = f"/quan-tri/org/unit/{org.a_dept.pk}/change/"
    data = {
        "short_name": "QLT",
        "kind": org.a_dept.kind,
        "province_code": "01",
        "place_name": "",
        "symbol": "",
        "valid_from": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    unit = Unit.objects.get(pk=org.a_dept.pk)
    assert unit.short_name == "QLT" and unit.path == org.a_dept.path
    entry = AuditEntry.objects.get(action="unit.updated", object_id=str(unit.pk))
    assert entry.actor == personas.admin and "short_name" in entry.detail["changes"]
