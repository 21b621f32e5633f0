from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from thidua.lib.text import fold
from thidua.movements.models import Movement, Registration, Result
from thidua.org.filters import indent_unit_choices, subtree_filter


class MovementFilter(django_filters.FilterSet):
    """Shared by the movements page and the API list: level, year, status, kind, text."""

    q = django_filters.CharFilter(
        method="filter_q",
        label="Tìm theo tên",
        widget=forms.TextInput(attrs={"placeholder": "Tìm theo tên phong trào"}),
    )
    authority = django_filters.ChoiceFilter(
        choices=Movement.Authority.choices, label="Cấp phát động", empty_label="Mọi cấp"
    )
    year = django_filters.NumberFilter(
        method="filter_year",
        label="Năm",
        widget=forms.NumberInput(attrs={"placeholder": "Năm", "class": "w-6rem"}),
    )
    status = django_filters.ChoiceFilter(
        choices=Movement.Status.choices, label="Trạng thái", empty_label="Mọi trạng thái"
    )
    kind = django_filters.ChoiceFilter(
        choices=Movement.Kind.choices, label="Hình thức", empty_label="Mọi hình thức"
    )
    unit = subtree_filter("launching_unit__path", "Đơn vị phát động (kể cả trực thuộc)")

    class Meta:
        model = Movement
        fields = ["q", "authority", "year", "status", "kind", "parent", "launching_unit", "unit"]

    @property
    def form(self) -> Any:
        if not hasattr(self, "_form"):
            indent_unit_choices(super().form, "unit")
        return self._form

    def filter_q(self, queryset: QuerySet[Movement], name: str, value: str) -> QuerySet[Movement]:
        needle = value.strip()
        if not needle:
            return queryset
        # Titles are few per page: fold in Python would cost a scan; icontains covers exact diacritics,
        # and the folded match catches "nong thon moi".
        ids = [pk for pk, title in queryset.values_list("pk", "title") if fold(needle) in fold(title)]
        return queryset.filter(Q(title__icontains=needle) | Q(pk__in=ids))

    def filter_year(self, queryset: QuerySet[Movement], name: str, value: Any) -> QuerySet[Movement]:
        return queryset.running_in(int(value)) if hasattr(queryset, "running_in") else queryset


class RegistrationFilter(django_filters.FilterSet):
    """Shared by the consolidated registration list, its .xlsx export and the API."""

    class Meta:
        model = Registration
        fields = ["movement", "year", "unit", "status"]


class ResultFilter(django_filters.FilterSet):
    class Meta:
        model = Result
        fields = ["movement", "year", "period", "unit", "status"]


class RegistrationPageFilter(django_filters.FilterSet):
    """The registration page of a movement's year: status and unit (with its subtree)."""

    status = django_filters.ChoiceFilter(
        choices=Registration.Status.choices, label="Trạng thái", empty_label="Mọi trạng thái"
    )
    unit = subtree_filter()

    class Meta:
        model = Registration
        fields = ["status", "unit"]

    @property
    def form(self) -> Any:
        if not hasattr(self, "_form"):
            indent_unit_choices(super().form, "unit")
        return self._form


class ResultPageFilter(django_filters.FilterSet):
    """The results page of a movement's period: status and unit (with its subtree)."""

    status = django_filters.ChoiceFilter(
        choices=Result.Status.choices, label="Trạng thái", empty_label="Mọi trạng thái"
    )
    unit = subtree_filter()

    class Meta:
        model = Result
        fields = ["status", "unit"]

    @property
    def form(self) -> Any:
        if not hasattr(self, "_form"):
            indent_unit_choices(super().form, "unit")
        return self._form
