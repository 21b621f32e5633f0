from django.apps import AppConfig


class EligibilityConfig(AppConfig):
    name = "thidua.eligibility"
    label = "eligibility"
    verbose_name = "Xét điều kiện"

    def ready(self) -> None:
        # registers the job that evaluates a whole unit in the background
        from thidua.eligibility import jobs  # noqa: F401
