"""`thidua import_history ratings|awards|initiatives|disciplines|proceedings FILE [--dry-run] [--as USERNAME]`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thidua.accounts.models import User
from thidua.history.importing import MAX_BYTES, SPECS, check_file, commit_file


class Command(BaseCommand):
    help = (
        "Nhập lịch sử thi đua, khen thưởng từ tệp .xlsx / .csv (theo tệp mẫu): xếp loại, danh hiệu và "
        "khen thưởng, sáng kiến, kỷ luật, vụ việc đang xem xét. Tất cả hoặc không gì cả."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=list(SPECS), help="loại dữ liệu")
        parser.add_argument("file", help="tệp .xlsx hoặc .csv")
        parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi gì")
        parser.add_argument(
            "--as",
            dest="username",
            default=None,
            help="nhập với phạm vi quyền của tài khoản này (mặc định: hệ thống)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        kind: str = options["kind"]
        path = Path(options["file"])
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp {path}: {exc.strerror or exc}") from exc
        if size > MAX_BYTES:  # before reading it
            raise CommandError(
                f"{path.name}: tệp lớn quá {MAX_BYTES // (1024 * 1024)} MB, hãy chia thành nhiều tệp."
            )
        data = path.read_bytes()
        actor = None
        if options["username"]:
            actor = User.objects.filter(username=options["username"], is_active=True).first()
            if actor is None:
                raise CommandError(f"Không có tài khoản đang hoạt động '{options['username']}'")
        run = check_file if options["dry_run"] else commit_file
        plan = run(kind, data, path.name, actor=actor)
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
            actions = {"create": "thêm mới", "update": "sửa", "unchanged": "đã có"}
            for result in plan.results:
                changes = f": {'; '.join(result.changes)}" if result.changes else ""
                self.stdout.write(
                    f"Dòng {result.row}: {result.key} — {result.label} — {actions[result.action]}{changes}"
                )
        counts = plan.counts
        verb = "Kiểm tra xong (chưa ghi gì)" if options["dry_run"] else "Đã nhập"
        self.stdout.write(
            f"{verb} {plan.row_count} dòng {label} từ {path.name}: "
            f"{counts['create']} thêm mới, {counts['update']} sửa, {counts['unchanged']} đã có."
        )
