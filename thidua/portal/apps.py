from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The public site: honour board, exemplary stories and movement news, public movement pages,
    search, feed and sitemap; the officers' pages that write for it."""

    name = "thidua.portal"
    label = "portal"
    verbose_name = "Trang thông tin công khai"

    def ready(self) -> None:
        # the honour board follows each decision and revocation; the demo publishes a few articles
        from thidua.audit.display import register_value_labels
        from thidua.portal import demo, receivers  # noqa: F401
        from thidua.portal.models import Article, Withholding

        # the audit log shows an article's kind and a withholding's source by their labels
        register_value_labels("kind", Article.Kind.choices)
        register_value_labels("source", Withholding.Source.choices)
