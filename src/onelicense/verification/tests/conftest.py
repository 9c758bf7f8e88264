"""A completed 朝阳区 restaurant (three permits), its certificate and the certificate's token."""

import pytest
from django.core.cache import cache

from onelicense.accounts.models import Department, User
from onelicense.applications.models import Application
from onelicense.approvals import services as review
from onelicense.approvals.tests.helpers import restaurant_accepted
from onelicense.licences import services as licences
from onelicense.licences.keys import signer_for
from onelicense.licences.models import Certificate, SigningKey
from onelicense.licences.tokens import Claims, token_make
from onelicense.verification.selectors import KEYS


@pytest.fixture(autouse=True)
def _fresh_caches():
    """The key table and the rate limit live per process; each test starts without them."""
    KEYS.clear()
    cache.clear()
    yield
    KEYS.clear()
    cache.clear()


def token_of(certificate: Certificate, **changes: object) -> str:
    """The certificate's QR token, as certificate_issue signs it (ECDSA signatures differ
    from run to run, so it is not byte-equal to the PDF's, only as valid)."""
    key = SigningKey.objects.get(kid=certificate.key_id)
    fields: dict[str, object] = {
        "number": certificate.number,
        "version": certificate.version,
        "kid": certificate.key_id,
        "digest": certificate.face_digest,
        "issued_at": int(certificate.issued_at.timestamp()),
        "status_list": certificate.status_list,
        "status_index": certificate.status_index,
    }
    return token_make(Claims(**(fields | changes)), signer_for(key))  # type: ignore[arg-type]


@pytest.fixture
def completed(beijing_catalogue, applicant, clerk) -> Application:
    application = restaurant_accepted(applicant, clerk)
    for case in application.cases.select_related("item__department"):
        office = Department.objects.get(
            district__code="110105", kind__code=case.item.department.code
        )
        user = User.objects.create_user(
            f"r_{case.item.department.code}", role=User.Role.REVIEWER, department=office
        )
        review.case_approve(case=case, reviewer=user)
    application.refresh_from_db()
    assert application.status == Application.Status.COMPLETED
    return application


@pytest.fixture
def certificate(completed, district_admin) -> Certificate:
    return licences.certificate_issue(application=completed, admin=district_admin)


@pytest.fixture
def token(certificate) -> str:
    return token_of(certificate)
