"""Whole-organisation eligibility from the database: demo data of N people in a temporary SQLite file
(or an already loaded database, `--database-url`), then `evaluate_organisation` over the root unit
(streamed set-based reads + the columnar engine), then the whole-organisation job as a user starts it.

    .venv/bin/python bench/eligibility_db.py [--people 100000]
    .venv/bin/python bench/eligibility_db.py --database-url postgres://postgres@127.0.0.1:5432/thidua_x

With --database-url the database must hold `thidua demo` already (nothing is loaded or dropped; the
job's row and file are deleted afterwards). Prints the load average, the load time (not part of the
figure), the read time, the engine time, people/s, then the job: each progress step with its time,
the total and the size of its file.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--database-url", help="a database already loaded with `thidua demo`")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of read + engine (best is shown)")
    parser.add_argument("--no-job", action="store_true", help="skip the whole-organisation job")
    args = parser.parse_args()
    print(f"load average: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["THIDUA_DATABASE_URL"] = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        os.environ["THIDUA_MEDIA_ROOT"] = str(Path(tmp) / "media")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        from thidua.demo.loader import load_demo
        from thidua.eligibility import batch
        from thidua.eligibility.services import default_as_of, ruleset_on
        from thidua.org.models import Unit
        from thidua.rules.columnar import evaluate_columns

        settings.DEBUG = False
        if not args.database_url:
            call_command("migrate", verbosity=0)
            t0 = time.perf_counter()
            load_demo(people=args.people)
            print(f"demo loaded: {args.people:,} people in {time.perf_counter() - t0:.1f} s (not measured)")
        root = Unit.objects.get(code="BHXH-VN")
        day = default_as_of(args.year)
        ruleset = ruleset_on(day)
        best_read = best_eval = float("inf")
        for _ in range(args.rounds):
            t1 = time.perf_counter()
            ids, cols = batch.organisation_columns(root, year=args.year, as_of=day, codes=list(ruleset.items))
            t2 = time.perf_counter()
            verdicts = evaluate_columns(cols, ruleset=ruleset)
            t3 = time.perf_counter()
            best_read, best_eval = min(best_read, t2 - t1), min(best_eval, t3 - t2)
        n = len(ids)
        total = best_read + best_eval
        print(f"people evaluated: {n:,}; items: {len(verdicts.items)}")
        print(f"read from the database (best of {args.rounds}): {best_read:.2f} s")
        print(f"columnar engine (best of {args.rounds}):        {best_eval:.2f} s")
        print(f"total: {total:.2f} s = {n / total:,.0f} people/s ({n / best_eval:,.0f} people/s engine only)")
        if not args.no_job:
            run_job(root, args.year)


def run_job(root: object, year: int) -> None:
    """The job as the page starts it (a system administrator), run inline with its progress shown."""
    from thidua.accounts.models import User
    from thidua.documents.jobs import claim, execute
    from thidua.documents.models import Job

    admin = User.objects.filter(is_superuser=True).first()
    if admin is None:
        print("job: no superuser in this database, skipped")
        return
    job = Job.objects.create(
        kind=Job.Kind.ELIGIBILITY_XLSX,
        created_by=admin,
        params={"unit": root.pk, "year": year},  # type: ignore[attr-defined]
        title="bench",
    )
    started = time.perf_counter()
    seen: list[tuple[float, int, str]] = []

    from thidua.documents import jobs as job_module

    reporter = job_module.ProgressReporter

    class Timed(reporter):  # type: ignore[misc, valid-type]
        def __call__(self, percent: int, message: str) -> None:
            seen.append((time.perf_counter() - started, percent, message))
            super().__call__(percent, message)

    job_module.ProgressReporter = Timed  # type: ignore[misc]
    try:
        assert claim(job.pk)
        execute(job.pk)
    finally:
        job_module.ProgressReporter = reporter  # type: ignore[misc]
    elapsed = time.perf_counter() - started
    job.refresh_from_db()
    for at, percent, message in seen:
        print(f"  {at:6.1f} s  {percent:3d}%  {message}")
    size = job.result.size if job.result else 0
    print(f"job: {job.status} in {elapsed:.1f} s, file {job.result_name} {size / 2**20:.1f} MB {job.error}")
    if job.result:
        job.result.delete(save=False)
    job.delete()


if __name__ == "__main__":
    main()
