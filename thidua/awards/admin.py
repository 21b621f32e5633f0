from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from thidua.awards.models import (
    AwardRecord,
    AwardSettings,
    Candidate,
    Council,
    CouncilMember,
    Decision,
    Discipline,
    Dossier,
    Initiative,
    Leave,
    Meeting,
    PendingProceeding,
    Rating,
    RegisterEntry,
)


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin[Rating]):
    list_display = ["person", "unit", "year", "value"]
    list_filter = ["year", "value"]
    raw_id_fields = ["person", "unit"]


@admin.register(AwardRecord)
class AwardRecordAdmin(admin.ModelAdmin[AwardRecord]):
    list_display = ["award_id", "person", "unit", "year", "decision_number", "revoked_on"]
    list_filter = ["kind", "year", "award_id"]
    raw_id_fields = ["person", "unit"]


for model in (Initiative, Discipline, PendingProceeding, Leave):
    admin.site.register(model, raw_id_fields=["person"])


# Year-end objects are changed through the services (audit, locking); the admin only reads them.
# Ballot votes are not registered at all.
class _ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


for year_end_model in (
    AwardSettings,
    Council,
    CouncilMember,
    Meeting,
    Candidate,
    Dossier,
    Decision,
    RegisterEntry,
):
    admin.site.register(year_end_model, _ReadOnlyAdmin)
