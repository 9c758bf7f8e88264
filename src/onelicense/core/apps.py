from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "onelicense.core"
    verbose_name = "基础"
