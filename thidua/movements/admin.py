"""Read-mostly admin: statuses change only through the services, so they are read-only here."""

from django.contrib import admin

from thidua.movements.models import (
    Milestone,
    Movement,
    MovementDocument,
    MovementLead,
    Participation,
    Ranking,
    RankingEntry,
    Registration,
    Result,
    ScoringTable,
)


class DocumentInline(admin.TabularInline[MovementDocument, Movement]):
    model = MovementDocument
    extra = 0


class MilestoneInline(admin.TabularInline[Milestone, Movement]):
    model = Milestone
    extra = 0


class ParticipationInline(admin.TabularInline[Participation, Movement]):
    model = Participation
    extra = 0
    raw_id_fields = ["unit"]


@admin.register(Movement)
class MovementAdmin(admin.ModelAdmin[Movement]):
    list_display = ["title", "kind", "authority", "launching_unit", "start_year", "end_year", "status"]
    list_filter = ["kind", "authority", "status"]
    search_fields = ["title"]
    raw_id_fields = ["launching_unit", "parent"]
    readonly_fields = ["status", "launched_on", "closed_on"]
    inlines = [DocumentInline, MilestoneInline, ParticipationInline]


@admin.register(ScoringTable)
class ScoringTableAdmin(admin.ModelAdmin[ScoringTable]):
    list_display = ["title", "movement", "year", "cluster"]
    readonly_fields = ["data"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin[Registration]):
    list_display = ["unit", "movement", "year", "status", "late"]
    list_filter = ["status", "year"]
    readonly_fields = ["status", "submitted_on", "approved_on", "late"]
    raw_id_fields = ["unit", "movement"]


@admin.register(Result)
class ResultAdmin(admin.ModelAdmin[Result]):
    list_display = ["unit", "movement", "year", "period", "status", "self_score", "final_score"]
    list_filter = ["status", "year", "period"]
    readonly_fields = ["status", "self_score", "review_score", "final_score", "score_detail"]
    raw_id_fields = ["unit", "movement"]


class RankingEntryInline(admin.TabularInline[RankingEntry, Ranking]):
    model = RankingEntry
    extra = 0
    can_delete = False
    readonly_fields = ["unit", "rank", "total", "base", "bonus", "penalty", "note"]


@admin.register(Ranking)
class RankingAdmin(admin.ModelAdmin[Ranking]):
    list_display = ["cluster", "movement", "year", "period", "status"]
    list_filter = ["status", "year", "period"]
    readonly_fields = ["status", "published_on", "notes"]
    inlines = [RankingEntryInline]


@admin.register(MovementLead)
class MovementLeadAdmin(admin.ModelAdmin[MovementLead]):
    list_display = ["unit", "movement", "year", "rank"]
    raw_id_fields = ["unit", "movement"]
