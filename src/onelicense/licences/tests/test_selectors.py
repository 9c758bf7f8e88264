"""Reads of certificates and permits: what waits to be issued, what a reissue needs, who sees
which certificate, permit and key, and that each read is a fixed number of queries."""

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from onelicense.accounts.models import District, User
from onelicense.applications.models import Application
from onelicense.approvals import services as review
from onelicense.approvals.models import ItemCase
from onelicense.approvals.tests.helpers import restaurant_accepted
from onelicense.core.errors import DomainError
from onelicense.core.services import event_record
from onelicense.licences import selectors, services
from onelicense.licences.keys import district_key, key_rotate
from onelicense.licences.models import Certificate, Permit
from onelicense.licences.selectors import Tab
from onelicense.licences.tests.test_views import (
    BASIS,
    FIRE,
    FOOD,
    TOBACCO,
    completed_restaurant,
    permit_of,
    reviewer_of,
)


@pytest.fixture(autouse=True)
def _files(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"


def bench(admin: User, tab: str = Tab.PENDING, query: str = "") -> selectors.Workbench:
    return selectors.workbench(admin=admin, tab=tab, query=query, page=None)


def numbers(workbench: selectors.Workbench) -> list[str]:
    return [
        str(row.application.number)
        if isinstance(row, selectors.PendingRow)
        else row.certificate.number
        for row in workbench.rows
    ]


def counts(workbench: selectors.Workbench) -> dict[str, int]:
    return {tab.key: tab.count for tab in workbench.tabs}


def revoke(permit: Permit) -> None:
    services.permit_change(
        permit=permit, actor=None, operation="revoke", reason="违法经营", legal_basis=BASIS
    )


@pytest.fixture
def accepted(beijing_catalogue, applicant, clerk) -> Application:
    """In review: the food licence granted, the fire check and the tobacco licence not yet."""
    application = restaurant_accepted(applicant, clerk)
    food = ItemCase.objects.get(application=application, item__code=FOOD)
    review.case_approve(case=food, reviewer=reviewer_of("market_regulation"))
    return application


def ask_early(application: Application) -> None:
    event_record(actor=None, verb="certificate_requested", subject=application)


class TestPending:
    def test_a_completed_application_waits_until_issued(self, completed, district_admin):
        assert numbers(bench(district_admin)) == [completed.number]
        (row,) = bench(district_admin).rows
        assert isinstance(row, selectors.PendingRow)
        assert not row.early and len(row.licensed) == 3 and row.unlicensed == []
        services.certificate_issue(application=completed, admin=district_admin)
        assert counts(bench(district_admin)) == {"pending": 0, "issued": 1, "void": 0}

    def test_an_application_in_review_waits_only_once_asked(self, accepted, district_admin):
        assert numbers(bench(district_admin)) == []
        ask_early(accepted)
        (row,) = bench(district_admin).rows
        assert isinstance(row, selectors.PendingRow)
        assert row.early
        assert [p.item.code for p in row.licensed] == [FOOD]
        assert [(u.name, u.case_status) for u in row.unlicensed] == [
            ("公众聚集场所投入使用、营业前消防安全检查", "pending"),
            ("烟草专卖零售许可证核发（新办）", "pending"),
        ]

    def test_a_completed_application_with_nothing_granted_does_not_wait(
        self, beijing_catalogue, applicant, clerk, district_admin
    ):
        application = restaurant_accepted(applicant, clerk)
        for case in application.cases.select_related("item__department"):
            review.case_refuse(
                case=case,
                reviewer=reviewer_of(case.item.department.code),
                reason="不符合条件",
                legal_basis="相关法规",
            )
        application.refresh_from_db()
        assert application.status == Application.Status.COMPLETED
        assert numbers(bench(district_admin)) == []

    def test_another_districts_admin_sees_none_of_it(self, completed, district_admin):
        haidian = User.objects.create_user(
            "admin_haidian",
            role=User.Role.DISTRICT_ADMIN,
            district=District.objects.get(code="110108"),
        )
        services.certificate_issue(application=completed, admin=district_admin)
        for tab in (Tab.PENDING, Tab.ISSUED, Tab.VOID):
            assert bench(haidian, tab).rows == []

    def test_the_search_finds_by_number_and_name(self, completed, district_admin):
        name = completed.form_data["enterprise_name"]
        assert numbers(bench(district_admin, query=name[:3])) == [completed.number]
        assert numbers(bench(district_admin, query="没有这家")) == []
        certificate = services.certificate_issue(application=completed, admin=district_admin)
        found = bench(district_admin, Tab.ISSUED, certificate.number[-4:])
        assert numbers(found) == [certificate.number]


class TestIssuedAndVoid:
    def test_a_void_certificate_is_on_both_tabs_until_reissued(self, completed, district_admin):
        certificate = services.certificate_issue(application=completed, admin=district_admin)
        tobacco = permit_of(completed, TOBACCO)
        revoke(tobacco)
        (issued,) = bench(district_admin, Tab.ISSUED).rows
        (void,) = bench(district_admin, Tab.VOID).rows
        assert isinstance(issued, selectors.CertificateRow)
        assert isinstance(void, selectors.CertificateRow)
        assert (issued.status, issued.status_label, issued.reissue_due) == ("void", "已作废", False)

        services.permit_regrant(
            application=completed,
            item=tobacco.item,
            reviewer=reviewer_of("tobacco"),
            number="YC-2",
            valid_from=timezone.localdate(),
            valid_until=None,
            reason="重新许可",
        )
        (void,) = bench(district_admin, Tab.VOID).rows
        assert isinstance(void, selectors.CertificateRow)
        assert void.reissue_due
        new = services.certificate_reissue(
            certificate=certificate, admin=district_admin, reason="重新许可"
        )
        (issued,) = bench(district_admin, Tab.ISSUED).rows
        (void,) = bench(district_admin, Tab.VOID).rows
        assert isinstance(issued, selectors.CertificateRow)
        assert isinstance(void, selectors.CertificateRow)
        assert (issued.certificate, issued.status, issued.reissue_due) == (new, "valid", False)
        assert (void.certificate, void.status_label) == (certificate, "已换发")

    def test_an_early_certificate_is_due_for_reissue_once_an_item_is_granted(
        self, accepted, district_admin
    ):
        ask_early(accepted)
        certificate = services.certificate_issue(
            application=accepted, admin=district_admin, early=True
        )
        sheet = selectors.certificate_sheet(certificate)
        assert [line.item for line in sheet.unlicensed] == [
            "公众聚集场所投入使用、营业前消防安全检查",
            "烟草专卖零售许可证核发（新办）",
        ]
        assert not sheet.reissue_due
        fire = ItemCase.objects.get(application=accepted, item__code=FIRE)
        review.case_approve(case=fire, reviewer=reviewer_of("fire_rescue"))
        (row,) = bench(district_admin, Tab.ISSUED).rows
        assert isinstance(row, selectors.CertificateRow)
        assert row.reissue_due
        assert selectors.certificate_sheet(certificate).reissue_due


class TestQueries:
    def test_each_tab_is_seven_queries(
        self, completed, district_admin, applicant, clerk, django_assert_num_queries
    ):
        services.certificate_issue(application=completed, admin=district_admin)
        revoke(permit_of(completed, TOBACCO))
        completed_restaurant(applicant, clerk, seed=2)  # one waiting
        for tab in (Tab.PENDING, Tab.ISSUED, Tab.VOID):
            assert bench(district_admin, tab).rows
            # Three counts; the page's count, its rows and their two prefetches.
            with django_assert_num_queries(7):
                bench(district_admin, tab)

    def test_the_permits_page_is_two_queries(self, completed, django_assert_num_queries):
        tobacco = reviewer_of("tobacco")
        with django_assert_num_queries(2):
            page = selectors.permit_page(tobacco, status="", query="", page=None)
            assert [p.holder.name for p in page]


class TestCertificateSheet:
    def test_lines_versions_and_events(self, completed, district_admin):
        certificate = services.certificate_issue(application=completed, admin=district_admin)
        certificate = selectors.certificate_for_admin(district_admin, certificate.pk)
        sheet = selectors.certificate_sheet(certificate)
        assert [line.permit.number for line in sheet.licensed if line.permit] == [
            row["number"] for row in certificate.face["licensed"]
        ]
        assert all("朝阳区" in line.department for line in sheet.licensed)
        assert [v.certificate for v in sheet.versions] == [certificate]
        assert [e.verb for e in sheet.events] == ["certificate_issued"]
        assert sheet.is_current and sheet.status_label == "有效"

    def test_the_sheet_is_read_in_a_fixed_number_of_queries(
        self, completed, district_admin, django_assert_num_queries
    ):
        certificate = services.certificate_issue(application=completed, admin=district_admin)
        # The certificate with its application, district and issuer; its entries with permits.
        with django_assert_num_queries(2):
            certificate = selectors.certificate_for_admin(district_admin, certificate.pk)
        # The versions and their entries, the live permits, the events.
        with django_assert_num_queries(4):
            selectors.certificate_sheet(certificate)


class TestAccess:
    def test_the_applicant_reaches_only_their_own_certificate(
        self, completed, district_admin, applicant, other_applicant, clerk
    ):
        certificate = services.certificate_issue(application=completed, admin=district_admin)
        assert selectors.certificate_for_applicant(applicant, certificate.pk) == certificate
        for user in (other_applicant, clerk, district_admin):
            with pytest.raises(DomainError) as caught:
                selectors.certificate_for_applicant(user, certificate.pk)
            assert caught.value.status == 404

    def test_the_early_request_is_asked_once_in_review(self, accepted, district_admin):
        selectors.certificate_request_check(accepted)
        assert selectors.certificate_request_allowed(accepted)
        assert not selectors.certificate_requested(accepted)
        ask_early(accepted)
        assert selectors.certificate_requested(accepted)
        assert not selectors.certificate_request_allowed(accepted)
        with pytest.raises(DomainError) as caught:
            selectors.certificate_request_check(accepted)
        assert caught.value.code == "certificate_already_requested"
        assert selectors.certificate_current_of(accepted) is None
        issued = services.certificate_issue(application=accepted, admin=district_admin, early=True)
        assert selectors.certificate_current_of(accepted) == issued
        with pytest.raises(DomainError) as caught:
            selectors.certificate_request_check(accepted)
        assert caught.value.code == "certificate_exists"

    def test_a_completed_application_is_not_asked_for_early(self, completed):
        with pytest.raises(DomainError) as caught:
            selectors.certificate_request_check(completed)
        assert caught.value.code == "application_not_in_review"


class TestKeys:
    def test_each_key_with_what_it_signed(self, completed, district_admin):
        district = district_admin.district
        old = district_key(district)
        services.certificate_issue(application=completed, admin=district_admin)
        new = key_rotate(district=district)
        rows = selectors.district_keys(district.pk)
        assert [(row.key, row.signed, row.state) for row in rows] == [
            (new, 0, "当前使用"),
            (old, 1, "已轮换"),
        ]
        assert selectors.key_signed_current(old) == 1
        with pytest.raises(DomainError):
            selectors.key_retire_check(new)
        old.refresh_from_db()
        selectors.key_retire_check(old)
        with pytest.raises(DomainError):
            selectors.key_for_admin(district_admin, "bj-root-unknown")


class TestPermits:
    def test_the_department_sees_its_own_filtered(self, completed):
        tobacco = reviewer_of("tobacco")
        permit = permit_of(completed, TOBACCO)
        assert list(selectors.permit_page(tobacco, status="", query="", page=None)) == [permit]
        assert list(selectors.permit_page(tobacco, status="revoked", query="", page=None)) == []
        found = selectors.permit_page(tobacco, status="", query=permit.number, page=None)
        assert list(found) == [permit]
        assert list(selectors.department_permits(User(role=User.Role.CLERK))) == []
        with pytest.raises(DomainError):
            selectors.permit_for_reviewer(reviewer_of("market_regulation"), permit.pk)

    def test_the_sheet_names_the_certificates_ending_it_voids(self, completed, district_admin):
        certificate = services.certificate_issue(application=completed, admin=district_admin)
        permit = permit_of(completed, TOBACCO)
        sheet = selectors.permit_sheet(permit)
        assert sheet.voids == [certificate]
        assert [e.operation for e in sheet.events] == ["issue"]
        revoke(permit)
        sheet = selectors.permit_sheet(permit)
        assert sheet.voids == []
        assert [row.status for row in sheet.listings] == [Certificate.Status.VOID]
