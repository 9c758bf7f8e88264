"""Writes of parallel review: dispatch on acceptance, the reviewer's actions, completion.

Every action locks its case row, checks the rule, writes, records a CaseAction and an event,
and tells those concerned. A decision also locks the application row, so that the last of
several departments deciding at once completes the application exactly once.
"""

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onelicense.accounts.models import Department, User
from onelicense.applications import services as intake
from onelicense.applications.models import Application, ApplicationItem
from onelicense.approvals.clock import (
    WARNING_LEVELS,
    clock_pause,
    clock_refresh,
    clock_resume,
    clock_state,
    months_later,
)
from onelicense.approvals.models import CaseAction, ItemCase, Verification
from onelicense.approvals.notify import tell_applicant, tell_department
from onelicense.catalogue.models import ApprovalItem
from onelicense.core.calendar import working_days_add
from onelicense.core.errors import DomainError
from onelicense.core.pipeline import pipeline_run
from onelicense.core.services import event_record

SUSPENSION_KINDS = {
    "onsite": _("现场核查"),
    "expert": _("专家评审"),
    "hearing": _("听证"),
    "testing": _("检验检测"),
}


def _department_for(item: ApprovalItem, application: Application) -> Department:
    """The implementing body: the item's kind of department in the application's district, or
    the city-level body for city items."""
    district = (
        None
        if item.level == ApprovalItem.Level.CITY or not item.department.district_level
        else application.district
    )
    return Department.objects.get(kind=item.department, district=district)


def _permit_number(case: ItemCase) -> str:
    return f"{case.application.number}-{case.application_item.order + 1:02d}"


def _validity(item: ApprovalItem, start: datetime.date) -> datetime.date | None:
    months = item.permit_validity_months
    return months_later(start, months) if months else None


def cases_dispatch(*, application: Application, actor: User) -> list[ItemCase]:
    """One case per item; a commitment item is approved the same day, with its check due."""
    today = timezone.localdate()
    cases = []
    for app_item in application.items.select_related("item__department"):
        item = app_item.item
        case = ItemCase(
            application=application,
            application_item=app_item,
            item=item,
            department=_department_for(item, application),
            route=app_item.route,
            started_on=today,
            limit_days=item.promised_limit_days,
            statutory_days=item.statutory_limit_days,
        )
        clock_refresh(case)
        case.save()
        cases.append(case)
        if app_item.route == ApplicationItem.Route.COMMITMENT:
            _approve_on_commitment(case, actor, today)
        else:
            tell_department(
                case,
                _("新的审批事项待审查"),
                _("%(number)s %(item)s 已分送本部门，承诺%(due)s前办结。")
                % {"number": application.number, "item": item.name, "due": case.due_date},
                key=f"case:{case.pk}:dispatched",
            )
    tell_applicant(
        application,
        _("申请已受理"),
        _("您的申请 %(number)s 已受理，各部门将并联审批。") % {"number": application.number},
        key=f"application:{application.pk}:accepted",
    )
    return cases


def _approve_on_commitment(case: ItemCase, actor: User, today: datetime.date) -> None:
    """告知承诺: granted on acceptance; the verification (核查) falls due within the item's
    deadline (e.g. 消防法 §15: the fire check within 20 working days)."""
    assert case.item.verification_days is not None
    case.status = ItemCase.Status.APPROVED
    case.decided_at = timezone.now()
    case.decided_by = actor
    case.decision_reason = str(_("申请人作出告知承诺，当场准予许可"))
    case.permit_number = _permit_number(case)
    case.permit_valid_from = today
    case.permit_valid_until = _validity(case.item, today)
    case.save()
    due = working_days_add(today, case.item.verification_days).date
    Verification.objects.create(case=case, due_date=due)
    CaseAction.objects.create(
        case=case,
        kind=CaseAction.Kind.APPROVE,
        actor=actor,
        reason=case.decision_reason,
        details={"route": "commitment"},
    )
    event_record(
        actor=actor,
        verb="case_approved",
        subject=case.application,
        data={"item": case.item.code, "route": "commitment"},
    )
    pipeline_run("ONELICENSE_ON_APPROVED", case=case, actor=actor)


# -- the reviewer's side ------------------------------------------------------------------------


def _locked(case: ItemCase) -> ItemCase:
    return (
        ItemCase.objects.select_for_update()
        .select_related("item", "department", "application")
        .get(pk=case.pk)
    )


def _require_reviewer(case: ItemCase, user: User) -> None:
    if user.role != User.Role.REVIEWER or user.department_id != case.department_id:
        raise DomainError("forbidden", _("只能办理本部门、本区的事项"), status=403)


def _require_open(case: ItemCase, *allowed: str) -> None:
    if case.is_decided:
        raise DomainError("item_case_already_decided", _("该事项已作出决定"), status=409)
    if case.application.status != Application.Status.ACCEPTED:
        raise DomainError("application_not_in_review", _("该申请已撤回或已办结"), status=409)
    if allowed and case.status not in allowed:
        raise DomainError(
            "item_case_wrong_state",
            _("该事项当前为“%(status)s”，不能进行此操作") % {"status": case.get_status_display()},
            status=409,
        )


def _act(
    case: ItemCase,
    action: str,
    actor: User,
    reason: str = "",
    approved_by: User | None = None,
    **details: Any,
) -> None:
    CaseAction.objects.create(
        case=case,
        kind=action,
        actor=actor,
        reason=reason,
        approved_by=approved_by,
        details=details,
    )
    event_record(
        actor=actor,
        verb=f"case_{action}",
        subject=case.application,
        reason=reason,
        data={"item": case.item.code, **details},
    )


@transaction.atomic
def case_claim(*, case: ItemCase, reviewer: User) -> ItemCase:
    """认领: take a pending case; one that someone else holds is not taken from them."""
    case = _locked(case)
    _require_reviewer(case, reviewer)
    _require_open(case)
    if case.assignee_id not in (None, reviewer.pk):
        raise DomainError(
            "item_case_taken", _("该事项已由%(name)s承办") % {"name": case.assignee}, status=409
        )
    case.assignee = reviewer
    if case.status == ItemCase.Status.PENDING:
        case.status = ItemCase.Status.IN_REVIEW
    case.save()
    _act(case, CaseAction.Kind.CLAIM, reviewer)
    return case


@transaction.atomic
def case_assign(*, case: ItemCase, reviewer: User, assignee: User) -> ItemCase:
    """分派: give a case to a colleague of the same department."""
    case = _locked(case)
    _require_reviewer(case, reviewer)
    _require_reviewer(case, assignee)
    _require_open(case)
    case.assignee = assignee
    if case.status == ItemCase.Status.PENDING:
        case.status = ItemCase.Status.IN_REVIEW
    case.save()
    _act(case, CaseAction.Kind.ASSIGN, reviewer, assignee=assignee.username)
    return case


def _required(**values: str) -> None:
    missing = {name: str(_("此项必填")) for name, value in values.items() if not value.strip()}
    if missing:
        raise DomainError("required", _("请填写必填项"), fields=missing, status=422)


@transaction.atomic
def case_approve(
    *,
    case: ItemCase,
    reviewer: User,
    permit_number: str = "",
    valid_from: datetime.date | None = None,
    valid_until: datetime.date | None = None,
    reason: str = "",
) -> ItemCase:
    """准予许可, with the permit's number and validity (Part 4 issues the permit from them)."""
    case = _locked(case)
    _require_reviewer(case, reviewer)
    _require_open(case, ItemCase.Status.PENDING, ItemCase.Status.IN_REVIEW)
    start = valid_from or timezone.localdate()
    until = valid_until if valid_until is not None else _validity(case.item, start)
    if until is not None and until < start:
        raise DomainError(
            "invalid_validity",
            _("有效期截止日期不能早于起始日期"),
            fields={"valid_until": str(_("不能早于起始日期"))},
            status=422,
        )
    case.permit_number = permit_number.strip() or _permit_number(case)
    case.permit_valid_from, case.permit_valid_until = start, until
    _decide(case, reviewer, ItemCase.Status.APPROVED, reason or str(_("符合法定条件、标准")), "")
    tell_applicant(
        case.application,
        _("事项已准予许可"),
        _("%(item)s：准予许可，证件编号 %(number)s。")
        % {"item": case.item.name, "number": case.permit_number},
        key=f"case:{case.pk}:decided",
    )
    return case


@transaction.atomic
def case_refuse(*, case: ItemCase, reviewer: User, reason: str, legal_basis: str) -> ItemCase:
    """不予许可, with reasons, legal basis and the remedies the applicant is told (§38)."""
    case = _locked(case)
    _require_reviewer(case, reviewer)
    _require_open(case, ItemCase.Status.PENDING, ItemCase.Status.IN_REVIEW)
    _required(reason=reason, legal_basis=legal_basis)
    _decide(case, reviewer, ItemCase.Status.REFUSED, reason.strip(), legal_basis.strip())
    tell_applicant(
        case.application,
        _("事项不予许可"),
        _("%(item)s：不予许可。理由：%(reason)s。如不服，可依法申请行政复议或提起行政诉讼。")
        % {"item": case.item.name, "reason": case.decision_reason},
        key=f"case:{case.pk}:decided",
    )
    return case


def _decide(case: ItemCase, reviewer: User, status: str, reason: str, basis: str) -> None:
    application = Application.objects.select_for_update().get(pk=case.application_id)
    case.status = status
    case.decided_at = timezone.now()
    case.decided_by = reviewer
    case.decision_reason = reason
    case.legal_basis = basis
    case.assignee = case.assignee or reviewer
    case.save()
    kind = CaseAction.Kind.APPROVE if status == ItemCase.Status.APPROVED else CaseAction.Kind.REFUSE
    _act(case, kind, reviewer, reason, legal_basis=basis, permit_number=case.permit_number)
    if status == ItemCase.Status.APPROVED:
        pipeline_run("ONELICENSE_ON_APPROVED", case=case, actor=reviewer)
    all_decided = not application.cases.exclude(status__in=ItemCase.DECIDED).exists()
    if all_decided and intake.application_complete(application=application, actor=reviewer):
        tell_applicant(
            application,
            _("申请已办结"),
            _("您的申请 %(number)s 各事项均已作出决定。") % {"number": application.number},
            key=f"application:{application.pk}:completed",
        )


@transaction.atomic
def case_request_correction(
    *, case: ItemCase, reviewer: User, missing: list[str], note: str = ""
) -> ItemCase:
    """补正告知: say once everything that is missing; the clock stops until it comes."""
    case = _locked(case)
    _require_reviewer(case, reviewer)
    _require_open(case, ItemCase.Status.PENDING, ItemCase.Status.IN_REVIEW)
    listed = [entry.strip() for entry in missing if entry.strip()]
    if not listed:
        raise DomainError(
            "correction_empty",
            _("补正告知须列明需要补正的内容"),
            fields={"missing": str(_("请列明需补正的材料或信息"))},
            status=422,
        )
    clock_pause(case, timezone.localdate())
    case.status = ItemCase.Status.CORRECTION
    case.assignee = case.assignee or reviewer
    case.save()
    _act(case, CaseAction.Kind.CORRECTION, reviewer, note, missing=listed)
    tell_applicant(
        case.application,
        _("需要补正"),
        _("%(item)s 需要补正：%(missing)s。补正期间审批时限暂停计算。")
        % {"item": case.item.name, "missing": "；".join(listed)},
        key=f"case:{case.pk}:correction:{case.actions.count()}",
    )
    return case


@transaction.atomic
def case_correction_submit(
    *,
    case: ItemCase,
    actor: User,
    form_data: dict[str, Any] | None = None,
    note: str = "",
) -> ItemCase:
    """The applicant has corrected (values changed here, files through material_upload with
    amend=True): the clock runs again from the next day, the due date moved by the pause."""
    case = _locked(case)
    if case.status != ItemCase.Status.CORRECTION:
        raise DomainError("no_correction_requested", _("该事项没有待补正的内容"), status=409)
    if form_data:
        intake.application_amend(
            application=case.application,
            actor=actor,
            form_data=form_data,
            reason=note or str(_("补正")),
        )
    paused = clock_resume(case, timezone.localdate())
    case.status = ItemCase.Status.IN_REVIEW if case.assignee_id else ItemCase.Status.PENDING
    clock_refresh(case)
    case.save()
    _act(case, CaseAction.Kind.CORRECTED, actor, note, paused_days=paused)
    tell_department(
        case,
        _("申请人已补正"),
        _("%(number)s %(item)s 已补正，时限顺延 %(days)s 个工作日。")
        % {"number": case.application.number, "item": case.item.name, "days": paused},
        key=f"case:{case.pk}:corrected:{case.actions.count()}",
    )
    return case


@transaction.atomic
def case_suspend(
    *, case: ItemCase, reviewer: User, kind: str, reason: str, expected_end: datetime.date
) -> ItemCase:
    """中止: an on-site check, expert review, hearing or test, not counted in the limit (§45)."""
    case = _locked(case)
    _require_reviewer(case, reviewer)
    _require_open(case, ItemCase.Status.PENDING, ItemCase.Status.IN_REVIEW)
    if kind not in SUSPENSION_KINDS:
        raise DomainError(
            "invalid_suspension",
            _("中止事由应为现场核查、专家评审、听证或检验检测"),
            fields={"kind": str(_("请选择中止事由"))},
            status=422,
        )
    _required(reason=reason)
    today = timezone.localdate()
    if expected_end < today:
        raise DomainError(
            "invalid_expected_end",
            _("预计结束日期不能早于今天"),
            fields={"expected_end": str(_("不能早于今天"))},
            status=422,
        )
    clock_pause(case, today)
    case.status = ItemCase.Status.SUSPENDED
    case.save()
    _act(
        case,
        CaseAction.Kind.SUSPEND,
        reviewer,
        reason,
        kind=kind,
        expected_end=expected_end.isoformat(),
    )
    tell_applicant(
        case.application,
        _("审查中止"),
        _("%(item)s 因%(kind)s中止审查，预计%(end)s结束，期间不计入审批时限。")
        % {"item": case.item.name, "kind": SUSPENSION_KINDS[kind], "end": expected_end},
        key=f"case:{case.pk}:suspended:{case.actions.count()}",
    )
    return case


@transaction.atomic
def case_resume(*, case: ItemCase, reviewer: User, note: str = "") -> ItemCase:
    case = _locked(case)
    _require_reviewer(case, reviewer)
    _require_open(case, ItemCase.Status.SUSPENDED)
    paused = clock_resume(case, timezone.localdate())
    case.status = ItemCase.Status.IN_REVIEW
    clock_refresh(case)
    case.save()
    _act(case, CaseAction.Kind.RESUME, reviewer, note, paused_days=paused)
    return case


@transaction.atomic
def case_extend(*, case: ItemCase, reviewer: User, lead: User, days: int, reason: str) -> ItemCase:
    """延期: within the legal maximum, approved by a lead of the department (§42)."""
    case = _locked(case)
    _require_reviewer(case, reviewer)
    _require_open(case, ItemCase.Status.PENDING, ItemCase.Status.IN_REVIEW)
    if not (lead.is_lead and lead.department_id == case.department_id):
        raise DomainError(
            "extension_needs_lead",
            _("延期须经本部门负责人批准"),
            fields={"lead": str(_("请选择本部门负责人"))},
            status=403,
        )
    _required(reason=reason)
    allowed = case.item.max_extension_days - case.extension_days
    if days < 1 or days > allowed:
        raise DomainError(
            "extension_beyond_limit",
            _("延长期限须为 1 至 %(n)s 个工作日（法定最多可延长 %(max)s 个工作日）")
            % {"n": allowed, "max": case.item.max_extension_days},
            fields={"days": str(_("超出法定可延长的期限"))},
            status=422,
        )
    case.extension_days += days
    clock_refresh(case)
    case.save()
    _act(case, CaseAction.Kind.EXTEND, reviewer, reason, days=days, approved_by=lead)
    tell_applicant(
        case.application,
        _("审批期限延长"),
        _("%(item)s 经负责人批准延长 %(days)s 个工作日，办结日期为%(due)s。")
        % {"item": case.item.name, "days": days, "due": case.due_date},
        key=f"case:{case.pk}:extended:{case.extension_days}",
    )
    return case


@transaction.atomic
def case_schedule_onsite(
    *, case: ItemCase, reviewer: User, on: datetime.date, note: str = ""
) -> ItemCase:
    """安排现场核查: a date told to the applicant (suspend separately if it stops the clock)."""
    case = _locked(case)
    _require_reviewer(case, reviewer)
    _require_open(case)
    if on < timezone.localdate():
        raise DomainError(
            "invalid_date",
            _("核查日期不能早于今天"),
            fields={"on": str(_("不能早于今天"))},
            status=422,
        )
    _act(case, CaseAction.Kind.ONSITE, reviewer, note, on=on.isoformat())
    tell_applicant(
        case.application,
        _("现场核查安排"),
        _("%(item)s 将于%(on)s进行现场核查。") % {"item": case.item.name, "on": on},
        key=f"case:{case.pk}:onsite:{on.isoformat()}",
    )
    return case


@transaction.atomic
def verification_record(
    *,
    verification: Verification,
    reviewer: User,
    outcome: str,
    findings: str,
    rectify_by: datetime.date | None = None,
) -> Verification:
    """核查 after a commitment approval: confirmed, rectify by a date, or revoked (which Part 4
    turns into the permit's revocation and the certificate's voiding)."""
    verification = (
        Verification.objects.select_for_update()
        .select_related("case__item", "case__application")
        .get(pk=verification.pk)
    )
    case = verification.case
    _require_reviewer(case, reviewer)
    if verification.outcome in (Verification.Outcome.CONFIRMED, Verification.Outcome.REVOKED):
        raise DomainError("verification_closed", _("该核查已有结论"), status=409)
    if outcome not in Verification.Outcome.values or outcome == Verification.Outcome.PENDING:
        raise DomainError(
            "invalid_outcome",
            _("核查结果应为属实、限期整改或撤销许可"),
            fields={"outcome": str(_("请选择核查结果"))},
            status=422,
        )
    _required(findings=findings)
    if outcome == Verification.Outcome.RECTIFY and (
        rectify_by is None or rectify_by <= timezone.localdate()
    ):
        raise DomainError(
            "rectify_date_required",
            _("责令整改须给出今天以后的整改期限"),
            fields={"rectify_by": str(_("请填写整改期限"))},
            status=422,
        )
    verification.outcome = outcome
    verification.findings = findings.strip()
    verification.rectify_by = rectify_by if outcome == Verification.Outcome.RECTIFY else None
    verification.checked_at = timezone.now()
    verification.checked_by = reviewer
    verification.save()
    event_record(
        actor=reviewer,
        verb=f"verification_{outcome}",
        subject=case.application,
        reason=findings,
        data={"item": case.item.code},
    )
    tell_applicant(
        case.application,
        _("告知承诺核查结果"),
        _("%(item)s 核查结果：%(outcome)s。")
        % {"item": case.item.name, "outcome": verification.get_outcome_display()},
        key=f"verification:{verification.pk}:{outcome}",
    )
    return verification


def cases_warn(*, today: datetime.date | None = None) -> int:
    """Tell the department when a case has used 60% and 80% of its time, and when it is
    overdue; each level once (a conditional update claims it)."""
    today = today or timezone.localdate()
    told = 0
    open_cases = ItemCase.objects.exclude(status__in=(*ItemCase.DECIDED, *ItemCase.PAUSED))
    for case in open_cases.select_related("item", "application", "assignee", "department"):
        state = clock_state(case, today)
        level = max((lvl for lvl in (*WARNING_LEVELS, 100) if state.percent >= lvl), default=0)
        if level <= case.warned_percent:
            continue
        claimed = ItemCase.objects.filter(pk=case.pk, warned_percent__lt=level).update(
            warned_percent=level
        )
        if not claimed:
            continue
        title = _("事项已超期") if level >= 100 else _("时限预警")
        tell_department(
            case,
            title,
            _("%(number)s %(item)s 已用时 %(used)s/%(limit)s 个工作日，承诺%(due)s前办结。")
            % {
                "number": case.application.number,
                "item": case.item.name,
                "used": state.used_days,
                "limit": state.limit_days,
                "due": case.due_date,
            },
            key=f"case:{case.pk}:warn:{level}",
        )
        told += 1
    return told
