from django.apps import AppConfig


class VerificationConfig(AppConfig):
    name = "onelicense.verification"
    verbose_name = "核验"
