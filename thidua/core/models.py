from django.db import models


class TimeStampedModel(models.Model):
    """Abstract base: when a row was created and last changed."""

    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        abstract = True


class SharedFigure(models.Model):
    """A figure computed from whole tables (the dashboard's head counts…), kept for every web worker
    and every machine until one of its tables changes (`thidua.core.db.cached_rows`)."""

    name = models.CharField(max_length=100, primary_key=True)
    version = models.CharField(max_length=400)
    rows = models.JSONField(default=list)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "số liệu tổng hợp dùng chung"
        verbose_name_plural = "số liệu tổng hợp dùng chung"

    def __str__(self) -> str:
        return self.name
