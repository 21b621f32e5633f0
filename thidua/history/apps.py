from django.apps import AppConfig


class HistoryConfig(AppConfig):
    """What happened to each person and unit: ratings, titles and awards, initiatives, discipline,
    leave, pending proceedings (what the rules engine reads)."""

    name = "thidua.history"
    label = "history"
    verbose_name = "Lịch sử thi đua, khen thưởng"

    def ready(self) -> None:
        # the audit log shows a rating's code by its label
        from thidua.audit.display import register_value_labels
        from thidua.audit.services import ACTION_LABELS
        from thidua.history.kinds import audit_labels
        from thidua.history.models import RatingValue

        register_value_labels("unit_value", RatingValue.choices)
        # the actions on a person's records, named from the one table of their kinds
        ACTION_LABELS.update(audit_labels())
