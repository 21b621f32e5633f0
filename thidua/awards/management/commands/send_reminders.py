"""thidua send_reminders: mail the appraising officers about dossiers near or past their deadline."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thidua.awards.services import send_reminders
from thidua.movements.services import notify_registration_deadlines


class Command(BaseCommand):
    help = (
        "Gửi thư nhắc cán bộ cấp thẩm định về hồ sơ còn tối đa 3 ngày làm việc hoặc đã quá hạn "
        "(mỗi hồ sơ một lần trong ngày), và thông báo hạn đăng ký thi đua tới đơn vị chưa đăng ký."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="chỉ liệt kê, không gửi thư, không ghi gì")
        parser.add_argument("--today", help="ngày tính hạn, dạng YYYY-MM-DD (mặc định: hôm nay)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = date.fromisoformat(options["today"]) if options["today"] else date.today()
        except ValueError as exc:
            raise CommandError(f"Ngày không hợp lệ: {options['today']} (cần dạng YYYY-MM-DD)") from exc
        run = send_reminders(actor=None, today=today, dry_run=options["dry_run"])
        if options["verbosity"] > 1:
            for dossier, left, emails in run.mailed:
                self.stdout.write(f"  {dossier} — {left} ngày làm việc — {', '.join(emails)}")
        prefix = "(chạy thử, không gửi) " if options["dry_run"] else ""
        self.stdout.write(f"{prefix}{today:%d/%m/%Y}: {run.summary}")
        if not options["dry_run"]:
            written = notify_registration_deadlines(actor=None, today=today)
            if written:
                self.stdout.write(f"{today:%d/%m/%Y}: {written} thông báo hạn đăng ký thi đua")
