"""`thidua import units|people FILE [--dry-run] [--as USERNAME]`: import a .xlsx / .csv file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thidua.accounts.models import User
from thidua.lib.progress import ProgressBar
from thidua.org.importers import SPECS, check_file, commit_file


class Command(BaseCommand):
    help = "Nhập đơn vị hoặc nhân sự từ tệp .xlsx / .csv (theo tệp mẫu)."

    def add_arguments(self, parser: CommandParser) -> None:
        subparsers = parser.add_subparsers(dest="kind", required=True, metavar="units|people")
        for kind, label in (("units", "đơn vị"), ("people", "nhân sự")):
            sub = subparsers.add_parser(kind, help=f"nhập {label}")
            sub.add_argument("file", help="tệp .xlsx hoặc .csv")
            sub.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi gì")
            sub.add_argument(
                "--as",
                dest="username",
                default=None,
                help="nhập với phạm vi quyền của tài khoản này (mặc định: hệ thống)",
            )

    def handle(self, *args: Any, **options: Any) -> None:
        kind: str = options["kind"]
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp {path}: {exc.strerror or exc}") from exc
        actor = None
        if options["username"]:
            actor = User.objects.filter(username=options["username"], is_active=True).first()
            if actor is None:
                raise CommandError(f"Không có tài khoản đang hoạt động '{options['username']}'")
        stream: TextIO = getattr(self.stderr, "_out", sys.stderr)
        bar = ProgressBar(stream, "Đang kiểm tra" if options["dry_run"] else "Đang nhập")
        try:
            if options["dry_run"]:
                plan = check_file(kind, data, path.name, actor=actor, progress=bar.update)
            else:
                plan = commit_file(kind, data, path.name, actor=actor, progress=bar.update)
        finally:
            bar.close()
        label = SPECS[kind].label
        if not plan.ok:
            for problem in plan.problems:
                self.stderr.write(str(problem))
            rows = len({p.row for p in plan.problems if p.row is not None})
            raise CommandError(
                f"{path.name}: {len(plan.problems)} lỗi ở {rows} dòng — không ghi gì vào cơ sở dữ liệu.",
                returncode=2,
            )
        if options["verbosity"] >= 2:
            actions = {"create": "thêm mới", "update": "cập nhật", "unchanged": "không đổi"}
            for result in plan.results:
                changes = f": {'; '.join(result.changes)}" if result.changes else ""
                self.stdout.write(
                    f"Dòng {result.row}: {result.key} {result.label} — {actions[result.action]}{changes}"
                )
        counts = plan.counts
        verb = "Kiểm tra xong (chưa ghi gì)" if options["dry_run"] else "Đã nhập"
        self.stdout.write(
            f"{verb} {plan.row_count} dòng {label} từ {path.name}: "
            f"{counts['create']} thêm mới, {counts['update']} cập nhật, {counts['unchanged']} không đổi."
        )
