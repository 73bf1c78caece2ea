from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "gongkai.backoffice"
    verbose_name = "后台"
