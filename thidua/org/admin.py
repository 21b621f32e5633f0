from typing import Any

from django import forms
from django.contrib import admin

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
class UnitAdmin(admin.ModelAdmin[Unit]):
    form = UnitAdminForm
    list_display = ["name", "code", "kind", "parent", "valid_from", "valid_to"]
    list_filter = ["kind"]
    search_fields = ["name", "code", "name_folded"]
    raw_id_fields = ["parent"]


class OrganisationAdminForm(forms.ModelForm[Organisation]):
    sector = forms.ChoiceField(label="Lĩnh vực")

    class Meta:
        model = Organisation
        fields = ["root", "sector", "parent_body", "kind_labels"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [(s.id, s.name) for s in sectors().values()]  # type: ignore[attr-defined]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    form = OrganisationAdminForm
    list_display = ["root", "sector", "parent_body"]
    raw_id_fields = ["root"]


class PositionInline(admin.TabularInline[Position, Person]):
    model = Position
    extra = 0
    raw_id_fields = ["unit"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin[Person]):
    list_display = ["full_name", "citizen_id", "gender", "date_of_birth", "current_unit"]
    list_filter = ["gender"]
    search_fields = ["citizen_id", "name_folded"]
    raw_id_fields = ["current_unit", "user"]
    inlines = [PositionInline]


class ReorgLinkInline(admin.TabularInline[ReorgLink, ReorgEvent]):
    model = ReorgLink
    extra = 0
    raw_id_fields = ["predecessor", "successor"]


@admin.register(ReorgEvent)
class ReorgEventAdmin(admin.ModelAdmin[ReorgEvent]):
    list_display = ["kind", "effective_on", "decision"]
    inlines = [ReorgLinkInline]


class ClusterMemberInline(admin.TabularInline[ClusterMember, Cluster]):
    model = ClusterMember
    extra = 0
    raw_id_fields = ["unit"]


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin[Cluster]):
    list_display = ["name", "year", "kind", "organiser", "head_unit"]
    list_filter = ["year", "kind"]
    inlines = [ClusterMemberInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ["user", "role", "unit"]
    list_filter = ["role"]
    raw_id_fields = ["user", "unit"]
