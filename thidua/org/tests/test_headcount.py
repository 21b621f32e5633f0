"""Head counts of the dashboard and the unit page (thidua/org/headcount.py): right after any change."""

from datetime import date

import pytest

from thidua.org import headcount, services
from thidua.org.models import Person

pytestmark = pytest.mark.django_db


def test_scope_counts_follow_the_users_scope(org, personas):
    admin_gender, _ = headcount.scope_counts(personas.admin)
    assert sum(admin_gender.values()) == Person.objects.count()
    officer_gender, officer_paths = headcount.scope_counts(personas.officer)
    assert officer_gender == {"nam": 1, "nu": 1}  # An and Bình of Hà Nội, not Cường
    assert all(path.startswith(org.a.path) for path in officer_paths)
    staff_gender, staff_paths = headcount.scope_counts(personas.staff)
    assert staff_gender == {"nam": 1} and staff_paths == {}  # their own record only


def test_counts_change_as_soon_as_a_person_does(org, personas, client_for):
    client = client_for(personas.officer)
    assert headcount.subtree_count(org.a) == 2
    assert client.get("/").context["people_count"] == 2
    services.create_person(
        actor=personas.officer,
        citizen_id="001085099991",
        full_name="Phạm Văn Dũng",
        gender="nam",
        unit=org.a_dept,
        title="Chuyên viên",
        started_on=date(2024, 1, 1),
    )
    assert headcount.subtree_count(org.a) == 3
    assert headcount.subtree_count(org.a_dept) == 2
    assert client.get("/").context["people_count"] == 3
    assert client.get(f"/to-chuc/don-vi/{org.a.pk}/").context["people_count"] == 3
    Person.objects.filter(citizen_id="001085099991").update(current_unit=org.b)  # plain SQL too
    assert headcount.subtree_count(org.a) == 2
