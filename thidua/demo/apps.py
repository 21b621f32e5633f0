from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo organisation: the `demo` command and its generator (it writes into every app)."""

    name = "thidua.demo"
    label = "demo"
    verbose_name = "Dữ liệu mẫu"
