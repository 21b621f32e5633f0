"""`thidua backup FILE`: one archive of the database and the uploaded files (docs/deploy.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thidua.core.backup import BackupError, backup
from thidua.lib.numbers import format_number


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu và tệp tải lên vào một tệp .tar.gz (chạy được khi ứng dụng đang chạy)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="tệp sao lưu sẽ ghi, ví dụ /var/backups/thidua-2026-05-04.tar.gz")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = backup(Path(options["file"]), progress=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Đã sao lưu {len(summary.tables)} bảng ({format_number(summary.rows, 0)} dòng) và "
            f"{format_number(summary.files, 0)} tệp vào {summary.path}"
        )
