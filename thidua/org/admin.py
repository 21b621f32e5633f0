"""The Django admin of the organisation: it cannot break the model.

Derived fields (a unit's path and depth, a person's current unit and title, search columns) are read
only. Adding, moving, merging or ending units, transferring people and granting roles are not offered
here: they have pages in the application (with a preview, the permission check and an audit entry).
What the admin may edit — a unit's or a person's plain fields — is saved through the same services
as the pages (`update_unit`, `update_person`), so it is checked and audited the same way.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from thidua.core.errors import DomainError
from thidua.org import services
from thidua.org.kinds import kind_choices, sectors
from thidua.org.models import (
    Cluster,
    ClusterMember,
    Membership,
    Organisation,
    Person,
    Position,
    ReorgEvent,
    ReorgLink,
    Unit,
)
from thidua.org.organisation import organisation_of

IN_THE_APP = "Thêm, chuyển, sáp nhập, chia tách, giải thể đơn vị, điều chuyển nhân sự và phân quyền: dùng các trang của ứng dụng."


class ViewOnly:
    """Listed and shown, never added, changed or deleted here."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ServiceSaveAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Edits plain fields only, saved by the service; no add, no delete."""

    editable: tuple[str, ...] = ()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [f.name for f in self.model._meta.fields if f.name not in self.editable]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        """The admin's form, whose validation runs the service: a refusal is an error on the form
        (in Vietnamese, naming the field) and nothing is written."""
        base = super().get_form(request, obj, change, **kwargs)
        admin_self = self

        class ServiceForm(base):  # type: ignore[valid-type, misc]
            def _post_clean(self) -> None:
                if self.errors or self.instance.pk is None:
                    return
                changes = {n: self.cleaned_data[n] for n in self.changed_data if n in admin_self.editable}
                if not changes:
                    return
                fresh = type(self.instance).objects.get(pk=self.instance.pk)
                try:
                    admin_self.save_through_service(request, fresh, changes)
                except DomainError as exc:
                    self.add_error(exc.field if exc.field in self.fields else None, exc.message)
                except PermissionDenied as exc:
                    self.add_error(None, str(exc))

        return ServiceForm

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """Already saved by the service during validation (`get_form`)."""

    def save_through_service(self, request: HttpRequest, obj: Any, changes: dict[str, Any]) -> None:
        raise NotImplementedError


class UnitAdminForm(forms.ModelForm[Unit]):
    """The kind as a list of the unit's organisation's kinds (a new unit: every known kind)."""

    kind = forms.ChoiceField(label="Loại đơn vị")

    class Meta:
        model = Unit
        fields = [
            "code",
            "name",
            "short_name",
            "kind",
            "parent",
            "is_legal_entity",
            "province_code",
            "place_name",
            "symbol",
            "valid_from",
            "valid_to",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation = organisation_of(self.instance) if self.instance.pk else None
        choices = kind_choices(organisation)
        if self.instance.kind and self.instance.kind not in dict(choices):
            choices.append((self.instance.kind, self.instance.get_kind_display()))
        self.fields["kind"].choices = choices  # type: ignore[attr-defined]


@admin.register(Unit)
class UnitAdmin(ServiceSaveAdmin):
    form = UnitAdminForm
    list_display = ["name", "code", "kind", "parent", "valid_from", "valid_to"]
    list_filter = ["kind"]
    search_fields = ["name", "code", "name_folded"]
    editable = services.units.EDITABLE_FIELDS
    exclude = ["name_folded"]

    def save_through_service(self, request: HttpRequest, obj: Any, changes: dict[str, Any]) -> None:
        services.update_unit(actor=request.user, unit=obj, **changes)  # type: ignore[arg-type]

    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        messages.info(request, IN_THE_APP)
        return super().changeform_view(request, *args, **kwargs)


class OrganisationAdminForm(forms.ModelForm[Organisation]):
    sector = forms.ChoiceField(label="Lĩnh vực")

    class Meta:
        model = Organisation
        fields = ["root", "sector", "parent_body", "kind_labels"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [(s.id, s.name) for s in sectors().values()]  # type: ignore[attr-defined]


@admin.register(Organisation)
class OrganisationAdmin(ViewOnly, admin.ModelAdmin[Organisation]):
    """Shown only: the organisation's details change on the "Thông tin tổ chức" page (versioned,
    audited) and its unit-kind names on "Tên các loại đơn vị"; it is created by `thidua setup`."""

    form = OrganisationAdminForm
    list_display = ["root", "sector", "parent_body"]
    raw_id_fields = ["root"]


class PositionInline(ViewOnly, admin.TabularInline):  # type: ignore[type-arg]
    model = Position
    extra = 0
    fields = ["unit", "title", "started_on", "ended_on"]
    readonly_fields = ["unit", "title", "started_on", "ended_on"]


@admin.register(Person)
class PersonAdmin(ServiceSaveAdmin):
    list_display = ["full_name", "gender", "current_unit", "current_title", "left_on"]
    list_filter = ["gender"]
    search_fields = ["name_folded"]
    editable = ("full_name", "gender", "date_of_birth", "recruited_on", "email", "phone")
    exclude = ["name_folded", "sort_key"]
    inlines = [PositionInline]

    def save_through_service(self, request: HttpRequest, obj: Any, changes: dict[str, Any]) -> None:
        services.update_person(actor=request.user, person=obj, **changes)  # type: ignore[arg-type]


class ReorgLinkInline(ViewOnly, admin.TabularInline):  # type: ignore[type-arg]
    model = ReorgLink
    extra = 0
    readonly_fields = ["predecessor", "successor"]


@admin.register(ReorgEvent)
class ReorgEventAdmin(ViewOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["kind", "effective_on", "decision"]
    inlines = [ReorgLinkInline]


class ClusterMemberInline(ViewOnly, admin.TabularInline):  # type: ignore[type-arg]
    model = ClusterMember
    extra = 0
    readonly_fields = ["unit"]


@admin.register(Cluster)
class ClusterAdmin(ViewOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "year", "kind", "organiser", "head_unit"]
    list_filter = ["year", "kind"]
    inlines = [ClusterMemberInline]


@admin.register(Membership)
class MembershipAdmin(ViewOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["user", "role", "unit", "valid_from", "valid_to"]
    list_filter = ["role"]
    search_fields = ["user__username", "unit__name"]
