"""The jobs list's filters (its page and the API list): status, kind, the year it was started."""

from __future__ import annotations

import django_filters
from django import forms

from thidua.documents.models import Job


class JobFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=Job.Status.choices, label="Trạng thái", empty_label="Mọi trạng thái"
    )
    kind = django_filters.ChoiceFilter(
        choices=Job.Kind.choices, label="Loại việc", empty_label="Mọi loại việc"
    )
    year = django_filters.NumberFilter(
        field_name="created_at",
        lookup_expr="year",
        label="Năm tạo",
        min_value=2000,
        max_value=2100,
        decimal_places=0,
        widget=forms.NumberInput(attrs={"placeholder": "Mọi năm", "min": 2000, "max": 2100, "class": "year"}),
    )

    class Meta:
        model = Job
        fields = ["status", "kind", "year"]
