"""No lost updates on the rating grid: a grid saved from a page read before someone else's save is refused."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest

from thidua.history.models import Rating

YEAR = 2025
STALE = "đã được người khác cập nhật trong lúc bạn đang sửa"


def grid_version(html: str) -> str:
    found = re.search(r'name="version" value="([0-9a-f]+)"', html)
    assert found is not None
    return found.group(1)


@pytest.mark.django_db
def test_a_grid_saved_from_a_stale_page_is_refused_and_the_newer_ratings_stay(
    org: SimpleNamespace, personas: SimpleNamespace, client_for: Any
) -> None:
    url = f"/khen-thuong/xep-loai/{org.a_dept.pk}/{YEAR}/"
    officer, admin = client_for(personas.officer), client_for(personas.admin)
    seen_by_officer = grid_version(officer.get(url).content.decode())
    seen_by_admin = grid_version(admin.get(url).content.decode())
    assert seen_by_officer == seen_by_admin
    admin.post(url, {"version": seen_by_admin, f"r_{org.an.pk}": "hoan_thanh_xuat_sac"})
    page = officer.post(url, {"version": seen_by_officer, f"r_{org.an.pk}": "hoan_thanh"}, follow=True)
    assert STALE in page.content.decode()
    assert Rating.objects.get(person=org.an, year=YEAR).value == "hoan_thanh_xuat_sac"
    fresh = grid_version(page.content.decode())  # the page shown after the refusal is current
    assert fresh != seen_by_officer
    officer.post(url, {"version": fresh, f"r_{org.an.pk}": "hoan_thanh"})
    rating = Rating.objects.get(person=org.an, year=YEAR)
    assert (rating.value, rating.version) == ("hoan_thanh", 2)


@pytest.mark.django_db
def test_the_unit_rating_is_part_of_the_grid_version(
    org: SimpleNamespace, personas: SimpleNamespace, client_for: Any
) -> None:
    url = f"/khen-thuong/xep-loai/{org.a_dept.pk}/{YEAR}/"
    client = client_for(personas.officer)
    before = grid_version(client.get(url).content.decode())
    client.post(url, {"version": before, "unit_value": "hoan_thanh_tot"})
    assert grid_version(client.get(url).content.decode()) != before
