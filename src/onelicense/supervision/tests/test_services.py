"""Supervision's rules, each tried with bad input: a refusal changes nothing."""

import datetime

import pytest
from django.utils import timezone

from onelicense.accounts.models import Department, User
from onelicense.approvals import services as review
from onelicense.approvals.tests.helpers import restaurant_accepted
from onelicense.core.errors import DomainError
from onelicense.licences import services as licences
from onelicense.licences.models import Certificate, Permit
from onelicense.supervision import selectors, services
from onelicense.supervision.models import (
    Assessment,
    Checklist,
    CheckPoint,
    Complaint,
    EnforcementAction,
    Inspection,
    InspectionResult,
)
from onelicense.supervision.tests.helpers import joint_inspection, record_all


def refused(call, code: str) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call()
    assert caught.value.code == code, caught.value.as_dict()
    return caught.value


def permit_of(enterprise, kind: str) -> Permit:
    return Permit.objects.get(holder=enterprise, department__kind__code=kind)


class TestChecklist:
    def test_generated_from_the_catalogue_with_department_and_law(self, checklist):
        points = selectors.checklist_points(checklist)
        kinds = {p.department.code for p in points}
        assert {"market_regulation", "fire_rescue", "tobacco"} <= kinds
        food = [p for p in points if p.item_code == "food_business_licence"]
        assert food[0].text.startswith("依法取得") and "食品安全法" in food[0].legal_basis
        # The conditions become one point per clause.
        assert any("食品安全管理人员" in p.text for p in food[1:])
        assert all(p.source == CheckPoint.Source.GENERATED and not p.edited for p in points)

    def test_regeneration_keeps_an_edit_and_a_hand_added_point(self, checklist, city_admin):
        point = selectors.checklist_points(checklist)[0]
        services.check_point_save(
            checklist=checklist,
            actor=city_admin,
            point=point,
            text="持证经营并公示许可证件",
            legal_basis="《食品安全法》第三十五条",
            department_code="market_regulation",
        )
        added = services.check_point_save(
            checklist=checklist,
            actor=city_admin,
            text="油烟净化设施正常运行",
            legal_basis="《大气污染防治法》第八十一条",
            department_code="ecology_environment",
        )
        count = checklist.points.count()
        services.checklist_generate(industry_code="restaurant")
        point.refresh_from_db()
        added.refresh_from_db()
        assert point.edited and point.text == "持证经营并公示许可证件"
        assert added.active and checklist.points.count() == count

    def test_only_a_city_admin_edits(self, checklist, inspector):
        point = selectors.checklist_points(checklist)[0]
        refused(
            lambda: services.check_point_save(
                checklist=checklist,
                actor=inspector,
                point=point,
                text="x",
                legal_basis="y",
                department_code="market_regulation",
            ),
            "forbidden",
        )
        point.refresh_from_db()
        assert not point.edited


class TestInspectionCreate:
    def test_a_joint_inspection_covers_both_departments(
        self, checklist, restaurant, inspector, fire_inspector
    ):
        inspection = joint_inspection(inspector, fire_inspector, restaurant)
        points = selectors.inspection_points(inspection)
        assert {p.department.code for p in points} == {"market_regulation", "fire_rescue"}
        assert set(inspection.participants.all()) == {inspector, fire_inspector}
        assert inspection.industry_code == "restaurant" and inspection.district.code == "110105"

    def test_an_enterprise_of_another_district_is_refused(
        self, checklist, restaurant, other_inspector
    ):
        error = refused(
            lambda: services.inspection_create(
                actor=other_inspector,
                enterprise=restaurant,
                department_codes=["market_regulation"],
                participants=[],
                planned_for=timezone.localdate(),
            ),
            "enterprise_out_of_district",
        )
        assert "不在本区监管范围内" in error.message and error.status == 403
        assert Inspection.objects.count() == 0

    def test_a_department_with_nothing_to_check_is_refused(
        self, checklist, restaurant, health_inspector
    ):
        refused(
            lambda: services.inspection_create(
                actor=health_inspector,
                enterprise=restaurant,
                department_codes=["health"],
                participants=[],
                planned_for=timezone.localdate(),
            ),
            "inspection_out_of_department",
        )
        assert Inspection.objects.count() == 0

    def test_a_participant_of_another_district_is_refused(
        self, checklist, restaurant, inspector, other_inspector
    ):
        error = refused(
            lambda: services.inspection_create(
                actor=inspector,
                enterprise=restaurant,
                department_codes=["market_regulation"],
                participants=[other_inspector],
                planned_for=timezone.localdate(),
            ),
            "invalid_inspection",
        )
        assert "participants" in error.fields
        assert Inspection.objects.count() == 0

    def test_each_department_needs_an_inspector(self, checklist, restaurant, inspector):
        error = refused(
            lambda: services.inspection_create(
                actor=inspector,
                enterprise=restaurant,
                department_codes=["market_regulation", "fire_rescue"],
                participants=[],
                planned_for=timezone.localdate(),
            ),
            "invalid_inspection",
        )
        assert error.fields["participants"] == "每个参加部门至少需要一名检查人员"

    def test_a_reviewer_cannot_plan_one(self, checklist, restaurant, market_reviewer):
        refused(
            lambda: services.inspection_create(
                actor=market_reviewer,
                enterprise=restaurant,
                department_codes=["market_regulation"],
                participants=[],
                planned_for=timezone.localdate(),
            ),
            "forbidden",
        )


class TestResults:
    @pytest.fixture
    def inspection(self, checklist, restaurant, inspector, fire_inspector) -> Inspection:
        return joint_inspection(inspector, fire_inspector, restaurant)

    def test_a_point_not_on_the_inspection_is_refused_and_nothing_saved(
        self, inspection, inspector
    ):
        points = selectors.inspection_points(inspection)
        tobacco = CheckPoint.objects.filter(department__code="tobacco").first()
        assert tobacco is not None and tobacco not in points
        error = refused(
            lambda: services.inspection_results_record(
                inspection=inspection,
                actor=inspector,
                results=[
                    services.ResultInput(points[0].pk, "pass"),
                    services.ResultInput(tobacco.pk, "pass"),
                ],
            ),
            "invalid_results",
        )
        assert error.fields == {"results[1].point": "该检查要点不在本次检查的检查单上"}
        assert InspectionResult.objects.count() == 0

    def test_a_failure_needs_a_severity(self, inspection, inspector):
        point = selectors.inspection_points(inspection)[0]
        refused(
            lambda: services.inspection_results_record(
                inspection=inspection,
                actor=inspector,
                results=[services.ResultInput(point.pk, "fail")],
            ),
            "invalid_results",
        )
        assert InspectionResult.objects.count() == 0

    def test_only_participants_record(self, inspection, health_inspector):
        point = selectors.inspection_points(inspection)[0]
        refused(
            lambda: services.inspection_results_record(
                inspection=inspection,
                actor=health_inspector,
                results=[services.ResultInput(point.pk, "pass")],
            ),
            "not_participant",
        )

    def test_completion_needs_every_point(self, inspection, inspector, fire_inspector):
        point = selectors.inspection_points(inspection)[0]
        services.inspection_results_record(
            inspection=inspection, actor=inspector, results=[services.ResultInput(point.pk, "pass")]
        )
        refused(
            lambda: services.inspection_complete(inspection=inspection, actor=inspector),
            "results_incomplete",
        )
        record_all(inspection, fire_inspector)
        services.inspection_complete(inspection=inspection, actor=fire_inspector)
        inspection.refresh_from_db()
        assert inspection.is_completed
        refused(
            lambda: record_all(inspection, inspector),
            "inspection_completed",
        )


class TestActions:
    @pytest.fixture
    def failed(self, checklist, restaurant, inspector, fire_inspector, certificate) -> Inspection:
        inspection = joint_inspection(inspector, fire_inspector, restaurant)
        record_all(inspection, inspector, serious=1)
        return services.inspection_complete(inspection=inspection, actor=inspector)

    def test_a_revocation_without_legal_basis_changes_nothing(
        self, failed, inspector, restaurant, certificate
    ):
        permit = permit_of(restaurant, "market_regulation")
        refused(
            lambda: services.action_take(
                inspection=failed,
                actor=inspector,
                kind="revoke",
                permit=permit,
                reason="严重违反食品安全规定",
            ),
            "legal_basis_required",
        )
        permit.refresh_from_db()
        certificate.refresh_from_db()
        assert permit.status == Permit.Status.VALID and permit.events.count() == 1
        assert certificate.voided_at is None and EnforcementAction.objects.count() == 0

    def test_a_permit_of_another_department_is_refused(self, failed, inspector, restaurant):
        permit = permit_of(restaurant, "fire_rescue")
        refused(
            lambda: services.action_take(
                inspection=failed,
                actor=inspector,
                kind="suspend",
                permit=permit,
                reason="消防通道堵塞",
            ),
            "permit_other_department",
        )
        permit.refresh_from_db()
        assert permit.status == Permit.Status.VALID

    def test_an_order_to_rectify_needs_a_future_date(self, failed, inspector):
        refused(
            lambda: services.action_take(
                inspection=failed,
                actor=inspector,
                kind="rectify",
                reason="限期整改",
                rectify_by=timezone.localdate(),
            ),
            "rectify_date_required",
        )
        action = services.action_take(
            inspection=failed,
            actor=inspector,
            kind="rectify",
            reason="限期整改",
            rectify_by=timezone.localdate() + datetime.timedelta(days=15),
        )
        assert action.permit is None

    def test_no_action_without_findings(self, checklist, restaurant, inspector, fire_inspector):
        inspection = joint_inspection(inspector, fire_inspector, restaurant)
        record_all(inspection, inspector)
        services.inspection_complete(inspection=inspection, actor=inspector)
        refused(
            lambda: services.action_take(
                inspection=inspection,
                actor=inspector,
                kind="rectify",
                reason="x",
                rectify_by=timezone.localdate() + datetime.timedelta(days=5),
            ),
            "no_findings",
        )

    def test_a_suspension_shows_through_the_certificate_and_lowers_the_grade(
        self, failed, inspector, restaurant, certificate
    ):
        before = selectors.assessment_latest(restaurant.pk)
        assert before is not None
        services.action_take(
            inspection=failed,
            actor=inspector,
            kind="suspend",
            permit=permit_of(restaurant, "market_regulation"),
            reason="限期整改期间暂扣",
        )
        assert permit_of(restaurant, "market_regulation").status == Permit.Status.SUSPENDED
        assert licences.certificate_status(Certificate.objects.get()) == "valid"
        after = selectors.assessment_latest(restaurant.pk)
        assert after is not None and after.score == before.score - 20


class TestComplaints:
    def test_anyone_files_one_by_certificate_number(self, certificate, restaurant):
        complaint = services.complaint_submit(
            certificate_number=certificate.number, content="后厨卫生状况很差，有老鼠出没。"
        )
        assert complaint.enterprise == restaurant
        assert complaint.status == Complaint.Status.RECEIVED

    def test_an_unknown_enterprise_or_short_text_is_refused(self, restaurant):
        error = refused(
            lambda: services.complaint_submit(uscc="91110105XXXXXXXXXX", content="差"),
            "invalid_complaint",
        )
        assert set(error.fields) == {"enterprise", "content"}
        assert Complaint.objects.count() == 0

    def test_a_substantiated_complaint_lowers_the_grade(
        self, restaurant, inspector, other_inspector
    ):
        complaint = services.complaint_submit(
            uscc=restaurant.uscc,
            content="销售过期食品，已保留购物小票。",
            contact_phone="13800000000",
        )
        refused(
            lambda: services.complaint_handle(
                complaint=complaint, actor=other_inspector, status="accepted"
            ),
            "enterprise_out_of_district",
        )
        refused(
            lambda: services.complaint_handle(
                complaint=complaint, actor=inspector, status="substantiated", note="x"
            ),
            "complaint_wrong_state",
        )
        services.complaint_handle(complaint=complaint, actor=inspector, status="accepted")
        refused(
            lambda: services.complaint_handle(
                complaint=complaint, actor=inspector, status="substantiated"
            ),
            "note_required",
        )
        services.complaint_handle(
            complaint=complaint, actor=inspector, status="substantiated", note="现场查实"
        )
        grade = Assessment.objects.get(enterprise=restaurant)
        assert (grade.grade, grade.score) == ("B", 90)
        assert grade.reasons == [
            {
                "code": "complaint_substantiated",
                "label": "投诉举报经查属实",
                "count": 1,
                "points": -10,
            }
        ]


class TestFacts:
    def test_verification_outcomes_count(self, beijing_catalogue, applicant, clerk):
        application = restaurant_accepted(
            applicant, clerk, routes={"fire_safety_check": "commitment"}
        )
        case = application.cases.get(item__code="fire_safety_check")
        fire = User.objects.create_user(
            "fire_r",
            role=User.Role.REVIEWER,
            department=Department.objects.get(district__code="110105", kind__code="fire_rescue"),
        )
        review.verification_record(
            verification=case.verification, reviewer=fire, outcome="confirmed", findings="属实"
        )
        assert application.enterprise is not None
        grade = services.assessment_refresh(enterprise=application.enterprise)
        assert grade.reasons[0]["code"] == "verification_confirmed" and grade.score == 101

    def test_an_unchanged_grade_makes_no_new_row(self, restaurant):
        first = services.assessment_refresh(enterprise=restaurant)
        again = services.assessment_refresh(enterprise=restaurant)
        assert first.pk == again.pk and (first.grade, first.score, first.reasons) == ("A", 100, [])


def test_checklist_count_is_one_per_industry(checklist):
    services.checklist_generate(industry_code="restaurant")
    assert Checklist.objects.count() == 1
