"""Users and their roles. A role is held on a unit and reaches the whole subtree below it."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from thidua.core.models import TimeStampedModel
from thidua.org.models import Person, Unit


class User(AbstractUser):
    """A login. `person` links a staff member to their own record (what the staff role sees)."""

    person = models.OneToOneField(
        Person, verbose_name="nhân sự", null=True, blank=True, on_delete=models.SET_NULL, related_name="user"
    )

    class Meta:
        verbose_name = "tài khoản"
        verbose_name_plural = "tài khoản"


class Role(models.TextChoices):
    ADMIN = "admin", "Quản trị hệ thống"
    OFFICER = "officer", "Cán bộ thi đua, khen thưởng"
    UNIT_HEAD = "unit_head", "Thủ trưởng đơn vị"
    COUNCIL_MEMBER = "council_member", "Thành viên Hội đồng TĐKT"
    STAFF = "staff", "Cán bộ, nhân viên"


class Membership(TimeStampedModel):
    """`user` holds `role` on `unit` and its whole subtree."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="memberships", verbose_name="đơn vị"
    )
    role = models.CharField("vai trò", max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = "phân quyền"
        verbose_name_plural = "phân quyền"
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.unit}"


class LoginFailure(models.Model):
    """A failed login, kept to throttle guessing (per username and per address)."""

    username = models.CharField(max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.username} {self.created_at:%Y-%m-%d %H:%M}"
