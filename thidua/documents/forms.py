from __future__ import annotations

from typing import Any

from django import forms

from thidua.core.fields import LocalFloatField
from thidua.core.uploads import DOCX_TEMPLATE, UploadField
from thidua.documents.models import DocumentKind
from thidua.documents.pdf_render import CertificateLayout, FieldBox
from thidua.org.models import Unit
from thidua.org.widgets import UnitField


class TemplateUploadForm(forms.Form):
    unit = UnitField(Unit.objects.none(), label="Cơ quan, đơn vị", params={"quan_ly": 1})
    kind = forms.ChoiceField(label="Loại văn bản", choices=DocumentKind.choices)
    file = UploadField(label="Tệp mẫu (.docx)", rule=DOCX_TEMPLATE)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".docx"):
            raise forms.ValidationError("Chỉ nhận tệp Word .docx")
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError("Tệp mẫu không được lớn hơn 10 MB")
        return upload


ALIGN_CHOICES = [("left", "trái"), ("center", "giữa"), ("right", "phải")]


class LayoutForm(forms.Form):
    """The field positions of a certificate layout, in millimetres, one row of inputs per field."""

    offset_x_mm = LocalFloatField(label="Dịch toàn trang sang phải (mm)", initial=0)
    offset_y_mm = LocalFloatField(label="Dịch toàn trang xuống dưới (mm)", initial=0)

    def __init__(self, *args: Any, layout: CertificateLayout, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.layout = layout
        self.initial.setdefault("offset_x_mm", layout.offset_x_mm)
        self.initial.setdefault("offset_y_mm", layout.offset_y_mm)
        for name, box in layout.fields.items():
            self.fields[f"{name}__x_mm"] = LocalFloatField(label="x (mm)", initial=box.x_mm)
            self.fields[f"{name}__y_mm"] = LocalFloatField(label="y (mm)", initial=box.y_mm)
            self.fields[f"{name}__font_size"] = LocalFloatField(
                label="cỡ chữ", initial=box.font_size, min_value=4
            )
            self.fields[f"{name}__max_width_mm"] = LocalFloatField(
                label="rộng tối đa (mm)", initial=box.max_width_mm, min_value=1
            )
            self.fields[f"{name}__align"] = forms.ChoiceField(
                label="căn lề", choices=ALIGN_CHOICES, initial=box.align
            )

    def rows(self) -> list[tuple[str, list[Any]]]:
        return [
            (name, [self[f"{name}__{p}"] for p in ("x_mm", "y_mm", "font_size", "max_width_mm", "align")])
            for name in self.layout.fields
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        short, long = self.layout.page_mm()
        width, height = (long, short) if self.layout.orientation == "landscape" else (short, long)
        for name in self.layout.fields:
            for part, limit in (("x_mm", width), ("y_mm", height)):
                value = data.get(f"{name}__{part}")
                if value is not None and not 0 <= value <= limit:
                    self.add_error(
                        f"{name}__{part}",
                        f"Trường “{name}”: {part[0]} = {value:g} mm nằm ngoài trang ({limit:g} mm)",
                    )
        return data

    def to_layout(self) -> CertificateLayout:
        data = self.layout.to_dict()
        data["offset_x_mm"] = self.cleaned_data["offset_x_mm"]
        data["offset_y_mm"] = self.cleaned_data["offset_y_mm"]
        for name in self.layout.fields:
            for part in ("x_mm", "y_mm", "font_size", "max_width_mm", "align"):
                data["fields"][name][part] = self.cleaned_data[f"{name}__{part}"]
        try:
            return CertificateLayout.from_dict(data)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error


__all__ = ["FieldBox", "LayoutForm", "TemplateUploadForm"]
