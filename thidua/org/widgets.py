"""The picker as form fields and widgets: a search box (htmx) over `thidua.org.pickers`, one hidden input
per chosen value. The page never lists the candidates: only the chosen ones are rendered, and the field
validates the submitted ids against its queryset (the same pool the search offers)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.urls import reverse

from thidua.org.models import Person, Unit
from thidua.org.pickers import Item, person_items, unit_items


class Picker(forms.Widget):
    """A search-as-you-type picker. `kind` is "person" or "unit"; `params` go to the search URL
    (trong = within a unit's subtree, quan_ly = managed only, nam = existing in a year, ...)."""

    template_name = "org/widgets/picker.html"
    multiple = False

    def __init__(
        self, kind: str, *, params: dict[str, Any] | None = None, placeholder: str = "", attrs: Any = None
    ) -> None:
        super().__init__(attrs)
        self.kind = kind
        self.params = {k: v for k, v in (params or {}).items() if v not in (None, "", False)}
        self.placeholder = placeholder or (
            "Gõ họ tên, không dấu cũng được" if kind == "person" else "Gõ tên hoặc mã đơn vị"
        )
        self.choices: Any = None

    def _items(self, values: Sequence[str]) -> list[Item]:
        ids = [int(v) for v in values if str(v).isdigit()]
        if not ids:
            return []
        queryset: Any = getattr(self.choices, "queryset", None)
        if self.kind == "person":
            people = (queryset if queryset is not None else Person.objects.all()).filter(pk__in=ids)
            by_pk = {p.pk: p for p in people.select_related("current_unit")}
            return person_items([by_pk[i] for i in ids if i in by_pk])
        units = (queryset if queryset is not None else Unit.objects.all()).filter(pk__in=ids)
        by_pk_u = {u.pk: u for u in units}
        return unit_items([by_pk_u[i] for i in ids if i in by_pk_u])

    def format_value(self, value: Any) -> list[str]:  # type: ignore[override]
        if value is None or value == "":
            return []
        if isinstance(value, list | tuple):
            return [str(getattr(v, "pk", v)) for v in value]
        return [str(getattr(value, "pk", value))]

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        url = reverse("org:pick_person" if self.kind == "person" else "org:pick_unit")
        params = dict(self.params)
        if self.multiple:
            params["nhieu"] = 1
        context["picker"] = {
            "url": f"{url}?{urlencode(params)}" if params else url,
            "items": self._items(context["widget"]["value"]),
            "multiple": self.multiple,
            "placeholder": self.placeholder,
            "kind": self.kind,
        }
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if self.multiple:
            return data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        return data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False if self.multiple else name not in data


class MultiPicker(Picker):
    multiple = True


class PersonField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A person chosen by search; `queryset` is who may be chosen (validate against the picker's pool)."""

    def __init__(self, queryset: Any, *, params: dict[str, Any] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("widget", Picker("person", params=params))
        super().__init__(queryset, **kwargs)
        self.error_messages["invalid_choice"] = "Người được chọn không có trong phạm vi được phép"


class UnitField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def __init__(self, queryset: Any, *, params: dict[str, Any] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("widget", Picker("unit", params=params))
        super().__init__(queryset, **kwargs)
        self.error_messages["invalid_choice"] = "Đơn vị được chọn không có trong phạm vi được phép"


class PeopleField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def __init__(self, queryset: Any, *, params: dict[str, Any] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultiPicker("person", params=params))
        super().__init__(queryset, **kwargs)
        self.error_messages["invalid_choice"] = "Có người được chọn không nằm trong phạm vi được phép"
        self.error_messages["invalid_pk_value"] = "Giá trị không hợp lệ"


class UnitsField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Units chosen by search; with `ordered`, the cleaned value is a list in the order they were
    chosen (a ranking: first chosen = first)."""

    def __init__(
        self, queryset: Any, *, params: dict[str, Any] | None = None, ordered: bool = False, **kwargs: Any
    ) -> None:
        kwargs.setdefault("widget", MultiPicker("unit", params=params))
        super().__init__(queryset, **kwargs)
        self.ordered = ordered
        self.error_messages["invalid_choice"] = "Có đơn vị được chọn không nằm trong phạm vi được phép"
        self.error_messages["invalid_pk_value"] = "Giá trị không hợp lệ"

    def clean(self, value: Any) -> Any:
        chosen = super().clean(value)
        if not self.ordered or not value:
            return chosen
        by_pk = {str(u.pk): u for u in chosen}
        return [by_pk[str(v)] for v in dict.fromkeys(value) if str(v) in by_pk]
