from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """The Django side of the document layer: jobs, certificate layouts, user templates, downloads."""

    name = "thidua.documents"
    label = "documents"
    verbose_name = "Văn bản"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # registers the audit labels of the document actions and the job handlers
        from thidua.documents import jobs, services  # noqa: F401
