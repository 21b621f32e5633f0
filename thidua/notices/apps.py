from django.apps import AppConfig


class NoticesConfig(AppConfig):
    """The in-app inbox (Thông báo) and its mail, called by movements and the year-end."""

    name = "thidua.notices"
    label = "notices"
    verbose_name = "Thông báo"
