from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "gongkai.applications"
    label = "applications"
    verbose_name = "依申请公开"

    def ready(self) -> None:
        from gongkai.workdays.registry import register_deadline_source

        from .services.deadlines import recompute_open_deadlines

        # Loading a new calendar year recomputes every open application's deadlines (and rolls back on failure).
        register_deadline_source("applications", recompute_open_deadlines)
