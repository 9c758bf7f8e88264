"""The application's life up to acceptance, by the rules of 一表申请 and 一窗受理."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from onelicense.applications import services
from onelicense.applications.models import Application, ApplicationItem, Enterprise, MaterialFile
from onelicense.applications.tests.factories import ANSWERS, FORM, PNG, draft, filled, pdf_upload
from onelicense.core.errors import DomainError
from onelicense.core.models import Event

pytestmark = pytest.mark.usefixtures("small_catalogue")


def refused(call, code: str) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call()
    assert caught.value.code == code, caught.value.message
    return caught.value


class TestCreate:
    def test_an_applicant_opens_an_online_draft(self, applicant):
        application = draft(applicant)
        assert application.status == Application.Status.DRAFT
        assert application.channel == Application.Channel.ONLINE
        assert application.applicant == applicant
        assert application.catalogue_version.code == "test-small"
        assert application.number is None

    def test_the_same_client_key_gives_back_the_same_draft(self, applicant):
        first = draft(applicant, client_key="form-token-1")
        second = draft(applicant, client_key="form-token-1")
        assert first == second
        assert Application.objects.count() == 1

    def test_a_district_that_does_not_offer_the_industry_says_so(self, applicant):
        error = refused(
            lambda: draft(applicant, industry="coffee_shop", district="110119"),
            "industry_not_offered",
        )
        assert error.message == "延庆区暂未开通“咖啡店/茶馆”的“一业一证”办理"
        assert Application.objects.count() == 0

    def test_a_clerk_files_for_an_applicant_with_consent_recorded(self, clerk):
        application = draft(clerk, consent="申请人张明当面委托，已核验身份证")
        assert application.channel == Application.Channel.WINDOW
        assert application.filed_by == clerk
        assert application.applicant is None

    def test_a_clerk_needs_the_applicants_consent(self, clerk):
        error = refused(lambda: draft(clerk), "consent_required")
        assert error.fields == {"consent": "请填写申请人授权情况"}

    def test_a_clerk_cannot_file_in_another_district(self, other_clerk):
        refused(lambda: draft(other_clerk, consent="委托"), "forbidden")

    def test_a_reviewer_cannot_open_an_application(self, market_reviewer):
        refused(lambda: draft(market_reviewer), "forbidden")


class TestSave:
    def test_answers_and_form_are_saved(self, applicant):
        application = services.application_save(
            application=draft(applicant), actor=applicant, answers=ANSWERS, form_data=FORM
        )
        application.refresh_from_db()
        assert application.answers == ANSWERS
        assert application.form_data["uscc"] == "91110000600037341L"
        assert application.form_data["food_categories"] == ["hot"]

    def test_a_bad_value_saves_nothing(self, applicant):
        application = draft(applicant)
        services.application_save(
            application=application, actor=applicant, form_data={"enterprise_name": "旧名称"}
        )
        bad = FORM | {"uscc": "91110000600037341X", "contact_phone": "123"}
        error = refused(
            lambda: services.application_save(
                application=application, actor=applicant, answers=ANSWERS, form_data=bad
            ),
            "invalid_form",
        )
        assert error.fields == {
            "uscc": "统一社会信用代码校验位不正确，请核对",
            "contact_phone": "请填写 11 位手机号码，如 13800138000",
        }
        application.refresh_from_db()
        assert application.form_data == {"enterprise_name": "旧名称"}
        assert application.answers == {}

    def test_an_answer_outside_the_options_is_refused(self, applicant):
        error = refused(
            lambda: services.application_save(
                application=draft(applicant), actor=applicant, answers={"cuisine": "raw"}
            ),
            "invalid_answers",
        )
        assert error.fields == {"cuisine": "所选答案不在选项之中"}

    def test_an_address_outside_the_district_is_refused(self, applicant):
        error = refused(
            lambda: services.application_save(
                application=draft(applicant),
                actor=applicant,
                form_data={"premises_address": "北京市海淀区中关村1号"},
            ),
            "invalid_form",
        )
        assert error.fields == {"premises_address": "地址应位于朝阳区（请写明“朝阳区”）"}

    def test_the_commitment_route_is_refused_where_the_item_does_not_allow_it(self, applicant):
        application = services.application_save(
            application=draft(applicant), actor=applicant, answers=ANSWERS
        )
        error = refused(
            lambda: services.application_save(
                application=application,
                actor=applicant,
                routes={"food_business_licence": "commitment"},
            ),
            "invalid_route",
        )
        assert error.fields == {"food_business_licence": "该事项不适用告知承诺"}


class TestMaterials:
    def test_the_type_is_read_from_the_content_not_the_name(self, applicant):
        application = services.application_save(
            application=draft(applicant), actor=applicant, answers=ANSWERS
        )
        record = services.material_upload(
            application=application,
            actor=applicant,
            material_code="floor_plan",
            upload=SimpleUploadedFile("平面图.pdf", PNG, content_type="application/pdf"),
        )
        assert record.content_type == MaterialFile.ContentType.PNG
        assert record.file.read() == PNG

    def test_a_file_of_another_type_is_refused(self, applicant):
        application = services.application_save(
            application=draft(applicant), actor=applicant, answers=ANSWERS
        )
        error = refused(
            lambda: services.material_upload(
                application=application,
                actor=applicant,
                material_code="floor_plan",
                upload=SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf"),
            ),
            "file_type_not_allowed",
        )
        assert error.status == 415
        assert MaterialFile.objects.count() == 0

    def test_a_file_too_large_is_refused(self, applicant, monkeypatch):
        monkeypatch.setattr(services, "MAX_UPLOAD_BYTES", 10)
        application = services.application_save(
            application=draft(applicant), actor=applicant, answers=ANSWERS
        )
        error = refused(
            lambda: services.material_upload(
                application=application,
                actor=applicant,
                material_code="floor_plan",
                upload=pdf_upload(),
            ),
            "file_too_large",
        )
        assert error.status == 413

    def test_a_material_the_plan_does_not_ask_for_is_refused(self, applicant):
        application = draft(applicant)  # no answers yet: nothing applies
        refused(
            lambda: services.material_upload(
                application=application,
                actor=applicant,
                material_code="floor_plan",
                upload=pdf_upload(),
            ),
            "material_not_required",
        )


class TestCommitment:
    def test_signing_takes_the_commitment_route_with_the_text_shown(self, applicant):
        application = services.application_save(
            application=draft(applicant), actor=applicant, answers=ANSWERS
        )
        commitment = services.commitment_sign(
            application=application,
            actor=applicant,
            item_code="fire_safety_check",
            signer_name="张明",
        )
        assert commitment.text == "本单位承诺场所符合消防技术标准和管理规定。"
        application.refresh_from_db()
        assert application.routes == {"fire_safety_check": "commitment"}

    def test_an_ineligible_item_never_takes_a_commitment(self, applicant):
        application = services.application_save(
            application=draft(applicant), actor=applicant, answers=ANSWERS
        )
        refused(
            lambda: services.commitment_sign(
                application=application,
                actor=applicant,
                item_code="food_business_licence",
                signer_name="张明",
            ),
            "commitment_not_allowed",
        )


class TestSubmit:
    @time_machine.travel(datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC))
    def test_a_complete_application_gets_its_number_and_items(self, applicant):
        application = services.application_submit(application=filled(applicant), actor=applicant)
        assert application.status == Application.Status.SUBMITTED
        assert application.number == "110105202603020001"
        items = list(application.items.values_list("item__code", "route"))
        assert items == [("food_business_licence", "standard"), ("fire_safety_check", "standard")]
        assert Enterprise.objects.get(uscc="91110000600037341L").name == "北京味道餐饮有限公司"
        assert Event.objects.filter(verb="application_submitted").count() == 1

    def test_a_second_submit_changes_nothing(self, applicant):
        application = filled(applicant)
        first = services.application_submit(application=application, actor=applicant)
        second = services.application_submit(application=application, actor=applicant)
        assert first.number == second.number
        assert ApplicationItem.objects.count() == 2
        assert Event.objects.filter(verb="application_submitted").count() == 1

    def test_serials_count_up_within_the_day(self, applicant, other_applicant):
        one = services.application_submit(application=filled(applicant), actor=applicant)
        two = services.application_submit(
            application=filled(other_applicant), actor=other_applicant
        )
        assert int(str(two.number)[-4:]) == int(str(one.number)[-4:]) + 1

    def test_missing_things_are_listed_and_nothing_changes(self, applicant):
        application = filled(applicant, skip=("floor_plan",))
        services.application_save(
            application=application, actor=applicant, form_data={"fire_facilities": ""}
        )
        error = refused(
            lambda: services.application_submit(application=application, actor=applicant),
            "application_incomplete",
        )
        assert error.fields == {
            "form.fire_facilities": "此项必填",
            "materials.floor_plan": "请上传此材料",
        }
        application.refresh_from_db()
        assert application.status == Application.Status.DRAFT
        assert application.number is None
        assert ApplicationItem.objects.count() == 0

    def test_a_commitment_route_needs_the_signed_commitment(self, applicant):
        application = filled(applicant)
        services.application_save(
            application=application, actor=applicant, routes={"fire_safety_check": "commitment"}
        )
        error = refused(
            lambda: services.application_submit(application=application, actor=applicant),
            "application_incomplete",
        )
        assert error.fields == {"commitments.fire_safety_check": "请签署告知承诺书"}

    def test_a_submitted_application_cannot_be_edited(self, applicant):
        application = services.application_submit(application=filled(applicant), actor=applicant)
        refused(
            lambda: services.application_save(
                application=application, actor=applicant, form_data={"enterprise_name": "改"}
            ),
            "application_not_draft",
        )


class TestWithdraw:
    def test_withdrawing_before_acceptance(self, applicant):
        application = services.application_submit(application=filled(applicant), actor=applicant)
        services.application_withdraw(application=application, actor=applicant, reason="不开了")
        application.refresh_from_db()
        assert application.status == Application.Status.WITHDRAWN

    def test_a_refused_application_cannot_be_withdrawn(self, applicant, clerk):
        application = services.application_submit(application=filled(applicant), actor=applicant)
        services.application_refuse(
            application=application,
            clerk=clerk,
            reason="不属于本机关",
            legal_basis="《行政许可法》第三十二条",
        )
        refused(
            lambda: services.application_withdraw(application=application, actor=applicant),
            "application_not_withdrawable",
        )


class TestWindow:
    @time_machine.travel(datetime.datetime(2026, 9, 30, 9, 0, tzinfo=datetime.UTC))
    def test_acceptance_promises_a_date_in_working_days(self, applicant, clerk):
        application = services.application_submit(application=filled(applicant), actor=applicant)
        accepted = services.application_accept(application=application, clerk=clerk)
        assert accepted.status == Application.Status.ACCEPTED
        # The slowest promised limit is 10 working days: 10月1日至7日 off, 10月10日（周六）worked.
        assert accepted.promised_date == datetime.date(2026, 10, 20)
        assert accepted.promised_date_certain
        assert Event.objects.filter(verb="application_accepted").count() == 1

    def test_a_clerk_of_another_district_cannot_accept(self, applicant, other_clerk):
        application = services.application_submit(application=filled(applicant), actor=applicant)
        refused(
            lambda: services.application_accept(application=application, clerk=other_clerk),
            "forbidden",
        )

    def test_a_missing_material_that_may_not_follow_blocks_acceptance(self, applicant, clerk):
        application = services.application_submit(application=filled(applicant), actor=applicant)
        MaterialFile.objects.filter(material__code="premises_proof").delete()
        error = refused(
            lambda: services.application_accept(
                application=application, clerk=clerk, deferred=["premises_proof"]
            ),
            "materials_incomplete",
        )
        assert error.fields == {"premises_proof": "该材料不可容缺，须当场提交"}

    def test_refusal_needs_reason_and_basis(self, applicant, clerk):
        application = services.application_submit(application=filled(applicant), actor=applicant)
        error = refused(
            lambda: services.application_refuse(
                application=application, clerk=clerk, reason=" ", legal_basis=""
            ),
            "refusal_incomplete",
        )
        assert set(error.fields) == {"reason", "legal_basis"}
        services.application_refuse(
            application=application,
            clerk=clerk,
            reason="申请事项不属于本机关职权范围",
            legal_basis="《中华人民共和国行政许可法》第三十二条第一款第（二）项",
        )
        application.refresh_from_db()
        assert application.status == Application.Status.REFUSED


def test_sample_identities_always_pass_their_own_checks() -> None:
    import random

    from stdnum.cn import ric, uscc

    from onelicense.applications.samples import sample_id_number, sample_uscc

    rng = random.Random(7)
    assert all(ric.is_valid(sample_id_number(rng)) for _ in range(200))
    assert all(uscc.is_valid(sample_uscc(rng)) for _ in range(200))
