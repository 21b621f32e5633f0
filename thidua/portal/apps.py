from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The public site: honour board, exemplary stories and movement news, public movement pages,
    search, feed and sitemap; the officers' pages that write for it."""

    name = "thidua.portal"
    label = "portal"
    verbose_name = "Trang thông tin công khai"

    def ready(self) -> None:
        # the honour board follows each decision and revocation; the demo publishes a few articles
        from thidua.portal import demo, receivers  # noqa: F401
