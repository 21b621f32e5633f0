"""Horizontally scaled job workers: however many workers race for the queued jobs, each job is taken
by exactly one (the conditional UPDATE of `claim`; on PostgreSQL the second UPDATE waits for the first
and then finds the row no longer queued)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from thidua.documents.jobs import claim
from thidua.documents.models import Job

WORKERS = 4


@pytest.mark.django_db(transaction=True)
def test_two_workers_never_take_the_same_job():
    jobs = [Job.objects.create(kind=Job.Kind.PEOPLE_XLSX).pk for _ in range(30)]
    taken: dict[int, list[int]] = {pk: [] for pk in jobs}
    start = threading.Barrier(WORKERS)
    errors: list[BaseException] = []

    def worker(number: int) -> None:
        try:
            start.wait()
            for pk in jobs if number % 2 else reversed(jobs):
                if claim(pk):
                    taken[pk].append(number)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert all(len(by) == 1 for by in taken.values()), taken
    assert Job.objects.filter(status=Job.Status.RUNNING).count() == len(jobs)
