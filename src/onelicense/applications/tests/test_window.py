"""The comprehensive window (一窗受理): the workbench, the check page and the decisions, tried by
every persona; bad input gets a Chinese message and changes nothing."""

import datetime
import re
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from onelicense.applications import services
from onelicense.applications.models import Application, MaterialDeferral
from onelicense.applications.selectors import application_plan
from onelicense.applications.tests.factories import FORM, PNG, filled, pdf_upload, submitted
from onelicense.catalogue.models import InfoElement, ItemMaterial
from onelicense.core.models import Event

SMALL = pytest.mark.usefixtures("small_catalogue")

ID_NUMBER = str(FORM["legal_rep_id_number"])
MASKED_ID = "*" * 14 + ID_NUMBER[-4:]


def _text(html: str) -> str:
    """The page's text without tags or line breaks, for phrases that span elements."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded materials go to the test's own folder, not the data folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


def _url(name: str, application: Application, *args: Any) -> str:
    return reverse(f"window:{name}", args=[application.code, *args])


def _as(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def _events(application: Application, verb: str) -> int:
    return Event.objects.filter(subject_id=str(application.pk), verb=verb).count()


def _haidian(actor: Any) -> Application:
    """A submitted restaurant in 海淀区 (its address must be in the district)."""
    application = services.application_create(
        actor=actor, industry_code="restaurant", district_code="110108"
    )
    form = FORM | {"premises_address": "北京市海淀区中关村大街1号", "enterprise_name": "海淀小馆"}
    form |= {"uscc": "91350100M000100Y43"}
    application = services.application_save(
        application=application,
        actor=actor,
        answers={"area": 400, "chain": False, "cuisine": "hot"},
        form_data=form,
    )
    for material in application_plan(application).materials:
        services.material_upload(
            application=application,
            actor=actor,
            material_code=material.material.code,
            upload=pdf_upload(),
        )
    return services.application_submit(application=application, actor=actor)


@pytest.fixture
def application(applicant) -> Application:
    return submitted(applicant)


@pytest.fixture
def deferrable_rules(small_catalogue) -> None:
    """Let the food safety rules follow later (容缺) for the food licence."""
    ItemMaterial.objects.filter(material__code="food_safety_rules").update(deferrable=True)


# --- Who may use the window ------------------------------------------------------------------


ACTIONS = ["reveal", "accept", "accept_deferred", "refuse"]
ACTION_DATA = {
    "accept_deferred": {"deferred": ["food_safety_rules"]},
    "refuse": {"reason": "不属于本机关职权范围", "legal_basis": "行政许可法第三十二条"},
}


@SMALL
class TestAccess:
    def test_anonymous_users_are_sent_to_log_in(self, client, application):
        for url in ["/window/", _url("check", application)]:
            response = client.get(url)
            assert response.status_code == 302
            assert response["Location"].startswith("/accounts/login/?next=")

    @pytest.mark.parametrize("persona", ["applicant", "market_reviewer", "city_admin", "outsider"])
    def test_people_who_are_not_window_staff_get_a_chinese_403(
        self, client, application, persona, request
    ):
        _as(client, request.getfixturevalue(persona))

        for url in ["/window/", _url("check", application)]:
            response = client.get(url)
            assert response.status_code == 403
            assert "无权访问综合窗口" in response.content.decode()

    @pytest.mark.parametrize("persona", ["clerk", "district_admin"])
    def test_the_districts_clerk_and_admin_use_the_window(
        self, client, application, persona, request
    ):
        _as(client, request.getfixturevalue(persona))

        assert client.get("/window/").status_code == 200
        assert client.get(_url("check", application)).status_code == 200

    def test_another_districts_clerk_does_not_find_the_application(
        self, client, application, other_clerk
    ):
        _as(client, other_clerk)

        assert client.get(_url("check", application)).status_code == 404

    @pytest.mark.parametrize(
        ("persona", "status"),
        [
            (None, 302),
            ("other_clerk", 404),
            ("applicant", 403),
            ("market_reviewer", 403),
            ("outsider", 403),
        ],
    )
    @pytest.mark.parametrize("action", ACTIONS)
    def test_every_action_is_refused_to_the_wrong_persona_and_changes_nothing(
        self, client, application, persona, status, action, request, deferrable_rules
    ):
        if persona:
            _as(client, request.getfixturevalue(persona))
        before = Event.objects.count()

        response = client.post(_url(action, application), ACTION_DATA.get(action, {}))

        assert response.status_code == status
        application.refresh_from_db()
        assert application.status == Application.Status.SUBMITTED
        assert Event.objects.count() == before

    @pytest.mark.parametrize("action", ACTIONS)
    def test_actions_answer_only_post(self, client, clerk, application, action):
        _as(client, clerk)

        assert client.get(_url(action, application)).status_code == 405

    def test_a_draft_is_not_shown_at_the_window(self, client, clerk, applicant):
        draft = filled(applicant)
        _as(client, clerk)

        assert client.get(_url("check", draft)).status_code == 404


# --- The workbench ---------------------------------------------------------------------------


@SMALL
class TestWorkbench:
    def test_lists_only_the_clerks_district(self, client, clerk, applicant, application):
        haidian = _haidian(applicant)
        _as(client, clerk)

        html = client.get("/window/").content.decode()

        assert application.number in html
        assert "北京味道餐饮有限公司" in html
        assert haidian.number not in html
        assert "海淀小馆" not in html

    def test_the_other_district_sees_only_its_own(
        self, client, other_clerk, applicant, application
    ):
        haidian = _haidian(applicant)
        _as(client, other_clerk)

        html = client.get("/window/").content.decode()

        assert haidian.number in html
        assert application.number not in html

    def test_waiting_applications_come_oldest_first_with_the_row_facts(
        self, client, clerk, applicant
    ):
        with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)):
            first = submitted(applicant)
        with time_machine.travel(datetime.datetime(2026, 3, 3, 9, 0, tzinfo=datetime.UTC)):
            second = submitted(applicant)
        _as(client, clerk)

        with time_machine.travel(datetime.datetime(2026, 3, 12, 9, 0, tzinfo=datetime.UTC)):
            html = client.get("/window/").content.decode()

        assert html.index(first.number) < html.index(second.number)
        text = _text(html)
        assert "待受理 2" in text
        assert "餐饮店" in text
        assert "网上申请" in text
        assert "2026-03-02 17:00" in text  # shown in Beijing time
        assert "8 个工作日" in text  # waited past the five days of 行政许可法 §32

    def test_tabs_split_by_status(self, client, clerk, applicant, application):
        refused = submitted(applicant)
        services.application_refuse(
            application=refused, clerk=clerk, reason="不属于本机关职权", legal_basis="第三十二条"
        )
        withdrawn = submitted(applicant)
        services.application_withdraw(application=withdrawn, actor=applicant)
        _as(client, clerk)

        waiting = client.get("/window/").content.decode()
        refused_tab = client.get("/window/?status=refused").content.decode()
        withdrawn_tab = client.get("/window/?status=withdrawn").content.decode()

        assert application.number in waiting
        assert refused.number not in waiting
        assert refused.number in refused_tab
        assert application.number not in refused_tab
        assert withdrawn.number in withdrawn_tab
        assert "待受理 1" in _text(waiting)
        assert 'aria-current="page"><span class="ol-tabs__label">不予受理' in refused_tab

    @pytest.mark.parametrize("query", ["number", "北京味道", "91110000600037341L"])
    def test_search_by_number_name_or_uscc(self, client, clerk, applicant, application, query):
        haidian = _haidian(applicant)
        _as(client, clerk)
        query = application.number if query == "number" else query

        html = client.get("/window/", {"q": query}).content.decode()

        assert application.number in html
        assert haidian.number not in html
        assert "查找结果：1 件" in _text(html)

    def test_search_finds_every_status(self, client, clerk, application):
        services.application_accept(application=application, clerk=clerk)
        _as(client, clerk)

        html = client.get("/window/", {"q": application.number}).content.decode()

        assert application.number in html
        assert "已受理" in html

    def test_an_empty_search_says_what_to_check(self, client, clerk, application):
        _as(client, clerk)

        html = client.get("/window/", {"q": "不存在的企业"}).content.decode()

        assert "没有找到相符的申请" in html

    def test_filing_for_an_applicant_starts_on_the_apply_page_of_the_district(self, client, clerk):
        _as(client, clerk)

        html = client.get("/window/").content.decode()

        assert 'action="/apply/new/"' in html
        assert 'name="district" value="110105"' in html
        assert '<option value="restaurant">餐饮店</option>' in html
        assert "代为申请" in html


# --- The check page --------------------------------------------------------------------------


@SMALL
class TestCheckPage:
    def test_shows_the_enterprise_with_the_id_number_masked(self, client, clerk, application):
        _as(client, clerk)

        html = client.get(_url("check", application)).content.decode()

        assert "北京味道餐饮有限公司" in html
        assert "91110000600037341L" in html
        assert "张明" in html
        assert MASKED_ID in html
        assert ID_NUMBER not in html

    def test_shows_answers_items_form_and_commitments(self, client, clerk, application):
        _as(client, clerk)

        text = _text(client.get(_url("check", application)).content.decode())

        assert "经营场所使用面积是多少？ 400 ㎡" in text
        assert "主要经营哪类餐食？ 热食" in text
        assert "食品经营许可（新办）" in text
        assert "朝阳区市场监督管理局" in text
        assert "朝阳区消防救援支队" in text
        assert "一般程序" in text
        assert "经营项目 热食类食品制售" in text
        assert "经营场所使用面积 400 ㎡" in text
        assert "提交申请" in text  # the timeline

    def test_lists_each_material_with_its_files_and_what_is_missing(
        self, client, clerk, applicant, deferrable_rules
    ):
        application = submitted(applicant, skip=("food_safety_rules",))
        _as(client, clerk)

        html = client.get(_url("check", application)).content.decode()

        file = application.material_files.first()
        assert file is not None
        assert _url("file", application, file.pk) in html
        assert f"{_url('file', application, file.pk)}?download=1" in html
        assert "申请材料 5 份，未提交 1 份" in _text(html)
        assert 'id="deferred-food_safety_rules"' in html
        assert "可容缺" in html

    def test_a_material_that_cannot_be_deferred_blocks_acceptance(self, client, clerk, applicant):
        # Submission asks for every material that cannot be deferred, so the gap is made here:
        # the page must still say it plainly if a file is lost after submission.
        application = submitted(applicant)
        application.material_files.filter(material__code="floor_plan").delete()
        _as(client, clerk)

        html = client.get(_url("check", application)).content.decode()

        assert "缺少不可容缺的材料，不能受理" in html
        assert "未提交 · 不可容缺" in html

    def test_reveal_shows_the_full_id_number_and_records_an_event(self, client, clerk, application):
        _as(client, clerk)

        response = client.post(_url("reveal", application))

        html = response.content.decode()
        assert response.status_code == 200
        assert ID_NUMBER in html
        assert response["Cache-Control"] == "no-store"
        assert _events(application, "personal_data_viewed") == 1
        event = Event.objects.get(verb="personal_data_viewed")
        assert event.actor == clerk
        assert "查看完整个人信息" in client.get(_url("check", application)).content.decode()

    def test_looking_without_revealing_records_nothing(self, client, clerk, application):
        _as(client, clerk)

        client.get(_url("check", application))

        assert _events(application, "personal_data_viewed") == 0

    def test_the_district_admin_sees_the_page_without_the_decision_forms(
        self, client, district_admin, application
    ):
        _as(client, district_admin)

        html = client.get(_url("check", application)).content.decode()

        assert "待综合窗口人员核对后作出受理决定" in html
        assert _url("accept", application) not in html

    def test_the_refusal_basis_is_prefilled(self, client, clerk, application):
        _as(client, clerk)

        html = client.get(_url("check", application)).content.decode()

        assert "《中华人民共和国行政许可法》第三十二条</textarea>" in html


@SMALL
class TestMaterialFile:
    def test_streams_with_the_stored_content_type(self, client, clerk, application):
        file = application.material_files.first()
        assert file is not None
        _as(client, clerk)

        response = client.get(_url("file", application, file.pk))

        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
        assert response["Content-Disposition"].startswith("inline;")

    def test_download_is_an_attachment_with_the_original_name(self, client, clerk, applicant):
        application = filled(applicant)
        png = services.material_upload(
            application=application,
            actor=applicant,
            material_code="floor_plan",
            upload=pdf_upload("平面图.png", PNG),
        )
        _as(client, clerk)

        response = client.get(_url("file", application, png.pk), {"download": "1"})

        assert response["Content-Type"] == "image/png"
        assert response["Content-Disposition"].startswith('attachment; filename="material-')
        assert "%E5%B9%B3%E9%9D%A2%E5%9B%BE.png" in response["Content-Disposition"]

    @pytest.mark.parametrize(
        ("persona", "status"),
        [
            ("applicant", 200),
            ("clerk", 200),
            ("district_admin", 200),
            ("other_applicant", 404),
            ("other_clerk", 404),
            ("city_admin", 404),
            ("market_reviewer", 404),  # the department sees it only once accepted
            (None, 302),
        ],
    )
    def test_only_the_applicant_and_the_districts_staff_may_open_a_file(
        self, client, application, persona, status, request
    ):
        if persona:
            _as(client, request.getfixturevalue(persona))
        file = application.material_files.first()
        assert file is not None

        assert client.get(_url("file", application, file.pk)).status_code == status

    def test_a_file_of_another_application_is_not_found(
        self, client, clerk, applicant, application
    ):
        other = submitted(applicant)
        file = other.material_files.first()
        assert file is not None
        _as(client, clerk)

        assert client.get(_url("file", application, file.pk)).status_code == 404


# --- Decisions -------------------------------------------------------------------------------


@SMALL
class TestAccept:
    def test_accepting_changes_the_state_once_and_redirects_with_a_banner(
        self, client, clerk, application
    ):
        _as(client, clerk)

        response = client.post(_url("accept", application))

        assert response.status_code == 302
        assert response["Location"] == _url("check", application)
        application.refresh_from_db()
        assert application.status == Application.Status.ACCEPTED
        assert application.decided_by == clerk
        assert _events(application, "application_accepted") == 1
        html = client.get(response["Location"]).content.decode()
        assert f"已受理申请 {application.number}" in html
        assert _url("receipt", application) in html

    def test_accepting_twice_says_so_and_changes_nothing(self, client, clerk, application):
        _as(client, clerk)
        client.post(_url("accept", application))
        application.refresh_from_db()
        decided_at = application.decided_at

        response = client.post(_url("accept", application))

        assert response.status_code == 409
        assert "只有已提交待受理的申请可以受理" in response.content.decode()
        application.refresh_from_db()
        assert application.decided_at == decided_at
        assert _events(application, "application_accepted") == 1

    def test_missing_materials_stop_acceptance_with_their_names(
        self, client, clerk, applicant, deferrable_rules
    ):
        application = submitted(applicant, skip=("food_safety_rules",))
        _as(client, clerk)

        response = client.post(_url("accept", application))

        html = response.content.decode()
        assert response.status_code == 422
        assert "未能办理，请检查" in html
        assert "食品安全管理制度：材料未提交，不能受理" in html
        application.refresh_from_db()
        assert application.status == Application.Status.SUBMITTED
        assert _events(application, "application_accepted") == 0

    def test_the_district_admin_cannot_accept(self, client, district_admin, application):
        _as(client, district_admin)

        response = client.post(_url("accept", application))

        assert response.status_code == 403
        assert "只有本区综合窗口人员可以受理" in response.content.decode()
        application.refresh_from_db()
        assert application.status == Application.Status.SUBMITTED


@SMALL
class TestAcceptDeferred:
    def test_accepting_with_a_deferral_records_the_material_and_its_due_date(
        self, client, clerk, applicant, deferrable_rules
    ):
        application = submitted(applicant, skip=("food_safety_rules",))
        _as(client, clerk)

        with time_machine.travel(datetime.datetime(2026, 3, 2, 2, 0, tzinfo=datetime.UTC)):
            response = client.post(
                _url("accept_deferred", application), {"deferred": ["food_safety_rules"]}
            )

        assert response.status_code == 302
        application.refresh_from_db()
        assert application.status == Application.Status.ACCEPTED
        deferral = MaterialDeferral.objects.get(application=application)
        assert deferral.material.code == "food_safety_rules"
        assert deferral.due_date == datetime.date(2026, 3, 9)
        assert _events(application, "application_accepted") == 1
        html = client.get(response["Location"]).content.decode()
        assert "已容缺受理申请" in html
        assert "容缺，2026-03-09前补交" in html

    def test_deferring_a_material_that_may_not_be_deferred_says_so(
        self, client, clerk, applicant, deferrable_rules
    ):
        application = submitted(applicant, skip=("food_safety_rules",))
        _as(client, clerk)

        response = client.post(
            _url("accept_deferred", application),
            {"deferred": ["food_safety_rules", "floor_plan"]},
        )

        html = response.content.decode()
        assert response.status_code == 422
        assert "经营场所平面布局图：该材料不可容缺，须当场提交" in html
        assert 'href="#deferred"' in html
        application.refresh_from_db()
        assert application.status == Application.Status.SUBMITTED
        assert not MaterialDeferral.objects.exists()
        assert _events(application, "application_accepted") == 0

    def test_choosing_nothing_asks_for_a_choice(self, client, clerk, applicant, deferrable_rules):
        application = submitted(applicant, skip=("food_safety_rules",))
        _as(client, clerk)

        response = client.post(_url("accept_deferred", application), {})

        assert response.status_code == 422
        assert "请选择容缺后补的材料" in response.content.decode()
        application.refresh_from_db()
        assert application.status == Application.Status.SUBMITTED

    def test_a_code_that_is_not_a_material_of_the_application_is_refused(
        self, client, clerk, application
    ):
        _as(client, clerk)

        response = client.post(_url("accept_deferred", application), {"deferred": ["nonsense"]})

        assert response.status_code == 422
        assert "选择一个有效的选项" in response.content.decode()
        application.refresh_from_db()
        assert application.status == Application.Status.SUBMITTED


@SMALL
class TestRefuse:
    def test_refusing_records_the_reason_and_basis_once(self, client, clerk, application):
        _as(client, clerk)

        response = client.post(
            _url("refuse", application),
            {"reason": "申请事项不属于本机关职权范围", "legal_basis": "行政许可法第三十二条第一款"},
        )

        assert response.status_code == 302
        application.refresh_from_db()
        assert application.status == Application.Status.REFUSED
        assert application.refusal_reason == "申请事项不属于本机关职权范围"
        assert application.refusal_basis == "行政许可法第三十二条第一款"
        assert _events(application, "application_refused") == 1
        html = client.get(response["Location"]).content.decode()
        assert "不予受理决定" in html
        assert _url("refusal", application) in html

    @pytest.mark.parametrize(
        ("data", "message", "anchor"),
        [
            ({"reason": "", "legal_basis": "第三十二条"}, "请填写不予受理的理由", "#id_reason"),
            ({"reason": "  ", "legal_basis": "第三十二条"}, "请填写不予受理的理由", "#id_reason"),
            ({"reason": "理由", "legal_basis": ""}, "请填写不予受理的法律依据", "#id_legal_basis"),
        ],
    )
    def test_a_refusal_needs_reason_and_basis(
        self, client, clerk, application, data, message, anchor
    ):
        _as(client, clerk)

        response = client.post(_url("refuse", application), data)

        html = response.content.decode()
        assert response.status_code == 422
        assert f'<a href="{anchor}">{message}</a>' in html
        assert '<details class="ol-decision" open>' in html
        application.refresh_from_db()
        assert application.status == Application.Status.SUBMITTED
        assert _events(application, "application_refused") == 0

    def test_an_accepted_application_cannot_be_refused(self, client, clerk, application):
        services.application_accept(application=application, clerk=clerk)
        _as(client, clerk)

        response = client.post(
            _url("refuse", application), {"reason": "理由", "legal_basis": "依据"}
        )

        assert response.status_code == 409
        assert "只有已提交待受理的申请可以不予受理" in response.content.decode()
        application.refresh_from_db()
        assert application.status == Application.Status.ACCEPTED


# --- The shipped Beijing catalogue -----------------------------------------------------------


SAMPLE_VALUES: dict[str, Any] = {
    InfoElement.Type.INTEGER: "10",
    InfoElement.Type.DECIMAL: "100",
    InfoElement.Type.DATE: "2026-03-01",
    InfoElement.Type.BOOLEAN: False,
    InfoElement.Type.PHONE: "13800138000",
    InfoElement.Type.USCC: FORM["uscc"],
    InfoElement.Type.ID_NUMBER: ID_NUMBER,
    InfoElement.Type.ADDRESS: "北京市朝阳区建国路88号",
}


def _sample(element: InfoElement) -> Any:
    choices = [c["code"] for c in (element.validation or {}).get("choices", [])]
    if element.type == InfoElement.Type.CHOICE:
        return choices[0]
    if element.type == InfoElement.Type.MULTICHOICE:
        return choices[:1]
    return SAMPLE_VALUES.get(element.type, "测试内容")


@pytest.mark.usefixtures("beijing_catalogue")
class TestBeijingCatalogue:
    ANSWERS = {
        "area": 400,
        "chain": False,
        "investment": 50,
        "alcohol": True,
        "tobacco": False,
        "outdoor_sign": False,
        "prepaid_card": False,
    }

    def _submitted(self, applicant) -> Application:
        application = services.application_create(
            actor=applicant, industry_code="restaurant", district_code="110105"
        )
        application = services.application_save(
            application=application, actor=applicant, answers=self.ANSWERS
        )
        plan = application_plan(application)
        form = {field.element.code: _sample(field.element) for field in plan.fields}
        services.application_save(application=application, actor=applicant, form_data=form)
        for merged in plan.materials:
            services.material_upload(
                application=application,
                actor=applicant,
                material_code=merged.material.code,
                upload=pdf_upload(),
            )
        return services.application_submit(application=application, actor=applicant)

    def test_a_beijing_restaurant_is_checked_and_accepted_at_the_window(
        self, client, clerk, applicant
    ):
        application = self._submitted(applicant)
        _as(client, clerk)

        text = _text(client.get(_url("check", application)).content.decode())
        response = client.post(_url("accept", application))

        for entry in application.items.select_related("item"):
            assert entry.item.name in text
        assert "朝阳区市场监督管理局" in text
        assert "是否销售酒类？ 是" in text
        assert response.status_code == 302
        application.refresh_from_db()
        assert application.status == Application.Status.ACCEPTED
        assert client.get(_url("receipt", application)).status_code == 200

    def test_a_restaurant_that_sells_no_alcohol_is_accepted(self, client, clerk, applicant):
        self.ANSWERS = self.ANSWERS | {"alcohol": False}
        application = self._submitted(applicant)
        _as(client, clerk)

        response = client.post(_url("accept", application))

        assert response.status_code == 302


# --- The Django admin ------------------------------------------------------------------------


@SMALL
class TestAdmin:
    def test_applications_are_listed_searched_and_shown_read_only(self, admin_client, application):
        listing = admin_client.get("/admin/applications/application/", {"q": "91110000600037341L"})
        change = admin_client.get(f"/admin/applications/application/{application.pk}/change/")

        assert listing.status_code == 200
        assert application.number in listing.content.decode()
        assert change.status_code == 200
        assert 'name="_save"' not in change.content.decode()
        assert admin_client.get("/admin/applications/application/add/").status_code == 403

    def test_material_files_are_read_only_and_enterprises_are_listed(
        self, admin_client, application
    ):
        file = application.material_files.first()
        assert file is not None

        files = admin_client.get("/admin/applications/materialfile/", {"q": application.number})
        change = admin_client.get(f"/admin/applications/materialfile/{file.pk}/change/")
        enterprises = admin_client.get("/admin/applications/enterprise/", {"q": "北京味道"})

        assert file.original_name in files.content.decode()
        assert 'name="_save"' not in change.content.decode()
        assert "91110000600037341L" in enterprises.content.decode()
