"""The jobs list: one's own jobs (an administrator: everyone's), filtered by status, kind and year,
sorted by a column, the same filters on /api/v1/jobs/, a fixed number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from thidua.documents.models import Job

pytestmark = pytest.mark.django_db
URL = "/van-ban/viec/"


def _job(user: Any, kind: str, status: str, progress: int, title: str) -> Job:
    return Job.objects.create(created_by=user, kind=kind, status=status, progress=progress, title=title)


def test_the_jobs_list_filters_sorts_and_shows_only_ones_own(client_for, personas):
    done = _job(personas.officer, Job.Kind.PEOPLE_XLSX, Job.Status.DONE, 100, "Danh sách nhân sự")
    running = _job(personas.officer, Job.Kind.CANDIDATES_PROPOSE, Job.Status.RUNNING, 40, "Xét tự động")
    other = _job(personas.outsider_officer, Job.Kind.PEOPLE_XLSX, Job.Status.DONE, 100, "Của tỉnh khác")
    client = client_for(personas.officer)

    def ids(**params: Any) -> list[int]:
        response = client.get(URL, params)
        assert response.status_code == 200
        return [j.pk for j in response.context["page"]]

    assert set(ids()) == {done.pk, running.pk}
    assert ids(status="running") == [running.pk]
    assert ids(kind=Job.Kind.PEOPLE_XLSX) == [done.pk]
    assert ids(sap_xep="progress") == [running.pk, done.pk]
    assert ids(sap_xep="-progress") == [done.pk, running.pk]
    assert ids(year=done.created_at.year) == ids() and ids(year=2001) == []
    assert set(ids()).isdisjoint({other.pk})
    api = client.get("/api/v1/jobs/", {"status": "done"}).json()
    assert [j["id"] for j in api["results"]] == [done.pk]
    admin = client_for(personas.admin).get(URL).context["page"]
    assert {j.pk for j in admin} == {done.pk, running.pk, other.pk}


def test_the_jobs_list_runs_a_fixed_number_of_queries(client_for, personas):
    client = client_for(personas.officer)
    _job(personas.officer, Job.Kind.PEOPLE_XLSX, Job.Status.DONE, 100, "Một")

    def count() -> int:
        with CaptureQueriesContext(connection) as run:
            assert client.get(URL).status_code == 200
        return len(run.captured_queries)

    one = count()
    for i in range(10):
        _job(personas.officer, Job.Kind.PEOPLE_XLSX, Job.Status.FAILED, 10, f"Việc {i}")
    assert count() == one <= 8
