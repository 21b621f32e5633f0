from django.apps import AppConfig


class EligibilityConfig(AppConfig):
    name = "thidua.eligibility"
    label = "eligibility"
    verbose_name = "Xét điều kiện"

    def ready(self) -> None:
        # registers the job that evaluates a whole unit in the background
        from thidua.audit.display import register_value_labels
        from thidua.eligibility import jobs  # noqa: F401
        from thidua.eligibility.services import VERDICT_LABELS

        # the audit log shows the engine's verdict in words
        register_value_labels("engine_verdict", VERDICT_LABELS)
