"""Logins. A login is linked to a staff record by `org.Person.user`; roles are `org.Membership` rows."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A login. The staff record it belongs to, if any, is `user.person` (`org.Person.user`).

    `must_change_password` is set when an officer gives the account a one-time password: until the
    user chooses their own, every page leads to the password change (`accounts.middleware`)."""

    must_change_password = models.BooleanField("phải đổi mật khẩu khi đăng nhập", default=False)

    class Meta:
        verbose_name = "tài khoản"
        verbose_name_plural = "tài khoản"


class LoginFailure(models.Model):
    """A failed login, kept to throttle guessing (per username and per address)."""

    username = models.CharField(max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.username} {self.created_at:%Y-%m-%d %H:%M}"
