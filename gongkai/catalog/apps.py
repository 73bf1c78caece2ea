from typing import Any

from django.apps import AppConfig


def _reindex_after_restore(sender: Any, **kwargs: Any) -> None:
    """The full-text index (SQLite: a virtual table no backup holds) is rebuilt from the restored rows."""
    from .search_sync import search_reindex

    search_reindex()


class CatalogConfig(AppConfig):
    name = "gongkai.catalog"
    label = "catalog"
    verbose_name = "主动公开"

    def ready(self) -> None:
        from gongkai.core.backup import restored

        restored.connect(_reindex_after_restore, dispatch_uid="catalog_reindex_after_restore")

        from gongkai.core.jobs import register

        from .jobs import KIND

        register(KIND)

        from gongkai.core.pagecache import register_view_counter

        from .visits import VIEW_COUNTER, column_visit_count

        register_view_counter(VIEW_COUNTER, column_visit_count)

        from gongkai.core.images import register_owner

        from .images import OWNER_RULE

        register_owner(OWNER_RULE)
