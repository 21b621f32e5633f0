"""Đăng ký — Đạt: registered titles and targets beside those achieved, page and .xlsx."""

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from thidua.history.models import AwardRecord
from thidua.movements import services
from thidua.movements.tests.samples import YEAR

pytestmark = pytest.mark.django_db
pytest_plugins = ["thidua.movements.tests.fixtures"]


@pytest.fixture
def registered(personas, org, running):
    registration = services.save_registration(
        actor=personas.officer,
        movement=running,
        unit=org.a,
        year=YEAR,
        targets={"I.1": "95,5"},
        titles=[
            {"award": "tap_the_lao_dong_xuat_sac", "subject": "unit"},
            {"award": "chien_si_thi_dua_co_so", "subject": "ca_nhan", "count": 2},
        ],
    )
    services.submit_registration(actor=personas.officer, registration=registration)
    return registration


def test_the_page_sets_registered_titles_and_targets_beside_those_achieved(
    client_for, personas, org, running, registered
):
    # One of the two people registered is decided CSTĐCS; the unit's own title is not decided yet.
    AwardRecord.objects.create(
        person=org.an,
        kind="title",
        award_id="chien_si_thi_dua_co_so",
        year=YEAR,
        decided_on=date(YEAR, 12, 20),
    )
    services.save_result(
        actor=personas.officer,
        movement=running,
        unit=org.a,
        year=YEAR,
        period="nam",
        figures={"I.1": {"actual": "101", "target": "100"}},
    )
    response = client_for(personas.officer).get(f"/phong-trao/{running.pk}/dang-ky/{YEAR}/dang-ky-dat/")
    assert response.status_code == 200
    [comparison] = response.context["comparisons"]
    assert [(t.award_id, t.registered, t.achieved, t.met) for t in comparison.titles] == [
        ("tap_the_lao_dong_xuat_sac", 1, 0, False),
        ("chien_si_thi_dua_co_so", 2, 1, False),
    ]
    [target] = comparison.targets
    assert (str(target.registered), str(target.achieved), str(target.ratio), target.met) == (
        "95.5",
        "101",
        "105.76",
        True,
    )
    html = response.content.decode()
    assert "Chiến sĩ thi đua cơ sở" in html and "105,76%" in html
    assert "Chỉ tiêu I.1 Thu BHXH so với kế hoạch" in html
    xlsx = client_for(personas.officer).get(
        f"/phong-trao/{running.pk}/dang-ky/{YEAR}/dang-ky-dat/", {"format": "xlsx"}
    )
    sheet = load_workbook(BytesIO(xlsx.content)).worksheets[0]
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert any(
        row[3] == "Cá nhân (số người): Chiến sĩ thi đua cơ sở" and tuple(row[4:6]) == (2, 1) for row in values
    )


def test_a_unit_sees_its_own_registrations_across_movements_and_not_another_units(
    client_for, personas, org, registered
):
    own = client_for(personas.officer).get(f"/phong-trao/don-vi/{org.a.pk}/dang-ky-dat/{YEAR}/")
    assert own.status_code == 200 and len(own.context["comparisons"]) == 1
    assert (
        client_for(personas.officer).get(f"/phong-trao/don-vi/{org.b.pk}/dang-ky-dat/{YEAR}/").status_code
        == 404
    )
