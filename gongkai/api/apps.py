from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "gongkai.api"
    verbose_name = "接口"
