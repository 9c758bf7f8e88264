"""The reviewer's actions and every refusal of bad input: a clear message, nothing changed."""

import datetime

import pytest
import time_machine

from onelicense.accounts.models import Department, User
from onelicense.applications import services as intake
from onelicense.applications.models import Application
from onelicense.approvals import services
from onelicense.approvals.clock import clock_state, months_later
from onelicense.approvals.models import CaseAction, ItemCase, Verification
from onelicense.approvals.tests.helpers import restaurant_accepted, restaurant_submitted
from onelicense.core.errors import DomainError
from onelicense.core.models import Notification

D = datetime.date


def staff(kind: str, district: str = "110105", *, lead: bool = False, name: str = "") -> User:
    office = Department.objects.get(district__code=district, kind__code=kind)
    return User.objects.create_user(
        name or f"{kind}_{district}_{lead}",
        role=User.Role.REVIEWER,
        department=office,
        is_lead=lead,
    )


@pytest.fixture
def accepted(beijing_catalogue, applicant, clerk):
    return restaurant_accepted(applicant, clerk)


def case_of(application: Application, item: str) -> ItemCase:
    return ItemCase.objects.get(application=application, item__code=item)


def refused(call, code: str) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call()
    assert caught.value.code == code, caught.value.message
    return caught.value


def unchanged(case: ItemCase) -> None:
    before = (case.status, case.due_date, case.extension_days, case.assignee_id)
    case.refresh_from_db()
    assert (case.status, case.due_date, case.extension_days, case.assignee_id) == before


class TestWhoMayAct:
    def test_another_departments_reviewer_cannot_decide(self, accepted):
        case = case_of(accepted, "food_business_licence")
        fire = staff("fire_rescue")
        refused(lambda: services.case_approve(case=case, reviewer=fire), "forbidden")
        unchanged(case)

    def test_another_districts_reviewer_cannot_decide(self, accepted):
        case = case_of(accepted, "food_business_licence")
        haidian = staff("market_regulation", "110108")
        refused(
            lambda: services.case_refuse(case=case, reviewer=haidian, reason="x", legal_basis="y"),
            "forbidden",
        )
        unchanged(case)

    def test_deciding_twice_is_refused(self, accepted):
        case = case_of(accepted, "food_business_licence")
        market = staff("market_regulation")
        services.case_approve(case=case, reviewer=market)
        error = refused(
            lambda: services.case_approve(case=case, reviewer=market), "item_case_already_decided"
        )
        assert error.message == "该事项已作出决定"
        assert CaseAction.objects.filter(case=case, kind="approve").count() == 1

    def test_a_case_held_by_a_colleague_is_not_claimed_from_them(self, accepted):
        case = case_of(accepted, "food_business_licence")
        first, second = staff("market_regulation", name="a"), staff("market_regulation", name="b")
        services.case_claim(case=case, reviewer=first)
        refused(lambda: services.case_claim(case=case, reviewer=second), "item_case_taken")

    def test_nothing_can_be_done_once_the_application_is_withdrawn(self, accepted, applicant):
        case = case_of(accepted, "food_business_licence")
        intake.application_withdraw(application=accepted, actor=applicant, reason="不再经营")
        refused(
            lambda: services.case_approve(case=case, reviewer=staff("market_regulation")),
            "application_not_in_review",
        )
        unchanged(case)


class TestActions:
    def test_a_correction_must_list_what_is_missing(self, accepted):
        case = case_of(accepted, "food_business_licence")
        error = refused(
            lambda: services.case_request_correction(
                case=case, reviewer=staff("market_regulation"), missing=["", "  "]
            ),
            "correction_empty",
        )
        assert error.fields == {"missing": "请列明需补正的材料或信息"}
        unchanged(case)

    def test_refusal_needs_reason_and_basis_and_tells_the_remedies(self, accepted, applicant):
        case = case_of(accepted, "tobacco_retail_licence")
        tobacco = staff("tobacco")
        error = refused(
            lambda: services.case_refuse(case=case, reviewer=tobacco, reason="", legal_basis=""),
            "required",
        )
        assert set(error.fields) == {"reason", "legal_basis"}
        services.case_refuse(
            case=case,
            reviewer=tobacco,
            reason="与学校距离不足",
            legal_basis="《烟草专卖法实施条例》第十条",
        )
        message = Notification.objects.get(recipient=applicant, title="事项不予许可")
        assert "行政复议" in message.body and "行政诉讼" in message.body

    @time_machine.travel(datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC), tick=False)
    def test_an_extension_within_the_legal_maximum_with_a_lead(
        self, beijing_catalogue, applicant, clerk
    ):
        case = case_of(restaurant_accepted(applicant, clerk), "food_business_licence")
        market, lead = staff("market_regulation"), staff("market_regulation", lead=True)
        before = case.due_date
        refused(
            lambda: services.case_extend(
                case=case, reviewer=market, lead=market, days=5, reason="需现场复核"
            ),
            "extension_needs_lead",
        )
        error = refused(
            lambda: services.case_extend(
                case=case, reviewer=market, lead=lead, days=11, reason="需现场复核"
            ),
            "extension_beyond_limit",
        )
        assert "1 至 10 个工作日" in error.message
        unchanged(case)
        services.case_extend(case=case, reviewer=market, lead=lead, days=10, reason="需现场复核")
        case.refresh_from_db()
        assert case.extension_days == 10
        assert case.due_date == D(2026, 3, 30) and before == D(2026, 3, 16)
        refused(
            lambda: services.case_extend(
                case=case, reviewer=market, lead=lead, days=1, reason="再延"
            ),
            "extension_beyond_limit",
        )

    @time_machine.travel(datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC), tick=False)
    def test_a_suspension_stops_the_clock_until_resumed(self, beijing_catalogue, applicant, clerk):
        case = case_of(restaurant_accepted(applicant, clerk), "food_business_licence")
        market = staff("market_regulation")
        services.case_suspend(
            case=case,
            reviewer=market,
            kind="expert",
            reason="需专家论证",
            expected_end=D(2026, 3, 10),
        )
        case.refresh_from_db()
        assert case.status == ItemCase.Status.SUSPENDED and case.due_date is None
        refused(lambda: services.case_approve(case=case, reviewer=market), "item_case_wrong_state")
        with time_machine.travel(datetime.datetime(2026, 3, 6, 9, tzinfo=datetime.UTC)):
            services.case_resume(case=case, reviewer=market)
        case.refresh_from_db()
        assert case.paused_days == 4 and case.due_date == D(2026, 3, 20)

    def test_a_suspension_needs_a_known_kind(self, accepted):
        case = case_of(accepted, "food_business_licence")
        refused(
            lambda: services.case_suspend(
                case=case,
                reviewer=staff("market_regulation"),
                kind="holiday",
                reason="x",
                expected_end=D(2030, 1, 1),
            ),
            "invalid_suspension",
        )
        unchanged(case)


class TestCommitmentRoute:
    def test_a_commitment_item_is_approved_at_acceptance_with_its_check_due(
        self, beijing_catalogue, applicant, clerk
    ):
        with time_machine.travel(datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC), tick=False):
            application = restaurant_accepted(
                applicant, clerk, routes={"fire_safety_check": "commitment"}
            )
        case = case_of(application, "fire_safety_check")
        assert case.status == ItemCase.Status.APPROVED
        assert case.permit_number == f"{application.number}-02"
        # 消防法 §15: the site check within 20 working days.
        assert case.verification.due_date == D(2026, 3, 30)
        assert case_of(application, "food_business_licence").status == ItemCase.Status.PENDING

    def test_an_ineligible_item_cannot_take_the_route(self, beijing_catalogue, applicant):
        with pytest.raises(DomainError) as caught:
            restaurant_submitted(applicant, routes={"food_business_licence": "commitment"})
        assert caught.value.fields == {"food_business_licence": "该事项不适用告知承诺"}

    def test_verification_outcomes(self, beijing_catalogue, applicant, clerk):
        application = restaurant_accepted(
            applicant, clerk, routes={"fire_safety_check": "commitment"}
        )
        verification = case_of(application, "fire_safety_check").verification
        fire = staff("fire_rescue")
        refused(
            lambda: services.verification_record(
                verification=verification,
                reviewer=fire,
                outcome="rectify",
                findings="疏散通道堵塞",
            ),
            "rectify_date_required",
        )
        services.verification_record(
            verification=verification,
            reviewer=fire,
            outcome="rectify",
            findings="疏散通道堵塞",
            rectify_by=D(2099, 1, 1),
        )
        services.verification_record(
            verification=verification,
            reviewer=fire,
            outcome="confirmed",
            findings="已整改，核查属实",
        )
        verification.refresh_from_db()
        assert verification.outcome == Verification.Outcome.CONFIRMED
        refused(
            lambda: services.verification_record(
                verification=verification,
                reviewer=fire,
                outcome="revoked",
                findings="x",
            ),
            "verification_closed",
        )


class TestWarnings:
    def test_departments_are_warned_at_60_and_80_percent_and_when_overdue(
        self, beijing_catalogue, applicant, clerk
    ):
        with time_machine.travel(datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC), tick=False):
            application = restaurant_accepted(applicant, clerk)
        case = case_of(application, "food_business_licence")  # 10 working days, due 3月16日
        market = staff("market_regulation")
        assert clock_state(case, D(2026, 3, 10)).percent == 60
        assert services.cases_warn(today=D(2026, 3, 10)) >= 1
        assert services.cases_warn(today=D(2026, 3, 10)) == 0  # told once
        services.cases_warn(today=D(2026, 3, 12))
        services.cases_warn(today=D(2026, 3, 17))
        titles = list(Notification.objects.filter(recipient=market).values_list("title", flat=True))
        assert titles.count("时限预警") == 2 and titles.count("事项已超期") == 1


def test_months_later_runs_to_the_day_before() -> None:
    assert months_later(D(2026, 3, 2), 60) == D(2031, 3, 1)
    assert months_later(D(2024, 1, 31), 1) == D(2024, 2, 28)
