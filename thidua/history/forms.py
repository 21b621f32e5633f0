"""Forms of the history pages: the import upload and one past award with its scanned decision."""

from __future__ import annotations

from typing import Any

from django import forms

from thidua.core.uploads import TABLE_IMPORT, UploadField
from thidua.history.importing import MAX_BYTES, SPECS
from thidua.history.services import MAX_SCAN_BYTES
from thidua.history.values import known_awards
from thidua.rules.names import award_name


class HistoryImportForm(forms.Form):
    kind = forms.ChoiceField(
        label="Loại dữ liệu",
        choices=[(s.kind, s.label[:1].upper() + s.label[1:]) for s in SPECS.values()],
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
