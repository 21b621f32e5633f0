from django.apps import AppConfig


class MovementsConfig(AppConfig):
    name = "thidua.movements"
    label = "movements"
    verbose_name = "Phong trào thi đua"

    def ready(self) -> None:
        # the audit log shows the codes of movement entries by their labels
        from thidua.audit.display import register_value_labels
        from thidua.movements.models import Movement, MovementDocument
        from thidua.movements.services.rankings import FEED_LABELS

        register_value_labels("kind", Movement.Kind.choices)
        register_value_labels("kind", MovementDocument.Kind.choices)
        register_value_labels("authority", Movement.Authority.choices)
        register_value_labels("subject", {"unit": "Tập thể", "ca_nhan": "Cá nhân", "person": "Cá nhân"})
        register_value_labels("from", Movement.Status.choices)
        register_value_labels("to", Movement.Status.choices)
        register_value_labels("feeds", FEED_LABELS)
