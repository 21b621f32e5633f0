from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "thidua.org"
    label = "org"
    verbose_name = "Tổ chức"

    def ready(self) -> None:
        # the audit log shows a unit kind's code by the sectors' label
        from thidua.audit.display import register_value_labels
        from thidua.org.kinds import catalogue

        register_value_labels("unit_kind", {code: kind.label for code, kind in catalogue().items()})
