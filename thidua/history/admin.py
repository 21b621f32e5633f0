from django.contrib import admin

from thidua.history.models import AwardRecord, Discipline, Initiative, Leave, PendingProceeding, Rating


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
