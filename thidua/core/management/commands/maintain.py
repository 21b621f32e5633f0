"""`thidua maintain [--cluster]`: database maintenance for a large organisation (docs/deploy.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from thidua.core.maintenance import maintain
from thidua.lib.numbers import format_number


class Command(BaseCommand):
    help = (
        "Bảo trì cơ sở dữ liệu: dọn và cập nhật thống kê (VACUUM ANALYZE); với --cluster, sắp xếp lại "
        "bảng nhân sự theo thứ tự tên trên đĩa (khoá bảng trong lúc ghi lại: chạy vào giờ vắng)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--cluster",
            action="store_true",
            help="sắp xếp lại bảng nhân sự theo thứ tự tên (PostgreSQL; khoảng 12 giây mỗi triệu người)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["cluster"] and connection.vendor != "postgresql":
            self.stdout.write("--cluster chỉ có tác dụng trên PostgreSQL: bỏ qua.")
        report = maintain(cluster=options["cluster"], progress=lambda label: self.stdout.write(f"{label}…"))
        for label, seconds in report.steps:
            self.stdout.write(f"  {label}: {format_number(seconds, 1)} giây")
        self.stdout.write("Đã bảo trì xong cơ sở dữ liệu.")
