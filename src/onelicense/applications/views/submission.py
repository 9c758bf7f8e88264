"""Check your answers, submit, the confirmation, and withdrawing."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from onelicense.applications import forms
from onelicense.applications.models import Application
from onelicense.applications.selectors import (
    application_for_editing,
    application_for_user,
    application_plan,
)
from onelicense.applications.services import (
    application_problems,
    application_submit,
    application_withdraw,
)
from onelicense.applications.views.common import current_user, draft_page, page_url, refused_page
from onelicense.applications.views.steps import material_rows
from onelicense.catalogue import selectors as catalogue
from onelicense.catalogue.pdf import answer_text
from onelicense.catalogue.plan import Plan
from onelicense.core.errors import DomainError


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
        "materials": material_rows(application, plan),
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
        href, label = labels.get(key, (page_url("questions", application), ""))
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
            page_url("questions", application, f"q-{a.question.code}"),
            a.question.text,
        )
        for a in plan.questions
    }
    labels |= {
        f"form.{f.element.code}": (
            page_url("form", application, f"f-{f.element.code}"),
            f.element.label,
        )
        for f in plan.fields
    }
    labels |= {
        f"materials.{m.material.code}": (
            page_url("materials", application, f"m-{m.material.code}"),
            m.material.name,
        )
        for m in plan.materials
    }
    labels |= {
        f"commitments.{gi.item.code}": (
            page_url("commitments", application, f"c-{gi.item.code}"),
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
    user = current_user(request)
    try:
        application = application_for_editing(user, str(code))
        application = application_submit(application=application, actor=user)
    except DomainError as error:
        if error.code != "application_incomplete":
            return (
                refused_page(request, error)
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
        application = application_for_user(current_user(request), str(code))
    except DomainError as error:
        return refused_page(request, error)
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
    user = current_user(request)
    try:
        application = application_for_editing(user, str(code))
    except DomainError as error:
        return refused_page(request, error)
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
