from django.apps import AppConfig


class WebConfig(AppConfig):
    """The roof: the signed-in home page, the navigation and the audit log page (it reads every app)."""

    name = "thidua.web"
    label = "web"
    verbose_name = "Trang làm việc"
