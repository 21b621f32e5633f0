from __future__ import annotations

import django_filters
from django import forms

from thidua.audit.models import AuditEntry
from thidua.audit.services import ACTION_LABELS

# A text field read as dd/mm/yyyy: a browser's own date picker follows its locale (often mm/dd/yyyy).
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]
DATE_WIDGET = forms.DateInput(
    format="%d/%m/%Y",
    attrs={"placeholder": "ngày/tháng/năm", "inputmode": "numeric", "size": "11", "autocomplete": "off"},
)


class AuditEntryFilter(django_filters.FilterSet):
    """Audit log filters: action and a date range (dates in the local time zone, both ends included)."""

    action = django_filters.ChoiceFilter(
        choices=sorted(ACTION_LABELS.items(), key=lambda item: item[1]),
        label="Thao tác",
        empty_label="Mọi thao tác",
    )
    date_from = django_filters.DateFilter(
        field_name="created_at",
        lookup_expr="date__gte",
        label="Từ ngày",
        input_formats=DATE_INPUT_FORMATS,
        widget=DATE_WIDGET,
    )
    date_to = django_filters.DateFilter(
        field_name="created_at",
        lookup_expr="date__lte",
        label="Đến ngày",
        input_formats=DATE_INPUT_FORMATS,
        widget=DATE_WIDGET,
    )

    class Meta:
        model = AuditEntry
        fields = ["action", "date_from", "date_to"]
