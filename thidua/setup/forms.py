"""The first-run form, the rule options form (fields built from the ruleset in force), the unit kind
labels and the organisation's own details."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from thidua.core.fields import LocalDecimalField
from thidua.core.versioning import VersionFormMixin
from thidua.eligibility.services import setting_text
from thidua.org.kinds import sectors
from thidua.rules import Ruleset
from thidua.rules.names import award_name
from thidua.setup.options import CONFIDENCE_LABELS
from thidua.setup.services import default_options

# Titles an organisation commonly caps as a share of its people (awards.AwardSettings.quotas).
QUOTA_AWARDS = ("lao_dong_tien_tien", "chien_si_thi_dua_co_so", "giay_khen")
OPTION_PREFIX = "opt_"
WINDOW_SUFFIX = "_window_years"
QUOTA_PREFIX = "quota_"


class RuleOptionsMixin(forms.Form):
    """One field per setting of the ruleset (`opt_<id>`), starting from the organisation's values or
    the defaults, labelled with the setting's description and its confidence mark."""

    def add_option_fields(self, ruleset: Ruleset, current: dict[str, Any] | None = None) -> None:
        self.ruleset = ruleset
        values = {**default_options(ruleset), **(current or {})}
        for key, spec in ruleset.settings_spec.items():
            label = spec.description_vi
            name = OPTION_PREFIX + key
            field: forms.Field
            if spec.type == "bool":
                field = forms.BooleanField(label=label, required=False, initial=bool(values.get(key)))
            elif spec.choices:
                field = forms.TypedChoiceField(
                    label=label,
                    choices=[(str(c), spec.choice_label(c)) for c in spec.choices],
                    initial=str(values.get(key)),
                    coerce=lambda text, choices=spec.choices: next(c for c in choices if str(c) == text),
                )
            elif spec.type == "int" and key.endswith(WINDOW_SUFFIX):
                # "Within N years" windows the law does not state (issue 10): 0 or blank = no window.
                field = forms.IntegerField(
                    label=label,
                    initial=values.get(key) or 0,
                    required=False,
                    min_value=0,
                    max_value=50,
                    help_text="Số năm, tính cả năm xét; 0 (hoặc để trống) = không giới hạn.",
                )
            elif spec.type == "int":
                field = forms.IntegerField(label=label, initial=values.get(key), min_value=0, max_value=100)
            else:
                field = forms.CharField(label=label, initial=values.get(key), max_length=200)
            field.widget.attrs["data-confidence"] = spec.confidence
            self.fields[name] = field

    def option_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(OPTION_PREFIX)]

    def option_rows(self) -> list[tuple[forms.BoundField, str, str, str]]:
        """(field, confidence, its label, the default as words) for the template's badge: every
        UNCONFIRMED reading shows "Chưa xác nhận" and its default (off, no window)."""
        defaults = default_options(self.ruleset)
        return [
            (
                self[OPTION_PREFIX + key],
                spec.confidence,
                CONFIDENCE_LABELS.get(spec.confidence, ""),
                setting_text(spec, defaults[key]),
            )
            for key, spec in self.ruleset.settings_spec.items()
        ]

    def chosen_options(self) -> dict[str, Any]:
        chosen = {
            name[len(OPTION_PREFIX) :]: value
            for name, value in self.cleaned_data.items()
            if name.startswith(OPTION_PREFIX)
        }
        return {k: (0 if v is None and k.endswith(WINDOW_SUFFIX) else v) for k, v in chosen.items()}


class RuleOptionsForm(RuleOptionsMixin):
    def __init__(self, *args: Any, ruleset: Ruleset, current: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_option_fields(ruleset, current)


class SetupForm(RuleOptionsMixin):
    """Everything the first day asks: the organisation, its first administrator, its options."""

    name = forms.CharField(label="Tên cơ quan, đơn vị", max_length=255)
    short_name = forms.CharField(label="Tên viết tắt", max_length=60, required=False)
    symbol = forms.CharField(
        label="Ký hiệu trên văn bản",
        max_length=30,
        help_text="Chữ viết tắt trong số văn bản, ví dụ SGDĐT trong 07/QĐ-SGDĐT.",
    )
    place = forms.CharField(
        label="Địa danh",
        max_length=100,
        help_text="Ghi trước ngày tháng trên văn bản, ví dụ Đắk Lắk, ngày 05 tháng 01 năm 2026.",
        widget=forms.TextInput(attrs={"list": "places"}),
    )
    parent_body = forms.CharField(
        label="Cơ quan chủ quản",
        max_length=255,
        required=False,
        help_text="In phía trên tên cơ quan ở đầu văn bản, ví dụ Ủy ban nhân dân tỉnh Đắk Lắk.",
    )
    sector = forms.ChoiceField(label="Lĩnh vực", widget=forms.RadioSelect, choices=[])
    code = forms.CharField(
        label="Mã đơn vị gốc",
        max_length=40,
        required=False,
        help_text="Dùng trong tệp nhập đơn vị, nhân sự (cột Mã đơn vị cấp trên); để trống: dùng ký hiệu.",
    )
    username = forms.CharField(label="Tên đăng nhập của quản trị hệ thống", max_length=150)
    full_name = forms.CharField(label="Họ và tên", max_length=150, required=False)
    email = forms.EmailField(label="Thư điện tử", required=False)
    password1 = forms.CharField(label="Mật khẩu", widget=forms.PasswordInput(render_value=False))
    password2 = forms.CharField(label="Nhập lại mật khẩu", widget=forms.PasswordInput(render_value=False))
    htxs_cap_enabled = forms.BooleanField(
        label="Kiểm tra giới hạn tỷ lệ Hoàn thành xuất sắc nhiệm vụ (NĐ 233/2026 Đ12 k6)",
        required=False,
        initial=True,
    )
    htxs_cap_pct = forms.IntegerField(
        label="Giới hạn HTXS (% số HTT)", initial=20, min_value=0, max_value=100
    )
    htxs_cap_pct_excellent_unit = forms.IntegerField(
        label="Giới hạn HTXS khi đơn vị được xếp loại HTXS (%)", initial=25, min_value=0, max_value=100
    )

    def __init__(self, *args: Any, ruleset: Ruleset, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [  # type: ignore[attr-defined]
            (s.id, f"{s.name} — {s.description}") for s in sectors().values()
        ]
        for award_id in QUOTA_AWARDS:
            if award_id in ruleset.items:
                self.fields[QUOTA_PREFIX + award_id] = LocalDecimalField(
                    label=f"Tỷ lệ tối đa {award_name(award_id)} (% số người của đơn vị)",
                    required=False,
                    min_value=Decimal(0),
                    max_value=Decimal(100),
                    decimal_places=2,
                    help_text="Ví dụ 15 hoặc 15,5. Để trống: không giới hạn (pháp luật không đặt tỷ lệ).",
                )
        self.add_option_fields(ruleset)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", "Hai lần nhập mật khẩu không khớp.")
        return data

    def quota_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(QUOTA_PREFIX)]

    def quotas(self) -> dict[str, Decimal]:
        return {
            name[len(QUOTA_PREFIX) :]: value
            for name, value in self.cleaned_data.items()
            if name.startswith(QUOTA_PREFIX) and value is not None
        }


class KindLabelsForm(forms.Form):
    """One field per kind of the organisation's sector: its own name, blank for the sector's."""

    def __init__(
        self, *args: Any, kinds: list[tuple[str, str]], current: dict[str, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for code, label in kinds:
            self.fields[code] = forms.CharField(
                label=label,
                required=False,
                max_length=80,
                initial=current.get(code, ""),
                widget=forms.TextInput(attrs={"placeholder": label}),
            )


class OrganisationForm(VersionFormMixin):
    """The organisation's own details, changed later (the Thông tin tổ chức page); each help text says
    where the value appears, with the organisation's current values as the example."""

    name = forms.CharField(
        label="Tên cơ quan, đơn vị",
        max_length=255,
        error_messages={"required": "Cần tên cơ quan, đơn vị"},
    )
    short_name = forms.CharField(label="Tên viết tắt", max_length=60, required=False)
    symbol = forms.CharField(
        label="Ký hiệu trên văn bản",
        max_length=30,
        error_messages={"required": "Cần ký hiệu trên văn bản (ví dụ SGDĐT trong 07/QĐ-SGDĐT)"},
    )
    place = forms.CharField(
        label="Địa danh",
        max_length=100,
        widget=forms.TextInput(attrs={"list": "places"}),
        error_messages={"required": "Cần địa danh ghi trước ngày tháng trên văn bản (ví dụ Đắk Lắk)"},
    )
    parent_body = forms.CharField(label="Cơ quan chủ quản", max_length=255, required=False)

    def __init__(self, *args: Any, symbol: str, place: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        example_symbol = symbol or "SGDĐT"
        example_place = place or "Đắk Lắk"
        self.fields["name"].help_text = (
            "In đầu văn bản (chữ in hoa, dưới cơ quan chủ quản), trên trang đăng nhập và đầu các trang. "
            "Sửa cách viết ở đây; đổi tên theo quyết định tổ chức lại: Đổi tên ở trang đơn vị (giữ tên cũ)."
        )
        self.fields["short_name"].help_text = "Hiện trên đầu các trang khi tên đầy đủ quá dài."
        self.fields["symbol"].help_text = (
            f"Dùng trong số văn bản của cơ quan: 12/QĐ-{example_symbol} (quyết định), "
            f"05/TTr-{example_symbol} (tờ trình); các đơn vị không có ký hiệu riêng cũng dùng ký hiệu này."
        )
        self.fields["place"].help_text = (
            f"Ghi trước ngày tháng trên văn bản: {example_place}, ngày 08 tháng 01 năm 2026; "
            "các đơn vị trực thuộc không có địa danh riêng cũng dùng địa danh này."
        )
        self.fields["parent_body"].help_text = (
            "In phía trên tên cơ quan ở đầu văn bản, ví dụ Ủy ban nhân dân tỉnh Đắk Lắk; "
            "để trống nếu cơ quan không có cơ quan chủ quản."
        )
