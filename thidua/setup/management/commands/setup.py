"""`thidua setup`: an organisation on an empty database, without questions.

    echo "$PASSWORD" | thidua setup --name "Sở Giáo dục và Đào tạo tỉnh Đắk Lắk" --short-name "Sở GDĐT" \\
        --symbol SGDĐT --place "Đắk Lắk" --parent-body "Ủy ban nhân dân tỉnh Đắk Lắk" \\
        --sector giao_duc --admin quantri

The administrator's password is read from `--password-file` or standard input, never from the command
line (it would stay in the shell history and the process list). A second run changes nothing and says so.
"""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thidua.core.errors import DomainError
from thidua.org.kinds import sectors
from thidua.setup import services
from thidua.setup.options import CONFIDENCE_LABELS, parse_assignments, parse_bool, parse_quotas


class Command(BaseCommand):
    help = (
        "Thiết lập tổ chức trên cơ sở dữ liệu trống: cơ quan, lĩnh vực, quản trị hệ thống đầu tiên và "
        "tùy chọn quy tắc (mật khẩu đọc từ đầu vào chuẩn hoặc --password-file)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", help="tên cơ quan, đơn vị (ví dụ Sở Giáo dục và Đào tạo tỉnh Đắk Lắk)")
        parser.add_argument("--short-name", default="", help="tên viết tắt (ví dụ Sở GDĐT Đắk Lắk)")
        parser.add_argument("--symbol", help="ký hiệu trên văn bản (ví dụ SGDĐT trong 07/QĐ-SGDĐT)")
        parser.add_argument("--place", help="địa danh ghi trước ngày tháng (ví dụ Đắk Lắk)")
        parser.add_argument(
            "--parent-body", default="", help="cơ quan chủ quản (ví dụ Ủy ban nhân dân tỉnh Đắk Lắk)"
        )
        parser.add_argument("--sector", help="lĩnh vực: " + ", ".join(sectors()))
        parser.add_argument("--code", default="", help="mã đơn vị gốc (mặc định: ký hiệu)")
        parser.add_argument("--admin", dest="username", help="tên đăng nhập của quản trị hệ thống đầu tiên")
        parser.add_argument("--admin-name", default="", help="họ và tên của quản trị hệ thống")
        parser.add_argument("--admin-email", default="", help="thư điện tử của quản trị hệ thống")
        parser.add_argument(
            "--password-file", default=None, help="tệp chứa mật khẩu (dòng đầu); mặc định đọc đầu vào chuẩn"
        )
        parser.add_argument(
            "--option",
            action="append",
            default=[],
            metavar="TÊN=GIÁ_TRỊ",
            help="tùy chọn quy tắc (xem --list-options), có thể lặp lại",
        )
        parser.add_argument("--htxs-cap", default="on", help="kiểm tra giới hạn tỷ lệ HTXS: on / off")
        parser.add_argument(
            "--htxs-cap-pct", type=int, default=20, help="giới hạn HTXS, %% số HTT (mặc định 20)"
        )
        parser.add_argument(
            "--htxs-cap-pct-excellent",
            type=int,
            default=25,
            help="giới hạn HTXS khi đơn vị được xếp loại HTXS (mặc định 25)",
        )
        parser.add_argument(
            "--quota",
            action="append",
            default=[],
            metavar="MÃ=TỶ_LỆ",
            help="tỷ lệ tối đa của một danh hiệu, %% số người (ví dụ lao_dong_tien_tien=80)",
        )
        parser.add_argument("--list-sectors", action="store_true", help="in các lĩnh vực và loại đơn vị")
        parser.add_argument("--list-options", action="store_true", help="in các tùy chọn quy tắc và mặc định")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list_sectors"]:
            self._list_sectors()
            return
        ruleset = services.current_ruleset()
        if options["list_options"]:
            self._list_options(ruleset)
            return
        message = services.already_set_up_message()
        if message is not None:
            self.stdout.write(message)
            return
        missing = [
            flag
            for flag, key in (
                ("--name", "name"),
                ("--symbol", "symbol"),
                ("--place", "place"),
                ("--sector", "sector"),
                ("--admin", "username"),
            )
            if not options[key]
        ]
        if missing:
            raise CommandError(f"Thiếu {', '.join(missing)} (xem thidua setup --help)")
        try:
            choices = services.Choices(
                rule_options=parse_assignments(ruleset, options["option"]),
                htxs_cap_enabled=parse_bool(options["htxs_cap"]),
                htxs_cap_pct=options["htxs_cap_pct"],
                htxs_cap_pct_excellent_unit=options["htxs_cap_pct_excellent"],
                quotas=parse_quotas(ruleset, options["quota"]),
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        password = self._password(options["password_file"])
        try:
            result = services.setup_organisation(
                actor=None,
                organisation=services.OrganisationSpec(
                    name=options["name"],
                    short_name=options["short_name"],
                    symbol=options["symbol"],
                    place=options["place"],
                    parent_body=options["parent_body"],
                    sector=options["sector"],
                    code=options["code"],
                ),
                admin=services.AdminSpec(
                    username=options["username"],
                    password=password,
                    full_name=options["admin_name"],
                    email=options["admin_email"],
                ),
                choices=choices,
            )
        except services.AlreadySetUp as exc:
            self.stdout.write(exc.message)
            return
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        root = result.organisation.root
        sector = sectors()[result.organisation.sector]
        self.stdout.write(
            f"Đã thiết lập «{root.name}» (lĩnh vực {sector.name}, mã {root.code}, ký hiệu {root.symbol}).\n"
            f"Quản trị hệ thống: {result.admin.get_username()}.\n"
            "Tiếp theo: đăng nhập, mở trang Bắt đầu (/bat-dau/) hoặc nhập đơn vị và nhân sự:\n"
            "  thidua import units DON_VI.xlsx && thidua import people NHAN_SU.xlsx"
        )

    def _password(self, path: str | None) -> str:
        if path:
            try:
                text = Path(path).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(f"Không đọc được tệp mật khẩu {path}") from exc
            password = text.splitlines()[0] if text.splitlines() else ""
        elif sys.stdin.isatty():
            password = getpass.getpass("Mật khẩu của quản trị hệ thống: ")
            if getpass.getpass("Nhập lại mật khẩu: ") != password:
                raise CommandError("Hai lần nhập mật khẩu không khớp")
        else:
            line = sys.stdin.readline()
            password = line.rstrip("\r\n")
        if not password:
            raise CommandError("Thiếu mật khẩu: truyền qua đầu vào chuẩn hoặc --password-file")
        return password

    def _list_sectors(self) -> None:
        for s in sectors().values():
            self.stdout.write(f"{s.id}: {s.name} — {s.description}")
            for k in s.kinds:
                level = f" [{k.level_label}]" if k.level else ""
                self.stdout.write(f"    {k.code}: {k.label}{level}")

    def _list_options(self, ruleset: Any) -> None:
        defaults = services.default_options(ruleset)
        self.stdout.write(f"Bộ quy tắc {ruleset.id}:")
        for key, spec in ruleset.settings_spec.items():
            allowed = f" ({' / '.join(str(c) for c in spec.choices)})" if spec.choices else ""
            self.stdout.write(
                f"  {key}={defaults[key]}{allowed} — {CONFIDENCE_LABELS.get(spec.confidence, spec.confidence)}: "
                f"{spec.description_vi}"
            )
