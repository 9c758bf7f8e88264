"""The reviewer's workbench (分类审批): the department's inbox, the review page of one case, one
POST view per action, and the files of the item's materials.

Only reviewers use it (`reviewer_only`), and only their department's cases (`_case`: another
department's or district's case is not found). Each action: the access helper, a form, one
service; a DomainError shows on the page and nothing has changed, success redirects back with a
banner (PRG).
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from onelicense.accounts.models import User
from onelicense.approvals import selectors, services
from onelicense.approvals.forms import (
    ApproveForm,
    AssignForm,
    ClaimForm,
    CorrectionForm,
    ExtendForm,
    InboxFilterForm,
    OnsiteForm,
    RefuseForm,
    ResumeForm,
    ReviewForm,
    SuspendForm,
    VerificationForm,
    action_forms,
)
from onelicense.approvals.models import ItemCase, Verification
from onelicense.core.errors import DomainError
from onelicense.core.services import event_record

View = Callable[..., HttpResponseBase]
Form = TypeVar("Form", bound=ReviewForm)


# --- Access ------------------------------------------------------------------------------------


def reviewer_only(view: View) -> View:
    """Reviewers only: anonymous users log in, anyone else gets a 403 page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if getattr(request.user, "role", None) != User.Role.REVIEWER:
            return render(request, "approvals/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def _reviewer(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # reviewer_only let only reviewers in
    return request.user


def _case(request: HttpRequest, pk: int) -> ItemCase:
    try:
        return selectors.case_for_reviewer(_reviewer(request), pk)
    except DomainError as exc:
        raise Http404(exc.message) from exc


# --- Pages -------------------------------------------------------------------------------------


@never_cache
@reviewer_only
def inbox(request: HttpRequest) -> HttpResponse:
    reviewer, today = _reviewer(request), timezone.localdate()
    form = InboxFilterForm(request.GET, items=selectors.inbox_items(reviewer))
    page = selectors.inbox_page(reviewer, form.inbox(), page=request.GET.get("p"), today=today)
    context = {"form": form, "inbox": page, "reviewer": reviewer, "today": today}
    return render(request, "approvals/inbox.html", context)


def _page(
    request: HttpRequest, case: ItemCase, failed: ReviewForm | None = None, status: int = 200
) -> HttpResponse:
    """The review page; it shows the enterprise's personal data, so each showing is recorded."""
    reviewer = _reviewer(request)
    sheet = selectors.case_sheet(case, timezone.localdate())
    forms = action_forms(
        colleagues=selectors.department_colleagues(case.department_id).exclude(pk=reviewer.pk),
        leads=selectors.department_leads(case.department_id),
        choices=sheet.correction_choices,
        permit_number=sheet.permit_suggestion,
        valid_from=sheet.valid_from,
        valid_until=sheet.valid_until,
    )
    if failed is not None:
        forms[failed.action] = failed
    event_record(
        actor=reviewer,
        verb="personal_data_viewed",
        subject=case.application,
        data={"item": case.item.code, "page": "review"},
    )
    context = {"case": case, "sheet": sheet, "forms": forms, "failed": failed}
    response = render(request, "approvals/case.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@reviewer_only
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _case(request, pk))


# --- Actions (POST, then back with a banner) -----------------------------------------------------


def _back(request: HttpRequest, case: ItemCase) -> str:
    """Back to the inbox when the action came from there (认领 on its row), else to the case."""
    target = str(request.POST.get("next", ""))
    inbox_url = reverse("approvals:inbox")
    safe = url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    if safe and target.startswith(inbox_url):
        return target
    return reverse("approvals:case", args=[case.pk])


def _act(
    request: HttpRequest,
    case: ItemCase,
    form: Form,
    call: Callable[[Form], ItemCase | Verification],
    done: Promise,
) -> HttpResponse:
    """Validate, call the one service, and go back with a banner; else show what is wrong."""
    status = 422
    if form.is_valid():
        try:
            result = call(form)
        except DomainError as exc:
            if request.POST.get("next"):
                messages.error(request, exc.message)
                return redirect(_back(request, case))
            form.add_domain_error(exc)
            status = exc.status
        else:
            done_case = result.case if isinstance(result, Verification) else result
            facts = {
                "number": done_case.application.number,
                "item": done_case.item.name,
                "permit": done_case.permit_number,
                "due": done_case.due_date,
                "assignee": done_case.assignee,
            }
            messages.success(request, str(done) % facts)
            return redirect(_back(request, case))
    return _page(request, case, failed=form, status=status)


@require_POST
@reviewer_only
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    return _act(
        request,
        case,
        ClaimForm(request.POST),
        lambda form: services.case_claim(case=case, reviewer=_reviewer(request)),
        _("已认领 %(number)s %(item)s，由您承办。"),
    )


@require_POST
@reviewer_only
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    colleagues = selectors.department_colleagues(case.department_id)
    return _act(
        request,
        case,
        AssignForm(request.POST, colleagues=colleagues),
        lambda form: services.case_assign(
            case=case, reviewer=_reviewer(request), assignee=form.cleaned_data["assignee"]
        ),
        _("已将 %(item)s 分派给%(assignee)s承办。"),
    )


@require_POST
@reviewer_only
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    return _act(
        request,
        case,
        ApproveForm(request.POST),
        lambda form: services.case_approve(
            case=case, reviewer=_reviewer(request), **form.cleaned_data
        ),
        _("已准予许可：%(item)s，证件编号 %(permit)s。已通知申请人。"),
    )


@require_POST
@reviewer_only
def refuse(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    return _act(
        request,
        case,
        RefuseForm(request.POST),
        lambda form: services.case_refuse(
            case=case, reviewer=_reviewer(request), **form.cleaned_data
        ),
        _("已作出不予许可决定：%(item)s。已将理由和救济途径告知申请人。"),
    )


@require_POST
@reviewer_only
def correction(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    choices = selectors.correction_choices(case)
    return _act(
        request,
        case,
        CorrectionForm(request.POST, choices=choices),
        lambda form: services.case_request_correction(
            case=case,
            reviewer=_reviewer(request),
            missing=form.missing(),
            note=form.cleaned_data["note"],
        ),
        _("已发出补正告知：%(item)s。补正期间审批时限暂停计算。"),
    )


@require_POST
@reviewer_only
def suspend(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    return _act(
        request,
        case,
        SuspendForm(request.POST),
        lambda form: services.case_suspend(
            case=case, reviewer=_reviewer(request), **form.cleaned_data
        ),
        _("已中止审查：%(item)s。中止期间不计入审批时限。"),
    )


@require_POST
@reviewer_only
def resume(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    return _act(
        request,
        case,
        ResumeForm(request.POST),
        lambda form: services.case_resume(
            case=case, reviewer=_reviewer(request), note=form.cleaned_data["note"]
        ),
        _("已恢复审查：%(item)s，承诺办结日期为 %(due)s。"),
    )


@require_POST
@reviewer_only
def extend(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    leads = selectors.department_leads(case.department_id)
    return _act(
        request,
        case,
        ExtendForm(request.POST, leads=leads),
        lambda form: services.case_extend(
            case=case, reviewer=_reviewer(request), **form.cleaned_data
        ),
        _("已延期：%(item)s，承诺办结日期为 %(due)s。已通知申请人。"),
    )


@require_POST
@reviewer_only
def onsite(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    return _act(
        request,
        case,
        OnsiteForm(request.POST),
        lambda form: services.case_schedule_onsite(
            case=case, reviewer=_reviewer(request), **form.cleaned_data
        ),
        _("已安排现场核查：%(item)s。已通知申请人。"),
    )


@require_POST
@reviewer_only
def verify(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    verification = Verification.objects.filter(case=case).first()
    if verification is None:
        raise Http404(_("该事项没有告知承诺核查"))
    return _act(
        request,
        case,
        VerificationForm(request.POST),
        lambda form: services.verification_record(
            verification=verification, reviewer=_reviewer(request), **form.cleaned_data
        ),
        _("已记录核查结果：%(item)s。已通知申请人。"),
    )


# --- Files -------------------------------------------------------------------------------------


@never_cache
@reviewer_only
def material_file(request: HttpRequest, pk: int, file_id: int) -> FileResponse:
    """A file of one of the item's own materials, as uploaded."""
    case = _case(request, pk)
    try:
        record = selectors.case_material_file(case, file_id)
    except DomainError as exc:
        raise Http404(exc.message) from exc
    response = FileResponse(record.file.open("rb"), content_type=record.content_type)
    kind = "attachment" if request.GET.get("download") == "1" else "inline"
    ascii_name = f"material-{record.pk}.{record.get_content_type_display().lower()}"
    # RFC 6266/5987: an ASCII name for old clients, the Chinese one for the rest.
    response["Content-Disposition"] = (
        f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(record.original_name)}"
    )
    response["Cache-Control"] = "private, no-store"
    return response
