"""An application's page: the task list of a draft, or its status and timeline."""

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from onelicense.accounts.models import User
from onelicense.applications.models import Application
from onelicense.applications.selectors import (
    application_for_editing,
    application_for_user,
    application_plan,
    application_timeline,
)
from onelicense.applications.services import (
    application_problems,
)
from onelicense.applications.views.common import (
    current_user,
    page_url,
    refused_page,
)
from onelicense.catalogue import selectors as catalogue
from onelicense.catalogue.plan import Plan
from onelicense.core.errors import DomainError


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
    user = current_user(request)
    try:
        application = application_for_user(user, str(code))
    except DomainError as error:
        return refused_page(request, error)
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
        Task(str(_("回答情形问题")), page_url("questions", application), answered),
        Task(
            str(_("填写申请表")),
            page_url("form", application),
            _state(bool(application.form_data), has("form.")) if ready else later,
        ),
        Task(
            str(_("上传材料")),
            page_url("materials", application),
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
                page_url("commitments", application),
                status if ready else later,
            )
        )
    hint = _("尚有 %(n)s 处需要完善") % {"n": len(problems)} if problems else _("可以提交")
    tasks.append(
        Task(str(_("核对并提交")), page_url("check", application), "not_started", str(hint))
    )
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
