"""GIVEN a system administrator in the Django admin WHEN they open an award-history record THEN it is
shown but cannot be added, changed or deleted there (the application's pages audit each change and
raise the record's version)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse

from thidua.history.models import Initiative, Rating

pytestmark = pytest.mark.django_db


def test_history_is_view_only_in_the_admin(
    org: SimpleNamespace, personas: SimpleNamespace, client_for: Any
) -> None:
    rating = Rating.objects.create(person=org.an, year=2025, value="hoan_thanh_tot")
    initiative = Initiative.objects.create(person=org.an, year=2025, code="SK-1", title="Sáng kiến")
    client = client_for(personas.admin)
    for obj, name in ((rating, "rating"), (initiative, "initiative")):
        page = client.get(reverse(f"admin:history_{name}_change", args=[obj.pk]))
        assert page.status_code == 200
        assert b'name="_save"' not in page.content
        posted = client.post(reverse(f"admin:history_{name}_change", args=[obj.pk]), {"year": 2020})
        assert posted.status_code == 403
        assert client.get(reverse(f"admin:history_{name}_add")).status_code == 403
        assert (
            client.post(reverse(f"admin:history_{name}_delete", args=[obj.pk]), {"post": "yes"}).status_code
            == 403
        )
    rating.refresh_from_db()
    initiative.refresh_from_db()
    assert (rating.year, rating.version, initiative.year, initiative.version) == (2025, 1, 2025, 1)
