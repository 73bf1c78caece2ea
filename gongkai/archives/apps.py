from django.apps import AppConfig


class ArchivesConfig(AppConfig):
    name = "gongkai.archives"
    verbose_name = "归档"

    def ready(self) -> None:
        from gongkai.applications.retention_scrub import register_records_hold
        from gongkai.core.jobs import register

        from .bulk import KIND
        from .holds import holds_records
        from .transfer import PACKAGE_KIND

        register(KIND)  # 批量归档 runs as a background job
        register(PACKAGE_KIND)  # and so does the 移交包

        # Filed applications keep the stamped scans of their letters for the archive's 保管期限.
        register_records_hold("archives", holds_records)
