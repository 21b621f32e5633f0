"""Forms of the organisation pages: they read and check input; the services decide and write.

Every person or unit is chosen with the picker (`thidua.org.widgets`); each picker field validates the
submitted id against the pool the search offers, so a crafted id outside the user's scope is refused
like an unknown one.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from thidua.accounts.models import User
from thidua.org import pickers
from thidua.org.kinds import kind_choices
from thidua.org.models import Cluster, LeaveReason, Person, Role, Unit
from thidua.org.organisation import current_organisation, organisation_of
from thidua.org.services.people import EDITABLE_FIELDS as PERSON_FIELDS
from thidua.org.services.units import EDITABLE_FIELDS as UNIT_FIELDS
from thidua.org.widgets import PersonField, UnitField, UnitsField


def date_field(label: str, *, required: bool = True, initial: Any = None) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        initial=initial,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Ngày không hợp lệ", "required": "Cần nhập ngày"},
    )


def decision_field() -> forms.CharField:
    return forms.CharField(
        label="Căn cứ (số, ký hiệu văn bản)", max_length=120, required=False, help_text="Ví dụ: 1234/QĐ-BHXH"
    )


class VersionMixin(forms.Form):
    """The version of the row the form was loaded from (optimistic locking in the service)."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)


# --- Units ---------------------------------------------------------------------------------------


class UnitForm(forms.ModelForm[Unit]):
    class Meta:
        model = Unit
        fields = ["code", "name", *UNIT_FIELDS]
        widgets = {"valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {
            "code": "Mã duy nhất trong toàn hệ thống, ví dụ BHXH-01-THU",
            "province_code": "2 chữ số, để trống nếu không gắn với một tỉnh",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Unit kinds are data (`sectors.yaml`): the organisation's own list, labels included.
        organisation = organisation_of(self.instance) if self.instance.pk else current_organisation()
        choices = kind_choices(organisation)
        if self.instance.kind and self.instance.kind not in dict(choices):
            choices.append((self.instance.kind, self.instance.get_kind_display()))
        self.fields["kind"] = forms.ChoiceField(
            label="Loại đơn vị", choices=choices, initial=self.instance.kind
        )

    def validate_unique(self) -> None:
        """The service checks the code (with a message naming it)."""


class UnitCreateForm(UnitForm):
    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"] = UnitField(
            pickers.unit_pool(user, manage=True),
            params={"quan_ly": 1},
            label="Đơn vị cấp trên",
            required=False,
            help_text="Để trống: đơn vị cấp cao nhất (chỉ quản trị hệ thống)",
        )
        self.order_fields(["parent", "code", "name"])


class UnitEditForm(VersionMixin, UnitForm):
    class Meta(UnitForm.Meta):
        fields = ["code", *UNIT_FIELDS]


class RenameForm(forms.Form):
    new_name = forms.CharField(label="Tên mới", max_length=255)
    effective_on = date_field("Có hiệu lực từ ngày")
    decision = decision_field()


class MoveForm(forms.Form):
    effective_on = date_field("Có hiệu lực từ ngày")
    decision = decision_field()

    def __init__(self, *args: Any, user: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_parent"] = UnitField(
            pickers.unit_pool(user, manage=True).exclude(path__startswith=unit.path),
            params={"quan_ly": 1},
            label="Chuyển về trực thuộc",
        )
        self.order_fields(["new_parent"])


class MergeForm(forms.Form):
    effective_on = date_field("Có hiệu lực từ ngày")
    decision = decision_field()

    def __init__(self, *args: Any, user: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        pool = pickers.unit_pool(user, manage=True, ended=True)
        self.fields["into"] = UnitField(
            pool,
            params={"quan_ly": 1, "ca_ngung": 1},
            label="Sáp nhập vào đơn vị",
            help_text="Đơn vị tiếp nhận nhân sự, đơn vị trực thuộc, phân quyền và vị trí trong cụm, khối",
        )
        self.fields["others"] = UnitsField(
            pool.exclude(pk=unit.pk),
            params={"quan_ly": 1},
            label="Cùng sáp nhập các đơn vị khác (nếu có)",
            required=False,
        )
        self.order_fields(["into", "others"])


class SplitForm(forms.Form):
    parts = forms.CharField(
        label="Các đơn vị mới (mỗi dòng: mã | tên)",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Ví dụ: BHXH-01-THU1 | Phòng Quản lý thu 1",
    )
    effective_on = date_field("Có hiệu lực từ ngày")
    decision = decision_field()

    def clean_parts(self) -> list[tuple[str, str]]:
        rows = []
        for number, line in enumerate(self.cleaned_data["parts"].splitlines(), start=1):
            if not line.strip():
                continue
            if "|" not in line:
                raise forms.ValidationError(f"Dòng {number}: cần dạng 'mã | tên'")
            code, name = (x.strip() for x in line.split("|", 1))
            if not code or not name:
                raise forms.ValidationError(f"Dòng {number}: thiếu mã hoặc tên")
            rows.append((code, name))
        if len(rows) < 2:
            raise forms.ValidationError("Chia tách cần ít nhất hai đơn vị mới")
        return rows


class DissolveForm(forms.Form):
    effective_on = date_field("Ngừng hoạt động từ ngày")
    decision = decision_field()


# --- People --------------------------------------------------------------------------------------


class PersonForm(forms.ModelForm[Person]):
    class Meta:
        model = Person
        fields = list(PERSON_FIELDS)
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "recruited_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {"citizen_id": "12 chữ số, khớp giới tính và năm sinh"}

    def validate_unique(self) -> None:
        """The service checks the citizen id (naming the person who already has it)."""


class PersonCreateForm(PersonForm):
    title = forms.CharField(label="Chức vụ", max_length=120, required=False)
    started_on = date_field("Bắt đầu công tác tại đơn vị từ", required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"] = UnitField(
            pickers.unit_pool(user, manage=True), params={"quan_ly": 1}, label="Đơn vị công tác"
        )
        self.order_fields(
            ["full_name", "gender", "citizen_id", "date_of_birth", "unit", "title", "started_on"]
        )


class PersonEditForm(VersionMixin, PersonForm):
    pass


class TransferForm(forms.Form):
    title = forms.CharField(label="Chức vụ tại đơn vị mới", max_length=120, required=False)
    on = date_field("Từ ngày")
    decision = decision_field()

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"] = UnitField(
            pickers.unit_pool(user, manage=True), params={"quan_ly": 1}, label="Đơn vị mới"
        )
        self.order_fields(["unit", "title", "on"])


class EndServiceForm(forms.Form):
    reason = forms.ChoiceField(label="Lý do", choices=[("", "— Chọn —"), *LeaveReason.choices])
    on = date_field("Thôi công tác từ ngày")
    decision = decision_field()


class PositionForm(forms.Form):
    title = forms.CharField(label="Chức vụ", max_length=120, required=False)
    started_on = date_field("Từ ngày")
    ended_on = date_field("Đến ngày")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"] = UnitField(
            pickers.unit_pool(user, ended=True), params={"ca_ngung": 1}, label="Đơn vị"
        )
        self.order_fields(["unit", "title", "started_on", "ended_on"])


# --- Accounts and roles ----------------------------------------------------------------------------


class AccountCreateForm(forms.Form):
    username = forms.CharField(
        label="Tên đăng nhập",
        max_length=150,
        required=False,
        help_text="Để trống: tự đặt theo tên (ví dụ an.nv)",
    )


class LinkAccountForm(forms.Form):
    username = forms.CharField(label="Tên đăng nhập của tài khoản có sẵn", max_length=150)

    def clean_username(self) -> User:
        user = User.objects.filter(username__iexact=self.cleaned_data["username"].strip()).first()
        if user is None:
            raise forms.ValidationError("Không có tài khoản này")
        return user


def role_choices(roles: list[str]) -> list[tuple[str, str]]:
    return [("", "— Chọn —"), *[(r, Role(r).label) for r in roles]]


class GrantForm(forms.Form):
    role = forms.ChoiceField(label="Vai trò")
    valid_from = date_field("Hiệu lực từ ngày", required=False, initial=date.today)
    valid_to = date_field("Đến ngày", required=False)
    note = forms.CharField(label="Căn cứ phân công", max_length=255, required=False)

    def __init__(
        self, *args: Any, user: Any, roles: list[str], person_field: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(roles)  # type: ignore[attr-defined]
        self.fields["unit"] = UnitField(
            pickers.unit_pool(user, manage=True),
            params={"quan_ly": 1},
            label="Trên đơn vị (và các đơn vị trực thuộc)",
        )
        order = ["unit", "role", "valid_from", "valid_to", "note"]
        if person_field:
            self.fields["person"] = PersonField(
                pickers.people_pool(user).filter(user__isnull=False).select_related("user"),
                params={"co_tai_khoan": 1},
                label="Người được phân quyền (đã có tài khoản)",
            )
            order.insert(0, "person")
        self.order_fields(order)


class RevokeForm(forms.Form):
    on = date_field("Thôi hiệu lực từ ngày", initial=date.today)
    reason = forms.CharField(label="Lý do", max_length=255, required=False)


# --- Clusters ------------------------------------------------------------------------------------


class ClusterForm(forms.Form):
    year = forms.IntegerField(label="Năm", min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label="Loại", choices=Cluster.Kind.choices)
    name = forms.CharField(label="Tên", max_length=120, help_text="Ví dụ: Cụm thi đua số 1")
    organiser = forms.ChoiceField(label="Cấp tổ chức", choices=Cluster.Organiser.choices)

    def __init__(self, *args: Any, user: Any, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organiser_unit"] = UnitField(
            pickers.unit_pool(user, manage=True), params={"quan_ly": 1}, label="Đơn vị tổ chức"
        )
        pool = pickers.unit_pool(user, year=year)
        self.fields["members"] = UnitsField(
            pool, params={"nam": year}, label="Đơn vị thành viên", required=False
        )
        self.fields["head_unit"] = UnitField(
            pool, params={"nam": year}, label="Cụm trưởng / khối trưởng", required=False
        )
        self.order_fields(["year", "kind", "name", "organiser", "organiser_unit", "members", "head_unit"])


class ClusterEditForm(VersionMixin, forms.Form):
    kind = forms.ChoiceField(label="Loại", choices=Cluster.Kind.choices)
    name = forms.CharField(label="Tên", max_length=120)
    organiser = forms.ChoiceField(label="Cấp tổ chức", choices=Cluster.Organiser.choices)
    head_unit = forms.TypedChoiceField(
        label="Cụm trưởng / khối trưởng", coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, cluster: Cluster, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = cluster.memberships.select_related("unit").order_by("unit__name")
        self.fields["head_unit"].choices = [  # type: ignore[attr-defined]
            ("", "— Chưa chọn —"),
            *[(m.unit_id, m.unit.name) for m in members],
        ]


class AddMembersForm(forms.Form):
    def __init__(self, *args: Any, user: Any, cluster: Cluster, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"] = UnitsField(
            pickers.unit_pool(user, year=cluster.year)
            .filter(path__startswith=cluster.organiser_unit.path)
            .exclude(cluster_memberships__cluster=cluster),
            params={"nam": cluster.year, "trong": cluster.organiser_unit_id},
            label="Thêm đơn vị thành viên",
        )


class CopyClustersForm(forms.Form):
    from_year = forms.IntegerField(label="Sao chép từ năm", min_value=2000, max_value=2100)
    to_year = forms.IntegerField(label="Sang năm", min_value=2000, max_value=2100)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organiser_unit"] = UnitField(
            pickers.unit_pool(user, manage=True), params={"quan_ly": 1}, label="Đơn vị tổ chức"
        )
        self.order_fields(["organiser_unit", "from_year", "to_year"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("from_year") and data.get("to_year") and data["from_year"] == data["to_year"]:
            raise forms.ValidationError("Năm nguồn và năm đích phải khác nhau")
        return data
