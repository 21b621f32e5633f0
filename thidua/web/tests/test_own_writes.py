"""A user's own write shows on their next page, though the dashboard keeps figures between requests
(`thidua.core.db.cached_rows`, versioned by PostgreSQL's write counters)."""

from __future__ import annotations

import pytest
from django.db import connection

from thidua.core.db import forget_figures
from thidua.history.years import year_under_review


def _rate_row(response):
    return [r for r in response.context["todo"] if r["label"] == "Đơn vị chưa xếp loại đủ"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite counts the figures on every page")
@pytest.mark.django_db(transaction=True)
def test_the_units_to_rate_drop_on_the_next_page_after_the_user_rates(org, personas, client_for):
    forget_figures()
    client = client_for(personas.officer)
    year = year_under_review(personas.officer)
    before = _rate_row(client.get("/"))
    assert [r["count"] for r in before] == [2]  # the province and its department each have someone unrated
    client.get("/")  # kept: the same figures, read from memory
    response = client.post(
        f"/khen-thuong/xep-loai/{org.a_dept.pk}/{year}/", {f"r_{org.an.pk}": "hoan_thanh_tot"}
    )
    assert response.status_code == 302
    # At once, no waiting for PostgreSQL to publish its counters of its own accord.
    after = _rate_row(client.get("/"))
    assert [r["count"] for r in after] == [1]
