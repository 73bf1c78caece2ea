from typing import Any

from django.apps import AppConfig


def _pages_after_restore(sender: Any, **kwargs: Any) -> None:
    """A restored database shows other pages than the ones kept: retire them all."""
    from .pagecache import bump_everything

    bump_everything()


class CoreConfig(AppConfig):
    name = "gongkai.core"
    label = "core"
    verbose_name = "核心"

    def ready(self) -> None:
        from .backup import restored

        restored.connect(_pages_after_restore, dispatch_uid="core_pages_after_restore")
