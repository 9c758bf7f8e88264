"""Writes of supervision: checklists from the catalogue and their edits, joint inspections and
their results, the actions findings lead to, complaints, and grades.

Each use case checks its rules before writing anything, so a refused request changes nothing.
Actions on permits go through `licences.services.permit_change`, so the certificate and its QR
code follow (a revoked permit voids the certificate).
"""

import datetime
import re
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onelicense.accounts.models import DepartmentKind, User
from onelicense.applications.models import Enterprise
from onelicense.catalogue import selectors as catalogue
from onelicense.catalogue.models import ApprovalItem
from onelicense.core.errors import DomainError
from onelicense.core.services import event_record
from onelicense.licences.models import Permit
from onelicense.licences.selectors import holder_find
from onelicense.licences.services import permit_change
from onelicense.supervision import selectors
from onelicense.supervision.models import (
    Assessment,
    Checklist,
    CheckPoint,
    Complaint,
    EnforcementAction,
    Inspection,
    InspectionResult,
)
from onelicense.supervision.scoring import Rules, grade_compute, rules_current

Outcome = InspectionResult.Outcome
Kind = EnforcementAction.Kind


def _forbidden(code: str, message: object) -> DomainError:
    return DomainError(code, str(message), status=403)


# --- Checklists (一业一单) and the manual (一业一册) ----------------------------------------------


@dataclass(frozen=True)
class PointDraft:
    code: str
    department: DepartmentKind
    item: ApprovalItem
    text: str
    order: int


def _clauses(conditions: str) -> list[str]:
    """A condition text cut at its full stops and semicolons: one obligation each."""
    parts = re.split(r"[。；;\n]+", conditions)
    return [p.strip(" ，,") for p in parts if p.strip(" ，,") and not p.startswith("http")]


def _drafts(industry_code: str) -> list[PointDraft]:
    guide = catalogue.guide_build(industry=catalogue.industry_get(code=industry_code))
    drafts: list[PointDraft] = []
    for gi in guide.items:
        item = gi.item
        held = item.permit_name or item.name
        if item.kind == ApprovalItem.Kind.FILING:
            first = _("已依法办理%(item)s") % {"item": item.name}
        else:
            first = _("依法取得%(permit)s，并在许可范围内经营") % {"permit": held}
        lines = [str(first), *_clauses(item.conditions)]
        for n, text in enumerate(lines):
            drafts.append(
                PointDraft(f"{item.code}-{n}", item.department, item, text, len(drafts) + 1)
            )
    return drafts


@transaction.atomic
def checklist_generate(*, industry_code: str, actor: User | None = None) -> Checklist:
    """The industry's checklist from the published catalogue: one point for holding each
    item's permit, one per condition. Points edited by hand keep their text; generated points
    whose item is gone are switched off, not deleted (past results refer to them)."""
    industry = catalogue.industry_get(code=industry_code, questions=False)
    checklist, _created = Checklist.objects.get_or_create(
        industry_code=industry.code, defaults={"industry_name": industry.name}
    )
    existing = {p.code: p for p in checklist.points.all()}
    seen = set()
    for draft in _drafts(industry.code):
        seen.add(draft.code)
        point = existing.get(draft.code) or CheckPoint(checklist=checklist, code=draft.code)
        point.source = CheckPoint.Source.GENERATED
        point.order = draft.order
        if not point.edited:  # a point switched off by hand stays off
            point.active = True
        point.item_code, point.item_name = draft.item.code, draft.item.name
        if not point.edited:
            point.department = draft.department
            point.text, point.legal_basis = draft.text, draft.item.legal_basis
        point.save()
    for code, point in existing.items():
        if point.source == CheckPoint.Source.GENERATED and code not in seen and not point.edited:
            point.active = False
            point.save(update_fields=["active"])
    checklist.industry_name = industry.name
    checklist.generated_from = industry.version.title
    checklist.generated_at = timezone.now()
    checklist.save()
    event_record(actor=actor, verb="checklist_generated", subject=checklist)
    return checklist


def checklists_generate_all(*, actor: User | None = None) -> list[Checklist]:
    return [
        checklist_generate(industry_code=industry.code, actor=actor)
        for industry in catalogue.industry_list()
    ]


@transaction.atomic
def check_point_save(
    *,
    checklist: Checklist,
    actor: User,
    text: str,
    legal_basis: str,
    department_code: str,
    point: CheckPoint | None = None,
) -> CheckPoint:
    """Add a point by hand, or edit one (then regeneration keeps the edit); city admins only."""
    if actor.role != User.Role.CITY_ADMIN:
        raise _forbidden("forbidden", _("只有市级管理员可以修改检查单"))
    fields = {}
    if not text.strip():
        fields["text"] = str(_("此项必填"))
    if not legal_basis.strip():
        fields["legal_basis"] = str(_("此项必填"))
    department = DepartmentKind.objects.filter(code=department_code).first()
    if department is None:
        fields["department"] = str(_("不是可选的值"))
    if fields or department is None:
        raise DomainError("invalid_check_point", _("检查要点填写有误"), fields=fields, status=422)
    if point is None:
        count = checklist.points.count()
        point = CheckPoint(checklist=checklist, code=f"manual-{count + 1}", order=count + 1)
    else:
        point.edited = True
    point.text, point.legal_basis, point.department = text.strip(), legal_basis.strip(), department
    point.save()
    event_record(
        actor=actor, verb="check_point_saved", subject=checklist, data={"point": point.code}
    )
    return point


# --- Joint inspections (一业一查) -----------------------------------------------------------------


def _inspector(actor: User) -> None:
    if actor.role != User.Role.INSPECTOR or actor.department is None:
        raise _forbidden("forbidden", _("只有执法检查人员可以进行此操作"))


@transaction.atomic
def inspection_create(
    *,
    actor: User,
    enterprise: Enterprise,
    department_codes: list[str],
    participants: list[User],
    planned_for: datetime.date,
    plan_id: int | None = None,
) -> Inspection:
    """One visit, several departments: each department's checklist points, at least one
    inspector of each. Only for an enterprise the inspector's district licensed, and only with
    the inspector's own department taking part."""
    _inspector(actor)
    assert actor.department is not None
    district = actor.department.district
    permits = selectors.enterprise_permits_in(enterprise, district)
    if not permits or district is None:
        raise _forbidden(
            "enterprise_out_of_district", _("该市场主体不在本区监管范围内，不能安排检查")
        )
    checklist = selectors.checklist_get(selectors.enterprise_industry(permits))
    kinds = list(DepartmentKind.objects.filter(code__in=set(department_codes)))
    covered = {p.department_id for p in selectors.checklist_points(checklist)}
    if (
        actor.department.kind_id not in {k.pk for k in kinds}
        or actor.department.kind_id not in covered
    ):
        raise _forbidden(
            "inspection_out_of_department", _("本部门不负责该行业的检查事项，不能安排此次检查")
        )
    faults = {}
    if len(kinds) != len(set(department_codes)) or not {k.pk for k in kinds} <= covered:
        faults["departments"] = str(_("所选部门不在该行业的检查单上"))
    people = {actor, *participants}
    for person in people:
        if (
            person.role != User.Role.INSPECTOR
            or person.department is None
            or person.department.district_id != actor.department.district_id
            or person.department.kind_id not in {k.pk for k in kinds}
        ):
            faults["participants"] = str(_("检查人员须为本区参加部门的执法检查人员"))
    if not faults and {k.pk for k in kinds} - {
        p.department.kind_id for p in people if p.department
    }:
        faults["participants"] = str(_("每个参加部门至少需要一名检查人员"))
    if faults:
        raise DomainError("invalid_inspection", _("检查安排有误"), fields=faults, status=422)
    return inspection_write(
        actor=actor,
        enterprise=enterprise,
        industry_code=checklist.industry_code,
        kinds=kinds,
        people=people,
        planned_for=planned_for,
        plan_id=plan_id,
    )


def inspection_write(
    *,
    actor: User,
    enterprise: Enterprise,
    industry_code: str,
    kinds: list[DepartmentKind],
    people: set[User],
    planned_for: datetime.date,
    plan_id: int | None = None,
) -> Inspection:
    """The write of a planned inspection, once its caller has checked the arrangement."""
    assert actor.department is not None and actor.department.district is not None
    inspection = Inspection.objects.create(
        enterprise=enterprise,
        district=actor.department.district,
        industry_code=industry_code,
        plan_id=plan_id,
        planned_for=planned_for,
        created_by=actor,
    )
    inspection.departments.set(kinds)
    inspection.participants.set(people)
    event_record(
        actor=actor,
        verb="inspection_planned",
        subject=inspection,
        data={"enterprise": enterprise.uscc, "departments": sorted(k.code for k in kinds)},
    )
    return inspection


def _participant(inspection: Inspection, actor: User) -> None:
    if not inspection.participants.filter(pk=actor.pk).exists():
        raise _forbidden("not_participant", _("您不是此次检查的检查人员"))


@dataclass(frozen=True)
class ResultInput:
    point_id: int
    outcome: str
    severity: str = ""
    note: str = ""


def _result_faults(inspection: Inspection, results: list[ResultInput]) -> dict[str, str]:
    allowed = {p.pk for p in selectors.inspection_points(inspection)}
    faults = {}
    for n, row in enumerate(results):
        at = f"results[{n}]"
        if row.point_id not in allowed:
            faults[f"{at}.point"] = str(_("该检查要点不在本次检查的检查单上"))
        elif row.outcome not in Outcome.values:
            faults[f"{at}.outcome"] = str(_("不是可选的值"))
        elif row.outcome == Outcome.FAIL and row.severity not in InspectionResult.Severity.values:
            faults[f"{at}.severity"] = str(_("不合格须选择严重程度"))
        elif row.outcome != Outcome.FAIL and row.severity:
            faults[f"{at}.severity"] = str(_("只有不合格才有严重程度"))
    return faults


@transaction.atomic
def inspection_results_record(
    *, inspection: Inspection, actor: User, results: list[ResultInput]
) -> list[InspectionResult]:
    """Record (or correct) results at check points; all of them, or none if any is wrong."""
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    _participant(inspection, actor)
    if inspection.is_completed:
        raise DomainError("inspection_completed", _("检查已完成，结果不能再修改"), status=409)
    faults = _result_faults(inspection, results)
    if faults:
        raise DomainError("invalid_results", _("检查结果有误，均未保存"), fields=faults, status=422)
    saved = []
    for row in results:
        result, _created = InspectionResult.objects.update_or_create(
            inspection=inspection,
            point_id=row.point_id,
            defaults={
                "outcome": row.outcome,
                "severity": row.severity,
                "note": row.note.strip(),
                "recorded_by": actor,
            },
        )
        saved.append(result)
    return saved


@transaction.atomic
def inspection_complete(*, inspection: Inspection, actor: User, summary: str = "") -> Inspection:
    """Close the visit once every point has a result; the enterprise's grade follows."""
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    _participant(inspection, actor)
    if inspection.is_completed:
        raise DomainError("inspection_completed", _("检查已完成"), status=409)
    answered = set(inspection.results.values_list("point_id", flat=True))
    missing = [p for p in selectors.inspection_points(inspection) if p.pk not in answered]
    if missing:
        raise DomainError(
            "results_incomplete",
            _("还有 %(count)d 个检查要点未记录结果") % {"count": len(missing)},
            status=422,
        )
    inspection.status = Inspection.Status.COMPLETED
    inspection.completed_at = timezone.now()
    inspection.summary = summary.strip()
    inspection.save(update_fields=["status", "completed_at", "summary"])
    failures = inspection.results.filter(outcome=Outcome.FAIL).count()
    event_record(
        actor=actor, verb="inspection_completed", subject=inspection, data={"failures": failures}
    )
    assessment_refresh(enterprise=inspection.enterprise)
    return inspection


# --- Actions on findings --------------------------------------------------------------------------


@transaction.atomic
def action_take(
    *,
    inspection: Inspection,
    actor: User,
    kind: str,
    reason: str,
    legal_basis: str = "",
    permit: Permit | None = None,
    rectify_by: datetime.date | None = None,
) -> EnforcementAction:
    """责令限期整改, 暂扣 or 吊销 on the findings of a completed inspection. A permit's
    suspension or revocation is its department's own act, through the permit's lifecycle."""
    _participant(inspection, actor)
    if not inspection.is_completed or not inspection.results.filter(outcome=Outcome.FAIL).exists():
        raise DomainError("no_findings", _("只能依据已完成检查中发现的问题采取措施"), status=409)
    if not reason.strip():
        raise DomainError(
            "reason_required", _("请说明理由"), fields={"reason": str(_("此项必填"))}, status=422
        )
    if kind == Kind.RECTIFY:
        if rectify_by is None or rectify_by <= timezone.localdate():
            raise DomainError(
                "rectify_date_required",
                _("请填写今天以后的整改期限"),
                fields={"rectify_by": str(_("应为今天以后的日期"))},
                status=422,
            )
        permit = None
    elif kind in (Kind.SUSPEND, Kind.REVOKE):
        if permit is None or permit.holder_id != inspection.enterprise_id:
            raise DomainError(
                "permit_not_held",
                _("请选择该市场主体持有的证件"),
                fields={"permit": str(_("不是可选的值"))},
                status=422,
            )
        if permit.department_id != actor.department_id:
            raise _forbidden("permit_other_department", _("只能对本部门核发的证件采取措施"))
        # Refuses a revocation without legal basis, or a permit already ended, before writing.
        permit_change(
            permit=permit, actor=actor, operation=kind, reason=reason, legal_basis=legal_basis
        )
        rectify_by = None
    else:
        raise DomainError("unknown_action", _("未知的处理措施"), status=422)
    action = EnforcementAction.objects.create(
        inspection=inspection,
        kind=kind,
        permit=permit,
        rectify_by=rectify_by,
        reason=reason.strip(),
        legal_basis=legal_basis.strip(),
        actor=actor,
    )
    event_record(actor=actor, verb=f"action_{kind}", subject=inspection, reason=reason)
    assessment_refresh(enterprise=inspection.enterprise)
    return action


# --- Complaints (社会共治) ------------------------------------------------------------------------

PHONE = re.compile(r"^1\d{10}$")


@transaction.atomic
def complaint_submit(
    *,
    content: str,
    uscc: str = "",
    certificate_number: str = "",
    contact_name: str = "",
    contact_phone: str = "",
) -> Complaint:
    """A tip from anyone about an enterprise known by its USCC or a certificate number."""
    fields = {}
    enterprise = holder_find(uscc=uscc) or holder_find(certificate_number=certificate_number)
    if enterprise is None:
        fields["enterprise"] = str(_("未找到该市场主体，请核对统一社会信用代码或凭证编号"))
    if not 10 <= len(content.strip()) <= 1000:
        fields["content"] = str(_("请用 10 至 1000 字说明情况"))
    if contact_phone and not PHONE.match(contact_phone.strip()):
        fields["contact_phone"] = str(_("请填写 11 位手机号码"))
    if fields:
        raise DomainError("invalid_complaint", _("投诉举报填写有误"), fields=fields, status=422)
    assert enterprise is not None
    complaint = Complaint.objects.create(
        enterprise=enterprise,
        content=content.strip(),
        contact_name=contact_name.strip()[:40],
        contact_phone=contact_phone.strip(),
    )
    event_record(actor=None, verb="complaint_received", subject=complaint)
    return complaint


# Which state a complaint may move from, to which.
COMPLAINT_STEPS: dict[str, tuple[str, ...]] = {
    Complaint.Status.RECEIVED: (Complaint.Status.ACCEPTED, Complaint.Status.UNFOUNDED),
    Complaint.Status.ACCEPTED: (Complaint.Status.SUBSTANTIATED, Complaint.Status.UNFOUNDED),
}


@transaction.atomic
def complaint_handle(
    *, complaint: Complaint, actor: User, status: str, note: str = ""
) -> Complaint:
    """受理, then 查实 or 不实 (with what was found); a substantiated one counts in the grade."""
    _inspector(actor)
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if not selectors.complaints_for_inspector(actor).filter(pk=complaint.pk).exists():
        raise _forbidden("enterprise_out_of_district", _("该市场主体不在本区监管范围内"))
    if status not in COMPLAINT_STEPS.get(complaint.status, ()):
        raise DomainError(
            "complaint_wrong_state",
            _("投诉举报当前为“%(status)s”，不能这样处理")
            % {"status": complaint.get_status_display()},
            status=409,
        )
    if status != Complaint.Status.ACCEPTED and not note.strip():
        raise DomainError(
            "note_required", _("请写明核查情况"), fields={"note": str(_("此项必填"))}, status=422
        )
    complaint.status = status
    complaint.handled_by, complaint.handled_at = actor, timezone.now()
    complaint.handling_note = note.strip()
    complaint.save()
    event_record(actor=actor, verb=f"complaint_{status}", subject=complaint, reason=note)
    if status == Complaint.Status.SUBSTANTIATED:
        assessment_refresh(enterprise=complaint.enterprise)
    return complaint


# --- Grades (一业一评) ----------------------------------------------------------------------------


@transaction.atomic
def assessment_refresh(
    *, enterprise: Enterprise, rules: Rules | None = None, now: datetime.datetime | None = None
) -> Assessment:
    """The enterprise's grade under the rules now; a new row only when it changed."""
    rules = rules or rules_current()
    outcome = grade_compute(rules, selectors.enterprise_facts(enterprise.pk, rules=rules, now=now))
    latest = selectors.assessment_latest(enterprise.pk)
    if latest and (latest.grade, latest.score, latest.reasons, latest.rules_version) == (
        outcome.grade,
        outcome.score,
        outcome.reasons,
        rules.version,
    ):
        return latest
    return Assessment.objects.create(
        enterprise=enterprise,
        grade=outcome.grade,
        score=outcome.score,
        reasons=outcome.reasons,
        rules_version=rules.version,
    )
