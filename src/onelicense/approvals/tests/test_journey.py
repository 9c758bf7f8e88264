"""The journey of Part 3: an accepted restaurant, three departments in parallel, a correction
that stops the clock, and the application completing exactly once."""

import datetime

import time_machine

from onelicense.accounts.models import Department, User
from onelicense.applications.models import Application
from onelicense.approvals import services
from onelicense.approvals.models import ItemCase
from onelicense.approvals.tests.helpers import restaurant_accepted
from onelicense.core.models import Event, Notification

D = datetime.date


def at(day: D) -> time_machine.travel:
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, 10, tzinfo=datetime.UTC), tick=False
    )


def reviewer(kind: str) -> User:
    office = Department.objects.get(district__code="110105", kind__code=kind)
    return User.objects.create_user(f"{kind}_reviewer", role=User.Role.REVIEWER, department=office)


def test_three_departments_a_correction_and_one_completion(beijing_catalogue, applicant, clerk):
    market, fire, tobacco = (
        reviewer("market_regulation"),
        reviewer("fire_rescue"),
        reviewer("tobacco"),
    )
    with at(D(2026, 9, 24)):
        application = restaurant_accepted(applicant, clerk)
    cases = {c.item.code: c for c in application.cases.select_related("item", "department")}
    assert set(cases) == {"food_business_licence", "fire_safety_check", "tobacco_retail_licence"}
    assert {c.department.name for c in cases.values()} == {
        "朝阳区市场监督管理局",
        "朝阳区消防救援支队",
        "朝阳区烟草专卖局",
    }
    fire_case = cases["fire_safety_check"]
    # Promised: 1 working day; 9月25日 is the Mid-Autumn Festival.
    assert fire_case.due_date == D(2026, 9, 28)

    with at(D(2026, 9, 28)):
        services.case_claim(case=fire_case, reviewer=fire)
        services.case_request_correction(
            case=fire_case, reviewer=fire, missing=["消防设施平面图（标明疏散通道）"]
        )
    fire_case.refresh_from_db()
    assert fire_case.status == ItemCase.Status.CORRECTION
    assert fire_case.due_date is None  # the clock stands still
    assert Notification.objects.filter(recipient=applicant, title="需要补正").exists()

    with at(D(2026, 9, 29)):  # meanwhile the other departments decide
        services.case_approve(case=cases["food_business_licence"], reviewer=market)
        services.case_approve(case=cases["tobacco_retail_licence"], reviewer=tobacco)
    application.refresh_from_db()
    assert application.status == Application.Status.ACCEPTED

    with at(D(2026, 10, 9)):  # corrected after the National Day break
        services.case_correction_submit(
            case=fire_case,
            actor=applicant,
            form_data={"building_fire_doc_no": "朝消验字〔2026〕第88号"},
        )
    fire_case.refresh_from_db()
    # Paused from 9月28日: 9月29–30日 and 10月8–9日 are four working days (10月1–7日 off), so
    # the due date moves by four working days, from 9月28日 to 10月9日.
    assert fire_case.paused_days == 4
    assert fire_case.due_date == D(2026, 10, 9)

    with at(D(2026, 10, 9)):
        services.case_approve(case=fire_case, reviewer=fire)
    application.refresh_from_db()
    assert application.status == Application.Status.COMPLETED
    assert (
        Event.objects.filter(verb="application_completed", subject_id=str(application.pk)).count()
        == 1
    )
    assert application.form_data["building_fire_doc_no"] == "朝消验字〔2026〕第88号"
