"""Load a scoring table (YAML, JSON or .xlsx) into a movement for one year: `thidua import_scoring_table`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from thidua.core.errors import DomainError
from thidua.movements import services
from thidua.movements.models import Movement
from thidua.movements.services import parse_table_file
from thidua.org.models import Cluster


class _DryRun(Exception):
    pass


class Command(BaseCommand):
    help = "Nạp bảng chấm điểm (YAML, JSON hoặc .xlsx) cho một phong trào, một năm."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("movement", type=int, help="mã số (id) phong trào")
        parser.add_argument("year", type=int, help="năm áp dụng")
        parser.add_argument("path", type=Path, help="tệp bảng chấm điểm")
        parser.add_argument("--cluster", type=int, default=None, help="id cụm, khối (mặc định: mọi cụm)")
        parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không lưu")

    def handle(self, *args: Any, **options: Any) -> None:
        movement = Movement.objects.filter(pk=options["movement"]).first()
        if movement is None:
            raise CommandError(f"Không có phong trào id={options['movement']}")
        cluster = Cluster.objects.filter(pk=options["cluster"]).first() if options["cluster"] else None
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"Không thấy tệp {path}")
        try:
            with transaction.atomic():
                data = parse_table_file(path.name, path.read_bytes())
                record = services.save_scoring_table(
                    actor=None, movement=movement, year=options["year"], data=data, cluster=cluster
                )
                if options["dry_run"]:
                    raise _DryRun
        except _DryRun:
            self.stdout.write(f"Bảng hợp lệ (chạy thử, chưa lưu): {path.name}")
            return
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        leaves = len(services.load_table_record(record).leaves())
        self.stdout.write(f"Đã nạp «{record.title}» năm {record.year}: {leaves} tiêu chí chấm điểm.")
