from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    """One state change: who did what, when, to which object, with what detail.

    Written by services inside the same transaction as the change (see `thidua.audit.services.log`).
    `unit_path` is the organisational scope of the change, so that a user browses only entries of
    the units they may see. Entries are never updated or deleted by the application.
    """

    created_at = models.DateTimeField("thời điểm", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người thực hiện",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField("tên người thực hiện", max_length=150, blank=True)
    action = models.CharField("hành động", max_length=80, db_index=True)
    object_type = models.CharField("loại đối tượng", max_length=80, blank=True)
    object_id = models.CharField("mã đối tượng", max_length=64, blank=True)
    object_repr = models.CharField("đối tượng", max_length=255, blank=True)
    unit_path = models.CharField("phạm vi đơn vị", max_length=255, blank=True, db_index=True)
    detail = models.JSONField("chi tiết", default=dict, blank=True)

    class Meta:
        verbose_name = "nhật ký thao tác"
        verbose_name_plural = "nhật ký thao tác"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"
