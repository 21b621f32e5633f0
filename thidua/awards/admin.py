from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from thidua.awards.models import (
    AwardSettings,
    Candidate,
    Council,
    CouncilMember,
    Decision,
    Dossier,
    Meeting,
    RegisterEntry,
)


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
