"""双随机's second draw: the inspectors. The same seed draws the same enterprises and the same
inspectors; another seed draws others; the exempt are never drawn; the plan's inspections are
planned all at once, or none when a department has no inspector."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from onelicense.accounts.models import Department, User
from onelicense.core.errors import DomainError
from onelicense.supervision import sampling, selectors, services
from onelicense.supervision.models import Inspection
from onelicense.supervision.tests.helpers import joint_inspection

POPULATION = [{"uscc": f"9111010500000000{n:02d}", "weight": 1} for n in range(30)]
POOL = list(range(1, 11))


def test_the_same_seed_picks_the_same_inspectors_and_another_seed_others():
    def draw(seed: int) -> dict[str, list[int]]:
        return {
            uscc: sampling.inspectors_pick(POOL, [], seed, f"{uscc}:market_regulation")
            for uscc in sampling.sample_draw(POPULATION, 5, seed)
        }

    first = draw(2025)
    assert draw(2025) == first
    assert all(len(set(picked)) == 2 and set(picked) <= set(POOL) for picked in first.values())
    # Seeds 2025 and 2026 draw other enterprises, and for an enterprise both draw, others.
    other = draw(2026)
    assert other != first
    assert sampling.inspectors_pick(POOL, [], 2025, "x:market_regulation") != (
        sampling.inspectors_pick(POOL, [], 2026, "x:market_regulation")
    )


def test_the_previous_inspectors_are_avoided_while_others_remain():
    for seed in range(50):
        assert not {1, 2} & set(sampling.inspectors_pick([1, 2, 3, 4], [1, 2], seed, "k"))
        # Only one other: it, and one of the previous ones.
        picked = sampling.inspectors_pick([1, 2, 3], [1, 2], seed, "k")
        assert 3 in picked and len(picked) == 2
    assert sampling.inspectors_pick([7], [7], 1, "k") == [7]
    assert sampling.inspectors_pick([], [], 1, "k") == []


def _inspectors(kind: str, count: int) -> list[User]:
    office = Department.objects.get(district__code="110105", kind__code=kind)
    return [
        User.objects.create_user(
            f"{kind}_{n}", password="pw", role=User.Role.INSPECTOR, department=office
        )
        for n in range(count)
    ]


@pytest.fixture
def kinds(checklist) -> list[str]:
    return sorted({p.department.code for p in selectors.checklist_points(checklist)})


@pytest.fixture
def staffed(kinds, inspector, fire_inspector) -> dict[str, list[User]]:
    """Every department on the restaurant checklist: several inspectors in 朝阳区."""
    return {kind: _inspectors(kind, 4) for kind in kinds}


def test_a_plan_records_both_draws_and_the_same_seed_repeats_them(restaurant, staffed, inspector):
    first = sampling.sampling_plan_create(actor=inspector, title="一", size=3, seed=7)
    again = sampling.sampling_plan_create(actor=inspector, title="二", size=3, seed=7)
    assert first.drawn == again.drawn == [restaurant.uscc]
    assert first.assignments == again.assignments
    entry = first.assignments[restaurant.uscc]
    assert entry["industry"] == "restaurant" and set(entry["departments"]) == set(staffed)
    for kind, row in entry["departments"].items():
        assert len(row["drawn"]) == 2 and set(row["drawn"]) <= set(row["pool"])
        people = User.objects.filter(pk__in=row["drawn"])
        assert {p.department.kind.code for p in people if p.department} == {kind}
        assert all(p.department for p in people)
    assert sampling.sampling_plan_reproduces(first)
    first.assignments[restaurant.uscc]["departments"]["fire_rescue"]["drawn"] = [0, 1]
    assert not sampling.sampling_plan_reproduces(first)


def test_another_seed_draws_other_inspectors(restaurant, staffed, inspector):
    one = sampling.sampling_plan_create(actor=inspector, title="一", size=1, seed=1)
    two = sampling.sampling_plan_create(actor=inspector, title="二", size=1, seed=2)
    # One enterprise only, but 4–5 inspectors in each of several departments: these seeds differ.
    assert one.drawn == two.drawn and one.assignments != two.assignments


def test_the_exempt_are_drawn_with_no_inspectors(restaurant, staffed, inspector):
    services.assessment_refresh(enterprise=restaurant)  # A and quiet: 无事不扰
    plan = sampling.sampling_plan_create(actor=inspector, title="抽查", size=5, seed=3)
    assert plan.exempt == [restaurant.uscc] and plan.drawn == [] and plan.assignments == {}
    with pytest.raises(DomainError) as caught:
        sampling.sampling_plan_inspections_create(
            plan=plan, actor=inspector, planned_for=timezone.localdate()
        )
    assert caught.value.code == "plan_empty"


def test_the_last_inspectors_are_not_drawn_again(
    checklist, restaurant, staffed, inspector, fire_inspector
):
    joint_inspection(inspector, fire_inspector, restaurant)
    for seed in range(5):
        plan = sampling.sampling_plan_create(actor=inspector, title="抽查", size=1, seed=seed)
        departments = plan.assignments[restaurant.uscc]["departments"]
        assert inspector.pk not in departments["market_regulation"]["drawn"]
        assert fire_inspector.pk not in departments["fire_rescue"]["drawn"]
        assert departments["market_regulation"]["avoided"] == [inspector.pk]


def test_the_plan_plans_every_inspection_with_the_drawn_inspectors(restaurant, staffed, inspector):
    plan = sampling.sampling_plan_create(actor=inspector, title="抽查", size=1, seed=5)
    day = timezone.localdate() + datetime.timedelta(days=7)
    [inspection] = sampling.sampling_plan_inspections_create(
        plan=plan, actor=inspector, planned_for=day
    )
    departments = plan.assignments[restaurant.uscc]["departments"]
    drawn = {pk for row in departments.values() for pk in row["drawn"]}
    assert set(inspection.participants.values_list("pk", flat=True)) == drawn
    assert {k.code for k in inspection.departments.all()} == set(departments)
    assert inspection.plan == plan and inspection.planned_for == day
    assert inspection.enterprise == restaurant and inspection.industry_code == "restaurant"
    with pytest.raises(DomainError) as caught:
        sampling.sampling_plan_inspections_create(plan=plan, actor=inspector, planned_for=day)
    assert caught.value.code == "plan_inspections_exist"
    assert Inspection.objects.count() == 1


def test_a_department_without_inspectors_refuses_the_whole_plan(
    restaurant, kinds, inspector, fire_inspector
):
    for kind in kinds:
        if kind not in {"market_regulation", "fire_rescue", "tobacco"}:
            _inspectors(kind, 2)
    plan = sampling.sampling_plan_create(actor=inspector, title="抽查", size=1, seed=5)
    assert plan.assignments[restaurant.uscc]["departments"]["tobacco"]["drawn"] == []
    with pytest.raises(DomainError) as caught:
        sampling.sampling_plan_inspections_create(
            plan=plan, actor=inspector, planned_for=timezone.localdate()
        )
    assert caught.value.code == "department_without_inspector"
    assert "烟草" in caught.value.message and restaurant.name in caught.value.message
    assert Inspection.objects.count() == 0


def test_another_district_cannot_plan_from_the_plan(
    restaurant, staffed, inspector, other_inspector
):
    plan = sampling.sampling_plan_create(actor=inspector, title="抽查", size=1, seed=5)
    with pytest.raises(DomainError) as caught:
        sampling.sampling_plan_inspections_create(
            plan=plan, actor=other_inspector, planned_for=timezone.localdate()
        )
    assert caught.value.code == "plan_not_found" and Inspection.objects.count() == 0


def test_the_plan_page_shows_the_inspectors_and_plans_the_inspections(
    client, restaurant, staffed, inspector, other_inspector
):
    plan = sampling.sampling_plan_create(actor=inspector, title="抽查", size=1, seed=5)
    client.force_login(inspector)
    url = reverse("supervision:plan", args=[plan.pk])
    html = client.get(url).content.decode()
    market = plan.assignments[restaurant.uscc]["departments"]["market_regulation"]["drawn"]
    for person in User.objects.filter(pk__in=market):
        assert str(person) in html
    assert "结果一致" in html and "按计划安排联合检查" in html
    post = reverse("supervision:plan_inspections", args=[plan.pk])
    day = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    client.force_login(other_inspector)
    assert client.post(post, {"planned_for": day}).status_code == 404
    client.force_login(inspector)
    assert client.post(post, {"planned_for": day}).status_code == 302
    assert Inspection.objects.filter(plan=plan).count() == 1
    assert "按计划安排联合检查" not in client.get(url).content.decode()
