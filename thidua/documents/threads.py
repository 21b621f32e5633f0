"""Background threads for jobs when there is no worker process (the embedded default).

With django-tasks' immediate backend a job would run inside the request that starts it, so the page
would wait for the whole run. `ThreadRunner` runs it in a daemon thread of the web process instead:
the request answers at once with the progress page, which polls the Job row while the thread writes
its progress. At most `limit` jobs run at a time (the machine's cores also serve the pages); the
others wait, still queued, for a free slot. Each thread closes its database connections when its
job ends (a thread's connection is its own and would otherwise stay open until the process ends).

The runner knows nothing of jobs: it calls `run(job_id)`, which claims and executes the job (see
`thidua.documents.jobs`). Daemon threads do not hold the process up when it stops; a job cut off
that way stays "running" and is marked failed later (`jobs.fail_interrupted_jobs`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from django.db import connections

logger = logging.getLogger(__name__)


class ThreadRunner:
    """Runs `run(job_id)` in daemon threads, at most `limit` at once, closing DB connections after."""

    def __init__(self, run: Callable[[int], None], *, limit: int = 2) -> None:
        self._run = run
        self._slots = threading.BoundedSemaphore(max(1, limit))
        self._lock = threading.Lock()
        self._active: set[int] = set()

    def submit(self, job_id: int) -> threading.Thread:
        """Start the job's thread (it waits for a free slot) and return it."""
        with self._lock:
            self._active.add(job_id)
        thread = threading.Thread(target=self._work, args=(job_id,), name=f"thidua-job-{job_id}", daemon=True)
        thread.start()
        return thread

    def active(self) -> set[int]:
        """The ids of the jobs this process is running or about to run."""
        with self._lock:
            return set(self._active)

    def _work(self, job_id: int) -> None:
        try:
            with self._slots:
                self._run(job_id)
        except Exception:  # `run` stores a handler's errors on the row; this is for anything else
            logger.exception("background thread of job %s failed", job_id)
        finally:
            with self._lock:
                self._active.discard(job_id)
            connections.close_all()
