from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "gongkai.orgs"
    verbose_name = "机构"

    def ready(self) -> None:
        from gongkai.core.jobs import register

        from .jobs import KIND

        register(KIND)
