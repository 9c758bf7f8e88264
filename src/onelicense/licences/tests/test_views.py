"""The certificate workbench, the applicant's certificate and the department's permits: every
page and action tried by the wrong persona; issue, early issue, void, reissue after a permit is
granted again; permit operations with bad input change nothing; key rotation and retirement."""

import datetime
import re
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pyhanko.pdf_utils.reader import PdfFileReader

from onelicense.accounts.models import Department, District, User
from onelicense.applications.models import Application
from onelicense.approvals import services as review
from onelicense.approvals.models import ItemCase
from onelicense.approvals.tests.helpers import restaurant_accepted
from onelicense.core.models import Event
from onelicense.licences import services
from onelicense.licences.keys import district_key
from onelicense.licences.models import Certificate, Permit, SigningKey

FOOD, FIRE, TOBACCO = "food_business_licence", "fire_safety_check", "tobacco_retail_licence"
TOBACCO_NAME = "烟草专卖零售许可证核发（新办）"
TOBACCO_PERMIT = "烟草专卖零售许可证"
BASIS = "《烟草专卖法》第三十二条"


def text(response: Any) -> str:
    """The page's text without tags, for phrases that span elements."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def logged_in(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def permit_of(application: Application, item: str) -> Permit:
    return Permit.objects.get(application=application, item__code=item, status="valid")


def reviewer_of(kind: str, district: str = "110105") -> User:
    office = Department.objects.get(district__code=district, kind__code=kind)
    user, _ = User.objects.get_or_create(
        username=f"r_{kind}" if district == "110105" else f"r_{kind}_{district}",
        defaults={"role": User.Role.REVIEWER, "department": office},
    )
    return user


def completed_restaurant(applicant: User, clerk: User, seed: int) -> Application:
    application = restaurant_accepted(applicant, clerk, seed=seed)
    for case in application.cases.select_related("item__department"):
        review.case_approve(case=case, reviewer=reviewer_of(case.item.department.code))
    application.refresh_from_db()
    return application


@pytest.fixture(autouse=True)
def _files(settings: Any, tmp_path: Path) -> None:
    """Keys and PDFs in the test's own folder."""
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def other_admin(db: None) -> User:
    district = District.objects.get(code="110108")
    return User.objects.create_user(
        "admin_haidian", password="pw", role=User.Role.DISTRICT_ADMIN, district=district
    )


@pytest.fixture
def tobacco_reviewer(completed: Application) -> User:
    return User.objects.get(username="r_tobacco")


@pytest.fixture
def certificate(completed: Application, district_admin: User) -> Certificate:
    return services.certificate_issue(application=completed, admin=district_admin)


@pytest.fixture
def admin(client: Client, district_admin: User) -> Client:
    return logged_in(client, district_admin)


# --- Who may use the workbench -----------------------------------------------------------------


def admin_pages(certificate: Certificate, kid: str) -> list[tuple[str, str, dict[str, str]]]:
    """(method, url, data) of every page and action of the district admin."""
    code = certificate.application.code
    return [
        ("get", reverse("licences:workbench"), {}),
        ("get", reverse("licences:certificate", args=[certificate.pk]), {}),
        ("get", reverse("licences:pdf", args=[certificate.pk]), {}),
        ("post", reverse("licences:reissue", args=[certificate.pk]), {"reason": "换发"}),
        ("post", reverse("licences:issue", args=[code]), {}),
        ("post", reverse("licences:key_rotate"), {}),
        ("get", reverse("licences:key_retire", args=[kid]), {}),
        ("post", reverse("licences:key_retire", args=[kid]), {"confirm": "on"}),
    ]


def unchanged(certificate: Certificate) -> tuple[Any, ...]:
    return (
        Certificate.objects.count(),
        SigningKey.objects.filter(active=True).count(),
        SigningKey.objects.filter(retired_at__isnull=False).count(),
        Event.objects.filter(verb__startswith="certificate_").count(),
    )


class TestWorkbenchAccess:
    def test_anonymous_users_are_sent_to_log_in(self, client, certificate):
        before = unchanged(certificate)
        for method, url, data in admin_pages(certificate, certificate.key_id):
            response = getattr(client, method)(url, data)
            assert response.status_code == 302, url
            assert response["Location"].startswith("/accounts/login/?next=")
        assert unchanged(certificate) == before

    @pytest.mark.parametrize(
        "persona", ["applicant", "clerk", "market_reviewer", "city_admin", "outsider"]
    )
    def test_anyone_but_a_district_admin_is_refused(self, client, certificate, persona, request):
        logged_in(client, request.getfixturevalue(persona))
        before = unchanged(certificate)
        for method, url, data in admin_pages(certificate, certificate.key_id):
            response = getattr(client, method)(url, data)
            assert response.status_code == 403, url
            assert "无权访问综合许可凭证工作台" in text(response)
        assert unchanged(certificate) == before

    def test_another_districts_admin_finds_nothing_of_this_district(
        self, client, certificate, other_admin
    ):
        logged_in(client, other_admin)
        before = unchanged(certificate)
        for method, url, data in admin_pages(certificate, certificate.key_id)[1:5]:
            assert getattr(client, method)(url, data).status_code == 404, url
        retire = reverse("licences:key_retire", args=[certificate.key_id])
        assert client.get(retire).status_code == 404
        assert client.post(retire, {"confirm": "on"}).status_code == 404
        assert unchanged(certificate) == before
        page = client.get(reverse("licences:workbench") + "?tab=issued")
        assert page.status_code == 200
        assert certificate.number not in text(page)
        assert "海淀区" in text(page)


# --- Issue -------------------------------------------------------------------------------------


class TestIssue:
    def test_a_completed_application_waits_and_is_issued(self, admin, completed):
        page = admin.get(reverse("licences:workbench"))
        assert page.status_code == 200
        assert completed.number in text(page)
        assert "已许可 3 项" in text(page)
        response = admin.post(reverse("licences:issue", args=[completed.code]))
        certificate = Certificate.objects.get(application=completed)
        assert response["Location"] == reverse("licences:certificate", args=[certificate.pk])
        page = admin.get(response["Location"])
        body = text(page)
        assert "已颁发综合许可凭证" in body and certificate.number in body
        assert "并排队推送至市电子证照库、写入电子档案" in body
        assert completed.form_data["enterprise_name"] in body
        assert "有效" in body and TOBACCO_NAME in body
        assert services.verify_url(certificate.token) in page.content.decode()
        assert "<svg" in page.content.decode()  # the QR code
        assert "第 1 版（本页）" in body
        pending = admin.get(reverse("licences:workbench"))
        assert completed.number not in text(pending)

    def test_issuing_twice_is_refused_with_a_message(self, admin, completed, certificate):
        response = admin.post(reverse("licences:issue", args=[completed.code]), follow=True)
        assert "该申请已颁发凭证" in text(response)
        assert Certificate.objects.filter(application=completed).count() == 1

    def test_the_issued_tab_shows_the_derived_status(self, admin, certificate, tobacco_reviewer):
        page = admin.get(reverse("licences:workbench") + "?tab=issued")
        assert certificate.number in text(page)
        assert "ol-tag--certificate-valid" in page.content.decode()
        services.permit_change(
            permit=permit_of(certificate.application, TOBACCO),
            actor=tobacco_reviewer,
            operation="revoke",
            reason="违法经营",
            legal_basis=BASIS,
        )
        page = admin.get(reverse("licences:workbench") + "?tab=issued")
        assert "ol-tag--certificate-void" in page.content.decode()
        void = admin.get(reverse("licences:workbench") + "?tab=void")
        assert f"{TOBACCO_PERMIT}已吊销" in text(void)

    def test_the_pdf_downloads_for_the_admin(self, admin, certificate):
        response = admin.get(reverse("licences:pdf", args=[certificate.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
        assert "attachment" in response["Content-Disposition"]

    def test_a_certificate_written_without_its_pdf_gets_one_on_first_download(
        self, admin, certificate
    ):
        Certificate.objects.filter(pk=certificate.pk).update(pdf="")  # as bulk-written rows are

        first = admin.get(reverse("licences:pdf", args=[certificate.pk]))
        content = b"".join(first.streaming_content)
        stored = Certificate.objects.get(pk=certificate.pk).pdf.name
        again = admin.get(reverse("licences:pdf", args=[certificate.pk]))

        assert first.status_code == 200 and content.startswith(b"%PDF-")
        (seal,) = PdfFileReader(BytesIO(content)).embedded_signatures
        assert seal.field_name == "DistrictSeal"
        assert stored.endswith(".pdf") and certificate.number in stored
        assert b"".join(again.streaming_content) == content  # made once, then served
        assert Certificate.objects.get(pk=certificate.pk).pdf.name == stored

    def test_a_certificate_without_token_or_pdf_is_not_found(self, admin, certificate):
        Certificate.objects.filter(pk=certificate.pk).update(pdf="", token="", token_mac="")

        response = admin.get(reverse("licences:pdf", args=[certificate.pk]))

        assert response.status_code == 404
        assert "页面未找到" in response.content.decode()
        assert not Certificate.objects.get(pk=certificate.pk).pdf


class TestEarlyIssue:
    @pytest.fixture
    def accepted(self, beijing_catalogue, applicant, clerk, market_reviewer) -> Application:
        application = restaurant_accepted(applicant, clerk)
        food = ItemCase.objects.get(application=application, item__code=FOOD)
        review.case_approve(case=food, reviewer=market_reviewer)
        return application

    def test_the_applicant_asks_and_the_admin_issues_with_unlicensed_items(
        self, client, accepted, applicant, district_admin
    ):
        admin = Client()
        logged_in(admin, district_admin)
        assert accepted.number not in text(admin.get(reverse("licences:workbench")))

        logged_in(client, applicant)
        url = reverse("licences:request_early", args=[accepted.code])
        response = client.post(url, follow=True)
        assert "已申请先行颁发综合许可凭证" in text(response)
        assert Event.objects.filter(verb="certificate_requested").count() == 1

        page = text(admin.get(reverse("licences:workbench")))
        assert accepted.number in page and "申请先行颁发" in page
        assert "未许可事项" in page and TOBACCO_NAME in page and "待审查" in page
        admin.post(reverse("licences:issue", args=[accepted.code]))
        certificate = Certificate.objects.get(application=accepted)
        assert [row["item"] for row in certificate.face["licensed"]] == ["食品经营许可（新办）"]
        assert len(certificate.face["unlicensed"]) == 2
        sheet = text(admin.get(reverse("licences:certificate", args=[certificate.pk])))
        assert "未许可事项（2 项）" in sheet

        # Asked again, or once issued: refused, nothing recorded.
        response = client.post(url, follow=True)
        assert "该申请已颁发凭证" in text(response)
        assert Event.objects.filter(verb="certificate_requested").count() == 1

    def test_no_early_certificate_unless_the_applicant_asked(self, admin, accepted):
        response = admin.post(reverse("licences:issue", args=[accepted.code]), follow=True)
        assert "尚有事项未作出决定，不能颁发凭证" in text(response)
        assert not Certificate.objects.exists()

    def test_asking_twice_is_refused(self, client, accepted, applicant):
        logged_in(client, applicant)
        url = reverse("licences:request_early", args=[accepted.code])
        client.post(url)
        response = client.post(url, follow=True)
        assert "已申请先行颁发凭证，请等待" in text(response)
        assert Event.objects.filter(verb="certificate_requested").count() == 1

    def test_a_completed_application_is_not_asked_for_early(self, client, completed, applicant):
        logged_in(client, applicant)
        response = client.post(
            reverse("licences:request_early", args=[completed.code]),
            {"next": f"/my/{completed.code}/"},
        )
        assert response["Location"] == f"/my/{completed.code}/"
        assert not Event.objects.filter(verb="certificate_requested").exists()

    def test_an_unsafe_next_goes_to_the_application(self, client, accepted, applicant):
        logged_in(client, applicant)
        response = client.post(
            reverse("licences:request_early", args=[accepted.code]),
            {"next": "https://example.com/"},
        )
        assert response["Location"] == reverse("applications:detail", args=[accepted.code])

    @pytest.mark.parametrize(
        "persona", ["other_applicant", "clerk", "district_admin", "market_reviewer"]
    )
    def test_only_the_owner_may_ask(self, client, accepted, persona, request):
        logged_in(client, request.getfixturevalue(persona))
        response = client.post(reverse("licences:request_early", args=[accepted.code]))
        assert response.status_code == 404
        assert not Event.objects.filter(verb="certificate_requested").exists()

    def test_anonymous_users_log_in_and_get_cannot_ask(self, client, accepted, applicant):
        url = reverse("licences:request_early", args=[accepted.code])
        response = client.post(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/")
        logged_in(client, applicant)
        assert client.get(url).status_code == 405
        assert not Event.objects.filter(verb="certificate_requested").exists()


class TestApplicantPdf:
    def test_the_owner_downloads_the_pdf(self, client, certificate, applicant):
        logged_in(client, applicant)
        response = client.get(reverse("licences:mine_pdf", args=[certificate.pk]))
        assert response.status_code == 200
        content = b"".join(response.streaming_content)
        assert content.startswith(b"%PDF-")
        (seal,) = PdfFileReader(BytesIO(content)).embedded_signatures
        assert seal.field_name == "DistrictSeal"
        assert f"{certificate.number}-v1.pdf" in response["Content-Disposition"]
        assert "no-store" in response["Cache-Control"]

    @pytest.mark.parametrize(
        "persona", ["other_applicant", "outsider", "clerk", "district_admin", "market_reviewer"]
    )
    def test_no_one_else_downloads_it_there(self, client, certificate, persona, request):
        logged_in(client, request.getfixturevalue(persona))
        assert client.get(reverse("licences:mine_pdf", args=[certificate.pk])).status_code == 404

    def test_anonymous_users_log_in(self, client, certificate):
        response = client.get(reverse("licences:mine_pdf", args=[certificate.pk]))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_a_certificate_that_does_not_exist_is_not_found(self, client, applicant, db):
        logged_in(client, applicant)
        assert client.get(reverse("licences:mine_pdf", args=[999])).status_code == 404


# --- Void and reissue ----------------------------------------------------------------------------


def permit_state(permit: Permit) -> tuple[Any, ...]:
    permit.refresh_from_db()
    return (permit.status, permit.valid_until, permit.details, permit.events.count())


class TestReissueJourney:
    def test_revoked_then_granted_again_then_reissued(
        self, client, certificate, district_admin, tobacco_reviewer
    ):
        application = certificate.application
        tobacco = permit_of(application, TOBACCO)
        reviewer = logged_in(Client(), tobacco_reviewer)
        revoke = reverse("licences:permit_change", args=[tobacco.pk, "revoke"])

        # Without a legal basis: the form says what is missing; nothing changes.
        before = permit_state(tobacco)
        response = reviewer.post(revoke, {"reason": "违法经营"})
        assert response.status_code == 422
        assert "撤销或吊销须写明法律依据" in text(response)
        assert "证件没有任何改动" in text(response)
        assert permit_state(tobacco) == before
        assert services.certificate_status(certificate) == Certificate.Status.VALID

        # With it: first the confirmation, which names the certificate to be voided.
        data = {"reason": "违法经营", "legal_basis": BASIS}
        response = reviewer.post(revoke, data)
        assert response.status_code == 200
        assert "确认吊销" in text(response) and certificate.number in text(response)
        assert "将同时作废并收回" in text(response)
        assert permit_state(tobacco) == before

        response = reviewer.post(revoke, data | {"confirmed": "true"})
        assert response["Location"] == reverse("licences:permit", args=[tobacco.pk])
        assert permit_state(tobacco)[0] == Permit.Status.REVOKED
        certificate.refresh_from_db()
        assert services.certificate_status(certificate) == Certificate.Status.VOID
        assert certificate.voided_at and certificate.recovered_at
        page = text(reviewer.get(response["Location"]))
        assert "1 份综合许可凭证已作废并收回" in page and "已作废" in page

        # Reissue while the item has no permit: refused in Chinese, nothing made.
        admin = logged_in(client, district_admin)
        reissue = reverse("licences:reissue", args=[certificate.pk])
        response = admin.post(reissue, {"reason": "重新许可"})
        assert response.status_code == 409
        assert f"凭证已作废：{TOBACCO_NAME}须重新获得许可后方可换发" in text(response)
        assert "凭证没有任何改动" in text(response)
        assert Certificate.objects.count() == 1

        # The department grants it again; the workbench says a reissue is due.
        services.permit_regrant(
            application=application,
            item=tobacco.item,
            reviewer=tobacco_reviewer,
            number="YC-110105-2026-0002",
            valid_from=timezone.localdate(),
            valid_until=None,
            reason="整改完成，重新许可",
        )
        void_tab = text(admin.get(reverse("licences:workbench") + "?tab=void"))
        assert "可换发" in void_tab
        response = admin.post(reissue, {"reason": "烟草证件重新许可"})
        new = Certificate.objects.get(number=certificate.number, version=2)
        assert response["Location"] == reverse("licences:certificate", args=[new.pk])
        certificate.refresh_from_db()
        assert certificate.replaced_by == new
        assert services.certificate_status(certificate) == Certificate.Status.REPLACED
        assert services.certificate_status(new) == Certificate.Status.VALID
        assert "YC-110105-2026-0002" in [row["number"] for row in new.face["licensed"]]
        page = text(admin.get(response["Location"]))
        assert "已换发为第 2 版" in page and "由第 2 版替代" in page

    def test_a_reissue_without_reason_or_change_is_refused(self, admin, certificate):
        url = reverse("licences:reissue", args=[certificate.pk])
        response = admin.post(url, {"reason": " "})
        assert response.status_code == 422
        assert "请填写换发原因" in text(response)
        response = admin.post(url, {"reason": "例行换发"})
        assert response.status_code == 409
        assert "证面信息没有变化，无需换发" in text(response)
        assert Certificate.objects.count() == 1


# --- Permits -------------------------------------------------------------------------------------


def permit_pages(permit: Permit) -> list[tuple[str, str, dict[str, str]]]:
    return [
        ("get", reverse("licences:permits"), {}),
        ("get", reverse("licences:permit", args=[permit.pk]), {}),
        ("post", reverse("licences:permit_change", args=[permit.pk, "suspend"]), {"reason": "x"}),
    ]


class TestPermitAccess:
    def test_anonymous_users_log_in(self, client, completed):
        permit = permit_of(completed, TOBACCO)
        before = permit_state(permit)
        for method, url, data in permit_pages(permit):
            response = getattr(client, method)(url, data)
            assert response.status_code == 302
            assert response["Location"].startswith("/accounts/login/")
        assert permit_state(permit) == before

    @pytest.mark.parametrize("persona", ["applicant", "clerk", "district_admin", "city_admin"])
    def test_only_reviewers_use_the_permit_pages(self, client, completed, persona, request):
        permit = permit_of(completed, TOBACCO)
        before = permit_state(permit)
        logged_in(client, request.getfixturevalue(persona))
        for method, url, data in permit_pages(permit):
            response = getattr(client, method)(url, data)
            assert response.status_code == 403
            assert "无权访问单项审批证件" in text(response)
        assert permit_state(permit) == before

    @pytest.mark.parametrize("persona", ["market_reviewer", "other_reviewer"])
    def test_another_departments_permit_is_not_found(self, client, completed, persona, request):
        permit = permit_of(completed, TOBACCO)
        before = permit_state(permit)
        logged_in(client, request.getfixturevalue(persona))
        listing = client.get(reverse("licences:permits"))
        assert listing.status_code == 200 and permit.number not in text(listing)
        for method, url, data in permit_pages(permit)[1:]:
            assert getattr(client, method)(url, data).status_code == 404
        assert permit_state(permit) == before

    def test_an_unknown_operation_is_not_found(self, client, completed, tobacco_reviewer):
        permit = permit_of(completed, TOBACCO)
        logged_in(client, tobacco_reviewer)
        url = reverse("licences:permit_change", args=[permit.pk, "expire"])
        assert client.post(url, {"reason": "x"}).status_code == 404
        assert permit_state(permit)[0] == Permit.Status.VALID


class TestPermitOperations:
    @pytest.fixture
    def reviewer(self, client, tobacco_reviewer) -> Client:
        return logged_in(client, tobacco_reviewer)

    def post(self, reviewer: Client, permit: Permit, operation: str, **data: str) -> Any:
        return reviewer.post(reverse("licences:permit_change", args=[permit.pk, operation]), data)

    def test_the_department_lists_and_finds_its_permits(self, reviewer, completed):
        permit = permit_of(completed, TOBACCO)
        page = text(reviewer.get(reverse("licences:permits")))
        assert permit.number in page and "朝阳区烟草专卖局" in page
        assert permit_of(completed, FOOD).number not in page
        found = reviewer.get(reverse("licences:permits"), {"q": permit.holder.name[:4]})
        assert permit.number in text(found)
        none = reviewer.get(reverse("licences:permits"), {"status": "revoked"})
        assert permit.number not in text(none) and "没有符合条件的证件" in text(none)

    def test_suspend_and_restore_keep_the_certificate_valid(self, reviewer, certificate):
        permit = permit_of(certificate.application, TOBACCO)
        response = self.post(reviewer, permit, "suspend", reason="限期整改")
        assert response.status_code == 302
        assert permit_state(permit)[0] == Permit.Status.SUSPENDED
        assert services.certificate_status(certificate) == Certificate.Status.VALID
        page = text(reviewer.get(reverse("licences:permit", args=[permit.pk])))
        assert "已暂扣" in page and "有效 → 暂扣" in page and "暂扣发还" in page
        self.post(reviewer, permit, "restore", reason="整改完成")
        assert permit_state(permit)[0] == Permit.Status.VALID

    def test_restoring_a_valid_permit_is_refused(self, reviewer, completed):
        permit = permit_of(completed, TOBACCO)
        before = permit_state(permit)
        response = self.post(reviewer, permit, "restore", reason="发还")
        assert response.status_code == 409
        assert "证件当前为“有效”，不能暂扣发还" in text(response)
        assert permit_state(permit) == before

    def test_a_change_is_noted_but_not_on_the_face(self, reviewer, certificate):
        permit = permit_of(certificate.application, TOBACCO)
        response = self.post(reviewer, permit, "change", reason="申请变更", note="增加雪茄烟")
        assert response.status_code == 302
        assert permit_state(permit)[2] == {"change": "增加雪茄烟"}
        assert "增加雪茄烟" in text(reviewer.get(reverse("licences:permit", args=[permit.pk])))
        certificate.refresh_from_db()
        assert "增加雪茄烟" not in str(certificate.face)

    def test_a_renewal_must_end_later(self, reviewer, completed):
        permit = permit_of(completed, TOBACCO)
        before = permit_state(permit)
        assert before[1] is not None
        earlier = (before[1] - datetime.timedelta(days=1)).isoformat()
        response = self.post(reviewer, permit, "renew", reason="延续", valid_until=earlier)
        assert response.status_code == 422
        assert "延续后的有效期须晚于原有效期" in text(response)
        assert permit_state(permit) == before
        response = self.post(reviewer, permit, "renew", reason="延续", valid_until="not a day")
        assert response.status_code == 422 and "请填写有效的日期" in text(response)
        later = (before[1] + datetime.timedelta(days=365)).isoformat()
        self.post(reviewer, permit, "renew", reason="延续", valid_until=later)
        assert permit_state(permit)[1].isoformat() == later

    def test_cancelling_needs_a_reason_and_a_confirmation(self, reviewer, certificate):
        permit = permit_of(certificate.application, TOBACCO)
        before = permit_state(permit)
        response = self.post(reviewer, permit, "cancel", reason="")
        assert response.status_code == 422 and "请填写理由" in text(response)
        response = self.post(reviewer, permit, "cancel", reason="主体申请注销")
        assert "确认注销" in text(response)
        assert permit_state(permit) == before
        self.post(reviewer, permit, "cancel", reason="主体申请注销", confirmed="true")
        assert permit_state(permit)[0] == Permit.Status.CANCELLED
        certificate.refresh_from_db()
        assert certificate.void_reason == f"{TOBACCO_PERMIT}已注销"
        page = text(reviewer.get(reverse("licences:permit", args=[permit.pk])))
        assert "证件已注销，不能再办理" in page

    def test_an_ended_permit_takes_no_more_operations(self, reviewer, completed):
        permit = permit_of(completed, TOBACCO)
        self.post(
            reviewer,
            permit,
            "annul",
            reason="虚假材料",
            legal_basis="行政许可法第六十九条",
            confirmed="true",
        )
        before = permit_state(permit)
        assert before[0] == Permit.Status.ANNULLED
        response = self.post(reviewer, permit, "suspend", reason="再暂扣")
        assert response.status_code == 409
        assert permit_state(permit) == before


# --- Keys ----------------------------------------------------------------------------------------


class TestKeys:
    def test_rotate_then_retire_the_old_key(self, admin, district_admin):
        old = district_key(district_admin.district)
        page = text(admin.get(reverse("licences:workbench")))
        assert f"本区当前使用密钥 {old.kid}" in page
        response = admin.post(reverse("licences:key_rotate"))
        assert response.status_code == 302
        new = SigningKey.objects.get(district=district_admin.district, active=True)
        assert new.kid != old.kid
        old.refresh_from_db()
        assert not old.active and old.retired_at is None

        url = reverse("licences:key_retire", args=[old.kid])
        assert "停用后，由该密钥签名的凭证" in text(admin.get(url))
        response = admin.post(url, {})
        assert response.status_code == 422 and "请确认已知悉停用的后果" in text(response)
        old.refresh_from_db()
        assert old.retired_at is None
        response = admin.post(url, {"confirm": "on"})
        assert response.status_code == 302
        old.refresh_from_db()
        assert old.retired_at is not None
        assert "已停用" in text(admin.get(reverse("licences:workbench")))

    def test_the_active_key_is_not_retired_here(self, admin, district_admin):
        key = district_key(district_admin.district)
        url = reverse("licences:key_retire", args=[key.kid])
        assert "不能直接停用" in text(admin.get(url))
        response = admin.post(url, {"confirm": "on"})
        assert response.status_code == 409
        key.refresh_from_db()
        assert key.active and key.retired_at is None

    def test_the_command_lists_rotates_and_retires(self, district_admin, capsys):
        old = district_key(district_admin.district)
        call_command("keys", "rotate", "朝阳区")
        new = SigningKey.objects.get(district=district_admin.district, active=True)
        call_command("keys", "list")
        out = capsys.readouterr().out
        assert new.kid in out and old.kid in out and "rotated" in out
        with pytest.raises(Exception, match="key_active"):
            call_command("keys", "retire", new.kid)
        call_command("keys", "retire", old.kid)
        old.refresh_from_db()
        assert old.retired_at is not None
        with pytest.raises(Exception, match="No district"):
            call_command("keys", "rotate", "999999")


# --- Query counts ------------------------------------------------------------------------------


def test_the_lists_take_a_fixed_number_of_queries(
    client, beijing_catalogue, applicant, clerk, district_admin
):
    admin = logged_in(client, district_admin)
    reviewer = Client()

    def counts() -> list[int]:
        result = []
        for url, who in [
            (reverse("licences:workbench"), admin),
            (reverse("licences:workbench") + "?tab=issued", admin),
            (reverse("licences:workbench") + "?tab=void", admin),
            (reverse("licences:permits"), reviewer),
        ]:
            with CaptureQueriesContext(connection) as queries:
                assert who.get(url).status_code == 200
            result.append(len(queries))
        return result

    def issued_and_voided(seed: int) -> None:
        """One certificate more on each tab: issued, and another voided (a permit revoked)."""
        issued = completed_restaurant(applicant, clerk, seed=seed)
        services.certificate_issue(application=issued, admin=district_admin)
        voided = completed_restaurant(applicant, clerk, seed=seed + 10)
        services.certificate_issue(application=voided, admin=district_admin)
        services.permit_change(
            permit=permit_of(voided, TOBACCO),
            actor=None,
            operation="revoke",
            reason="违法经营",
            legal_basis=BASIS,
        )
        completed_restaurant(applicant, clerk, seed=seed + 20)  # and one waiting

    issued_and_voided(1)
    logged_in(reviewer, reviewer_of("tobacco"))
    once = counts()
    issued_and_voided(2)
    assert counts() == once
    # Not an absolute figure: the header's context processors add theirs to every page.
    # The selectors' own counts are pinned in test_selectors.
