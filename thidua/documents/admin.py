from django.contrib import admin

from thidua.documents.models import CertificateLayoutConfig, DocumentTemplate, Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin[Job]):
    """Read-only: jobs change state only through `thidua.documents.jobs`."""

    list_display = ["id", "kind", "status", "progress", "created_by", "created_at", "finished_at"]
    list_filter = ["kind", "status"]
    readonly_fields = [f.name for f in Job._meta.get_fields() if f.concrete]

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(CertificateLayoutConfig)
class CertificateLayoutConfigAdmin(admin.ModelAdmin[CertificateLayoutConfig]):
    list_display = ["unit", "kind", "updated_at", "updated_by"]
    list_filter = ["kind"]
    raw_id_fields = ["unit"]


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(admin.ModelAdmin[DocumentTemplate]):
    list_display = ["unit", "kind", "original_name", "updated_at", "uploaded_by"]
    list_filter = ["kind"]
    raw_id_fields = ["unit"]
