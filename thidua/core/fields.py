"""Form fields for numbers as Vietnamese officers type them: "95,5" as well as "95.5", "1.234.567"."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from thidua.lib.numbers import parse_number


def _parsed(value: Any) -> Decimal | None:
    if value in forms.Field.empty_values:
        return None
    number = parse_number(value if isinstance(value, (int, float, Decimal)) else str(value))
    if number is None:
        raise ValidationError(
            "«%(value)s» không phải là số (ví dụ: 95,5 hoặc 95.5)",
            code="invalid",
            params={"value": str(value).strip()[:40]},
        )
    return number


class LocalDecimalField(forms.DecimalField):
    """A decimal read by `parse_number`, typed in a text box (a number box refuses the decimal comma)."""

    widget = forms.TextInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        return _parsed(value)


class LocalFloatField(forms.FloatField):
    """A float read by `parse_number` (millimetres, font sizes), typed in a text box."""

    widget = forms.TextInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def to_python(self, value: Any) -> float | None:  # type: ignore[override]
        number = _parsed(value)
        return None if number is None else float(number)
