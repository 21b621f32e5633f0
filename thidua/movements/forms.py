from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from thidua.audit.filters import DATE_INPUT_FORMATS, DATE_WIDGET
from thidua.core.fields import LocalDecimalField
from thidua.core.uploads import EVIDENCE, MOVEMENT_DOCUMENT, SCORING_TABLE, XLSX_IMPORT, UploadField
from thidua.core.versioning import VersionFormMixin
from thidua.lib.numbers import parse_number
from thidua.movements.figures import Column, column_for_issue
from thidua.movements.models import Milestone, Movement, MovementDocument, Period
from thidua.movements.permissions import visible_movements
from thidua.movements.scoring.figures import NOT_ASSIGNED_WORDS
from thidua.movements.services import COLLECTIVE_TITLES, INDIVIDUAL_TITLES
from thidua.movements.validators import validate_number_symbol
from thidua.org.models import Cluster, Unit
from thidua.org.permissions import WRITE_ROLES, is_system_admin, scope_paths
from thidua.org.widgets import UnitField, UnitsField
from thidua.rules.names import award_name


def _writable_units(user: Any) -> Any:
    if is_system_admin(user):
        return Unit.objects.filter(valid_to__isnull=True).order_by("path")
    return (
        Unit.objects.in_subtrees(scope_paths(user, WRITE_ROLES))
        .filter(valid_to__isnull=True)
        .order_by("path")
    )


class DateInput(forms.DateInput):
    input_type = "date"


class MovementForm(forms.ModelForm[Movement]):
    class Meta:
        model = Movement
        fields = [
            "title",
            "kind",
            "authority",
            "launching_unit",
            "authority_name",
            "parent",
            "theme",
            "political_tasks",
            "start_year",
            "end_year",
            "starts_on",
            "ends_on",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "theme": forms.Textarea(attrs={"rows": 2}),
            "political_tasks": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["launching_unit"].queryset = _writable_units(user)  # type: ignore[attr-defined]
        parents = visible_movements(user).exclude(status=Movement.Status.DRAFT)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]
        if not is_system_admin(user):
            self.fields["authority"].choices = [  # type: ignore[attr-defined]
                c for c in Movement.Authority.choices if c[0] != Movement.Authority.THU_TUONG
            ]


class DocumentForm(forms.ModelForm[MovementDocument]):
    number_symbol = forms.CharField(
        label="Số, ký hiệu", max_length=60, required=False, validators=[validate_number_symbol]
    )
    file = UploadField(label="Tệp đính kèm", required=False, rule=MOVEMENT_DOCUMENT)

    class Meta:
        model = MovementDocument
        fields = ["kind", "number_symbol", "issued_on", "issuer", "signer", "summary", "file"]
        widgets = {"issued_on": DateInput()}


class MilestoneForm(forms.ModelForm[Milestone]):
    class Meta:
        model = Milestone
        fields = ["kind", "name", "due_on"]
        widgets = {"due_on": DateInput()}


class ParticipantsForm(forms.Form):
    include_subtree = forms.BooleanField(label="Cả các đơn vị trực thuộc", required=False)
    unit_kind = forms.ChoiceField(label="Chỉ loại đơn vị", choices=[], required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from thidua.org.kinds import kind_choices
        from thidua.org.organisation import current_organisation
        from thidua.org.permissions import visible_units

        self.fields["unit_kind"].choices = [  # type: ignore[attr-defined]
            ("", "— mọi loại —"),
            *kind_choices(current_organisation()),
        ]
        self.fields["unit"] = UnitField(visible_units(user).filter(valid_to__isnull=True), label="Đơn vị")
        self.order_fields(["unit"])


class ScoringTableUploadForm(VersionFormMixin):
    year = forms.IntegerField(label="Năm", min_value=2000, max_value=2100)
    cluster = forms.ModelChoiceField(
        queryset=Cluster.objects.none(), required=False, label="Cụm, khối (để trống: áp dụng mọi cụm)"
    )
    file = UploadField(
        label="Tệp bảng chấm điểm (.yaml, .yml, .json hoặc .xlsx)", required=False, rule=SCORING_TABLE
    )
    text = forms.CharField(
        label="Hoặc dán nội dung YAML",
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        max_length=SCORING_TABLE.max_bytes,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = Cluster.objects.order_by("-year", "name")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("file") and not (data.get("text") or "").strip():
            raise forms.ValidationError("Chọn tệp hoặc dán nội dung bảng chấm điểm")
        return data


class CopyTableForm(forms.Form):
    year = forms.IntegerField(label="Sang năm", min_value=2000, max_value=2100)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Lý do", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class RegistrationForm(VersionFormMixin):
    """Targets per leaf criterion, titles for the unit, and counts of people per individual title."""

    note = forms.CharField(label="Ghi chú", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, criteria: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria or []
        for code, name in self.criteria:
            self.fields[f"target:{code}"] = LocalDecimalField(
                label=f"{code} {name}", required=False, min_value=Decimal(0), decimal_places=4, max_digits=18
            )
        self.fields["unit_titles"] = forms.MultipleChoiceField(
            label="Danh hiệu, hình thức khen thưởng đăng ký cho tập thể",
            choices=[(award, award_name(award)) for award in COLLECTIVE_TITLES],
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        for award in INDIVIDUAL_TITLES:
            self.fields[f"people:{award}"] = forms.IntegerField(
                label=f"Số cá nhân đăng ký {award_name(award)}", required=False, min_value=0
            )

    def target_fields(self) -> list[Any]:
        return [self[f"target:{code}"] for code, _ in self.criteria]

    def people_fields(self) -> list[Any]:
        return [self[f"people:{award}"] for award in INDIVIDUAL_TITLES]

    def targets(self) -> dict[str, Any]:
        return {
            code: self.cleaned_data[f"target:{code}"]
            for code, _ in self.criteria
            if self.cleaned_data.get(f"target:{code}") is not None
        }

    def titles(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = [
            {"award": a, "subject": "unit"} for a in self.cleaned_data["unit_titles"]
        ]
        for award in INDIVIDUAL_TITLES:
            count = self.cleaned_data.get(f"people:{award}")
            if count:
                out.append({"award": award, "subject": "ca_nhan", "count": count})
        return out

    @staticmethod
    def initial_from(registration: Any) -> dict[str, Any]:
        initial: dict[str, Any] = {"note": registration.note}
        initial.update({f"target:{k}": v for k, v in registration.targets.items()})
        initial["unit_titles"] = [t["award"] for t in registration.titles if t.get("subject") == "unit"]
        initial.update(
            {
                f"people:{t['award']}": t.get("count", 1)
                for t in registration.titles
                if t.get("subject") != "unit"
            }
        )
        return initial


class ResultForm(VersionFormMixin):
    """One input per figure column of the scoring table (keys as in the Excel template).

    Checklists are checkboxes of their items (by label), yes/no criteria a choice, numbers are read by
    `parse_number` (95,5 as well as 95.5) and refused next to their field when they are not numbers.
    Criteria the council judges are left out unless `judged` (the reviewer's form).
    """

    BOOL_CHOICES = [("", "—"), ("có", "Có, đạt"), ("không", "Không, chưa đạt")]

    def __init__(
        self, *args: Any, columns: list[Column] | None = None, judged: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.columns = [c for c in (columns or []) if judged or not c.judged]
        for col in self.columns:
            field: forms.Field
            if col.choices:
                field = forms.MultipleChoiceField(
                    label=col.label, required=False, choices=col.choices, widget=forms.CheckboxSelectMultiple
                )
            elif col.kind == "bool":
                field = forms.ChoiceField(label=col.label, required=False, choices=self.BOOL_CHOICES)
            else:
                attrs = {"inputmode": "decimal"} if col.kind == "number" else {}
                field = forms.CharField(
                    label=col.label, required=False, max_length=500, widget=forms.TextInput(attrs=attrs)
                )
            self.fields[col.key] = field

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for col in self.columns:
            value = cleaned.get(col.key)
            if col.kind != "number" or not isinstance(value, str) or not value.strip():
                continue
            if value.strip().lower() in NOT_ASSIGNED_WORDS:
                continue
            if parse_number(value) is None:
                self.add_error(col.key, f"«{value.strip()[:40]}» không phải là số (ví dụ: 95,5 hoặc 95.5)")
        return cleaned

    def flat(self) -> dict[str, Any]:
        return {col.key: self.cleaned_data.get(col.key) for col in self.columns}

    def figure_fields(self) -> list[Any]:
        return [self[col.key] for col in self.columns]

    def add_issue_errors(self, issues: list[Any]) -> None:
        """Each problem the scoring module found, next to the field it is about."""
        for issue in issues:
            col = column_for_issue(self.columns, issue.path.rsplit(" / ", 1)[-1])
            self.add_error(col.key if col is not None else None, issue.message)


class CorrectionForm(ResultForm):
    """The reviewer's corrections and the council's points for judged criteria, with the reason."""

    def __init__(self, *args: Any, columns: list[Column] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, columns=columns, judged=True, **kwargs)
        self.fields["reason"] = forms.CharField(
            label="Lý do sửa số liệu, căn cứ chấm điểm",
            widget=forms.Textarea(attrs={"rows": 2}),
            max_length=2000,
        )


class ReviewForm(forms.Form):
    note = forms.CharField(label="Ý kiến thẩm định", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ExplainForm(forms.Form):
    explanation = forms.CharField(label="Nội dung giải trình", widget=forms.Textarea(attrs={"rows": 3}))


class EvidenceForm(forms.Form):
    description = forms.CharField(label="Mô tả minh chứng", max_length=300)
    criterion_code = forms.CharField(label="Tiêu chí (mã)", max_length=40, required=False)
    file = UploadField(label="Tệp minh chứng", rule=EVIDENCE)
    public = forms.BooleanField(
        label="Công khai: ai xem được kết quả cũng tải được tệp này (mặc định chỉ đơn vị, cấp trên và người thẩm định)",
        required=False,
    )


class ImportForm(forms.Form):
    file = UploadField(label="Tệp Excel (.xlsx) theo mẫu", rule=XLSX_IMPORT)


class PeriodForm(forms.Form):
    period = forms.ChoiceField(label="Kỳ", choices=Period.choices)


class LeadsForm(forms.Form):
    """The leading units of a thematic movement for a year, in order (first = rank 1)."""

    year = forms.IntegerField(label="Năm", min_value=2000, max_value=2100)
    units = UnitsField(Unit.objects.none(), label="Đơn vị dẫn đầu", ordered=True)

    def __init__(self, *args: Any, movement: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from thidua.movements.models import participating_units

        if movement is not None:
            self.fields["units"].queryset = participating_units(movement)  # type: ignore[attr-defined]
            self.fields["year"].initial = movement.years()[-1]


class MovementDocumentForm(forms.Form):
    """How to print a movement's plan or letter, or its registration summary: kind, date, who signs."""

    kind = forms.ChoiceField(
        label="Loại văn bản",
        choices=[("ke_hoach", "Kế hoạch phát động"), ("cong_van", "Công văn phát động")],
        initial="ke_hoach",
        required=False,
    )
    on = forms.DateField(
        label="Ngày ban hành (để trống: theo văn bản đã ghi nhận, nếu không thì để trống để ghi tay)",
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=DATE_WIDGET,
    )
    authority = forms.ChoiceField(
        label="Thẩm quyền ký",
        choices=[
            ("", "Thủ trưởng ký trực tiếp"),
            ("KT.", "KT. (cấp phó ký thay)"),
            ("TM.", "TM. (thay mặt tập thể)"),
        ],
        required=False,
    )
    signer_position = forms.CharField(label="Chức vụ", max_length=80, required=False, initial="Giám đốc")
    signer_name = forms.CharField(label="Họ và tên người ký", max_length=120, required=False)

    @property
    def letter(self) -> bool:
        return bool(self.is_bound and self.is_valid() and self.cleaned_data.get("kind") == "cong_van")


class PastRanksForm(forms.Form):
    """The ranks of one cluster for a year scored outside the system: one rank per member unit (blank:
    not ranked), the regular movement they belong to (blank: the organiser's "xếp hạng ghi nhận" one),
    and, when editing a recorded ranking, the time it was read (a stale form is refused)."""

    movement = forms.ModelChoiceField(
        queryset=Movement.objects.none(),
        required=False,
        label="Phong trào thường xuyên",
        empty_label="— Không có trong hệ thống: tạo phong trào ghi nhận (đã kết thúc) —",
    )
    replace = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, cluster: Cluster, members: list[Unit], movements: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.members = members
        self.fields["movement"].queryset = movements  # type: ignore[attr-defined]
        for unit in members:
            self.fields[f"rank_{unit.pk}"] = forms.IntegerField(
                label=unit.name,
                required=False,
                min_value=1,
                max_value=len(members),
                error_messages={
                    "min_value": "Thứ hạng từ 1 trở lên",
                    "max_value": f"Thứ hạng không quá {len(members)} (số đơn vị của cụm)",
                    "invalid": "Thứ hạng là một số nguyên, ví dụ 1",
                },
                widget=forms.NumberInput(attrs={"class": "rank", "inputmode": "numeric"}),
            )

    def rank_fields(self) -> list[Any]:
        return [self[f"rank_{unit.pk}"] for unit in self.members]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not self.ranks():
            raise forms.ValidationError("Chưa nhập thứ hạng của đơn vị nào")
        return cleaned

    def ranks(self) -> list[tuple[Unit, int]]:
        return [
            (unit, self.cleaned_data[f"rank_{unit.pk}"])
            for unit in self.members
            if self.cleaned_data.get(f"rank_{unit.pk}") is not None
        ]
