from django.apps import AppConfig, apps


class CoreConfig(AppConfig):
    name = "thidua.core"
    label = "core"
    verbose_name = "Chung"

    def ready(self) -> None:
        # The API's field errors in Vietnamese (DRF's own translation is almost empty).
        from thidua.core import drf_messages

        drf_messages.apply()
        # DRF ships no Vietnamese translation: name its API tokens in the admin ourselves.
        if apps.is_installed("rest_framework.authtoken"):
            from rest_framework.authtoken.models import Token, TokenProxy

            apps.get_app_config("authtoken").verbose_name = "Khóa truy cập API"
            for model in (Token, TokenProxy):
                model._meta.verbose_name = "khóa API"
                model._meta.verbose_name_plural = "khóa API"
