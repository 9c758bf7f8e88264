"""An application whose every item is approved, ready for its certificate."""

import pytest

from onelicense.accounts.models import Department, User
from onelicense.applications.models import Application
from onelicense.approvals import services as review
from onelicense.approvals.tests.helpers import restaurant_accepted


def reviewer(kind: str) -> User:
    office = Department.objects.get(district__code="110105", kind__code=kind)
    return User.objects.create_user(f"r_{kind}", role=User.Role.REVIEWER, department=office)


@pytest.fixture
def completed(beijing_catalogue, applicant, clerk) -> Application:
    application = restaurant_accepted(applicant, clerk)
    for case in application.cases.select_related("item__department"):
        review.case_approve(case=case, reviewer=reviewer(case.item.department.code))
    application.refresh_from_db()
    assert application.status == Application.Status.COMPLETED
    return application
