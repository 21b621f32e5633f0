"""Award history in the Django admin: listed and shown, never changed there.

Every record has its page in the application (the ratings grid, "Thêm khen thưởng đã có", the
person page's forms for initiatives, discipline, leave and pending proceedings, the imports): there
each change is checked, audited and raises the record's `version`, so a form opened before the
change is refused instead of overwriting it. An edit in the admin would do none of that.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from thidua.history.models import AwardRecord, Discipline, Initiative, Leave, PendingProceeding, Rating


class _ViewOnlyAdmin(admin.ModelAdmin[Any]):
    raw_id_fields = ["person"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Rating)
class RatingAdmin(_ViewOnlyAdmin):
    list_display = ["person", "unit", "year", "value"]
    list_filter = ["year", "value"]
    raw_id_fields = ["person", "unit"]


@admin.register(AwardRecord)
class AwardRecordAdmin(_ViewOnlyAdmin):
    list_display = ["award_id", "person", "unit", "year", "decision_number", "revoked_on"]
    list_filter = ["kind", "year", "award_id"]
    raw_id_fields = ["person", "unit"]


for model in (Initiative, Discipline, PendingProceeding, Leave):
    admin.site.register(model, _ViewOnlyAdmin)
