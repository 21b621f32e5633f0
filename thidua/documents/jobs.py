"""Background jobs: a `Job` row per run, executed by a django-tasks task or a background thread.

`start_job` creates the row (status queued) and hands it on:

- with THIDUA_TASKS_BACKEND=database it enqueues `run_job(job_id)`, and the row waits for
  `thidua worker` (another process);
- with the default immediate backend there is no worker, so the job runs in a background thread of
  the web process (`threads.ThreadRunner`, THIDUA_JOBS_RUN=thread): the page that started it answers
  at once and the progress page polls the row. THIDUA_JOBS_RUN=inline runs it inside the request
  instead, as django-tasks' immediate backend does (the tests, which want the file at once).

`claim` takes the row with a conditional UPDATE (queued → running), so a job runs once however many
workers or threads there are; `execute` calls the handler for its kind, which reports progress, and
stores the result file. Arguments are primary keys and plain values, never objects.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from thidua.accounts.models import User
from thidua.audit.services import log
from thidua.documents.builders.from_db import DocumentError, person_rows
from thidua.documents.builders.lists import people_sheet
from thidua.documents.models import Job
from thidua.documents.threads import ThreadRunner
from thidua.documents.xlsx_render import render_xlsx

logger = logging.getLogger(__name__)

Progress = Callable[[int, str], None]


@dataclass(frozen=True)
class JobOutput:
    filename: str
    content: bytes


Handler = Callable[[Job, Progress], JobOutput]
HANDLERS: dict[str, Handler] = {}


def handler(kind: str) -> Callable[[Handler], Handler]:
    def register(function: Handler) -> Handler:
        HANDLERS[kind] = function
        return function

    return register


class ProgressReporter:
    """Writes progress to the Job row, at most every 0.3 s unless the percentage jumps by 10."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.last_percent = -1
        self.last_time = 0.0

    def __call__(self, percent: int, message: str) -> None:
        percent = max(0, min(99, percent))  # 100 is written with the result
        now = time.monotonic()
        if percent - self.last_percent < 10 and now - self.last_time < 0.3:
            return
        self.last_percent, self.last_time = percent, now
        Job.objects.filter(pk=self.job_id).update(progress=percent, message=message[:255])


def _redacted(params: dict[str, Any]) -> dict[str, Any]:
    """Job parameters for the audit log: a search query never shows a citizen id in clear."""
    from thidua.org.privacy import redact_query

    return {k: redact_query(v) if k == "query" and isinstance(v, str) else v for k, v in params.items()}


def start_job(*, actor: Any, kind: str, params: dict[str, Any], title: str = "", unit_path: str = "") -> Job:
    """Create a queued job for `actor` and hand it on (a worker, a background thread, or inline);
    logs `document.job_started`.

    Returns the row re-read after handing it on: queued (or already running) with a worker or a
    thread, finished when run inline.
    """
    if kind not in HANDLERS:
        raise ValueError(f"Unknown job kind {kind}")
    in_thread = runs_in_thread()
    if in_thread:
        fail_interrupted_jobs(older_than=STALE_AFTER, include_queued=True)
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind, params=params, title=title[:255], created_by=actor, message="Đang chờ chạy"
        )
        log(
            "document.job_started",
            actor=actor,
            obj=job,
            unit_path=unit_path,
            detail={"kind": kind, **_redacted(params)},
        )
    if in_thread:
        # After the commit (immediately, unless the caller holds a transaction): the thread's own
        # connection must see the row. The caller gets the row as created (queued).
        transaction.on_commit(lambda: thread_runner().submit(job.pk))
        return job
    run_job.enqueue(job.pk)
    job.refresh_from_db()
    return job


def runs_in_thread() -> bool:
    """Whether jobs run in a background thread of this process (no worker: the immediate backend)."""
    return getattr(settings, "TASKS_BACKEND", "immediate") == "immediate" and (
        getattr(settings, "JOBS_RUN", "inline") == "thread"
    )


STALE_AFTER = timedelta(minutes=60)
"""A job in a background thread still queued or running after this long was cut off (the process
stopped): `start_job` marks it failed."""

_RUNNER: ThreadRunner | None = None


def thread_runner() -> ThreadRunner:
    """The process's one runner of job threads (created on first use, `JOBS_THREADS` at a time)."""
    global _RUNNER
    if _RUNNER is None:
        _RUNNER = ThreadRunner(claim_and_execute, limit=int(getattr(settings, "JOBS_THREADS", 2)))
    return _RUNNER


def claim_and_execute(job_id: int) -> None:
    """Run the job unless another worker or thread has it (what `run_job` does, without a task)."""
    if claim(job_id):
        execute(job_id)


def claim(job_id: int) -> bool:
    """queued → running, atomically; False if another worker has it or it is finished."""
    updated = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=timezone.now(), progress=0, message="Đang chạy"
    )
    return updated == 1


def execute(job_id: int) -> None:
    """Run one claimed job to done or failed. Errors are stored on the row, never raised."""
    job = Job.objects.select_related("created_by").get(pk=job_id)
    try:
        output = HANDLERS[job.kind](job, ProgressReporter(job_id))
    except DocumentError as error:
        _fail(job_id, str(error))
        return
    except Exception:
        logger.exception("job %s failed", job_id)
        _fail(job_id, f"Lỗi hệ thống khi lập văn bản; hãy báo cho quản trị viên (mã việc {job_id})")
        return
    job.result.save(output.filename, ContentFile(output.content), save=False)
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.DONE,
        progress=100,
        message="Đã xong",
        result=job.result.name,
        result_name=output.filename,
        finished_at=timezone.now(),
    )


INTERRUPTED = "Việc bị gián đoạn (tiến trình chạy nền đã dừng giữa chừng); hãy tạo lại việc"


def fail_interrupted_jobs(*, older_than: timedelta, include_queued: bool = False) -> int:
    """Mark as failed the jobs left running longer than `older_than` (a worker that died mid-job);
    `thidua worker` calls it when it starts. With `include_queued`, jobs queued that long too (a
    background thread never started: the process stopped first). Returns how many were marked."""
    cutoff = timezone.now() - older_than
    stuck = Q(status=Job.Status.RUNNING, started_at__lt=cutoff)
    if include_queued:
        stuck |= Q(status=Job.Status.QUEUED, created_at__lt=cutoff)
    count: int = Job.objects.filter(stuck).update(
        status=Job.Status.FAILED, error=INTERRUPTED, message="Lỗi", finished_at=timezone.now()
    )
    return count


def _fail(job_id: int, error: str) -> None:
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.FAILED, error=error, message="Lỗi", finished_at=timezone.now()
    )


@task()
def run_job(job_id: int) -> None:
    claim_and_execute(job_id)


# --- handlers -------------------------------------------------------------------------------


def safe_name(text: str) -> str:
    """A file-name-safe form of `text` (a decision's number, say)."""
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in text).strip("-") or "van-ban"


@handler(Job.Kind.PEOPLE_XLSX)
def people_xlsx(job: Job, progress: Progress) -> JobOutput:
    from django.http import QueryDict

    from thidua.org.filters import PersonFilter
    from thidua.org.permissions import visible_people

    user = job.created_by
    if not isinstance(user, User):
        raise DocumentError("Người tạo việc không còn tồn tại")
    query = QueryDict(job.params.get("query", ""))
    request = _FakeRequest(user)
    people = PersonFilter(query, queryset=visible_people(user), request=request).qs.vietnamese_order()
    progress(20, "Đang đọc danh sách nhân sự")
    from thidua.org.privacy import personal_data_test

    content = render_xlsx(people_sheet(person_rows(people, full=personal_data_test(user))))
    return JobOutput("danh-sach-nhan-su.xlsx", content)


@dataclass
class _FakeRequest:
    """What `PersonFilter` reads from a request (the user, for the unit choices) in a worker."""

    user: Any
