"""Leaderboards where officers compare: the boards of a movement's year filtered by period, status and a
unit with its subtree (its rows marked), the entries sorted by a column, the same filters on the API
list, and a fixed number of queries whatever the clusters."""

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from thidua.movements.models import Ranking
from thidua.movements.tests.samples import YEAR
from thidua.org import services as org_services
from thidua.org.models import Unit

pytestmark = pytest.mark.django_db
pytest_plugins = ["thidua.movements.tests.fixtures"]


def _ranking(movement: Any, cluster: Any, scores: list[tuple[Any, int, str]], **kwargs: Any) -> Ranking:
    ranking = Ranking.objects.create(movement=movement, cluster=cluster, year=YEAR, **kwargs)
    for unit, rank, total in scores:
        ranking.entries.create(unit=unit, rank=rank, total=Decimal(total), bonus=Decimal(1), penalty=0)
    return ranking


@pytest.fixture
def boards(org: Any, cluster: Any, running: Any) -> Any:
    c = org_services.create_unit(
        actor=None, code="BHXH-48", name="Bảo hiểm xã hội thành phố Đà Nẵng", parent=org.root,
        kind=Unit.Kind.BHXH_TINH, is_legal_entity=True,
    )  # fmt: skip
    second = org_services.create_cluster(
        actor=None, name="Cụm thi đua số 2", year=YEAR, organiser_unit=org.root, members=[c]
    )
    first_board = _ranking(running, cluster, [(org.b, 1, "95.5"), (org.a, 2, "90")], status="published")
    second_board = _ranking(running, second, [(c, 1, "88")])
    quarter = _ranking(running, cluster, [(org.a, 1, "30")], period="q1")
    return first_board, second_board, quarter


def _get(client: Any, movement: Any, **params: Any) -> Any:
    response = client.get(f"/phong-trao/{movement.pk}/xep-hang/{YEAR}/", params)
    assert response.status_code == 200
    return response


def _shown(response: Any) -> dict[str, list[tuple[str, bool]]]:
    return {
        b["ranking"].cluster.name: [(e.unit.code, marked) for e, marked in b["entries"]]
        for b in response.context["boards"]
    }


def test_the_leaderboard_filters_by_period_status_and_unit_and_sorts_the_entries(
    client_for, root_officer, org, running, boards
):
    client = client_for(root_officer)
    assert _shown(_get(client, running)) == {
        "Cụm thi đua số 1": [(org.b.code, False), (org.a.code, False)],
        "Cụm thi đua số 2": [("BHXH-48", False)],
    }
    assert list(_shown(_get(client, running, status="draft"))) == ["Cụm thi đua số 2"]
    marked = _shown(_get(client, running, unit=org.a.pk))
    assert marked == {"Cụm thi đua số 1": [(org.b.code, False), (org.a.code, True)]}
    assert (
        _shown(_get(client, running, sap_xep="unit"))["Cụm thi đua số 1"][0][0] == org.a.code
    )  # Hà Nội < Hồ Chí Minh
    assert _shown(_get(client, running, sap_xep="-rank"))["Cụm thi đua số 1"][0][0] == org.a.code
    assert _shown(_get(client, running, period="q1")) == {"Cụm thi đua số 1": [(org.a.code, False)]}
    assert _shown(_get(client, running, ky="q1")) == {"Cụm thi đua số 1": [(org.a.code, False)]}  # old links
    page = _get(client, running, period="").content.decode()
    assert "Quý I/2026" in page and "95,50" in page and 'aria-sort="ascending"' in page
    assert client.get(f"/phong-trao/{running.pk}/xep-hang/{YEAR}/", {"period": "x"}).status_code == 404
    api = client.get("/api/v1/rankings/", {"unit": org.a.pk, "period": "nam"}).json()
    assert [r["id"] for r in api["results"]] == [boards[0].pk]


def test_a_member_province_sees_the_published_board_and_marks_its_own_rows(
    client_for, personas, org, running, boards
):
    page = _get(client_for(personas.officer), running, unit=org.a.pk)
    assert _shown(page) == {"Cụm thi đua số 1": [(org.b.code, False), (org.a.code, True)]}  # drafts hidden


def test_the_leaderboard_runs_a_fixed_number_of_queries(client_for, root_officer, org, running, boards):
    client = client_for(root_officer)

    def count() -> int:
        with CaptureQueriesContext(connection) as run:
            _get(client, running)
        return len(run.captured_queries)

    before = count()
    for i in range(4):
        unit = org_services.create_unit(
            actor=None, code=f"BHXH-7{i}", name=f"Bảo hiểm xã hội tỉnh {i}", parent=org.root,
            kind=Unit.Kind.BHXH_TINH, is_legal_entity=True,
        )  # fmt: skip
        extra = org_services.create_cluster(
            actor=None, name=f"Cụm thi đua số {i + 3}", year=YEAR, organiser_unit=org.root, members=[unit]
        )
        _ranking(running, extra, [(unit, 1, "70")], status="published")
    assert count() == before <= 14
