"""What several apps' tests do to a certificate."""

import datetime

from onelicense.accounts.models import User
from onelicense.licences import services
from onelicense.licences.models import Certificate, Permit


def renewed(certificate: Certificate, admin: User) -> Certificate:
    """换发 after a permit's validity is extended: the face changes, nothing is voided."""
    permit = Permit.objects.filter(application=certificate.application).earliest("id")
    services.permit_change(
        permit=permit,
        actor=None,
        operation="renew",
        reason="延续",
        valid_until=datetime.date(2099, 12, 31),
    )
    return services.certificate_reissue(certificate=certificate, admin=admin, reason="有效期延续")
