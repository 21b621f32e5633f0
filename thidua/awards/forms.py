"""Forms of the year-end pages: they validate input; services decide."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from thidua.awards.models import AwardSettings, CouncilMember
from thidua.awards.voting import DEFAULT_COUNCIL_RULE, SHARE_CHOICES
from thidua.core.fields import LocalDecimalField
from thidua.core.uploads import XLSX_IMPORT, UploadField
from thidua.documents.official import SIGNING_FORMS
from thidua.history.models import RevocationClause
from thidua.lib.numbers import format_number
from thidua.org.models import Unit
from thidua.org.widgets import PeopleField, PersonField, UnitField


class RatingImportForm(forms.Form):
    file = UploadField(label="Tệp .xlsx (cột Số CCCD, Họ và tên, Mức xếp loại)", rule=XLSX_IMPORT)


class RemoveCandidateForm(forms.Form):
    reason = forms.CharField(label="Lý do loại", widget=forms.Textarea(attrs={"rows": 2}))


class AddCandidateForm(forms.Form):
    """A candidate added by hand: a person or a collective of the unit, chosen with the picker."""

    award_id = forms.ChoiceField(label="Danh hiệu / hình thức")
    justification = forms.CharField(label="Giải trình", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(
        self, *args: Any, awards: list[tuple[str, str]], people: Any, units: Any, unit: Unit, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["award_id"].choices = awards  # type: ignore[attr-defined]
        within = {"trong": unit.pk}
        self.fields["person"] = PersonField(people, params=within, label="Cá nhân", required=False)
        self.fields["collective"] = UnitField(units, params=within, label="Tập thể", required=False)
        self.order_fields(["award_id", "person", "collective", "justification"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("person")) == bool(data.get("collective")):
            raise forms.ValidationError("Chọn một cá nhân hoặc một tập thể")
        return data


class MeetingForm(forms.Form):
    year = forms.IntegerField(label="Năm xét", min_value=2000, max_value=2100)
    held_on = forms.DateField(label="Ngày họp", widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label="Địa điểm", required=False)
    present = forms.TypedMultipleChoiceField(
        label="Thành viên có mặt", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, members: list[CouncilMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [  # type: ignore[attr-defined]
            (m.pk, f"{m.person.full_name} — {m.get_role_display()}") for m in members
        ]


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReturnDossierForm(VersionForm):
    reason = forms.CharField(
        label="Lý do trả lại, nội dung cần bổ sung", widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionForm(VersionForm):
    signed_on = forms.DateField(label="Ngày ký", widget=forms.DateInput(attrs={"type": "date"}))
    signer_name = forms.CharField(label="Người ký")
    signer_title = forms.CharField(label="Chức vụ người ký")
    signing_form = forms.ChoiceField(
        label="Hình thức ký",
        choices=list(SIGNING_FORMS.items()),
        required=False,
        help_text="Cấp phó ký (Phó Giám đốc) là KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC.",
    )
    recipients = forms.CharField(
        label="Nơi nhận (mỗi dòng một nơi)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class RevokeForm(forms.Form):
    clause = forms.ChoiceField(
        label="Căn cứ (Luật Thi đua, khen thưởng Đ93 k2)", choices=RevocationClause.choices
    )
    revoked_on = forms.DateField(label="Ngày hủy bỏ", widget=forms.DateInput(attrs={"type": "date"}))
    decision_number = forms.CharField(label="Số quyết định hủy bỏ")
    note = forms.CharField(label="Ghi chú", required=False)


QUOTA_PREFIX = "quota_"


class AwardSettingsForm(forms.ModelForm[AwardSettings]):
    """The year-end settings, and one quota field per title or form (`awards`: (id, name) pairs): the
    largest share of the people of the unit that may receive it, in %, typed "15" or "15,5"; blank
    for no quota."""

    class Meta:
        model = AwardSettings
        fields = [
            "htxs_cap_enabled",
            "htxs_cap_pct",
            "htxs_cap_pct_excellent_unit",
            "council_quorum",
        ]

    def __init__(self, *args: Any, awards: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = self.instance.quotas if isinstance(self.instance.quotas, dict) else {}
        for award_id, name in awards:
            field = LocalDecimalField(
                label=name,
                required=False,
                min_value=Decimal(0),
                max_value=Decimal(100),
                decimal_places=2,
                initial=format_number(current.get(award_id), None),
            )
            field.widget.attrs.update({"size": 6, "placeholder": "không giới hạn"})
            self.fields[QUOTA_PREFIX + award_id] = field

    def quota_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(QUOTA_PREFIX)]

    def settings_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.Meta.fields]

    def quotas(self) -> dict[str, Decimal]:
        """{award_id: percent} of the quota fields filled in (a blank one: no quota)."""
        return {
            name[len(QUOTA_PREFIX) :]: value
            for name, value in self.cleaned_data.items()
            if name.startswith(QUOTA_PREFIX) and value is not None
        }


class CouncilForm(forms.Form):
    """A council and its members: one chair, one secretary, vice chairs and members among the people
    of the unit, each chosen with the search-as-you-type picker (the page never lists the unit's
    people). Each member votes through the login linked to their staff record, whatever its roles."""

    name = forms.CharField(label="Tên hội đồng", max_length=255)
    term_from = forms.DateField(label="Nhiệm kỳ từ", widget=forms.DateInput(attrs={"type": "date"}))
    term_to = forms.DateField(
        label="Nhiệm kỳ đến", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    vote_rule = forms.ChoiceField(
        label="Tỷ lệ đồng ý theo quy chế Hội đồng (khi pháp luật không quy định ngưỡng)",
        choices=SHARE_CHOICES,
        initial=DEFAULT_COUNCIL_RULE,
        help_text="Mặc định: quá 1/2 tổng số thành viên. Ngưỡng do pháp luật quy định (nếu có) luôn được áp dụng trước.",
    )

    def __init__(self, *args: Any, people: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        within = {"trong": unit.pk}
        self.fields["chair"] = PersonField(people, params=within, label="Chủ tịch")
        self.fields["secretary"] = PersonField(people, params=within, label="Thư ký")
        self.fields["vice_chairs"] = PeopleField(people, params=within, label="Phó Chủ tịch", required=False)
        self.fields["members"] = PeopleField(people, params=within, label="Ủy viên", required=False)
        self.order_fields(
            ["name", "term_from", "term_to", "chair", "secretary", "vice_chairs", "members", "vote_rule"]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = [
            data.get("chair"),
            data.get("secretary"),
            *data.get("vice_chairs", []),
            *data.get("members", []),
        ]
        if len(chosen) != len(set(chosen)):
            raise forms.ValidationError("Một người chỉ giữ một vị trí trong hội đồng")
        start, end = data.get("term_from"), data.get("term_to")
        if start and end and end < start:
            self.add_error(
                "term_to", f"Nhiệm kỳ kết thúc ({end:%d/%m/%Y}) trước khi bắt đầu ({start:%d/%m/%Y})"
            )
        return data


class OpenBallotForm(forms.Form):
    """Candidates put to a ballot, on screen or on paper; a reason when some were balloted before."""

    candidates = forms.TypedMultipleChoiceField(label="Đề nghị đưa ra bỏ phiếu", coerce=int)
    mode = forms.ChoiceField(
        label="Hình thức",
        choices=[
            ("electronic", "Bỏ phiếu trên hệ thống"),
            ("paper", "Bỏ phiếu giấy (Ban kiểm phiếu ghi kết quả)"),
        ],
        initial="electronic",
        required=False,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Lý do bỏ phiếu lại (bắt buộc nếu có người, tập thể đã có kết quả bỏ phiếu)",
        required=False,
        max_length=1000,
    )

    def __init__(self, *args: Any, candidates: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["candidates"].choices = candidates  # type: ignore[attr-defined]


class ScanForm(forms.Form):
    scan = forms.FileField(label="Bản chụp phiếu gửi bằng văn bản (PDF, PNG, JPEG; tối đa 10 MB)")


def committee_lines(text: str) -> list[str]:
    """The counting committee typed one name per line (Trưởng ban first)."""
    return [line.strip() for line in text.splitlines() if line.strip()]
