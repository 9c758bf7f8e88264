from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "onelicense.reports"
    verbose_name = "统计报表"
