"""Reads of the workbench: the department's scope, the inbox's order and tabs, the clock of
many cases, and the slice of the plan that one case shows."""

import datetime

import pytest
import time_machine

from onelicense.accounts.models import Department, User
from onelicense.applications.models import Application
from onelicense.approvals import selectors, services
from onelicense.approvals.clock import clock_state
from onelicense.approvals.models import ItemCase
from onelicense.approvals.selectors import InboxFilter, Tab
from onelicense.approvals.tests.helpers import restaurant_accepted
from onelicense.core.errors import DomainError

D = datetime.date
FOOD, FIRE, TOBACCO = "food_business_licence", "fire_safety_check", "tobacco_retail_licence"
# Seeds whose sample form has a valid ID number: applications.samples.sample_id_number passes
# calc_check_digit the 17-digit body, which stdnum expects with a check digit appended, so only
# about one seed in eleven gives a valid number. Each seed names a different enterprise.
SEEDS = (1, 19, 25, 26, 36)


def at(day: D) -> time_machine.travel:
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, 10, tzinfo=datetime.UTC), tick=False
    )


def staff(kind: str, *, lead: bool = False, name: str = "") -> User:
    office = Department.objects.get(district__code="110105", kind__code=kind)
    return User.objects.create_user(
        name or f"{kind}_{lead}", role=User.Role.REVIEWER, department=office, is_lead=lead
    )


def case_of(application: Application, item: str) -> ItemCase:
    return ItemCase.objects.select_related("application", "item").get(
        application=application, item__code=item
    )


def numbers(page: selectors.InboxPage) -> list[str]:
    return [row.case.application.number for row in page.rows]


@pytest.fixture
def accepted(beijing_catalogue, applicant, clerk) -> Application:
    return restaurant_accepted(applicant, clerk)


class TestScope:
    def test_a_reviewer_sees_only_the_cases_of_their_department(
        self, accepted, market_reviewer, fire_reviewer
    ):
        market = selectors.department_cases(market_reviewer)
        fire = selectors.department_cases(fire_reviewer)
        assert [c.item.code for c in market] == [FOOD]
        assert [c.item.code for c in fire] == [FIRE]

    def test_another_district_and_other_roles_see_nothing(
        self, accepted, other_reviewer, clerk, applicant, city_admin
    ):
        for user in (other_reviewer, clerk, applicant, city_admin):
            assert not selectors.department_cases(user).exists()

    def test_a_case_of_another_department_is_not_found(self, accepted, fire_reviewer):
        food = case_of(accepted, FOOD)
        with pytest.raises(DomainError) as caught:
            selectors.case_for_reviewer(fire_reviewer, food.pk)
        assert caught.value.status == 404

    def test_colleagues_and_leads_are_of_the_department(self, accepted, market_reviewer):
        lead = staff("market_regulation", lead=True)
        staff("fire_rescue", lead=True)
        department = market_reviewer.department_id
        assert set(selectors.department_colleagues(department)) == {market_reviewer, lead}
        assert list(selectors.department_leads(department)) == [lead]


class TestClock:
    def test_many_cases_read_the_clock_as_one_case_does(
        self, beijing_catalogue, applicant, clerk, market_reviewer
    ):
        lead = staff("market_regulation", lead=True)
        cases = []
        for seed, day in zip(SEEDS, [D(2026, 3, 2), D(2026, 3, 9), D(2026, 3, 20)], strict=False):
            with at(day):
                cases.append(case_of(restaurant_accepted(applicant, clerk, seed=seed), FOOD))
        with at(D(2026, 3, 3)):
            services.case_extend(
                case=cases[0], reviewer=market_reviewer, lead=lead, days=4, reason="复核"
            )
        with at(D(2026, 3, 11)):
            services.case_request_correction(
                case=cases[1], reviewer=market_reviewer, missing=["座位数"]
            )
        with at(D(2026, 3, 16)):
            services.case_correction_submit(case=cases[1], actor=applicant)
        with at(D(2026, 3, 23)):
            services.case_suspend(
                case=cases[2],
                reviewer=market_reviewer,
                kind="testing",
                reason="检测",
                expected_end=D(2026, 4, 1),
            )
        fresh = list(ItemCase.objects.filter(pk__in=[c.pk for c in cases]))
        for today in (D(2026, 3, 1), D(2026, 3, 12), D(2026, 3, 25), D(2026, 5, 4)):
            together = selectors.clock_states(fresh, today)
            assert together == {case.pk: clock_state(case, today) for case in fresh}

    def test_no_cases_no_reading(self, db, django_assert_num_queries):
        with django_assert_num_queries(0):
            assert selectors.clock_states([], D(2026, 3, 2)) == {}


class TestInbox:
    def test_overdue_first_then_80_and_60_percent_then_by_due_date_paused_last(
        self, beijing_catalogue, applicant, clerk, market_reviewer
    ):
        lead = staff("market_regulation", lead=True)
        made = {}
        days = {
            "overdue": D(2026, 3, 2),  # due 3月16日
            "eighty": D(2026, 3, 9),  # due 3月23日, 9 of 10 days used on 3月20日
            "sixty": D(2026, 3, 2),  # extended by 10: due 3月30日, 14 of 20 used
            "early": D(2026, 3, 13),  # due 3月27日, 5 of 10 used: before "sixty" by date
            "paused": D(2026, 3, 9),
        }
        for seed, (name, day) in zip(SEEDS, days.items(), strict=True):
            with at(day):
                made[name] = restaurant_accepted(applicant, clerk, seed=seed)
        with at(D(2026, 3, 2)):
            services.case_extend(
                case=case_of(made["sixty"], FOOD),
                reviewer=market_reviewer,
                lead=lead,
                days=10,
                reason="需现场复核",
            )
        with at(D(2026, 3, 10)):
            services.case_request_correction(
                case=case_of(made["paused"], FOOD), reviewer=market_reviewer, missing=["座位数"]
            )

        page = selectors.inbox_page(market_reviewer, InboxFilter(), page=None, today=D(2026, 3, 20))

        order = ["overdue", "eighty", "sixty", "early", "paused"]
        assert numbers(page) == [made[name].number for name in order]
        assert [row.band for row in page.rows] == ["overdue", "80", "60", "", "paused"]
        assert page.rows[0].clock.overdue and page.rows[0].bar_percent == 100

    def test_tabs_mine_done_and_their_counts(
        self, beijing_catalogue, applicant, clerk, market_reviewer
    ):
        first, second, third = (
            restaurant_accepted(applicant, clerk, seed=seed) for seed in SEEDS[:3]
        )
        services.case_claim(case=case_of(second, FOOD), reviewer=market_reviewer)
        services.case_approve(case=case_of(third, FOOD), reviewer=market_reviewer)
        today = D.today()

        def tab(name: str, **more: str) -> selectors.InboxPage:
            inbox = InboxFilter(tab=name, **more)
            return selectors.inbox_page(market_reviewer, inbox, page=None, today=today)

        assert set(numbers(tab(Tab.TODO))) == {first.number, second.number}
        assert numbers(tab(Tab.MINE)) == [second.number]
        assert numbers(tab(Tab.DONE)) == [third.number]
        assert tab(Tab.TODO).counts == {"todo": 2, "mine": 1, "done": 1, "verify": 0}
        assert numbers(tab(Tab.TODO, status="in_review")) == [second.number]
        assert numbers(tab(Tab.TODO, query=str(first.number))) == [first.number]
        name = first.form_data["enterprise_name"]
        assert numbers(tab(Tab.TODO, query=name[2:6])) == [first.number]
        assert numbers(tab(Tab.TODO, item="tobacco_retail_licence")) == []

    def test_the_verification_tab_lists_commitment_checks_due(
        self, beijing_catalogue, applicant, clerk, fire_reviewer
    ):
        with at(D(2026, 3, 2)):
            application = restaurant_accepted(
                applicant, clerk, routes={"fire_safety_check": "commitment"}
            )
        inbox = InboxFilter(tab=Tab.VERIFY)
        page = selectors.inbox_page(fire_reviewer, inbox, page=None, today=D(2026, 3, 3))
        assert [v.case.application.number for v in page.rows] == [application.number]
        assert page.rows[0].next_date == D(2026, 3, 30)
        assert page.counts[Tab.VERIFY] == 1

    def test_the_item_filter_offers_the_departments_items(self, accepted, market_reviewer):
        assert selectors.inbox_items(market_reviewer) == [(FOOD, "食品经营许可（新办）")]


class TestCaseSheet:
    def test_shows_only_what_the_item_needs(self, accepted):
        sheet = selectors.case_sheet(case_of(accepted, FOOD), D(2026, 3, 2))
        labels = [line.label for _section, lines in sheet.sections for line in lines]
        materials = [row.material.code for row in sheet.materials]
        questions = [line.label for line in sheet.answers]
        assert "座位数" in labels and "消防安全责任人姓名" not in labels
        assert "food_safety_rules" in materials and "fire_facilities_plan" not in materials
        assert "是否销售酒类？" in questions and "是否销售烟草制品？" not in questions
        assert all(row.files for row in sheet.materials)
        assert [c.item.code for c in sheet.others] == [FIRE, TOBACCO]
        assert sheet.enterprise[0].value == accepted.form_data["enterprise_name"]

    def test_a_file_of_another_items_material_is_not_found(self, accepted):
        food = case_of(accepted, FOOD)
        fire_plan = accepted.material_files.get(material__code="fire_facilities_plan")
        licence = accepted.material_files.get(material__code="business_licence")
        assert selectors.case_material_file(food, licence.pk) == licence
        with pytest.raises(DomainError):
            selectors.case_material_file(food, fire_plan.pk)
