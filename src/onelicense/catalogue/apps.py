from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "onelicense.catalogue"
    verbose_name = "行业目录"
