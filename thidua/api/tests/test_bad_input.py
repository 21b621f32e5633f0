"""Bad input answers 400 or 404 in the API's error shape, never 500 (cases found by fuzzing the schema
with schemathesis; docs/deploy.md says how to run it again)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from thidua.accounts.models import User
from thidua.api.urls import router


def detail_post_actions() -> list[str]:
    urls = []
    for prefix, viewset, _ in router.registry:
        actions: list[Any] = viewset.get_extra_actions()
        for action in actions:
            if action.detail and "post" in action.mapping:
                urls.append(f"/api/v1/{prefix}/{{id}}/{action.url_path}/")
    return sorted(urls)


POST_ACTIONS = detail_post_actions()


@pytest.fixture
def officer(demo, db) -> Client:
    client = Client()
    client.force_login(User.objects.get(username="admin"))  # may reach every action
    return client


def error(response: Any) -> dict[str, Any]:
    body = response.json()
    result: dict[str, Any] = body["error"]
    return result


def test_the_fuzzed_actions_are_all_covered():
    assert len(POST_ACTIONS) >= 23
    assert "/api/v1/results/{id}/submit/" in POST_ACTIONS


@pytest.mark.parametrize("url", POST_ACTIONS)
@pytest.mark.parametrize("bad_id", ["abc", "null,null", "true", "1.5", "9" * 30])
def test_a_non_numeric_or_huge_id_in_a_post_action_is_a_404(officer, url, bad_id):
    response = officer.post(url.replace("{id}", bad_id), {}, content_type="application/json")
    assert response.status_code == 404, response.content[:300]
    assert error(response)["code"] == "not_found"


@pytest.mark.parametrize("body", ["42", "[1, 2]", '"chuỗi"', "null", "true"])
def test_a_json_body_that_is_not_an_object_is_a_400_saying_so(officer, body):
    from thidua.movements.models import Movement

    movement = Movement.objects.filter(launching_unit__parent__isnull=True).order_by("pk")[0]
    response = officer.post(f"/api/v1/movements/{movement.pk}/close/", body, content_type="application/json")
    assert response.status_code == 400
    assert error(response)["code"] == "parse_error"
    assert "phải là một đối tượng JSON" in error(response)["message"]


def test_a_body_that_is_not_json_at_all_is_a_400(officer):
    response = officer.post("/api/v1/rankings/compute/", "{không phải json", content_type="application/json")
    assert response.status_code == 400
    assert error(response)["code"] == "parse_error"


@pytest.mark.parametrize("kind", ["people", "units"])
@pytest.mark.parametrize(
    ("query", "field"),
    [("year=0", "year"), ("year=99999", "year"), ("year=abc", "year"), ("year=2001", "year")],
)
def test_eligibility_of_a_year_the_rules_do_not_cover_is_a_400_naming_year(officer, kind, query, field):
    from thidua.org.models import Person, Unit

    pk = (Person if kind == "people" else Unit).objects.order_by("pk")[0].pk
    response = officer.get(f"/api/v1/eligibility/{kind}/{pk}/?{query}")
    assert response.status_code == 400, response.content[:300]
    assert field in error(response)["fields"]
    assert error(response)["message"].startswith(f"Dữ liệu không hợp lệ: {field}: ")


@pytest.mark.parametrize("as_of", ["2019-03-21", "0001-01-01", "2023-12-31", "31/12/2025", "9999-12-31"])
def test_eligibility_on_a_date_before_the_first_ruleset_is_a_400_naming_as_of(officer, as_of):
    from thidua.org.models import Unit

    unit = Unit.objects.order_by("pk")[0]
    response = officer.get(f"/api/v1/eligibility/units/{unit.pk}/?as_of={as_of}")
    assert response.status_code == 400
    assert list(error(response)["fields"]) == ["as_of"]


def test_rules_in_force_before_the_first_ruleset_is_a_400_naming_the_date(officer):
    response = officer.get("/api/v1/eligibility/rules/?date=2000-01-01")
    assert response.status_code == 400
    assert "01/01/2024" in error(response)["fields"]["date"][0]
    assert officer.get("/api/v1/eligibility/rules/?date=2025-01-01").status_code == 200


@pytest.mark.parametrize("action", ["milestones", "documents"])
def test_a_milestone_or_document_without_its_kind_is_a_400_naming_kind(officer, action):
    from thidua.movements.models import Movement

    movement = Movement.objects.filter(launching_unit__parent__isnull=True).order_by("pk")[0]
    body = {"name": "Hạn đăng ký", "due_on": "2026-03-31", "summary": "Kế hoạch"}
    response = officer.post(
        f"/api/v1/movements/{movement.pk}/{action}/", body, content_type="application/json"
    )
    assert response.status_code == 400, response.content[:300]
    assert "kind" in error(response)["fields"]


@pytest.mark.parametrize("key", ["abc", "-1", "9" * 40, "1e3"])
def test_rating_grid_keys_must_be_person_ids(officer, key):
    from thidua.org.models import Unit

    unit = Unit.objects.order_by("pk")[0]
    body = {"unit": unit.pk, "year": 2025, "values": {key: "hoan_thanh_tot"}}
    response = officer.post("/api/v1/ratings/save/", body, content_type="application/json")
    assert response.status_code == 400
    assert list(error(response)["fields"]) == ["values"]


def test_field_errors_are_in_vietnamese_and_do_not_repeat_a_long_value(officer):
    body = {"movement": 1, "cluster": 1, "year": "x" * 50, "period": "y" * 5000}
    response = officer.post("/api/v1/rankings/compute/", body, content_type="application/json")
    assert response.status_code == 400
    fields = error(response)["fields"]
    assert fields["year"] == ["Cần một số nguyên."]
    assert fields["period"] == ["Giá trị không nằm trong các lựa chọn cho phép."]
    assert len(response.content) < 1000


def test_a_huge_page_number_or_filter_value_is_not_a_500(officer):
    assert officer.get("/api/v1/people/?page=999999999999999999999").status_code == 404
    assert officer.get("/api/v1/people/?unit=99999999999999999999999").status_code in (200, 400)
    assert officer.get("/api/v1/movements/?year=0").status_code in (200, 400)
