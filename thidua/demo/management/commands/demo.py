"""`thidua demo`: load the BHXH Việt Nam demo data (generator and writer in `thidua.demo`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thidua.core.db import analyze
from thidua.demo.decisions import record_past_decisions
from thidua.demo.extensions import run_after_load
from thidua.demo.generator import MAX_PEOPLE
from thidua.demo.loader import demo_accounts_table, is_loaded, load_demo
from thidua.demo.movements import load_seed_scenario
from thidua.demo.organisation import ROOT_CODE
from thidua.demo.year_end import load_year_end
from thidua.lib.numbers import format_number
from thidua.org.models import Organisation, Unit


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu: BHXH Việt Nam, 34 BHXH tỉnh, nhân sự, xếp loại và khen thưởng 2021-2025."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="không làm gì nếu dữ liệu mẫu đã có")
        parser.add_argument("--seed", type=int, default=2026, help="hạt giống ngẫu nhiên (mặc định 2026)")
        parser.add_argument("--people", type=int, default=5000, help="số nhân sự (mặc định 5.000)")
        parser.add_argument("--chunk", type=int, default=5000, help="số nhân sự mỗi lô ghi")

    def handle(self, *args: Any, **options: Any) -> None:
        people: int = options["people"]
        if not 0 <= people <= MAX_PEOPLE:
            raise CommandError(f"--people phải từ 0 đến {format_number(MAX_PEOPLE)}")
        if is_loaded():
            if options["once"]:
                self.stdout.write("Dữ liệu mẫu đã có: không thay đổi gì.")
                self._print_accounts(demo_accounts_table())
                return
            raise CommandError(
                "Dữ liệu mẫu đã có. Dùng --once để bỏ qua, hoặc nạp vào một cơ sở dữ liệu mới."
            )
        other = Organisation.objects.select_related("root").first()
        if other is not None:
            # A real organisation set up with `thidua setup`: demo units and accounts (with a known
            # password) must never be mixed into it.
            raise CommandError(
                f"Cơ sở dữ liệu đã có tổ chức «{other.root.name}»: dữ liệu mẫu chỉ nạp vào một cơ sở dữ liệu mới."
            )
        verbose = options["verbosity"] >= 1 and people >= 50_000

        def progress(done: int, total: int) -> None:
            if verbose:
                self.stdout.write(f"  … {format_number(done)}/{format_number(total)} nhân sự")

        result = load_demo(seed=options["seed"], people=people, chunk=options["chunk"], progress=progress)
        analyze()  # the bulk rows first: the scenario below queries them (and again at the end)
        self.stdout.write(
            f"Đã nạp dữ liệu mẫu (seed {options['seed']}): {format_number(result.people)} nhân sự, "
            f"{format_number(result.rows)} dòng trong {result.seconds:.1f} giây "
            f"({format_number(result.rows_per_second)} dòng/giây)."
        )
        for label, count in sorted(result.counts.items()):
            self.stdout.write(f"  {label}: {format_number(count)}")
        self.stdout.write("")
        self.stdout.write("Phong trào thi đua mẫu (Công văn 856/BHXH-TĐKT):")
        for line in load_seed_scenario():
            self.stdout.write(f"  {line}")
        root = Unit.objects.filter(code=ROOT_CODE).first()
        past = record_past_decisions(root) if root is not None else []
        self.stdout.write(
            "Một năm trọn vẹn 2026 (đăng ký → kết quả → xếp hạng → đề nghị → hội đồng → quyết định):"
        )
        for line in load_year_end():
            self.stdout.write(f"  {line}")
        extra = past + run_after_load()
        if extra:
            self.stdout.write("")
            self.stdout.write("Quyết định, trang thông tin công khai, số liệu thống kê:")
            for line in extra:
                self.stdout.write(f"  {line}")
        # Bulk writes leave the planner's statistics behind (a name search planned for empty tables
        # scanned a million rows): refresh them before anyone uses the data (PostgreSQL only).
        analyze()
        self._print_accounts(result.accounts)

    def _print_accounts(self, accounts: list[tuple[str, str, str, str]]) -> None:
        self.stdout.write("")
        self.stdout.write("Tài khoản mẫu")
        header = ("Tên đăng nhập", "Mật khẩu", "Vai trò", "Đơn vị")
        rows = [header, *accounts]
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        for i, row in enumerate(rows):
            self.stdout.write("  " + " | ".join(cell.ljust(widths[j]) for j, cell in enumerate(row)))
            if i == 0:
                self.stdout.write("  " + "-+-".join("-" * w for w in widths))
