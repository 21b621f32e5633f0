"""The honour board's rows follow the year-end workflow: a decision issued through the services
puts its awards on the board at once; a rebuild gives the same rows."""

from __future__ import annotations

import pytest
from django.test import Client

from thidua.portal import honour
from thidua.portal.models import HonourEntry
from thidua.reports.tests.workflow import issue_cstdcs

pytestmark = pytest.mark.django_db


@pytest.fixture
def root_officer(org):
    from conftest import _user
    from thidua.org.models import Role

    return _user("canbo.tw", unit=org.root, role=Role.OFFICER)


def _rows() -> set[tuple[object, ...]]:
    return set(
        HonourEntry.objects.values_list(
            "record_id",
            "name",
            "award_id",
            "level",
            "year",
            "unit_id",
            "unit_name",
            "province_id",
            "province_name",
            "hidden",
        )
    )


def test_an_issued_decision_reaches_the_board(
    org, personas, root_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        decision = issue_cstdcs(org, personas.officer, root_officer)
    entry = HonourEntry.objects.get()
    assert (entry.name, entry.award_id, entry.level, entry.year) == (
        "Nguyễn Văn An",
        "chien_si_thi_dua_co_so",
        "co_so",
        2025,
    )
    assert (entry.unit_name, entry.province_name) == (org.a_dept.name, org.a.name)
    assert entry.decision_number == decision.number_symbol
    html = Client().get("/bang-vang/").content.decode()
    assert "Nguyễn Văn An" in html and decision.number_symbol in html
    before = _rows()
    assert honour.rebuild() == 1
    assert _rows() == before
