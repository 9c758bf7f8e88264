"""Fixtures shared by every app's tests: catalogues and personas.

Personas: an applicant and another applicant; the 朝阳区 window clerk and district admin; a
reviewer of each of two 朝阳区 departments (市场监管, 消防); a 海淀区 clerk and reviewer; the
city admin; an outsider (an applicant who owns nothing here).
"""

import datetime
from pathlib import Path

import pytest
from pytest_django.fixtures import Settings

from onelicense.accounts.models import Department, District, User
from onelicense.applications.models import Application
from onelicense.approvals import services as review
from onelicense.approvals.tests.helpers import restaurant_accepted
from onelicense.catalogue.models import CatalogueVersion, Industry
from onelicense.catalogue.services import catalogue_import, offerings_open

FIXTURES = Path(__file__).parent / "catalogue" / "tests" / "fixtures"
BEIJING = Path(__file__).parent / "catalogue" / "data" / "beijing.yaml"
# In the fixtures every district offers every industry, except 延庆区 the coffee shop.
NOT_OFFERED = ("110119", "coffee_shop")


def _open_everywhere(version: CatalogueVersion) -> None:
    codes = list(Industry.objects.filter(version=version).values_list("code", flat=True))
    districts = list(District.objects.all())
    live = datetime.date(2023, 11, 30)
    offerings_open(
        districts=[d for d in districts if d.code != NOT_OFFERED[0]],
        industry_codes=codes,
        live_from=live,
    )
    offerings_open(
        districts=[d for d in districts if d.code == NOT_OFFERED[0]],
        industry_codes=[c for c in codes if c != NOT_OFFERED[1]],
        live_from=live,
    )


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Settings) -> None:
    """Hashing test passwords the production way costs a second per persona."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def small_catalogue(db: None) -> CatalogueVersion:
    """A published two-industry catalogue whose figures are computed by hand in the tests."""
    path = FIXTURES / "small.yaml"
    version = catalogue_import(text=path.read_text("utf-8"), filename=path.name, publish=True)
    _open_everywhere(version)
    return version


@pytest.fixture
def beijing_catalogue(db: None) -> CatalogueVersion:
    """The shipped Beijing catalogue of 40 industries, published."""
    version = catalogue_import(text=BEIJING.read_text("utf-8"), filename=BEIJING.name, publish=True)
    _open_everywhere(version)
    return version


def _staff(username: str, role: str, district: str, kind: str | None = None) -> User:
    if kind:
        office = Department.objects.get(district__code=district, kind__code=kind)
        return User.objects.create_user(username, password="pw", role=role, department=office)
    place = District.objects.get(code=district)
    return User.objects.create_user(username, password="pw", role=role, district=place)


@pytest.fixture
def applicant(db: None) -> User:
    return User.objects.create_user("applicant", password="pw", display_name="张明")


@pytest.fixture
def other_applicant(db: None) -> User:
    return User.objects.create_user("other", password="pw", display_name="李四")


@pytest.fixture
def clerk(db: None) -> User:
    return _staff("clerk_chaoyang", User.Role.CLERK, "110105")


@pytest.fixture
def district_admin(db: None) -> User:
    return _staff("admin_chaoyang", User.Role.DISTRICT_ADMIN, "110105")


@pytest.fixture
def market_reviewer(db: None) -> User:
    return _staff("market_chaoyang", User.Role.REVIEWER, "110105", "market_regulation")


@pytest.fixture
def fire_reviewer(db: None) -> User:
    return _staff("fire_chaoyang", User.Role.REVIEWER, "110105", "fire_rescue")


@pytest.fixture
def other_clerk(db: None) -> User:
    return _staff("clerk_haidian", User.Role.CLERK, "110108")


@pytest.fixture
def other_reviewer(db: None) -> User:
    return _staff("market_haidian", User.Role.REVIEWER, "110108", "market_regulation")


@pytest.fixture
def city_admin(db: None) -> User:
    return User.objects.create_user("city", password="pw", role=User.Role.CITY_ADMIN)


@pytest.fixture
def outsider(db: None) -> User:
    return User.objects.create_user("outsider", password="pw")


def _reviewer(kind: str) -> User:
    office = Department.objects.get(district__code="110105", kind__code=kind)
    return User.objects.create_user(f"r_{kind}", role=User.Role.REVIEWER, department=office)


@pytest.fixture
def completed(beijing_catalogue: CatalogueVersion, applicant: User, clerk: User) -> Application:
    application = restaurant_accepted(applicant, clerk)
    for case in application.cases.select_related("item__department"):
        review.case_approve(case=case, reviewer=_reviewer(case.item.department.code))
    application.refresh_from_db()
    assert application.status == Application.Status.COMPLETED
    return application
