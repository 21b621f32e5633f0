from django.apps import AppConfig


class HistoryConfig(AppConfig):
    """What happened to each person and unit: ratings, titles and awards, initiatives, discipline,
    leave, pending proceedings (what the rules engine reads)."""

    name = "thidua.history"
    label = "history"
    verbose_name = "Lịch sử thi đua, khen thưởng"
