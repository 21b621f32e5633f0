from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Chạy ứng dụng web (máy chủ phát triển, phục vụ cả tệp tĩnh)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"ThiĐua đang chạy tại http://{options['addrport']}/  (Ctrl+C để dừng)")
        call_command("runserver", options["addrport"], use_reloader=False)
