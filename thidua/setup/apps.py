from django.apps import AppConfig


class SetupConfig(AppConfig):
    """The first day of an installation: `thidua setup` and the first-run page create the
    organisation, its first administrator and its own rule options; the Bắt đầu page leads on."""

    name = "thidua.setup"
    label = "setup"
    verbose_name = "Thiết lập lần đầu"
