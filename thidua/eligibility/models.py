"""Stored evaluations and each organisation's choices for the rules the law leaves open."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from thidua.org.models import Person, Unit


class RuleOptions(models.Model):
    """An organisation's settings for configurable rules (most of them UNCONFIRMED in law.md).

    Held on the organisation's root unit; the values override the ruleset's defaults for every
    evaluation of a person or unit below it. Keys are the ruleset's `settings` ids.
    """

    unit = models.OneToOneField(
        Unit, on_delete=models.CASCADE, related_name="rule_options", verbose_name="tổ chức"
    )
    options = models.JSONField("tùy chọn", default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "tùy chọn quy tắc xét khen thưởng"
        verbose_name_plural = "tùy chọn quy tắc xét khen thưởng"

    def __str__(self) -> str:
        return f"Tùy chọn quy tắc — {self.unit}"


class Evaluation(models.Model):
    """One run of the rules engine for a person or a collective, kept with the ruleset it used.

    `result` is the case contract's output (verdicts, reasons with citations, manual checks...),
    `verdicts` the {title_or_form_id: verdict} summary for quick listing.
    """

    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="evaluations"
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="evaluations"
    )
    year = models.PositiveSmallIntegerField("năm xét")
    as_of = models.DateField("ngày xét")
    ruleset = models.CharField("bộ quy tắc", max_length=40)
    options = models.JSONField("tùy chọn đã áp dụng", default=dict, blank=True)
    result = models.JSONField("kết quả")
    verdicts = models.JSONField("tóm tắt", default=dict)
    created_at = models.DateTimeField("lúc", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "kết quả xét điều kiện"
        verbose_name_plural = "kết quả xét điều kiện"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(unit__isnull=True))
                | (Q(person__isnull=True) & Q(unit__isnull=False)),
                name="evaluation_one_subject",
            )
        ]
        indexes = [models.Index(fields=["person", "year"], name="eval_person_year_idx")]

    def __str__(self) -> str:
        return f"{self.person or self.unit} — {self.year} ({self.ruleset})"
