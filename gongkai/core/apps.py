from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gongkai.core"
    verbose_name = "核心"

    def ready(self) -> None:
        from .backup import after_restore
        from .pagecache import bump_everything

        after_restore(bump_everything)  # a restored database shows other pages than the ones kept
