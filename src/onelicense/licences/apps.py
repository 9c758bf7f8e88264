from django.apps import AppConfig


class LicencesConfig(AppConfig):
    name = "onelicense.licences"
    verbose_name = "证照"
