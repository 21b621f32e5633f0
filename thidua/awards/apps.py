from django.apps import AppConfig


class AwardsConfig(AppConfig):
    """The year-end workflow: ratings, councils and ballots, candidates, dossiers, decisions."""

    name = "thidua.awards"
    label = "awards"
    verbose_name = "Khen thưởng"

    def ready(self) -> None:
        # registers the job handlers of large decisions and their certificates
        from thidua.awards import jobs  # noqa: F401
