"""Jobs through the pages: inline run (immediate backend), progress, result file, who sees what.

A large decision's .docx and certificates are the jobs exercised here (`thidua.awards.jobs`); the
limit above which the decision pages start a job is set to 0 so that the small test decision is one.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from docx import Document
from pypdf import PdfReader

from thidua.audit.models import AuditEntry
from thidua.documents.jobs import claim, start_job
from thidua.documents.models import Job

pytestmark = pytest.mark.usefixtures("media")


@pytest.fixture(autouse=True)
def _every_decision_is_a_job(monkeypatch: Any) -> None:
    from thidua.awards import views

    monkeypatch.setattr(views, "INLINE_DECISION_LIMIT", 0)


def _job(client: Any, decision: Any, what: str = "quyet-dinh.docx") -> Job:
    response = client.get(f"/khen-thuong/quyet-dinh/{decision.pk}/{what}")
    assert response.status_code == 302, response.content.decode()[:2000]
    return Job.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def _download(client: Any, job: Job) -> bytes:
    response = client.get(f"/van-ban/viec/{job.pk}/tai-ve/")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_it_builds_the_decision_inline_with_progress_100_and_a_result_file(personas, decision, client_for):
    client = client_for(personas.officer)
    job = _job(client, decision)
    assert job.kind == Job.Kind.DECISION_DOCX
    assert (job.status, job.progress, job.error) == (Job.Status.DONE, 100, "")
    assert job.result.name.startswith("jobs/")
    assert job.created_by == personas.officer
    assert job.finished_at is not None
    word = Document(io.BytesIO(_download(client, job)))
    rows = [[c.text for c in row.cells] for row in word.tables[-1].rows]
    assert [r[1] for r in rows[1:-1]] == ["Nguyễn Văn An", "Trần Thị Bình"]
    assert rows[1][2] == "Chuyên viên Phòng Quản lý thu, Bảo hiểm xã hội thành phố Hà Nội"
    assert rows[-1][-1] == "600.000"
    text = "\n".join(p.text for p in word.paragraphs)
    assert "Sáu trăm nghìn đồng" in text
    assert "Trần Văn Bình" in "\n".join(c.text for t in word.tables for row in t.rows for c in row.cells)
    assert AuditEntry.objects.filter(action="document.job_started", object_id=str(job.pk)).exists()


def test_it_prints_one_certificate_page_per_recipient(personas, decision, client_for):
    client = client_for(personas.officer)
    job = _job(client, decision, "chung-nhan.pdf")
    assert (job.kind, job.status, job.progress) == (Job.Kind.CERTIFICATES_PDF, Job.Status.DONE, 100)
    pdf = PdfReader(io.BytesIO(_download(client, job)))
    assert len(pdf.pages) == 2
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "Nguyễn Văn An" in text and "Trần Thị Bình" in text
    assert "Lê Văn Cường" not in text


def test_the_job_page_polls_until_done_then_offers_the_download(personas, decision, client_for):
    client = client_for(personas.officer)
    job = _job(client, decision)
    page = client.get(f"/van-ban/viec/{job.pk}/").content.decode()
    assert "Đã xong" in page and f"/van-ban/viec/{job.pk}/tai-ve/" in page
    assert 'hx-trigger="every 1s"' not in page
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, progress=40, message="Đã in 400/1000")
    partial = client.get(f"/van-ban/viec/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in partial and "Đã in 400/1000" in partial
    assert "<html" not in partial


def test_a_user_cannot_see_or_download_another_users_job(personas, decision, client_for):
    job = _job(client_for(personas.officer), decision)
    other = client_for(personas.head)
    assert other.get(f"/van-ban/viec/{job.pk}/").status_code == 404
    assert other.get(f"/van-ban/viec/{job.pk}/tai-ve/").status_code == 404
    assert f"/van-ban/viec/{job.pk}/" not in other.get("/van-ban/viec/").content.decode()
    assert f"/van-ban/viec/{job.pk}/" in client_for(personas.officer).get("/van-ban/viec/").content.decode()
    assert client_for(personas.admin).get(f"/van-ban/viec/{job.pk}/").status_code == 200


def test_another_provinces_officer_or_staff_cannot_build_a_decision_outside_their_scope(
    personas, decision, client_for
):
    for user in (personas.outsider_officer, personas.staff):
        client = client_for(user)
        assert client.get(f"/khen-thuong/quyet-dinh/{decision.pk}/quyet-dinh.docx").status_code == 404
        assert client.get(f"/khen-thuong/quyet-dinh/{decision.pk}/chung-nhan.pdf").status_code == 404
    assert not Job.objects.exists()


def test_the_api_starts_the_decision_jobs_for_those_who_see_the_decision(personas, decision, client_for):
    response = client_for(personas.officer).post(f"/api/v1/decisions/{decision.pk}/docx_job/")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "done" and response.json()["result_url"]
    response = client_for(personas.officer).post(f"/api/v1/decisions/{decision.pk}/certificates_job/")
    assert response.status_code == 201 and response.json()["result_name"] == "giay-khen-07-QĐ-BHXH.pdf"
    assert (
        client_for(personas.outsider_officer).post(f"/api/v1/decisions/{decision.pk}/docx_job/").status_code
        == 404
    )


def test_a_job_runs_once_and_a_failure_is_stored(personas):
    job = start_job(actor=personas.officer, kind=Job.Kind.DECISION_DOCX, params={"decision": 404404})
    assert job.status == Job.Status.FAILED
    assert job.error == "Quyết định không còn tồn tại"
    assert claim(job.pk) is False  # finished: nobody claims it again


def test_the_worker_command_explains_the_immediate_backend():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="THIDUA_TASKS_BACKEND=database"):
        call_command("worker", "--batch")


def test_jobs_left_running_by_a_dead_worker_are_marked_failed(personas):
    from datetime import timedelta

    from django.utils import timezone

    from thidua.documents.jobs import INTERRUPTED, fail_interrupted_jobs

    old = Job.objects.create(
        kind=Job.Kind.DECISION_DOCX,
        status=Job.Status.RUNNING,
        started_at=timezone.now() - timedelta(hours=2),
        created_by=personas.officer,
    )
    fresh = Job.objects.create(
        kind=Job.Kind.DECISION_DOCX,
        status=Job.Status.RUNNING,
        started_at=timezone.now(),
        created_by=personas.officer,
    )
    assert fail_interrupted_jobs(older_than=timedelta(hours=1)) == 1
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.status, old.error) == (Job.Status.FAILED, INTERRUPTED)
    assert fresh.status == Job.Status.RUNNING


def test_progress_is_written_to_the_row_and_capped_below_100_until_the_result(personas):
    from thidua.documents.jobs import ProgressReporter

    job = Job.objects.create(kind=Job.Kind.CERTIFICATES_PDF, created_by=personas.officer)
    report = ProgressReporter(job.pk)
    report(12, "Đã in 120/1000")
    job.refresh_from_db()
    assert (job.progress, job.message) == (12, "Đã in 120/1000")
    report(13, "Đã in 130/1000")  # less than 10 points and 0.3 s later: not written
    report(100, "Đã in 1000/1000")
    job.refresh_from_db()
    assert (job.progress, job.message) == (99, "Đã in 1000/1000")


def test_a_certificate_job_reports_progress_as_it_prints(personas, org, monkeypatch):
    from datetime import date

    from thidua.documents import jobs
    from thidua.documents.tests.conftest import make_decision
    from thidua.history.models import AwardRecord

    records = [
        AwardRecord.objects.create(
            person=person,
            kind="form",
            award_id="bang_khen_bo_tinh",
            year=2025,
            decided_on=date(2026, 1, 5),
            decision_number="09/QĐ-BHXH",
            prize_vnd=1_000_000,
        )
        for person in (org.an, org.binh)
    ]
    decision = make_decision(org.a, records, number="09/QĐ-BHXH", signed_on=date(2026, 1, 5))
    seen: list[int] = []
    original = jobs.ProgressReporter.__call__

    def spy(self: Any, percent: int, message: str) -> None:
        seen.append(percent)
        original(self, percent, message)

    jobs.ProgressReporter.__call__ = spy  # type: ignore[method-assign]
    try:
        job = start_job(
            actor=personas.officer, kind=Job.Kind.CERTIFICATES_PDF, params={"decision": decision.pk}
        )
    finally:
        jobs.ProgressReporter.__call__ = original  # type: ignore[method-assign]
    assert job.status == Job.Status.DONE and job.progress == 100
    assert seen[0] == 5 and seen[-1] == 95 and seen == sorted(seen)
    assert job.result_name == "bang-khen-09-QĐ-BHXH.pdf"  # printed on the Bằng khen layout


SCRIPT = """
import os, sys
from datetime import date
os.environ["DJANGO_SETTINGS_MODULE"] = "thidua.settings"
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from thidua.accounts.models import User
from thidua.history.models import AwardRecord
from thidua.documents.jobs import start_job
from thidua.documents.models import Job
from thidua.documents.tests.conftest import make_decision
from thidua.org import services
root = services.create_unit(actor=None, code="VN", name="Bảo hiểm xã hội Việt Nam")
unit = services.create_unit(actor=None, code="HN", name="Bảo hiểm xã hội thành phố Hà Nội", parent=root)
person = services.create_person(
    actor=None, citizen_id="001085012345", full_name="Nguyễn Văn An", gender="nam", unit=unit,
    date_of_birth=date(1985, 4, 2),
)
record = AwardRecord.objects.create(
    person=person, kind="form", award_id="giay_khen", year=2025, decided_on=date(2026, 1, 5),
    decision_number="07/QĐ-BHXH", prize_vnd=300000,
)
decision = make_decision(unit, [record], number="07/QĐ-BHXH", signed_on=date(2026, 1, 5))
user = User.objects.create(username="admin", is_superuser=True)
job = start_job(actor=user, kind=Job.Kind.DECISION_DOCX, params={"decision": decision.pk})
print("after enqueue:", job.status, job.progress)
call_command("worker", "--batch", "--interval", "0.1")
job.refresh_from_db()
print("after worker:", job.status, job.progress, job.result_name)
"""


def test_the_database_backend_queues_and_the_worker_runs_the_job(tmp_path):
    """GIVEN THIDUA_TASKS_BACKEND=database (django-tasks-db), WHEN a job is started THEN it waits
    queued, and `thidua worker --batch` runs it to done. A subprocess, since settings differ."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {
        **os.environ,
        "THIDUA_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "THIDUA_MEDIA_ROOT": str(tmp_path / "media"),
        "THIDUA_TASKS_BACKEND": "database",
    }
    root = Path(__file__).resolve().parents[3]
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, cwd=root, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "after enqueue: queued 0" in result.stdout
    assert "after worker: done 100 quyet-dinh-07-QĐ-BHXH.docx" in result.stdout
