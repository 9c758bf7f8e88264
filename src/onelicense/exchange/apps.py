from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "onelicense.exchange"
    verbose_name = "数据交换"
