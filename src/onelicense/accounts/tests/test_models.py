import pytest
from django.db import IntegrityError, transaction

from onelicense.accounts.models import Department, DepartmentKind, District, User
from onelicense.accounts.places import DEPARTMENT_KINDS, DISTRICTS
from onelicense.accounts.services import DEMO_PEOPLE, demo_accounts_ensure, inspectors_ensure

pytestmark = pytest.mark.django_db


def test_every_district_is_there_with_its_code() -> None:
    assert District.objects.count() == 17
    assert District.objects.get(code="110105").name == "朝阳区"
    assert District.objects.get(code="110119").name == "延庆区"
    assert [d.code for d in District.objects.all()] == [row.code for row in DISTRICTS]


def test_each_district_has_one_department_of_each_district_kind() -> None:
    chaoyang = District.objects.get(code="110105")
    district_kinds = [k for k in DEPARTMENT_KINDS if k.district_level]
    assert chaoyang.departments.count() == len(district_kinds)
    market = Department.objects.get(district=chaoyang, kind__code="market_regulation")
    assert market.name == "朝阳区市场监督管理局"


def test_city_only_bodies_have_no_district_office() -> None:
    postal = DepartmentKind.objects.get(code="postal")
    offices = list(postal.departments.all())
    assert [(o.name, o.district) for o in offices] == [("北京市邮政管理局", None)]


def test_a_kind_has_at_most_one_office_per_district() -> None:
    market = Department.objects.get(district__code="110105", kind__code="market_regulation")
    with pytest.raises(IntegrityError), transaction.atomic():
        Department.objects.create(kind=market.kind, district=market.district, name="另一个")


@pytest.mark.parametrize(
    ("role", "district", "department", "allowed"),
    [
        (User.Role.REVIEWER, False, True, True),
        (User.Role.REVIEWER, False, False, False),
        (User.Role.CLERK, True, False, True),
        (User.Role.CLERK, False, False, False),
        (User.Role.CLERK, True, True, False),
        (User.Role.DISTRICT_ADMIN, True, False, True),
        (User.Role.APPLICANT, False, False, True),
        (User.Role.APPLICANT, True, False, False),
        (User.Role.CITY_ADMIN, False, False, True),
        (User.Role.INSPECTOR, False, True, True),
    ],
)
def test_a_user_is_scoped_as_the_role_requires(role, district, department, allowed) -> None:
    office = Department.objects.get(district__code="110105", kind__code="market_regulation")
    fields = {
        "username": "someone",
        "role": role,
        "district": office.district if district else None,
        "department": office if department else None,
    }
    if allowed:
        User.objects.create(**fields)
    else:
        with pytest.raises(IntegrityError), transaction.atomic():
            User.objects.create(**fields)


def test_a_reviewer_sees_the_district_of_their_department() -> None:
    office = Department.objects.get(district__code="110108", kind__code="fire_rescue")
    reviewer = User.objects.create(username="r", role=User.Role.REVIEWER, department=office)
    assert reviewer.scope_district == office.district


def test_demo_accounts_are_created_once() -> None:
    first = demo_accounts_ensure()
    second = demo_accounts_ensure()
    assert first == second
    assert User.objects.count() == len(DEMO_PEOPLE)
    clerk = User.objects.get(username="clerk_chaoyang")
    assert clerk.check_password(first[0].password)
    assert clerk.district is not None and clerk.district.code == "110105"


def test_a_district_roster_gives_each_department_its_inspectors_once() -> None:
    chaoyang = District.objects.get(code="110105")
    offices = chaoyang.departments.count()
    made = inspectors_ensure(district=chaoyang, per_department=2, names=["王芳", "李强", "赵敏"])
    assert made == 2 * offices
    assert inspectors_ensure(district=chaoyang, per_department=2, names=["王芳"]) == 0
    fire = User.objects.filter(role=User.Role.INSPECTOR, department__kind__code="fire_rescue")
    assert fire.count() == 2 and {u.department and u.department.district for u in fire} == {
        chaoyang
    }
    assert not any(u.has_usable_password() for u in fire)
    assert all("朝阳区消防救援支队" in u.display_name for u in fire)
