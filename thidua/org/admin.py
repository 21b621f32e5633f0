from django.contrib import admin

from thidua.org.models import (
    Cluster,
    ClusterMember,
    Membership,
    Person,
    Position,
    ReorgEvent,
    ReorgLink,
    Unit,
)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin[Unit]):
    list_display = ["name", "code", "kind", "parent", "valid_from", "valid_to"]
    list_filter = ["kind"]
    search_fields = ["name", "code", "name_folded"]
    raw_id_fields = ["parent"]


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
