"""The reviewer's workbench: the inbox, the review page and each action, tried by every persona;
bad input gets a Chinese message and changes nothing."""

import datetime
import re
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from onelicense.accounts.models import Department, User
from onelicense.applications.models import Application
from onelicense.approvals.models import CaseAction, ItemCase, Verification
from onelicense.approvals.tests.helpers import restaurant_accepted
from onelicense.core.models import Event

D = datetime.date
FOOD, FIRE, TOBACCO = "food_business_licence", "fire_safety_check", "tobacco_retail_licence"
# Seeds whose sample form has a valid ID number (see test_selectors.SEEDS).
SEEDS = (1, 19, 25, 26, 36)
COMMITMENT = {"fire_safety_check": "commitment"}


def at(day: D) -> time_machine.travel:
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, 10, tzinfo=datetime.UTC), tick=False
    )


def text(response: Any) -> str:
    """The page's text without tags, for phrases that span elements."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def staff(kind: str, district: str = "110105", *, lead: bool = False, name: str = "") -> User:
    office = Department.objects.get(district__code=district, kind__code=kind)
    return User.objects.create_user(
        name or f"{kind}_{district}_{lead}",
        password="pw",
        role=User.Role.REVIEWER,
        department=office,
        is_lead=lead,
        display_name=name,
    )


def case_of(application: Application, item: str) -> ItemCase:
    return ItemCase.objects.get(application=application, item__code=item)


def url(name: str, case: ItemCase, *args: Any) -> str:
    return reverse(f"approvals:{name}", args=[case.pk, *args])


def logged_in(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def state(case: ItemCase) -> tuple[Any, ...]:
    case.refresh_from_db()
    return (
        case.status,
        case.assignee_id,
        case.due_date,
        case.extension_days,
        case.permit_number,
        case.actions.count(),
    )


@pytest.fixture
def accepted(beijing_catalogue, applicant, clerk) -> Application:
    return restaurant_accepted(applicant, clerk)


@pytest.fixture
def food(accepted) -> ItemCase:
    return case_of(accepted, FOOD)


@pytest.fixture
def market(client, market_reviewer) -> Client:
    return logged_in(client, market_reviewer)


# --- Who may use the workbench -----------------------------------------------------------------

ACTIONS = {
    "claim": {},
    "assign": {"assignee": "0"},
    "approve": {"permit_number": "JY11101050000001"},
    "refuse": {"reason": "不符合条件", "legal_basis": "食品安全法第三十五条"},
    "correction": {"other": "座位数"},
    "suspend": {"kind": "expert", "reason": "专家评审", "expected_end": "2099-01-01"},
    "resume": {},
    "extend": {"days": "5", "reason": "复核", "lead": "0"},
    "onsite": {"on": "2099-01-01"},
    "verify": {"outcome": "confirmed", "findings": "属实"},
}


class TestAccess:
    def test_anonymous_users_are_sent_to_log_in(self, client, food, accepted):
        record = accepted.material_files.first()
        for target in ["/review/", url("case", food), url("file", food, record.pk)]:
            response = client.get(target)
            assert response.status_code == 302
            assert response["Location"].startswith("/accounts/login/?next=")
        for action, data in ACTIONS.items():
            response = client.post(url(action, food), data)
            assert response.status_code == 302, action
            assert response["Location"].startswith("/accounts/login/")
        assert state(food)[0] == ItemCase.Status.PENDING

    @pytest.mark.parametrize(
        "persona", ["applicant", "clerk", "district_admin", "city_admin", "outsider"]
    )
    def test_people_who_are_not_reviewers_get_a_chinese_403(self, client, food, persona, request):
        logged_in(client, request.getfixturevalue(persona))
        before = state(food)
        for target in ["/review/", url("case", food)]:
            response = client.get(target)
            assert response.status_code == 403
            assert "无权访问审批工作台" in response.content.decode()
        for action, data in ACTIONS.items():
            assert client.post(url(action, food), data).status_code == 403, action
        assert state(food) == before

    @pytest.mark.parametrize("persona", ["fire_reviewer", "other_reviewer"])
    def test_another_departments_or_districts_reviewer_does_not_find_the_case(
        self, client, food, accepted, persona, request
    ):
        logged_in(client, request.getfixturevalue(persona))
        before = state(food)
        record = accepted.material_files.get(material__code="business_licence")
        assert client.get(url("case", food)).status_code == 404
        assert client.get(url("file", food, record.pk)).status_code == 404
        for action, data in ACTIONS.items():
            assert client.post(url(action, food), data).status_code == 404, action
        assert state(food) == before
        assert not Event.objects.filter(verb="personal_data_viewed").exists()

    def test_actions_answer_only_post(self, market, food):
        for action in ACTIONS:
            assert market.get(url(action, food)).status_code == 405


# --- The inbox ---------------------------------------------------------------------------------


class TestInbox:
    def test_a_reviewer_sees_only_their_departments_cases(self, client, accepted, fire_reviewer):
        page = text(logged_in(client, fire_reviewer).get("/review/"))
        assert "朝阳区消防救援支队" in page
        assert accepted.number in page
        assert "公众聚集场所投入使用、营业前消防安全检查" in page
        assert "食品经营许可（新办）" not in page
        assert "烟草专卖零售许可证核发（新办）" not in page

    def test_the_other_districts_reviewer_sees_none_of_chaoyangs(
        self, client, accepted, other_reviewer
    ):
        response = logged_in(client, other_reviewer).get("/review/")
        assert response.status_code == 200
        assert str(accepted.number) not in response.content.decode()
        assert "目前没有待办的事项" in text(response)

    def test_each_row_shows_the_case_and_its_clock(self, market, accepted):
        page = text(market.get("/review/"))
        food = case_of(accepted, FOOD)
        assert accepted.form_data["enterprise_name"] in page
        assert "待审查" in page and "未认领" in page
        assert f"{food.due_date:%Y-%m-%d}" in page
        assert "已用 0/10 个工作日（0%）" in page
        assert "一般程序" in page

    def test_overdue_cases_come_first_and_say_so(
        self, beijing_catalogue, applicant, clerk, market_reviewer, client
    ):
        with at(D(2026, 3, 2)):
            late = restaurant_accepted(applicant, clerk, seed=SEEDS[0])
        with at(D(2026, 3, 13)):
            fresh = restaurant_accepted(applicant, clerk, seed=SEEDS[1])
        with at(D(2026, 3, 20)):
            html = logged_in(client, market_reviewer).get("/review/").content.decode()
        assert html.index(str(late.number)) < html.index(str(fresh.number))
        assert "ol-review__row--overdue" in html and "已超期" in html

    def test_a_paused_case_says_the_clock_stands_still(self, market, food):
        market.post(url("correction", food), {"materials": ["business_licence"]})
        page = text(market.get("/review/"))
        assert "暂停计时" in page and "补正中" in page

    def test_a_due_date_on_a_guessed_calendar_says_so(
        self, beijing_catalogue, applicant, clerk, client, market_reviewer
    ):
        # The calendar package knows 2026; a due date in January 2027 is reckoned without the
        # State Council's schedule for 2027.
        with at(D(2026, 12, 28)):
            restaurant_accepted(applicant, clerk)
            page = text(logged_in(client, market_reviewer).get("/review/"))
        assert "（按现行日历推算）" in page

    def test_claiming_on_a_row_returns_to_the_inbox_with_a_banner(
        self, market, food, market_reviewer
    ):
        back = "/review/?tab=todo"
        response = market.post(url("claim", food), {"next": back})
        assert response.status_code == 302 and response["Location"] == back
        page = text(market.get(back))
        assert "已认领" in page and "办理成功" in page
        food.refresh_from_db()
        assert food.assignee == market_reviewer and food.status == ItemCase.Status.IN_REVIEW

    def test_a_claim_that_fails_on_a_row_says_why_on_the_inbox(self, market, food):
        colleague = staff("market_regulation", name="李审批")
        logged_in(Client(), colleague).post(url("claim", food))
        response = market.post(url("claim", food), {"next": "/review/"}, follow=True)
        assert "该事项已由李审批承办" in text(response)
        food.refresh_from_db()
        assert food.assignee == colleague

    def test_next_must_stay_in_the_workbench(self, market, food):
        response = market.post(url("claim", food), {"next": "https://example.com/review/"})
        assert response["Location"] == url("case", food)

    def test_tabs_filters_and_search(
        self, beijing_catalogue, applicant, clerk, market_reviewer, client
    ):
        first = restaurant_accepted(applicant, clerk, seed=SEEDS[0])
        second = restaurant_accepted(applicant, clerk, seed=SEEDS[1])
        logged_in(client, market_reviewer)
        client.post(url("approve", case_of(second, FOOD)), {}, follow=True)

        todo = client.get("/review/").content.decode()
        done = client.get("/review/?tab=done").content.decode()
        first_number, second_number = str(first.number), str(second.number)
        assert first_number in todo and second_number not in todo
        assert second_number in done and first_number not in done
        assert f"{second.number}-01" in done  # the permit number
        name = second.form_data["enterprise_name"]
        found = text(client.get("/review/", {"tab": "done", "q": name}))
        assert second_number in found
        assert "已办结 1" in found and "待办 0" in found  # the counts follow the search
        by_status = client.get("/review/", {"status": "in_review"}).content.decode()
        assert first_number not in by_status
        by_item = client.get("/review/", {"item": FOOD}).content.decode()
        assert first_number in by_item
        nonsense = client.get("/review/", {"tab": "x", "status": "y", "item": "z"})
        assert nonsense.status_code == 200 and first_number in nonsense.content.decode()

    def test_the_verification_tab_lists_commitment_checks_with_their_deadline(
        self, beijing_catalogue, applicant, clerk, client, fire_reviewer
    ):
        with at(D(2026, 3, 2)):
            application = restaurant_accepted(applicant, clerk, routes=COMMITMENT)
            page = text(logged_in(client, fire_reviewer).get("/review/?tab=verify"))
        assert str(application.number) in page
        assert "待核查" in page and "核查期限 2026-03-30" in page
        assert "核查 1" in page

    def test_the_done_tab_shows_a_commitment_cases_verification_due(
        self, beijing_catalogue, applicant, clerk, client, fire_reviewer
    ):
        with at(D(2026, 3, 2)):
            restaurant_accepted(applicant, clerk, routes=COMMITMENT)
            page = text(logged_in(client, fire_reviewer).get("/review/?tab=done"))
        assert "告知承诺" in page and "核查期限 2026-03-30" in page

    def test_the_number_of_queries_does_not_grow_with_the_cases(
        self, beijing_catalogue, applicant, clerk, market, django_assert_max_num_queries
    ):
        made = [restaurant_accepted(applicant, clerk, seed=SEEDS[0])]
        with CaptureQueriesContext(connection) as one:
            assert market.get("/review/").status_code == 200
        made += [restaurant_accepted(applicant, clerk, seed=seed) for seed in SEEDS[1:]]
        with django_assert_max_num_queries(len(one.captured_queries)):
            html = market.get("/review/").content.decode()
        assert all(application.number in html for application in made)


# --- The review page ---------------------------------------------------------------------------


class TestReviewPage:
    def test_shows_the_item_the_enterprise_and_only_what_the_item_needs(
        self, market, food, accepted
    ):
        response = market.get(url("case", food))
        page = text(response)
        assert "no-store" in response["Cache-Control"]
        assert "食品经营许可（新办）" in page and "《中华人民共和国食品安全法》第三十五条" in page
        assert "食品处理区面积不少于6㎡" in page  # the conditions
        assert "法定 20 个工作日，承诺 10 个工作日" in page
        assert "还可延长 10 个工作日" in page
        form = accepted.form_data
        for value in (form["enterprise_name"], form["uscc"], form["legal_rep_id_number"]):
            assert value in page
        assert "是否销售酒类？" in page and "是否销售烟草制品？" not in page
        assert "座位数" in page and "消防安全责任人姓名" not in page
        assert "与最近的中小学校、幼儿园的距离" not in page
        assert "食品安全管理制度" in page and "场所消防设施平面图" not in page

    def test_lists_the_items_files_with_links_that_open_them(self, market, food, accepted):
        page = market.get(url("case", food)).content.decode()
        mine = accepted.material_files.get(material__code="food_safety_rules")
        theirs = accepted.material_files.get(material__code="fire_facilities_plan")
        assert url("file", food, mine.pk) in page
        assert url("file", food, theirs.pk) not in page
        response = market.get(url("file", food, mine.pk) + "?download=1")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert b"".join(response.streaming_content).startswith(b"%PDF")
        assert market.get(url("file", food, theirs.pk)).status_code == 404

    def test_opening_the_page_records_that_personal_data_was_viewed(
        self, market, food, accepted, market_reviewer
    ):
        market.get(url("case", food))
        market.get(url("case", food))
        views = Event.objects.filter(verb="personal_data_viewed", subject_id=str(accepted.pk))
        assert views.count() == 2
        assert {e.actor for e in views} == {market_reviewer}
        assert views[0].data["item"] == FOOD

    def test_shows_the_clock_and_the_other_departments_progress(self, market, food):
        page = text(market.get(url("case", food)))
        assert "已用 0/10 个工作日" in page
        assert f"{food.due_date:%Y年%-m月%-d日}" in page
        assert "朝阳区消防救援支队" in page and "朝阳区烟草专卖局" in page
        assert "尚未认领" in page

    def test_the_approval_is_prefilled_with_a_permit_number_and_validity(
        self, market, food, accepted
    ):
        with at(D(2026, 3, 2)):
            html = market.get(url("case", food)).content.decode()
        assert f'value="{accepted.number}-01"' in html
        assert 'value="2026-03-02"' in html and 'value="2031-03-01"' in html

    def test_the_refusal_shows_the_remedies_to_be_told(self, market, food):
        page = text(market.get(url("case", food)))
        assert "如不服，可依法申请行政复议或提起行政诉讼" in page
        assert "60 日内向北京市朝阳区人民政府申请行政复议" in page
        assert "6 个月内依法向人民法院提起行政诉讼" in page

    def test_a_commitment_case_shows_the_commitment_and_the_check(
        self, beijing_catalogue, applicant, clerk, client, fire_reviewer
    ):
        application = restaurant_accepted(applicant, clerk, routes=COMMITMENT)
        fire = case_of(application, FIRE)
        page = text(logged_in(client, fire_reviewer).get(url("case", fire)))
        assert "告知承诺书" in page and "承诺人：张明" in page
        assert "告知承诺核查" in page and "记录核查结果" in page
        assert fire.permit_number in page

    def test_the_actions_history_lists_what_was_done(self, market, food):
        market.post(url("claim", food))
        market.post(url("correction", food), {"other": "座位数与平面图不符\n健康证明过期"})
        page = text(market.get(url("case", food)))
        assert "认领 · market_chaoyang" in page
        assert "需补正：座位数与平面图不符；健康证明过期" in page


# --- Actions -----------------------------------------------------------------------------------


def error_page(response: Any, status: int) -> str:
    assert response.status_code == status, response.status_code
    page = text(response)
    assert "未能办理，请检查" in page and "事项没有任何改动" in page
    return page


class TestActions:
    def test_claim_once(self, market, food, market_reviewer):
        response = market.post(url("claim", food), follow=True)
        assert "已认领" in text(response)
        food.refresh_from_db()
        assert food.assignee == market_reviewer
        assert food.actions.filter(kind=CaseAction.Kind.CLAIM).count() == 1

    def test_assign_to_a_colleague(self, market, food):
        colleague = staff("market_regulation", name="周同事")
        response = market.post(url("assign", food), {"assignee": colleague.pk}, follow=True)
        assert "已将 食品经营许可（新办） 分派给周同事承办" in text(response)
        food.refresh_from_db()
        assert food.assignee == colleague

    def test_assign_only_within_the_department(self, market, food, fire_reviewer):
        before = state(food)
        response = market.post(url("assign", food), {"assignee": fire_reviewer.pk})
        assert "只能分派给本部门的审批人员" in error_page(response, 422)
        assert state(food) == before

    def test_approve_with_a_permit_number(self, market, food, market_reviewer):
        response = market.post(
            url("approve", food),
            {"permit_number": "JY11101050012345", "valid_from": "", "valid_until": ""},
        )
        assert response.status_code == 302 and response["Location"] == url("case", food)
        page = text(market.get(response["Location"]))
        assert "已准予许可：食品经营许可（新办），证件编号 JY11101050012345" in page
        food.refresh_from_db()
        assert food.status == ItemCase.Status.APPROVED
        assert food.permit_number == "JY11101050012345" and food.decided_by == market_reviewer
        assert food.permit_valid_until is not None  # computed by the service

    def test_deciding_twice_is_refused_and_changes_nothing(self, market, food):
        market.post(url("approve", food), {"permit_number": "A-1"})
        before = state(food)
        response = market.post(url("approve", food), {"permit_number": "B-2"})
        assert "该事项已作出决定" in error_page(response, 409)
        assert state(food) == before
        assert food.permit_number == "A-1"
        response = market.post(url("refuse", food), {"reason": "x", "legal_basis": "y"})
        assert "该事项已作出决定" in error_page(response, 409)
        assert state(food) == before

    def test_an_approval_ending_before_it_starts_is_refused(self, market, food):
        before = state(food)
        response = market.post(
            url("approve", food), {"valid_from": "2026-05-01", "valid_until": "2026-04-01"}
        )
        assert "不能早于起始日期" in error_page(response, 422)
        assert state(food) == before

    def test_refuse_without_reason_says_so(self, market, food):
        before = state(food)
        response = market.post(url("refuse", food), {"reason": " ", "legal_basis": ""})
        page = error_page(response, 422)
        assert "请填写不予许可的理由" in page and "请填写不予许可的法律依据" in page
        assert 'href="#refuse-reason"' in response.content.decode()
        assert '<details class="ol-decision" id="action-refuse" open>' in (
            response.content.decode()
        )
        assert state(food) == before

    def test_refuse_with_reason_and_basis(self, market, food):
        response = market.post(
            url("refuse", food),
            {"reason": "食品处理区面积不足", "legal_basis": "《食品安全法》第三十五条"},
            follow=True,
        )
        assert "已作出不予许可决定" in text(response)
        food.refresh_from_db()
        assert food.status == ItemCase.Status.REFUSED
        assert food.decision_reason == "食品处理区面积不足"

    def test_a_correction_with_nothing_listed_is_refused(self, market, food):
        before = state(food)
        response = market.post(url("correction", food), {"other": "\n  \n"})
        assert "补正告知须列明需要补正的内容" in error_page(response, 422)
        assert state(food) == before

    def test_a_correction_lists_materials_elements_and_lines(self, market, food):
        response = market.post(
            url("correction", food),
            {
                "materials": ["food_safety_rules"],
                "elements": ["seat_count"],
                "other": "营业执照经营范围不含餐饮服务",
                "note": "请于十日内补正",
            },
            follow=True,
        )
        assert "已发出补正告知" in text(response)
        food.refresh_from_db()
        assert food.status == ItemCase.Status.CORRECTION and food.due_date is None
        action = food.actions.get(kind=CaseAction.Kind.CORRECTION)
        assert action.details["missing"] == [
            "食品安全管理制度",
            "申请表“座位数”",
            "营业执照经营范围不含餐饮服务",
        ]
        assert action.reason == "请于十日内补正"

    def test_a_correction_naming_another_items_material_is_refused(self, market, food):
        before = state(food)
        response = market.post(url("correction", food), {"materials": ["fire_facilities_plan"]})
        assert "所选材料不属于本事项" in error_page(response, 422)
        assert state(food) == before

    def test_suspend_and_resume(self, market, food):
        response = market.post(
            url("suspend", food),
            {"kind": "onsite", "reason": "现场核查经营场所", "expected_end": "2099-01-01"},
            follow=True,
        )
        assert "已中止审查" in text(response)
        food.refresh_from_db()
        assert food.status == ItemCase.Status.SUSPENDED
        assert "恢复审查" in text(response)
        response = market.post(url("resume", food), {"note": "核查完毕"}, follow=True)
        assert "已恢复审查" in text(response)
        food.refresh_from_db()
        assert food.status == ItemCase.Status.IN_REVIEW and food.due_date is not None

    def test_a_suspension_needs_its_kind_reason_and_a_date(self, market, food):
        before = state(food)
        response = market.post(url("suspend", food), {"expected_end": "明天"})
        page = error_page(response, 422)
        assert "请选择中止事由" in page and "请填写中止的理由" in page
        assert "请填写有效的日期" in page
        response = market.post(
            url("suspend", food), {"kind": "expert", "reason": "x", "expected_end": "2020-01-01"}
        )
        assert "预计结束日期不能早于今天" in error_page(response, 422)
        assert state(food) == before

    def test_extend_with_a_lead_within_the_maximum(self, market, food):
        lead = staff("market_regulation", lead=True, name="钱局长")
        before = food.due_date
        response = market.post(
            url("extend", food), {"days": "10", "reason": "需现场复核", "lead": lead.pk}
        )
        assert response.status_code == 302
        assert "已延期" in text(market.get(response["Location"]))
        food.refresh_from_db()
        assert food.extension_days == 10 and food.due_date > before
        assert food.actions.get(kind=CaseAction.Kind.EXTEND).approved_by == lead

    def test_an_extension_beyond_the_maximum_is_refused(self, market, food):
        lead = staff("market_regulation", lead=True)
        before = state(food)
        page = text(market.get(url("case", food)))
        assert "还可延长 10 个工作日" in page
        response = market.post(url("extend", food), {"days": "11", "reason": "x", "lead": lead.pk})
        assert "延长期限须为 1 至 10 个工作日" in error_page(response, 422)
        assert state(food) == before

    def test_an_extension_approved_by_a_non_lead_is_refused(self, market, food, market_reviewer):
        staff("market_regulation", lead=True)
        colleague = staff("market_regulation", name="普通同事")
        before = state(food)
        for person in (colleague, market_reviewer):
            response = market.post(
                url("extend", food), {"days": "3", "reason": "x", "lead": person.pk}
            )
            assert "延期须经本部门负责人批准" in error_page(response, 422)
        assert state(food) == before

    def test_without_a_lead_the_page_says_no_extension_is_possible(self, market, food):
        assert "本部门尚未设置负责人" in text(market.get(url("case", food)))

    def test_schedule_an_onsite_check(self, market, food):
        response = market.post(
            url("onsite", food), {"on": "2099-03-05", "note": "请备齐原件"}, follow=True
        )
        assert "已安排现场核查" in text(response)
        action = food.actions.get(kind=CaseAction.Kind.ONSITE)
        assert action.details == {"on": "2099-03-05"} and action.reason == "请备齐原件"

    def test_record_a_commitment_check(
        self, beijing_catalogue, applicant, clerk, client, fire_reviewer
    ):
        fire = case_of(restaurant_accepted(applicant, clerk, routes=COMMITMENT), FIRE)
        logged_in(client, fire_reviewer)
        response = client.post(url("verify", fire), {"outcome": "rectify", "findings": "通道堵塞"})
        assert "责令整改须给出今天以后的整改期限" in error_page(response, 422)
        assert fire.verification.outcome == Verification.Outcome.PENDING
        response = client.post(
            url("verify", fire),
            {"outcome": "rectify", "findings": "疏散通道堵塞", "rectify_by": "2099-01-01"},
            follow=True,
        )
        assert "已记录核查结果" in text(response)
        verification = Verification.objects.get(case=fire)
        assert verification.outcome == Verification.Outcome.RECTIFY
        assert "整改期限" in text(client.get("/review/?tab=verify"))

    def test_a_standard_case_has_no_check_to_record(self, market, food):
        assert market.post(url("verify", food), ACTIONS["verify"]).status_code == 404


class TestAdmin:
    def test_cases_actions_and_checks_are_listed_read_only(self, admin_client, food):
        for model in ("itemcase", "caseaction", "verification"):
            listing = admin_client.get(reverse(f"admin:approvals_{model}_changelist"))
            assert listing.status_code == 200, model
            assert admin_client.get(reverse(f"admin:approvals_{model}_add")).status_code == 403
        listing = admin_client.get(
            reverse("admin:approvals_itemcase_changelist"), {"status__exact": "pending"}
        )
        assert "食品经营许可（新办）" in listing.content.decode()
        detail = admin_client.get(reverse("admin:approvals_itemcase_change", args=[food.pk]))
        assert detail.status_code == 200 and 'name="_save"' not in detail.content.decode()
