"""Benchmark of the bulk documents through the job layer: python bench/documents_jobs.py

On a fresh SQLite database in a temporary folder: 5,000 people with a Giấy khen on one decision,
1,000 on another. Measures, as a user would wait for them, `start_job` → job done with its file:

- the decision with 5,000 recipients as .docx (read from AwardRecords, built, rendered, stored): ≤ 5 s;
- 1,000 certificates as one PDF: ≤ 20 s.

With the immediate backend the job runs inside `start_job` (THIDUA_JOBS_RUN=inline, set here; the
web process runs it in a background thread instead, see bench/jobs_thread.py). `--backend database` queues
the jobs instead and runs `thidua worker --batch` in a second process while this one polls the
Job row every 0.2 s, printing the progress the job page would show. Exit status 1 if a limit is missed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup(folder: Path, backend: str) -> None:
    os.environ["THIDUA_DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ["THIDUA_MEDIA_ROOT"] = str(folder / "media")
    os.environ["THIDUA_TASKS_BACKEND"] = backend
    os.environ["THIDUA_JOBS_RUN"] = "inline"  # the build time itself (bench/jobs_thread.py: the thread)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def fill(people: int, certificates: int) -> object:
    from thidua.accounts.models import User
    from thidua.documents.examples import example_recipients
    from thidua.history.models import AwardRecord
    from thidua.lib.text import fold, name_sort_key
    from thidua.org import services
    from thidua.org.models import Person, Unit

    root = services.create_unit(
        actor=None, code="BHXH-VN", name="Bảo hiểm xã hội Việt Nam", kind=Unit.Kind.CO_QUAN
    )
    province = services.create_unit(
        actor=None,
        code="BHXH-66",
        name="Bảo hiểm xã hội tỉnh Đắk Lắk",
        parent=root,
        kind=Unit.Kind.BHXH_TINH,
        is_legal_entity=True,
    )
    depts = [
        services.create_unit(
            actor=None, code=f"BHXH-66-{i}", name=name, parent=province, kind=Unit.Kind.PHONG
        )
        for i, name in enumerate(["Phòng Quản lý thu", "Phòng Tổ chức cán bộ", "Phòng Kế hoạch - Tài chính"])
    ]
    rows = example_recipients(people)
    persons = []
    for i, (name, _, _) in enumerate(rows):
        full_name = f"{name} {i}"
        persons.append(
            Person(
                citizen_id=f"066{i:09d}",
                full_name=full_name,
                gender="nu",
                current_unit=depts[i % 3],
                current_title="Chuyên viên",
                name_folded=fold(full_name),
                sort_key=name_sort_key(full_name),
            )
        )
    Person.objects.bulk_create(persons, batch_size=1000)
    ids = list(Person.objects.values_list("pk", flat=True).order_by("pk"))
    awards = [
        AwardRecord(
            person_id=pk,
            kind=AwardRecord.Kind.FORM,
            award_id="giay_khen",
            year=2025,
            decided_on=date(2026, 1, 5),
            decision_number="07/QĐ-BHXH",
            prize_vnd=300_000,
        )
        for pk in ids
    ]
    awards += [
        AwardRecord(
            person_id=pk,
            kind=AwardRecord.Kind.FORM,
            award_id="giay_khen",
            year=2025,
            decided_on=date(2026, 1, 6),
            decision_number="08/QĐ-BHXH",
            prize_vnd=300_000,
        )
        for pk in ids[:certificates]
    ]
    AwardRecord.objects.bulk_create(awards, batch_size=2000)
    return User.objects.create(username="bench", is_superuser=True, is_staff=True)


def run_inline(user: object, kind: str, number: str) -> tuple[float, object]:
    from thidua.documents.jobs import start_job

    start = time.perf_counter()
    job = start_job(actor=user, kind=kind, params={"decision_number": number})
    return time.perf_counter() - start, job


def run_worker(user: object, kind: str, number: str) -> tuple[float, object, list[int]]:
    """Queue the job, run the worker in another process, poll the row like the job page does."""
    from thidua.documents.jobs import start_job
    from thidua.documents.models import Job

    start = time.perf_counter()
    job = start_job(actor=user, kind=kind, params={"decision_number": number})
    worker = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "worker", "--batch", "--interval", "0.1"],
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    seen: list[int] = []
    while True:
        job = Job.objects.get(pk=job.pk)
        if not seen or seen[-1] != job.progress:
            seen.append(job.progress)
        if job.is_finished:
            break
        time.sleep(0.2)
    elapsed = time.perf_counter() - start
    worker.wait(timeout=60)
    return elapsed, job, seen


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=["immediate", "database"], default="immediate")
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--certificates", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        setup(Path(folder), args.backend)
        from thidua.documents.models import Job

        start = time.perf_counter()
        user = fill(args.people, args.certificates)
        print(f"dữ liệu: {args.people} người, {time.perf_counter() - start:.1f} s (không tính)")
        cases = [
            (f"Quyết định, {args.people} người, .docx", Job.Kind.DECISION_DOCX, "07/QĐ-BHXH", 5.0),
            (f"{args.certificates} giấy khen, một tệp PDF", Job.Kind.CERTIFICATES_PDF, "08/QĐ-BHXH", 20.0),
        ]
        failed = False
        print(f"{'việc (qua lớp Job, ' + args.backend + ')':48} {'giây':>7} {'giới hạn':>9} {'KB':>8}")
        for label, kind, number, limit in cases:
            seen: list[int] = []
            if args.backend == "database":
                seconds, job, seen = run_worker(user, kind, number)
            else:
                seconds, job = run_inline(user, kind, number)
            assert isinstance(job, Job)
            if job.status != Job.Status.DONE:
                print(f"{label}: {job.status} {job.error}")
                return 1
            ok = seconds <= limit
            failed |= not ok
            size = job.result.size / 1024
            print(f"{label:48} {seconds:7.2f} {limit:9.0f} {size:8.0f} {'đạt' if ok else 'VƯỢT'}")
            if seen:
                print(f"    tiến độ thấy được khi hỏi mỗi 0,2 s: {seen}")
        return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
