from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "onelicense.supervision"
    verbose_name = "“6+4”综合监管"
