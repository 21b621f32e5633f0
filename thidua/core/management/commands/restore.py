"""`thidua restore FILE`: load a `thidua backup` archive into an empty database (docs/deploy.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thidua.core.backup import BackupError, restore
from thidua.lib.numbers import format_number


class Command(BaseCommand):
    help = "Khôi phục bản sao lưu vào một cơ sở dữ liệu trống và thư mục tệp tải lên trống."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="tệp do `thidua backup` ghi")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không có tệp {path}")
        try:
            summary = restore(path, progress=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Đã khôi phục {len(summary.tables)} bảng ({format_number(summary.rows, 0)} dòng, đúng như "
            f"bản sao lưu) và {format_number(summary.files, 0)} tệp. Chạy `thidua migrate` nếu phiên bản "
            "ThiĐua mới hơn bản đã sao lưu."
        )
