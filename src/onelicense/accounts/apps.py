from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "onelicense.accounts"
    verbose_name = "人员与机构"
