from collections.abc import Sequence

from django.apps import AppConfig


class AwardsConfig(AppConfig):
    """The year-end workflow: ratings, councils and ballots, candidates, dossiers, decisions."""

    name = "thidua.awards"
    label = "awards"
    verbose_name = "Khen thưởng"

    def ready(self) -> None:
        # registers the job handlers of large decisions and their certificates
        from thidua.awards import jobs  # noqa: F401
        from thidua.org.hooks import register_reorg_counter

        # A reorganisation's preview (org) lists the open dossiers of the units that end or move.
        register_reorg_counter("awards.open_dossiers", "Hồ sơ đề nghị khen thưởng đang xử lý", _open_dossiers)


def _open_dossiers(unit_ids: Sequence[int]) -> int:
    from thidua.awards.models import Dossier

    return Dossier.objects.filter(unit_id__in=unit_ids).exclude(status=Dossier.Status.DECIDED).count()
