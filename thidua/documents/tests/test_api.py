"""/api/v1/jobs/: own jobs with progress and result URL. The jobs here are started by the decision
endpoints of the year-end (`POST /api/v1/decisions/{id}/docx_job/`, `.../certificates_job/`)."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from thidua.documents.models import Job

pytestmark = pytest.mark.usefixtures("media")


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_it_starts_a_decision_job_and_reports_the_result_url(personas, decision):
    response = api(personas.officer).post(f"/api/v1/decisions/{decision.pk}/docx_job/")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["progress"], body["kind"]) == ("done", 100, "decision_docx")
    assert body["result_url"].endswith(f"/van-ban/viec/{body['id']}/tai-ve/")
    listed = api(personas.officer).get("/api/v1/jobs/").json()
    assert [j["id"] for j in listed["results"]] == [body["id"]]


def test_it_starts_a_certificates_job(personas, decision):
    response = api(personas.officer).post(f"/api/v1/decisions/{decision.pk}/certificates_job/")
    assert response.status_code == 201
    job = Job.objects.get(pk=response.json()["id"])
    assert job.kind == Job.Kind.CERTIFICATES_PDF and job.status == Job.Status.DONE


def test_a_user_does_not_see_another_users_jobs(personas, decision):
    job_id = api(personas.officer).post(f"/api/v1/decisions/{decision.pk}/docx_job/").json()["id"]
    other = api(personas.head)
    assert other.get("/api/v1/jobs/").json()["results"] == []
    assert other.get(f"/api/v1/jobs/{job_id}/").status_code == 404
    assert api(personas.admin).get(f"/api/v1/jobs/{job_id}/").status_code == 200


def test_outside_scope_and_staff_are_refused(personas, decision):
    for user in (personas.outsider_officer, personas.staff):
        response = api(user).post(f"/api/v1/decisions/{decision.pk}/docx_job/")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    assert not Job.objects.exists()


def test_a_draft_decision_is_refused_in_vietnamese(personas, decision):
    decision.status = "draft"
    decision.save()
    response = api(personas.officer).post(f"/api/v1/decisions/{decision.pk}/docx_job/")
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "Quyết định chưa ban hành"


def test_the_schema_lists_the_job_endpoints(personas):
    response = api(personas.officer).get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    paths = (
        response.json()["paths"] if response["Content-Type"].endswith("json") else response.content.decode()
    )
    assert "/api/v1/decisions/{id}/docx_job/" in paths and "/api/v1/decisions/{id}/certificates_job/" in paths
    assert "/api/v1/jobs/{id}/" in paths
