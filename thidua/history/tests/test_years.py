"""The year under review: the previous year until the organisation closes its ratings."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from thidua.audit.models import AuditEntry
from thidua.core.errors import DomainError
from thidua.history.years import close_rating_year, year_under_review
from thidua.lib.dates import review_year

pytestmark = pytest.mark.django_db


def test_the_pure_rule():
    assert review_year(date(2026, 12, 5)) == 2025
    assert review_year(date(2027, 1, 10)) == 2026
    assert review_year(date(2026, 12, 5), closed=True) == 2026


def test_pages_open_on_the_previous_year_until_it_is_closed(client_for, personas, org):
    from conftest import _user
    from thidua.org.models import Role

    today = date.today()
    officer = _user("canbo.vn.years", unit=org.root, role=Role.OFFICER)
    assert year_under_review(officer) == today.year - 1
    assert client_for(officer).get("/khen-thuong/").context["year"] == today.year - 1
    with pytest.raises(PermissionDenied):
        close_rating_year(actor=personas.officer, unit=org.a, year=today.year - 1)  # a province cannot
    with pytest.raises(DomainError, match="chưa kết thúc"):
        close_rating_year(actor=officer, unit=org.root, year=today.year)
    response = client_for(officer).post(f"/khen-thuong/khoa-so/{org.root.pk}/", {"year": str(today.year - 1)})
    assert response.status_code == 302
    assert year_under_review(officer) == today.year
    assert year_under_review(personas.officer) == today.year  # the same organisation
    assert client_for(officer).get("/khen-thuong/").context["year"] == today.year
    assert AuditEntry.objects.filter(action="ratings.year_closed").count() == 1
