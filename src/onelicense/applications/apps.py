from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "onelicense.applications"
    verbose_name = "申请与受理"
