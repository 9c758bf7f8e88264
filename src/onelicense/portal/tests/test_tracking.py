"""The applicant's tracking pages: the progress at each department, the answer to a correction
request, and the messages; each tried by the wrong persona.

The application is the accepted Beijing restaurant of `approvals.tests.helpers` (food licence
at 市场监管, fire check at 消防, tobacco licence at 烟草, in parallel), accepted on Monday
2 March 2026.
"""

import datetime
import re
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import Settings

from onelicense.accounts.models import User
from onelicense.applications import services as intake
from onelicense.applications.models import Application, MaterialFile
from onelicense.approvals import services as review
from onelicense.approvals.models import CaseAction, ItemCase
from onelicense.approvals.tests.helpers import PDF, restaurant_accepted, restaurant_submitted
from onelicense.core.calendar import working_days_add
from onelicense.core.models import Event, Notification
from onelicense.core.services import event_record

D = datetime.date
FOOD, FIRE, TOBACCO = "food_business_licence", "fire_safety_check", "tobacco_retail_licence"
MISSING = ["场所消防设施平面图", "申请表“消防安全责任人姓名”"]


def at(day: D, hour: int = 2) -> Any:
    """A moment of a Beijing working day (02:00 UTC is 10:00 in Beijing)."""
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, hour, tzinfo=datetime.UTC), tick=False
    )


def text(response: Any) -> str:
    """The page's text without tags, for phrases that span elements."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def as_user(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def case_of(application: Application, item: str) -> ItemCase:
    return ItemCase.objects.select_related("department").get(
        application=application, item__code=item
    )


def reviewer_of(case: ItemCase) -> User:
    return User.objects.create_user(
        f"r{case.department_id}", role=User.Role.REVIEWER, department=case.department
    )


def progress_url(application: Application) -> str:
    return reverse("portal:progress", args=[application.code])


def correction_url(application: Application, case: ItemCase) -> str:
    return reverse("portal:correction", args=[application.code, case.pk])


def stored_files(media: Path) -> set[Path]:
    return {path for path in media.rglob("*") if path.is_file()}


@pytest.fixture(autouse=True)
def media(settings: Settings, tmp_path: Path) -> Path:
    """Uploaded materials go to the test's own folder, where the test can count them."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def accepted(beijing_catalogue, applicant, clerk) -> Application:
    with at(D(2026, 3, 2)):
        return restaurant_accepted(applicant, clerk)


@pytest.fixture
def fire_correction(accepted, fire_reviewer) -> ItemCase:
    """The fire department asks, on Tuesday 3 March, for a floor plan and a name."""
    with at(D(2026, 3, 3)):
        return review.case_request_correction(
            case=case_of(accepted, FIRE),
            reviewer=fire_reviewer,
            missing=MISSING,
            note="平面图不清晰，请重新上传",
        )


# --- Who may see what ----------------------------------------------------------------------


class TestAccess:
    def test_anonymous_visitors_are_sent_to_log_in(self, client, accepted, fire_correction):
        for url in (progress_url(accepted), correction_url(accepted, fire_correction)):
            response = client.get(url)
            assert response.status_code == 302
            assert response["Location"].startswith("/accounts/login/?next=/my/")

    def test_another_applicant_finds_nothing(self, client, accepted, fire_correction, outsider):
        as_user(client, outsider)
        assert client.get(progress_url(accepted)).status_code == 404
        assert client.get(correction_url(accepted, fire_correction)).status_code == 404
        response = client.post(correction_url(accepted, fire_correction), {"correction_note": "x"})
        assert response.status_code == 404
        assert case_of(accepted, FIRE).status == ItemCase.Status.CORRECTION

    def test_the_window_clerk_is_sent_to_the_window_page(self, client, accepted, clerk):
        response = as_user(client, clerk).get(progress_url(accepted))
        assert response.status_code == 302
        assert response["Location"] == reverse("window:check", args=[accepted.code])

    def test_a_reviewer_is_sent_to_their_departments_case(self, client, accepted, market_reviewer):
        response = as_user(client, market_reviewer).get(progress_url(accepted))
        assert response.status_code == 302
        assert response["Location"] == reverse("approvals:case", args=[case_of(accepted, FOOD).pk])

    def test_staff_of_another_district_find_nothing(
        self, client, accepted, other_clerk, other_reviewer
    ):
        for person in (other_clerk, other_reviewer):
            assert as_user(client, person).get(progress_url(accepted)).status_code == 404

    def test_staff_may_not_answer_a_correction(
        self, client, accepted, fire_correction, clerk, fire_reviewer
    ):
        for person in (clerk, fire_reviewer):
            as_user(client, person)
            assert client.get(correction_url(accepted, fire_correction)).status_code == 404
            response = client.post(
                correction_url(accepted, fire_correction), {"correction_note": "x"}
            )
            assert response.status_code == 404
        assert case_of(accepted, FIRE).status == ItemCase.Status.CORRECTION

    def test_a_case_of_another_application_is_not_found(
        self, client, accepted, fire_correction, applicant
    ):
        with at(D(2026, 3, 2)):
            mine_too = restaurant_submitted(applicant, seed=19)
        url = reverse("portal:correction", args=[mine_too.code, fire_correction.pk])
        assert as_user(client, applicant).get(url).status_code == 404

    def test_a_case_not_in_correction_goes_back_to_the_progress(self, client, accepted, applicant):
        food = case_of(accepted, FOOD)
        response = as_user(client, applicant).post(
            correction_url(accepted, food), {"correction_note": "x"}
        )
        assert response.status_code == 302
        assert response["Location"] == progress_url(accepted)
        assert case_of(accepted, FOOD).status == ItemCase.Status.PENDING
        assert not CaseAction.objects.filter(kind=CaseAction.Kind.CORRECTED).exists()

    def test_a_draft_has_its_task_list_instead(self, client, beijing_catalogue, applicant):
        draft = intake.application_create(
            actor=applicant, industry_code="restaurant", district_code="110105"
        )
        response = as_user(client, applicant).get(progress_url(draft))
        assert response.status_code == 302
        assert response["Location"] == reverse("applications:detail", args=[draft.code])


# --- The progress page ---------------------------------------------------------------------


class TestProgress:
    def test_shows_the_application_and_each_department_with_its_due_date(
        self, client, accepted, applicant
    ):
        with at(D(2026, 3, 2)):
            page = text(as_user(client, applicant).get(progress_url(accepted)))
        assert accepted.number in page
        assert "餐饮店" in page and "朝阳区" in page and "已受理" in page
        assert f"承诺办结日期 {accepted.promised_date:%Y年%-m月%-d日}" in page
        for code, department in (
            (FOOD, "朝阳区市场监督管理局"),
            (FIRE, "朝阳区消防救援支队"),
            (TOBACCO, "朝阳区烟草专卖局"),
        ):
            case = case_of(accepted, code)
            assert department in page and case.item.name in page
            assert f"{case.due_date:%Y年%-m月%-d日}" in page
        assert page.count("一般程序") == 3
        assert page.count("待审查") == 3

    def test_a_due_date_guessed_from_the_calendar_says_so(self, client, accepted, applicant):
        ItemCase.objects.filter(application=accepted, item__code=FOOD).update(
            due_date_certain=False
        )
        page = text(as_user(client, applicant).get(progress_url(accepted)))
        assert page.count("（按现行日历推算）") == 1

    def test_a_correction_is_shown_first_with_what_is_missing_and_a_button(
        self, client, accepted, applicant, fire_correction
    ):
        response = as_user(client, applicant).get(progress_url(accepted))
        html = response.content.decode()
        page = text(response)
        notice = html[html.index('class="ol-notice"') : html.index('id="departments"')]
        assert "需要您补正" in notice and "场所消防设施平面图" in notice
        assert "申请表“消防安全责任人姓名”" in notice and "平面图不清晰，请重新上传" in notice
        assert f'href="{correction_url(accepted, fire_correction)}"' in notice
        assert "暂停计时（补正中）" in page
        assert "补正中" in page

    def test_a_suspension_pauses_the_clock_too(self, client, accepted, applicant, market_reviewer):
        with at(D(2026, 3, 3)):
            review.case_suspend(
                case=case_of(accepted, FOOD),
                reviewer=market_reviewer,
                kind="onsite",
                reason="现场核查",
                expected_end=D(2026, 3, 6),
            )
        page = text(as_user(client, applicant).get(progress_url(accepted)))
        assert "暂停计时（中止审查）" in page
        assert "需要您补正" not in page

    def test_an_approval_shows_the_permit_number_and_validity(
        self, client, accepted, applicant, market_reviewer
    ):
        with at(D(2026, 3, 4)):
            review.case_approve(case=case_of(accepted, FOOD), reviewer=market_reviewer)
        food = case_of(accepted, FOOD)
        page = text(as_user(client, applicant).get(progress_url(accepted)))
        assert "准予许可" in page
        assert food.permit_number in page
        assert "2026年3月4日 至 2031年3月3日" in page  # five years, from the decision
        assert "决定日期 2026年3月4日" in page

    def test_a_refusal_shows_the_reason_the_basis_and_the_remedies(
        self, client, accepted, applicant
    ):
        tobacco = case_of(accepted, TOBACCO)
        with at(D(2026, 3, 5)):
            review.case_refuse(
                case=tobacco,
                reviewer=reviewer_of(tobacco),
                reason="距离中小学校不足50米",
                legal_basis="《烟草专卖法实施条例》第十四条",
            )
        page = text(as_user(client, applicant).get(progress_url(accepted)))
        assert "不予许可" in page
        assert "不予许可的理由： 距离中小学校不足50米" in page
        assert "法律依据： 《烟草专卖法实施条例》第十四条" in page
        assert "申请行政复议" in page and "北京市烟草专卖局" in page
        assert "行政诉讼" in page

    def test_the_timeline_is_in_chinese_and_tells_the_looks_at_personal_data_once(
        self, client, accepted, applicant, clerk, fire_correction
    ):
        for _ in range(3):
            event_record(actor=clerk, verb="personal_data_viewed", subject=accepted)
        html = as_user(client, applicant).get(progress_url(accepted)).content.decode()
        timeline = text_of(html[html.index('id="timeline"') :])
        assert "窗口/部门查看了您的申请信息（3 次）" in timeline
        assert timeline.count("查看了您的申请信息") == 1
        assert "personal_data_viewed" not in html
        assert "上传材料 （共 15 份） · 本人" in timeline  # the drafting's uploads, one line
        assert timeline.count("上传材料") == 1
        assert "提交申请" in timeline and "综合窗口已受理" in timeline
        assert "需要补正 · 朝阳区消防救援支队" in timeline
        assert timeline.index("需要补正") < timeline.index("综合窗口已受理")  # newest first

    def test_reads_in_the_same_number_of_queries_however_much_happened(
        self, client, accepted, applicant, fire_correction, market_reviewer, clerk
    ):
        as_user(client, applicant)
        with CaptureQueriesContext(connection) as before:
            assert client.get(progress_url(accepted)).status_code == 200
        review.case_approve(case=case_of(accepted, FOOD), reviewer=market_reviewer)
        tobacco = case_of(accepted, TOBACCO)
        review.case_refuse(
            case=tobacco, reviewer=reviewer_of(tobacco), reason="不符合", legal_basis="条例"
        )
        for _ in range(5):
            event_record(actor=clerk, verb="personal_data_viewed", subject=accepted)
        with CaptureQueriesContext(connection) as after:
            assert client.get(progress_url(accepted)).status_code == 200
        assert len(after.captured_queries) == len(before.captured_queries)

    def test_before_acceptance_lists_the_items_the_window_will_send(
        self, client, beijing_catalogue, applicant
    ):
        submitted = restaurant_submitted(applicant)
        page = text(as_user(client, applicant).get(progress_url(submitted)))
        assert "已提交，待受理" in page and "受理后确定" in page
        assert "朝阳区市场监督管理局" in page and "朝阳区烟草专卖局" in page
        assert page.count("待受理") >= 3

    def test_a_refusal_at_the_window_says_why_and_sends_nothing_to_departments(
        self, client, beijing_catalogue, applicant, clerk
    ):
        refused = intake.application_refuse(
            application=restaurant_submitted(applicant),
            clerk=clerk,
            reason="经营场所不在本区",
            legal_basis="《行政许可法》第三十二条",
        )
        page = text(as_user(client, applicant).get(progress_url(refused)))
        assert "不予受理" in page and "经营场所不在本区" in page
        assert "《行政许可法》第三十二条" in page
        assert "申请未经受理，事项没有分送各部门" in page
        assert "综合窗口受理后" not in page

    def test_the_status_page_links_to_the_progress(self, client, accepted, applicant):
        html = as_user(client, applicant).get(reverse("applications:detail", args=[accepted.code]))
        assert f'href="{progress_url(accepted)}"' in html.content.decode()


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- Answering a correction ----------------------------------------------------------------


def _good_answer(**extra: Any) -> dict[str, Any]:
    return {
        "fire_safety_manager": "王建国",
        "material-fire_facilities_plan": SimpleUploadedFile("平面图.pdf", PDF, "application/pdf"),
        "correction_note": "已重新上传清晰的平面图",
        **extra,
    }


def _posted_form(client: Client, application: Application, case: ItemCase) -> dict[str, Any]:
    """The correction form as the page fills it in: every field of the item, prefilled."""
    html = client.get(correction_url(application, case)).content.decode()
    inputs = r'<input class="ol-input[^"]*" id="[^"]+" name="([^"]+)" value="([^"]*)"'
    data: dict[str, Any] = dict(re.findall(inputs, html))
    for name, value in re.findall(r'name="([^"]+)" value="([^"]*)" checked', html):
        data.setdefault(name, [])
        if isinstance(data[name], list):
            data[name].append(value)
    return data


class TestCorrectionPage:
    def test_shows_what_is_missing_and_only_this_items_fields_prefilled(
        self, client, accepted, applicant, fire_correction
    ):
        response = as_user(client, applicant).get(correction_url(accepted, fire_correction))
        html = response.content.decode()
        page = text(response)
        assert response.status_code == 200
        assert "审批部门要求补正的内容" in page and "平面图不清晰，请重新上传" in page
        assert "场所消防设施平面图" in page
        # The named field and material come first; the item's others behind a disclosure.
        named, _, others = html.partition("<details")
        manager = accepted.form_data["fire_safety_manager"]
        assert f'name="fire_safety_manager" value="{manager}"' in named
        assert 'name="material-fire_facilities_plan"' in named
        assert 'name="max_occupancy"' in others and 'name="material-floor_plan"' in others
        assert 'name="seat_count"' not in html  # the food licence's, not the fire check's
        assert 'name="material-food_safety_rules"' not in html
        assert 'enctype="multipart/form-data"' in html

    def test_a_good_value_and_a_pdf_change_the_form_store_the_file_and_resume_the_clock(
        self, client, accepted, applicant, fire_correction, media
    ):
        before = case_of(accepted, FIRE)
        files_before = MaterialFile.objects.filter(application=accepted).count()
        as_user(client, applicant)
        with at(D(2026, 3, 5)):  # Thursday: the clock stood still Wednesday and Thursday
            response = client.post(correction_url(accepted, fire_correction), _good_answer())
            assert response.status_code == 302
            assert response["Location"] == progress_url(accepted)
            page = text(client.get(response["Location"]))
        assert "已提交补正，审批时限自次日起恢复计算" in page
        case = case_of(accepted, FIRE)
        assert case.status == ItemCase.Status.IN_REVIEW  # the reviewer holds it still
        assert case.paused_days == 2 and case.paused_since is None
        assert case.due_date == working_days_add(case.started_on, case.limit_days + 2).date
        assert case.due_date != before.due_date  # paused: none while in correction
        accepted.refresh_from_db()
        assert accepted.form_data["fire_safety_manager"] == "王建国"
        record = MaterialFile.objects.get(application=accepted, original_name="平面图.pdf")
        assert MaterialFile.objects.filter(application=accepted).count() == files_before + 1
        assert record.material.code == "fire_facilities_plan"
        assert Path(record.file.path).read_bytes() == PDF
        verbs = list(
            Event.objects.filter(subject_type="applications.application", subject_id=accepted.pk)
            .order_by("id")
            .values_list("verb", flat=True)
        )
        assert verbs[-3:] == ["material_uploaded", "application_amended", "case_corrected"]
        corrected = case.actions.get(kind=CaseAction.Kind.CORRECTED)
        assert corrected.reason == "已重新上传清晰的平面图"
        assert corrected.details["paused_days"] == 2
        assert "暂停计时（补正中）" not in page
        assert f"{case.due_date:%Y年%-m月%-d日}" in page

    def test_a_note_alone_resumes_the_clock(self, client, accepted, applicant, fire_correction):
        with at(D(2026, 3, 4)):
            response = as_user(client, applicant).post(
                correction_url(accepted, fire_correction), {"correction_note": "材料无误，请复核"}
            )
        assert response.status_code == 302
        assert case_of(accepted, FIRE).status == ItemCase.Status.IN_REVIEW

    def test_a_wrong_id_check_digit_changes_nothing(
        self, client, accepted, applicant, fire_correction, media
    ):
        good = accepted.form_data["legal_rep_id_number"]
        wrong = good[:-1] + ("1" if good[-1] != "1" else "2")
        files = stored_files(media)
        events = Event.objects.count()
        with at(D(2026, 3, 5)):
            response = as_user(client, applicant).post(
                correction_url(accepted, fire_correction),
                _good_answer(legal_rep_id_number=wrong),
            )
        html = response.content.decode()
        assert response.status_code == 422
        assert 'class="ol-error-summary"' in html
        assert 'href="#f-legal_rep_id_number"' in html
        assert 'id="f-legal_rep_id_number-error"' in html
        assert f'value="{wrong}"' in html  # what was typed is kept; the file must be chosen again
        assert "您选择的文件也没有保存" in html
        self._unchanged(accepted, files, events, media)

    def test_a_file_of_the_wrong_type_changes_nothing_not_even_a_good_file_sent_with_it(
        self, client, accepted, applicant, fire_correction, media
    ):
        files = stored_files(media)
        events = Event.objects.count()
        answer = _good_answer(
            **{"material-floor_plan": SimpleUploadedFile("plan.pdf", b"not a pdf at all")}
        )
        response = as_user(client, applicant).post(
            correction_url(accepted, fire_correction), answer
        )
        html = response.content.decode()
        assert response.status_code == 422
        assert 'href="#m-floor_plan-file"' in html
        assert "文件内容不是 PDF、JPG 或 PNG" in html
        assert '<details class="ol-progress__others" open>' in html  # the error is shown
        self._unchanged(accepted, files, events, media)

    def test_emptying_a_required_field_is_refused(
        self, client, accepted, applicant, fire_correction, media
    ):
        files = stored_files(media)
        events = Event.objects.count()
        response = as_user(client, applicant).post(
            correction_url(accepted, fire_correction), _good_answer(fire_safety_manager="")
        )
        assert response.status_code == 422
        assert "消防安全责任人姓名：此项必填" in text(response)
        self._unchanged(accepted, files, events, media)

    def test_an_empty_answer_asks_for_something(
        self, client, accepted, applicant, fire_correction, media
    ):
        events = Event.objects.count()
        response = as_user(client, applicant).post(correction_url(accepted, fire_correction), {})
        assert response.status_code == 422
        assert "请修改需补正的信息、上传补正材料，或在补正说明中说明情况" in text(response)
        assert Event.objects.count() == events

    def test_the_prefilled_form_sent_back_unchanged_with_a_file_changes_only_the_file(
        self, client, accepted, applicant, fire_correction
    ):
        as_user(client, applicant)
        data = _posted_form(client, accepted, fire_correction)
        assert data["fire_safety_manager"] == accepted.form_data["fire_safety_manager"]
        data["material-fire_facilities_plan"] = SimpleUploadedFile("p.pdf", PDF)
        form_before = dict(accepted.form_data)
        response = client.post(correction_url(accepted, fire_correction), data)
        assert response.status_code == 302
        accepted.refresh_from_db()
        assert accepted.form_data == form_before
        assert not Event.objects.filter(verb="application_amended").exists()
        assert case_of(accepted, FIRE).status == ItemCase.Status.IN_REVIEW

    @staticmethod
    def _unchanged(application: Application, files: set[Path], events: int, media: Path) -> None:
        case = case_of(application, FIRE)
        assert case.status == ItemCase.Status.CORRECTION and case.due_date is None
        assert not case.actions.filter(kind=CaseAction.Kind.CORRECTED).exists()
        saved = Application.objects.get(pk=application.pk).form_data
        assert saved == application.form_data
        assert stored_files(media) == files
        assert Event.objects.count() == events  # no upload, amendment or correction recorded
        assert MaterialFile.objects.filter(application=application).count() == 15  # as submitted


# --- Messages ------------------------------------------------------------------------------


def _message(user: User, title: str, link: str = "", read: bool = False) -> Notification:
    return Notification.objects.create(
        recipient=user,
        title=title,
        body=f"{title}的内容",
        link=link,
        read_at=timezone.now() if read else None,
    )


class TestMessages:
    def test_anonymous_visitors_are_sent_to_log_in(self, client, db):
        response = client.get(reverse("portal:messages"))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_lists_the_users_messages_newest_first_with_the_unread_marked(
        self, client, applicant, other_applicant
    ):
        _message(applicant, "申请已受理", read=True)
        _message(applicant, "需要补正")
        _message(other_applicant, "别人的消息")
        response = as_user(client, applicant).get(reverse("portal:messages"))
        page = text(response)
        assert "别人的消息" not in page
        assert page.index("需要补正") < page.index("申请已受理")
        assert page.count("未读") == 3  # the header's badge, the page's count, and the tag
        assert "1 条未读" in page and "全部标为已读" in page

    def test_marking_one_read(self, client, applicant):
        message = _message(applicant, "需要补正")
        response = as_user(client, applicant).post(
            reverse("portal:message_read", args=[message.pk])
        )
        assert response.status_code == 302
        assert response["Location"] == f"/my/messages/#message-{message.pk}"
        message.refresh_from_db()
        assert message.read_at is not None

    def test_another_persons_message_is_not_found(self, client, applicant, other_applicant):
        theirs = _message(other_applicant, "别人的消息", link="/apply/")
        as_user(client, applicant)
        assert client.post(reverse("portal:message_read", args=[theirs.pk])).status_code == 404
        assert client.get(reverse("portal:message_open", args=[theirs.pk])).status_code == 404
        theirs.refresh_from_db()
        assert theirs.read_at is None

    def test_opening_follows_the_link_and_marks_it_read(self, client, accepted, applicant):
        message = Notification.objects.get(recipient=applicant, title="申请已受理")
        response = as_user(client, applicant).get(reverse("portal:message_open", args=[message.pk]))
        assert response.status_code == 302
        assert response["Location"] == reverse("portal:progress", args=[accepted.code])
        message.refresh_from_db()
        assert message.read_at is not None

    def test_opening_does_not_follow_a_link_to_another_site(self, client, applicant):
        message = _message(applicant, "钓鱼", link="https://evil.example/")
        response = as_user(client, applicant).get(reverse("portal:message_open", args=[message.pk]))
        assert response["Location"] == f"/my/messages/#message-{message.pk}"

    def test_marking_all_read_marks_only_ones_own(self, client, applicant, other_applicant):
        for title in ("一", "二", "三"):
            _message(applicant, title)
        theirs = _message(other_applicant, "别人的")
        response = as_user(client, applicant).post(reverse("portal:messages_read_all"))
        assert response.status_code == 302
        assert not Notification.objects.filter(recipient=applicant, read_at=None).exists()
        theirs.refresh_from_db()
        assert theirs.read_at is None
        page = text(client.get(reverse("portal:messages")))
        assert "已将全部消息标为已读" in page and "全部标为已读" not in page.replace(
            "已将全部消息标为已读", ""
        )

    def test_marking_needs_a_post(self, client, applicant):
        message = _message(applicant, "需要补正")
        as_user(client, applicant)
        assert client.get(reverse("portal:message_read", args=[message.pk])).status_code == 405
        assert client.get(reverse("portal:messages_read_all")).status_code == 405

    def test_staff_have_messages_too(self, client, fire_reviewer, accepted):
        page = text(as_user(client, fire_reviewer).get(reverse("portal:messages")))
        assert "新的审批事项待审查" in page

    def test_many_messages_are_paged(self, client, applicant):
        for n in range(25):
            _message(applicant, f"消息{n:02d}")
        as_user(client, applicant)
        first = text(client.get(reverse("portal:messages")))
        second = text(client.get(reverse("portal:messages") + "?page=2"))
        assert "消息24" in first and "消息04" not in first
        assert "消息04" in second and "第 2 页，共 2 页" in second


class TestCertificateOnTheProgressPage:
    def test_the_owner_downloads_the_issued_certificate(self, client, completed, district_admin):
        from onelicense.licences.services import certificate_issue

        certificate = certificate_issue(application=completed, admin=district_admin)
        applicant = completed.applicant
        page = text(
            as_user(client, applicant).get(reverse("portal:progress", args=[completed.code]))
        )
        assert f"凭证编号 {certificate.number}（第 1 版）" in page
        assert "下载综合许可凭证（PDF）" in page
