"""Jobs in a background thread of the web process (the embedded default: immediate backend, no worker).

The page that starts a job answers with the job still queued or running; the thread writes progress
that another connection (the progress page) sees while it runs; at most JOBS_THREADS run at once;
each thread closes its database connections at the end; a job cut off by a stopped process is
marked failed when the next one starts. These tests commit (`transactional_db`): the thread has its
own connection and sees only committed rows. The test reads the database only while the thread is
idle (waiting at a gate, or finished): SQLite's shared in-memory test database locks whole tables
between connections, where a file database in WAL mode (the real install) lets readers through.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.db import connections
from django.utils import timezone

from thidua.documents import jobs
from thidua.documents.jobs import JobOutput, Progress, start_job
from thidua.documents.models import Job
from thidua.documents.threads import ThreadRunner

WAIT = 20.0  # seconds: generous, the machine running the tests may be busy


def _join(job_id: int) -> None:
    """Wait for the job's thread to end (without touching the database)."""
    for thread in threading.enumerate():
        if thread.name == f"thidua-job-{job_id}":
            thread.join(WAIT)
            assert not thread.is_alive(), f"{thread.name} still running"


def _join_job_threads() -> None:
    for thread in threading.enumerate():
        if thread.name.startswith("thidua-job-"):
            thread.join(WAIT)


@pytest.fixture
def in_thread(settings: Any, media: Any) -> Iterator[None]:
    settings.JOBS_RUN = "thread"
    settings.JOBS_THREADS = 2
    jobs._RUNNER = None  # a runner with this test's limit
    yield
    _join_job_threads()
    jobs._RUNNER = None


class Gate:
    """A job kind whose handler reports 40 %, says so (`reported`), waits for `open`, then finishes."""

    kind = "test_gated"

    def __init__(self) -> None:
        self.reported = threading.Event()
        self.open = threading.Event()
        self.ran_in: list[str] = []

    def handler(self, job: Job, progress: Progress) -> JobOutput:
        self.ran_in.append(threading.current_thread().name)
        progress(40, "Đã xét 400/1.000 người")
        self.reported.set()
        assert self.open.wait(WAIT)
        return JobOutput("ket-qua.xlsx", b"PK-test")


@pytest.fixture
def gate() -> Iterator[Gate]:
    gate = Gate()
    jobs.HANDLERS[gate.kind] = gate.handler
    yield gate
    gate.open.set()
    jobs.HANDLERS.pop(gate.kind, None)


def _row(pk: int) -> Job:
    return Job.objects.get(pk=pk)


def test_the_caller_gets_the_job_queued_and_sees_its_progress_move_while_a_thread_runs_it(
    transactional_db: Any, in_thread: None, gate: Gate
) -> None:
    job = start_job(actor=None, kind=gate.kind, params={"unit": 1})
    assert job.status == Job.Status.QUEUED  # the request does not wait for the run
    assert gate.reported.wait(WAIT)
    running = _row(job.pk)  # read through this thread's own connection, as the progress page does
    assert (running.status, running.progress, running.message) == (
        Job.Status.RUNNING,
        40,
        "Đã xét 400/1.000 người",
    )
    gate.open.set()
    _join(job.pk)
    done = _row(job.pk)
    assert (done.status, done.progress, done.result_name) == (Job.Status.DONE, 100, "ket-qua.xlsx")
    assert done.result.read() == b"PK-test"
    assert gate.ran_in == [f"thidua-job-{job.pk}"]


def test_each_thread_closes_its_database_connections_when_its_job_ends(
    transactional_db: Any, in_thread: None, gate: Gate, monkeypatch: Any
) -> None:
    closed_in: list[str] = []
    original = connections.close_all

    def spy() -> None:
        closed_in.append(threading.current_thread().name)
        original()

    monkeypatch.setattr(connections, "close_all", spy)
    gate.open.set()
    job = start_job(actor=None, kind=gate.kind, params={})
    assert gate.reported.wait(WAIT)
    _join(job.pk)
    assert closed_in == [f"thidua-job-{job.pk}"]
    assert _row(job.pk).status == Job.Status.DONE
    assert jobs.thread_runner().active() == set()


def test_a_failing_handler_leaves_the_job_failed_with_a_vietnamese_message(
    transactional_db: Any, in_thread: None
) -> None:
    started = threading.Event()

    def broken(job: Job, progress: Progress) -> JobOutput:
        started.set()
        raise RuntimeError("boom")

    jobs.HANDLERS["test_broken"] = broken
    try:
        job = start_job(actor=None, kind="test_broken", params={})
        assert started.wait(WAIT)
        _join(job.pk)
    finally:
        jobs.HANDLERS.pop("test_broken", None)
    failed = _row(job.pk)
    assert failed.status == Job.Status.FAILED
    assert failed.error.startswith("Lỗi hệ thống khi lập văn bản")


def test_jobs_wait_queued_for_a_free_thread_beyond_the_limit(
    transactional_db: Any, in_thread: None, settings: Any, gate: Gate
) -> None:
    settings.JOBS_THREADS = 1
    jobs._RUNNER = None
    first = start_job(actor=None, kind=gate.kind, params={})
    assert gate.reported.wait(WAIT)  # the first holds the one slot, waiting at the gate
    second = start_job(actor=None, kind=gate.kind, params={})
    time.sleep(0.3)
    assert _row(second.pk).status == Job.Status.QUEUED
    assert _row(first.pk).status == Job.Status.RUNNING
    assert jobs.thread_runner().active() == {first.pk, second.pk}
    gate.open.set()
    _join(first.pk)
    _join(second.pk)
    assert _row(second.pk).status == Job.Status.DONE
    assert gate.ran_in == [f"thidua-job-{first.pk}", f"thidua-job-{second.pk}"]


def test_the_thread_starts_only_when_the_starting_transaction_commits(
    db: Any, in_thread: None, gate: Gate, monkeypatch: Any
) -> None:
    submitted: list[int] = []
    monkeypatch.setattr(ThreadRunner, "submit", lambda self, job_id: submitted.append(job_id))
    kind = gate.kind
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True) as callbacks:
        job = start_job(actor=None, kind=kind, params={})
        assert submitted == []
    assert len(callbacks) == 1 and submitted == [job.pk]


def test_jobs_cut_off_by_a_stopped_process_are_marked_failed_when_the_next_starts(
    db: Any, in_thread: None, gate: Gate, monkeypatch: Any
) -> None:
    monkeypatch.setattr(ThreadRunner, "submit", lambda self, job_id: None)
    long_ago = timezone.now() - timedelta(hours=2)
    queued = Job.objects.create(kind="test_gated", status=Job.Status.QUEUED)
    running = Job.objects.create(kind="test_gated", status=Job.Status.RUNNING, started_at=long_ago)
    recent = Job.objects.create(kind="test_gated", status=Job.Status.RUNNING, started_at=timezone.now())
    Job.objects.filter(pk=queued.pk).update(created_at=long_ago)
    start_job(actor=None, kind=gate.kind, params={})
    assert _row(queued.pk).status == _row(running.pk).status == Job.Status.FAILED
    assert _row(running.pk).error == jobs.INTERRUPTED
    assert _row(recent.pk).status == Job.Status.RUNNING


def test_inline_mode_and_the_database_backend_do_not_use_threads(settings: Any) -> None:
    settings.TASKS_BACKEND, settings.JOBS_RUN = "immediate", "thread"
    assert jobs.runs_in_thread()
    settings.JOBS_RUN = "inline"
    assert not jobs.runs_in_thread()
    settings.TASKS_BACKEND, settings.JOBS_RUN = "database", "thread"
    assert not jobs.runs_in_thread()


def test_the_runner_closes_connections_even_when_the_run_raises(monkeypatch: Any) -> None:
    closed: list[str] = []
    monkeypatch.setattr(connections, "close_all", lambda: closed.append("closed"))

    def run(job_id: int) -> None:
        raise ValueError(job_id)

    runner = ThreadRunner(run, limit=1)
    thread = runner.submit(7)
    thread.join(WAIT)
    assert closed == ["closed"] and runner.active() == set()
