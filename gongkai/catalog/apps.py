from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "gongkai.catalog"
    verbose_name = "主动公开"

    def ready(self) -> None:
        from gongkai.core.backup import after_restore
        from gongkai.core.images import register_owner
        from gongkai.core.jobs import register
        from gongkai.core.pagecache import register_view_counter

        from .images import OWNER_RULE
        from .jobs import KIND
        from .search_sync import search_reindex
        from .visits import VIEW_COUNTER, column_visit_count

        # The full-text index (SQLite: a virtual table no backup holds) is rebuilt from the restored rows.
        after_restore(search_reindex)
        register(KIND)  # the full reindex runs as a background job
        register_view_counter(VIEW_COUNTER, column_visit_count)  # 栏目访问量
        register_owner(OWNER_RULE)  # who may see a picture in an item's rich text
