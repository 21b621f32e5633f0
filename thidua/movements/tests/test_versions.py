"""No lost updates: a form or API call made from a stale copy of a result, registration or scoring table
is refused with a clear message (thidua.core.versioning); the newer figures stay."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from thidua.movements import services
from thidua.movements.models import Registration, Result, ScoringTable
from thidua.movements.tests.samples import FAIR, GOOD, TABLE, YEAR

pytestmark = pytest.mark.django_db
pytest_plugins = ["thidua.movements.tests.fixtures"]
STALE = "đã được người khác cập nhật trong lúc bạn đang sửa"


def hidden_version(html: str) -> str:
    found = re.search(r'name="version" value="(\d+)"', html)
    assert found is not None, "the form carries its version"
    return found.group(1)


def entry_url(movement: Any, unit: Any) -> str:
    return f"/phong-trao/{movement.pk}/ket-qua/{YEAR}/nam/don-vi/{unit.pk}/"


def test_a_result_form_loaded_before_anothers_save_is_refused_and_the_newer_figures_stay(
    client_for, personas, org, running
):
    services.save_result(actor=None, movement=running, unit=org.a, year=YEAR, period="nam", figures=FAIR)
    officer, head = client_for(personas.officer), client_for(personas.admin)
    seen_by_officer = hidden_version(officer.get(entry_url(running, org.a)).content.decode())
    seen_by_head = hidden_version(head.get(entry_url(running, org.a)).content.decode())
    assert seen_by_officer == seen_by_head == "1"
    first = head.post(
        entry_url(running, org.a), {"version": seen_by_head, "I.1.actual": "100", "I.1.target": "100"}
    )
    assert first.status_code == 302
    late = officer.post(
        entry_url(running, org.a), {"version": seen_by_officer, "I.1.actual": "50", "I.1.target": "100"}
    )
    assert late.status_code == 200
    assert STALE in late.content.decode()
    result = Result.objects.get(unit=org.a)
    assert result.figures["I.1"] == {"actual": "100", "target": "100"}
    assert result.version == 2
    # After reloading, the officer edits the current version.
    fresh = hidden_version(officer.get(entry_url(running, org.a)).content.decode())
    assert fresh == "2"
    again = officer.post(
        entry_url(running, org.a), {"version": fresh, "I.1.actual": "50", "I.1.target": "100"}
    )
    assert again.status_code == 302
    assert Result.objects.get(unit=org.a).version == 3


def test_two_people_entering_a_new_result_cannot_both_create_it(client_for, personas, org, running):
    officer, head = client_for(personas.officer), client_for(personas.admin)
    assert hidden_version(officer.get(entry_url(running, org.a)).content.decode()) == "0"
    assert (
        head.post(
            entry_url(running, org.a), {"version": "0", "I.1.actual": "1", "I.1.target": "1"}
        ).status_code
        == 302
    )
    late = officer.post(entry_url(running, org.a), {"version": "0", "I.1.actual": "2", "I.1.target": "1"})
    assert STALE in late.content.decode()
    assert Result.objects.get(unit=org.a).figures["I.1"]["actual"] == "1"


def test_a_review_made_from_a_stale_page_is_refused(client_for, personas, root_officer, org, running):
    result = services.save_result(
        actor=None, movement=running, unit=org.a, year=YEAR, period="nam", figures=GOOD
    )
    services.submit_result(actor=personas.officer, result=result)
    page = client_for(root_officer).get(f"/phong-trao/ket-qua/{result.pk}/").content.decode()
    seen = hidden_version(page)
    services.review_result(actor=root_officer, result=Result.objects.get(pk=result.pk), note="Đạt")
    response = client_for(root_officer).post(
        f"/phong-trao/ket-qua/{result.pk}/chot-diem/", {"version": seen}, follow=True
    )
    assert STALE in response.content.decode()
    assert Result.objects.get(pk=result.pk).status == Result.Status.REVIEWED


def test_the_result_api_needs_the_version_it_read_to_edit(client_for, personas, org, running):
    client = client_for(personas.officer)
    body = {"movement": running.pk, "unit": org.a.pk, "year": YEAR, "period": "nam", "figures": FAIR}
    created = client.post("/api/v1/results/", body, content_type="application/json")
    assert created.status_code == 201 and created.json()["version"] == 1
    missing = client.post("/api/v1/results/", {**body, "figures": GOOD}, content_type="application/json")
    assert missing.status_code == 400
    assert missing.json()["error"]["fields"] == {"version": [missing.json()["error"]["message"]]}
    assert "gửi kèm «version»" in missing.json()["error"]["message"]
    edited = client.post(
        "/api/v1/results/", {**body, "figures": GOOD, "version": 1}, content_type="application/json"
    )
    assert edited.status_code == 201 and edited.json()["version"] == 2
    stale = client.post(
        "/api/v1/results/", {**body, "figures": FAIR, "version": 1}, content_type="application/json"
    )
    assert stale.status_code == 400 and STALE in stale.json()["error"]["message"]
    assert Result.objects.get(unit=org.a).figures["I.1"]["actual"] == 100
    result_id = created.json()["id"]
    stale_submit = client.post(
        f"/api/v1/results/{result_id}/submit/", {"version": 1}, content_type="application/json"
    )
    assert stale_submit.status_code == 400
    submit = client.post(
        f"/api/v1/results/{result_id}/submit/", {"version": 2}, content_type="application/json"
    )
    assert submit.status_code == 200 and submit.json()["version"] == 3


def registration_url(movement: Any, unit: Any) -> str:
    return f"/phong-trao/{movement.pk}/dang-ky/{YEAR}/don-vi/{unit.pk}/"


def test_a_registration_form_loaded_before_anothers_save_is_refused(client_for, personas, org, running):
    officer, head = client_for(personas.officer), client_for(personas.admin)
    seen = hidden_version(officer.get(registration_url(running, org.a)).content.decode())
    assert seen == "0"
    assert (
        head.post(registration_url(running, org.a), {"version": "0", "note": "Của thủ trưởng"}).status_code
        == 302
    )
    late = officer.post(registration_url(running, org.a), {"version": seen, "note": "Của cán bộ"})
    assert late.status_code == 200 and STALE in late.content.decode()
    assert Registration.objects.get(unit=org.a).note == "Của thủ trưởng"


def test_the_registration_api_refuses_a_stale_version(client_for, personas, org, running):
    client = client_for(personas.officer)
    body = {"movement": running.pk, "unit": org.a.pk, "year": YEAR, "note": "một"}
    assert client.post("/api/v1/registrations/", body, content_type="application/json").status_code == 201
    assert (
        client.post(
            "/api/v1/registrations/", {**body, "version": 1}, content_type="application/json"
        ).status_code
        == 201
    )
    stale = client.post(
        "/api/v1/registrations/", {**body, "note": "ba", "version": 1}, content_type="application/json"
    )
    assert stale.status_code == 400 and "version" in stale.json()["error"]["fields"]
    assert Registration.objects.get(unit=org.a).note == "một"


def test_a_new_scoring_table_for_a_year_that_has_one_is_refused_with_the_way_to_replace_it(
    client_for, root_officer, running
):
    client = client_for(root_officer)
    record = ScoringTable.objects.get(movement=running, year=YEAR)
    upload = f"/phong-trao/{running.pk}/bang-cham-diem/"
    text = yaml.safe_dump(TABLE, allow_unicode=True)
    new = client.post(upload, {"year": YEAR, "version": "0", "text": text})
    assert new.status_code == 200
    assert "Thay bảng này" in new.content.decode()
    assert ScoringTable.objects.get(pk=record.pk).data == record.data
    # «Thay bảng này» on the table's page opens the form with the table's version.
    page = client.get(f"/phong-trao/bang-cham-diem/{record.pk}/").content.decode()
    assert f"?thay={record.pk}" in page
    form = client.get(f"{upload}?thay={record.pk}").content.decode()
    assert hidden_version(form) == str(record.version)
    replaced = client.post(upload, {"year": YEAR, "version": record.version, "text": text})
    assert replaced.status_code == 302
    assert ScoringTable.objects.get(pk=record.pk).version == record.version + 1
    stale = client.post(upload, {"year": YEAR, "version": record.version, "text": text})
    assert STALE in stale.content.decode()


def test_the_services_keep_working_for_callers_that_do_not_say_a_version(running, org):
    """Imports and the demo write without a form: no version, no check (the row lock still holds)."""
    first = services.save_result(
        actor=None, movement=running, unit=org.a, year=YEAR, period="nam", figures=FAIR
    )
    second = services.save_result(
        actor=None, movement=running, unit=org.a, year=YEAR, period="nam", figures=GOOD
    )
    assert first.pk == second.pk and second.version == 2
    services.save_scoring_table(actor=None, movement=running, year=YEAR, data=TABLE)
    assert ScoringTable.objects.get(movement=running, year=YEAR).version == 2
