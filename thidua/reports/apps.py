from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Statistics and reports for officers: pre-aggregated award counts kept in step with the
    decisions, pages with charts, .xlsx/.docx, the data-defined statistical forms."""

    name = "thidua.reports"
    label = "reports"
    verbose_name = "Thống kê, báo cáo"

    def ready(self) -> None:
        # keeps the pre-aggregated counts in step when decisions are issued or awards revoked
        from thidua.reports import demo, receivers  # noqa: F401
