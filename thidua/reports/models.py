"""Pre-aggregated award counts (what every statistics page reads) and the organisation's own
versions of the data-defined statistical forms."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from thidua.core.models import TimeStampedModel
from thidua.org.models import Unit
from thidua.rules.names import award_name


class AwardTally(models.Model):
    """How many awards stand (not revoked) per achievement year, decision year, title or form,
    subject (person or collective) and unit, with the counts councils watch and the prize money.

    The unit is the collective itself, or the person's unit on the decision date (their position
    then, else their current unit). Kept by `thidua.reports.tally`: rows change by the delta of each
    decision issued or award revoked (signals of `thidua.awards`), and `thidua rebuild_counts`
    recomputes them all. Counts of people (women, direct workers, minorities) are those of the
    records at the time of the change.
    """

    class Subject(models.TextChoices):
        PERSON = "person", "Cá nhân"
        UNIT = "unit", "Tập thể"

    year = models.PositiveSmallIntegerField("năm thành tích")
    decided_year = models.PositiveSmallIntegerField("năm quyết định")
    award_id = models.CharField("danh hiệu / hình thức", max_length=80)
    level = models.CharField("cấp khen thưởng", max_length=10)
    kind = models.CharField("loại", max_length=5)
    subject = models.CharField("đối tượng", max_length=6, choices=Subject.choices)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    n = models.IntegerField("số lượng", default=0)
    women = models.IntegerField("nữ", default=0)
    direct_workers = models.IntegerField("người lao động trực tiếp", default=0)
    minorities = models.IntegerField("người dân tộc thiểu số", default=0)
    prize_vnd = models.BigIntegerField("tiền thưởng (đồng)", default=0)

    class Meta:
        verbose_name = "số liệu khen thưởng tổng hợp"
        verbose_name_plural = "số liệu khen thưởng tổng hợp"
        constraints = [
            models.UniqueConstraint(
                fields=["year", "decided_year", "award_id", "subject", "unit"], name="award_tally_key"
            ),
        ]
        indexes = [
            models.Index(fields=["year", "unit"], name="award_tally_year_unit"),
            models.Index(fields=["decided_year", "unit"], name="award_tally_decided_unit"),
        ]

    def __str__(self) -> str:
        return f"{award_name(self.award_id)} {self.year}: {self.n}"


class ReportForm(TimeStampedModel):
    """An organisation's own version of a data-defined statistical form (rows, columns, filters as
    YAML, checked by `thidua.reports.forms`), replacing the shipped reading of the same `form_id`."""

    root = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="report_forms")
    form_id = models.CharField("mã biểu", max_length=60)
    text = models.TextField("định nghĩa (YAML)")
    version = models.PositiveIntegerField("phiên bản", default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "biểu mẫu thống kê của đơn vị"
        verbose_name_plural = "biểu mẫu thống kê của đơn vị"
        constraints = [models.UniqueConstraint(fields=["root", "form_id"], name="report_form_unique")]

    def __str__(self) -> str:
        return f"{self.form_id} — {self.root}"
