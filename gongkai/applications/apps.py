from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "gongkai.applications"
    verbose_name = "依申请公开"

    def ready(self) -> None:
        from gongkai.core.jobs import register
        from gongkai.workdays.registry import register_deadline_source

        from .evidence.jobs import KIND as EVIDENCE_BUNDLE
        from .ledger_jobs import KIND as LEDGER_IMPORT
        from .services.deadlines import recompute_open_deadlines

        register(EVIDENCE_BUNDLE)  # the evidence bundle of a remedy case (证据材料)

        # Loading a new calendar year recomputes every open application's deadlines (and rolls back on failure).
        register_deadline_source("applications", recompute_open_deadlines)
        register(LEDGER_IMPORT)  # the 台账 import runs as a background job
