from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "onelicense.portal"
    verbose_name = "门户"
