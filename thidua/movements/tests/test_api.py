import json
from decimal import Decimal
from typing import Any

import pytest

from thidua.audit.models import AuditEntry
from thidua.movements import services
from thidua.movements.models import Movement, Ranking, Registration, Result
from thidua.movements.records import engine_records
from thidua.movements.tests.samples import FAIR, GOOD, YEAR

pytestmark = pytest.mark.django_db
pytest_plugins = ["thidua.movements.tests.fixtures"]


def _post(client: Any, url: str, data: Any = None) -> Any:
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def test_the_api_lists_movements_with_the_pages_filters(client_for, personas, running):
    client = client_for(personas.staff)
    body = client.get("/api/v1/movements/", {"year": YEAR, "authority": "bo_nganh_tinh"}).json()
    assert (
        [m["title"] for m in body["results"]] == [running.title]
        if "results" in body
        else [m["title"] for m in body] == [running.title]
    )
    detail = client.get(f"/api/v1/movements/{running.pk}/").json()
    assert detail["documents"][0]["number_symbol"] == "12/KH-BHXH"


def test_the_api_runs_the_lifecycle_through_the_services(client_for, root_officer, personas, movement):
    response = _post(client_for(personas.officer), f"/api/v1/movements/{movement.pk}/launch/")
    assert response.status_code == 404  # a draft of another level is invisible
    client = client_for(root_officer)
    assert _post(client, f"/api/v1/movements/{movement.pk}/launch/").json()["status"] == "launched"
    response = _post(client, f"/api/v1/movements/{movement.pk}/close/")
    assert response.status_code == 400
    assert (
        response.json()["error"]["message"]
        == "Không thể chuyển từ trạng thái «Đã phát động» sang «Đã kết thúc»"
    )
    assert AuditEntry.objects.filter(action="movement.launched", actor=root_officer).exists()


def test_the_api_creates_a_movement_for_the_officers_unit_only(client_for, personas, org):
    data = {
        "title": "Đợt thi đua 100 ngày",
        "kind": "dot_xuat",
        "authority": "thu_truong_don_vi",
        "start_year": YEAR,
    }
    client = client_for(personas.officer)
    assert _post(client, "/api/v1/movements/", {**data, "launching_unit": org.b.pk}).status_code == 404
    response = _post(client, "/api/v1/movements/", {**data, "launching_unit": org.a.pk})
    assert response.status_code == 201 and response.json()["status"] == "draft"
    assert Movement.objects.get().launching_unit == org.a


def test_the_api_registration_flow(client_for, personas, root_officer, org, running):
    client = client_for(personas.officer)
    response = _post(
        client,
        "/api/v1/registrations/",
        {
            "movement": running.pk,
            "unit": org.a.pk,
            "year": YEAR,
            "targets": {"I.1": 100},
            "titles": [{"award": "tap_the_lao_dong_xuat_sac", "subject": "unit"}],
        },
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert _post(client, f"/api/v1/registrations/{pk}/submit/").json()["status"] == "submitted"
    assert _post(client, f"/api/v1/registrations/{pk}/approve/").status_code == 403
    assert (
        _post(client_for(root_officer), f"/api/v1/registrations/{pk}/approve/").json()["status"] == "approved"
    )
    assert Registration.objects.get().status == Registration.Status.APPROVED
    response = _post(
        client_for(personas.outsider_officer),
        "/api/v1/registrations/",
        {"movement": running.pk, "unit": org.a.pk, "year": YEAR},
    )
    assert response.status_code == 403


def test_the_api_results_and_ranking_publication(client_for, personas, root_officer, org, running, cluster):
    for unit, figures, user in ((org.a, GOOD, personas.officer), (org.b, FAIR, personas.outsider_officer)):
        client = client_for(user)
        response = _post(
            client,
            "/api/v1/results/",
            {"movement": running.pk, "unit": unit.pk, "year": YEAR, "figures": figures},
        )
        assert response.status_code == 201, response.content
        assert (
            _post(client, f"/api/v1/results/{response.json()['id']}/submit/").json()["status"]
            == "self_scored"
        )
    # a unit lists only its own figures before publication
    listed = client_for(personas.officer).get("/api/v1/results/", {"movement": running.pk}).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [r["unit"] for r in rows] == [org.a.pk]
    reviewer = client_for(root_officer)
    for result in Result.objects.all():
        assert (
            _post(reviewer, f"/api/v1/results/{result.pk}/review/", {"note": "Thống nhất"}).status_code == 200
        )
        assert _post(reviewer, f"/api/v1/results/{result.pk}/finalise/").json()["final_score"] in (
            "10.00",
            "7.00",
        )
    response = _post(
        reviewer, "/api/v1/rankings/compute/", {"movement": running.pk, "cluster": cluster.pk, "year": YEAR}
    )
    assert response.status_code == 201
    ranking = response.json()
    assert [(e["unit_code"], e["rank"], Decimal(e["total"])) for e in ranking["entries"]] == [
        ("BHXH-01", 1, Decimal(10)),
        ("BHXH-79", 2, Decimal(7)),
    ]
    assert (
        _post(client_for(personas.officer), f"/api/v1/rankings/{ranking['id']}/publish/").status_code == 404
    )
    assert _post(reviewer, f"/api/v1/rankings/{ranking['id']}/publish/").json()["status"] == "published"
    assert Ranking.objects.get().status == Ranking.Status.PUBLISHED
    fed = engine_records([org.a.pk], up_to_year=YEAR)[org.a.pk]
    assert [f.record["rank"] for f in fed if f.record["type"] == "cluster_rank"] == [1]
    listed = client_for(personas.officer).get("/api/v1/results/", {"movement": running.pk}).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert sorted(r["unit"] for r in rows) == sorted([org.a.pk, org.b.pk])


def test_the_api_refuses_bad_figures_with_the_scoring_modules_message(client_for, personas, org, running):
    response = _post(
        client_for(personas.officer),
        "/api/v1/results/",
        {
            "movement": running.pk,
            "unit": org.a.pk,
            "year": YEAR,
            "figures": {"I.1": {"actual": "x", "target": 100}},
        },
    )
    assert response.status_code == 400
    assert "số thực hiện không phải là số" in response.json()["error"]["message"]
    assert not Result.objects.exists()
    services.save_result(actor=None, movement=running, unit=org.a, year=YEAR, period="nam", figures=GOOD)


def test_a_unit_movement_is_set_up_and_launched_entirely_through_the_api(client_for, personas, org):
    client = client_for(personas.officer)
    created = _post(
        client,
        "/api/v1/movements/",
        {
            "title": "Đợt thi đua cao điểm thu nợ",
            "kind": "dot_xuat",
            "authority": "thu_truong_don_vi",
            "launching_unit": org.a.pk,
            "start_year": YEAR,
        },
    ).json()
    pk = created["id"]
    assert (
        _post(client, f"/api/v1/movements/{pk}/launch/")
        .json()["error"]["message"]
        .startswith("Cần có văn bản phát động")
    )
    bad = _post(
        client,
        f"/api/v1/movements/{pk}/documents/",
        {
            "kind": "phat_dong",
            "number_symbol": "15-QĐ-BHXH",
            "issued_on": "2026-04-01",
            "summary": "Phát động",
        },
    )
    assert bad.status_code == 400 and "không đúng định dạng" in json.dumps(bad.json(), ensure_ascii=False)
    ok = _post(
        client,
        f"/api/v1/movements/{pk}/documents/",
        {
            "kind": "phat_dong",
            "number_symbol": "15/QĐ-BHXH",
            "issued_on": "2026-04-01",
            "summary": "Phát động",
        },
    )
    assert ok.status_code == 201
    assert (
        _post(
            client, f"/api/v1/movements/{pk}/milestones/", {"kind": "dang_ky", "due_on": "2026-04-10"}
        ).status_code
        == 201
    )
    assert (
        _post(client, f"/api/v1/movements/{pk}/participants/", {"units": [org.b.pk]}).status_code == 404
    )  # outside the scope
    assert (
        _post(client, f"/api/v1/movements/{pk}/participants/", {"units": [org.a_dept.pk]}).status_code == 200
    )
    assert _post(client, f"/api/v1/movements/{pk}/launch/").json()["status"] == "launched"
