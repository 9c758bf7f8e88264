"""The applicant's own pages (一网通办): one application's progress at every department, the
answer to a correction request (补正), and the messages (站内消息) of anyone signed in.

The progress page reads the application, its cases and its events in a fixed number of
queries whatever their number. A correction answer uploads its files and resumes the case's
clock in one transaction: all of it, or nothing (no row, and no stored file either).
"""

import datetime
import uuid
from dataclasses import dataclass, replace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from onelicense.accounts.models import User
from onelicense.applications.models import Application, MaterialFile
from onelicense.applications.selectors import (
    application_for_user,
    application_plan,
    application_timeline,
)
from onelicense.applications.services import material_upload
from onelicense.approvals.models import CaseAction, ItemCase
from onelicense.approvals.services import case_correction_submit
from onelicense.catalogue.pdf import remedies_text
from onelicense.catalogue.selectors import department_name, review_body_name
from onelicense.core.errors import DomainError
from onelicense.core.messaging import (
    notifications_mark_read,
    notifications_of,
    notifications_unread_count,
)
from onelicense.core.models import Event
from onelicense.licences import selectors as licences_selectors
from onelicense.portal.forms import CorrectionForm, item_plan

MESSAGES_PER_PAGE = 20


# --- Access --------------------------------------------------------------------------------


def _user(request: HttpRequest) -> User:
    if not isinstance(request.user, User):  # login_required ran first; this narrows the type
        raise PermissionDenied
    return request.user


def _own_application(user: User, code: uuid.UUID) -> Application:
    """The one access helper: an applicant's own application; for anyone else 404, so that
    the existence of someone else's application is not told."""
    if user.role != User.Role.APPLICANT:
        raise Http404
    try:
        return application_for_user(user, str(code))
    except DomainError as error:
        raise Http404(error.message) from error


def _staff_page(user: User, code: uuid.UUID) -> str:
    """Where a member of staff who may see the application works on it ("" if they may not)."""
    try:
        application = application_for_user(user, str(code))
    except DomainError:
        return ""
    if user.role in (User.Role.CLERK, User.Role.DISTRICT_ADMIN):
        return reverse("window:check", args=[application.code])
    if user.role == User.Role.REVIEWER and user.department_id is not None:
        case = application.cases.filter(department_id=user.department_id).first()
        return reverse("approvals:case", args=[case.pk]) if case else reverse("approvals:inbox")
    return reverse("applications:detail", args=[application.code])


# --- Progress ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseRow:
    """One department's progress on one item, and what the applicant is owed if refused."""

    case: ItemCase
    correction: CaseAction | None  # the request still to answer, while one is open
    remedies: str


@dataclass(frozen=True)
class Entry:
    """One line of the applicant's timeline; `count` events of one kind made into one line."""

    when: datetime.datetime
    verb: str
    title: str
    who: str = ""
    detail: str = ""
    reason: str = ""
    count: int = 1


TIMELINE = {
    "application_created": _("创建申请"),
    "application_submitted": _("提交申请"),
    "application_accepted": _("综合窗口已受理"),
    "application_refused": _("综合窗口不予受理"),
    "application_withdrawn": _("撤回申请"),
    "application_amended": _("修改申请信息（补正）"),
    "application_completed": _("全部事项已办结"),
    "material_uploaded": _("上传材料"),
    "commitment_signed": _("签署告知承诺书"),
    "case_claim": _("开始审查"),
    "case_approve": _("准予许可"),
    "case_approved": _("准予许可（告知承诺）"),
    "case_refuse": _("不予许可"),
    "case_correction": _("需要补正"),
    "case_corrected": _("已提交补正，恢复计时"),
    "case_suspend": _("中止审查（暂停计时）"),
    "case_resume": _("恢复审查"),
    "case_extend": _("延长审查期限"),
    "case_onsite": _("安排现场核查"),
    "verification_confirmed": _("告知承诺核查：属实"),
    "verification_rectify": _("告知承诺核查：责令限期整改"),
    "verification_revoked": _("告知承诺核查：撤销许可"),
    "certificate_requested": _("申请先行颁发综合许可凭证"),
    "certificate_issued": _("颁发综合许可凭证"),
    "certificate_reissued": _("换发综合许可凭证"),
    "certificate_voided": _("综合许可凭证作废"),
    "permit_regranted": _("重新准予许可"),
    "permit_suspend": _("证件暂扣"),
    "permit_restore": _("证件暂扣发还"),
    "permit_cancel": _("证件注销"),
    "permit_annul": _("证件撤销"),
    "permit_revoke": _("证件吊销"),
    "permit_expire": _("证件有效期届满失效"),
    "permit_change": _("证件信息变更"),
    "permit_renew": _("证件延续"),
}
# Internal to the departments, or the drafting's own bookkeeping: the audit trail keeps them.
QUIET = {"case_assign", "material_removed"}
VIEWED = "personal_data_viewed"
UPLOADED = "material_uploaded"


def _cases(application: Application) -> list[ItemCase]:
    """Every case with its department, item, check and open correction: three queries."""
    corrections = CaseAction.objects.filter(kind=CaseAction.Kind.CORRECTION).order_by(
        "-created_at", "-id"
    )
    return list(
        ItemCase.objects.filter(application=application)
        .select_related("department", "item", "verification")
        .prefetch_related(Prefetch("actions", queryset=corrections, to_attr="corrections"))
        .order_by("application_item__order", "id")
    )


def _case_rows(application: Application, cases: list[ItemCase]) -> list[CaseRow]:
    remedies = application.industry.version.remedies
    rows = []
    for case in cases:
        asked: list[CaseAction] = getattr(case, "corrections", [])
        open_request = asked[0] if asked and case.status == ItemCase.Status.CORRECTION else None
        body = review_body_name(case.item, application.district)
        rows.append(CaseRow(case, open_request, str(remedies_text(body, remedies))))
    return rows


def _event_detail(event: Event, names: dict[str, str]) -> str:
    data = event.data
    if event.verb == "application_submitted":
        return str(_("申请编号 %(n)s") % {"n": data.get("number", "")})
    if event.verb == "application_accepted" and data.get("promised_date"):
        day = datetime.date.fromisoformat(str(data["promised_date"]))
        return str(_("承诺办结日期 %(d)s") % {"d": date_format(day, "Y年n月j日")})
    item = names.get(str(data.get("item", "")), "")
    if event.verb == "case_correction" and data.get("missing"):
        return str(
            _("%(item)s。需补正：%(missing)s")
            % {"item": item, "missing": "；".join(data["missing"])}
        )
    if event.verb == "case_approve" and data.get("permit_number"):
        return str(_("%(item)s。证件编号 %(n)s") % {"item": item, "n": data["permit_number"]})
    return item


def _who(event: Event, application: Application, departments: dict[str, str]) -> str:
    if event.actor_id is not None and event.actor_id in (
        application.applicant_id,
        application.created_by_id,
    ):
        return str(_("本人"))
    if event.verb.startswith(("case_", "verification_")):
        return departments.get(str(event.data.get("item", "")), "")
    return ""  # the window's steps say 综合窗口 in their titles


def _timeline(application: Application, cases: list[ItemCase]) -> list[Entry]:
    """The events in Chinese, newest first. A run of uploads is one line, and the window's
    and departments' looks at the personal data are one line with their number."""
    names = {case.item.code: case.item.name for case in cases}
    departments = {case.item.code: case.department.name for case in cases}
    entries: list[Entry] = []
    views: list[Event] = []
    for event in application_timeline(application):
        if event.verb == VIEWED:
            views.append(event)
        elif event.verb in QUIET:
            continue
        elif event.verb == UPLOADED and entries and entries[-1].verb == UPLOADED:
            entries[-1] = replace(entries[-1], when=event.created_at, count=entries[-1].count + 1)
        else:
            title = TIMELINE.get(event.verb, _("办理进展更新"))
            entries.append(
                Entry(
                    event.created_at,
                    event.verb,
                    str(title),
                    _who(event, application, departments),
                    _event_detail(event, names),
                    event.reason,
                )
            )
    if views:
        viewed = _("窗口/部门查看了您的申请信息（%(n)s 次）") % {"n": len(views)}
        entries.append(Entry(views[-1].created_at, VIEWED, str(viewed), count=len(views)))
    return sorted(entries, key=lambda entry: entry.when)[::-1]


def _pending_items(application: Application) -> list[tuple[str, str, str]]:
    """Before acceptance: (department, item, route) of each item the window will dispatch."""
    return [
        (
            department_name(ai.item.department, ai.item.level, application.district),
            ai.item.name,
            str(ai.get_route_display()),
        )
        for ai in application.items.select_related("item__department")
    ]


@login_required
def progress(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = _user(request)
    if user.role != User.Role.APPLICANT:
        target = _staff_page(user, code)
        if not target:
            raise Http404
        return redirect(target)
    application = _own_application(user, code)
    if application.is_draft:
        return redirect("applications:detail", application.code)
    cases = _cases(application)
    rows = _case_rows(application, cases)
    context = {
        "application": application,
        "rows": rows,
        "corrections": [row for row in rows if row.correction is not None],
        "pending": (
            _pending_items(application)
            if application.status == Application.Status.SUBMITTED
            else []
        ),
        "timeline": _timeline(application, cases),
        "certificate": licences_selectors.certificate_current_of(application),
        "can_request_certificate": licences_selectors.certificate_request_allowed(application),
    }
    return render(request, "portal/tracking/progress.html", context)


# --- Correction response -------------------------------------------------------------------


def correction_respond(
    *,
    case: ItemCase,
    actor: User,
    changes: dict[str, Any],
    uploads: list[tuple[str, UploadedFile]],
    note: str,
) -> ItemCase:
    """Answer a correction request all or nothing: each file through `material_upload`
    (amend), then the changed values and the clock through `case_correction_submit`, in one
    transaction. Every bad file and value is named in one DomainError (`material-<code>` for
    a file), and the files stored before the failure are deleted again: the rows roll back,
    the storage does not."""
    stored: list[MaterialFile] = []
    try:
        with transaction.atomic():
            problems: dict[str, str] = {}
            for code, upload in uploads:
                try:
                    stored.append(
                        material_upload(
                            application=case.application,
                            actor=actor,
                            material_code=code,
                            upload=upload,
                            amend=True,
                        )
                    )
                except DomainError as error:
                    problems.setdefault(f"material-{code}", error.fields.get("file", error.message))
            try:  # checked even after a bad file, so that one answer names every problem
                case = case_correction_submit(case=case, actor=actor, form_data=changes, note=note)
            except DomainError as error:
                if not error.fields:
                    raise
                problems |= error.fields
            if problems:
                raise DomainError(
                    "correction_invalid", _("补正内容有误，请检查"), fields=problems, status=422
                )
    except BaseException:
        for record in stored:
            record.file.delete(save=False)
        raise
    return case


def _case_in(application: Application, case_id: int) -> ItemCase:
    case = (
        ItemCase.objects.filter(application=application, pk=case_id)
        .select_related("department", "item")
        .first()
    )
    if case is None:
        raise Http404
    case.application = application
    return case


def _correction_form(
    request: HttpRequest, application: Application, case: ItemCase
) -> tuple[CorrectionForm, CaseAction | None]:
    asked = (
        case.actions.filter(kind=CaseAction.Kind.CORRECTION).order_by("-created_at", "-id").first()
    )
    plan = item_plan(application_plan(application), case.item_id)
    codes = [gm.material.code for gi in plan.items for gm in gi.materials]
    files: dict[str, list[MaterialFile]] = {}
    for record in application.material_files.filter(material__code__in=codes).select_related(
        "material"
    ):
        files.setdefault(record.material.code, []).append(record)
    form = CorrectionForm(
        plan=plan,
        form_data=application.form_data,
        missing=list(asked.details.get("missing", [])) if asked else [],
        files=files,
        data=request.POST if request.method == "POST" else None,
        uploads=request.FILES if request.method == "POST" else None,
    )
    return form, asked


@login_required
def correction(request: HttpRequest, code: uuid.UUID, case_id: int) -> HttpResponse:
    user = _user(request)
    application = _own_application(user, code)
    case = _case_in(application, case_id)
    if (
        case.status != ItemCase.Status.CORRECTION
        or application.status != Application.Status.ACCEPTED
    ):
        messages.info(request, _("该事项目前没有待补正的内容。"))
        return redirect("portal:progress", application.code)
    form, asked = _correction_form(request, application, case)
    if form.is_bound and form.is_valid():
        try:
            correction_respond(
                case=case,
                actor=user,
                changes=form.changes(),
                uploads=form.files_posted(),
                note=form.note,
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("已提交补正，审批时限自次日起恢复计算。"))
            return redirect("portal:progress", application.code)
    context = {
        "application": application,
        "case": case,
        "asked": asked,
        "errors": form.summary(),
        **form.layout(),
    }
    return render(
        request, "portal/tracking/correction.html", context, status=422 if form.errors else 200
    )


# --- Messages ------------------------------------------------------------------------------


@login_required
def message_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    page = Paginator(notifications_of(user.pk), MESSAGES_PER_PAGE).get_page(request.GET.get("page"))
    unread = notifications_unread_count(user.pk)
    return render(request, "portal/tracking/messages.html", {"page": page, "unread": unread})


def _back_to_list(request: HttpRequest, anchor: str = "") -> HttpResponse:
    page = request.POST.get("page", "")
    query = f"?page={page}" if page.isdigit() and page != "1" else ""
    return redirect(reverse("portal:messages") + query + anchor)


@require_POST
@login_required
def message_read(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    get_object_or_404(notifications_of(user.pk), pk=pk)
    notifications_mark_read(user.pk, pk)
    return _back_to_list(request, f"#message-{pk}")


@login_required
def message_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a message's link: it is read now. Only a link within this site is followed."""
    user = _user(request)
    notification = get_object_or_404(notifications_of(user.pk), pk=pk)
    notifications_mark_read(user.pk, pk)
    target = notification.link
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("portal:messages") + f"#message-{pk}"
    return redirect(target)


@require_POST
@login_required
def messages_read_all(request: HttpRequest) -> HttpResponse:
    if notifications_mark_read(_user(request).pk):
        messages.success(request, _("已将全部消息标为已读。"))
    return _back_to_list(request)
