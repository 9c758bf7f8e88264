"""Property: a certificate's status never contradicts its permits, whatever happens to them."""

import datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onelicense.core.errors import DomainError
from onelicense.licences import services
from onelicense.licences.models import Certificate, Permit

OPERATIONS = ["suspend", "restore", "cancel", "annul", "revoke", "expire", "renew", "change"]


def allowed(operation: str, status: str) -> bool:
    if operation in services.TRANSITIONS:
        return status in services.TRANSITIONS[operation][0]
    return operation == "change" or status not in Permit.ENDED  # renew needs a live permit


def expected(permits: list[Permit]) -> str:
    if any(p.status in Permit.ENDED for p in permits):
        return Certificate.Status.VOID
    return Certificate.Status.VALID


@pytest.fixture
def issued(completed, district_admin) -> Certificate:
    return services.certificate_issue(application=completed, admin=district_admin)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=st.lists(st.tuples(st.integers(0, 2), st.sampled_from(OPERATIONS)), max_size=8))
def test_status_follows_the_permits(issued, steps) -> None:
    with transaction.atomic():  # each example starts from the issued certificate again
        permits = list(Permit.objects.filter(application=issued.application).order_by("id"))
        for n, (index, operation) in enumerate(steps):
            permit = permits[index]
            before = permit.status
            try:
                services.permit_change(
                    permit=permit,
                    actor=None,
                    operation=operation,
                    reason="随机操作",
                    legal_basis="《行政许可法》第七十条",
                    valid_until=datetime.date(2090, 1, 1) + datetime.timedelta(days=n),
                    details={"note": "变更"},
                )
            except DomainError as exc:
                # Refused exactly where the vocabulary forbids it.
                assert exc.code == "permit_wrong_state"
                assert not allowed(operation, before)
            else:
                assert allowed(operation, before)
            permit.refresh_from_db()
            issued.refresh_from_db()
            assert services.certificate_status(issued) == expected(permits)
            assert (issued.voided_at is not None) == (expected(permits) == Certificate.Status.VOID)
            assert (issued.recovered_at is not None) == (issued.voided_at is not None)
        transaction.set_rollback(True)
