"""The applicant's pages (一网通办): start, the task list, the questions, the one form, the
materials, route and commitment, check and submit, the confirmation, my applications, the
status page with its timeline, and withdrawal.

Each view fetches through one access helper, validates with a form, calls one service and
renders, following the GOV.UK patterns that DESIGN.md names: task list, error summary linking to
each field, check your answers, confirmation page. Window clerks use the same pages to file or
complete an application for an applicant (application_for_editing lets them).
"""

import datetime
import functools
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Concatenate, ParamSpec
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from onelicense.accounts.models import User
from onelicense.applications import forms
from onelicense.applications.models import Application, ApplicationItem, Commitment
from onelicense.applications.selectors import (
    application_for_editing,
    application_for_user,
    application_plan,
    application_timeline,
    applications_of,
)
from onelicense.applications.services import (
    application_create,
    application_problems,
    application_save,
    application_submit,
    application_withdraw,
    commitment_sign,
    material_remove,
    material_upload,
)
from onelicense.catalogue import selectors as catalogue
from onelicense.catalogue.models import Industry
from onelicense.catalogue.pdf import answer_text
from onelicense.catalogue.plan import Plan
from onelicense.catalogue.selectors import GuideItem
from onelicense.catalogue.views import answers_from_query, plan_lenient
from onelicense.core.errors import DomainError

P = ParamSpec("P")
DraftView = Callable[Concatenate[HttpRequest, Application, P], HttpResponse]


def _user(request: HttpRequest) -> User:
    if not isinstance(request.user, User):  # login_required ran first; this narrows the type
        raise PermissionDenied
    return request.user


def _refused(request: HttpRequest, error: DomainError) -> HttpResponse:
    """404 where the user may not learn that the application exists; else a page saying why."""
    if error.status == 404:
        raise Http404(error.message)
    context = {"message": error.message}
    return render(request, "applications/refused.html", context, status=error.status)


def draft_page(view: DraftView[P]) -> Callable[..., HttpResponse]:
    """A page that changes a draft: the user's own, or one their window may complete. Anyone
    else gets 404 (or 403 where they may see it); a submitted one shows its status instead."""

    @functools.wraps(view)
    def page(
        request: HttpRequest, code: uuid.UUID, *args: P.args, **kwargs: P.kwargs
    ) -> HttpResponse:
        try:
            application = application_for_editing(_user(request), str(code))
        except DomainError as error:
            return _refused(request, error)
        if not application.is_draft:
            return redirect("applications:detail", code)
        return view(request, application, *args, **kwargs)

    return login_required(page)


def _url(name: str, application: Application, anchor: str = "") -> str:
    return reverse(f"applications:{name}", args=[application.code]) + (
        f"#{anchor}" if anchor else ""
    )


def _summary(
    fields: list[forms.Field], extra: dict[str, str] | None = None
) -> list[tuple[str, str]]:
    """The error summary: each message linking to its field."""
    entries = [(f"#{f.anchor}", forms.labelled(f.label, f.error)) for f in fields if f.error]
    return entries + [("#main", message) for message in (extra or {}).values()]


# --- My applications, start ----------------------------------------------------------------


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    rows = applications_of(_user(request)).order_by("-updated_at", "-id")
    return render(request, "applications/list.html", {"applications": rows})


STARTERS = (User.Role.APPLICANT, User.Role.CLERK)


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """Choose the district (and, at the window, note the consent), then open the draft."""
    user = _user(request)
    if user.role not in STARTERS:
        error = DomainError("forbidden", _("只有申请人或综合窗口人员可以发起申请"), status=403)
        return _refused(request, error)
    industry = _industry_or_none(request.POST.get("industry") or request.GET.get("industry", ""))
    if industry is None:
        return render(request, "applications/start_industry.html", _industries())
    own = user.district.code if user.role == User.Role.CLERK and user.district else ""
    district = own or request.GET.get("district", "")
    initial = {"industry": industry.code, "district": district, "token": uuid.uuid4().hex}
    form = forms.StartForm(request.POST or None, initial=initial)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            application = application_create(
                actor=user,
                industry_code=industry.code,
                district_code=data["district"],
                client_key=data["token"],
                consent=data["consent"],
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            return redirect("applications:detail", application.code)
    context = {"form": form, "industry": industry, "districts": _districts(user, industry, form)}
    return render(request, "applications/start.html", context, status=422 if form.errors else 200)


def _industry_or_none(code: str) -> Industry | None:
    if not code:
        return None
    try:
        return catalogue.industry_get(code=code)
    except DomainError as error:
        raise Http404(error.message) from error


def _industries() -> dict[str, Any]:
    try:
        return {"industries": catalogue.industry_list()}
    except DomainError as error:
        raise Http404(error.message) from error


def _districts(user: User, industry: Industry, form: forms.StartForm) -> list[forms.Choice]:
    """Every district, the ones that have not opened the industry shown but not choosable; a
    clerk files only in their own."""
    chosen = str(form["district"].value() or "")
    places = (
        [user.district]
        if user.role == User.Role.CLERK and user.district
        else catalogue.districts_all()
    )
    return [
        forms.Choice(
            d.code,
            d.name,
            d.code == chosen,
            disabled=catalogue.offering_get(district=d, industry_code=industry.code) is None,
        )
        for d in places
    ]


# --- The task list and the status page -----------------------------------------------------


@dataclass(frozen=True)
class Task:
    title: str
    url: str
    status: str
    hint: str = ""

    LABELS = {
        "not_started": _("未开始"),
        "in_progress": _("进行中"),
        "completed": _("已完成"),
        "not_applicable": _("不适用"),
        "cannot_start": _("暂不能开始"),
    }

    @property
    def label(self) -> str:
        return str(self.LABELS[self.status])


@login_required
def detail(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = _user(request)
    try:
        application = application_for_user(user, str(code))
    except DomainError as error:
        return _refused(request, error)
    if application.is_draft and _may_edit(user, application):
        return _task_list(request, application)
    return render(request, "applications/status.html", _status_context(application, user))


def _may_edit(user: User, application: Application) -> bool:
    try:
        application_for_editing(user, str(application.code))
    except DomainError:
        return False
    return True


def _task_list(request: HttpRequest, application: Application) -> HttpResponse:
    plan = application_plan(application)
    problems = application_problems(application, plan)
    tasks = _tasks(application, plan, problems)
    done = sum(task.status in ("completed", "not_applicable") for task in tasks[:-1])
    context = {
        "application": application,
        "plan": plan,
        "tasks": tasks,
        "done": done,
        "of": len(tasks) - 1,
    }
    return render(request, "applications/tasks.html", context)


def _state(started: bool, open_problems: bool) -> str:
    if not open_problems:
        return "completed" if started else "not_started"
    return "in_progress" if started else "not_started"


def _tasks(application: Application, plan: Plan, problems: dict[str, str]) -> list[Task]:
    def has(prefix: str) -> bool:
        return any(key.startswith(prefix) for key in problems)

    ready = plan.complete and bool(plan.items)
    later = "cannot_start"
    if not plan.questions:
        answered = "not_applicable"
    else:
        answered = (
            "completed" if ready else ("in_progress" if application.answers else "not_started")
        )
    uploaded = application.material_files.exists()
    tasks = [
        Task(str(_("回答情形问题")), _url("questions", application), answered),
        Task(
            str(_("填写申请表")),
            _url("form", application),
            _state(bool(application.form_data), has("form.")) if ready else later,
        ),
        Task(
            str(_("上传材料")),
            _url("materials", application),
            later
            if not ready
            else ("not_applicable" if not plan.materials else _state(uploaded, has("materials."))),
        ),
    ]
    eligible = [gi.item.code for gi in plan.items if gi.item.commitment_allowed]
    if eligible:
        chosen = any(code in application.routes for code in eligible)
        complete = all(code in application.routes for code in eligible) and not has("commitments.")
        status = "completed" if complete else ("in_progress" if chosen else "not_started")
        tasks.append(
            Task(
                str(_("选择办理方式并签署告知承诺")),
                _url("commitments", application),
                status if ready else later,
            )
        )
    hint = _("尚有 %(n)s 处需要完善") % {"n": len(problems)} if problems else _("可以提交")
    tasks.append(Task(str(_("核对并提交")), _url("check", application), "not_started", str(hint)))
    return [task if task.status != later else Task(task.title, "", later) for task in tasks]


TIMELINE = {
    "application_created": _("创建申请"),
    "application_submitted": _("提交申请"),
    "application_accepted": _("综合窗口已受理"),
    "application_refused": _("综合窗口不予受理"),
    "application_withdrawn": _("撤回申请"),
    "application_amended": _("补正申请信息"),
    "application_completed": _("全部事项已办结"),
    "commitment_signed": _("签署告知承诺书"),
    # Each department's case (approvals) is told under the application too.
    "case_claim": _("审批部门开始审查"),
    "case_approve": _("准予许可"),
    "case_approved": _("准予许可（告知承诺）"),
    "case_refuse": _("不予许可"),
    "case_correction": _("需要补正"),
    "case_corrected": _("补正完成"),
    "case_suspend": _("中止审查"),
    "case_resume": _("恢复审查"),
    "case_extend": _("延长审查期限"),
    "case_onsite": _("安排现场核查"),
    "verification_confirmed": _("告知承诺核查属实"),
    "verification_rectify": _("告知承诺核查：责令限期整改"),
    "verification_revoked": _("告知承诺核查：撤销许可"),
}
# Many, or internal: the audit trail keeps them, the applicant's timeline need not.
QUIET = {"material_uploaded", "material_removed", "personal_data_viewed", "case_assign"}


def _event_detail(verb: str, data: dict[str, Any], item_names: dict[str, str]) -> str:
    if verb == "application_submitted":
        return str(_("申请编号 %(n)s") % {"n": data.get("number", "")})
    if verb == "application_accepted" and data.get("promised_date"):
        day = datetime.date.fromisoformat(str(data["promised_date"]))
        return str(_("承诺办结日期 %(d)s") % {"d": date_format(day, "Y年n月j日")})
    return item_names.get(str(data.get("item", "")), "")


def _timeline(application: Application, item_names: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "when": event.created_at,
            "title": TIMELINE.get(event.verb, _("办理进展更新")),
            "detail": _event_detail(event.verb, event.data, item_names),
            "reason": event.reason,
            "actor": event.actor,
        }
        for event in application_timeline(application)
        if event.verb not in QUIET
    ]


def _status_context(application: Application, user: User) -> dict[str, Any]:
    items = list(application.items.select_related("item__department"))
    rows = [
        (ai, catalogue.department_name(ai.item.department, ai.item.level, application.district))
        for ai in items
    ]
    names = {ai.item.code: ai.item.name for ai in items}
    return {
        "application": application,
        "items": rows,
        "timeline": _timeline(application, names),
        "document": _document_url(application),
        "can_withdraw": application.can_withdraw and _may_edit(user, application),
        "deferrals": application.deferrals.select_related("material"),
    }


def _document_url(application: Application) -> tuple[str, str]:
    """The window's written decision, downloadable here too: the acceptance notice (受理通知书)
    or the refusal decision (不予受理决定书), as (url, label)."""
    accepted = (Application.Status.ACCEPTED, Application.Status.COMPLETED)
    try:
        if application.status in accepted:
            url = reverse("window:receipt", args=[application.code])
            return url, str(_("下载受理通知书（PDF）"))
        if application.status == Application.Status.REFUSED:
            url = reverse("window:refusal", args=[application.code])
            return url, str(_("下载不予受理决定书（PDF）"))
    except NoReverseMatch:  # the window's pages are not mounted in this build
        pass
    return "", ""


# --- 1. Questions --------------------------------------------------------------------------


@draft_page
def questions(request: HttpRequest, application: Application) -> HttpResponse:
    if request.method != "POST":
        return _questions_page(request, application, forms.answers_raw(application.answers))
    posted = answers_from_query(application.industry.questions.all(), request.POST)
    try:
        application_save(application=application, actor=_user(request), answers=posted)
    except DomainError as error:
        return _questions_page(request, application, posted, error.fields, status=422)
    if request.POST.get("action") == "continue":
        return redirect("applications:detail", application.code)
    messages.success(request, _("已保存回答，需要办理的事项已按您的回答更新。"))
    return redirect(_url("questions", application, "items"))


@draft_page
def questions_preview(request: HttpRequest, application: Application) -> HttpResponse:
    """The questions and items for answers not yet saved: plan.js swaps this in on a change.
    The rules run here, on the server, as they do for every page."""
    values = answers_from_query(application.industry.questions.all(), request.GET)
    return _questions_page(
        request, application, values, template="applications/_questions_fragment.html"
    )


def _questions_page(
    request: HttpRequest,
    application: Application,
    values: dict[str, Any],
    errors: dict[str, str] | None = None,
    status: int = 200,
    template: str = "applications/questions.html",
) -> HttpResponse:
    plan, invalid = plan_lenient(
        industry=application.industry, answers=values, district=application.district
    )
    fields = forms.question_fields(plan.questions, values, invalid | (errors or {}))
    shown = {field.name for field in fields}
    query = urlencode(
        {"district": application.district.code, **plan.answers} | _flags(plan), doseq=True
    )
    context = {
        "application": application,
        "plan": plan,
        "fields": fields,
        # Answers of questions hidden now (a follow-up whose condition no longer holds, or
        # holds on a bad answer) ride along, so that they come back when it shows again.
        "carried": forms.carried(values, shown),
        "errors": _summary(fields),
        "notice_url": reverse("catalogue:notice", args=[application.industry.code]) + "?" + query,
    }
    return render(request, template, context, status=status)


def _flags(plan: Plan) -> dict[str, str]:
    """Booleans as the notice's query string takes them."""
    return {
        code: ("true" if value else "false")
        for code, value in plan.answers.items()
        if isinstance(value, bool)
    }


# --- 2. The one form -----------------------------------------------------------------------


@draft_page
def one_form(request: HttpRequest, application: Application) -> HttpResponse:
    plan = application_plan(application)
    if request.method != "POST":
        return _form_page(
            request, application, plan, forms.form_values(plan, application.form_data)
        )
    posted = forms.form_posted(plan, request.POST)
    try:
        application_save(application=application, actor=_user(request), form_data=posted)
    except DomainError as error:  # the service saved nothing
        return _form_page(request, application, plan, posted, error.fields, status=422)
    messages.success(request, _("申请表已保存。"))
    return redirect("applications:detail", application.code)


def _form_page(
    request: HttpRequest,
    application: Application,
    plan: Plan,
    values: dict[str, Any],
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    sections = forms.form_sections(plan, values, errors or {})
    fields = [f for _section, section_fields in sections for f in section_fields]
    known = {f.name for f in fields}
    stray = {code: message for code, message in (errors or {}).items() if code not in known}
    context = {"application": application, "sections": sections, "errors": _summary(fields, stray)}
    return render(request, "applications/form.html", context, status=status)


# --- 3. Materials --------------------------------------------------------------------------


@dataclass(frozen=True)
class MaterialRow:
    code: str
    name: str
    form: str
    note: str
    item_names: list[str]
    conditions: list[str]
    required: bool
    deferrable: bool
    files: list[Any]


def _material_rows(application: Application, plan: Plan) -> list[MaterialRow]:
    files: dict[str, list[Any]] = {}
    for record in application.material_files.select_related("material"):
        files.setdefault(record.material.code, []).append(record)
    rows = []
    for merged in plan.materials:
        code = merged.material.code
        links = [gm for gi in plan.items for gm in gi.materials if gm.material.code == code]
        required = any(gm.required for gm in links)
        strict = any(gm.required and not gm.deferrable for gm in links)
        rows.append(
            MaterialRow(
                code,
                merged.material.name,
                str(merged.material.get_form_display()),
                merged.material.note,
                merged.item_names,
                merged.conditions,
                required,
                required and not strict,
                files.get(code, []),
            )
        )
    return rows


@draft_page
def materials(request: HttpRequest, application: Application) -> HttpResponse:
    form = forms.UploadForm(request.POST or None, request.FILES or None)
    if form.is_bound and form.is_valid():
        code = form.cleaned_data["material"]
        try:
            material_upload(
                application=application,
                actor=_user(request),
                material_code=code,
                upload=form.cleaned_data["file"],
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(
                request, _("已上传“%(name)s”。") % {"name": form.cleaned_data["file"].name}
            )
            return redirect(_url("materials", application, f"m-{code}"))
    rows = _material_rows(application, application_plan(application))
    failed = form.data.get("material", "") if form.errors else ""
    errors = [(f"#m-{failed}-file", message) for message in _form_messages(form)]
    context = {
        "application": application,
        "rows": rows,
        "form": form,
        "failed": failed,
        "errors": errors,
    }
    return render(request, "applications/materials.html", context, status=422 if errors else 200)


def _form_messages(form: Any) -> list[str]:
    return [str(message) for messages_ in form.errors.values() for message in messages_]


@require_POST
@draft_page
def material_delete(request: HttpRequest, application: Application, file_id: int) -> HttpResponse:
    try:
        material_remove(application=application, actor=_user(request), file_id=file_id)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已删除该文件。"))
    return redirect(_url("materials", application))


@login_required
def material_download(request: HttpRequest, code: uuid.UUID, file_id: int) -> HttpResponseBase:
    """A file as uploaded, to whoever may see the application (its type read from its bytes)."""
    try:
        application = application_for_user(_user(request), str(code))
    except DomainError as error:
        return _refused(request, error)
    record = get_object_or_404(application.material_files, pk=file_id)
    return FileResponse(
        record.file.open("rb"), content_type=record.content_type, filename=record.original_name
    )


# --- 4. Route and commitment ---------------------------------------------------------------


@draft_page
def commitments(request: HttpRequest, application: Application) -> HttpResponse:
    plan = application_plan(application)
    eligible = [gi for gi in plan.items if gi.item.commitment_allowed]
    if not eligible:
        return redirect("applications:detail", application.code)
    signed = {c.item.code: c for c in application.commitments.select_related("item")}
    posted = request.POST.get("item", "") if request.method == "POST" else ""
    rows = [
        _route_row(
            application,
            gi,
            signed.get(gi.item.code),
            request.POST if gi.item.code == posted else None,
        )
        for gi in eligible
    ]
    form = next((row["form"] for row in rows if row["item"].item.code == posted), None)
    if form is not None and form.is_valid():
        try:
            _route_save(application, _user(request), posted, form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("已保存办理方式。"))
            return redirect(_url("commitments", application, f"c-{posted}"))
    context = {"application": application, "rows": rows, "errors": _route_errors(posted, form)}
    return render(
        request, "applications/commitments.html", context, status=422 if context["errors"] else 200
    )


def _route_errors(code: str, form: forms.RouteForm | None) -> list[tuple[str, str]]:
    anchors = {"route": "standard", "signer_name": "signer", "agree": "agree"}
    if form is None:
        return []
    return [
        (f"#c-{code}-{anchors[name]}" if name in anchors else f"#c-{code}", str(message))
        for name, field_errors in form.errors.items()
        for message in field_errors
    ]


def _route_row(
    application: Application, gi: GuideItem, signed: Commitment | None, data: Any
) -> dict[str, Any]:
    code = gi.item.code
    initial = {
        "route": application.routes.get(code, ""),
        "signer_name": signed.signer_name
        if signed
        else application.form_data.get("legal_representative", ""),
        "agree": signed is not None,
    }
    return {
        "item": gi,
        "form": forms.RouteForm(data, prefix=code, initial=initial),
        "signed": signed,
    }


def _route_save(application: Application, user: User, item_code: str, data: dict[str, Any]) -> None:
    if data["route"] == ApplicationItem.Route.COMMITMENT:
        commitment_sign(
            application=application,
            actor=user,
            item_code=item_code,
            signer_name=data["signer_name"],
        )
    else:
        application_save(application=application, actor=user, routes={item_code: data["route"]})


# --- 5. Check your answers, submit, confirmation --------------------------------------------


@draft_page
def check(request: HttpRequest, application: Application) -> HttpResponse:
    plan = application_plan(application)
    return _check_page(request, application, plan, application_problems(application, plan))


def _check_page(
    request: HttpRequest,
    application: Application,
    plan: Plan,
    problems: dict[str, str],
    status: int = 200,
) -> HttpResponse:
    signed = {c.item.code: c for c in application.commitments.select_related("item")}
    context = {
        "application": application,
        "plan": plan,
        "errors": _problem_summary(application, plan, problems),
        "answers": [(a, answer_text(a.question, a.answer)) for a in plan.questions],
        "routes": [
            (gi, application.routes.get(gi.item.code), signed.get(gi.item.code))
            for gi in plan.items
        ],
        "sections": [
            (
                section,
                [
                    (f, forms.element_text(f.element, application.form_data.get(f.element.code)))
                    for f in section.fields
                ],
            )
            for section in plan.sections
        ],
        "materials": _material_rows(application, plan),
        "eligible": any(gi.item.commitment_allowed for gi in plan.items),
    }
    return render(request, "applications/check.html", context, status=status)


GROUP_OVER = 3  # a task with more problems than this is one line of the summary
GROUPS = {
    "answers": _("情形问题：尚有 %(n)s 个问题未回答"),
    "form": _("申请表：尚有 %(n)s 项必填信息未填写"),
    "materials": _("申请材料：尚有 %(n)s 份材料未上传"),
    "commitments": _("告知承诺：尚有 %(n)s 个事项未签署承诺书"),
}


def _problem_summary(
    application: Application, plan: Plan, problems: dict[str, str]
) -> list[tuple[str, str]]:
    """What stops submission, each linking to where it is fixed; a task with many problems
    is summed up in one line linking to the first."""
    labels = _problem_labels(application, plan)
    by_task: dict[str, list[tuple[str, str]]] = {}
    for key, message in problems.items():
        href, label = labels.get(key, (_url("questions", application), ""))
        entry = (href, forms.labelled(label, message) if label else message)
        by_task.setdefault(key.split(".")[0], []).append(entry)
    summary = []
    for task, entries in by_task.items():
        if len(entries) > GROUP_OVER and task in GROUPS:
            summary.append((entries[0][0], str(GROUPS[task] % {"n": len(entries)})))
        else:
            summary += entries
    return summary


def _problem_labels(application: Application, plan: Plan) -> dict[str, tuple[str, str]]:
    """Each possible problem's key → (where to fix it, what it is about)."""
    labels = {
        f"answers.{a.question.code}": (
            _url("questions", application, f"q-{a.question.code}"),
            a.question.text,
        )
        for a in plan.questions
    }
    labels |= {
        f"form.{f.element.code}": (
            _url("form", application, f"f-{f.element.code}"),
            f.element.label,
        )
        for f in plan.fields
    }
    labels |= {
        f"materials.{m.material.code}": (
            _url("materials", application, f"m-{m.material.code}"),
            m.material.name,
        )
        for m in plan.materials
    }
    labels |= {
        f"commitments.{gi.item.code}": (
            _url("commitments", application, f"c-{gi.item.code}"),
            gi.item.name,
        )
        for gi in plan.items
    }
    return labels


@require_POST
@login_required
def submit(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    """Submit once (POST-redirect-GET); a second click finds it submitted and lands on the
    same confirmation, as the service answers with the same application."""
    user = _user(request)
    try:
        application = application_for_editing(user, str(code))
        application = application_submit(application=application, actor=user)
    except DomainError as error:
        if error.code != "application_incomplete":
            return (
                _refused(request, error)
                if error.status in (403, 404)
                else redirect("applications:detail", code)
            )
        application = application_for_editing(user, str(code))
        return _check_page(
            request, application, application_plan(application), error.fields, status=422
        )
    return redirect("applications:confirmation", application.code)


@login_required
def confirmation(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    try:
        application = application_for_user(_user(request), str(code))
    except DomainError as error:
        return _refused(request, error)
    if application.is_draft:
        return redirect("applications:detail", code)
    items = list(application.items.select_related("item__department"))
    rows = [
        (ai, catalogue.department_name(ai.item.department, ai.item.level, application.district))
        for ai in items
    ]
    promised = max((ai.item.promised_limit_days for ai in items), default=0)
    context = {"application": application, "items": rows, "promised": promised}
    return render(request, "applications/confirmation.html", context)


# --- Withdraw ------------------------------------------------------------------------------


@login_required
def withdraw(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = _user(request)
    try:
        application = application_for_editing(user, str(code))
    except DomainError as error:
        return _refused(request, error)
    form = forms.WithdrawForm(request.POST or None)
    if application.can_withdraw and form.is_bound and form.is_valid():
        try:
            application_withdraw(
                application=application, actor=user, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("申请已撤回。"))
        return redirect("applications:detail", code)
    if not application.can_withdraw:
        return redirect("applications:detail", code)
    return render(request, "applications/withdraw.html", {"application": application, "form": form})
