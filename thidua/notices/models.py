"""Notices (thông báo): the in-app inbox of each login, mailed too.

A notice names what happened in Vietnamese and links to its object (`url`, a path of this site; the
mail carries it absolute, from `THIDUA_SITE_URL`). `key` makes a notice idempotent: the same event
(a deadline reminder of one day) is written once per recipient.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Notice(models.Model):
    """One notice to one login; read when `read_at` is set."""

    class Kind(models.TextChoices):
        MOVEMENT = "movement", "Phong trào phát động tới đơn vị"
        REGISTRATION = "registration", "Đăng ký thi đua"
        RESULT = "result", "Kết quả thi đua"
        DEADLINE = "deadline", "Hạn sắp đến hoặc đã qua"
        DOSSIER = "dossier", "Hồ sơ đề nghị khen thưởng"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField("loại", max_length=15, choices=Kind.choices)
    title = models.CharField("nội dung", max_length=300)
    body = models.TextField("chi tiết", blank=True)
    url = models.CharField("đường dẫn", max_length=300, blank=True)
    key = models.CharField("khóa chống trùng", max_length=200, blank=True)
    created_at = models.DateTimeField("lúc", auto_now_add=True)
    read_at = models.DateTimeField("đã đọc lúc", null=True, blank=True)
    mailed = models.BooleanField("đã gửi thư", default=False)

    class Meta:
        verbose_name = "thông báo"
        verbose_name_plural = "thông báo"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notice_inbox")]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"], condition=~models.Q(key=""), name="notice_unique_key"
            )
        ]

    def __str__(self) -> str:
        return self.title
