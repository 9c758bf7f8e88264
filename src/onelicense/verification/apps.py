from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class VerificationConfig(AppConfig):
    name = "onelicense.verification"
    verbose_name = "核验"

    def ready(self) -> None:
        # Cache invalidation only: a saved or deleted key must not be trusted (or distrusted)
        # from a stale table in this process.
        from onelicense.licences.models import SigningKey
        from onelicense.verification.models import ForeignIssuerKey
        from onelicense.verification.selectors import trusted_keys_forget

        for model in (SigningKey, ForeignIssuerKey):
            post_save.connect(trusted_keys_forget, sender=model, dispatch_uid=f"forget-{model}")
            post_delete.connect(trusted_keys_forget, sender=model, dispatch_uid=f"forget-d-{model}")
