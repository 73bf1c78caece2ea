from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "gongkai.applications"
    label = "applications"
    verbose_name = "依申请公开"

    def ready(self) -> None:
        from gongkai.core.jobs import register
        from gongkai.workdays.registry import register_deadline_source

        from .evidence.jobs import KIND
        from .services.deadlines import recompute_open_deadlines

        register(KIND)  # the evidence bundle of a remedy case (证据材料)

        # Loading a new calendar year recomputes every open application's deadlines (and rolls back on failure).
        register_deadline_source("applications", recompute_open_deadlines)
