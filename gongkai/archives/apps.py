from django.apps import AppConfig


class ArchivesConfig(AppConfig):
    name = "gongkai.archives"
    label = "archives"
    verbose_name = "归档"
