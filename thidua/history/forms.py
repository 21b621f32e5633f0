"""Forms of the history pages: the import upload, one past award with its scanned decision, and one
initiative, discipline, leave or pending proceeding of a person."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils.text import capfirst

from thidua.core.uploads import MAX_SCAN_BYTES, TABLE_IMPORT, UploadField
from thidua.core.versioning import VersionFormMixin
from thidua.history.importing import MAX_BYTES, SPECS
from thidua.history.models import Discipline, Initiative, Leave, PendingProceeding
from thidua.history.values import known_awards
from thidua.rules.names import award_name


class HistoryImportForm(forms.Form):
    kind = forms.ChoiceField(
        label="Loại dữ liệu",
        choices=[(s.kind, capfirst(s.label)) for s in SPECS.values()],
        widget=forms.RadioSelect,
        initial="awards",
    )
    # The kind is read from the content (thidua.core.uploads), never from the name.
    file = UploadField(label="Tệp .xlsx hoặc .csv", rule=TABLE_IMPORT)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"Tệp lớn quá {MAX_BYTES // (1024 * 1024)} MB: hãy chia thành nhiều tệp."
            )
        return upload


def award_choices(subject: str) -> list[tuple[str, str]]:
    """Titles and forms for a person ("individual") or a collective, by name."""
    found = [(a.id, award_name(a.id)) for a in known_awards().values() if subject in a.subjects]
    return sorted(found, key=lambda pair: pair[1])


class PastAwardForm(forms.Form):
    """One title or form received before, with its decision (and where the person worked then)."""

    award_id = forms.ChoiceField(label="Danh hiệu, hình thức khen thưởng")
    year = forms.IntegerField(
        label="Năm thành tích",
        required=False,
        min_value=1950,
        help_text="Bắt buộc với danh hiệu thi đua; hình thức khen thưởng: mặc định năm của ngày quyết định.",
    )
    decision_number = forms.CharField(label="Số quyết định", max_length=60, required=False)
    decided_on = forms.DateField(label="Ngày quyết định", widget=forms.DateInput(attrs={"type": "date"}))
    decided_by = forms.CharField(
        label="Cấp quyết định",
        max_length=255,
        required=False,
        help_text="Ví dụ Chủ tịch UBND tỉnh Đắk Lắk, Bộ trưởng Bộ Giáo dục và Đào tạo.",
    )
    received_at = forms.CharField(
        label="Nơi công tác khi được khen",
        max_length=255,
        required=False,
        help_text="Khi nhận ở cơ quan, đơn vị khác trước khi chuyển đến.",
    )
    prize_vnd = forms.IntegerField(label="Tiền thưởng (đồng)", required=False, min_value=0)
    scan = forms.FileField(
        label="Bản chụp quyết định (PDF, JPEG, PNG)",
        required=False,
        help_text=f"Tối đa {MAX_SCAN_BYTES // (1024 * 1024)} MB; loại tệp được kiểm tra theo nội dung.",
    )

    def __init__(self, *args: Any, subject: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["award_id"].choices = award_choices(subject)  # type: ignore[attr-defined]

    def clean_scan(self) -> Any:
        upload = self.cleaned_data.get("scan")
        if upload is not None and upload.size > MAX_SCAN_BYTES:  # before reading it
            raise forms.ValidationError(f"Tệp lớn quá {MAX_SCAN_BYTES // (1024 * 1024)} MB.")
        return upload


# --- one initiative, discipline, leave or pending proceeding of a person ---------------------------

# dd/mm/yyyy first (how people write dates here), then what the browser's date picker sends.
DAY_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]


class DayInput(forms.DateInput):
    """The browser's date picker, which shows only an ISO value: a typed dd/mm/yyyy sent back with an
    error on another field is shown again as that date, not lost."""

    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, str):
            for day_format in DAY_FORMATS:
                try:
                    return datetime.strptime(value.strip(), day_format).date().isoformat()
                except ValueError:
                    continue
            return value
        return super().format_value(value)


def day_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DAY_FORMATS,
        help_text=help_text or "Ngày/tháng/năm, ví dụ 05/01/2024.",
        widget=DayInput(),
        error_messages={"invalid": "Ngày không hợp lệ: ghi dạng dd/mm/yyyy", "required": "Cần nhập ngày"},
    )


def choice_field(label: str, choices: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        error_messages={
            "required": "Cần chọn một mục",
            "invalid_choice": "Lựa chọn không hợp lệ",
        },
    )


YEAR_ERRORS = {"required": "Cần nhập năm", "invalid": "Năm phải là một số, ví dụ 2024"}


class InitiativeForm(VersionFormMixin, forms.Form):
    kind = choice_field("Loại", Initiative.Kind.choices)
    code = forms.CharField(
        label="Mã sáng kiến",
        max_length=40,
        help_text="Số, ký hiệu công nhận; mỗi sáng kiến một mã, ví dụ SK-2024-015.",
        error_messages={"required": "Cần nhập mã sáng kiến", "max_length": "Mã dài quá 40 ký tự"},
    )
    title = forms.CharField(
        label="Tên sáng kiến, đề tài",
        max_length=255,
        error_messages={"required": "Cần nhập tên sáng kiến", "max_length": "Tên dài quá 255 ký tự"},
    )
    year = forms.IntegerField(label="Năm công nhận", error_messages=YEAR_ERRORS)
    scope = choice_field("Phạm vi ảnh hưởng (cấp công nhận)", Initiative.Scope.choices)
    used_for = forms.CharField(
        label="Đã dùng để khen",
        max_length=120,
        required=False,
        help_text=(
            "Để trống nếu sáng kiến chưa dùng làm căn cứ khen thưởng. Đã dùng: ghi mã danh hiệu, hình thức, "
            "có thể kèm năm, ví dụ chien_si_thi_dua_co_so:2024 (mỗi sáng kiến chỉ dùng một lần)."
        ),
        error_messages={"max_length": "Dài quá 120 ký tự"},
    )


class DisciplineForm(VersionFormMixin, forms.Form):
    form = choice_field("Hình thức kỷ luật", Discipline.Form.choices)
    decision_number = forms.CharField(
        label="Số quyết định",
        max_length=60,
        required=False,
        error_messages={"max_length": "Số quyết định dài quá 60 ký tự"},
    )
    decided_on = day_field("Ngày quyết định")
    until = day_field(
        "Hết hiệu lực (ngày)",
        required=False,
        help_text="Ngày/tháng/năm; để trống nếu chưa xác định. Ví dụ 05/01/2025.",
    )


class LeaveForm(VersionFormMixin, forms.Form):
    reason = choice_field("Lý do nghỉ", Leave.Reason.choices)
    started_on = day_field("Từ ngày")
    ended_on = day_field("Đến ngày")


class ProceedingForm(VersionFormMixin, forms.Form):
    kind = choice_field("Loại việc", PendingProceeding.Kind.choices)
    since = day_field("Từ ngày")
    until = day_field(
        "Kết thúc (ngày)",
        required=False,
        help_text="Ngày có kết luận; để trống khi việc còn đang xem xét. Ngày/tháng/năm, ví dụ 05/01/2025.",
    )


class DeleteRecordForm(VersionFormMixin, forms.Form):
    reason = forms.CharField(
        label="Lý do xoá",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Ghi vào nhật ký thao tác, ví dụ: nhập nhầm người, trùng với bản ghi khác.",
        error_messages={"required": "Cần ghi lý do xoá", "max_length": "Lý do dài quá 500 ký tự"},
    )
