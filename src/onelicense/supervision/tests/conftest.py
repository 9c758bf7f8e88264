"""Supervision personas and a certified 朝阳区 restaurant with three permits.

Personas: the 朝阳区 market-regulation inspector (the owner of the inspections), a 朝阳区 fire
inspector (the other department of a joint inspection), a 海淀区 market inspector (another
district) and a 朝阳区 health inspector (a department with nothing on a restaurant's checklist).
"""

import pytest

from onelicense.accounts.models import Department, User
from onelicense.applications.models import Application, Enterprise
from onelicense.licences import services as licences
from onelicense.licences.models import Certificate
from onelicense.supervision import services
from onelicense.supervision.models import Checklist


def _inspector(username: str, district: str, kind: str) -> User:
    office = Department.objects.get(district__code=district, kind__code=kind)
    return User.objects.create_user(
        username, password="pw", role=User.Role.INSPECTOR, department=office
    )


@pytest.fixture
def inspector(db: None) -> User:
    return _inspector("inspector_chaoyang", "110105", "market_regulation")


@pytest.fixture
def fire_inspector(db: None) -> User:
    return _inspector("fire_inspector_chaoyang", "110105", "fire_rescue")


@pytest.fixture
def other_inspector(db: None) -> User:
    return _inspector("inspector_haidian", "110108", "market_regulation")


@pytest.fixture
def health_inspector(db: None) -> User:
    return _inspector("health_inspector_chaoyang", "110105", "health")


@pytest.fixture
def certificate(completed: Application, district_admin: User) -> Certificate:
    return licences.certificate_issue(application=completed, admin=district_admin)


@pytest.fixture
def restaurant(completed: Application) -> Enterprise:
    assert completed.enterprise is not None
    return completed.enterprise


@pytest.fixture
def checklist(beijing_catalogue: object) -> Checklist:
    return services.checklist_generate(industry_code="restaurant")
