from __future__ import annotations

from typing import Any

import django_filters

from thidua.lib.text import fold
from thidua.org.models import Person, PersonQuerySet, Unit
from thidua.org.permissions import manageable_people, visible_units

INDENT = "\u2003"  # an em space per level in the unit choice list


def _units_for_request(request: Any) -> Any:
    if request is None:
        return Unit.objects.none()
    return visible_units(request.user).filter(valid_to__isnull=True).order_by("path")


class PersonFilter(django_filters.FilterSet):
    """Shared by the people page, its exports and the API list."""

    q = django_filters.CharFilter(method="filter_q", label="Tìm theo tên hoặc số CCCD")
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
        """The filter form, its unit choices indented by depth and read once (rendering runs no query)."""
        if not hasattr(self, "_form"):
            form = super().form
            field = form.fields["unit"]
            units = list(field.queryset)
            top = min((u.depth for u in units), default=0)
            # The widget renders this list; validation still goes through the field's queryset.
            field.widget.choices = [("", field.empty_label)] + [
                (u.pk, INDENT * (u.depth - top) + u.name) for u in units
            ]
            form.fields["q"].widget.attrs.update(
                {
                    "type": "search",
                    "placeholder": "Gõ tên, có dấu hoặc không dấu, hoặc số CCCD",
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
