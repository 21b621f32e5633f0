"""/api/v1/jobs/: own jobs with progress and result URL; starting the bulk jobs."""

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


def test_it_starts_a_decision_job_and_reports_the_result_url(personas, awards):
    response = api(personas.officer).post(
        "/api/v1/jobs/decision/",
        {"decision_number": "07/QĐ-BHXH", "signer_name": "Trần Văn Bình"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["progress"], body["kind"]) == ("done", 100, "decision_docx")
    assert body["result_url"].endswith(f"/van-ban/viec/{body['id']}/tai-ve/")
    listed = api(personas.officer).get("/api/v1/jobs/").json()
    assert [j["id"] for j in listed["results"]] == [body["id"]]


def test_it_starts_a_certificates_job(personas, awards):
    response = api(personas.officer).post(
        "/api/v1/jobs/certificates/", {"decision_number": "07/QĐ-BHXH"}, format="json"
    )
    assert response.status_code == 201
    job = Job.objects.get(pk=response.json()["id"])
    assert job.kind == Job.Kind.CERTIFICATES_PDF and job.status == Job.Status.DONE


def test_a_user_does_not_see_another_users_jobs(personas, awards):
    job_id = (
        api(personas.officer)
        .post("/api/v1/jobs/decision/", {"decision_number": "07/QĐ-BHXH"}, format="json")
        .json()["id"]
    )
    other = api(personas.head)
    assert other.get("/api/v1/jobs/").json()["results"] == []
    assert other.get(f"/api/v1/jobs/{job_id}/").status_code == 404
    assert api(personas.admin).get(f"/api/v1/jobs/{job_id}/").status_code == 200


def test_outside_scope_and_without_a_write_role_are_refused(personas, awards):
    from thidua.awards.models import AwardRecord

    AwardRecord.objects.filter(pk=awards.cuong.pk).update(decision_number="99/QĐ-BHXH")
    response = api(personas.outsider_officer).post(
        "/api/v1/jobs/decision/", {"decision_number": "07/QĐ-BHXH"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "domain_error"
    assert "Không có khen thưởng nào" in response.json()["error"]["message"]
    staff = api(personas.staff).post(
        "/api/v1/jobs/decision/", {"decision_number": "07/QĐ-BHXH"}, format="json"
    )
    assert staff.status_code == 403
    assert not Job.objects.exists()


def test_a_malformed_number_gets_a_field_error(personas):
    response = api(personas.officer).post(
        "/api/v1/jobs/decision/", {"decision_number": "07 QĐ"}, format="json"
    )
    assert response.status_code == 400
    assert "decision_number" in response.json()["error"]["fields"]


def test_the_schema_lists_the_job_endpoints(personas):
    response = api(personas.officer).get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    paths = (
        response.json()["paths"] if response["Content-Type"].endswith("json") else response.content.decode()
    )
    assert "/api/v1/jobs/decision/" in paths and "/api/v1/jobs/certificates/" in paths
