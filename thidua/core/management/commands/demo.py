"""Placeholder demo loader: the full BHXH demo generator replaces it (see thidua/demo/)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from thidua.accounts.models import Membership, Role, User
from thidua.org import services
from thidua.org.models import Unit


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="không làm gì nếu dữ liệu mẫu đã có")

    def handle(self, *args: Any, **options: Any) -> None:
        if Unit.objects.filter(code="BHXH-VN").exists():
            self.stdout.write("Dữ liệu mẫu đã có: không thay đổi gì.")
            return
        root = services.create_unit(
            actor=None, code="BHXH-VN", name="Bảo hiểm xã hội Việt Nam", kind=Unit.Kind.CO_QUAN
        )
        admin = User.objects.create_superuser("admin", password="thidua-admin")
        Membership.objects.create(user=admin, unit=root, role=Role.ADMIN)
        self.stdout.write("Tài khoản mẫu: admin / thidua-admin")
