from django.apps import AppConfig


class EligibilityConfig(AppConfig):
    name = "thidua.eligibility"
    label = "eligibility"
    verbose_name = "Xét điều kiện"
