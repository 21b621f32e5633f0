"""`thidua worker`: run queued jobs when THIDUA_TASKS_BACKEND=database (django-tasks-db's db_worker)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Chạy các việc nền đang chờ (cần THIDUA_TASKS_BACKEND=database)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="chạy hết việc đang chờ rồi dừng")
        parser.add_argument("--interval", type=float, default=1.0, help="giây giữa hai lần kiểm tra")
        parser.add_argument(
            "--stale-minutes",
            type=int,
            default=60,
            help="việc đang chạy quá số phút này khi khởi động được coi là bị gián đoạn",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if getattr(settings, "TASKS_BACKEND", "immediate") != "database":
            raise CommandError(
                "Việc nền đang chạy ngay trong yêu cầu (THIDUA_TASKS_BACKEND=immediate); "
                "đặt THIDUA_TASKS_BACKEND=database để dùng tiến trình chạy nền"
            )
        from datetime import timedelta

        from thidua.documents.jobs import fail_interrupted_jobs

        stale = fail_interrupted_jobs(older_than=timedelta(minutes=options["stale_minutes"]))
        if stale:
            self.stdout.write(f"Đã đánh dấu {stale} việc bị gián đoạn")
        worker_args = ["--interval", str(options["interval"])]
        if options["batch"]:
            # the start-up delay spreads many long-running workers; pointless for one batch run
            worker_args += ["--batch", "--no-startup-delay"]
        call_command("db_worker", *worker_args)
