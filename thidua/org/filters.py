from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q

from thidua.audit.filters import AuditEntryFilter
from thidua.lib.text import fold
from thidua.org.models import Person, PersonQuerySet, Unit
from thidua.org.permissions import AUDIT_ROLES, is_system_admin, manageable_people, scope_paths, visible_units
from thidua.org.widgets import Picker


def _units_for_request(request: Any) -> Any:
    if request is None:
        return Unit.objects.none()
    return visible_units(request.user).filter(valid_to__isnull=True).order_by("path")


class PersonFilter(django_filters.FilterSet):
    """Shared by the people page, its exports and the API list."""

    q = django_filters.CharFilter(
        method="filter_q", label="Tìm theo tên (hoặc số CCCD nếu bạn quản lý nhân sự)"
    )
    unit = django_filters.ModelChoiceFilter(
        queryset=_units_for_request,
        method="filter_unit",
        label="Đơn vị (kể cả đơn vị trực thuộc)",
        empty_label="Tất cả đơn vị",
    )
    gender = django_filters.ChoiceFilter(
        choices=Person.Gender.choices, label="Giới tính", empty_label="Nam và nữ"
    )

    class Meta:
        model = Person
        fields = ["q", "unit", "gender"]

    @property
    def form(self) -> Any:
        """The filter form; the unit is chosen with the search-as-you-type picker (no list of units)."""
        if not hasattr(self, "_form"):
            form = super().form
            indent_unit_choices(form, "unit", placeholder="Gõ tên đơn vị để lọc")
            form.fields["q"].widget.attrs.update(
                {
                    "type": "search",
                    "placeholder": "Gõ tên, có dấu hoặc không dấu",
                    "autocomplete": "off",
                }
            )
        return self._form

    def filter_q(self, queryset: PersonQuerySet, name: str, value: str) -> PersonQuerySet:
        """Names for everyone; citizen ids only among the people the user manages (who may not see a
        number must not be able to find it digit by digit)."""
        user = getattr(self.request, "user", None)
        if fold(value).replace(" ", "").isdigit():
            return queryset.search(value).filter(pk__in=manageable_people(user).values("pk"))
        return queryset.search_names(value)

    def filter_unit(self, queryset: PersonQuerySet, name: str, value: Unit) -> PersonQuerySet:
        return queryset.in_subtree(value)


def _all_units_for_request(request: Any) -> Any:
    if request is None:
        return Unit.objects.none()
    return visible_units(request.user)


class UnitFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Tìm đơn vị")
    # Limited to the caller's scope, so that a unit id of another province cannot even be probed.
    parent = django_filters.ModelChoiceFilter(queryset=_all_units_for_request, label="Đơn vị cấp trên")
    active = django_filters.BooleanFilter(field_name="valid_to", lookup_expr="isnull", label="Đang hoạt động")

    class Meta:
        model = Unit
        fields = ["q", "kind", "parent", "active"]

    def filter_q(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.search(value)


def indent_unit_choices(form: Any, name: str, *, placeholder: str = "Gõ tên đơn vị để lọc") -> None:
    """A unit filter chosen with the search-as-you-type picker (`thidua.org.widgets`): the page sends
    no list of units; the submitted id is still checked against the field's queryset. (The name is
    kept from when this indented a <select> of every unit.)"""
    field = form.fields[name]
    field.widget = Picker("unit", placeholder=placeholder)
    field.widget.choices = field.choices


def _audit_units_for_request(request: Any) -> Any:
    """The units whose audit entries the user may read (the unit choice of the audit log)."""
    if request is None:
        return Unit.objects.none()
    units = _units_for_request(request)
    if is_system_admin(request.user):
        return units
    paths = scope_paths(request.user, AUDIT_ROLES)
    return units.in_subtrees(paths) if paths else Unit.objects.none()


def subtree_filter(
    path_field: str = "unit__path", label: str = "Đơn vị (kể cả đơn vị trực thuộc)", queryset: Any = None
) -> Any:
    """A unit filter that keeps the rows of the chosen unit and of every unit below it.

    `path_field` is the unit path to compare (`unit__path`, `current_unit__path`, or a plain path
    column such as the audit log's `unit_path`)."""

    def method(queryset: Any, name: str, value: Unit | None) -> Any:
        return queryset.filter(**{f"{path_field}__startswith": value.path}) if value is not None else queryset

    return django_filters.ModelChoiceFilter(
        queryset=queryset or _units_for_request, method=method, label=label, empty_label="Tất cả đơn vị"
    )


class AuditFilter(AuditEntryFilter):
    """The audit log page and its export: action and dates, plus who acted, about which person, and the
    unit (with its subtree) the entry belongs to."""

    actor = django_filters.CharFilter(method="filter_actor", label="Người thực hiện")
    person = django_filters.CharFilter(method="filter_person", label="Về nhân sự (tên)")
    unit = subtree_filter("unit_path", "Đơn vị (kể cả trực thuộc)", _audit_units_for_request)

    class Meta(AuditEntryFilter.Meta):
        fields = ["action", "date_from", "date_to", "actor", "person", "unit"]

    @property
    def form(self) -> Any:
        if not hasattr(self, "_form"):
            indent_unit_choices(super().form, "unit")
        return self._form

    def filter_actor(self, queryset: Any, name: str, value: str) -> Any:
        needle = value.strip()
        if not needle:
            return queryset
        return queryset.filter(Q(actor_name__icontains=needle) | Q(actor__username__iexact=needle))

    def filter_person(self, queryset: Any, name: str, value: str) -> Any:
        needle = value.strip()
        if not needle:
            return queryset
        return queryset.filter(object_type="org.person", object_repr__icontains=needle)
