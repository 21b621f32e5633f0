"""Proposing candidates for a large unit with no worker process (the embedded default): the page answers
at once with the job's progress page, a background thread runs the engine, and the progress it reports
is committed as it goes (the engine reads outside any transaction; the candidates are written in one
short transaction at the end). The whole-organisation eligibility list works the same way.
"""

from __future__ import annotations

import threading
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection

from thidua.awards import services
from thidua.awards.models import Candidate
from thidua.documents import jobs
from thidua.documents.models import Job
from thidua.documents.threads import ThreadRunner
from thidua.history.models import Rating

YEAR = 2025
WAIT = 30.0


def _join(job_id: int) -> None:
    for thread in threading.enumerate():
        if thread.name == f"thidua-job-{job_id}":
            thread.join(WAIT)
            assert not thread.is_alive()


class Held:
    """The background threads of the jobs started by a request, started only once the request has
    answered (`release`): SQLite's shared in-memory test database locks whole tables between
    connections, so the test keeps the request and the thread apart. The real install (a file in WAL
    mode, or PostgreSQL) lets them overlap."""

    def __init__(self, monkeypatch: Any) -> None:
        self.ids: list[int] = []
        self.submit = ThreadRunner.submit
        monkeypatch.setattr(ThreadRunner, "submit", lambda runner, job_id: self.ids.append(job_id))

    def release(self) -> None:
        for job_id in self.ids:
            self.submit(jobs.thread_runner(), job_id)


@pytest.fixture
def in_thread(settings: Any, media: Any, monkeypatch: Any) -> Any:
    settings.JOBS_RUN = "thread"
    jobs._RUNNER = None
    yield Held(monkeypatch)
    for thread in threading.enumerate():
        if thread.name.startswith("thidua-job-"):
            thread.join(WAIT)
    jobs._RUNNER = None


@pytest.fixture
def rated(org: SimpleNamespace) -> None:
    Rating.objects.create(person=org.an, year=YEAR, value="hoan_thanh_tot")
    Rating.objects.create(person=org.binh, year=YEAR, value="hoan_thanh_tot")


def test_proposing_for_a_large_unit_answers_at_once_and_a_thread_writes_the_candidates(
    transactional_db: Any,
    in_thread: Any,
    org: SimpleNamespace,
    personas: SimpleNamespace,
    rated: None,
    client_for: Any,
    monkeypatch: Any,
) -> None:
    from thidua.awards import jobs as award_jobs
    from thidua.awards import views

    monkeypatch.setattr(views, "INLINE_PEOPLE", 0)  # the test unit counts as a large one
    gate, waiting = threading.Event(), threading.Event()
    real = award_jobs.propose_candidates  # type: ignore[attr-defined]

    def held(**kwargs: Any) -> Any:
        waiting.set()
        assert gate.wait(WAIT)
        return real(**kwargs)

    monkeypatch.setattr(award_jobs, "propose_candidates", held)
    response = client_for(personas.officer).post(f"/khen-thuong/de-nghi/{org.a.pk}/{YEAR}/xet/")
    assert response.status_code == 302 and response["Location"].startswith("/van-ban/viec/")
    job_id = int(response["Location"].rstrip("/").split("/")[-1])
    assert in_thread.ids == [job_id] and Job.objects.get(pk=job_id).status == Job.Status.QUEUED
    in_thread.release()
    assert waiting.wait(WAIT)  # the run has started in its thread; the request has already answered
    assert not Candidate.objects.exists()
    assert Job.objects.get(pk=job_id).status == Job.Status.RUNNING
    page = client_for(personas.officer).get(f"/van-ban/viec/{job_id}/").content.decode()
    assert 'hx-trigger="every 1s"' in page and "Đang chạy" in page  # the progress page polls
    gate.set()
    _join(job_id)
    job = Job.objects.get(pk=job_id)
    assert (job.status, job.progress, job.error) == (Job.Status.DONE, 100, "")
    assert Candidate.objects.filter(person=org.an, award_id="lao_dong_tien_tien").exists()


def test_the_engine_reports_progress_outside_any_transaction_so_the_page_sees_it(
    transactional_db: Any, org: SimpleNamespace, personas: SimpleNamespace, rated: None
) -> None:
    seen: list[tuple[int, bool]] = []
    services.propose_candidates(
        actor=personas.officer,
        unit=org.a,
        year=YEAR,
        progress=lambda percent, message: seen.append((percent, connection.in_atomic_block)),
    )
    assert [p for p, _ in seen] == sorted(p for p, _ in seen) and len(seen) >= 3
    assert not any(in_transaction for _, in_transaction in seen)
    assert Candidate.objects.filter(person=org.an).exists()


def test_the_whole_unit_eligibility_list_starts_in_a_thread_and_answers_at_once(
    transactional_db: Any,
    in_thread: Any,
    org: SimpleNamespace,
    personas: SimpleNamespace,
    rated: None,
    client_for: Any,
) -> None:
    response = client_for(personas.officer).post(f"/xet-khen-thuong/don-vi/{org.a.pk}/xet-nen/?nam={YEAR}")
    assert response.status_code == 302
    job_id = int(response["Location"].rstrip("/").split("/")[-1])
    assert Job.objects.get(pk=job_id).status == Job.Status.QUEUED  # the request did not run it
    in_thread.release()
    _join(job_id)
    job = Job.objects.get(pk=job_id)
    assert (job.status, job.kind, job.result_name) == (
        Job.Status.DONE,
        Job.Kind.ELIGIBILITY_XLSX,
        f"xet-dieu-kien-{YEAR}-{org.a.code}.xlsx",
    )
