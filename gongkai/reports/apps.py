from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "gongkai.reports"
    verbose_name = "年度报告"

    def ready(self) -> None:
        from gongkai.core.jobs import register

        from .bundle_jobs import KIND as BUNDLE
        from .figures_jobs import KIND as FIGURES
        from .importing.jobs import KIND as REPORT_CHECK

        register(REPORT_CHECK)
        register(FIGURES)
        register(BUNDLE)

        from gongkai.core.images import register_owner

        from .images import OWNER_RULE

        register_owner(OWNER_RULE)
