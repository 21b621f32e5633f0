"""The long year-end runs with no worker process (the embedded default): python bench/jobs_thread.py

On the demo organisation (a fresh `thidua demo --once` in a temporary SQLite file, or the EMPTY
database given by --database-url), signed in as the organisation's emulation officer (canbo.bhxhvn):

- "Xét tự động đề nghị" for the whole organisation (POST, the candidate list's button);
- "Xét cả đơn vị" eligibility for the whole organisation (POST, the eligibility page's button).

For each, it prints how long the button's request took (the limit: under 1 s, the job runs in a
background thread), how long the progress page took while the job ran, the progress the page showed
when polled every 0,2 s (it must move), and the job's total time. Exit status 1 if a limit is missed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
LIMIT = 1.0  # seconds for the page that starts the job, and for each poll of the progress page


def setup(url: str, media: Path, fresh: bool) -> None:
    os.environ["THIDUA_DATABASE_URL"] = url
    os.environ["THIDUA_MEDIA_ROOT"] = str(media)
    os.environ["THIDUA_TASKS_BACKEND"] = "immediate"
    os.environ["THIDUA_JOBS_RUN"] = "thread"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
    if fresh:
        thidua = str(Path(sys.executable).with_name("thidua"))
        subprocess.run([thidua, "migrate", "-v0"], env=os.environ.copy(), check=True)
        subprocess.run([thidua, "demo", "--once"], env=os.environ.copy(), check=True, capture_output=True)
    import django

    django.setup()


def measure(client: object, label: str, page_url: str, url: str) -> bool:
    from django.test import Client

    from thidua.documents.models import Job

    assert isinstance(client, Client)
    started = time.perf_counter()
    shown = client.get(page_url)  # the page with the button, as the officer sees it first
    assert shown.status_code == 200, page_url
    print(f"{label:44} trang có nút bấm: {time.perf_counter() - started:5.2f} s")
    started = time.perf_counter()
    response = client.post(url)
    answered = time.perf_counter() - started
    location = response.headers.get("Location", "")
    if response.status_code != 302 or "/van-ban/viec/" not in location:
        print(f"{label}: không chuyển sang trang tiến độ ({response.status_code} {location})")
        return False
    job_id = int(location.rstrip("/").split("/")[-1])
    seen: list[int] = []
    polls: list[float] = []
    while True:
        poll = time.perf_counter()
        page = client.get(location, headers={"HX-Request": "true"})
        polls.append(time.perf_counter() - poll)
        assert page.status_code == 200
        job = Job.objects.get(pk=job_id)
        if not seen or seen[-1] != job.progress:
            seen.append(job.progress)
        if job.is_finished:
            break
        time.sleep(0.2)
    total = time.perf_counter() - started
    for thread in threading.enumerate():
        if thread.name == f"thidua-job-{job_id}":
            thread.join(60)
    ok = answered < LIMIT and max(polls) < LIMIT and len(seen) >= 3 and job.status == Job.Status.DONE
    print(
        f"{label:44} trả lời {answered:5.2f} s | trang tiến độ tối đa {max(polls):5.2f} s "
        f"({len(polls)} lần hỏi) | việc xong sau {total:5.1f} s | {job.get_status_display()} "
        f"{'đạt' if ok else 'KHÔNG ĐẠT'}"
    )
    print(f"    tiến độ thấy được khi hỏi mỗi 0,2 s: {seen}")
    if job.error:
        print(f"    lỗi: {job.error}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", help="an EMPTY database to fill with the demo instead of SQLite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.sqlite3"
        setup(url, Path(folder) / "media", fresh=True)
        from django.test import Client

        from thidua.accounts.models import User
        from thidua.history.years import year_under_review
        from thidua.org.models import Person, Unit

        user = User.objects.get(username="canbo.bhxhvn")
        root = Unit.objects.get(parent__isnull=True)
        year = year_under_review(user)
        client = Client()
        client.force_login(user)
        print(
            f"Tổ chức mẫu: {Person.objects.count():,} người, {Unit.objects.count():,} đơn vị; năm xét {year}"
        )
        propose = f"/khen-thuong/de-nghi/{root.pk}/{year}/"
        eligibility = f"/xet-khen-thuong/don-vi/{root.pk}/"
        results = [
            measure(client, "Xét tự động đề nghị, cả tổ chức", propose, f"{propose}xet/"),
            measure(
                client,
                "Xét điều kiện cả tổ chức (.xlsx)",
                f"{eligibility}?nam={year}",
                f"{eligibility}xet-nen/?nam={year}",
            ),
        ]
        return 0 if all(results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
