"""The applicant's pages, by persona: the owner, another applicant, the district's window
clerk, a clerk and a reviewer of another district, and nobody (anonymous).

Against the small fixture catalogue: the large 朝阳区 restaurant (400 ㎡, not a chain) needs the
food licence and the fire check (which allows 告知承诺); a small one (100 ㎡) only the small
food licence.
"""

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from onelicense.applications import services
from onelicense.applications.models import Application, Commitment, MaterialFile
from onelicense.applications.services import MAX_UPLOAD_BYTES
from onelicense.applications.tests.factories import (
    ANSWERS,
    FORM,
    PDF,
    PNG,
    draft,
    filled,
    pdf_upload,
    submitted,
)
from onelicense.core.models import Event

pytestmark = pytest.mark.usefixtures("small_catalogue")


def _text(html: str) -> str:
    """The page's text without tags or line breaks, for phrases that span elements."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def _get(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response
    return response.content.decode()


def _as(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def url(name: str, application: Application, *args: Any) -> str:
    return reverse(f"applications:{name}", args=[application.code, *args])


def _errors(html: str) -> list[tuple[str, str]]:
    """The error summary's links: (href, text)."""
    match = re.search(r'<div class="ol-error-summary".*?</div>', html, re.S)
    if not match:
        return []
    return [
        (href, _text(text).strip())
        for href, text in re.findall(r'<a href="([^"]+)">(.*?)</a>', match.group(0), re.S)
    ]


class TestStart:
    def test_sends_an_anonymous_visitor_to_log_in_first(self, client):
        response = client.get("/apply/new/?industry=restaurant")

        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=/apply/new/")

    def test_asks_for_the_district_and_marks_those_not_open(self, client, applicant):
        html = _get(_as(client, applicant), "/apply/new/?industry=coffee_shop&district=110105")

        assert "咖啡店/茶馆" in html
        assert re.search(r'id="district-110105"[^>]*checked', html)
        off = re.search(r'<input[^>]*id="district-110119"[^>]*>', html)
        assert off and "disabled" in off.group(0)
        assert "暂未开通" in _text(html)
        assert 'name="token"' in html
        assert "申请人授权情况" not in html  # only a clerk is asked

    def test_opens_a_draft_and_shows_its_task_list(self, client, applicant):
        response = _as(client, applicant).post(
            "/apply/new/", {"industry": "restaurant", "district": "110105", "token": "t-1"}
        )

        application = Application.objects.get()
        assert response.status_code == 302
        assert response["Location"] == url("detail", application)
        assert application.applicant == applicant
        assert application.channel == Application.Channel.ONLINE
        assert application.client_key == "t-1"

    def test_a_double_submit_makes_one_draft(self, client, applicant):
        data = {"industry": "restaurant", "district": "110105", "token": "t-1"}
        _as(client, applicant)
        first = client.post("/apply/new/", data)
        second = client.post("/apply/new/", data)

        assert Application.objects.count() == 1
        assert first["Location"] == second["Location"]

    def test_a_district_not_open_for_the_industry_cannot_be_chosen(self, client, applicant):
        response = _as(client, applicant).post(
            "/apply/new/", {"industry": "coffee_shop", "district": "110119", "token": "t-1"}
        )

        html = response.content.decode()
        assert response.status_code == 422
        assert ("#district-110101", "该区暂未开通此行业") in _errors(html)
        assert Application.objects.count() == 0

    def test_says_which_district_to_choose(self, client, applicant):
        response = _as(client, applicant).post(
            "/apply/new/", {"industry": "restaurant", "token": "t-1"}
        )

        assert response.status_code == 422
        assert "请选择经营场所所在区" in [
            text for _href, text in _errors(response.content.decode())
        ]

    def test_without_an_industry_asks_for_one(self, client, applicant):
        html = _get(_as(client, applicant), "/apply/new/")

        assert "您要经营哪个行业" in html
        assert '<option value="restaurant">餐饮店</option>' in html

    def test_an_unknown_industry_is_a_404(self, client, applicant):
        _get(_as(client, applicant), "/apply/new/?industry=spaceport", status=404)

    def test_a_clerk_files_for_an_applicant_in_their_own_district_with_consent(self, client, clerk):
        html = _get(_as(client, clerk), "/apply/new/?industry=restaurant")
        assert "申请人授权情况" in html
        assert re.search(r'id="district-110105"[^>]*checked', html)
        assert 'id="district-110108"' not in html

        refused = client.post(
            "/apply/new/", {"industry": "restaurant", "district": "110105", "token": "t"}
        )
        assert refused.status_code == 422
        assert ("#id_consent", "请填写申请人授权情况") in _errors(refused.content.decode())

        client.post(
            "/apply/new/",
            {"industry": "restaurant", "district": "110105", "token": "t", "consent": "当面委托"},
        )
        application = Application.objects.get()
        assert application.channel == Application.Channel.WINDOW
        assert application.filed_by == clerk
        assert application.consent == "当面委托"

    def test_a_reviewer_cannot_start_an_application(self, client, market_reviewer):
        html = _get(_as(client, market_reviewer), "/apply/new/?industry=restaurant", status=403)

        assert "只有申请人或综合窗口人员可以发起申请" in html


class TestTaskList:
    def test_a_new_draft_starts_with_the_questions(self, client, applicant):
        application = draft(applicant)

        html = _get(_as(client, applicant), url("detail", application))
        text = _text(html)

        assert "回答情形问题" in text
        assert f'href="{url("questions", application)}"' in html
        assert f'href="{url("form", application)}"' not in html  # 暂不能开始
        assert text.count("暂不能开始") == 2
        assert "核对并提交" in text
        assert "回答情形问题后，这里会列出需要办理的事项" in text

    def test_after_the_questions_lists_the_items_and_opens_the_tasks(self, client, applicant):
        application = draft(applicant)
        services.application_save(application=application, actor=applicant, answers=ANSWERS)

        html = _get(_as(client, applicant), url("detail", application))
        text = _text(html)

        assert "食品经营许可（新办）" in text
        assert "朝阳区市场监督管理局" in text
        assert "公众聚集场所投入使用、营业前消防安全检查" in text
        assert "可告知承诺" in text
        for page in ("form", "materials", "commitments", "check"):
            assert f'href="{url(page, application)}"' in html
        assert "选择办理方式并签署告知承诺" in text

    def test_leaves_out_the_commitment_task_when_no_item_allows_it(self, client, applicant):
        application = draft(applicant)
        services.application_save(
            application=application, actor=applicant, answers={"area": 100, "chain": False}
        )

        text = _text(_get(_as(client, applicant), url("detail", application)))

        assert "北京市小规模食品生产经营许可（小餐饮店）" in text
        assert "选择办理方式" not in text

    def test_a_filled_draft_shows_each_task_done(self, client, applicant):
        application = filled(applicant)
        services.application_save(
            application=application, actor=applicant, routes={"fire_safety_check": "standard"}
        )

        text = _text(_get(_as(client, applicant), url("detail", application)))

        assert text.count("已完成") == 5  # four tasks, and the count "已完成 4 / 4 项"
        assert "已完成 4 / 4 项" in text
        assert "可以提交" in text

    def test_the_district_clerk_may_complete_an_online_draft(self, client, applicant, clerk):
        application = draft(applicant)

        html = _get(_as(client, clerk), url("detail", application))

        assert "回答情形问题" in html


class TestQuestions:
    def test_shows_the_visible_questions_by_type(self, client, applicant):
        application = draft(applicant)

        html = _get(_as(client, applicant), url("questions", application))

        assert 'id="q-area"' in html and 'inputmode="decimal"' in html
        assert '<span class="ol-input-suffix" aria-hidden="true">㎡</span>' in html
        assert 'id="q-chain-true"' in html and 'id="q-chain-false"' in html
        assert "主要经营哪类餐食" not in html  # shows once the area is answered
        assert "打印告知单" in html

    def test_update_saves_and_shows_the_follow_ups_and_the_items(self, client, applicant):
        application = draft(applicant)
        _as(client, applicant)

        response = client.post(
            url("questions", application), {"area": "400", "chain": "false", "action": "update"}
        )
        assert response.status_code == 302
        assert response["Location"] == url("questions", application) + "#items"
        html = _get(client, url("questions", application))
        text = _text(html)

        application.refresh_from_db()
        assert application.answers == {"area": 400, "chain": False}
        assert "主要经营哪类餐食" in text
        assert re.search(r'id="q-area"[^>]*value="400"|value="400"[^>]*id="q-area"', html)
        assert re.search(r'id="q-chain-false"[^>]*checked', html)
        assert "根据您的回答，需要办理 2 个事项" in text
        assert "公众聚集场所投入使用、营业前消防安全检查" in text
        assert "已保存回答" in text

    def test_save_and_continue_returns_to_the_task_list(self, client, applicant):
        application = draft(applicant)

        response = _as(client, applicant).post(
            url("questions", application),
            {"area": "100", "chain": "false", "cuisine": "hot", "action": "continue"},
        )

        assert response["Location"] == url("detail", application)
        application.refresh_from_db()
        assert application.answers == {"area": 100, "chain": False, "cuisine": "hot"}

    def test_a_bad_answer_is_named_in_the_summary_and_nothing_is_saved(self, client, applicant):
        application = draft(applicant)
        services.application_save(application=application, actor=applicant, answers={"chain": True})

        response = _as(client, applicant).post(
            url("questions", application), {"area": "-5", "chain": "false", "action": "update"}
        )
        html = response.content.decode()

        assert response.status_code == 422
        assert _errors(html) == [("#q-area", "经营场所使用面积是多少？不能小于 1㎡")]
        assert 'id="q-area-error"' in html
        assert 'value="-5"' in html  # kept as typed
        assert re.search(r'id="q-chain-false"[^>]*checked', html)
        application.refresh_from_db()
        assert application.answers == {"chain": True}

    def test_a_hidden_follow_ups_answer_rides_along_until_it_shows_again(self, client, applicant):
        application = draft(applicant)
        _as(client, applicant)

        response = client.post(
            url("questions", application), {"area": "-5", "cuisine": "cold", "action": "update"}
        )
        html = response.content.decode()

        assert 'data-field="cuisine"' not in html  # its condition rests on the bad area
        assert '<input type="hidden" name="cuisine" value="cold">' in html
        preview = _get(client, url("questions_preview", application) + "?area=80&cuisine=cold")
        assert re.search(r'id="q-cuisine-cold"[^>]*checked', preview)

    def test_the_preview_gives_the_questions_and_items_without_saving(self, client, applicant):
        application = draft(applicant)

        html = _get(_as(client, applicant), url("questions_preview", application) + "?area=400")
        text = _text(html)

        assert "<html" not in html
        assert 'data-field="cuisine"' in html
        assert "公众聚集场所投入使用、营业前消防安全检查" in text
        assert 'data-item-count="2"' in html
        application.refresh_from_db()
        assert application.answers == {}

    def test_the_preview_says_what_is_wrong_with_an_answer(self, client, applicant):
        application = draft(applicant)

        html = _get(_as(client, applicant), url("questions_preview", application) + "?area=abc")

        assert "请填写数字" in html
        assert 'value="abc"' in html

    def test_links_to_the_notice_for_the_answers_given(self, client, applicant):
        application = draft(applicant)
        services.application_save(application=application, actor=applicant, answers=ANSWERS)

        html = _get(_as(client, applicant), url("questions", application))
        link = re.search(r'<a href="([^"]+)" id="notice-link"', html)

        assert link
        href = link.group(1).replace("&amp;", "&")
        assert href.startswith("/industries/restaurant/notice/?")
        for part in ("district=110105", "area=400", "chain=false", "cuisine=hot"):
            assert part in href

    def test_a_submitted_application_shows_its_status_instead(self, client, applicant):
        application = submitted(applicant)

        response = _as(client, applicant).get(url("questions", application))

        assert response.status_code == 302
        assert response["Location"] == url("detail", application)


class TestOneForm:
    @pytest.fixture
    def application(self, applicant):
        application = draft(applicant)
        return services.application_save(application=application, actor=applicant, answers=ANSWERS)

    def test_asks_each_element_once_with_what_it_is_for(self, client, applicant, application):
        html = _get(_as(client, applicant), url("form", application))
        text = _text(html)

        assert html.count('name="uscc"') == 1
        assert html.count('name="premises_area"') == 1
        assert "用于：综合许可凭证" in text
        assert "用于：食品经营许可（新办）、公众聚集场所投入使用、营业前消防安全检查" in text
        for section in ("主体信息", "经营场所", "经营项目", "设施设备"):
            assert f">{section}</h2>" in html

    def test_prefills_from_the_answers_and_draws_inputs_by_type(
        self, client, applicant, application
    ):
        html = _get(_as(client, applicant), url("form", application))

        assert re.search(r'id="f-premises_area" name="premises_area" value="400"', html)
        assert re.search(r'class="ol-input ol-input--code" id="f-uscc"', html)
        assert re.search(r'id="f-contact_phone"[^>]*\s+type="tel"', html)
        assert '<textarea class="ol-input ol-textarea" id="f-fire_facilities"' in html
        assert 'type="checkbox" id="f-food_categories-hot"' in html

    def test_saves_the_values_and_returns_to_the_task_list(self, client, applicant, application):
        response = _as(client, applicant).post(url("form", application), FORM)

        assert response.status_code == 302
        application.refresh_from_db()
        assert application.form_data["uscc"] == "91110000600037341L"
        assert application.form_data["food_categories"] == ["hot"]

    def test_a_bad_value_is_named_and_nothing_is_saved(self, client, applicant, application):
        data = FORM | {"uscc": "91110000600037341X", "contact_phone": "12345"}

        response = _as(client, applicant).post(url("form", application), data)
        html = response.content.decode()

        assert response.status_code == 422
        assert _errors(html) == [
            ("#f-uscc", "统一社会信用代码校验位不正确，请核对"),
            ("#f-contact_phone", "联系电话：请填写 11 位手机号码，如 13800138000"),
        ]
        assert 'value="91110000600037341X"' in html
        assert 'value="北京味道餐饮有限公司"' in html  # the rest kept as typed
        application.refresh_from_db()
        assert application.form_data == {}

    def test_a_cleared_field_is_cleared(self, client, applicant, application):
        services.application_save(application=application, actor=applicant, form_data=FORM)

        _as(client, applicant).post(url("form", application), FORM | {"fire_facilities": ""})

        application.refresh_from_db()
        assert "fire_facilities" not in application.form_data
        assert application.form_data["enterprise_name"] == "北京味道餐饮有限公司"


class TestMaterials:
    @pytest.fixture
    def application(self, applicant):
        application = draft(applicant)
        return services.application_save(application=application, actor=applicant, answers=ANSWERS)

    def _upload(self, client, application, code="floor_plan", upload=None):
        return client.post(
            url("materials", application), {"material": code, "file": upload or pdf_upload()}
        )

    def test_lists_each_material_once_with_its_form_and_items(self, client, applicant, application):
        html = _get(_as(client, applicant), url("materials", application))
        text = _text(html)

        assert html.count('<h2 class="ol-material__title"') == 5
        assert "经营场所平面布局图" in text
        assert "所需事项：食品经营许可（新办）、公众聚集场所投入使用、营业前消防安全检查" in text
        assert 'accept=".pdf,.jpg,.jpeg,.png' in html

    def test_an_uploaded_file_is_listed_and_can_be_downloaded(self, client, applicant, application):
        response = self._upload(_as(client, applicant), application)

        assert response["Location"] == url("materials", application) + "#m-floor_plan"
        record = MaterialFile.objects.get()
        html = _get(client, url("materials", application))
        assert f'href="{url("material", application, record.pk)}"' in html
        download = client.get(url("material", application, record.pk))
        assert download["Content-Type"] == "application/pdf"
        assert b"".join(download.streaming_content) == PDF

    def test_a_png_is_served_as_a_png(self, client, applicant, application):
        png = SimpleUploadedFile("平面图.png", PNG, content_type="image/png")
        self._upload(_as(client, applicant), application, upload=png)

        record = MaterialFile.objects.get()
        download = client.get(url("material", application, record.pk))
        assert download["Content-Type"] == "image/png"
        assert "filename*=utf-8''%E5%B9%B3%E9%9D%A2%E5%9B%BE.png" in download["Content-Disposition"]

    def test_a_file_of_another_type_is_refused_in_chinese(self, client, applicant, application):
        text_file = SimpleUploadedFile("notes.pdf", b"hello", content_type="application/pdf")

        response = self._upload(_as(client, applicant), application, upload=text_file)
        html = response.content.decode()

        assert response.status_code == 422
        assert _errors(html) == [("#m-floor_plan-file", "文件内容不是 PDF、JPG 或 PNG")]
        assert 'id="m-floor_plan-file-error"' in html
        assert MaterialFile.objects.count() == 0

    def test_a_file_over_10_mb_is_refused(self, client, applicant, application):
        big = SimpleUploadedFile("big.pdf", PDF + b"0" * MAX_UPLOAD_BYTES, "application/pdf")

        response = self._upload(_as(client, applicant), application, upload=big)

        assert response.status_code == 422
        assert "文件不能超过 10 MB" in response.content.decode()
        assert MaterialFile.objects.count() == 0

    def test_asks_for_a_file_when_none_was_chosen(self, client, applicant, application):
        response = _as(client, applicant).post(
            url("materials", application), {"material": "floor_plan"}
        )

        assert response.status_code == 422
        assert "请选择要上传的文件" in response.content.decode()

    def test_a_file_can_be_removed(self, client, applicant, application):
        self._upload(_as(client, applicant), application)
        record = MaterialFile.objects.get()

        response = client.post(url("material_remove", application, record.pk))

        assert response.status_code == 302
        assert MaterialFile.objects.count() == 0

    def test_only_those_who_may_see_the_application_download_its_files(
        self, client, applicant, other_applicant, clerk, other_clerk, application
    ):
        self._upload(_as(client, applicant), application)
        record = MaterialFile.objects.get()
        link = url("material", application, record.pk)

        assert _as(Client(), clerk).get(link).status_code == 200
        assert _as(Client(), other_applicant).get(link).status_code == 404
        assert _as(Client(), other_clerk).get(link).status_code == 404
        assert Client().get(link).status_code == 302


class TestCommitments:
    @pytest.fixture
    def application(self, applicant):
        application = draft(applicant)
        return services.application_save(application=application, actor=applicant, answers=ANSWERS)

    def test_offers_the_choice_only_for_items_that_allow_it(self, client, applicant, application):
        html = _get(_as(client, applicant), url("commitments", application))
        text = _text(html)

        assert 'id="c-fire_safety_check"' in html
        assert 'id="c-food_business_licence"' not in html
        assert "本单位承诺场所符合消防技术标准和管理规定。" in text
        assert "本人已阅读并承诺" in text

    def test_signing_needs_a_name_and_the_tick(self, client, applicant, application):
        response = _as(client, applicant).post(
            url("commitments", application),
            {"item": "fire_safety_check", "fire_safety_check-route": "commitment"},
        )

        assert response.status_code == 422
        assert _errors(response.content.decode()) == [
            ("#c-fire_safety_check-signer", "请填写承诺人姓名"),
            ("#c-fire_safety_check-agree", "请勾选“本人已阅读并承诺”"),
        ]
        assert Commitment.objects.count() == 0

    def test_signing_records_the_commitment_and_the_route(self, client, applicant, application):
        response = _as(client, applicant).post(
            url("commitments", application),
            {
                "item": "fire_safety_check",
                "fire_safety_check-route": "commitment",
                "fire_safety_check-signer_name": "张明",
                "fire_safety_check-agree": "on",
            },
        )

        assert response.status_code == 302
        commitment = Commitment.objects.get()
        assert commitment.signer_name == "张明"
        application.refresh_from_db()
        assert application.routes == {"fire_safety_check": "commitment"}
        html = _get(client, url("commitments", application))
        assert "已签署告知承诺书（承诺人 张明" in _text(html)

    def test_choosing_the_standard_route_needs_no_signature(self, client, applicant, application):
        _as(client, applicant).post(
            url("commitments", application),
            {"item": "fire_safety_check", "fire_safety_check-route": "standard"},
        )

        application.refresh_from_db()
        assert application.routes == {"fire_safety_check": "standard"}
        assert Commitment.objects.count() == 0

    def test_without_an_eligible_item_goes_back_to_the_tasks(self, client, applicant):
        application = draft(applicant)
        services.application_save(
            application=application, actor=applicant, answers={"area": 100, "chain": False}
        )

        response = _as(client, applicant).get(url("commitments", application))

        assert response["Location"] == url("detail", application)


class TestCheckAndSubmit:
    def test_an_incomplete_draft_lists_what_is_missing_with_links(self, client, applicant):
        application = filled(applicant, skip=("floor_plan",))
        services.application_save(
            application=application, actor=applicant, form_data={"fire_facilities": ""}
        )

        html = _get(_as(client, applicant), url("check", application))

        assert _errors(html) == [
            (url("form", application) + "#f-fire_facilities", "消防设施情况：此项必填"),
            (url("materials", application) + "#m-floor_plan", "经营场所平面布局图：请上传此材料"),
        ]

    def test_many_problems_of_one_task_are_one_line(self, client, applicant):
        application = draft(applicant)
        services.application_save(application=application, actor=applicant, answers=ANSWERS)

        html = _get(_as(client, applicant), url("check", application))

        assert _errors(html) == [
            (url("form", application) + "#f-enterprise_name", "申请表：尚有 9 项必填信息未填写"),
            (
                url("materials", application) + "#m-business_licence",
                "申请材料：尚有 5 份材料未上传",
            ),
        ]

    def test_shows_every_answer_with_a_change_link(self, client, applicant):
        application = filled(applicant)

        html = _get(_as(client, applicant), url("check", application))
        text = _text(html)

        assert _errors(html) == []
        assert "经营场所使用面积是多少？400㎡" in text
        assert "是否连锁经营？否" in text
        assert "经营项目热食类食品制售" in text
        assert "经营场所使用面积400 ㎡" in text  # not 4E+2, as the service stores it
        assert f'href="{url("questions", application)}#q-area"' in html
        assert f'href="{url("form", application)}#f-uscc"' in html
        assert f'href="{url("materials", application)}#m-floor_plan"' in html
        assert f'action="{url("submit", application)}"' in html

    def test_submit_then_confirmation_with_the_number(self, client, applicant):
        application = filled(applicant)

        response = _as(client, applicant).post(url("submit", application))

        assert response.status_code == 302
        assert response["Location"] == url("confirmation", application)
        application.refresh_from_db()
        assert application.status == Application.Status.SUBMITTED
        html = _get(client, url("confirmation", application))
        text = _text(html)
        assert "申请已提交" in text
        assert f"{application.number}" in text
        assert "朝阳区政务服务中心综合窗口" in text
        assert "朝阳区消防救援支队" in text
        assert "自受理之日起 10 个工作日内全部办结" in text

    def test_a_second_submit_creates_nothing_new(self, client, applicant):
        application = filled(applicant)
        _as(client, applicant)

        client.post(url("submit", application))
        again = client.post(url("submit", application))

        assert again["Location"] == url("confirmation", application)
        assert Event.objects.filter(verb="application_submitted").count() == 1
        assert Application.objects.get().items.count() == 2

    def test_an_incomplete_submit_shows_the_problems_and_changes_nothing(self, client, applicant):
        application = filled(applicant, skip=("floor_plan",))

        response = _as(client, applicant).post(url("submit", application))

        assert response.status_code == 422
        assert "经营场所平面布局图：请上传此材料" in [
            t for _h, t in _errors(response.content.decode())
        ]
        application.refresh_from_db()
        assert application.status == Application.Status.DRAFT

    def test_a_draft_has_no_confirmation_yet(self, client, applicant):
        application = draft(applicant)

        response = _as(client, applicant).get(url("confirmation", application))

        assert response["Location"] == url("detail", application)

    def test_a_clerk_completes_and_submits_an_application_at_the_window(self, client, clerk):
        application = filled(clerk, consent="申请人当面委托")

        response = _as(client, clerk).post(url("submit", application))

        assert response["Location"] == url("confirmation", application)
        application.refresh_from_db()
        assert application.status == Application.Status.SUBMITTED


class TestMyApplications:
    def test_lists_the_applicants_own_applications(self, client, applicant, other_applicant):
        mine = submitted(applicant)
        draft(applicant)
        draft(other_applicant, district="110108")

        html = _get(_as(client, applicant), "/apply/")
        text = _text(html)

        assert html.count('class="ol-card"') == 2
        assert f"{mine.number}" in text
        assert "已提交，待受理" in text and "草稿" in text
        assert "海淀区" not in text

    def test_says_how_to_start_when_there_are_none(self, client, applicant):
        text = _text(_get(_as(client, applicant), "/apply/"))

        assert "您还没有申请" in text

    def test_a_submitted_application_shows_its_timeline(self, client, applicant):
        application = submitted(applicant)

        text = _text(_get(_as(client, applicant), url("detail", application)))

        assert "已提交，待受理" in text
        assert "创建申请" in text
        assert "提交申请 " in text and f"申请编号 {application.number}" in text
        assert "上传" not in text  # uploads stay in the audit trail
        assert "撤回申请" in text

    def test_an_accepted_application_shows_the_promised_date_and_the_receipt(
        self, client, applicant, clerk
    ):
        application = submitted(applicant)
        services.application_accept(application=application, clerk=clerk)

        html = _get(_as(client, applicant), url("detail", application))
        text = _text(html)

        assert "已受理" in text
        assert "综合窗口已受理" in text
        assert "承诺办结日期" in text
        assert f'href="/window/{application.code}/receipt.pdf"' in html
        assert "下载受理通知书（PDF）" in text

    def test_a_refused_application_gives_the_reasons(self, client, applicant, clerk):
        application = submitted(applicant)
        services.application_refuse(
            application=application,
            clerk=clerk,
            reason="经营场所不在本区",
            legal_basis="行政许可法第三十二条",
        )

        text = _text(_get(_as(client, applicant), url("detail", application)))

        assert "不予受理的理由：经营场所不在本区" in text
        assert "依据：行政许可法第三十二条" in text
        assert "综合窗口不予受理" in text
        assert "下载不予受理决定书（PDF）" in text
        assert "撤回申请" not in text

    def test_withdraw_asks_first_then_withdraws_with_the_reason(self, client, applicant):
        application = submitted(applicant)
        _as(client, applicant)

        html = _get(client, url("withdraw", application))
        assert "确定要撤回这份申请吗" in html
        response = client.post(url("withdraw", application), {"reason": "改期开业"})

        assert response["Location"] == url("detail", application)
        application.refresh_from_db()
        assert application.status == Application.Status.WITHDRAWN
        text = _text(_get(client, url("detail", application)))
        assert "撤回申请" in text and "理由：改期开业" in text

    def test_an_accepted_application_may_still_be_withdrawn(self, client, applicant, clerk):
        application = submitted(applicant)
        services.application_accept(application=application, clerk=clerk)
        _as(client, applicant)

        assert "尚未办结的事项将终止办理" in _get(client, url("withdraw", application))
        client.post(url("withdraw", application), {"reason": "不开了"})

        application.refresh_from_db()
        assert application.status == Application.Status.WITHDRAWN

    def test_a_refused_application_cannot_be_withdrawn(self, client, applicant, clerk):
        application = submitted(applicant)
        services.application_refuse(
            application=application, clerk=clerk, reason="不在本区", legal_basis="第三十二条"
        )

        response = _as(client, applicant).post(url("withdraw", application), {"reason": ""})

        assert response["Location"] == url("detail", application)
        application.refresh_from_db()
        assert application.status == Application.Status.REFUSED


DRAFT_PAGES = [
    "detail",
    "questions",
    "questions_preview",
    "form",
    "materials",
    "commitments",
    "check",
    "withdraw",
]


class TestAccess:
    """Every page, tried by the wrong persona."""

    @pytest.fixture
    def application(self, applicant):
        application = draft(applicant)
        return services.application_save(application=application, actor=applicant, answers=ANSWERS)

    @pytest.mark.parametrize("page", [*DRAFT_PAGES, "confirmation"])
    def test_anonymous_visitors_are_sent_to_log_in(self, client, application, page):
        response = client.get(url(page, application))

        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")

    @pytest.mark.parametrize(
        "persona", ["other_applicant", "other_clerk", "market_reviewer", "other_reviewer"]
    )
    @pytest.mark.parametrize("page", [*DRAFT_PAGES, "confirmation"])
    def test_others_do_not_learn_the_application_exists(
        self, request, client, application, persona, page
    ):
        response = _as(client, request.getfixturevalue(persona)).get(url(page, application))

        assert response.status_code == 404

    @pytest.mark.parametrize("persona", ["other_applicant", "other_clerk", "market_reviewer"])
    @pytest.mark.parametrize(
        "page, data",
        [
            ("questions", {"area": "1"}),
            ("form", {"uscc": ""}),
            ("materials", {"material": "floor_plan"}),
            ("commitments", {"item": "fire_safety_check"}),
            ("submit", {}),
            ("withdraw", {}),
        ],
    )
    def test_others_cannot_change_it(self, request, client, application, persona, page, data):
        response = _as(client, request.getfixturevalue(persona)).post(url(page, application), data)

        assert response.status_code == 404
        application.refresh_from_db()
        assert application.status == Application.Status.DRAFT
        assert application.answers == ANSWERS

    def test_the_district_admin_sees_a_draft_but_may_not_change_it(
        self, client, application, district_admin
    ):
        _as(client, district_admin)

        assert "申请草稿" in _get(client, url("detail", application))
        assert _get(client, url("form", application), status=403)

    def test_a_reviewer_sees_an_accepted_application_of_their_department(
        self, client, applicant, clerk, market_reviewer, other_reviewer
    ):
        application = submitted(applicant)
        services.application_accept(application=application, clerk=clerk)

        assert _as(Client(), market_reviewer).get(url("detail", application)).status_code == 200
        assert _as(Client(), other_reviewer).get(url("detail", application)).status_code == 404
        assert _as(Client(), market_reviewer).get(url("form", application)).status_code == 403

    def test_my_applications_needs_a_login(self, client):
        assert client.get("/apply/")["Location"].startswith("/accounts/login/")
