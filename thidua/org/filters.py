from __future__ import annotations

from typing import Any

import django_filters

from thidua.lib.text import fold
from thidua.org.models import Person, PersonQuerySet, Unit
from thidua.org.permissions import manageable_people, visible_units
from thidua.org.widgets import Picker


def _units_for_request(request: Any) -> Any:
    if request is None:
        return Unit.objects.none()
    return visible_units(request.user)


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
            field = form.fields["unit"]
            field.widget = Picker("unit", params={"ca_ngung": 1}, placeholder="Gõ tên đơn vị để lọc")
            field.widget.choices = field.choices
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
        return queryset.filter(current_unit__path__startswith=value.path)


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
