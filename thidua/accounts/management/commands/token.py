"""`thidua token USERNAME [--regenerate]`: print a user's API token, creating it if needed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thidua.accounts import services
from thidua.accounts.models import User


class Command(BaseCommand):
    help = "In khóa API của một tài khoản (tạo mới nếu chưa có)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="tên đăng nhập")
        parser.add_argument("--regenerate", action="store_true", help="tạo khóa mới, khóa cũ mất hiệu lực")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"Không có tài khoản '{options['username']}'")
        if not user.is_active:
            raise CommandError(f"Tài khoản '{user.username}' đã bị khóa")
        token = services.get_api_token(user)
        if token is None or options["regenerate"]:
            token = services.regenerate_api_token(actor=None, user=user)
        self.stdout.write(token.key)
